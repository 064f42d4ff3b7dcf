r"""Maurey's lemma with the arc-cosine kernels: infinite-width ReLU networks and their $n$-unit
Monte Carlo approximations.

Section "Maurey's lemma and Barron's rate" of the chapter *Approximation*. For $w\sim N(0, I_d)$
the chapter *Kernel methods* computes the arc-cosine kernel
$k_1(x, z) = \mathbb E[\operatorname{ReLU}(w^\top x)\operatorname{ReLU}(w^\top z)]$
({prf:ref}`prop-arccos-kernel`, ``kernels.ArcCosine``). Here, its degree-2 companion

$$
k_2(x, z) = \mathbb E\bigl[\operatorname{ReLU}(w^\top x)^2\operatorname{ReLU}(w^\top z)^2\bigr]
= \frac{\|x\|^2\|z\|^2}{2\pi}\bigl(3\sin\theta\cos\theta + (\pi - \theta)(1 + 2\cos^2\theta)\bigr)
$$

(Cho and Saul's $k_2$, halved) is the second moment that Maurey's lemma needs
({prf:ref}`lem-apx-maurey`).
"""

from __future__ import annotations

import numpy as np

from .._validation import Array, Integer, Real, validate
from ..kernels import ArcCosine, gram

__all__ = ["arccos2_kernel", "maurey_constant", "relu_integral_bound"]


@validate(X=Array(shape=("m", "d"), numpy=True), Z=Array(shape=("p", "d"), numpy=True))
def arccos2_kernel(X: np.ndarray, Z: np.ndarray) -> np.ndarray:
    r"""$k_2(x_i, z_j) = \mathbb E[\operatorname{ReLU}(w^\top x_i)^2\operatorname{ReLU}(w^\top z_j)^2]$,
    $w\sim N(0, I_d)$, shape ``(m, p)`` (the formula above; $0$ where a norm is $0$).

    Arguments:
        X: shape ``(m, d)``; Z: shape ``(p, d)``; one dtype.
    """
    nx = np.sqrt(np.sum(X * X, axis=1))[:, None]
    nz = np.sqrt(np.sum(Z * Z, axis=1))[None, :]
    N = nx * nz
    c = np.clip((X @ Z.T) / np.where(N > 0, N, 1), -1, 1)
    t = np.arccos(c)
    s = np.sqrt(np.maximum(1 - c * c, 0))
    K = N * N * (3 * s * c + (np.pi - t) * (1 + 2 * c * c)) / (2 * np.pi)
    return np.where(N > 0, K, 0).astype(X.dtype, copy=False)


@validate(X=Array(shape=("m", "d"), numpy=True), x0=Array(shape=("d",), numpy=True))
def maurey_constant(X: np.ndarray, x0: np.ndarray) -> float:
    r"""$C = \frac1m\sum_i\bigl(k_2(x_i, x_0) - k_1(x_i, x_0)^2\bigr)$: for
    $f = k_1(\cdot, x_0) = \mathbb E\,g_w$ with $g_w(x) = \operatorname{ReLU}(w^\top x)
    \operatorname{ReLU}(w^\top x_0)$ and $\nu$ the empirical measure of the rows of ``X``, the
    $n$-term average $f_n$ of independent $g_{w_j}$ has $\mathbb E\|f - f_n\|^2_{L^2(\nu)} = C/n$
    ({prf:ref}`lem-apx-maurey`).

    Arguments:
        X: the support of $\nu$, shape ``(m, d)``; x0: shape ``(d,)``.
    """
    Z = x0[None, :]
    k1 = np.asarray(gram(ArcCosine(), X, Z), dtype=np.float64)[:, 0]
    k2 = np.asarray(arccos2_kernel(X, Z), dtype=np.float64)[:, 0]
    return float(np.mean(k2 - k1 * k1))


@validate(X=Array(shape=("m", "d"), numpy=True), A=Real(0, None), n=Integer(1))
def relu_integral_bound(X: np.ndarray, A: float, n: int) -> float:
    r"""$A^2\int\|x\|^2\,\mathrm d\nu(x)/(2n)$ with $\nu$ the empirical measure of the rows of
    ``X``: the bound of {prf:ref}`cor-apx-relu-barron` on $\mathbb E\|f - f_n\|^2_{L^2(\nu)}$ for
    $f(x) = \mathbb E[a(w)\operatorname{ReLU}(w^\top x)]$ with $|a|\le A$ and $n$ units."""
    sq = np.sum(X.astype(np.float64) ** 2, axis=1)
    return float(A * A * np.mean(sq) / (2 * n))
