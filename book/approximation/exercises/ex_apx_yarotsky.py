r"""Exercise ``ex-apx-yarotsky``: Yarotsky's approximation of the square."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def _saw(x, s):
    u = x * np.asarray(2.0 ** (s - 1), dtype=x.dtype)
    return 1 - np.abs(2 * (u - np.floor(u)) - 1)


def square_approximation(x, m):
    r"""$f_m(x) = x - \sum_{s=1}^m\Delta^s(x)/4^s$ (Proposition prop-apx-square), with
    $\Delta^s(x) = \Delta(\{2^{s-1}x\})$ (Proposition prop-apx-sawtooth)."""
    out = x.copy()
    for s in range(1, int(m) + 1):
        out = out - _saw(x, s) / np.asarray(4.0**s, dtype=x.dtype)
    return out


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m = draw(st.integers(0, 8))
    n = draw(st.integers(1, 12))
    k = draw(st.integers(0, 6))
    pts = [draw(st.floats(0, 1)) for _ in range(n)]
    pts += [(2 * j + 1) / 2 ** (k + 1) for j in range(min(2**k, 4))]  # dyadic midpoints
    return {"x": np.array(pts, dtype=dtype), "m": np.int64(m)}


def _halves(x, m):
    out = x.copy()
    for s in range(1, int(m) + 1):
        out = out - _saw(x, s) / np.asarray(2.0**s, dtype=x.dtype)
    return out


def _one_short(x, m):
    out = x.copy()
    for s in range(1, int(m)):
        out = out - _saw(x, s) / np.asarray(4.0**s, dtype=x.dtype)
    return out


def _plus(x, m):
    out = x.copy()
    for s in range(1, int(m) + 1):
        out = out + _saw(x, s) / np.asarray(4.0**s, dtype=x.dtype)
    return out


def _scaled_tent(x, m):
    out = x.copy()
    for s in range(1, int(m) + 1):
        u = np.clip(2.0 ** (s - 1) * x, 0, 1)
        out = out - (1 - np.abs(2 * u - 1)).astype(x.dtype) / np.asarray(4.0**s, dtype=x.dtype)
    return out


EXERCISE = Implement(
    id="ex-apx-yarotsky",
    title="Yarotsky's approximation of the square",
    function="square_approximation",
    parameters=("x", "m"),
    docstring=r"""f_m(x) = x - sum_{s=1}^m Delta^s(x) / 4^s on [0, 1] (Proposition prop-apx-square),
where Delta(u) = 1 - |2u - 1| and Delta^s is its s-fold composition (the sawtooth with 2^s pieces,
Proposition prop-apx-sawtooth). f_0(x) = x.

Arguments:
    x: shape (n,), entries in [0, 1], float32 or float64.
    m: int64 scalar, 0 <= m <= 8.

Returns:
    f_m(x), shape (n,), the dtype of x.
""",
    reference=square_approximation,
    arguments=_arguments(),
    outputs=("f",),
    tolerances={"float64": Tolerance(1e-12, 1e-13), "float32": Tolerance(1e-5, 1e-6)},
    hint=r"""Delta^s(x) = Delta(frac(2^(s-1) x)): the s-th sawtooth repeats the tent 2^(s-1)
times. Check your function on the grid j / 2^m: there f_m(x) = x^2 exactly.""",
    properties=(
        Property(
            "f_m >= x^2",
            "f_m interpolates the convex x^2, so it lies above it (up to rounding)",
            lambda kw, f: (np.minimum(f - kw["x"] * kw["x"], 0), np.zeros_like(f)),
        ),
    ),
    diagnoses=(
        Diagnosis("f", lambda kw: _halves(**kw), "the weights are 4^-s, not 2^-s"),
        Diagnosis("f", lambda kw: _one_short(**kw), "the sum runs over s = 1, ..., m (m terms)"),
        Diagnosis("f", lambda kw: _plus(**kw), "the sawtooths are subtracted from x, not added"),
    ),
    wrong=(
        Wrong(_halves, "weights 2^-s", values(0), "4^-s"),
        Wrong(_one_short, "m - 1 terms", values(0), "m terms"),
        Wrong(_plus, "adds the sawtooths", values(0), "subtracted"),
        Wrong(_scaled_tent, "Delta(2^(s-1) x) without the fractional part", values(0), ""),
    ),
)
