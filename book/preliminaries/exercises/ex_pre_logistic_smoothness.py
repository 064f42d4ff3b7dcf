r"""Exercise ``ex-pre-logistic-smoothness`` (computation): the smoothness constant of a logistic
loss, and the rate of gradient descent."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

#: The data matrix of the exercise (m = 4 samples, n = 2 features) and the ridge coefficient.
X = ((2.0, 0.0), (0.0, 1.0), (2.0, 0.0), (0.0, 1.0))
LAM = 0.25
m = len(X)
# X^T X = diag(8, 2): lambda_max = 8 (diagonal, read off)
L = 8 / (4 * m) + LAM  # 0.75
MU = LAM  # 0.25
RATE = 1 - MU / L  # 2/3

EXERCISE = Compute(
    id="ex-pre-logistic-smoothness",
    title="Smoothness of a logistic loss",
    answers=(
        Answer(
            "L",
            L,
            "the smoothness constant L_X + lambda of Proposition prop-logistic-smoothness",
            Tolerance(1e-9, 1e-12),
        ),
        Answer(
            "mu",
            MU,
            "the strong-convexity constant of the same proposition",
            Tolerance(1e-9, 1e-12),
        ),
        Answer(
            "rate",
            RATE,
            "the factor 1 - mu/L of Proposition prop-gd-step-progress",
            Tolerance(1e-9, 1e-12),
        ),
    ),
    hint=r"""Hessian = (1/m) X^T D X + lambda I with 0 < D_ii <= 1/4: L = lambda_max(X^T X) / (4m)
+ lambda. Compute X^T X first.""",
    solution=r"""X^T X = diag(2^2 + 2^2, 1 + 1) = diag(8, 2), so lambda_max = 8 and with m = 4,
L = 8 / 16 + 0.25 = 0.75. mu = lambda = 0.25. rate = 1 - 0.25 / 0.75 = 2/3: each step of
gradient descent with step 1/L multiplies f - f* by at most 2/3.""",
    mistakes=(
        Mistake("L", 8 / m + LAM, "forgot the factor 1/4 (the maximum of sigmoid')"),
        Mistake("L", 8 / 4 + LAM, "forgot the 1/m of the mean"),
        Mistake("L", 10 / (4 * m) + LAM, "used the trace of X^T X, not its largest eigenvalue"),
        Mistake("L", 8 / (4 * m), "forgot the ridge term lambda"),
    ),
    wrong=(
        WrongAnswers(
            {"L": 8 / m + LAM, "mu": MU, "rate": 1 - MU / (8 / m + LAM)},
            "missing 1/4",
            answer("L"),
            "1/4",
        ),
        WrongAnswers(
            {"L": 10 / (4 * m) + LAM, "mu": MU, "rate": 1 - MU / (10 / (4 * m) + LAM)},
            "trace instead of lambda_max",
            answer("L"),
            "trace",
        ),
        WrongAnswers(
            {"L": L, "mu": MU, "rate": MU / L}, "mu / L instead of 1 - mu / L", answer("rate"), ""
        ),
    ),
)
