r"""Exercise ``ex-lin-gd-iterations`` (computation): condition number and number of steps."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

#: X = [[2, 1], [1, 2]]: X^T X = [[5, 4], [4, 5]] has eigenvalues 9 and 1.
BETA, MU = 9.0, 1.0
KAPPA = BETA / MU
EPS = 1e-6
T_EXACT = math.ceil(math.log(EPS) / math.log(1 - 1 / KAPPA))  # 118
T_SIMPLE = math.ceil(KAPPA * math.log(1 / EPS))  # 125
_T_WRONG_KAPPA = math.ceil(math.log(EPS) / math.log(1 - 1 / 3))  # 35, with kappa_2(X) = 3
_T_LOG10 = math.ceil(KAPPA * math.log10(1 / EPS))  # 54

EXERCISE = Compute(
    id="ex-lin-gd-iterations",
    title="How many steps?",
    answers=(
        Answer("beta", BETA, "the smoothness constant ||X||_op^2", Tolerance(1e-9, 1e-9)),
        Answer("mu", MU, "lambda_min(X^T X)", Tolerance(1e-9, 1e-9)),
        Answer("kappa", KAPPA, "beta / mu", Tolerance(1e-9, 1e-9)),
        Answer("t_exact", T_EXACT, "smallest t with (1 - 1/kappa)^t <= 1e-6"),
        Answer("t_simple", T_SIMPLE, "ceil(kappa log(1e6)), natural logarithm"),
    ),
    hint=r"""beta and mu are the largest and smallest eigenvalues of X^T X (not of X). Then solve
(1 - 1/kappa)^t <= 1e-6 for the integer t: t >= log(1e-6) / log(1 - 1/kappa); both logarithms are
negative.""",
    solution=r"""X^T X = [[5, 4], [4, 5]] has eigenvalues 9 (eigenvector (1, 1)) and 1 (eigenvector
(1, -1)): beta = 9, mu = 1, kappa = 9 (kappa_2(X) = 3 = sqrt(kappa)). (8/9)^t <= 1e-6 iff
t >= log(1e6) / log(9/8) = 13.8155 / 0.117783 = 117.30, so t_exact = 118; t_simple =
ceil(9 * 13.8155) = ceil(124.34) = 125.""",
    mistakes=(
        Mistake("beta", 3.0, "got the largest singular value of X; beta is its square"),
        Mistake("kappa", 3.0, "got kappa_2(X) = s_1 / s_2; kappa = beta / mu = kappa_2(X)^2"),
        Mistake("t_exact", _T_WRONG_KAPPA, "this is the count for kappa = 3; kappa = 9"),
        Mistake("t_exact", T_EXACT - 1, "rounded down: (8/9)^117 > 1e-6; round up"),
        Mistake("t_simple", _T_LOG10, "used log10; the bound uses the natural logarithm"),
    ),
    wrong=(
        WrongAnswers(
            {
                "beta": 3.0,
                "mu": 1.0,
                "kappa": 3.0,
                "t_exact": _T_WRONG_KAPPA,
                "t_simple": math.ceil(3 * math.log(1e6)),
            },
            "singular values instead of eigenvalues of X^T X",
            answer("kappa"),
            "kappa_2(X)^2",
        ),
        WrongAnswers(
            {"beta": BETA, "mu": MU, "kappa": KAPPA, "t_exact": T_EXACT - 1, "t_simple": T_SIMPLE},
            "rounds down",
            answer("t_exact"),
            "round up",
        ),
        WrongAnswers(
            {"beta": BETA, "mu": MU, "kappa": KAPPA, "t_exact": T_EXACT, "t_simple": _T_LOG10},
            "log10",
            answer("t_simple"),
            "natural logarithm",
        ),
    ),
)
