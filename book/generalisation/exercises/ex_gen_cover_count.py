r"""Exercise ``ex-gen-cover-count``: Cover's count of linear dichotomies."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, Diagnosis, Implement, Tolerance, Wrong, values


def cover_count(n, d):
    r"""$C(n, d) = 2\sum_{k=0}^{d-1}\binom{n-1}k$ elementwise (Theorem thm-gen-cover), in exact
    integer arithmetic."""
    import math

    out = [2 * sum(math.comb(int(a) - 1, k) for k in range(int(b))) for a, b in zip(n, d)]
    return np.array(out, dtype=np.int64)


@st.composite
def _arguments(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.lists(st.integers(1, 60), min_size=m, max_size=m))
    d = draw(st.lists(st.integers(1, 20), min_size=m, max_size=m))
    return {"n": np.array(n, dtype=np.int64), "d": np.array(d, dtype=np.int64)}


def _binom_n(n, d):
    import math

    out = [2 * sum(math.comb(int(a), k) for k in range(int(b))) for a, b in zip(n, d)]
    return np.array(out, dtype=np.int64)


def _to_d(n, d):
    import math

    out = [2 * sum(math.comb(int(a) - 1, k) for k in range(int(b) + 1)) for a, b in zip(n, d)]
    return np.array(out, dtype=np.int64)


def _no_two(n, d):
    import math

    out = [sum(math.comb(int(a) - 1, k) for k in range(int(b))) for a, b in zip(n, d)]
    return np.array(out, dtype=np.int64)


def _floats(n, d):
    from scipy.special import comb

    out = [2 * sum(comb(int(a) - 1, k) for k in range(int(b))) for a, b in zip(n, d)]
    return np.array(out, dtype=np.float64)


EXERCISE = Implement(
    id="ex-gen-cover-count",
    title="Cover's count of linear dichotomies",
    function="cover_count",
    parameters=("n", "d"),
    docstring=r"""The number C(n, d) = 2 sum_{k=0}^{d-1} binom(n - 1, k) of labellings of n points in general
position in R^d realised by homogeneous halfspaces (Theorem thm-gen-cover), elementwise. Use exact
integers: the values reach C(60, 20), about 5.0e15 or 2^52.1, where floating-point binomials
are rounded.

Arguments:
    n: shape (m,), int64, 1 <= n <= 60.
    d: shape (m,), int64, 1 <= d <= 20.

Returns:
    shape (m,), int64.
""",
    reference=cover_count,
    arguments=_arguments(),
    outputs=("count",),
    tolerances={"int64": Tolerance(0.0, 0.0), "float64": Tolerance(0.0, 0.0)},
    hint=r"""math.comb gives exact binomial coefficients (and 0 when k exceeds n - 1). Check small
cases: one point gives 2 labellings; n <= d points give all 2^n.""",
    diagnoses=(
        Diagnosis(
            "count", lambda kw: _binom_n(**kw), "the binomial coefficients are binom(n - 1, k)"
        ),
        Diagnosis("count", lambda kw: _to_d(**kw), "the sum stops at k = d - 1"),
        Diagnosis("count", lambda kw: _no_two(**kw), "the count has the factor 2 (w and -w)"),
    ),
    wrong=(
        Wrong(_binom_n, "binom(n, k)", values(0), "binom(n - 1, k)"),
        Wrong(_to_d, "sum up to d", values(0), "d - 1"),
        Wrong(_no_two, "forgets the factor 2", values(0), "factor 2"),
        Wrong(_floats, "floating point", DTYPE, "int64"),
    ),
)
