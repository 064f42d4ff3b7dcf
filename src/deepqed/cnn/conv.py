r"""Multi-channel 2-D cross-correlation (the "convolution" of deep learning), forward and backward.

Chapter *Convolutional networks*. Layout NCHW, as in PyTorch: inputs $X\in\mathbb R^{m\times
C_{in}\times n_1\times n_2}$ (batch, channels, height, width), weights $W\in\mathbb R^{C_{out}\times
C_{in}\times k_1\times k_2}$, bias $b\in\mathbb R^{C_{out}}$, outputs
$Z\in\mathbb R^{m\times C_{out}\times n_1'\times n_2'}$ with, for positions $i\in\Lambda_{n'}$ and
kernel offsets $a\in\Lambda_k$ (pairs),

$$Z_{\mu,o,i} = b_o + \sum_{c=0}^{C_{in}-1}\sum_{a\in\Lambda_k}W_{o,c,a}\,
\tilde X_{\mu,c,\,s\odot i + d\odot a}$$

(Definition `def-cnn-cross-correlation`; $\tilde X$ is the zero- or circularly padded input). The
forward rule and its backward rule (Theorem `thm-cnn-conv-backward`) stand side by side:

forward   ``Z = W2 @ cols + b``                   with ``cols = im2col(X)``, ``W2 = W.reshape(C_out, -1)``
backward  ``dW = G2 @ cols.T``, ``db = sum G``, ``dX = col2im(W2.T @ G2)`` = the adjoint
          (transposed convolution) applied to ``G`` (Theorem `thm-cnn-adjoint`).

NumPy only (float32 or float64); one large matrix product per rule. Internally the columns of
``cols`` and ``G2`` are ordered $(i_1, i_2, \mu)$ (batch index innermost; see
:mod:`deepqed.cnn.im2col` for why), a permutation of the columns that leaves every product above
unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._geometry import Geometry, check_images, check_same_dtype, check_shape, geometry
from .im2col import _chwn_view, _col2im_matmul_cf, _from_chwn, _im2col_cf, _to_chwn

__all__ = [
    "ConvCache",
    "conv2d_counts",
    "conv2d",
    "conv2d_forward",
    "conv2d_backward",
    "conv_transpose2d",
]


@dataclass(frozen=True)
class ConvCache:
    """What the backward rule needs from the forward pass: ``cols`` $=\\operatorname{im2col}(X)$,
    shape ``(C_in k_1 k_2, m n_1' n_2')`` with its columns in the internal order
    $(i_1, i_2, \\mu)$, the input shape $(m, C_{in}, n_1, n_2)$ and the geometry."""

    cols: np.ndarray
    input_shape: tuple[int, int, int, int]
    geometry: Geometry


def _check_conv(X: Any, W: Any, b: Any) -> None:
    check_images("X", X)
    check_images("W", W)
    if X.shape[1] != W.shape[1]:
        raise ValueError(
            f"argument 'W' must have shape (C_out, C_in, k_1, k_2) with C_in = "
            f"{X.shape[1]} (the channels of 'X'), got shape {W.shape}"
        )
    if b is not None:
        if not isinstance(b, np.ndarray):
            raise TypeError(f"argument 'b' must be a numpy.ndarray or None, got {type(b).__name__}")
        check_shape("b", b, (W.shape[0],), "(C_out,)")
    check_same_dtype(X=X, W=W, b=b)


def conv2d_forward(
    X: Any,
    W: Any,
    b: Any = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> tuple[np.ndarray, ConvCache]:
    r"""$Z = K_W(X) + b$ and the cache for :func:`conv2d_backward`.

    Implements Definition `def-cnn-cross-correlation` through the factorisation of Proposition
    `prop-cnn-im2col`: $Z_{(o),(n,i,j)} = (W_2\operatorname{im2col}(X))_{o,(n,i,j)} + b_o$.

    Arguments:
        X: input, shape ``(m, C_in, n_1, n_2)``.
        W: weights, shape ``(C_out, C_in, k_1, k_2)``, dtype of ``X``.
        b: bias, shape ``(C_out,)``, or ``None`` (no bias).
        stride: $s$, int or pair ``(s_1, s_2)``, $\ge1$.
        padding: $p$, int or pair, $\ge 0$.
        dilation: $d$, int or pair, $\ge1$.
        padding_mode: ``"zeros"`` or ``"circular"`` (the padded input is periodic).

    Returns:
        ``(Z, cache)``; ``Z`` of shape ``(m, C_out, n_1', n_2')`` (Proposition
        `prop-cnn-output-size`), dtype of ``X``.
    """
    _check_conv(X, W, b)
    g = geometry(stride, padding, dilation, padding_mode)
    m, C, H, Wd = X.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    cols = _im2col_cf(_chwn_view(X), kh, kw, g)  # (C k_1 k_2, n_1' n_2' m)
    Z2 = W.reshape(C_out, -1) @ cols  # (C_out, n_1' n_2' m)
    if b is not None:
        Z2 += b[:, None]
    Z = _from_chwn(Z2.reshape(C_out, Ho, Wo, m))
    return Z, ConvCache(cols, (m, C, H, Wd), g)


def conv2d(
    X: Any,
    W: Any,
    b: Any = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    r"""The cross-correlation $Z = K_W(X) + b$ of Definition `def-cnn-cross-correlation`;
    shapes and arguments as :func:`conv2d_forward` (like ``torch.nn.functional.conv2d``)."""
    return conv2d_forward(
        X, W, b, stride=stride, padding=padding, dilation=dilation, padding_mode=padding_mode
    )[0]


def conv2d_backward(
    G: Any, W: Any, cache: ConvCache, *, need_dX: bool = True
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    r"""Gradients of a scalar $\mathcal L$ through $Z = K_W(X) + b$ (Theorem `thm-cnn-conv-backward`).

    With $\Delta = G = \partial\mathcal L/\partial Z$:

    $$\mathrm dW_{o,c,a} = \sum_{\mu,i}\Delta_{\mu,o,i}\tilde X_{\mu,c,s\odot i + d\odot a},\quad
    \mathrm db_o = \sum_{\mu,i}\Delta_{\mu,o,i},\quad \mathrm dX_\mu = K_W^*(\Delta_\mu).$$

    Arguments:
        G: $\partial\mathcal L/\partial Z$, shape ``(m, C_out, n_1', n_2')``.
        W: the weights of the forward pass, shape ``(C_out, C_in, k_1, k_2)``.
        cache: from :func:`conv2d_forward`.
        need_dX: if false, ``dX`` is not computed (``None``): the first layer of a network needs
            no gradient with respect to its input (Proposition `prop-cnn-counts`).

    Returns:
        ``(dX, dW, db)`` of shapes ``(m, C_in, n_1, n_2)``, ``(C_out, C_in, k_1, k_2)``, ``(C_out,)``.
    """
    check_images("G", G)
    check_images("W", W)
    g = cache.geometry
    m, C, H, Wd = cache.input_shape
    C_out, C_in, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    check_shape("G", G, (m, C_out, Ho, Wo), "(m, C_out, n_1', n_2')")
    if C_in != C or cache.cols.shape[0] != C * kh * kw:
        raise ValueError(
            f"argument 'W' of shape {W.shape} does not match the cache "
            f"(input shape {cache.input_shape})"
        )
    check_same_dtype(G=G, W=W)
    G2 = _to_chwn(G).reshape(C_out, Ho * Wo * m)
    dW = (G2 @ cache.cols.T).reshape(W.shape)  # sum_mu,i Delta x~
    db = G2.sum(axis=1)  # sum_mu,i Delta
    if not need_dX:
        return None, dW, db
    # dX = col2im(W_2^T G_2), the rows of W_2^T G_2 computed a kernel row at a time
    dX = _from_chwn(_col2im_matmul_cf(W, G2, (C, H, Wd, m), g))
    return dX, dW, db


def conv_transpose2d(
    Y: Any,
    W: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
    padding_mode: str = "zeros",
) -> np.ndarray:
    r"""The transposed convolution $K_W^*(Y)$, the adjoint of $X\mapsto K_W(X)$ (Theorem
    `thm-cnn-adjoint`):

    $$K_W^*(Y)_{\mu,c,u} = \sum_{o}\sum_{(a,i):\ s\odot i + d\odot a = u + p}W_{o,c,a}\,Y_{\mu,o,i}$$

    for zero padding; for circular padding the condition is $(s\odot i + d\odot a - p)\bmod n = u$.
    As ``torch.nn.functional.conv_transpose2d(Y, W, stride=s, padding=p, output_padding=rho,
    dilation=d)`` (zero padding).

    Arguments:
        Y: shape ``(m, C_out, n_1', n_2')``.
        W: shape ``(C_out, C_in, k_1, k_2)`` (the weights of the convolution whose adjoint this is).
        output_padding: $\rho$ per axis, $0\le\rho_r<\max(s_r, d_r)$; the result has height
            $n_1 = (n_1'-1)s_1 - 2p_1 + d_1(k_1-1) + 1 + \rho_1$ (the $\rho_1$ rows that the
            convolution's last window does not reach; Proposition `prop-cnn-output-size`).

    Returns:
        shape ``(m, C_in, n_1, n_2)``.
    """
    check_images("Y", Y)
    check_images("W", W)
    check_same_dtype(Y=Y, W=W)
    g = geometry(stride, padding, dilation, padding_mode)
    rh, rw = (output_padding, output_padding) if isinstance(output_padding, int) else output_padding
    m, C_out, Ho, Wo = Y.shape
    if W.shape[0] != C_out:
        raise ValueError(
            f"argument 'W' must have shape (C_out, C_in, k_1, k_2) with C_out = "
            f"{C_out} (the channels of 'Y'), got shape {W.shape}"
        )
    _, C_in, kh, kw = W.shape
    if not (
        0 <= rh < max(g.stride[0], g.dilation[0]) and 0 <= rw < max(g.stride[1], g.dilation[1])
    ):
        raise ValueError(
            f"argument 'output_padding' must be in [0, max(s, d)), got {output_padding}"
        )
    H = (Ho - 1) * g.stride[0] - 2 * g.padding[0] + g.dilation[0] * (kh - 1) + 1 + rh
    Wd = (Wo - 1) * g.stride[1] - 2 * g.padding[1] + g.dilation[1] * (kw - 1) + 1 + rw
    if H < 1 or Wd < 1 or g.out_shape(H, Wd, kh, kw) != (Ho, Wo):
        raise ValueError(
            f"no input size of a convolution with this geometry gives the output "
            f"size {(Ho, Wo)} with output_padding {output_padding}"
        )
    Y2 = _to_chwn(Y).reshape(C_out, Ho * Wo * m)
    # col2im(W_2^T Y_2), the rows of W_2^T Y_2 computed a kernel row at a time
    return _from_chwn(_col2im_matmul_cf(W, Y2, (C_in, H, Wd, m), g))


def conv2d_counts(
    m: int,
    C_in: int,
    C_out: int,
    H: int,
    W: int,
    kernel_size: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    need_dX: bool = True,
) -> dict[str, int]:
    r"""Parameter and multiply-add counts of one convolution layer (Proposition `prop-cnn-counts`).

    With $M = m C_{out} n_1' n_2' C_{in} k_1 k_2$: ``parameters`` $= C_{out}(C_{in}k_1k_2+1)$,
    ``forward`` $= M$ (the product $W_2\operatorname{im2col}(X)$), ``backward`` $= 2M$ ($\mathrm dW$
    and $\mathrm dX$; $M$ without $\mathrm dX$), ``bias_adds`` $= NC_{out}n_1'n_2'$ (adding
    $b$ in the forward pass, and the additions of $\mathrm db$ in the backward pass are
    $m C_{out}n_1'n_2' - C_{out}$).
    """
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    g = geometry(stride, padding, dilation)
    Ho, Wo = g.out_shape(H, W, kh, kw)
    M = m * C_out * Ho * Wo * C_in * kh * kw
    return {
        "parameters": C_out * (C_in * kh * kw + 1),
        "forward": M,
        "backward": 2 * M if need_dX else M,
        "bias_adds": m * C_out * Ho * Wo,
    }
