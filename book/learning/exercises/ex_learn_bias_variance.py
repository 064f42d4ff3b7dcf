r"""Exercise ``ex-learn-bias-variance``: unbiased Monte Carlo estimates of bias² and variance."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def bias_variance(F, f_star):
    r"""$\hat V_j = \frac1{R-1}\sum_r(F_{rj} - \bar F_j)^2$ and
    $\widehat{\mathrm{bias}^2}_j = (\bar F_j - f^*_j)^2 - \hat V_j/R$
    (Proposition prop-learn-mc-unbiased)."""
    R = F.shape[0]
    F_bar = np.mean(F, axis=0)
    variance = np.sum((F - F_bar) ** 2, axis=0) / (R - 1)
    bias2 = (F_bar - f_star) ** 2 - variance / R
    return bias2, variance


#: Common offsets of the predictions (and of f*): the two-pass variance, from the deviations
#: F - mean(F), is accurate, while the sum-of-squares formula mean(F^2) - mean(F)^2 loses every
#: digit (u c^2 >> var). The bias stays of order 1 so that its own rounding, 2 |mean - f*| u c,
#: is within the tolerance.
_OFFSETS = {np.dtype("float32"): 1e3, np.dtype("float64"): 1e6}


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    R = draw(st.integers(2, 6))
    n = draw(st.integers(1, 5))
    F = draw(float_arrays(dtype, (R, n), bound=10.0))
    f_star = draw(float_arrays(dtype, (n,), bound=10.0))
    if draw(st.booleans()):  # a large common offset
        c = dtype.type(_OFFSETS[np.dtype(dtype)])
        F = (c + F / dtype.type(4)).astype(dtype)
        f_star = (c + f_star / dtype.type(10)).astype(dtype)
    return {"F": F, "f_star": f_star}


def _ddof0(F, f_star):
    v = np.var(F, axis=0)
    return (np.mean(F, axis=0) - f_star) ** 2 - v / F.shape[0], v


def _plug_in(F, f_star):
    v = np.var(F, axis=0, ddof=1)
    return (np.mean(F, axis=0) - f_star) ** 2, v


def _axis1(F, f_star):
    v = np.var(F, axis=1, ddof=1)
    return (np.mean(F, axis=1) - np.mean(f_star)) ** 2 - v / F.shape[1], v


def _std(F, f_star):
    v = np.var(F, axis=0, ddof=1)
    return (np.mean(F, axis=0) - f_star) ** 2 - v / F.shape[0], np.sqrt(v)


def _sum_of_squares(F, f_star):
    """The one-pass variance (sum F^2 - R mean^2)/(R - 1): cancels under a common offset."""
    R = F.shape[0]
    m = np.mean(F, axis=0)
    v = (np.sum(F * F, axis=0) - R * m * m) / (R - 1)
    return (m - f_star) ** 2 - v / R, v


def _identity(kw, got):
    bias2, variance = got
    F, f_star = kw["F"], kw["f_star"]
    return bias2 + variance, np.mean((F - f_star) ** 2, axis=0)


EXERCISE = Implement(
    id="ex-learn-bias-variance",
    title="Monte Carlo bias and variance",
    function="bias_variance",
    parameters=("F", "f_star"),
    docstring=r"""Unbiased Monte Carlo estimates of bias^2(x_j) and var(x_j) from the predictions of an
estimator fitted on R independent training samples (Proposition prop-learn-mc-unbiased):
variance = sample variance over the R samples (divisor R - 1), and
bias2 = (mean_r F[r, j] - f_star[j])^2 - variance / R.

Arguments:
    F: predictions F[r, j] = f_{S_r}(x_j), shape (R, n_test), R >= 2, float32 or float64;
        they may share a large common offset (compute the variance from the deviations).
    f_star: regression function f*(x_j), shape (n_test,), same dtype.

Returns:
    (bias2, variance), each of shape (n_test,), dtype of F.
""",
    reference=bias_variance,
    arguments=_arguments(),
    outputs=("bias2", "variance"),
    tolerances={"float64": Tolerance(1e-9, 1e-9), "float32": Tolerance(1e-4, 2e-3)},
    properties=(
        Property(
            "mean squared deviation", "bias2 + variance = (1/R) sum_r (F[r] - f_star)^2", _identity
        ),
    ),
    hint=r"""Average over the sample axis 0. Use the divisor R - 1 for the variance, and subtract
variance / R from the squared deviation of the mean: E (mean - f*)^2 = bias^2 + var / R.""",
    diagnoses=(
        Diagnosis(
            "variance",
            lambda kw: np.var(kw["F"], axis=0),
            "divisor R instead of R - 1: the sample variance with divisor R is biased",
        ),
        Diagnosis(
            "bias2",
            lambda kw: (np.mean(kw["F"], axis=0) - kw["f_star"]) ** 2,
            "the plug-in (mean - f*)^2 overestimates bias^2 by var / R on average: subtract "
            "variance / R",
        ),
        Diagnosis(
            "variance",
            lambda kw: np.std(kw["F"], axis=0, ddof=1),
            "got the standard deviation; the variance is its square",
        ),
    ),
    wrong=(
        Wrong(_ddof0, "divisor R", values(1), "R - 1"),
        Wrong(_plug_in, "no bias correction", values(0), "var / R"),
        Wrong(_axis1, "averages over the test points", OUTPUT_SHAPE, "shape"),
        Wrong(_std, "standard deviation", values(1), "standard deviation"),
        Wrong(
            _sum_of_squares,
            "variance by the sum-of-squares formula",
            values(1),
            "differs",
        ),
    ),
)
