r"""Exercise ``ex-ker-gaussian-gram``: the Gaussian Gram matrix from squared distances."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    OUTPUT_SHAPE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    holds,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def gaussian_gram(X, Z, gamma):
    r"""$K_{ij} = \exp(-\gamma\|x_i - z_j\|^2)$ with
    $\|x_i - z_j\|^2 = \max(\|x_i\|^2 + \|z_j\|^2 - 2x_i^\top z_j, 0)$ (Definition
    def-standard-kernels): one matrix product, clipped at 0 against cancellation."""
    sx = np.sum(X * X, axis=1)[:, None]
    sz = np.sum(Z * Z, axis=1)[None, :]
    D = np.maximum(sx + sz - 2 * (X @ Z.T), 0)
    return np.exp(-gamma * D).astype(X.dtype, copy=False)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, p, d = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    X = draw(float_arrays(dtype, (m, d), bound=3.0))
    Z = draw(float_arrays(dtype, (p, d), bound=3.0))
    if draw(st.booleans()):  # repeated points: distance exactly 0
        Z[: min(m, p)] = X[: min(m, p)]
    gamma = draw(st.sampled_from((0.1, 0.5, 1.0, 2.0)))
    if draw(st.integers(0, 2)) == 0:  # repeated generic rows of large norm (10 in float32, 300
        # in float64): the expansion's cancellation leaves about d u |x|^2, of either sign, where
        # the distance is 0 (within the tolerance of K; a negative value gives K > 1)
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        size = 10.0 if dtype == np.float32 else 300.0
        X = rng.standard_normal((5, d)) * size / np.sqrt(d)
        X = X.astype(dtype)
        Z = np.concatenate([X[:4], rng.standard_normal((1, d)).astype(dtype)])
    return {"X": X, "Z": Z, "gamma": gamma}


def _sign(X, Z, gamma):
    D = np.sum(X * X, axis=1)[:, None] + np.sum(Z * Z, axis=1)[None, :] - 2 * X @ Z.T
    return np.exp(gamma * np.maximum(D, 0))


def _not_squared(X, Z, gamma):
    D = np.sum(X * X, axis=1)[:, None] + np.sum(Z * Z, axis=1)[None, :] - 2 * X @ Z.T
    return np.exp(-gamma * np.sqrt(np.maximum(D, 0))).astype(X.dtype)


def _squared_distances(X, Z):
    D = np.sum(X * X, axis=1)[:, None] + np.sum(Z * Z, axis=1)[None, :] - 2 * X @ Z.T
    return np.maximum(D, 0)


def _transposed(X, Z, gamma):
    return np.exp(-gamma * _squared_distances(Z, X)).astype(X.dtype)


def _float64(X, Z, gamma):
    return np.exp(-gamma * _squared_distances(X.astype(np.float64), Z.astype(np.float64)))


def _no_clip(X, Z, gamma):
    D = np.sum(X * X, axis=1)[:, None] + np.sum(Z * Z, axis=1)[None, :] - 2 * X @ Z.T
    return np.exp(-gamma * D).astype(X.dtype)


def _gamma_half(X, Z, gamma):
    return np.exp(-gamma * _squared_distances(X, Z) / 2).astype(X.dtype)


def _dot_only(X, Z, gamma):
    return np.exp(2 * gamma * (X @ Z.T)).astype(X.dtype)


EXERCISE = Implement(
    id="ex-ker-gaussian-gram",
    title="The Gaussian Gram matrix, stably",
    function="gaussian_gram",
    parameters=("X", "Z", "gamma"),
    docstring=r"""Gram matrix of the Gaussian kernel: $K_{ij} = \exp(-\gamma\|x_i - z_j\|^2)$.

Use $\|x - z\|^2 = \|x\|^2 + \|z\|^2 - 2x^\top z$ (one matrix product, no (m, p, d) array), and
clip it at 0: rounding can make it slightly negative for nearby points.

Arguments:
    X: shape (m, d), rows x_i.
    Z: shape (p, d), rows z_j (same dtype as X: float32 or float64).
    gamma: a Python float > 0.

Returns:
    K of shape (m, p) and the dtype of X.
""",
    reference=gaussian_gram,
    arguments=_arguments(),
    outputs=("K",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-3, 1e-5)},
    hint=r"""Row norms: sx = sum(X * X, axis=1)[:, None] (shape (m, 1)), sz likewise as (1, p); then
D = maximum(sx + sz - 2 X Z^T, 0) and K = exp(-gamma D). Keep the dtype of X.""",
    properties=(
        Property(
            "entries in [0, 1]",
            "0 <= K_ij <= 1 (k(x, z) = exp of a non-positive number)",
            lambda kw, K: (np.clip(K, 0, 1), K),
        ),
        Property(
            "no entry above 1",
            "K_ij <= 1 exactly: exp(-gamma D) with D >= 0 never exceeds 1 (excess x 1e12 vs 0)",
            lambda kw, K: (np.maximum(np.asarray(K, np.float64) - 1, 0) * 1e12, np.zeros(K.shape)),
        ),
    ),
    diagnoses=(
        Diagnosis(
            "K",
            lambda kw: _not_squared(kw["X"], kw["Z"], kw["gamma"]),
            "this is exp(-gamma |x - z|): the distance must be squared",
        ),
        Diagnosis(
            "K",
            lambda kw: _transposed(kw["X"], kw["Z"], kw["gamma"]),
            "this is K^T: rows must index X, columns Z",
        ),
    ),
    wrong=(
        Wrong(_sign, "exp(+gamma |x - z|^2): sign error", values(0), ""),
        Wrong(_not_squared, "exp(-gamma |x - z|): distance not squared", values(0), "squared"),
        Wrong(_transposed, "returns K^T", OUTPUT_SHAPE, ""),
        Wrong(_float64, "converts float32 input to float64", DTYPE, "float32"),
        Wrong(_dot_only, "forgets the norms: exp(2 gamma x^T z)", values(0), ""),
        Wrong(_no_clip, "no clip of the squared distances at 0", holds("no entry above 1"), ""),
        Wrong(_gamma_half, "exp(-gamma |x - z|^2 / 2): the bandwidth form", values(0), ""),
    ),
)
