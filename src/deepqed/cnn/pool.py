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
does (it replaces the running maximum only on a strictly larger value).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._geometry import check_images, check_shape, output_size, pair

__all__ = [
    "avg_pool2d",
    "avg_pool2d_backward",
    "max_pool2d",
    "max_pool2d_forward",
    "max_pool2d_backward",
]


def _setup(X: Any, kernel_size: Any, stride: Any) -> tuple[int, int, int, int, int, int]:
    kh, kw = pair("kernel_size", kernel_size, least=1)
    sh, sw = (kh, kw) if stride is None else pair("stride", stride, least=1)
    return kh, kw, sh, sw, output_size(X.shape[2], kh, sh), output_size(X.shape[3], kw, sw)


def _windows(X: np.ndarray, kh: int, kw: int, sh: int, sw: int, Ho: int, Wo: int) -> np.ndarray:
    """View ``w[n, c, i, j, a, b] = X[n, c, i s_1 + a, j s_2 + b]`` (no copy)."""
    sN, sC, sH, sW = X.strides
    m, C = X.shape[:2]
    return as_strided(
        X, (m, C, Ho, Wo, kh, kw), (sN, sC, sh * sH, sw * sW, sH, sW), writeable=False
    )


def _scatter(
    parts: Any,
    shape: tuple[int, ...],
    kh: int,
    kw: int,
    sh: int,
    sw: int,
    Ho: int,
    Wo: int,
    dtype: Any,
) -> np.ndarray:
    """``dX[n, c, i s_1 + a, j s_2 + b] += parts(a, b)[n, c, i, j]`` over all offsets (a, b)."""
    dX = np.zeros(shape, dtype=dtype)
    for a in range(kh):
        for b in range(kw):
            dX[:, :, a : a + sh * (Ho - 1) + 1 : sh, b : b + sw * (Wo - 1) + 1 : sw] += parts(a, b)
    return dX


def avg_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> np.ndarray:
    r"""Average pooling (Definition `def-cnn-pooling`), like ``torch.nn.functional.avg_pool2d``.

    Arguments:
        X: shape ``(m, C, n_1, n_2)``, float32 or float64.
        kernel_size: $(k_1, k_2)$ or an int; stride: $(s_1, s_2)$, an int, or ``None`` ($=k$).

    Returns:
        shape ``(m, C, n_1', n_2')``.
    """
    X = check_images("X", X)
    kh, kw, sh, sw, Ho, Wo = _setup(X, kernel_size, stride)
    return _windows(X, kh, kw, sh, sw, Ho, Wo).mean(axis=(4, 5))


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
    G = check_images("G", G)
    m, C, H, W = input_shape
    kh, kw = pair("kernel_size", kernel_size, least=1)
    sh, sw = (kh, kw) if stride is None else pair("stride", stride, least=1)
    Ho, Wo = output_size(H, kh, sh), output_size(W, kw, sw)
    check_shape("G", G, (m, C, Ho, Wo), "(m, C, n_1', n_2')")
    Gs = G / (kh * kw)
    return _scatter(lambda a, b: Gs, (m, C, H, W), kh, kw, sh, sw, Ho, Wo, G.dtype)


def max_pool2d_forward(
    X: Any, kernel_size: Any, stride: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    r"""Max pooling and the argmax of each window (Definition `def-cnn-pooling`).

    Returns:
        ``(Z, idx)``: ``Z`` of shape ``(m, C, n_1', n_2')``; ``idx`` (int64, same shape) holds
        $a_1 k_2 + a_2$ for the first maximiser $s\odot i + a$ of the window in row-major
        order (the tie convention).
    """
    X = check_images("X", X)
    kh, kw, sh, sw, Ho, Wo = _setup(X, kernel_size, stride)
    w = _windows(X, kh, kw, sh, sw, Ho, Wo).reshape(*X.shape[:2], Ho, Wo, kh * kw)  # a copy
    idx = np.argmax(w, axis=-1)  # first maximiser (row-major)
    Z = np.take_along_axis(w, idx[..., None], axis=-1)[..., 0]
    return Z, idx


def max_pool2d(X: Any, kernel_size: Any, stride: Any = None) -> np.ndarray:
    """Max pooling, like ``torch.nn.functional.max_pool2d`` (no padding); see
    :func:`max_pool2d_forward`."""
    return max_pool2d_forward(X, kernel_size, stride)[0]


def max_pool2d_backward(
    G: Any, idx: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, stride: Any = None
) -> np.ndarray:
    r"""$\mathrm dX_{\mu,c,u} = \sum_{i:\,u = \pi_{\mu,c,i}}G_{\mu,c,i}$, where
    $\pi_{\mu,c,i}$ is the selected maximiser of window $i$ (Proposition
    `prop-cnn-maxpool-derivative`): the gradient is routed to the argmax, and adds up where
    overlapping windows (stride < kernel) select the same position.

    Arguments:
        G: shape ``(m, C, n_1', n_2')``; idx: from :func:`max_pool2d_forward`;
        input_shape: $(m, C, n_1, n_2)$.

    Returns:
        shape ``input_shape``.
    """
    G = check_images("G", G)
    m, C, H, W = input_shape
    kh, kw = pair("kernel_size", kernel_size, least=1)
    sh, sw = (kh, kw) if stride is None else pair("stride", stride, least=1)
    Ho, Wo = output_size(H, kh, sh), output_size(W, kw, sw)
    check_shape("G", G, (m, C, Ho, Wo), "(m, C, n_1', n_2')")
    check_shape("idx", idx, (m, C, Ho, Wo), "(m, C, n_1', n_2')")
    return _scatter(
        lambda a, b: np.where(idx == a * kw + b, G, 0),
        (m, C, H, W),
        kh,
        kw,
        sh,
        sw,
        Ho,
        Wo,
        G.dtype,
    )
