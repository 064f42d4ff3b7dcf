r"""A faster convolution step for training: the same products as :mod:`deepqed.cnn.conv` in
another memory layout. Private: the network of :mod:`deepqed.cnn.model` uses it, and the unit
tests compare it with the reference step of :mod:`deepqed.cnn.conv` (which the book shows).

What differs from the reference, and why (float32, batches of tens of small images):

* Arrays are kept channel-first and batch-last, ``(C, n_1, n_2, m)``, and the columns of
  $\operatorname{im2col}(X)$ are ordered $(i_1, i_2, \mu)$ instead of $(\mu, i_1, i_2)$: a
  permutation of the columns, which changes neither the factorisation
  $Z_2 = W_2\operatorname{im2col}(X)$ (its columns are permuted the same way) nor the backward
  products. With the batch index innermost every copied run has at least $m$ contiguous entries
  ($n_2' m$ for stride 1) instead of at most $n_2'$.
* The windows of all images are copied into ``cols`` by one strided view
  (``numpy.lib.stride_tricks.as_strided``) and one ``numpy.copyto``, instead of one slice per
  kernel offset.
* Without row dilation ($d_1 = 1$) and for a row stride below the kernel's height, not even
  that: $X$ is copied once per kernel column into
  ``Xr`` of :func:`_rows`, one block of $C_{in}k_2$ rows $\times$ $n_2'm$ columns per padded image
  row, so that the $k_1$ consecutive blocks from image row $i s_1$ on are, stacked, exactly the
  columns of $\operatorname{im2col}(X)$ for output row $i$ (rows $(a, c, b)$): $Z_2$ and
  $\mathrm dW$ are one batched product over these overlapping views (:func:`_row_blocks`). The
  copy is $k_1n_1'/((n_1'-1)s_1 + k_1)$ times smaller than $\operatorname{im2col}(X)$ (2.8 for a
  3 x 3 kernel on 32 x 32 images, padding 1), and the products' inner dimension stays
  $C_{in}k_1k_2$. Step for step on the convolution benchmark's float32 grid it costs what
  im2col costs, to within the noise (paired medians 0.94-1.16, geometric mean 1.01): what it
  saves is the memory the cache holds.
* ``dX = col2im(W_2^T G_2)`` is formed a kernel row at a time in one reused buffer, instead of
  writing all of $W_2^\top G_2$ (the size of ``cols``) into fresh memory and reading it back;
  for stride 1 and zero padding, where it moves less memory, as the correlation of $G$ with the
  kernel that the adjoint is (one copy of $G$ per kernel column instead of the window
  additions).

The functions take arrays of any library of the array API (the namespace, device and dtype follow
the inputs). On NumPy the strided view and the product into a reused buffer (``out=``) are used,
on PyTorch the same strided view (``Tensor.as_strided``); other libraries copy the windows one
kernel offset at a time and let the product allocate, with the same values. Nothing here validates its arguments: the callers pass validated arrays and
geometries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np
from array_api_compat import device
from numpy.lib.stride_tricks import as_strided

from ._geometry import Geometry, contiguous, zeros

__all__ = ["Cache", "conv2d_forward", "conv2d_backward"]


@dataclass(frozen=True)
class Cache:
    r"""What :func:`conv2d_backward` needs: the input shape $(m, C_{in}, n_1, n_2)$, the geometry,
    and the copy of $X$ that $\operatorname{im2col}(X)$ is made of, in one of two forms:

    * ``by_rows=False``: ``cols`` $=\operatorname{im2col}(X)$ with its columns in the order
      $(i_1, i_2, \mu)$, shape ``(C_in k_1 k_2, n_1' n_2' m)``;
    * ``by_rows=True`` (row dilation 1, see :func:`_rows`): ``cols`` is ``Xr``, shape
      ``(R, C_in k_2 n_2' m)`` with $R = (n_1'-1)s_1 + k_1$, whose blocks :func:`_row_blocks` are
      the columns of $\operatorname{im2col}(X)$ for each output row, rows ordered $(a, c, b)$."""

    cols: Any
    input_shape: tuple[int, int, int, int]
    geometry: Geometry
    by_rows: bool = False


# --- the layout (C, n_1, n_2, m) and back -------------------------------------------------------
def _chwn_view(xp: Any, X: Any) -> Any:
    """``X`` (m, C, n_1, n_2) -> a (C, n_1, n_2, m) view of a copy of ``X`` with the channel axis
    first, i.e. of contiguous (m, n_1 n_2) blocks, one per channel.

    Copying ``X.transpose(1, 2, 3, 0)`` into a contiguous array directly reads with a stride of a
    whole image (a cache and TLB miss per entry); first swapping the two leading axes (contiguous
    runs of $n_1 n_2$) and then transposing each channel's small block, which stays in cache, was 3x
    faster. The second copy is left to the caller: :func:`_pad` makes it while padding."""
    return xp.permute_dims(contiguous(xp.permute_dims(X, (1, 0, 2, 3))), (0, 2, 3, 1))


def _to_chwn(xp: Any, X: Any) -> Any:
    """``X`` (m, C, n_1, n_2) -> contiguous (C, n_1, n_2, m), the same entries (two copies, see
    :func:`_chwn_view`)."""
    return contiguous(_chwn_view(xp, X))


def _from_chwn(xp: Any, Xc: Any) -> Any:
    """The inverse of :func:`_to_chwn`: (C, n_1, n_2, m) -> contiguous (m, C, n_1, n_2), in two
    copies for the same reason."""
    return contiguous(xp.permute_dims(contiguous(xp.permute_dims(Xc, (0, 3, 1, 2))), (1, 0, 2, 3)))


# --- padding and its adjoint (layout (C, n_1, n_2, m): padding on the axes 1 and 2) --------------
def _pad(xp: Any, Xc: Any, g: Geometry) -> Any:
    """``Xc`` of shape (C, n_1, n_2, m) -> the padded, contiguous (C, n_1 + 2p_1, n_2 + 2p_2, m)."""
    ph, pw = g.padding
    C, H, W, m = Xc.shape
    Xp = zeros(xp, (C, H + 2 * ph, W + 2 * pw, m), Xc)
    Xp[:, ph : ph + H, pw : pw + W, :] = Xc
    if g.padding_mode == "circular":
        # tilde x_u = x_{(u - p) mod n}: the rows above come from the bottom, and vice versa
        if ph:
            Xp[:, :ph, pw : pw + W, :] = Xc[:, H - ph :, ...]
            Xp[:, ph + H :, pw : pw + W, :] = Xc[:, :ph, ...]
        if pw:
            Xp[:, :, :pw, :] = Xp[:, :, W : W + pw, :]
            Xp[:, :, pw + W :, :] = Xp[:, :, pw : 2 * pw, :]
    return Xp


def _pad_adjoint(xp: Any, Gp: Any, g: Geometry, H: int, W: int) -> Any:
    """Adjoint of :func:`_pad`: crop (zero padding), or crop and fold the margins back
    (circular)."""
    ph, pw = g.padding
    if g.padding_mode == "circular":
        Gp = xp.asarray(Gp, copy=True)
        if pw:  # fold columns first (they include the corners)
            Gp[:, :, W : W + pw, :] += Gp[:, :, :pw, :]
            Gp[:, :, pw : 2 * pw, :] += Gp[:, :, pw + W :, :]
        if ph:
            Gp[:, H : H + ph, ...] += Gp[:, :ph, ...]
            Gp[:, ph : 2 * ph, ...] += Gp[:, ph + H :, ...]
    return Gp[:, ph : ph + H, pw : pw + W, :]


# --- im2col and the buffered col2im of W_2^T G_2 -----------------------------------------------
def _torch_copy(windows: Any, shape: tuple[int, int]) -> Any:
    """``windows`` (a strided view of a torch tensor) reshaped to ``shape`` as a new contiguous
    tensor. ``reshape`` returns a view where the strides allow one (one image and one channel,
    say): the cache must neither share the input's memory (an in-place change of $X$ between the
    passes would change $\\mathrm dW$, as it cannot on NumPy, whose copy is always new) nor have
    other strides than a contiguous array's (:func:`_row_blocks` assumes them)."""
    out = windows.reshape(shape).contiguous()
    if out.untyped_storage().data_ptr() == windows.untyped_storage().data_ptr():
        out = out.clone()
    return out


def _im2col(xp: Any, Xc: Any, kh: int, kw: int, g: Geometry) -> Any:
    """``Xc`` (C, n_1, n_2, m) -> ``cols`` (C k_1 k_2, n_1' n_2' m), contiguous; columns
    (i_1, i_2, mu)."""
    C, H, W, m = Xc.shape
    Ho, Wo = g.out_shape(H, W, kh, kw)
    Xp = _pad(xp, Xc, g) if any(g.padding) else contiguous(Xc)
    (sh, sw), (dh, dw) = g.stride, g.dilation
    if array_api_compat.is_torch_array(Xp):  # the same strided view in torch (strides in entries)
        sC, sH, sW, sN = Xp.stride()
        windows = Xp.as_strided(
            (C, kh, kw, Ho, Wo, m), (sC, dh * sH, dw * sW, sh * sH, sw * sW, sN)
        )
        return _torch_copy(windows, (C * kh * kw, Ho * Wo * m))  # one copy, torch's kernel
    if not array_api_compat.is_numpy_array(Xp):  # one copy per kernel offset (a, b)
        cols = xp.empty((C, kh, kw, Ho, Wo, m), dtype=Xp.dtype, device=device(Xp))
        for a in range(kh):
            for b in range(kw):
                rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
                columns = slice(b * dw, b * dw + sw * (Wo - 1) + 1, sw)
                cols[:, a, b, ...] = Xp[:, rows, columns, :]
        return xp.reshape(cols, (C * kh * kw, Ho * Wo * m))
    sC, sH, sW, sN = Xp.strides
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


def _rows(xp: Any, Xc: Any, kh: int, kw: int, g: Geometry) -> Any:
    r"""``Xc`` (C, n_1, n_2, m) -> ``Xr`` (R, C k_2 n_2' m), contiguous, $R = (n_1'-1)s_1 + k_1$,
    for row dilation $d_1 = 1$: ``Xr[y, (c, b, j, mu)]`` $= \tilde X_{c,\,y,\,j s_2 + b d_2,\,\mu}$,
    the padded input's row $y$ with its columns shifted by each kernel column $b$.

    Entry $((a, c, b), (j, \mu))$ of the columns of $\operatorname{im2col}(X)$ for output row $i$
    is $\tilde X_{c,\,i s_1 + a,\,j s_2 + b d_2,\,\mu}$ = ``Xr[i s_1 + a, (c, b, j, mu)]``: the
    $k_1$ consecutive rows of ``Xr`` from $i s_1$ on, each read as a $(C k_2, n_2'm)$ matrix and
    stacked, are that $(k_1 C k_2, n_2'm)$ matrix (:func:`_row_blocks`). ``Xr`` holds $R$ image
    rows per channel and kernel column where $\operatorname{im2col}$ holds $k_1 n_1'$."""
    C, H, W, m = Xc.shape
    Ho, Wo = g.out_shape(H, W, kh, kw)
    Xp = _pad(xp, Xc, g) if any(g.padding) else contiguous(Xc)
    (sh, sw), dw = g.stride, g.dilation[1]
    R = (Ho - 1) * sh + kh
    if array_api_compat.is_torch_array(Xp):
        sC, sH, sW, sN = Xp.stride()
        windows = Xp.as_strided((R, C, kw, Wo, m), (sH, sC, dw * sW, sw * sW, sN))
        return _torch_copy(windows, (R, C * kw * Wo * m))
    if not array_api_compat.is_numpy_array(Xp):
        Xr = xp.empty((R, C, kw, Wo, m), dtype=Xp.dtype, device=device(Xp))
        for b in range(kw):
            columns = slice(b * dw, b * dw + sw * (Wo - 1) + 1, sw)
            Xr[:, :, b, ...] = xp.permute_dims(Xp[:, :R, columns, :], (1, 0, 2, 3))
        return xp.reshape(Xr, (R, C * kw * Wo * m))
    sC, sH, sW, sN = Xp.strides
    windows = as_strided(
        Xp, shape=(R, C, kw, Wo, m), strides=(sH, sC, dw * sW, sw * sW, sN), writeable=False
    )
    Xr = np.empty((R, C, kw, Wo, m), dtype=Xp.dtype)
    np.copyto(Xr, windows)
    return Xr.reshape(R, C * kw * Wo * m)


def _by_rows(g: Geometry, kh: int) -> bool:
    r"""Whether :func:`conv2d_forward` copies $X$ by rows (:func:`_rows`) instead of into
    $\operatorname{im2col}(X)$: where the row dilation is 1 and the copy is smaller,
    $(n_1'-1)s_1 + k_1 < k_1n_1'$, i.e. $s_1 < k_1$ (with one output row the two copies are
    the same size, and it takes im2col's)."""
    return g.dilation[0] == 1 and g.stride[0] < kh


def _row_blocks(xp: Any, Xr: Any, kh: int, n_out: int, stride: int, wm: int) -> Any:
    r"""The columns of $\operatorname{im2col}(X)$ for each output row $i < n_1'$ (``n_out``), as an
    ``(n_1', k_1 C k_2, n_2'm)`` array (``wm`` $= n_2'm$): block $i$ is rows $i s_1$ to
    $i s_1 + k_1 - 1$ of ``Xr`` (:func:`_rows`) read as one matrix, rows $(a, c, b)$. On NumPy
    and PyTorch a strided view of the contiguous ``Xr`` (consecutive blocks overlap where
    $s_1 < k_1$); other libraries stack copies."""
    width = Xr.shape[1]
    K = kh * (width // wm)
    if array_api_compat.is_torch_array(Xr):
        return Xr.as_strided((n_out, K, wm), (stride * width, wm, 1))
    if array_api_compat.is_numpy_array(Xr):
        e = Xr.itemsize
        return as_strided(
            Xr, shape=(n_out, K, wm), strides=(stride * width * e, wm * e, e), writeable=False
        )
    rows = [xp.reshape(Xr[i * stride : i * stride + kh, :], (K, wm)) for i in range(n_out)]
    return xp.stack(rows)


def _col2im_matmul(
    xp: Any, W: Any, G2: Any, shape_cf: tuple[int, int, int, int], g: Geometry
) -> Any:
    """``col2im(W_2.T @ G2)`` without storing all of ``W_2.T @ G2`` at once.

    ``W`` (C_out, C, k_1, k_2), ``G2`` (C_out, n_1' n_2' m) -> (C, n_1, n_2, m). The rows
    $(c, a, b)$ of $W_2^\\top G_2$ are produced one kernel row $a$ at a time into one reused buffer
    of shape (C k_2, n_1' n_2' m) and added into place at once. Why: the whole matrix has the size of
    ``cols`` (tens of MB for a batch), and writing it into fresh memory and reading it back costs
    about as much as the additions themselves; $k_1$ smaller products cost the same arithmetic.
    """
    C, H, Wd, m = shape_cf
    C_out, _, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    (ph, pw), (sh, sw), (dh, dw) = g.padding, g.stride, g.dilation
    Gp = zeros(xp, (C, H + 2 * ph, Wd + 2 * pw, m), G2)
    numpy = array_api_compat.is_numpy_array(G2)
    buf = np.empty((C * kw, Ho * Wo * m), dtype=G2.dtype) if numpy else None
    for a in range(kh):
        Wa_T = contiguous(xp.reshape(W[:, :, a, :], (C_out, C * kw)).T)  # rows (c, b)
        if numpy:
            np.matmul(Wa_T, G2, out=buf)  # the rows (c, a, b) of W_2^T G_2
        else:
            buf = Wa_T @ G2
        blk = xp.reshape(buf, (C, kw, Ho, Wo, m))
        rows = slice(a * dh, a * dh + sh * (Ho - 1) + 1, sh)
        for b in range(kw):
            Gp[:, rows, b * dw : b * dw + sw * (Wo - 1) + 1 : sw, :] += blk[:, b, ...]
    return _pad_adjoint(xp, Gp, g, H, Wd)


def _correlate_rows(
    xp: Any, W: Any, G2: Any, shape_cf: tuple[int, int, int, int], g: Geometry
) -> Any:
    r"""``col2im(W_2.T @ G2)`` cropped to the input, for stride 1 and zero padding, as the
    correlation $\mathrm dX_{c,y,x} = \sum_{o,a,b} W_{o,c,a,b}\,G_{o,\,y+p_1-a d_1,\,x+p_2-b d_2}$
    ($G$ zero outside its $n_1'\times n_2'$ grid): no additions of windows.

    ``W`` (C_out, C, k_1, k_2), ``G2`` (C_out, n_1' n_2' m) -> (C, n_1, n_2, m). The width
    offsets $b$ go into one copy ``Gw`` of $G$, rows $(o, b)$, columns $(y', x, \mu)$ with
    ``Gw[o, b, y', x] = G[o, y' - (k_1-1)d_1 + p_1, x + p_2 - b d_2]``; the rows $y$ of
    $\mathrm dX$ for kernel row $a$ then read the contiguous band $y' = y + (k_1-1-a)d_1$, so
    $\mathrm dX$ is a sum of $k_1$ products $W_a\,\mathrm{Gw}_a$ with $W_a$ of shape
    (C, C_out k_2): $k_1k_2CC_{out}n_1n_2$ multiply-adds per image, where
    :func:`_col2im_matmul` does $k_1k_2CC_{out}n_1'n_2'$ (the same where the output has the
    input's size; more where it is smaller, the zeros of $G$'s border being multiplied too).
    It copies $G$ $k_2$ times where that adds $k_1k_2$ windows (see :func:`_by_correlation`)."""
    C, H, Wd, m = shape_cf
    C_out, _, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    (ph, pw), (dh, dw) = g.padding, g.dilation
    Hw, shift = H + (kh - 1) * dh, (kh - 1) * dh - ph  # y' = (G's row) + shift
    Gc = xp.reshape(G2, (C_out, Ho, Wo, m))
    Gw = zeros(xp, (C_out, kw, Hw, Wd, m), G2)
    y0, y1 = max(0, shift), min(Hw, Ho + shift)
    for b in range(kw):
        x0, x1 = max(0, b * dw - pw), min(Wd, Wo + b * dw - pw)  # where 0 <= x + p_2 - b d_2 < n_2'
        if y0 < y1 and x0 < x1:
            Gw[:, b, y0:y1, x0:x1, :] = Gc[
                :, y0 - shift : y1 - shift, x0 + pw - b * dw : x1 + pw - b * dw, :
            ]
    Gw2 = xp.reshape(Gw, (C_out * kw, Hw * Wd * m))
    band = H * Wd * m
    numpy = array_api_compat.is_numpy_array(G2)
    dX = buf = None
    for a in range(kh):
        Wa = contiguous(xp.reshape(xp.permute_dims(W[:, :, a, :], (1, 0, 2)), (C, C_out * kw)))
        start = (kh - 1 - a) * dh * Wd * m
        if dX is None:
            dX = Wa @ Gw2[:, start : start + band]  # kernel row a's share of every row y
        elif numpy:
            buf = np.matmul(Wa, Gw2[:, start : start + band], out=buf)
            dX += buf
        else:
            dX = dX + Wa @ Gw2[:, start : start + band]
    return xp.reshape(dX, (C, H, Wd, m))


def _by_correlation(g: Geometry, C: int, C_out: int, H: int, Wd: int, kh: int, kw: int) -> bool:
    r"""Whether :func:`conv2d_backward` forms $\mathrm dX$ by :func:`_correlate_rows`: for stride 1
    and zero padding, where copying $G$ $k_2$ times ($C_{out}k_2(n_1 + (k_1-1)d_1)n_2$ entries per
    image) moves at most two thirds of what adding the $k_1k_2$ windows does
    ($Ck_1k_2n_1'n_2'$), and its products do at most a quarter more multiply-adds
    ($n_1n_2 \le \frac54 n_1'n_2'$). Measured (steps of the convolution benchmark, each form
    timed in turn): where both hold, the correlation took 0.87-1.00 of col2im's time in float32
    and 0.87-1.04 in float64; at a memory ratio near 1 the two were within 10% either way, and
    with one input channel the correlation took 1.25-1.55 times as long."""
    if g.stride != (1, 1) or g.padding_mode != "zeros":
        return False
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    moves_less = 3 * C_out * (H + (kh - 1) * g.dilation[0]) * Wd <= 2 * C * kh * Ho * Wo
    return moves_less and 4 * H * Wd <= 5 * Ho * Wo


# --- the step -----------------------------------------------------------------------------------
def conv2d_forward(
    xp: Any, X: Any, W: Any, b: Any, g: Geometry, *, by_rows: bool | None = None
) -> tuple[Any, Cache]:
    r"""$Z = K_W(X) + b$ as :func:`deepqed.cnn.conv2d_forward`, and the cache in this layout.

    ``by_rows``: keep :func:`_rows`' copy and form $W_2\operatorname{im2col}(X)$ one output row
    at a time, as one batched product over :func:`_row_blocks` (``None``: where :func:`_by_rows`
    says so; ``True`` needs a row dilation of 1; ``False``: im2col)."""
    m, C, H, Wd = X.shape
    C_out, _, kh, kw = W.shape
    Ho, Wo = g.out_shape(H, Wd, kh, kw)
    if by_rows is None:
        by_rows = _by_rows(g, kh)
    elif by_rows and g.dilation[0] != 1:
        raise ValueError(f"by_rows=True needs a row dilation of 1, got dilation {g.dilation}")
    if not by_rows:
        cols = _im2col(xp, _chwn_view(xp, X), kh, kw, g)  # (C k_1 k_2, n_1' n_2' m)
        Z2 = xp.reshape(W, (C_out, -1)) @ cols  # (C_out, n_1' n_2' m)
    else:
        cols = _rows(xp, _chwn_view(xp, X), kh, kw, g)  # (R, C k_2 n_2' m)
        blocks = _row_blocks(xp, cols, kh, Ho, g.stride[0], Wo * m)  # (n_1', k_1 C k_2, n_2' m)
        Wr = _weights_by_rows(xp, W)  # (C_out, k_1 C k_2), columns (a, c, b)
        if array_api_compat.is_numpy_array(cols):  # row i of Z_2 written in place: Z_2 = W_2 im2col
            Z2 = np.empty((C_out, Ho * Wo * m), dtype=cols.dtype)
            np.matmul(Wr, blocks, out=Z2.reshape(C_out, Ho, Wo * m).transpose(1, 0, 2))
        else:
            Z2 = xp.reshape(xp.permute_dims(Wr @ blocks, (1, 0, 2)), (C_out, Ho * Wo * m))
    if b is not None:
        Z2 += xp.reshape(b, (C_out, 1))
    Z = _from_chwn(xp, xp.reshape(Z2, (C_out, Ho, Wo, m)))
    return Z, Cache(cols, (m, C, H, Wd), g, by_rows)


def _weights_by_rows(xp: Any, W: Any) -> Any:
    """``W`` (C_out, C, k_1, k_2) -> (C_out, k_1 C k_2), columns $(a, c, b)$: the weights in the
    row order of :func:`_row_blocks`."""
    C_out, C, kh, kw = W.shape
    return contiguous(xp.reshape(xp.permute_dims(W, (0, 2, 1, 3)), (C_out, kh * C * kw)))


def conv2d_backward(
    xp: Any, G: Any, W: Any, cache: Cache, *, need_dX: bool = True
) -> tuple[Any, Any, Any]:
    """``(dX, dW, db)`` as :func:`deepqed.cnn.conv2d_backward`, from this layout's cache."""
    g = cache.geometry
    m, C, H, Wd = cache.input_shape
    C_out = W.shape[0]
    Ho, Wo = G.shape[2:]
    G2 = xp.reshape(_to_chwn(xp, G), (C_out, Ho * Wo * m))
    kh, kw = W.shape[2:]
    if cache.by_rows:  # dW = sum over output rows i of G_2's columns of row i times block i^T
        wm = Wo * m
        blocks = _row_blocks(xp, cache.cols, kh, Ho, g.stride[0], wm)
        Gi = xp.permute_dims(xp.reshape(G2, (C_out, Ho, wm)), (1, 0, 2))  # (n_1', C_out, n_2'm)
        dWr = xp.sum(Gi @ xp.permute_dims(blocks, (0, 2, 1)), axis=0)  # (C_out, k_1 C k_2)
        dW = contiguous(xp.permute_dims(xp.reshape(dWr, (C_out, kh, C, kw)), (0, 2, 1, 3)))
    else:
        dW = xp.reshape(G2 @ cache.cols.T, W.shape)  # sum_mu,i Delta x~
    db = xp.sum(G2, axis=1)  # sum_mu,i Delta
    if not need_dX:
        return None, dW, db
    # dX = col2im(W_2^T G_2): the rows of W_2^T G_2 computed a kernel row at a time, or (stride
    # 1, zero padding, when it moves less memory) the same sums as a correlation of G with W
    adjoint = _correlate_rows if _by_correlation(g, C, C_out, H, Wd, kh, kw) else _col2im_matmul
    dX = _from_chwn(xp, adjoint(xp, W, G2, (C, H, Wd, m), g))
    return dX, dW, db
