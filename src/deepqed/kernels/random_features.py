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

from .._validation import Array, Generator, Integer, Optional, Options, namespace, validate
from .krr import LAM, _shifted_solve

_WEIGHTS = Array(shape=("N", "d"))

__all__ = ["relu_features", "empirical_relu_kernel", "feature_ridge", "init_relu_weights"]


@validate(d=Integer(1), N=Integer(1), rng=Generator(), dtype=Options(np.float32, np.float64))
def init_relu_weights(d: int, N: int, *, rng: np.random.Generator, dtype: Any = np.float64) -> Any:
    r"""$W\in\mathbb R^{N\times d}$ with i.i.d. $N(0, 1)$ entries (rows $w_j\sim N(0, I_d)$), of
    dtype ``dtype`` (``numpy.float32`` or ``numpy.float64``): a NumPy array, drawn from the NumPy
    generator ``rng`` (convert it with the ``asarray`` of another namespace)."""
    return rng.standard_normal((N, d)).astype(dtype)


def _relu_features(W: Any, X: Any) -> Any:
    xp = namespace(X)
    P = X @ W.T
    return xp.maximum(P, xp.zeros_like(P)) / math.sqrt(W.shape[0])


@validate(W=_WEIGHTS, X=Array(shape=("m", "d")))
def relu_features(W: Any, X: Any) -> Any:
    r"""$\Phi = \operatorname{ReLU}(XW^\top)/\sqrt N$, shape ``(m, N)``, for ``W`` shape ``(N, d)``
    and ``X`` shape ``(m, d)`` (one dtype)."""
    return _relu_features(W, X)


@validate(
    W=_WEIGHTS,
    X=Array(shape=("m", "d")),
    Z=Optional(Array(shape=("p", "d"))),
)
def empirical_relu_kernel(W: Any, X: Any, Z: Any | None = None) -> Any:
    r"""$K_{ik} = k_N(x_i, z_k) = \frac1N\sum_j\operatorname{ReLU}(w_j^\top x_i)
    \operatorname{ReLU}(w_j^\top z_k)$, shape ``(m, p)`` (``Z`` default ``X``)."""
    PX = _relu_features(W, X)
    PZ = PX if Z is None else _relu_features(W, Z)
    return PX @ PZ.T


@validate(Phi=Array(shape=("m", "N")), y=Array(shape=("m",)), lam=LAM)
def feature_ridge(Phi: Any, y: Any, lam: float) -> Any:
    r"""$v = \arg\min_v \frac1m\|\Phi v - y\|^2 + \lambda\|v\|^2 = (\Phi^\top\Phi + m\lambda I_N)^{-1}
    \Phi^\top y$, shape ``(N,)``, for ``Phi`` shape ``(m, N)``, ``y`` shape ``(m,)``.

    Solved in whichever of the two equivalent forms is smaller: for $N\le m$ the $N\times N$ system
    above; for $N > m$, $v = \Phi^\top(\Phi\Phi^\top + m\lambda I_m)^{-1}y$ (the push-through
    identity of Proposition `prop-random-feature-ridge`). The Cholesky solve runs in LAPACK on
    the host (:func:`~deepqed.kernels.shifted_solve`); $v$ has the namespace and device of
    ``Phi``.
    """
    m, N = Phi.shape
    if N <= m:
        return _shifted_solve(Phi.T @ Phi, Phi.T @ y, m * lam)
    return Phi.T @ _shifted_solve(Phi @ Phi.T, y, m * lam)
