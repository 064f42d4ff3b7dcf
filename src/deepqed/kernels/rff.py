r"""Random Fourier features (Definition `def-rff`, Propositions `prop-rff-unbiased`,
`prop-rff-hoeffding`, Theorem `thm-rff-uniform`).

For a continuous shift-invariant PSD kernel $k(x, z) = \kappa(x - z)$ on $\mathbb R^d$ with
$\kappa(0) = 1$, Bochner's theorem gives a probability measure $\mu$ (the *spectral measure*) with
$\kappa(\Delta) = \int\cos(\omega^\top\Delta)\,\mu(\mathrm d\omega)$. With
$\omega_1,\dots,\omega_D\sim\mu$ and $b_1,\dots,b_D\sim U[0, 2\pi]$, all independent,

$$
z(x) = \sqrt{2/D}\,\bigl(\cos(\omega_j^\top x + b_j)\bigr)_{j=1}^D\in\mathbb R^D,
\qquad \mathbb E\,z(x)^\top z(x') = k(x, x').
$$

Spectral measures: Gaussian $\exp(-\gamma\|\Delta\|^2)$: $\mu = N(0, 2\gamma I_d)$; Laplacian
$\exp(-\gamma\|\Delta\|_1)$: independent Cauchy coordinates with scale $\gamma$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import ShapeError, check_array
from .kernels import Gaussian, Kernel, Laplacian

__all__ = [
    "RFFParams",
    "spectral_sample",
    "rff_init",
    "rff_features",
    "rff_paired_features",
    "spectral_second_moment",
    "hoeffding_bound",
    "rahimi_recht_bound",
]


@dataclass(frozen=True)
class RFFParams:
    r"""Frequencies $\omega_j^\top$ (rows of ``omega``, shape ``(D, d)``) and phases ``b``
    (shape ``(D,)``)."""

    omega: np.ndarray
    b: np.ndarray


def _count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name!r} must be a positive integer, got {value!r}")
    return int(value)


def spectral_sample(
    kernel: Kernel, d: int, D: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> np.ndarray:
    r"""$D$ independent draws from the spectral measure of ``kernel`` on $\mathbb R^d$, shape
    ``(D, d)``: $N(0, 2\gamma I_d)$ for :class:`Gaussian`, i.i.d. Cauchy$(0, \gamma)$ coordinates
    for :class:`Laplacian`."""
    d, D = _count("d", d), _count("D", D)
    if isinstance(kernel, Gaussian):
        return (math.sqrt(2 * kernel.gamma) * rng.standard_normal((D, d))).astype(dtype)
    if isinstance(kernel, Laplacian):
        return (kernel.gamma * rng.standard_cauchy((D, d))).astype(dtype)
    raise TypeError(f"'kernel' must be Gaussian or Laplacian (shift-invariant), got {kernel!r}")


def rff_init(
    kernel: Kernel, d: int, D: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> RFFParams:
    r"""Draw $\omega_j\sim\mu$ and $b_j\sim U[0, 2\pi]$, $j\in[D]$, independently (Definition
    `def-rff`)."""
    omega = spectral_sample(kernel, d, D, rng=rng, dtype=dtype)
    b = rng.uniform(0.0, 2 * math.pi, size=omega.shape[0]).astype(dtype)
    return RFFParams(omega, b)


def rff_features(params: RFFParams, X: np.ndarray) -> np.ndarray:
    r"""$Z = \sqrt{2/D}\cos(X\Omega^\top + \mathbf 1_m b^\top)$, rows $z(x_i)^\top$.

    Arguments:
        params: ``omega`` $=\Omega$ shape ``(D, d)``, ``b`` shape ``(D,)``.
        X: shape ``(m, d)``, float32 or float64 (the dtype of ``omega``).

    Returns:
        shape ``(m, D)``; ``rff_features(p, X) @ rff_features(p, Y).T`` approximates the Gram
        matrix.
    """
    omega, b = params.omega, params.b
    check_array("omega", omega, ndim=2, nonempty=True)
    check_array("b", b, shape=(omega.shape[0],))
    check_array("X", X, ndim=2)
    if X.shape[1] != omega.shape[1]:
        raise ShapeError(
            f"argument 'X' must have shape (m, {omega.shape[1]}) (d = omega.shape[1]), "
            f"got shape {X.shape}"
        )
    D = omega.shape[0]
    return (math.sqrt(2.0 / D) * np.cos(X @ omega.T + b)).astype(X.dtype, copy=False)


def rff_paired_features(omega: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""$\tilde z(x) = D^{-1/2}\bigl(\cos\omega_j^\top x,\ \sin\omega_j^\top x\bigr)_{j=1}^D$, shape
    ``(m, 2D)``; $\tilde z(x)^\top\tilde z(x') = \frac1D\sum_j\cos\omega_j^\top(x - x')$."""
    check_array("omega", omega, ndim=2, nonempty=True)
    check_array("X", X, ndim=2)
    if X.shape[1] != omega.shape[1]:
        raise ShapeError(
            f"argument 'X' must have shape (m, {omega.shape[1]}) (d = omega.shape[1]), "
            f"got shape {X.shape}"
        )
    T = X @ omega.T
    return np.concatenate([np.cos(T), np.sin(T)], axis=1) / math.sqrt(omega.shape[0])


def spectral_second_moment(kernel: Kernel, d: int) -> float:
    r"""$\sigma_\mu^2 = \mathbb E_{\omega\sim\mu}\|\omega\|^2$: $2\gamma d$ for the Gaussian kernel,
    $+\infty$ for the Laplacian (Cauchy coordinates have no second moment)."""
    if isinstance(kernel, Gaussian):
        return 2 * kernel.gamma * _count("d", d)
    if isinstance(kernel, Laplacian):
        return math.inf
    raise TypeError(f"'kernel' must be Gaussian or Laplacian, got {kernel!r}")


def hoeffding_bound(D: int, eps: float) -> float:
    r"""$2\exp(-D\varepsilon^2/8)$, the bound of Proposition `prop-rff-hoeffding` on
    $\mathbb P(|z(x)^\top z(x') - k(x, x')|\ge\varepsilon)$."""
    return min(1.0, 2 * math.exp(-_count("D", D) * eps * eps / 8))


def rahimi_recht_bound(*, d: int, D: int, eps: float, diameter: float, sigma: float) -> float:
    r"""$2^8(\sigma_\mu\operatorname{diam}(M)/\varepsilon)^2\exp(-D\varepsilon^2/(4(d + 2)))$, the
    bound of Theorem `thm-rff-uniform` (Rahimi and Recht 2007, Claim 1), capped at 1."""
    d, D = _count("d", d), _count("D", D)
    if not eps > 0 or not diameter >= 0 or not sigma >= 0:
        raise ValueError(f"need eps > 0, diameter >= 0, sigma >= 0; got {eps}, {diameter}, {sigma}")
    return min(1.0, 2.0**8 * (sigma * diameter / eps) ** 2 * math.exp(-D * eps**2 / (4 * (d + 2))))
