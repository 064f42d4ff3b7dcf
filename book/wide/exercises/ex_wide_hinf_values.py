r"""Exercise ``ex-wide-hinf-values`` (computation): H^infinity of three points in the plane."""

import math

import numpy as np

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

H12 = 0.5 * (math.pi - math.pi / 3) / (2 * math.pi)  # 1/6
H23 = math.sqrt(3) / 2 * (math.pi - math.pi / 6) / (2 * math.pi)  # 5 sqrt(3) / 24
H13 = 0.0
LAMBDA0 = float(
    np.linalg.eigvalsh(np.array([[0.5, H12, H13], [H12, 0.5, H23], [H13, H23, 0.5]]))[0]
)
_THETA_12 = 0.5 * (math.pi / 3) / (2 * math.pi)  # theta instead of pi - theta: 1/12
_NO_IP_12 = (math.pi - math.pi / 3) / (2 * math.pi)  # without x_1^T x_2: 1/3
_GERSHGORIN = 0.5 - (H12 + H23)  # a lower bound, not the eigenvalue
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-wide-hinf-values",
    title="H^infinity by hand",
    answers=(
        Answer("h12", H12, "H^inf_12", _TOL),
        Answer("h23", H23, "H^inf_23", _TOL),
        Answer("h13", H13, "H^inf_13", _TOL),
        Answer("lambda0", LAMBDA0, "the smallest eigenvalue of H^inf", Tolerance(1e-6, 1e-9)),
    ),
    hint=r"""H^inf_ij = x_i^T x_j (pi - theta_ij) / (2 pi) and H^inf_ii = ||x_i||^2 / 2. The matrix is
tridiagonal with constant diagonal 1/2: its eigenvalues are 1/2 and 1/2 +- sqrt(H12^2 + H23^2).""",
    solution=r"""h12 = (1/2)(1/3) = 1/6; h23 = (sqrt(3)/2)(5/12) = 5 sqrt(3)/24 = 0.3608; h13 = 0
(orthogonal inputs); lambda0 = 1/2 - sqrt(1/36 + 75/576) = 0.1025.""",
    mistakes=(
        Mistake(
            "h12",
            _THETA_12,
            "used theta instead of pi - theta: the probability that both "
            "half-spaces contain w is (pi - theta) / (2 pi)",
        ),
        Mistake("h12", _NO_IP_12, "forgot the factor x_1^T x_2 = 1/2"),
        Mistake(
            "lambda0",
            _GERSHGORIN,
            "Gershgorin's lower bound 1/2 - (h12 + h23) is not the "
            "eigenvalue 1/2 - sqrt(h12^2 + h23^2)",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"h12": _THETA_12, "h23": H23, "h13": H13, "lambda0": LAMBDA0},
            "theta for pi - theta",
            answer("h12"),
            "pi - theta",
        ),
        WrongAnswers(
            {"h12": _NO_IP_12, "h23": H23, "h13": H13, "lambda0": LAMBDA0},
            "no inner product",
            answer("h12"),
            "x_1^T x_2",
        ),
        WrongAnswers(
            {"h12": H12, "h23": H23, "h13": H13, "lambda0": _GERSHGORIN},
            "Gershgorin",
            answer("lambda0"),
            "Gershgorin",
        ),
    ),
)
