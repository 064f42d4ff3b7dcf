r"""Exercise ``ex-learn-shrinkage`` (computation): bias, variance and noise of a shrunk mean."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

theta, sigma2, n, lam = 2.0, 4.0, 10, 0.8

BIAS2 = (1 - lam) ** 2 * theta**2  # 0.16
VARIANCE = lam**2 * sigma2 / n  # 0.256
NOISE = sigma2  # 4
RISK = BIAS2 + VARIANCE + NOISE  # 4.416
LAM_OPT = theta**2 / (theta**2 + sigma2 / n)  # 10/11

_tol = Tolerance(1e-6, 1e-9)

EXERCISE = Compute(
    id="ex-learn-shrinkage",
    title="Bias, variance and noise of a shrunk mean",
    answers=(
        Answer("bias2", BIAS2, "bias^2 of f_S = lam * Ybar", _tol),
        Answer("variance", VARIANCE, "var of f_S", _tol),
        Answer("noise", NOISE, "noise v = Var(Y)", _tol),
        Answer("risk", RISK, "expected risk E_S R(f_S)", _tol),
        Answer("lam_opt", LAM_OPT, "the lambda minimising the expected risk", _tol),
    ),
    hint=r"""f* = theta. E_S f_S = lam theta and Var_S f_S = lam^2 Var(Ybar) = lam^2 sigma^2 / n. The
expected risk is noise + bias^2 + variance (Theorem thm-learn-bias-variance); differentiate it in
lam.""",
    solution=r"""bias2 = (1 - lam)^2 theta^2 = 0.04 * 4 = 0.16; variance = lam^2 sigma^2 / n = 0.64 * 0.4
= 0.256; noise = sigma^2 = 4; risk = 4.416. The expected risk (1 - lam)^2 theta^2 + lam^2 sigma^2/n
+ sigma^2 is a convex quadratic in lam with derivative -2(1 - lam) theta^2 + 2 lam sigma^2 / n,
zero at lam_opt = theta^2 / (theta^2 + sigma^2 / n) = 4 / 4.4 = 10/11 = 0.9090...""",
    mistakes=(
        Mistake("bias2", (1 - lam) * theta, "got (1 - lam) theta, the bias: square it"),
        Mistake(
            "variance",
            lam**2 * sigma2,
            "got lam^2 sigma^2: the mean of n responses has variance sigma^2 / n",
        ),
        Mistake("variance", lam * sigma2 / n, "got lam sigma^2 / n: Var(lam Z) = lam^2 Var Z"),
        Mistake(
            "risk", BIAS2 + VARIANCE, "got bias^2 + variance: the noise sigma^2 is part of the risk"
        ),
        Mistake(
            "lam_opt",
            theta**2 / (theta**2 + sigma2),
            "got theta^2 / (theta^2 + sigma^2): the variance of Ybar is sigma^2 / n",
        ),
    ),
    wrong=(
        WrongAnswers(
            {
                "bias2": (1 - lam) * theta,
                "variance": VARIANCE,
                "noise": NOISE,
                "risk": RISK,
                "lam_opt": LAM_OPT,
            },
            "bias not squared",
            answer("bias2"),
            "square it",
        ),
        WrongAnswers(
            {
                "bias2": BIAS2,
                "variance": lam**2 * sigma2,
                "noise": NOISE,
                "risk": RISK,
                "lam_opt": LAM_OPT,
            },
            "forgets 1/n",
            answer("variance"),
            "sigma^2 / n",
        ),
        WrongAnswers(
            {
                "bias2": BIAS2,
                "variance": VARIANCE,
                "noise": NOISE,
                "risk": BIAS2 + VARIANCE,
                "lam_opt": LAM_OPT,
            },
            "forgets the noise",
            answer("risk"),
            "noise",
        ),
        WrongAnswers(
            {
                "bias2": BIAS2,
                "variance": VARIANCE,
                "noise": NOISE,
                "risk": RISK,
                "lam_opt": theta**2 / (theta**2 + sigma2),
            },
            "uses sigma^2 instead of sigma^2 / n",
            answer("lam_opt"),
            "sigma^2 / n",
        ),
    ),
)
