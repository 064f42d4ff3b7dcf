r"""Exercise ``ex-pre-hoeffding-n`` (computation): sample sizes from Hoeffding's inequality."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer


def _n(width: float, epsilon: float, delta: float, sides: int = 2) -> int:
    """Least n with sides * exp(-2 n epsilon^2 / width^2) <= delta."""
    n = math.ceil(width**2 * math.log(sides / delta) / (2 * epsilon**2))
    while n > 1 and sides * math.exp(-2 * (n - 1) * epsilon**2 / width**2) <= delta:
        n -= 1
    while sides * math.exp(-2 * n * epsilon**2 / width**2) > delta:
        n += 1
    return n


N_PROB = _n(1.0, 0.01, 0.05)  # 18 445
N_ONE_SIDED = _n(1.0, 0.01, 0.05, 1)  # 14 979
N_PM1 = _n(2.0, 0.01, 0.05)  # 73 778

EXERCISE = Compute(
    id="ex-pre-hoeffding-n",
    title="How many samples does Hoeffding's inequality ask for?",
    answers=(
        Answer(
            "n_prob",
            N_PROB,
            "least n with P(|mean - mu| >= 0.01) <= 0.05 by Corollary "
            "cor-hoeffding-sample-size, variables in [0, 1]",
        ),
        Answer(
            "n_one_sided",
            N_ONE_SIDED,
            "least n with P(mean - mu >= 0.01) <= 0.05 by the "
            "one-sided bound of Theorem thm-hoeffding-inequality, variables in [0, 1]",
        ),
        Answer("n_pm1", N_PM1, "as n_prob, for variables in [-1, 1]"),
    ),
    hint=r"""Solve 2 exp(-2 n eps^2 / (b - a)^2) <= delta for n and round up:
n >= (b - a)^2 log(2 / delta) / (2 eps^2). One-sided: no factor 2 inside the logarithm.""",
    solution=r"""n_prob = ceil(log(40) / (2 * 1e-4)) = ceil(18 444.4) = 18 445.
n_one_sided = ceil(log(20) / (2 * 1e-4)) = ceil(14 978.7) = 14 979.
n_pm1: (b - a)^2 = 4, so n = ceil(4 * 18 444.4) = ceil(73 777.6) = 73 778.""",
    mistakes=(
        Mistake(
            "n_prob",
            N_ONE_SIDED,
            "got the one-sided sample size: the two-sided bound has a factor 2, log(2/delta)",
        ),
        Mistake(
            "n_pm1", _n(2.0**0.5, 0.01, 0.05), "got (b - a) instead of (b - a)^2 = 4 in the bound"
        ),
        Mistake("n_prob", N_PROB - 1, "rounded down: n must be at least the bound, round up"),
    ),
    wrong=(
        WrongAnswers(
            {"n_prob": N_ONE_SIDED, "n_one_sided": N_ONE_SIDED, "n_pm1": N_PM1},
            "one-sided bound for the two-sided question",
            answer("n_prob"),
            "factor 2",
        ),
        WrongAnswers(
            {"n_prob": N_PROB, "n_one_sided": N_ONE_SIDED, "n_pm1": _n(2.0**0.5, 0.01, 0.05)},
            "(b - a) not squared",
            answer("n_pm1"),
            "(b - a)^2",
        ),
        WrongAnswers(
            {"n_prob": N_PROB - 1, "n_one_sided": N_ONE_SIDED, "n_pm1": N_PM1},
            "rounds down",
            answer("n_prob"),
            "round up",
        ),
    ),
)
