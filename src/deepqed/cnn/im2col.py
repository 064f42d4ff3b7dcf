r"""im2col and its adjoint col2im: a convolution as one matrix product (Proposition
`prop-cnn-im2col` of the chapter *Convolutional networks*).

For an input $X\in\mathbb R^{m\times C\times n_1\times n_2}$ and a kernel of size $k_1\times k_2$,
$\operatorname{im2col}(X)\in\mathbb R^{(Ck_1k_2)\times(mn_1'n_2')}$ has the entries

$$\operatorname{im2col}(X)_{(c,a),\,(\mu,i)} = \tilde X_{\mu,c,\,s\odot i + d\odot a},$$

where $\tilde X$ is the padded input (Definition `def-cnn-cross-correlation`), rows are ordered
$(c, a_1, a_2)$ and columns $(\mu, i_1, i_2)$, each lexicographically (row-major, as ``reshape`` orders
them). ``col2im`` is its adjoint: it adds each column's entries back to the input positions they
were read from, then applies the adjoint of padding.

Internally the arrays are kept channel-first and batch-last, ``(C, n_1, n_2, m)``, and the columns
are ordered $(i_1, i_2, \mu)$ instead of $(\mu, i_1, i_2)$: a permutation of the columns, which
changes neither the factorisation $Z_2 = W_2\operatorname{im2col}(X)$ (its columns are permuted the
same way) nor the backward products. Why: the windows of all images are copied once into a
contiguous ``(C k_1 k_2, n_1' n_2' m)`` matrix by a strided view
(``numpy.lib.stride_tricks.as_strided``) and one ``numpy.copyto``, and with the batch index
innermost every copied run has at least $m$ contiguous entries ($n_2' m$ for stride 1) instead of
at most $n_2'$; likewise for the slice-additions of col2im. With the short runs these copies cost
about as much as one of the three float32 matrix products of a layer. The public :func:`im2col` and :func:`col2im` keep the book's column order
$(\mu, i_1, i_2)$ (one extra permuting copy).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._geometry import Geometry, check_images, geometry, pair

__all__ = ["im2col", "col2im", "pad", "pad_adjoint"]


# --- the internal layout (C, n_1, n_2, m) and back -----------------------------------------------
def _chwn_view(X: np.ndarray) -> np.ndarray:
    """``X`` (m, C, n_1, n_2) -> a (C, n_1, n_2, m) view of a copy of ``X`` with the channel axis
    first, i.e. of contiguous (m, n_1 n_2) blocks, one per channel.

    Copying ``X.transpose(1, 2, 3, 0)`` into a contiguous array directly reads with a stride of a
    whole image (a cache and TLB miss per entry); first swapping the two leading axes (contiguous
    runs of $n_1 n_2$) and then transposing each channel's small block, which stays in cache, was 3x
    faster. The second copy is left to the caller: :func:`_pad_cf` makes it while padding."""
    return np.ascontiguousarray(X.transpose(1, 0, 2, 3)).transpose(0, 2, 3, 1)


def _to_chwn(X: np.ndarray) -> np.ndarray:
    """``X`` (m, C, n_1, n_2) -> contiguous (C, n_1, n_2, m), the same entries (two copies, see
    :func:`_chwn_view`)."""
    return np.ascontiguousarray(_chwn_view(X))


def _from_chwn(Xc: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_to_chwn`: (C, n_1, n_2, m) -> contiguous (m, C, n_1, n_2), in two
    copies for the same reason."""
    return np.ascontiguousarray(
        np.ascontiguousarray(Xc.transpose(0, 3, 1, 2)).transpose(1, 0, 2, 3)
    )


# --- padding and its adjoint (layout (C, n_1, n_2, m): padding on the axes 1 and 2) --------------
def _pad_cf(Xc: np.ndarray, g: Geometry) -> np.ndarray:
    """``Xc`` of shape (C, n_1, n_2, m) -> the padded, contiguous (C, n_1 + 2p_1, n_2 + 2p_2, m)."""
    ph, pw = g.padding
    C, H, W, m = Xc.shape
    if g.padding_mode == "circular" and (ph > H or pw > W):
        raise ValueError(
            f"circular padding needs padding <= input size, got padding "
            f"{g.padding} for an input of size {(H, W)}"
        )
    Xp = np.zeros((C, H + 2 * ph, W + 2 * pw, m), dtype=Xc.dtype)
    Xp[:, ph : ph + H, pw : pw + W] = Xc
    if g.padding_mode == "circular":
        # tilde x_u = x_{(u - p) mod H}: the rows above come from the bottom, and vice versa
        if ph:
            Xp[:, :ph, pw : pw + W] = Xc[:, H - ph :]
            Xp[:, ph + H :, pw : pw + W] = Xc[:, :ph]
        if pw:
            Xp[:, :, :pw] = Xp[:, :, W : W + pw]
            Xp[:, :, pw + W :] = Xp[:, :, pw : 2 * pw]
    return Xp


def _pad_adjoint_cf(Gp: np.ndarray, g: Geometry, H: int, W: int) -> np.ndarray:
    """Adjoint of ``_pad_cf``: crop (zero padding), or crop and fold the margins back (circular)."""
    ph, pw = g.padding
    if g.padding_mode == "circular":
        Gp = Gp.copy()
        if pw:  # fold columns first (they include the corners)
            Gp[:, :, W : W + pw] += Gp[:, :, :pw]
            Gp[:, :, pw : 2 * pw] += Gp[:, :, pw + W :]
        if ph:
            Gp[:, H : H + ph] += Gp[:, :ph]
            Gp[:, ph : 2 * ph] += Gp[:, ph + H :]
    return Gp[:, ph : ph + H, pw : pw + W]


def pad(X: Any, padding: Any, padding_mode: str = "zeros") -> np.ndarray:
    r"""The padded input $\tilde X$ of Definition `def-cnn-cross-correlation`, shape
    ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: zeros outside the image, or
    $\tilde X_{\mu,c,u} = X_{\mu,c,(u-p)\bmod n}$ (circular, requires $p\le n$)."""
    X = check_images("X", X)
    g = geometry(padding=padding, padding_mode=padding_mode)
    return _pad_cf(X.transpose(1, 2, 3, 0), g).transpose(3, 0, 1, 2)


def pad_adjoint(
    G: Any, input_shape: tuple[int, int], padding: Any, padding_mode: str = "zeros"
) -> np.ndarray:
    """The adjoint of :func:`pad`: ``G`` of the padded shape -> shape ``(m, C, n_1, n_2)``."""
    G = check_images("G", G)
    g = geometry(padding=padding, padding_mode=padding_mode)
    H, W = input_shape
    return _pad_adjoint_cf(G.transpose(1, 2, 3, 0), g, H, W).transpose(3, 0, 1, 2)


# --- im2col / col2im ----------------------------------------------------------------------------
def _im2col_cf(Xc: np.ndarray, kh: int, kw: int, g: Geometry) -> np.ndarray:
    """``Xc`` (C, n_1, n_2, m) -> ``cols`` (C k_1 k_2, n_1' n_2' m), contiguous; columns (i_1, i_2, mu)."""
    C, H, W, m = Xc.shape
    Ho, Wo = g.out_shape(H, W, kh, kw)
    Xp = _pad_cf(Xc, g) if any(g.padding) else np.ascontiguousarray(Xc)
    sC, sH, sW, sN = Xp.strides
    (sh, sw), (dh, dw) = g.stride, g.dilation
    # windows[c, a, b, i, j, n] = Xp[c, i s_1 + a d_1, j s_2 + b d_2, n]   (a view, no copy)
    windows = as_strided(
        Xp,
        shape=(C, kh, kw, Ho, Wo, m),
        strides=(sC, dh * sH, dw * sW, sh * sH, sw * sW, sN),
        writeable=False,
    )
    cols = np.empty((C, kh, kw, Ho, Wo, m), dtype=Xp.dtype)
    np.copyto(cols, windows)
    return cols.reshape(C * kh * kw, Ho * Wo * m)


def _col2im_cf(
    cols: np.ndarray, shape_cf: tuple[int, int, int, int], kh: int, kw: int, g: Geometry
) -> np.ndarray:
    """Adjoint of ``_im2col_cf``: ``cols`` (C k_1 k_2, n_1' n_2' m) -> (C, n_1, n_2, m)."""
    C, H, W, m = shape_cf
    Ho, Wo = g.out_shape(H, W, kh, kw)
    (ph, pw), (sh, sw), (dh, dw) = g.padding, g.stride, g.dilation
    c6 = cols.reshape(C, kh, kw, Ho, Wo, m)
    Gp = np.zeros((C, H + 2 * ph, W + 2 * pw, m), dtype=cols.dtype)
    for a in range(kh):  # each kernel offset (a, b) reads a strided sub-grid of Xp
        rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
        for b in range(kw):
            Gp[:, rows, b * dw : b * dw + sw * (Wo - 1) + 1 : sw] += c6[:, a, b]
    return _pad_adjoint_cf(Gp, g, H, W)


def _col2im_matmul_cf(
    W: np.ndarray, G2: np.ndarray, shape_cf: tuple[int, int, int, int], g: Geometry
) -> np.ndarray:
    """``_col2im_cf(W_2.T @ G2, ...)`` without storing all of ``W_2.T @ G2`` at once.

    ``W`` (C_out, C, k_1, k_2), ``G2`` (C_out, n_1' n_2' m) -> (C, n_1, n_2, m). The rows
    $(c, a, b)$ of $W_2^\top G_2$ are produced one kernel row $a$ at a time into one reused buffer
    of shape (C k_2, n_1' n_2' m) and added into place at once. Why: the whole matrix has the size of
    ``cols`` (tens of MB for a batch), and writing it into fresh memory and reading it back costs
    about as much as the additions themselves; $k_1$ smaller products cost the same arithmetic.
    """
    C, H, Wd, m = shape_cf
    C_out, _, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    (ph, pw), (sh, sw), (dh, dw) = g.padding, g.stride, g.dilation
    Gp = np.zeros((C, H + 2 * ph, Wd + 2 * pw, m), dtype=G2.dtype)
    buf = np.empty((C * kw, Ho * Wo * m), dtype=G2.dtype)
    for a in range(kh):
        Wa_T = np.ascontiguousarray(W[:, :, a, :].reshape(C_out, C * kw).T)  # rows (c, b)
        np.matmul(Wa_T, G2, out=buf)  # the rows (c, a, b) of W_2^T G_2
        blk = buf.reshape(C, kw, Ho, Wo, m)
        rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
        for b in range(kw):
            Gp[:, rows, b * dw : b * dw + sw * (Wo - 1) + 1 : sw] += blk[:, b]
    return _pad_adjoint_cf(Gp, g, H, Wd)


def im2col(
    X: Any,
    kernel_size: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
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
    m, C, H, W = X.shape
    Ho, Wo = g.out_shape(H, W, kh, kw)
    cols = _im2col_cf(X.transpose(1, 2, 3, 0), kh, kw, g)  # columns (i_1, i_2, mu)
    # the book's column order (mu, i_1, i_2)
    return np.ascontiguousarray(cols.reshape(C * kh * kw, Ho * Wo, m).transpose(0, 2, 1)).reshape(
        C * kh * kw, m * Ho * Wo
    )


def col2im(
    cols: Any,
    input_shape: tuple[int, int, int, int],
    kernel_size: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
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
        raise ValueError(
            f"argument 'cols' must have shape {(C * kh * kw, m * Ho * Wo)} = "
            f"(C k_1 k_2, m n_1' n_2'), got shape {cols.shape}"
        )
    # columns (mu, i_1, i_2) -> the internal order (i_1, i_2, mu)
    cols = np.ascontiguousarray(cols.reshape(C * kh * kw, m, Ho * Wo).transpose(0, 2, 1))
    return _col2im_cf(cols, (C, H, W, m), kh, kw, g).transpose(3, 0, 1, 2)
