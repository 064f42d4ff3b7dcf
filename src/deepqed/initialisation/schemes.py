r"""Initialisation schemes for fully connected networks.

Section "Variance-preserving initialisation" of the chapter *Initialisation and signal
propagation*. A network with widths $n_0, \dots, n_L$ is initialised with independent
$W^l_{jk}\sim N(0, c_w^{(l)}/n_{l-1})$ and $b^l_j\sim N(0, c_b)$ (Definition `def-init-schemes`):
LeCun $c_w = 1$, He $c_w = 2$, Glorot $c_w^{(l)} = 2n_{l-1}/(n_{l-1} + n_l)$ (variance
$2/(n_{l-1} + n_l)$); or with orthogonal matrices drawn from Haar measure, scaled by $\sqrt{c_w}$.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import Array, Generator, Integer, Optional, Options, Real, fail, validate

__all__ = ["SCHEMES", "weight_gains", "init_weights", "haar_orthogonal"]

#: The Gaussian schemes by name, and "orthogonal".
SCHEMES = ("lecun", "he", "glorot", "orthogonal")


@validate(widths=Array(ndim=1, dtype="integer", low=1, numpy=True), scheme=Options(*SCHEMES))
def weight_gains(widths: np.ndarray, scheme: str) -> np.ndarray:
    r"""The gains $c_w^{(l)}$, $l = 1, \dots, L$ (shape ``(L,)``): $1$ (LeCun), $2$ (He),
    $2n_{l-1}/(n_{l-1} + n_l)$ (Glorot), $1$ (orthogonal). The weight variance is
    $c_w^{(l)}/n_{l-1}$."""
    w = widths.astype(np.float64)
    if w.shape[0] < 2:
        fail("widths", "list n_0, ..., n_L with L >= 1", repr(tuple(widths)))
    n_in, n_out = w[:-1], w[1:]
    if scheme == "he":
        return np.full(n_in.shape, 2.0)
    if scheme == "glorot":
        return 2.0 * n_in / (n_in + n_out)
    return np.ones(n_in.shape)


@validate(n=Integer(1), m=Integer(1), rng=Generator(), size=Optional(Integer(1)))
def haar_orthogonal(
    n: int, m: int, rng: np.random.Generator, size: int | None = None
) -> np.ndarray:
    r"""An $n\times m$ matrix with orthonormal columns ($n\ge m$) or rows ($n < m$), distributed
    according to Haar measure: the $Q$ factor of a Gaussian matrix with the signs of the
    diagonal of $R$ moved into $Q$ (without that correction $Q$ is not Haar distributed).
    With ``size``, ``size`` independent matrices stacked, shape ``(size, n, m)``."""
    shape = (max(n, m), min(n, m)) if size is None else (size, max(n, m), min(n, m))
    Q, R = np.linalg.qr(rng.standard_normal(shape))
    d = np.diagonal(R, axis1=-2, axis2=-1)
    Q = Q * np.sign(np.where(d == 0, 1.0, d))[..., None, :]
    return Q if n >= m else np.swapaxes(Q, -1, -2)


@validate(
    widths=Array(ndim=1, dtype="integer", low=1, numpy=True),
    scheme=Options(*SCHEMES),
    rng=Generator(),
    gain=Real(0, None, closed="neither"),
)
def init_weights(
    widths: np.ndarray, scheme: str, rng: np.random.Generator, gain: float = 1.0
) -> list[np.ndarray]:
    r"""Weights $W^1, \dots, W^L$ (shapes ``(n_l, n_{l-1})``, float64) of Definition
    `def-init-schemes`: independent $N(0, c_w^{(l)}/n_{l-1})$ entries with $c_w^{(l)}$ from
    :func:`weight_gains`, or, for ``"orthogonal"``, $\sqrt{\text{gain}}$ times a Haar matrix
    with orthonormal rows or columns. ``gain`` multiplies the variance of the Gaussian schemes
    as well ($c_w\to\text{gain}\cdot c_w$)."""
    w = [int(n) for n in widths]
    gains = weight_gains(widths, scheme)
    out = []
    for l in range(1, len(w)):
        if scheme == "orthogonal":
            out.append(math.sqrt(gain) * haar_orthogonal(w[l], w[l - 1], rng))
        else:
            sd = math.sqrt(gain * gains[l - 1] / w[l - 1])
            out.append(sd * rng.standard_normal((w[l], w[l - 1])))
    return out
