r"""Padding, im2col and their adjoints: a convolution as one matrix product (Definition
`def-cnn-cross-correlation`, Proposition `prop-cnn-im2col` and Theorem `thm-cnn-adjoint` of the
chapter *Convolutional networks*).

For an input $X\in\mathbb R^{m\times C\times n_1\times n_2}$ and a kernel of size $k_1\times k_2$,
$\operatorname{im2col}(X)\in\mathbb R^{(Ck_1k_2)\times(mn_1'n_2')}$ has the entries

$$\operatorname{im2col}(X)_{(c,a),\,(\mu,i)} = \tilde X_{\mu,c,\,s\odot i + d\odot a},$$

where $\tilde X$ is the padded input, rows are ordered $(c, a_1, a_2)$ and columns
$(\mu, i_1, i_2)$, each lexicographically (row-major, as ``reshape`` orders them). ``col2im`` is
its adjoint: it adds each column's entries back to the input positions they were read from, then
applies the adjoint of padding. The code below is the book's reference: one slice per kernel
offset $a$, written as the formula reads, in functions of the array API: the arrays may come from NumPy, PyTorch (CPU or
CUDA) or any other library of the standard, and the result follows them (namespace, device,
dtype). (The training loop of :mod:`deepqed.cnn.model` uses a
faster layout, :mod:`deepqed.cnn._fast`, tested against this one.)
"""

from __future__ import annotations

from typing import Any

from array_api_compat import device

from .._validation import Array, fail, namespace, validate
from ._geometry import (
    DILATION,
    KERNEL,
    MODE,
    PADDING,
    SHAPE,
    STRIDE,
    Geometry,
    images,
    shape4,
    zeros,
)

__all__ = ["im2col", "col2im", "pad", "pad_adjoint"]


# --- padding Pi_p and its adjoint Pi_p^* ----------------------------------------------------------
def _pad(xp: Any, X: Any, g: Geometry) -> Any:
    r"""$\tilde X = \Pi_p X$, shape ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: $\tilde X_{\mu,c,u} =
    X_{\mu,c,u-p}$ inside, $0$ outside (zeros), or $X_{\mu,c,(u-p)\bmod n}$ (circular)."""
    p1, p2 = g.padding
    m, C, n1, n2 = X.shape
    if g.padding_mode == "circular":  # above the image its last p rows, below it its first p
        Xp = xp.concat([X[:, :, n1 - p1 :, :], X, X[:, :, :p1, :]], axis=2)
        return xp.concat([Xp[:, :, :, n2 - p2 :], Xp, Xp[:, :, :, :p2]], axis=3)
    Xp = zeros(xp, (m, C, n1 + 2 * p1, n2 + 2 * p2), X)
    Xp[:, :, p1 : p1 + n1, p2 : p2 + n2] = X
    return Xp


def _pad_adjoint(xp: Any, Gp: Any, g: Geometry, n1: int, n2: int) -> Any:
    r"""$\Pi_p^*$: crop to $(n_1, n_2)$ (zeros), or add each entry of the margin to the pixel it
    copies, $(u - p)\bmod n$, and crop (circular: rows first, then columns)."""
    p1, p2 = g.padding
    if g.padding_mode == "zeros":
        return xp.asarray(Gp[:, :, p1 : p1 + n1, p2 : p2 + n2], copy=True)
    return _fold(xp, _fold(xp, Gp, 2, p1, n1), 3, p2, n2)


def _fold(xp: Any, Gp: Any, axis: int, p: int, n: int) -> Any:
    r"""The adjoint of circular padding along one ``axis`` (of length $n + 2p$, $p\le n$): row
    $r$ of the result is the sum, in the order of the padded rows $v$, of the rows $v$ with
    $(v - p)\bmod n = r$: the top margin ($v = r + p - n$), the image ($v = r + p$) and the
    bottom margin ($v = r + p + n$)."""

    def rows(start: int, stop: int) -> Any:
        index = [slice(None)] * 4
        index[axis] = slice(start, stop)
        return Gp[tuple(index)]

    shape = list(Gp.shape)
    shape[axis] = n - p
    rest = zeros(xp, tuple(shape), Gp)  # the rows a margin does not reach
    top = xp.concat([rest, rows(0, p)], axis=axis)  # v = r + p - n  ->  rows n - p, ..., n - 1
    bottom = xp.concat([rows(p + n, 2 * p + n), rest], axis=axis)  # v = r + p + n -> 0, ..., p - 1
    return (rows(p, p + n) + top) + bottom


# --- im2col and col2im ----------------------------------------------------------------------------
def _window(g: Geometry, a: tuple[int, int], n_out: tuple[int, int]) -> tuple[slice, slice]:
    r"""The positions $s\odot i + d\odot a$, $i\in\Lambda_{n'}$, read by kernel offset $a$:
    one strided slice per axis."""
    (s1, s2), (d1, d2) = g.stride, g.dilation
    return (
        slice(d1 * a[0], d1 * a[0] + s1 * (n_out[0] - 1) + 1, s1),
        slice(d2 * a[1], d2 * a[1] + s2 * (n_out[1] - 1) + 1, s2),
    )


def _im2col(xp: Any, X: Any, k: tuple[int, int], g: Geometry) -> Any:
    """$\\operatorname{im2col}(X)$ on validated arguments."""
    m, C, n1, n2 = X.shape
    n_out = g.out_shape(n1, n2, *k)
    Xp = _pad(xp, X, g)  # tilde X
    cols = xp.empty((C, k[0], k[1], m, *n_out), dtype=X.dtype, device=device(X))
    for a1 in range(k[0]):  # rows (c, a), columns (mu, i)
        for a2 in range(k[1]):
            rows, columns = _window(g, (a1, a2), n_out)
            # cols[c, a, mu, i] = tilde X[mu, c, s i + d a]
            cols[:, a1, a2, ...] = xp.permute_dims(Xp[:, :, rows, columns], (1, 0, 2, 3))
    return xp.reshape(cols, (C * k[0] * k[1], m * n_out[0] * n_out[1]))


def _col2im(
    xp: Any, cols: Any, shape: tuple[int, int, int, int], k: tuple[int, int], g: Geometry
) -> Any:
    """$\\operatorname{col2im}(M) = \\operatorname{im2col}^*(M)$ on validated arguments."""
    m, C, n1, n2 = shape
    n_out = g.out_shape(n1, n2, *k)
    M = xp.reshape(cols, (C, k[0], k[1], m, *n_out))
    Gp = zeros(xp, (m, C, n1 + 2 * g.padding[0], n2 + 2 * g.padding[1]), cols)
    for a1 in range(k[0]):
        for a2 in range(k[1]):
            rows, columns = _window(g, (a1, a2), n_out)
            # entry ((c, a), (mu, i)) goes back to position s i + d a of image mu, channel c
            Gp[:, :, rows, columns] += xp.permute_dims(M[:, a1, a2, ...], (1, 0, 2, 3))
    return _pad_adjoint(xp, Gp, g, n1, n2)


_GEOMETRY = dict(stride=STRIDE, padding=PADDING, dilation=DILATION, padding_mode=MODE)


@validate(padding=PADDING, padding_mode=MODE, X=images("m", "C", "n_1", "n_2"))
def pad(X: Any, padding: Any, padding_mode: str = "zeros") -> Any:
    r"""The padded input $\tilde X$ of Definition `def-cnn-cross-correlation`, shape
    ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: zeros outside the image, or
    $\tilde X_{\mu,c,u} = X_{\mu,c,(u-p)\bmod n}$ (circular, requires $p\le n$)."""
    g = Geometry(padding=padding, padding_mode=padding_mode)
    g.out_shape(X.shape[2], X.shape[3], 1, 1)  # circular padding: p <= n
    return _pad(namespace(X), X, g)


@validate(
    G=images("m", "C", "n_1 + 2p_1", "n_2 + 2p_2"),
    input_shape=KERNEL,
    padding=PADDING,
    padding_mode=MODE,
)
def pad_adjoint(G: Any, input_shape: Any, padding: Any, padding_mode: str = "zeros") -> Any:
    """The adjoint of :func:`pad`: ``G`` of the padded shape $(m, C, n_1 + 2p_1, n_2 + 2p_2)$ ->
    shape ``(m, C, n_1, n_2)``, with ``input_shape`` $= (n_1, n_2)$ (the entries of a circular
    margin are added to the pixels they copy)."""
    g = Geometry(padding=padding, padding_mode=padding_mode)
    n1, n2 = input_shape
    expected = (n1 + 2 * g.padding[0], n2 + 2 * g.padding[1])
    if tuple(G.shape[2:]) != expected:
        fail(
            "G",
            f"have the padded shape (m, C, n_1 + 2p_1, n_2 + 2p_2) = (m, C, {expected[0]}, "
            f"{expected[1]}) for input_shape {(n1, n2)}",
            f"shape {tuple(G.shape)}",
        )
    g.out_shape(n1, n2, 1, 1)  # circular padding: p <= n
    return _pad_adjoint(namespace(G), G, g, n1, n2)


@validate(X=images("m", "C", "n_1", "n_2"), kernel_size=KERNEL, **_GEOMETRY)
def im2col(
    X: Any,
    kernel_size: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> Any:
    r"""$\operatorname{im2col}(X)$ of Proposition `prop-cnn-im2col`.

    Arguments:
        X: input, shape ``(m, C, n_1, n_2)``, float32 or float64.
        kernel_size: $(k_1, k_2)$ (or one int).
        stride, padding, dilation, padding_mode: as in :func:`deepqed.cnn.conv2d`.

    Returns:
        shape ``(C k_1 k_2, m n_1' n_2')``; row $(c, a)$, column $(\mu, i)$ holds
        $\tilde X_{\mu,c,s\odot i + d\odot a}$ (the layout of ``torch.nn.functional.unfold``
        with the batch index moved from the first axis into the columns).
    """
    return _im2col(namespace(X), X, kernel_size, Geometry(stride, padding, dilation, padding_mode))


@validate(
    cols=Array(shape=("C k_1 k_2", "m n_1' n_2'")),
    input_shape=SHAPE,
    kernel_size=KERNEL,
    **_GEOMETRY,
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
) -> Any:
    r"""The adjoint of :func:`im2col`: $\langle \operatorname{im2col}(X), M\rangle =
    \langle X, \operatorname{col2im}(M)\rangle$ for all $X$ of shape ``input_shape``
    $= (m, C, n_1, n_2)$ and $M$ of shape ``(C k_1 k_2, m n_1' n_2')``; returns shape ``input_shape``."""
    shape = shape4("input_shape", input_shape)
    g = Geometry(stride, padding, dilation, padding_mode)
    m, C, n1, n2 = shape
    n_out = g.out_shape(n1, n2, *kernel_size)
    expected = (C * kernel_size[0] * kernel_size[1], m * n_out[0] * n_out[1])
    if tuple(cols.shape) != expected:
        fail(
            "cols",
            f"have shape (C k_1 k_2, m n_1' n_2') = {expected} for input_shape {shape}",
            f"shape {tuple(cols.shape)}",
        )
    return _col2im(namespace(cols), cols, shape, kernel_size, g)
