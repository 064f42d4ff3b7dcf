r"""Exercise ``ex-learn-empirical-risk``: empirical squared risks of several predictors."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def empirical_squared_risk(F, y):
    r"""$\hat{\mathcal R}_s(f_m) = \frac1n\sum_{i=1}^n(F_{mi} - y_i)^2$ for each row $m$ of $F$
    (Definition def-learn-erm)."""
    D = F - y  # y broadcasts against every row
    return np.mean(D * D, axis=1)


#: Common offsets of predictions and responses: the squared differences are computed exactly from
#: F - y, while expanding (F - y)^2 = F^2 - 2Fy + y^2 loses every digit (u c^2 >> (F - y)^2).
_OFFSETS = {np.dtype("float32"): 1e4, np.dtype("float64"): 1e8}


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    M = draw(st.integers(1, 5))
    n = draw(st.integers(1, 6))
    F = draw(float_arrays(dtype, (M, n), bound=100.0))
    y = draw(float_arrays(dtype, (n,), bound=100.0))
    if draw(st.booleans()):  # a large common offset, differences of order 1
        c = dtype.type(_OFFSETS[np.dtype(dtype)])
        F = (c + np.round(F / 50)).astype(dtype)
        y = (c + np.round(y / 50)).astype(dtype)
    return {"F": F, "y": y}


def _sum(F, y):
    return np.sum((F - y) ** 2, axis=1)


def _half(F, y):
    return 0.5 * np.mean((F - y) ** 2, axis=1)


def _axis0(F, y):
    return np.mean((F - y) ** 2, axis=0)


def _absolute(F, y):
    return np.mean(np.abs(F - y), axis=1)


def _expanded_square(F, y):
    """(F - y)^2 expanded as F^2 - 2 F y + y^2: cancels catastrophically under a common offset."""
    return np.mean(F * F - 2 * F * y + y * y, axis=1)


def _float64(F, y):
    return np.mean((F.astype(np.float64) - y) ** 2, axis=1)


EXERCISE = Implement(
    id="ex-learn-empirical-risk",
    title="Empirical risks of several predictors",
    function="empirical_squared_risk",
    parameters=("F", "y"),
    docstring=r"""Empirical squared risks of M predictors on one sample (Definition def-learn-erm):
risks[m] = (1/n) sum_i (F[m, i] - y[i])^2.

Arguments:
    F: predictions F[m, i] = f_m(x_i), shape (M, n), float32 or float64; predictions and
        responses may share a large common offset.
    y: responses y_i, shape (n,), same dtype.

Returns:
    risks, shape (M,), dtype of F.
""",
    reference=empirical_squared_risk,
    arguments=_arguments(),
    outputs=("risks",),
    tolerances={"float64": Tolerance(1e-10, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""F - y subtracts y from every row (broadcasting). Square, then average over the sample
axis, axis 1: one number per predictor.""",
    diagnoses=(
        Diagnosis(
            "risks",
            lambda kw: _sum(kw["F"], kw["y"]),
            "got the sum of the squared errors; the empirical risk is their mean (divide by n)",
        ),
        Diagnosis(
            "risks",
            lambda kw: _half(kw["F"], kw["y"]),
            "got half the mean: the squared loss of this chapter is (a - y)^2, without 1/2",
        ),
        Diagnosis(
            "risks",
            lambda kw: _absolute(kw["F"], kw["y"]),
            "got the mean absolute error; square the differences",
        ),
    ),
    wrong=(
        Wrong(_sum, "sum instead of mean", values(0), "mean"),
        Wrong(_half, "factor 1/2", values(0), "without 1/2"),
        Wrong(_axis0, "averages over the predictors", OUTPUT_SHAPE, "shape"),
        Wrong(_absolute, "absolute loss", values(0), "square"),
        Wrong(_float64, "converts to float64", DTYPE, "float32"),
        Wrong(_expanded_square, "expands the square", values(0), "differs"),
    ),
)
