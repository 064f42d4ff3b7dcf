r"""Exercise ``ex-gen-min-norm-risk``: the double descent curve, exactly."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values


def min_norm_risk(n, p, sigma2, beta_norm2):
    r"""$\sigma^2p/(n - p - 1)$ for $p\le n - 2$ and $\|\beta\|^2(1 - n/p) + \sigma^2n/(p - n - 1)$
    for $p\ge n + 2$ (Theorem thm-gen-double-descent), elementwise."""
    n = n.astype(np.float64)
    p = p.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = sigma2 * p / (n - p - 1)
        high = beta_norm2 * (1 - n / p) + sigma2 * n / (p - n - 1)
    return np.where(p < n, low, high)


@st.composite
def _arguments(draw):
    m = draw(st.integers(1, 8))
    n = draw(st.lists(st.integers(3, 200), min_size=m, max_size=m))
    p = [draw(st.integers(1, 3 * k).filter(lambda q, k=k: abs(q - k) >= 2)) for k in n]
    if draw(st.booleans()):  # next to the threshold, where the risk is largest
        p[0] = n[0] + draw(st.sampled_from([-2, 2]))
    s2 = draw(st.lists(st.floats(0.01, 4.0), min_size=m, max_size=m))
    b2 = draw(st.lists(st.floats(0.0, 4.0), min_size=m, max_size=m))
    return {
        "n": np.array(n, dtype=np.int64),
        "p": np.array(p, dtype=np.int64),
        "sigma2": np.array(s2),
        "beta_norm2": np.array(b2),
    }


def _no_minus_one(n, p, sigma2, beta_norm2):
    n, p = n.astype(float), p.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = sigma2 * p / (n - p)
        high = beta_norm2 * (1 - n / p) + sigma2 * n / (p - n)
    return np.where(p < n, low, high)


def _no_bias(n, p, sigma2, beta_norm2):
    n, p = n.astype(float), p.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = sigma2 * p / (n - p - 1)
        high = sigma2 * n / (p - n - 1)
    return np.where(p < n, low, high)


def _numerators_swapped(n, p, sigma2, beta_norm2):
    n, p = n.astype(float), p.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = sigma2 * n / (n - p - 1)
        high = beta_norm2 * (1 - n / p) + sigma2 * p / (p - n - 1)
    return np.where(p < n, low, high)


EXERCISE = Implement(
    id="ex-gen-min-norm-risk",
    title="The exact risk of minimum-norm least squares",
    function="min_norm_risk",
    parameters=("n", "p", "sigma2", "beta_norm2"),
    docstring=r"""E ||w_hat - beta||^2 for minimum-norm least squares with n Gaussian samples in dimension p
(Theorem thm-gen-double-descent), elementwise: sigma2 p / (n - p - 1) for p <= n - 2 and
beta_norm2 (1 - n/p) + sigma2 n / (p - n - 1) for p >= n + 2 (the inputs never have |p - n| <= 1,
where the risk is infinite).

Arguments:
    n, p: shape (m,), int64, n >= 3, p >= 1, |p - n| >= 2.
    sigma2, beta_norm2: shape (m,), float64, sigma2 > 0, beta_norm2 >= 0.

Returns:
    shape (m,), float64.
""",
    reference=min_norm_risk,
    arguments=_arguments(),
    outputs=("risk",),
    max_examples=50,
    tolerances={"float64": Tolerance(1e-12, 1e-14)},
    hint=r"""Use np.where on the two regimes; compute both formulas with floats (np.errstate to
silence the divisions you then discard).""",
    diagnoses=(
        Diagnosis(
            "risk",
            lambda kw: _no_minus_one(**kw),
            "inverse Wishart means have the denominator n - p - 1 (resp. p - n - 1); "
            "without the -1 this is the limit as n, p -> infinity with p/n fixed",
        ),
        Diagnosis(
            "risk",
            lambda kw: _no_bias(**kw),
            "above the threshold the projection misses part of beta: ||beta||^2 (1 - n/p)",
        ),
    ),
    wrong=(
        Wrong(_no_minus_one, "denominators without the -1", values(0), "n - p - 1"),
        Wrong(_no_bias, "forgets the bias term", values(0), "1 - n/p"),
        Wrong(_numerators_swapped, "n and p swapped in the numerators", values(0), ""),
    ),
)
