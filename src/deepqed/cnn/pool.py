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

The functions are written in the array API (NumPy, PyTorch on CPU or CUDA, any other library of
the standard); results have the namespace, device and dtype of the arguments.
"""

from __future__ import annotations

from typing import Any

import array_api_compat
from array_api_compat import device
from numpy.lib.stride_tricks import as_strided

from .._validation import Array, Optional, fail, namespace, validate
from ._geometry import KERNEL, SHAPE, STRIDE, Geometry, contiguous, images, shape4, zeros

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


def _offsets(k: tuple[int, int], s: tuple[int, int], n_out: tuple) -> list:
    """For each window offset $a$ in row-major order, the slices of the positions
    $s\\odot i + a$, $i\\in\\Lambda_{n'}$."""
    return [
        (
            slice(a1, a1 + s[0] * (n_out[0] - 1) + 1, s[0]),
            slice(a2, a2 + s[1] * (n_out[1] - 1) + 1, s[1]),
        )
        for a1 in range(k[0])
        for a2 in range(k[1])
    ]


def _scatter(
    xp: Any, parts: list, like: Any, shape: tuple, k: tuple, s: tuple, n_out: tuple
) -> Any:
    """``dX[mu, c, s i + a] += parts[a][mu, c, i]`` over all window offsets ``a`` (row-major),
    ``dX`` of ``shape`` in the namespace, dtype and device of ``like``."""
    dX = zeros(xp, shape, like)
    for (rows, cols), part in zip(_offsets(k, s, n_out), parts):
        dX[:, :, rows, cols] += part
    return dX


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def avg_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> Any:
    r"""Average pooling (Definition `def-cnn-pooling`), like ``torch.nn.functional.avg_pool2d``.

    Arguments:
        X: shape ``(m, C, n_1, n_2)``, float32 or float64.
        kernel_size: $(k_1, k_2)$ or an int; stride: $(s_1, s_2)$, an int, or ``None`` ($=k$).

    Returns:
        shape ``(m, C, n_1', n_2')``.
    """
    s, n_out = _sizes(X.shape, kernel_size, stride)
    if array_api_compat.is_numpy_array(X):  # NumPy's mean over a strided view of the windows
        sN, sC, sH, sW = X.strides
        windows = as_strided(
            X, (*X.shape[:2], *n_out, *kernel_size), (sN, sC, s[0] * sH, s[1] * sW, sH, sW)
        )  # windows[mu, c, i_1, i_2, a_1, a_2] = X[mu, c, i_1 s_1 + a_1, i_2 s_2 + a_2]
        return windows.mean(axis=(4, 5))
    total = None
    for rows, cols in _offsets(kernel_size, s, n_out):  # sum over the window, a row-major
        total = X[:, :, rows, cols] if total is None else total + X[:, :, rows, cols]
    return total / (kernel_size[0] * kernel_size[1])


@validate(G=_G, input_shape=SHAPE, kernel_size=KERNEL, stride=_STRIDE)
def avg_pool2d_backward(
    G: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, stride: Any = None
) -> Any:
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
    parts = [Gs] * (kernel_size[0] * kernel_size[1])
    return _scatter(namespace(G), parts, G, shape, kernel_size, s, n_out)


def _fits(name: str, G: Any, shape: tuple, n_out: tuple) -> None:
    if tuple(G.shape) != (*shape[:2], *n_out):
        fail(
            name,
            f"have the output shape (m, C, n_1', n_2') = {(*shape[:2], *n_out)} of the pooling "
            f"of an input of shape {shape}",
            f"shape {tuple(G.shape)}",
        )


def _max_pool_forward(xp: Any, X: Any, k: tuple, s: tuple | None) -> tuple[Any, Any]:
    """:func:`max_pool2d_forward` on validated arguments (finite entries): the window's entries
    are visited in row-major order and replace the running maximum only when strictly larger,
    so that ``idx`` is the first maximiser."""
    s, n_out = _sizes(X.shape, k, s)
    windows = _offsets(k, s, n_out)
    Z = X[:, :, windows[0][0], windows[0][1]]
    idx = xp.zeros(Z.shape, dtype=xp.int64, device=device(X))
    for a, (rows, cols) in enumerate(windows[1:], start=1):  # a = a_1 k_2 + a_2
        Xa = X[:, :, rows, cols]
        larger = Xa > Z
        Z = xp.where(larger, Xa, Z)
        idx = xp.where(larger, xp.asarray(a, dtype=xp.int64, device=device(X)), idx)
    if len(windows) == 1:  # a 1 x 1 window: Z is X itself (sliced), returned as a new array
        Z = contiguous(xp.asarray(Z, copy=True))
    return Z, idx


def _max_pool_backward(xp: Any, G: Any, idx: Any, shape: tuple, k: tuple, s: tuple | None) -> Any:
    """:func:`max_pool2d_backward` on validated arguments."""
    s, n_out = _sizes(shape, k, s)
    zero = xp.zeros_like(G)
    parts = [xp.where(idx == a, G, zero) for a in range(k[0] * k[1])]  # G where a was selected
    return _scatter(xp, parts, G, shape, k, s, n_out)


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def max_pool2d_forward(X: Any, kernel_size: Any, stride: Any = None) -> tuple[Any, Any]:
    r"""Max pooling and the selected maximiser of each window (Definition `def-cnn-pooling`).

    Returns:
        ``(Z, idx)``: ``Z`` of shape ``(m, C, n_1', n_2')``; ``idx`` (int64, same shape) holds
        $a_1 k_2 + a_2$ for the first maximiser $s\odot i + a$ of the window in row-major
        order (the tie convention).
    """
    return _max_pool_forward(namespace(X), X, kernel_size, stride)


@validate(X=_X, kernel_size=KERNEL, stride=_STRIDE)
def max_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> Any:
    """Max pooling, like ``torch.nn.functional.max_pool2d`` (no padding); see
    :func:`max_pool2d_forward`."""
    return _max_pool_forward(namespace(X), X, kernel_size, stride)[0]


@validate(
    G=_G,
    idx=Array(shape=("m", "C", "n_1'", "n_2'"), dtype="integer", low=0),
    input_shape=SHAPE,
    kernel_size=KERNEL,
    stride=_STRIDE,
)
def max_pool2d_backward(
    G: Any, idx: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, stride: Any = None
) -> Any:
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
    xp = namespace(G)
    top = int(namespace(idx).max(idx))
    if top >= window:
        fail(
            "idx",
            f"hold window offsets a_1 k_2 + a_2 in [0, k_1 k_2) = [0, {window})",
            f"a maximum of {top}",
        )
    return _max_pool_backward(xp, G, xp.astype(idx, xp.int64), shape, kernel_size, stride)
