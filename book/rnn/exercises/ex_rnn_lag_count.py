r"""Exercise ``ex-rnn-lag-count`` (computation): how many steps until the vanishing bound is small."""

import math

import numpy as np

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer


def _least_lag(gamma: float, eps: float) -> int:
    """The least k in N with gamma^k < eps (0 < gamma < 1)."""
    k = math.floor(math.log(eps) / math.log(gamma)) + 1
    while gamma ** (k - 1) < eps:  # guard against rounding in the logarithms
        k -= 1
    return k


LAG_A = _least_lag(0.9, 1e-3)  # 66
GAMMA_B = 0.25 * 3.0  # kappa = 1/4 for the sigmoid
LAG_B = _least_lag(GAMMA_B, 1e-3)  # 25
RHO_C = float(np.max(np.abs(np.linalg.eigvals(np.array([[0.9, 3.0], [0.0, 0.8]])))))  # 0.9

EXERCISE = Compute(
    id="ex-rnn-lag-count",
    title="How far back does the gradient reach?",
    answers=(
        Answer("lag_a", LAG_A, "(a) the least k with 0.9^k < 1e-3"),
        Answer(
            "gamma_b",
            GAMMA_B,
            "(b) gamma = kappa ||W|| for the sigmoid and ||W|| = 3",
            Tolerance(1e-9, 1e-12),
        ),
        Answer("lag_b", LAG_B, "(b) the least k with gamma^k < 1e-3"),
        Answer(
            "rho_c",
            RHO_C,
            "(c) the spectral radius of [[0.9, 3], [0, 0.8]]",
            Tolerance(1e-9, 1e-12),
        ),
    ),
    hint=r"""gamma^k < eps iff k > log(eps) / log(gamma) (both logarithms are negative). The sigmoid's
derivative is at most 1/4 (Theorem thm-rnn-vanishing). A triangular matrix has its diagonal
entries as eigenvalues.""",
    solution=r"""(a) log(1e-3)/log(0.9) = 65.56, so k = 66.
(b) kappa = 1/4, gamma = 3/4; log(1e-3)/log(0.75) = 24.01, so k = 25 (0.75^24 = 1.004e-3).
(c) The eigenvalues are 0.9 and 0.8, so rho(W) = 0.9 (while ||W||_op is about 3.22).""",
    mistakes=(
        Mistake("lag_a", LAG_A - 1, "got floor(log(eps)/log(gamma)): then gamma^k is still >= eps"),
        Mistake("gamma_b", 3.0, "forgot kappa: the sigmoid's derivative is at most 1/4"),
        Mistake(
            "rho_c",
            float(np.linalg.norm(np.array([[0.9, 3.0], [0.0, 0.8]]), 2)),
            "this is the operator norm; the spectral radius is the largest |eigenvalue|",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"lag_a": LAG_A - 1, "gamma_b": GAMMA_B, "lag_b": LAG_B, "rho_c": RHO_C},
            "rounds down",
            answer("lag_a"),
            "floor",
        ),
        WrongAnswers(
            {"lag_a": LAG_A, "gamma_b": 3.0, "lag_b": LAG_B, "rho_c": RHO_C},
            "forgets kappa",
            answer("gamma_b"),
            "1/4",
        ),
        WrongAnswers(
            {
                "lag_a": LAG_A,
                "gamma_b": GAMMA_B,
                "lag_b": LAG_B,
                "rho_c": float(np.linalg.norm(np.array([[0.9, 3.0], [0.0, 0.8]]), 2)),
            },
            "operator norm instead of spectral radius",
            answer("rho_c"),
            "eigenvalue",
        ),
    ),
)
