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

from .._validation import (
    Array,
    Generator,
    Instance,
    Integer,
    Options,
    Real,
    ShapeError,
    check,
    fail,
    namespace,
    validate,
)
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
    (shape ``(D,)``), of one array API namespace, device and dtype."""

    omega: Any
    b: Any

    __deepqed_constraints__ = {
        "omega": Array(shape=("D", "d")),
        "b": Array(shape=("D",)),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


#: A shift-invariant kernel with a spectral measure implemented here.
_SHIFT_INVARIANT = Instance((Gaussian, Laplacian), what="a Gaussian or Laplacian kernel")
_DTYPE = Options(np.float32, np.float64)
_POSITIVE = Real(0, None, closed="neither")


def _spectral_sample(
    kernel: Kernel, d: int, D: int, rng: np.random.Generator, dtype: Any
) -> np.ndarray:
    if isinstance(kernel, Gaussian):
        return (math.sqrt(2 * kernel.gamma) * rng.standard_normal((D, d))).astype(dtype)
    return (kernel.gamma * rng.standard_cauchy((D, d))).astype(dtype)


@validate(kernel=_SHIFT_INVARIANT, d=Integer(1), D=Integer(1), rng=Generator(), dtype=_DTYPE)
def spectral_sample(
    kernel: Kernel, d: int, D: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> np.ndarray:
    r"""$D$ independent draws from the spectral measure of ``kernel`` on $\mathbb R^d$, shape
    ``(D, d)``: $N(0, 2\gamma I_d)$ for :class:`Gaussian`, i.i.d. Cauchy$(0, \gamma)$ coordinates
    for :class:`Laplacian`, of dtype ``dtype`` (``numpy.float32`` or ``numpy.float64``): a NumPy
    array, drawn from the NumPy generator ``rng``."""
    return _spectral_sample(kernel, d, D, rng, dtype)


@validate(kernel=_SHIFT_INVARIANT, d=Integer(1), D=Integer(1), rng=Generator(), dtype=_DTYPE)
def rff_init(
    kernel: Kernel, d: int, D: int, *, rng: np.random.Generator, dtype: Any = np.float64
) -> RFFParams:
    r"""Draw $\omega_j\sim\mu$ and $b_j\sim U[0, 2\pi]$, $j\in[D]$, independently (Definition
    `def-rff`), as NumPy arrays from the NumPy generator ``rng`` (for another namespace build
    ``RFFParams(xp.asarray(p.omega), xp.asarray(p.b))``)."""
    omega = _spectral_sample(kernel, d, D, rng, dtype)
    b = rng.uniform(0.0, 2 * math.pi, size=omega.shape[0]).astype(dtype)
    return RFFParams(omega, b)


@validate(params=Instance(RFFParams), X=Array(shape=("m", "d")))
def rff_features(params: RFFParams, X: Any) -> Any:
    r"""$Z = \sqrt{2/D}\cos(X\Omega^\top + \mathbf 1_m b^\top)$, rows $z(x_i)^\top$.

    Arguments:
        params: ``omega`` $=\Omega$ shape ``(D, d)``, ``b`` shape ``(D,)``.
        X: shape ``(m, d)``, float32 or float64 (the dtype of ``omega``).

    Returns:
        shape ``(m, D)``; ``rff_features(p, X) @ rff_features(p, Y).T`` approximates the Gram
        matrix.
    """
    omega, b = params.omega, params.b
    if X.shape[1] != omega.shape[1]:
        fail(
            "X",
            f"have shape (m, {omega.shape[1]}) (d of params.omega)",
            f"shape {tuple(X.shape)}",
            kind=ShapeError,
        )
    if X.dtype != omega.dtype:
        fail("X", f"have dtype {omega.dtype} (of params.omega)", str(X.dtype))
    xp = namespace(X)
    D = omega.shape[0]
    return xp.astype(math.sqrt(2.0 / D) * xp.cos(X @ omega.T + b), X.dtype, copy=False)


@validate(omega=Array(shape=("D", "d")), X=Array(shape=("m", "d")))
def rff_paired_features(omega: Any, X: Any) -> Any:
    r"""$\tilde z(x) = D^{-1/2}\bigl(\cos\omega_j^\top x,\ \sin\omega_j^\top x\bigr)_{j=1}^D$, shape
    ``(m, 2D)``; $\tilde z(x)^\top\tilde z(x') = \frac1D\sum_j\cos\omega_j^\top(x - x')$."""
    xp = namespace(X)
    T = X @ omega.T
    return xp.concat([xp.cos(T), xp.sin(T)], axis=1) / math.sqrt(omega.shape[0])


@validate(kernel=_SHIFT_INVARIANT, d=Integer(1))
def spectral_second_moment(kernel: Kernel, d: int) -> float:
    r"""$\sigma_\mu^2 = \mathbb E_{\omega\sim\mu}\|\omega\|^2$: $2\gamma d$ for the Gaussian kernel,
    $+\infty$ for the Laplacian (Cauchy coordinates have no second moment)."""
    if isinstance(kernel, Gaussian):
        return 2 * kernel.gamma * d
    return math.inf


@validate(D=Integer(1), eps=_POSITIVE)
def hoeffding_bound(D: int, eps: float) -> float:
    r"""$2\exp(-D\varepsilon^2/8)$, the bound of Proposition `prop-rff-hoeffding` on
    $\mathbb P(|z(x)^\top z(x') - k(x, x')|\ge\varepsilon)$ (not capped: a value above $1$ says
    that the bound is vacuous)."""
    return 2 * math.exp(-D * eps * eps / 8)


@validate(d=Integer(1), D=Integer(1), eps=_POSITIVE, diameter=Real(0, None), sigma=Real(0, None))
def rahimi_recht_bound(*, d: int, D: int, eps: float, diameter: float, sigma: float) -> float:
    r"""$2^8(\sigma_\mu\operatorname{diam}(M)/\varepsilon)^2\exp(-D\varepsilon^2/(4(d + 2)))$, the
    bound of Theorem `thm-rff-uniform` (Rahimi and Recht 2007, Claim 1; not capped: a value above
    $1$ says that the bound is vacuous)."""
    return 2.0**8 * (sigma * diameter / eps) ** 2 * math.exp(-D * eps**2 / (4 * (d + 2)))
