r"""im2col and its adjoint col2im: a convolution as one matrix product (Proposition
`prop-cnn-im2col` of the chapter *Convolutional networks*).

For an input $X\in\mathbb R^{m\times C\times n_1\times n_2}$ and a kernel of size $k_1\times k_2$,
$\operatorname{im2col}(X)\in\mathbb R^{(Ck_1k_2)\times(mn_1'n_2')}$ has the entries

$$\operatorname{im2col}(X)_{(c,a),\,(\mu,i)} = \tilde X_{\mu,c,\,s\odot i + d\odot a},$$

where $\tilde X$ is the padded input (Definition `def-cnn-cross-correlation`), rows are ordered
$(c, a_1, a_2)$ and columns $(\mu, i_1, i_2)$, each lexicographically (row-major, as ``reshape`` orders
them). ``col2im`` is its adjoint: it adds each column's entries back to the input positions they
were read from, then applies the adjoint of padding.

Internally the arrays are kept channel-first, ``(C, m, n_1, n_2)``, so that the windows of all images
are copied once into a contiguous ``(C k_1 k_2, m n_1' n_2')`` matrix by a strided view
(``numpy.lib.stride_tricks.as_strided``) and one ``numpy.copyto``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._geometry import Geometry, check_images, geometry, pair

__all__ = ["im2col", "col2im", "pad", "pad_adjoint"]


# --- padding and its adjoint (channel-first layout, padding on the last two axes) ---------------
def _pad_cf(Xc: np.ndarray, g: Geometry) -> np.ndarray:
    """``Xc`` of shape (C, m, n_1, n_2) -> the padded (C, m, n_1 + 2p_1, n_2 + 2p_2)."""
    ph, pw = g.padding
    C, m, H, W = Xc.shape
    if g.padding_mode == "circular" and (ph > H or pw > W):
        raise ValueError(f"circular padding needs padding <= input size, got padding "
                         f"{g.padding} for an input of size {(H, W)}")
    Xp = np.zeros((C, m, H + 2 * ph, W + 2 * pw), dtype=Xc.dtype)
    Xp[:, :, ph:ph + H, pw:pw + W] = Xc
    if g.padding_mode == "circular":
        # tilde x_u = x_{(u - p) mod H}: the rows above come from the bottom, and vice versa
        if ph:
            Xp[:, :, :ph, pw:pw + W] = Xc[:, :, H - ph:, :]
            Xp[:, :, ph + H:, pw:pw + W] = Xc[:, :, :ph, :]
        if pw:
            Xp[:, :, :, :pw] = Xp[:, :, :, W:W + pw]
            Xp[:, :, :, pw + W:] = Xp[:, :, :, pw:2 * pw]
    return Xp


def _pad_adjoint_cf(Gp: np.ndarray, g: Geometry, H: int, W: int) -> np.ndarray:
    """Adjoint of ``_pad_cf``: crop (zero padding), or crop and fold the margins back (circular)."""
    ph, pw = g.padding
    if g.padding_mode == "circular":
        Gp = Gp.copy()
        if pw:                                   # fold columns first (they include the corners)
            Gp[:, :, :, W:W + pw] += Gp[:, :, :, :pw]
            Gp[:, :, :, pw:2 * pw] += Gp[:, :, :, pw + W:]
        if ph:
            Gp[:, :, H:H + ph, :] += Gp[:, :, :ph, :]
            Gp[:, :, ph:2 * ph, :] += Gp[:, :, ph + H:, :]
    return Gp[:, :, ph:ph + H, pw:pw + W]


def pad(X: Any, padding: Any, padding_mode: str = "zeros") -> np.ndarray:
    r"""The padded input $\tilde X$ of Definition `def-cnn-cross-correlation`, shape
    ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: zeros outside the image, or
    $\tilde X_{\mu,c,u} = X_{\mu,c,(u-p)\bmod n}$ (circular, requires $p\le n$)."""
    X = check_images("X", X)
    g = geometry(padding=padding, padding_mode=padding_mode)
    return _pad_cf(X.transpose(1, 0, 2, 3), g).transpose(1, 0, 2, 3)


def pad_adjoint(G: Any, input_shape: tuple[int, int], padding: Any,
                padding_mode: str = "zeros") -> np.ndarray:
    """The adjoint of :func:`pad`: ``G`` of the padded shape -> shape ``(m, C, n_1, n_2)``."""
    G = check_images("G", G)
    g = geometry(padding=padding, padding_mode=padding_mode)
    H, W = input_shape
    return _pad_adjoint_cf(G.transpose(1, 0, 2, 3), g, H, W).transpose(1, 0, 2, 3)


# --- im2col / col2im ----------------------------------------------------------------------------
def _im2col_cf(Xc: np.ndarray, kh: int, kw: int, g: Geometry) -> np.ndarray:
    """Channel-first ``Xc`` (C, m, H, W) -> ``cols`` (C k_1 k_2, m n_1' n_2'), contiguous."""
    C, m, H, W = Xc.shape
    Ho, Wo = g.out_shape(H, W, kh, kw)
    Xp = _pad_cf(Xc, g) if any(g.padding) else np.ascontiguousarray(Xc)
    sC, sN, sH, sW = Xp.strides
    (sh, sw), (dh, dw) = g.stride, g.dilation
    # windows[c, a, b, n, i, j] = Xp[c, n, i s_1 + a d_1, j s_2 + b d_2]   (a view, no copy)
    windows = as_strided(Xp, shape=(C, kh, kw, m, Ho, Wo),
                         strides=(sC, dh * sH, dw * sW, sN, sh * sH, sw * sW), writeable=False)
    cols = np.empty((C, kh, kw, m, Ho, Wo), dtype=Xp.dtype)
    np.copyto(cols, windows)
    return cols.reshape(C * kh * kw, m * Ho * Wo)


def _col2im_cf(cols: np.ndarray, shape_cf: tuple[int, int, int, int], kh: int, kw: int,
               g: Geometry) -> np.ndarray:
    """Adjoint of ``_im2col_cf``: ``cols`` (C k_1 k_2, m n_1' n_2') -> (C, m, H, W)."""
    C, m, H, W = shape_cf
    Ho, Wo = g.out_shape(H, W, kh, kw)
    (ph, pw), (sh, sw), (dh, dw) = g.padding, g.stride, g.dilation
    c6 = cols.reshape(C, kh, kw, m, Ho, Wo)
    Gp = np.zeros((C, m, H + 2 * ph, W + 2 * pw), dtype=cols.dtype)
    for a in range(kh):                # each kernel offset (a, b) reads a strided sub-grid of Xp
        rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
        for b in range(kw):
            Gp[:, :, rows, b * dw:b * dw + sw * (Wo - 1) + 1:sw] += c6[:, a, b]
    return _pad_adjoint_cf(Gp, g, H, W)


def im2col(X: Any, kernel_size: Any, *, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           padding_mode: str = "zeros") -> np.ndarray:
    r"""$\operatorname{im2col}(X)$ of Proposition `prop-cnn-im2col`.

    Arguments:
        X: input, shape ``(m, C, n_1, n_2)``, float32 or float64.
        kernel_size: $(k_1, k_2)$ (or one int).
        stride, padding, dilation, padding_mode: as in :func:`deepqed.cnn.conv2d`.

    Returns:
        shape ``(C k_1 k_2, m n_1' n_2')``; row $(c, a)$, column $(\mu, i)$ holds
        $\tilde X_{\mu,c,s\odot i + d\odot a}$ (same layout as ``torch.nn.functional.unfold``
        up to moving the batch index from the first axis into the columns).
    """
    X = check_images("X", X)
    kh, kw = pair("kernel_size", kernel_size, least=1)
    g = geometry(stride, padding, dilation, padding_mode)
    return _im2col_cf(X.transpose(1, 0, 2, 3), kh, kw, g)


def col2im(cols: Any, input_shape: tuple[int, int, int, int], kernel_size: Any, *,
           stride: Any = 1, padding: Any = 0, dilation: Any = 1,
           padding_mode: str = "zeros") -> np.ndarray:
    r"""The adjoint of :func:`im2col`: $\langle \operatorname{im2col}(X), M\rangle =
    \langle X, \operatorname{col2im}(M)\rangle$ for all $X$ of shape ``input_shape``
    $= (m, C, n_1, n_2)$ and $M$ of shape ``(C k_1 k_2, m n_1' n_2')``; returns shape ``input_shape``."""
    kh, kw = pair("kernel_size", kernel_size, least=1)
    g = geometry(stride, padding, dilation, padding_mode)
    m, C, H, W = (int(v) for v in input_shape)
    Ho, Wo = g.out_shape(H, W, kh, kw)
    if not isinstance(cols, np.ndarray) or cols.dtype not in (np.float32, np.float64):
        raise TypeError("argument 'cols' must be a float32 or float64 numpy.ndarray")
    if cols.shape != (C * kh * kw, m * Ho * Wo):
        raise ValueError(f"argument 'cols' must have shape {(C * kh * kw, m * Ho * Wo)} = "
                         f"(C k_1 k_2, m n_1' n_2'), got shape {cols.shape}")
    return _col2im_cf(cols, (C, m, H, W), kh, kw, g).transpose(1, 0, 2, 3)
