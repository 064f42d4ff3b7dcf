r"""Average and max pooling with their backward rules (Section "Pooling" of the chapter
*Convolutional networks*).

For $X\in\mathbb R^{m\times C\times n_1\times n_2}$, window $k = (k_1, k_2)$ and stride
$s = (s_1, s_2)$ (default $s = k$), without padding, the window of output position
$i\in\Lambda_{n'}$ is $\Omega_i = \{s\odot i + a: a\in\Lambda_k\}$, with
$n_r' = \lfloor (n_r - k_r)/s_r\rfloor + 1$ (Definition `def-cnn-pooling`):

$$\operatorname{avg}(X)_{\mu,c,i} = \frac1{k_1k_2}\sum_{u\in\Omega_i}X_{\mu,c,u},\qquad
\operatorname{maxpool}(X)_{\mu,c,i} = \max_{u\in\Omega_i}X_{\mu,c,u}.$$

Tie convention of the max (Proposition `prop-cnn-maxpool-derivative`): the backward rule routes
$G_{\mu,c,i}$ to the *first* maximiser of the window in row-major order (smallest $a_1$, then
smallest $a_2$), which is what ``numpy.argmax`` returns and what PyTorch's CPU kernel of ``max_pool2d``
does (it replaces the running maximum only on a strictly larger value). Part 3 of the proposition
shows that this routing is a one-sided limit of derivatives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._validation import Array, Optional, fail, validate
from ._geometry import KERNEL, SHAPE, STRIDE, Geometry, images, shape4

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "max_pool2d",
    "max_pool2d_forward",
    "max_pool2d_backward",
]

_X = images("m", "C", "n_1", "n_2")
_G = images("m", "C", "n_1'", "n_2'")
_STRIDE = Optional(STRIDE)


def _sizes(shape: tuple[int, ...], k: tuple[int, int], s: tuple[int, int] | None) -> tuple:
    """``(s, (n_1', n_2'))`` for windows ``k`` and stride ``s`` (``None``: ``k``) on an input of
    spatial shape ``shape[2:]``; a ``ValueError`` names ``kernel_size`` if a window does not fit."""
    s = k if s is None else s
    return s, Geometry(stride=s).out_shape(*shape[2:], *k, kernel="kernel_size")


def _windows(X: np.ndarray, k: tuple[int, int], s: tuple[int, int], n_out: tuple) -> np.ndarray:
    """View ``w[mu, c, i_1, i_2, a_1, a_2] = X[mu, c, i_1 s_1 + a_1, i_2 s_2 + a_2]`` (no copy)."""
    sN, sC, sH, sW = X.strides
    return as_strided(
        X, (*X.shape[:2], *n_out, *k), (sN, sC, s[0] * sH, s[1] * sW, sH, sW), writeable=False
    )


def _scatter(parts: Any, shape: tuple, k: tuple, s: tuple, n_out: tuple, dtype: Any) -> np.ndarray:
    """``dX[mu, c, i s + a] += parts(a)[mu, c, i]`` over all window offsets ``a``."""
    dX = np.zeros(shape, dtype=dtype)
    for a1 in range(k[0]):
        for a2 in range(k[1]):
            rows = slice(a1, a1 + s[0] * (n_out[0] - 1) + 1, s[0])
            cols = slice(a2, a2 + s[1] * (n_out[1] - 1) + 1, s[1])
            dX[:, :, rows, cols] += parts(a1, a2)
    return dX


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def avg_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> np.ndarray:
    r"""Average pooling (Definition `def-cnn-pooling`), like ``torch.nn.functional.avg_pool2d``.

    Arguments:
        X: shape ``(m, C, n_1, n_2)``, float32 or float64.
        kernel_size: $(k_1, k_2)$ or an int; stride: $(s_1, s_2)$, an int, or ``None`` ($=k$).

    Returns:
        shape ``(m, C, n_1', n_2')``.
    """
    s, n_out = _sizes(X.shape, kernel_size, stride)
    return _windows(X, kernel_size, s, n_out).mean(axis=(4, 5))


@validate(G=_G, input_shape=SHAPE, kernel_size=KERNEL, stride=_STRIDE)
def avg_pool2d_backward(
    G: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, stride: Any = None
) -> np.ndarray:
    r"""$\mathrm dX = \operatorname{avg}^*(G)$: $\mathrm dX_{\mu,c,u} = \frac1{k_1k_2}
    \sum_{i:\,u\in\Omega_i}G_{\mu,c,i}$ (Proposition `prop-cnn-pool-backward`).

    Arguments:
        G: $\partial\mathcal L/\partial Z$, shape ``(m, C, n_1', n_2')``.
        input_shape: $(m, C, n_1, n_2)$ of the forward input.

    Returns:
        shape ``input_shape``.
    """
    shape = shape4("input_shape", input_shape)
    s, n_out = _sizes(shape, kernel_size, stride)
    _fits("G", G, shape, n_out)
    Gs = G / (kernel_size[0] * kernel_size[1])
    return _scatter(lambda a1, a2: Gs, shape, kernel_size, s, n_out, G.dtype)


def _fits(name: str, G: Any, shape: tuple, n_out: tuple) -> None:
    if tuple(G.shape) != (*shape[:2], *n_out):
        fail(
            name,
            f"have the output shape (m, C, n_1', n_2') = {(*shape[:2], *n_out)} of the pooling "
            f"of an input of shape {shape}",
            f"shape {tuple(G.shape)}",
        )


def _max_pool_forward(X: np.ndarray, k: tuple, s: tuple | None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`max_pool2d_forward` on validated arguments."""
    s, n_out = _sizes(X.shape, k, s)
    w = _windows(X, k, s, n_out).reshape(*X.shape[:2], *n_out, k[0] * k[1])  # a copy
    idx = np.argmax(w, axis=-1)  # the first maximiser in row-major order: a_1 k_2 + a_2
    Z = np.take_along_axis(w, idx[..., None], axis=-1)[..., 0]
    return Z, idx


def _max_pool_backward(
    G: np.ndarray, idx: np.ndarray, shape: tuple, k: tuple, s: tuple | None
) -> np.ndarray:
    """:func:`max_pool2d_backward` on validated arguments."""
    s, n_out = _sizes(shape, k, s)
    return _scatter(
        lambda a1, a2: np.where(idx == a1 * k[1] + a2, G, 0), shape, k, s, n_out, G.dtype
    )


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def max_pool2d_forward(
    X: Any, kernel_size: Any, stride: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Max pooling and the selected maximiser of each window (Definition `def-cnn-pooling`).

    Returns:
        ``(Z, idx)``: ``Z`` of shape ``(m, C, n_1', n_2')``; ``idx`` (int64, same shape) holds
        $a_1 k_2 + a_2$ for the first maximiser $s\odot i + a$ of the window in row-major
        order (the tie convention).
    """
    return _max_pool_forward(X, kernel_size, stride)


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def max_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> np.ndarray:
    """Max pooling, like ``torch.nn.functional.max_pool2d`` (no padding); see
    :func:`max_pool2d_forward`."""
    return _max_pool_forward(X, kernel_size, stride)[0]


@validate(
    G=_G,
    idx=Array(shape=("m", "C", "n_1'", "n_2'"), dtype="integer", low=0, numpy=True),
    input_shape=SHAPE,
    kernel_size=KERNEL,
    stride=_STRIDE,
)
def max_pool2d_backward(
    G: Any, idx: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, stride: Any = None
) -> np.ndarray:
    r"""$\mathrm dX_{\mu,c,u} = \sum_{i:\,u = \pi_{\mu,c,i}}G_{\mu,c,i}$, where
    $\pi_{\mu,c,i} = s\odot i + a$ is the maximiser of window $i$ selected by ``idx``
    $= a_1 k_2 + a_2$ (Proposition `prop-cnn-maxpool-derivative`): the gradient is routed to
    the argmax, and adds up where overlapping windows (stride < kernel) select the same position.

    Arguments:
        G: shape ``(m, C, n_1', n_2')``.
        idx: from :func:`max_pool2d_forward`, shape of ``G``, entries in $[0, k_1k_2)$.
        input_shape: $(m, C, n_1, n_2)$.

    Returns:
        shape ``input_shape``.
    """
    shape = shape4("input_shape", input_shape)
    _, n_out = _sizes(shape, kernel_size, stride)
    _fits("G", G, shape, n_out)
    window = kernel_size[0] * kernel_size[1]
    if int(idx.max()) >= window:
        fail(
            "idx",
            f"hold window offsets a_1 k_2 + a_2 in [0, k_1 k_2) = [0, {window})",
            f"a maximum of {int(idx.max())}",
        )
    return _max_pool_backward(G, idx, shape, kernel_size, stride)
