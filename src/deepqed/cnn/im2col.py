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
offset $a$, written as the formula reads. (The training loop of :mod:`deepqed.cnn.model` uses a
faster layout, :mod:`deepqed.cnn._fast`, tested against this one.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Array, fail, validate
from ._geometry import DILATION, KERNEL, MODE, PADDING, SHAPE, STRIDE, Geometry, images, shape4

__all__ = ["im2col", "col2im", "pad", "pad_adjoint"]


# --- padding Pi_p and its adjoint Pi_p^* ----------------------------------------------------------
def _pad(X: np.ndarray, g: Geometry) -> np.ndarray:
    r"""$\tilde X = \Pi_p X$, shape ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: $\tilde X_{\mu,c,u} =
    X_{\mu,c,u-p}$ inside, $0$ outside (zeros), or $X_{\mu,c,(u-p)\bmod n}$ (circular)."""
    p1, p2 = g.padding
    mode = "constant" if g.padding_mode == "zeros" else "wrap"
    return np.pad(X, ((0, 0), (0, 0), (p1, p1), (p2, p2)), mode=mode)


def _pad_adjoint(Gp: np.ndarray, g: Geometry, n1: int, n2: int) -> np.ndarray:
    r"""$\Pi_p^*$: crop to $(n_1, n_2)$ (zeros), or add each entry of the margin to the pixel it
    copies, $(u - p)\bmod n$, and crop (circular)."""
    p1, p2 = g.padding
    if g.padding_mode == "zeros":
        return Gp[:, :, p1 : p1 + n1, p2 : p2 + n2].copy()
    m, C = Gp.shape[:2]
    rows = np.zeros((m, C, n1, n2 + 2 * p2), dtype=Gp.dtype)
    np.add.at(rows, (slice(None), slice(None), (np.arange(n1 + 2 * p1) - p1) % n1), Gp)
    G = np.zeros((m, C, n1, n2), dtype=Gp.dtype)  # padded row v1 went to row (v1 - p1) mod n1,
    np.add.at(G, (slice(None),) * 3 + ((np.arange(n2 + 2 * p2) - p2) % n2,), rows)  # columns too
    return G


# --- im2col and col2im ----------------------------------------------------------------------------
def _window(g: Geometry, a: tuple[int, int], n_out: tuple[int, int]) -> tuple[slice, slice]:
    r"""The positions $s\odot i + d\odot a$, $i\in\Lambda_{n'}$, read by kernel offset $a$:
    one strided slice per axis."""
    (s1, s2), (d1, d2) = g.stride, g.dilation
    return (
        slice(d1 * a[0], d1 * a[0] + s1 * (n_out[0] - 1) + 1, s1),
        slice(d2 * a[1], d2 * a[1] + s2 * (n_out[1] - 1) + 1, s2),
    )


def _im2col(X: np.ndarray, k: tuple[int, int], g: Geometry) -> np.ndarray:
    """$\\operatorname{im2col}(X)$ on validated arguments."""
    m, C, n1, n2 = X.shape
    n_out = g.out_shape(n1, n2, *k)
    Xp = _pad(X, g)  # tilde X
    cols = np.empty((C, k[0], k[1], m, *n_out), dtype=X.dtype)  # rows (c, a), columns (mu, i)
    for a1 in range(k[0]):
        for a2 in range(k[1]):
            rows, columns = _window(g, (a1, a2), n_out)
            # cols[c, a, mu, i] = tilde X[mu, c, s i + d a]
            cols[:, a1, a2] = Xp[:, :, rows, columns].transpose(1, 0, 2, 3)
    return cols.reshape(C * k[0] * k[1], m * n_out[0] * n_out[1])


def _col2im(
    cols: np.ndarray, shape: tuple[int, int, int, int], k: tuple[int, int], g: Geometry
) -> np.ndarray:
    """$\\operatorname{col2im}(M) = \\operatorname{im2col}^*(M)$ on validated arguments."""
    m, C, n1, n2 = shape
    n_out = g.out_shape(n1, n2, *k)
    M = cols.reshape(C, k[0], k[1], m, *n_out)
    Gp = np.zeros((m, C, n1 + 2 * g.padding[0], n2 + 2 * g.padding[1]), dtype=cols.dtype)
    for a1 in range(k[0]):
        for a2 in range(k[1]):
            rows, columns = _window(g, (a1, a2), n_out)
            # entry ((c, a), (mu, i)) goes back to position s i + d a of image mu, channel c
            Gp[:, :, rows, columns] += M[:, a1, a2].transpose(1, 0, 2, 3)
    return _pad_adjoint(Gp, g, n1, n2)


_GEOMETRY = dict(stride=STRIDE, padding=PADDING, dilation=DILATION, padding_mode=MODE)


@validate(padding=PADDING, padding_mode=MODE, X=images("m", "C", "n_1", "n_2"))
def pad(X: Any, padding: Any, padding_mode: str = "zeros") -> np.ndarray:
    r"""The padded input $\tilde X$ of Definition `def-cnn-cross-correlation`, shape
    ``(m, C, n_1 + 2p_1, n_2 + 2p_2)``: zeros outside the image, or
    $\tilde X_{\mu,c,u} = X_{\mu,c,(u-p)\bmod n}$ (circular, requires $p\le n$)."""
    g = Geometry(padding=padding, padding_mode=padding_mode)
    g.out_shape(X.shape[2], X.shape[3], 1, 1)  # circular padding: p <= n
    return _pad(X, g)


@validate(
    G=images("m", "C", "n_1 + 2p_1", "n_2 + 2p_2"),
    input_shape=KERNEL,
    padding=PADDING,
    padding_mode=MODE,
)
def pad_adjoint(G: Any, input_shape: Any, padding: Any, padding_mode: str = "zeros") -> np.ndarray:
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
    return _pad_adjoint(G, g, n1, n2)


@validate(X=images("m", "C", "n_1", "n_2"), kernel_size=KERNEL, **_GEOMETRY)
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
        $\tilde X_{\mu,c,s\odot i + d\odot a}$ (the layout of ``torch.nn.functional.unfold``
        with the batch index moved from the first axis into the columns).
    """
    return _im2col(X, kernel_size, Geometry(stride, padding, dilation, padding_mode))


@validate(
    cols=Array(shape=("C k_1 k_2", "m n_1' n_2'"), numpy=True),
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
) -> np.ndarray:
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
    return _col2im(cols, shape, kernel_size, g)
