r"""Exercise ``ex-ker-arccos``: the arc-cosine kernel of degree 1."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def arccos_kernel(X, Z):
    r"""$K_{ij} = \frac{\|x_i\|\|z_j\|}{2\pi}(\sin\theta_{ij} + (\pi - \theta_{ij})\cos\theta_{ij})$,
    $\cos\theta_{ij} = x_i^\top z_j/(\|x_i\|\|z_j\|)$ clipped to $[-1, 1]$, and $0$ where a norm is
    $0$ (Proposition prop-arccos-kernel)."""
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    safe = np.where(N > 0, N, 1)
    c = np.clip((X @ Z.T) / safe, -1, 1)
    t = np.arccos(c)
    K = N * (np.sqrt(np.maximum(1 - c * c, 0)) + (np.pi - t) * c) / (2 * np.pi)
    return np.where(N > 0, K, 0).astype(X.dtype, copy=False)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, p, d = draw(st.integers(1, 5)), draw(st.integers(1, 5)), draw(st.integers(1, 4))
    X = draw(float_arrays(dtype, (m, d), bound=3.0))
    Z = draw(float_arrays(dtype, (p, d), bound=3.0))
    mode = draw(st.sampled_from(("random", "parallel", "generic parallel", "zero")))
    if mode == "parallel":  # cos(theta) = +-1 up to rounding
        s = draw(st.sampled_from((1.0, -1.0, 0.3, -2.7)))
        q = min(m, p)
        Z[:q] = (s * X[:q]).astype(dtype)
    if mode == "generic parallel":  # generic rows in 3 to 5 dimensions, mostly float32: the
        # computed cosine of a parallel pair leaves [-1, 1] for about a quarter of the pairs
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        dtype = np.dtype(np.float32) if draw(st.integers(0, 3)) else dtype
        d = int(rng.integers(3, 6))
        X = (rng.standard_normal((5, d)) * rng.uniform(0.5, 3)).astype(dtype)
        Z = rng.standard_normal((5, d)).astype(dtype)
        Z[:4] = (rng.choice([1.0, -1.0, 0.3, -2.7], size=(4, 1)) * X[:4]).astype(dtype)
    if mode == "zero":
        X[0] = 0
    return {"X": X, "Z": Z}


def _cho_saul(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    return np.where(N > 0, N * (np.sin(t) + (np.pi - t) * c) / np.pi, 0).astype(X.dtype)


def _no_clip(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    with np.errstate(all="ignore"):
        c = (X @ Z.T) / (nx * nz)
        t = np.arccos(c)
        return (nx * nz * (np.sin(t) + (np.pi - t) * c) / (2 * np.pi)).astype(X.dtype)


def _no_clip_zero_safe(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    with np.errstate(invalid="ignore"):
        c = (X @ Z.T) / np.where(N > 0, N, 1)  # no clip: arccos(1 + eps) is NaN
        t = np.arccos(c)
        K = N * (np.sqrt(np.maximum(1 - c * c, 0)) + (np.pi - t) * c) / (2 * np.pi)
    return np.where(N > 0, K, 0).astype(X.dtype)


def _degrees(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.degrees(np.arccos(c))  # an angle in degrees with pi - theta in radians
    return np.where(N > 0, N * (np.sin(np.radians(t)) + (np.pi - t) * c) / (2 * np.pi), 0).astype(
        X.dtype
    )


def _theta_sign(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    return np.where(N > 0, N * (np.sin(t) + t * c) / (2 * np.pi), 0).astype(X.dtype)


def _no_norms(X, Z):
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    return np.where(N > 0, (np.sin(t) + (np.pi - t) * c) / (2 * np.pi), 0).astype(X.dtype)


EXERCISE = Implement(
    id="ex-ker-arccos",
    title="The arc-cosine kernel",
    function="arccos_kernel",
    parameters=("X", "Z"),
    docstring=r"""The arc-cosine kernel of degree 1, normalised as E[relu(w^T x) relu(w^T z)],
w ~ N(0, I_d) (Proposition prop-arccos-kernel):
$K_{ij} = \frac{\|x_i\|\|z_j\|}{2\pi}(\sin\theta + (\pi - \theta)\cos\theta)$ with
$\cos\theta = x_i^\top z_j/(\|x_i\|\|z_j\|)$, and $K_{ij} = 0$ if $x_i = 0$ or $z_j = 0$.
Rounding can push the cosine slightly outside [-1, 1] for parallel vectors.

Arguments:
    X: shape (m, d); Z: shape (p, d); float32 or float64 (the same).

Returns:
    K of shape (m, p) and the dtype of X.
""",
    reference=arccos_kernel,
    arguments=_arguments(),
    outputs=("K",),
    tolerances={"float64": Tolerance(1e-7, 1e-9), "float32": Tolerance(1e-3, 1e-4)},
    hint=r"""Compute the norms, the cosine matrix with np.clip(..., -1, 1), theta = arccos; treat
zero norms separately (np.where) to avoid 0/0. sin(theta) = sqrt(1 - cos^2).""",
    properties=(
        Property(
            "K >= 0",
            "the kernel is an expectation of a product of ReLUs, so K >= 0",
            lambda kw, K: (np.maximum(K, 0), K),
        ),
    ),
    wrong=(
        Wrong(_cho_saul, "Cho and Saul's normalisation 1/pi (twice ours)", values(0), ""),
        Wrong(_no_clip, "no clip of the cosine, no care for zero vectors", FINITE, ""),
        Wrong(
            _no_clip_zero_safe,
            "zero vectors handled, but the cosine of parallel rows not clipped",
            FINITE,
            "",
        ),
        Wrong(_degrees, "theta in degrees", values(0), ""),
        Wrong(_theta_sign, "theta instead of pi - theta", values(0), ""),
        Wrong(_no_norms, "forgets the factor |x| |z|", values(0), ""),
    ),
)
