r"""Exercise ``ex-init-lyapunov`` (computation): the Lyapunov exponent of 2 x 2 Gaussian products."""

import math

from scipy.special import digamma

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

N = 2
LAM = 0.5 * (float(digamma(N / 2)) - math.log(N / 2))  # -gamma/2 = -0.2886
C_CRIT = (N / 2) * math.exp(-float(digamma(N / 2)))  # e^gamma = 1.7811
_TOL = Tolerance(1e-6, 1e-9)

EXERCISE = Compute(
    id="ex-init-lyapunov",
    title="The Lyapunov exponent of 2 x 2 Gaussian products",
    answers=(
        Answer("lam", LAM, "the Lyapunov exponent for n = 2, c_w = 1", _TOL),
        Answer("c_crit", C_CRIT, "the gain at which the exponent vanishes, n = 2", _TOL),
    ),
    hint=r"""Proposition prop-init-lyapunov: lambda = (log c_w + psi(n/2) - log(n/2))/2, and
psi(1) = -gamma (Euler's constant).""",
    solution=r"""lambda = psi(1)/2 = -gamma/2 = -0.28861; it vanishes when log c_w = -psi(1) = gamma,
c_w = e^gamma = 1.78107.""",
    mistakes=(
        Mistake(
            "lam",
            0.0,
            "0 is the exponent of the mean square E ||Ju||^2 = 1; the typical "
            "exponent is E log, smaller by Jensen",
        ),
        Mistake("c_crit", 1.0, "c_w = 1 preserves the mean square, not the typical norm"),
        Mistake("lam", 2 * LAM, "lambda is the rate of log ||Ju||, half that of log ||Ju||^2"),
    ),
    wrong=(
        WrongAnswers(
            {"lam": 0.0, "c_crit": C_CRIT}, "mean-square exponent", answer("lam"), "Jensen"
        ),
        WrongAnswers(
            {"lam": LAM, "c_crit": 1.0},
            "mean-square critical gain",
            answer("c_crit"),
            "typical norm",
        ),
        WrongAnswers(
            {"lam": 2 * LAM, "c_crit": C_CRIT}, "rate of the square", answer("lam"), "half"
        ),
    ),
)
