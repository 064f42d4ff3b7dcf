r"""Exercise ``ex-att-layernorm-backward``: the input gradient of layer normalisation."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def layernorm_backward(X, gamma, dY, eps):
    r"""Proposition prop-att-layernorm-jacobian, part 4, row by row: with $g = \gamma\odot dy$,
    $dx = (g - \bar g\,\mathbf 1 - \overline{g\odot\hat x}\,\hat x)/s$."""
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=1, keepdims=True) + eps)
    X_hat = Xc / s
    G = dY * gamma
    return (
        G - np.mean(G, axis=1, keepdims=True) - X_hat * np.mean(G * X_hat, axis=1, keepdims=True)
    ) / s


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, n = draw(st.integers(1, 4)), draw(st.integers(2, 6))
    X = draw(float_arrays(dtype, (m, n)))
    if draw(st.booleans()):  # a large common offset: rows spread by ~1 around 3e3 or 1e6
        offset = 3e3 if dtype == np.float32 else 1e6
        X = (offset + X / 10).astype(dtype)
        X[:, 0] = offset + 1  # not constant
        X[:, 1] = offset - 1
    return {
        "X": X,
        "gamma": draw(float_arrays(dtype, (n,), bound=3.0)),
        "dY": draw(float_arrays(dtype, (m, n))),
        "eps": draw(st.sampled_from([1e-3, 1e-1, 1.0])),
    }


def _no_mean_term(X, gamma, dY, eps):
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=1, keepdims=True) + eps)
    X_hat, G = Xc / s, dY * gamma
    return (G - X_hat * np.mean(G * X_hat, axis=1, keepdims=True)) / s


def _no_xhat_term(X, gamma, dY, eps):
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=1, keepdims=True) + eps)
    G = dY * gamma
    return (G - np.mean(G, axis=1, keepdims=True)) / s


def _unbiased(X, gamma, dY, eps):
    n = X.shape[1]
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.sum(Xc * Xc, axis=1, keepdims=True) / (n - 1) + eps)
    X_hat, G = Xc / s, dY * gamma
    return (
        G - np.mean(G, axis=1, keepdims=True) - X_hat * np.mean(G * X_hat, axis=1, keepdims=True)
    ) / s


def _sum_of_squares(X, gamma, dY, eps):
    """The variance as mean(x^2) - mean(x)^2: catastrophic cancellation under a large offset."""
    mu = np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(X * X, axis=1, keepdims=True) - mu * mu + eps)
    X_hat, G = (X - mu) / s, dY * gamma
    return (
        G - np.mean(G, axis=1, keepdims=True) - X_hat * np.mean(G * X_hat, axis=1, keepdims=True)
    ) / s


def _eps_outside(X, gamma, dY, eps):
    """s = sigma + eps instead of sqrt(sigma^2 + eps)."""
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=1, keepdims=True)) + eps
    X_hat, G = Xc / s, dY * gamma
    return (
        G - np.mean(G, axis=1, keepdims=True) - X_hat * np.mean(G * X_hat, axis=1, keepdims=True)
    ) / s


def _no_gamma(X, gamma, dY, eps):
    Xc = X - np.mean(X, axis=1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=1, keepdims=True) + eps)
    X_hat = Xc / s
    return (
        dY - np.mean(dY, axis=1, keepdims=True) - X_hat * np.mean(dY * X_hat, axis=1, keepdims=True)
    ) / s


EXERCISE = Implement(
    id="ex-att-layernorm-backward",
    title="The backward rule of layer normalisation",
    function="layernorm_backward",
    parameters=("X", "gamma", "dY", "eps"),
    docstring=r"""Gradient with respect to X of <dY, LN(X)>, where LN normalises each row
(Definition def-att-layernorm): mu = mean of the row, sigma^2 = mean of (x - mu)^2 (biased),
s = sqrt(sigma^2 + eps), x_hat = (x - mu) / s, LN(x) = gamma * x_hat + beta.

Arguments:
    X: shape (m, n), n >= 2; gamma: shape (n,); dY: shape (m, n); same dtype; eps > 0 a float
       (at least 1e-3 here). Rows may have a large common offset (about 3e3 in float32, 1e6 in
       float64) and a spread of about 1: compute the variance from the centred row.

Returns:
    dX, shape (m, n), dtype of X.
""",
    reference=layernorm_backward,
    arguments=_arguments(),
    outputs=("dX",),
    tolerances={"float64": Tolerance(1e-7, 1e-9), "float32": Tolerance(2e-2, 2e-3)},
    properties=(
        Property(
            "rows sum to 0",
            "dX 1 = 0 (LN(x + c 1) = LN(x)), relative to max(1, max |X|) (centring a row with a "
            "large offset leaves rounding of the offset's size)",
            lambda kw, dX: (
                dX.sum(axis=1) / max(1.0, float(np.max(np.abs(kw["X"])))),
                np.zeros(dX.shape[0]),
            ),
        ),
    ),
    hint=r"""Differentiate x_hat_i = (x_i - mu)/s: d mu/dx_j = 1/n and ds/dx_j = (x_j - mu)/(n s), so
d x_hat_i / d x_j = (delta_ij - 1/n - x_hat_i x_hat_j / n)/s. The matrix is symmetric; apply it to
g = gamma * dy: (g - mean(g) - x_hat mean(g * x_hat))/s, row by row.""",
    diagnoses=(
        Diagnosis(
            "dX",
            lambda kw: _no_mean_term(**kw),
            "the term -mean(g) is missing (the mean mu depends on x)",
        ),
        Diagnosis(
            "dX",
            lambda kw: _no_xhat_term(**kw),
            "the term -x_hat mean(g * x_hat) is missing (s depends on x)",
        ),
        Diagnosis(
            "dX",
            lambda kw: _no_gamma(**kw),
            "gamma is missing: the upstream gradient is g = gamma * dy",
        ),
        Diagnosis(
            "dX",
            lambda kw: _unbiased(**kw),
            "the variance is the unbiased one (divided by n - 1); layer norm divides by n",
        ),
    ),
    wrong=(
        Wrong(_no_mean_term, "forgets the mean term", values(0), "mean(g)"),
        Wrong(_no_xhat_term, "forgets the dependence of s on x", values(0), "x_hat"),
        Wrong(_unbiased, "unbiased variance", values(0), "unbiased"),
        Wrong(_no_gamma, "forgets gamma", values(0), "gamma"),
        Wrong(_sum_of_squares, "variance as mean(x^2) - mean(x)^2", values(0), ""),
        Wrong(_eps_outside, "s = sigma + eps", values(0), ""),
    ),
)
