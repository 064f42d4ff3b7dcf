r"""Exercise ``ex-sym-deepsets-projection`` (computation): the nearest Deep Sets layer."""

from fractions import Fraction

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

A = ((4, 1, 0), (2, 5, 3), (-1, 0, 6))
_DIAG = Fraction(sum(A[i][i] for i in range(3)), 3)  # 5
_OFF = Fraction(sum(A[j][i] for j in range(3) for i in range(3) if i != j), 6)  # 5/6
GAMMA = float(_OFF)
LAMBDA = float(_DIAG - _OFF)
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-sym-deepsets-projection",
    title="The nearest Deep Sets layer",
    answers=(
        Answer("lam", LAMBDA, "lambda of the projection lambda I + gamma 1 1^T", _TOL),
        Answer("gam", GAMMA, "gamma of the projection lambda I + gamma 1 1^T", _TOL),
    ),
    hint=r"""Theorem thm-sym-reynolds, item 4: R(A)_{ji} is the mean of A over the orbit of (j, i).
For S_3 acting on pairs there are two orbits: the diagonal and the off-diagonal.""",
    solution=r"""The diagonal entries 4, 5, 6 have mean 5; the six off-diagonal entries 1, 0, 2, 3, -1, 0
have mean 5/6. So R(A) has 5 on the diagonal and 5/6 off it: gamma = 5/6 and
lambda + gamma = 5, lambda = 25/6 = 4.1667.""",
    mistakes=(
        Mistake("lam", 5.0, "5 is lambda + gamma, the diagonal of lambda I + gamma 1 1^T"),
        Mistake("gam", 5.0, "5 is the sum of the six off-diagonal entries: take their mean"),
        Mistake(
            "gam",
            20 / 9,
            "the mean of all nine entries mixes the two orbits: average the off-diagonal entries only",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"lam": 5.0, "gam": GAMMA}, "lambda + gamma for lambda", answer("lam"), "lambda + gamma"
        ),
        WrongAnswers(
            {"lam": LAMBDA, "gam": 20 / 9}, "mean of all entries", answer("gam"), "off-diagonal"
        ),
        WrongAnswers({"lam": LAMBDA, "gam": 5.0}, "sum of the off-diagonal", answer("gam"), "mean"),
    ),
)
