r"""Exercise ``ex-apx-interpolant``: the output weights of the ReLU interpolant."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def interpolant_coefficients(t, y):
    r"""$c_0 = s_1$, $c_j = s_{j+1} - s_j$ with $s_j = (y_j - y_{j-1})/(t_j - t_{j-1})$
    (Theorem thm-apx-interpolation): $I(x) = y_0 + \sum_{j<N}c_j\operatorname{ReLU}(x - t_j)$."""
    s = np.diff(y) / np.diff(t)
    return np.concatenate([s[:1], np.diff(s)])


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    N = draw(st.integers(1, 8))
    offset = draw(st.sampled_from([0.0, 0.0, 1e3, -1e3]))
    gaps = np.array(draw(st.lists(st.floats(0.05, 3.0), min_size=N, max_size=N)))
    t = offset + np.concatenate([[0.0], np.cumsum(gaps)])
    y = np.array(draw(st.lists(st.floats(-5, 5), min_size=N + 1, max_size=N + 1)))
    return {"t": t.astype(dtype), "y": y.astype(dtype)}


def _slopes(t, y):
    return np.diff(y) / np.diff(t)


def _reversed(t, y):
    s = np.diff(y) / np.diff(t)
    return np.concatenate([s[:1], -np.diff(s)])


def _unit_spacing(t, y):
    s = np.diff(y)
    return np.concatenate([s[:1], np.diff(s)])


def _no_first(t, y):
    s = np.diff(y) / np.diff(t)
    return np.concatenate([[0 * s[0]], np.diff(s)])


EXERCISE = Implement(
    id="ex-apx-interpolant",
    title="The output weights of the ReLU interpolant",
    function="interpolant_coefficients",
    parameters=("t", "y"),
    docstring=r"""Output weights c of the ReLU network
I(x) = y_0 + sum_{j=0}^{N-1} c_j ReLU(x - t_j) that interpolates (t_j, y_j), j = 0..N, linearly
(Theorem thm-apx-interpolation).

Arguments:
    t: knots t_0 < t_1 < ... < t_N, shape (N + 1,), N >= 1, float32 or float64 (spacings are
        not equal in general).
    y: values, shape (N + 1,), the dtype of t.

Returns:
    c, shape (N,), the dtype of t.
""",
    reference=interpolant_coefficients,
    arguments=_arguments(),
    outputs=("c",),
    tolerances={"float64": Tolerance(1e-9, 1e-9), "float32": Tolerance(2e-3, 2e-3)},
    hint=r"""On [t_{j-1}, t_j] the network has slope c_0 + ... + c_{j-1}; it must equal the slope
s_j of the interpolant there. So c_0 = s_1 and each later c_j is the change of slope at t_j.""",
    diagnoses=(
        Diagnosis(
            "c",
            lambda kw: _slopes(**kw)[: len(kw["t"]) - 1],
            "these are the slopes s_j: c_j must be their changes s_{j+1} - s_j (and c_0 = s_1)",
        ),
        Diagnosis(
            "c",
            lambda kw: _reversed(**kw),
            "the changes of slope have the wrong sign: c_j = s_{j+1} - s_j",
        ),
        Diagnosis(
            "c",
            lambda kw: _unit_spacing(**kw),
            "differences of values are not slopes: divide by the spacings t_j - t_{j-1}",
        ),
    ),
    wrong=(
        Wrong(_slopes, "returns the slopes", values(0), "slopes"),
        Wrong(_reversed, "s_j - s_{j+1}", values(0), "sign"),
        Wrong(_unit_spacing, "assumes unit spacing", values(0), "spacings"),
        Wrong(_no_first, "forgets c_0 = s_1", values(0), "differs"),
    ),
)
