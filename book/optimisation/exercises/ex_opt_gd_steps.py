r"""Exercise ``ex-opt-gd-steps`` (computation): the number of steps the PL bound promises."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

L, MU, GAP0, EPS = 10.0, 0.1, 100.0, 1e-6


def _least_k(q: float) -> int:
    """The least k with q^k GAP0 <= EPS."""
    k = math.ceil(math.log(EPS / GAP0) / math.log(q))
    while k > 0 and q ** (k - 1) * GAP0 <= EPS:  # guard against rounding in the logarithms
        k -= 1
    return k


Q1 = 1 - MU / L  # eta = 1/L
Q05 = 1 - 2 * MU * (0.5 / L) * (1 - L * (0.5 / L) / 2)  # eta = 0.5/L
K1, K05 = _least_k(Q1), _least_k(Q05)  # 1833, 2447
SHORTCUT = math.ceil(L / MU * math.log(GAP0 / EPS))  # 1843: sufficient, not least

EXERCISE = Compute(
    id="ex-opt-gd-steps",
    title="How many steps does the PL bound promise?",
    answers=(
        Answer("k_eta1", K1, "the least k with (1 - mu/L)^k (f(x0) - f*) <= 1e-6, eta = 1/L"),
        Answer("k_eta05", K05, "the same with eta = 0.5/L and q = 1 - 2 mu eta (1 - L eta / 2)"),
    ),
    hint=r"""Theorem thm-opt-pl-rate: f(x_k) - f* <= q^k (f(x_0) - f*) with
q = 1 - 2 mu eta (1 - L eta / 2). Solve q^k * 100 <= 1e-6 for the least integer k; both logarithms
are negative.""",
    solution=r"""eta = 1/L: q = 0.99, k >= ln(1e-8)/ln(0.99) = 1832.84, so k = 1833.
eta = 0.5/L = 0.05: q = 1 - 2 * 0.1 * 0.05 * 0.75 = 0.9925, k >= 2446.87, so k = 2447.
The shortcut (L/mu) ln(1e8) = 1842.1 (rounded up 1843) is sufficient but not the least.""",
    mistakes=(
        Mistake("k_eta1", K1 - 1, "rounded down: q^k (f(x0) - f*) is still above 1e-6"),
        Mistake("k_eta1", SHORTCUT, "used -ln(1 - mu/L) >= mu/L: a sufficient k, not the least"),
        Mistake("k_eta05", K1, "the factor q depends on eta: q = 1 - 2 mu eta (1 - L eta/2)"),
        Mistake(
            "k_eta05",
            2 * K1,
            "halving the step does not double the count: "
            "q = 1 - 2 mu eta (1 - L eta/2) = 0.9925, not 0.995",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"k_eta1": SHORTCUT, "k_eta05": K05}, "shortcut", answer("k_eta1"), "not the least"
        ),
        WrongAnswers(
            {"k_eta1": K1, "k_eta05": K1},
            "same q for both steps",
            answer("k_eta05"),
            "depends on eta",
        ),
        WrongAnswers(
            {"k_eta1": K1 - 1, "k_eta05": K05}, "rounds down", answer("k_eta1"), "rounded down"
        ),
    ),
)
