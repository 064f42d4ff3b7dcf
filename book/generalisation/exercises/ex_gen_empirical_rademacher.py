r"""Exercise ``ex-gen-empirical-rademacher``: Rademacher complexities of finite sets, exactly."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import float_arrays


def rademacher_complexity(A):
    r"""$\mathfrak R(A_m) = 2^{-n}\sum_{\varepsilon\in\{-1,1\}^n}\max_k\langle\varepsilon, A_{mk}\rangle/n$
    for each set $A_m$ of the batch (Definition def-gen-rademacher)."""
    M, N, n = A.shape
    k = np.arange(2**n)[:, None]
    E = 2.0 * ((k >> np.arange(n)[None, :]) & 1) - 1.0  # (2^n, n)
    vals = np.einsum("en,mkn->mek", E, A)  # (M, 2^n, N)
    return np.mean(np.max(vals, axis=2), axis=1) / n


@st.composite
def _arguments(draw):
    M, N, n = draw(st.integers(1, 3)), draw(st.integers(1, 5)), draw(st.integers(1, 7))
    A = draw(float_arrays(np.float64, (M, N, n), bound=5.0))
    mode = draw(st.sampled_from(("random", "offset", "single")))
    if mode == "offset":  # far from the origin: the complexity does not see translations
        A = A + draw(st.sampled_from([100.0, -250.0]))
    if mode == "single":
        A = A[:, :1, :]
    return {"A": A}


def _no_mean(A):
    M, N, n = A.shape
    k = np.arange(2**n)[:, None]
    E = 2.0 * ((k >> np.arange(n)[None, :]) & 1) - 1.0
    return np.mean(np.max(np.einsum("en,mkn->mek", E, A), axis=2), axis=1)


def _absolute(A):
    M, N, n = A.shape
    k = np.arange(2**n)[:, None]
    E = 2.0 * ((k >> np.arange(n)[None, :]) & 1) - 1.0
    return np.mean(np.max(np.abs(np.einsum("en,mkn->mek", E, A)), axis=2), axis=1) / n


def _max_of_mean(A):
    M, N, n = A.shape
    k = np.arange(2**n)[:, None]
    E = 2.0 * ((k >> np.arange(n)[None, :]) & 1) - 1.0
    return np.max(np.mean(np.einsum("en,mkn->mek", E, A), axis=1), axis=1) / n


def _monte_carlo(A):
    M, N, n = A.shape
    E = np.random.default_rng(0).choice([-1.0, 1.0], (200, n))
    return np.mean(np.max(np.einsum("en,mkn->mek", E, A), axis=2), axis=1) / n


EXERCISE = Implement(
    id="ex-gen-empirical-rademacher",
    title="Rademacher complexities of finite sets",
    function="rademacher_complexity",
    parameters=("A",),
    docstring=r"""The Rademacher complexity R(A_m) = E max_k <eps, A[m, k]> / n of each of M finite sets
(Definition def-gen-rademacher), exactly: average over all 2^n sign vectors eps in {-1, 1}^n.

Arguments:
    A: shape (M, N, n), float64: A[m] holds the N points (rows) of the m-th set in R^n, n <= 7.

Returns:
    shape (M,), float64.
""",
    reference=rademacher_complexity,
    arguments=_arguments(),
    outputs=("R",),
    tolerances={"float64": Tolerance(1e-10, 1e-12)},
    hint=r"""Build the 2^n x n matrix of all sign vectors, compute every <eps, a> at once, take the
maximum over the points of each set, then the mean over the sign vectors, and divide by n.""",
    properties=(
        Property(
            "R >= 0",
            "a Rademacher complexity is non-negative",
            lambda kw, R: (np.minimum(R, 0), np.zeros_like(R)),
        ),
    ),
    diagnoses=(
        Diagnosis("R", lambda kw: _no_mean(**kw), "the definition divides by n"),
        Diagnosis(
            "R",
            lambda kw: _absolute(**kw),
            "no absolute value: E max <eps, a>, not E max |<eps, a>|",
        ),
        Diagnosis(
            "R",
            lambda kw: _max_of_mean(**kw),
            "the maximum is inside the expectation: E max, not max E (which is 0)",
        ),
    ),
    wrong=(
        Wrong(_no_mean, "forgets 1/n", values(0), "divides by n"),
        Wrong(_absolute, "absolute values", values(0), "absolute value"),
        Wrong(_max_of_mean, "max of the mean", values(0), "inside the expectation"),
        Wrong(_monte_carlo, "Monte Carlo instead of exact", values(0), ""),
    ),
)
