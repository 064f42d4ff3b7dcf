r"""Exercise ``ex-opt-pl-constant`` (computation): the PL constant of rank-deficient least squares."""

import numpy as np

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

X = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
_eig = np.linalg.eigvalsh(X.T @ X)  # 0, 4, 4
MU = float(min(e for e in _eig if e > 1e-9))  # smallest positive eigenvalue: 4
L = float(_eig.max())  # 4
STRONGLY_CONVEX = 0  # lambda_min(X^T X) = 0

EXERCISE = Compute(
    id="ex-opt-pl-constant",
    title="The PL constant of a rank-deficient least-squares problem",
    answers=(
        Answer("mu", MU, "the best PL constant of f(w) = ||Xw - y||^2 / 2", Tolerance(1e-9, 1e-9)),
        Answer("L", L, "the smoothness constant of f", Tolerance(1e-9, 1e-9)),
        Answer("strongly_convex", STRONGLY_CONVEX, "1 if f is strongly convex, else 0"),
    ),
    hint=r"""grad f(w) = X^T X (w - w_dagger) and f(w) - f* = ||X (w - w_dagger)||^2 / 2: expand
w - w_dagger in the eigenvectors of X^T X (Proposition prop-opt-pl-least-squares). Directions in
the kernel of X change neither side.""",
    solution=r"""X^T X = [[2, 2, 0], [2, 2, 0], [0, 0, 4]] has eigenvalues 4, 4, 0. The best PL constant
is the smallest positive eigenvalue, mu = 4; L = lambda_max = 4; lambda_min = 0, so f is not
strongly convex, but it is PL.""",
    mistakes=(
        Mistake(
            "mu",
            0.0,
            "0 is lambda_min(X^T X); the PL constant is the smallest positive "
            "eigenvalue (kernel directions change neither side of the inequality)",
        ),
        Mistake("mu", 2.0, "2 is a diagonal entry of X^T X, not an eigenvalue"),
        Mistake("strongly_convex", 1, "lambda_min(X^T X) = 0: f is not strongly convex"),
    ),
    wrong=(
        WrongAnswers(
            {"mu": 0.0, "L": L, "strongly_convex": 0},
            "uses lambda_min",
            answer("mu"),
            "smallest positive",
        ),
        WrongAnswers(
            {"mu": MU, "L": L, "strongly_convex": 1},
            "says strongly convex",
            answer("strongly_convex"),
            "not strongly convex",
        ),
        WrongAnswers(
            {"mu": 2.0, "L": L, "strongly_convex": 0},
            "a diagonal entry",
            answer("mu"),
            "not an eigenvalue",
        ),
    ),
)
