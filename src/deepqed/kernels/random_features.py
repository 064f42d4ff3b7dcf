r"""Wide random ReLU features and the arc-cosine kernel (Section "From kernels to networks").

A one-hidden-layer network $x\mapsto v^\top\operatorname{ReLU}(Wx)/\sqrt N$ whose first-layer
weights $W\in\mathbb R^{N\times d}$ (rows $w_j^\top$) are drawn at random and frozen, and whose last
layer $v\in\mathbb R^N$ is trained, is a linear model in the features

$$
\Phi = \operatorname{ReLU}(XW^\top)/\sqrt N\in\mathbb R^{m\times N},\qquad
k_N(x, x') = \frac1N\sum_{j=1}^N\operatorname{ReLU}(w_j^\top x)\operatorname{ReLU}(w_j^\top x').
$$

For $w_j\sim N(0, I_d)$ i.i.d., $k_N\to k_{\arccos}$ almost surely as $N\to\infty$ (Proposition
`prop-relu-kernel-limit`), where $k_{\arccos}$ is :class:`~deepqed.kernels.ArcCosine`.
Ridge regression on $\Phi$ equals kernel ridge regression with $k_N$ (Proposition
`prop-random-feature-ridge`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._validation import Array, Generator, Integer, Optional, Options, validate
from .krr import LAM, _shifted_solve

_WEIGHTS = Array(shape=("N", "d"), numpy=True)

__all__ = ["relu_features", "empirical_relu_kernel", "feature_ridge", "init_relu_weights"]


@validate(d=Integer(1), N=Integer(1), rng=Generator(), dtype=Options(np.float32, np.float64))
def init_relu_weights(
    d: int, N: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> np.ndarray:
    r"""$W\in\mathbb R^{N\times d}$ with i.i.d. $N(0, 1)$ entries (rows $w_j\sim N(0, I_d)$), of
    dtype ``dtype`` (``numpy.float32`` or ``numpy.float64``)."""
    return rng.standard_normal((N, d)).astype(dtype)


def _relu_features(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    return np.maximum(X @ W.T, 0) / np.asarray(math.sqrt(W.shape[0]), dtype=X.dtype)


@validate(W=_WEIGHTS, X=Array(shape=("m", "d"), numpy=True))
def relu_features(W: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""$\Phi = \operatorname{ReLU}(XW^\top)/\sqrt N$, shape ``(m, N)``, for ``W`` shape ``(N, d)``
    and ``X`` shape ``(m, d)`` (one dtype)."""
    return _relu_features(W, X)


@validate(
    W=_WEIGHTS,
    X=Array(shape=("m", "d"), numpy=True),
    Z=Optional(Array(shape=("p", "d"), numpy=True)),
)
def empirical_relu_kernel(W: np.ndarray, X: np.ndarray, Z: np.ndarray | None = None) -> np.ndarray:
    r"""$K_{ik} = k_N(x_i, z_k) = \frac1N\sum_j\operatorname{ReLU}(w_j^\top x_i)
    \operatorname{ReLU}(w_j^\top z_k)$, shape ``(m, p)`` (``Z`` default ``X``)."""
    PX = _relu_features(W, X)
    PZ = PX if Z is None else _relu_features(W, Z)
    return PX @ PZ.T


@validate(Phi=Array(shape=("m", "N"), numpy=True), y=Array(shape=("m",), numpy=True), lam=LAM)
def feature_ridge(Phi: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    r"""$v = \arg\min_v \frac1m\|\Phi v - y\|^2 + \lambda\|v\|^2 = (\Phi^\top\Phi + m\lambda I_N)^{-1}
    \Phi^\top y$, shape ``(N,)``, for ``Phi`` shape ``(m, N)``, ``y`` shape ``(m,)``.

    Solved in whichever of the two equivalent forms is smaller: for $N\le m$ the $N\times N$ system
    above; for $N > m$, $v = \Phi^\top(\Phi\Phi^\top + m\lambda I_m)^{-1}y$ (the push-through
    identity of Proposition `prop-random-feature-ridge`).
    """
    m, N = Phi.shape
    if N <= m:
        return _shifted_solve(Phi.T @ Phi, Phi.T @ y, m * lam)
    return Phi.T @ _shifted_solve(Phi @ Phi.T, y, m * lam)
