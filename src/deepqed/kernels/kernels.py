r"""Positive semi-definite kernels on $\mathbb R^d$ and their Gram matrices.

Implements Definitions `def-psd-kernel` and `def-standard-kernels` of the chapter *Kernel
methods*. A kernel is a frozen dataclass holding its parameters; :func:`gram` evaluates it on two
batches (one sample per row):

$$
K = \operatorname{gram}(k, X, Z)\in\mathbb R^{m\times p},\qquad K_{ij} = k(x_i, z_j),
$$

for $X\in\mathbb R^{m\times d}$ with rows $x_i^\top$ and $Z\in\mathbb R^{p\times d}$ with rows
$z_j^\top$. With $Z$ omitted, $Z = X$ and $K$ is the Gram matrix of the sample $x_1,\dots,x_m$.

| kernel | $k(x, z)$ | parameters |
| --- | --- | --- |
| :class:`Linear` | $x^\top z$ | |
| :class:`Polynomial` | $(\gamma\,x^\top z + c)^q$ | $q\in\mathbb N$, $\gamma > 0$, $c\ge 0$ |
| :class:`Gaussian` | $\exp(-\gamma\|x - z\|^2)$ | $\gamma > 0$ |
| :class:`Laplacian` | $\exp(-\gamma\|x - z\|_1)$ | $\gamma > 0$ |
| :class:`ArcCosine` | $\frac{1}{2\pi}\|x\|\|z\|(\sin\theta + (\pi - \theta)\cos\theta)$ | |

The parametrisations are scikit-learn's (``gamma``, ``coef0`` = $c$, ``degree`` = $q$), so that
``Gaussian(gamma)`` is ``kernel="rbf"`` with the same ``gamma``. Arrays are of any array API
namespace (NumPy, PyTorch on CPU or CUDA, ...), float32 or float64; the Gram matrix has the
namespace, device and dtype of the inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import Array, Instance, Integer, Optional, Real, check, namespace, validate

__all__ = [
    "Linear",
    "Polynomial",
    "Gaussian",
    "Laplacian",
    "ArcCosine",
    "Kernel",
    "KERNELS",
    "gram",
    "squared_distances",
    "PSDCheck",
    "psd_check",
]


#: $\gamma > 0$, finite.
GAMMA = Real(0, None, closed="neither")


def _fields(obj: Any) -> None:
    """Validate a kernel's parameters against its declared constraints and store them converted
    (``Real`` as ``float``, ``Integer`` as ``int``)."""
    for name, value in check(obj.__deepqed_constraints__, vars(obj)).items():
        object.__setattr__(obj, name, value)


@dataclass(frozen=True)
class Linear:
    r"""The linear kernel $k(x, z) = x^\top z$."""

    def matrix(self, X: Any, Z: Any) -> Any:
        return X @ Z.T


@dataclass(frozen=True)
class Polynomial:
    r"""The polynomial kernel $k(x, z) = (\gamma\,x^\top z + c)^q$, with $q\in\mathbb N$,
    $\gamma > 0$, $c\ge 0$."""

    degree: int = 2
    gamma: float = 1.0
    c: float = 1.0

    __deepqed_constraints__ = {"degree": Integer(1), "gamma": GAMMA, "c": Real(0, None)}

    def __post_init__(self) -> None:
        _fields(self)

    def matrix(self, X: Any, Z: Any) -> Any:
        return (self.gamma * (X @ Z.T) + self.c) ** int(self.degree)


@dataclass(frozen=True)
class Gaussian:
    r"""The Gaussian (RBF) kernel $k(x, z) = \exp(-\gamma\|x - z\|^2)$, $\gamma > 0$
    ($\gamma = 1/(2s^2)$ for the bandwidth $s$)."""

    gamma: float = 1.0

    __deepqed_constraints__ = {"gamma": GAMMA}

    def __post_init__(self) -> None:
        _fields(self)

    def matrix(self, X: Any, Z: Any) -> Any:
        return namespace(X).exp(-self.gamma * _squared_distances(X, Z))


@dataclass(frozen=True)
class Laplacian:
    r"""The Laplacian kernel $k(x, z) = \exp(-\gamma\|x - z\|_1)$, $\gamma > 0$ (scikit-learn's
    ``laplacian_kernel``). The $\ell^1$ distances are formed from an ``(m, p, d)`` array of
    differences (exact, memory proportional to $mpd$)."""

    gamma: float = 1.0

    __deepqed_constraints__ = {"gamma": GAMMA}

    def __post_init__(self) -> None:
        _fields(self)

    def matrix(self, X: Any, Z: Any) -> Any:
        xp = namespace(X)
        D1 = xp.sum(xp.abs(X[:, None, :] - Z[None, :, :]), axis=2)  # (m, p), ||x_i - z_j||_1
        return xp.exp(-self.gamma * D1)


@dataclass(frozen=True)
class ArcCosine:
    r"""The arc-cosine kernel of degree 1, normalised as $\mathbb E_{w\sim N(0, I_d)}
    [\operatorname{ReLU}(w^\top x)\operatorname{ReLU}(w^\top z)]$ (Proposition `prop-arccos-kernel`):

    $$k(x, z) = \frac{\|x\|\|z\|}{2\pi}\bigl(\sin\theta + (\pi - \theta)\cos\theta\bigr),\qquad
    \cos\theta = \frac{x^\top z}{\|x\|\|z\|}\in[-1, 1],$$

    and $k(x, z) = 0$ if $x = 0$ or $z = 0$. (Cho and Saul's $k_1$ is twice this.)"""

    def matrix(self, X: Any, Z: Any) -> Any:
        xp = namespace(X)
        nx = xp.sqrt(xp.sum(X * X, axis=1))[:, None]  # (m, 1)
        nz = xp.sqrt(xp.sum(Z * Z, axis=1))[None, :]  # (1, p)
        N = nx * nz
        safe = xp.where(N > 0, N, xp.ones_like(N))
        cos = xp.clip((X @ Z.T) / safe, -1.0, 1.0)
        theta = xp.acos(cos)
        sin2 = (1 - cos) * (1 + cos)  # 1 -/+ cos exact near cos = +/-1
        sin = xp.sqrt(xp.maximum(sin2, xp.zeros_like(sin2)))
        K = N / (2 * math.pi) * (sin + (math.pi - theta) * cos)
        return xp.astype(xp.where(N > 0, K, xp.zeros_like(K)), X.dtype, copy=False)


Kernel = Linear | Polynomial | Gaussian | Laplacian | ArcCosine

#: The kernels by name, with default parameters (a plain table for tests and the book).
KERNELS: dict[str, Kernel] = {
    "linear": Linear(),
    "polynomial": Polynomial(),
    "gaussian": Gaussian(),
    "laplacian": Laplacian(),
    "arccos": ArcCosine(),
}


#: Any kernel of this module.
KERNEL = Instance(
    (Linear, Polynomial, Gaussian, Laplacian, ArcCosine), what="a kernel of deepqed.kernels"
)
#: Samples $X\in\mathbb R^{m\times d}$, one per row (any array API namespace, float32 or float64).
SAMPLES = Array(shape=("m", "d"))
#: A second batch $Z\in\mathbb R^{p\times d}$.
OTHERS = Array(shape=("p", "d"))


#: Pairs whose squared distance from the expansion is at most this many times its rounding bound
#: are recomputed from the differences $x_i - z_j$.
NEAR = 64.0
#: Entries of differences formed at once when near pairs are recomputed (bounds the memory).
_CHUNK = 1 << 20


def _squared_distances(X: Any, Z: Any) -> Any:
    xp = namespace(X)
    same = Z is X
    centre = xp.mean(X, axis=0) if same else xp.mean(xp.concat([X, Z]), axis=0)
    Xc = X - centre
    Zc = Xc if same else Z - centre
    sx = xp.sum(Xc * Xc, axis=1)[:, None]
    sz = xp.sum(Zc * Zc, axis=1)[None, :]
    D = sx + sz - 2 * (Xc @ Zc.T)
    D = xp.maximum(D, xp.zeros_like(D))
    # rounding bound of the expansion, 2 gamma_{d+2} (|x|^2 + |z|^2), with room
    u = float(xp.finfo(X.dtype).eps) / 2
    tol = 4 * (X.shape[1] + 3) * u * (sx + sz)
    near = tol * NEAR >= D
    if array_api_compat.is_numpy_namespace(xp):
        rows, cols = np.nonzero(near)
        step = max(1, _CHUNK // max(1, X.shape[1]))
        for s in range(0, rows.size, step):
            r, c = rows[s : s + step], cols[s : s + step]
            diff = Xc[r] - Zc[c]
            D[r, c] = np.sum(diff * diff, axis=1)
        if same:
            np.fill_diagonal(D, 0)
        return D
    # other namespaces have no scattered assignment: recompute blocks of rows that hold a near
    # pair from their (rows, p, d) differences and select the recomputed entries
    m, p = D.shape
    step = max(1, _CHUNK // max(1, p * X.shape[1]))
    blocks = []
    for s in range(0, m, step):
        e = min(s + step, m)
        block, near_block = D[s:e, :], near[s:e, :]
        if bool(xp.any(near_block)):
            diff = Xc[s:e, None, :] - Zc[None, :, :]
            block = xp.where(near_block, xp.sum(diff * diff, axis=2), block)
        blocks.append(block)
    D = xp.concat(blocks) if len(blocks) > 1 else blocks[0]
    if same:
        eye = xp.eye(m, dtype=D.dtype, device=array_api_compat.device(D))
        D = xp.where(eye == 1, xp.zeros_like(D), D)
    return D


@validate(X=SAMPLES, Z=OTHERS)
def squared_distances(X: Any, Z: Any) -> Any:
    r"""$D_{ij} = \|x_i - z_j\|^2$, shape ``(m, p)``, in the dtype of ``X``.

    One matrix product instead of an ``(m, p, d)`` array of differences: with both batches
    centred at their common mean $\bar x$ (which changes no difference),
    $D_{ij} = \max(\|x_i - \bar x\|^2 + \|z_j - \bar x\|^2 - 2(x_i - \bar x)^\top(z_j - \bar x),\ 0)$.
    The expansion's rounding error is up to about $(d + 2)\,u\,(\|x_i - \bar x\|^2 + \|z_j -
    \bar x\|^2)$ ($u$ the unit roundoff), which for nearby points can exceed $D_{ij}$ itself (a
    point of norm $10^4$ repeated in float32 can be at distance $10$ from itself): pairs whose value is
    within ``NEAR`` $= 64$ times that bound are recomputed as $\sum_l(x_{il} - z_{jl})^2$, which is
    exact to relative rounding, and exactly $0$ for repeated points. The clip at $0$ removes the
    negative values of cancellation (which would give $k > 1$ for the Gaussian kernel). If
    ``Z is X`` the diagonal is exactly $0$.
    """
    return _squared_distances(X, Z)


def _gram(kernel: Kernel, X: Any, Z: Any | None = None) -> Any:
    return namespace(X).astype(kernel.matrix(X, X if Z is None else Z), X.dtype, copy=False)


@validate(kernel=KERNEL, X=SAMPLES, Z=Optional(OTHERS))
def gram(kernel: Kernel, X: Any, Z: Any | None = None) -> Any:
    r"""The matrix $K_{ij} = k(x_i, z_j)$ (Definition `def-psd-kernel`).

    Arguments:
        kernel: one of :class:`Linear`, :class:`Polynomial`, :class:`Gaussian`,
            :class:`Laplacian`, :class:`ArcCosine`.
        X: shape ``(m, d)``, rows $x_i^\top$, float32 or float64.
        Z: shape ``(p, d)``, rows $z_j^\top$, same dtype; default ``X``.

    Returns:
        ``K`` of shape ``(m, p)`` (``(m, m)`` when ``Z`` is omitted) and the dtype of ``X``.
    """
    return _gram(kernel, X, Z)


@dataclass(frozen=True)
class PSDCheck:
    """The outcome of :func:`psd_check`: smallest eigenvalue, the tolerance, the verdict."""

    min_eigenvalue: float
    asymmetry: float
    tolerance: float

    __deepqed_constraints__ = {
        "min_eigenvalue": Real(),
        "asymmetry": Real(0, None),
        "tolerance": Real(0, None),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    @property
    def is_psd(self) -> bool:
        return self.min_eigenvalue >= -self.tolerance and self.asymmetry <= self.tolerance


@validate(K=Array(shape=("n", "n")), rtol=Optional(Real(0, None)))
def psd_check(K: Any, *, rtol: float | None = None) -> PSDCheck:
    r"""Whether the square matrix ``K`` is symmetric positive semi-definite up to rounding.

    The eigenvalues of $\tfrac12(K + K^\top)$ are computed by ``eigvalsh`` of the namespace of
    ``K`` in float64; $K$ passes if $\lambda_{\min}\ge-\tau$ and $\max_{ij}|K_{ij} - K_{ji}|\le\tau$, with
    $\tau = \mathrm{rtol}\cdot\max(1, \max_i|\lambda_i|)$ and by default
    $\mathrm{rtol} = 10\,n\,\epsilon_{\mathrm{mach}}$ ($\epsilon_{\mathrm{mach}}$ the machine epsilon of
    ``K``'s dtype, ``numpy.finfo(dtype).eps``): a
    symmetric eigensolver is backward stable with error $O(n\epsilon_{\mathrm{mach}}\|K\|_2)$.

    Arguments:
        K: shape ``(n, n)``, float32 or float64.
        rtol: the relative tolerance $\ge 0$; default $10\,n\,\epsilon_{\mathrm{mach}}$.
    """
    xp = namespace(K)
    n = K.shape[0]
    if rtol is None:
        rtol = 10 * n * float(xp.finfo(K.dtype).eps)
    K64 = xp.astype(K, xp.float64)
    ev = xp.linalg.eigvalsh((K64 + K64.T) / 2)
    tol = rtol * max(1.0, float(xp.max(xp.abs(ev))))
    return PSDCheck(float(ev[0]), float(xp.max(xp.abs(K64 - K64.T))), tol)
