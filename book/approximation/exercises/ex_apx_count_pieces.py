r"""Exercise ``ex-apx-count-pieces``: the number of affine pieces of piecewise linear functions."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, Diagnosis, Implement, Tolerance, Wrong, values


def count_pieces(x, Y):
    r"""$\pi$ of each row (Definition def-apx-pieces): $1 + \#\{k : s_k\ne s_{k+1}\}$ with $s_k$ the
    slope on $[x_{k-1}, x_k]$; equal slopes are compared exactly, as cross products
    $\Delta y_k\,\Delta x_{k+1} = \Delta y_{k+1}\,\Delta x_k$ of integers."""
    dx = np.diff(x)
    dY = np.diff(Y, axis=1)
    change = dY[:, :-1] * dx[1:] != dY[:, 1:] * dx[:-1]
    return (1 + np.count_nonzero(change, axis=1)).astype(np.int64)


@st.composite
def _arguments(draw):
    K = draw(st.integers(2, 9))
    steps = draw(st.lists(st.integers(1, 4), min_size=K - 1, max_size=K - 1))
    x = np.concatenate([[0], np.cumsum(steps)]).astype(np.float64)
    M = draw(st.integers(1, 4))
    rows = []
    for _ in range(M):
        slopes = draw(st.lists(st.integers(-3, 3), min_size=K - 1, max_size=K - 1))
        if draw(st.booleans()):  # long runs of equal slopes
            slopes = sorted(slopes)
        y0 = draw(st.sampled_from([0, 7, -4, 10**6]))
        rows.append(y0 + np.concatenate([[0], np.cumsum(np.array(slopes) * np.array(steps))]))
    return {"x": x, "Y": np.array(rows, dtype=np.float64)}


def _intervals(x, Y):
    return np.full(Y.shape[0], x.size - 1, dtype=np.int64)


def _no_plus_one(x, Y):
    dx = np.diff(x)
    dY = np.diff(Y, axis=1)
    change = dY[:, :-1] * dx[1:] != dY[:, 1:] * dx[:-1]
    return np.count_nonzero(change, axis=1).astype(np.int64)


def _differences(x, Y):
    dY = np.diff(Y, axis=1)
    return (1 + np.count_nonzero(dY[:, 1:] != dY[:, :-1], axis=1)).astype(np.int64)


def _float_count(x, Y):
    dx = np.diff(x)
    dY = np.diff(Y, axis=1)
    change = dY[:, :-1] * dx[1:] != dY[:, 1:] * dx[:-1]
    return 1.0 + np.count_nonzero(change, axis=1)


EXERCISE = Implement(
    id="ex-apx-count-pieces",
    title="Counting affine pieces",
    function="count_pieces",
    parameters=("x", "Y"),
    docstring=r"""The number of affine pieces (Definition def-apx-pieces) of each of M continuous
piecewise linear functions given by their values at common nodes, linear in between.

Arguments:
    x: nodes x_0 < ... < x_{K-1}, shape (K,), K >= 2, float64 with integer values (spacings differ).
    Y: values, shape (M, K), float64 with integer values: row i holds g_i(x_0), ..., g_i(x_{K-1}).

Returns:
    pieces, shape (M,), int64.
""",
    reference=count_pieces,
    arguments=_arguments(),
    outputs=("pieces",),
    max_examples=50,
    tolerances={"float64": Tolerance(0.0, 0.0), "int64": Tolerance(0.0, 0.0)},
    hint=r"""A new piece starts at x_k exactly when the slope changes there. With integer data,
compare slopes without dividing: s_k = s_{k+1} iff dy_k * dx_{k+1} == dy_{k+1} * dx_k.""",
    diagnoses=(
        Diagnosis(
            "pieces",
            lambda kw: _intervals(**kw),
            "this counts the intervals between nodes: neighbours with equal slopes form one piece",
        ),
        Diagnosis(
            "pieces",
            lambda kw: count_pieces(**kw) - 1,
            "this counts the changes of slope: a function with c changes has c + 1 pieces",
        ),
        Diagnosis(
            "pieces",
            lambda kw: _differences(**kw),
            "equal differences of values are equal slopes only for equal spacings",
        ),
    ),
    wrong=(
        Wrong(_intervals, "counts intervals", values(0), "intervals"),
        Wrong(_no_plus_one, "counts slope changes", values(0), "c + 1"),
        Wrong(_differences, "compares differences of values", values(0), "spacings"),
        Wrong(_float_count, "returns floats", DTYPE, "int64"),
    ),
)
