r"""Multi-channel 2-D cross-correlation (the "convolution" of deep learning), forward and backward.

Chapter *Convolutional networks*. Layout NCHW, as in PyTorch: inputs $X\in\mathbb R^{m\times
C_{in}\times n_1\times n_2}$ (batch, channels, height, width), weights $W\in\mathbb R^{C_{out}\times
C_{in}\times k_1\times k_2}$, bias $b\in\mathbb R^{C_{out}}$, outputs
$Z\in\mathbb R^{m\times C_{out}\times n_1'\times n_2'}$ with, for positions $i\in\Lambda_{n'}$ and
kernel offsets $a\in\Lambda_k$ (pairs),

$$Z_{\mu,o,i} = b_o + \sum_{c=0}^{C_{in}-1}\sum_{a\in\Lambda_k}W_{o,c,a}\,
\tilde X_{\mu,c,\,s\odot i + d\odot a}$$

(Definition `def-cnn-cross-correlation`; $\tilde X$ is the zero- or circularly padded input). The
forward rule and its backward rule (Theorem `thm-cnn-conv-backward`) stand side by side, each a
few lines that read like the book's formulas:

forward   ``Z_2 = W_2 @ cols + b``                with ``cols = im2col(X)``, ``W_2 = W.reshape(C_out, -1)``
backward  ``dW = G_2 @ cols.T``, ``db = G_2 1``, ``dX = col2im(W_2.T @ G_2)`` = the adjoint
          (transposed convolution) applied to ``G`` (Theorem `thm-cnn-adjoint`),

where ``G_2`` is the upstream gradient with its columns $(\mu, i)$. The functions are written in
the array API: NumPy, PyTorch (CPU or CUDA) and any other library of the standard, float32 or
float64; the results have the namespace, device and dtype of the arguments. The training loop uses the same products in a faster memory layout
(:mod:`deepqed.cnn._fast`, tested against these functions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._validation import (
    Array,
    Boolean,
    Instance,
    Integer,
    Optional,
    check,
    check_same_namespace,
    fail,
    namespace,
    validate,
)
from ._geometry import (
    DILATION,
    KERNEL,
    MODE,
    PADDING,
    STRIDE,
    Geometry,
    contiguous,
    images,
    shape4,
)
from .im2col import _col2im, _im2col

__all__ = [
    "ConvCache",
    "conv2d_counts",
    "conv2d",
    "conv2d_forward",
    "conv2d_backward",
    "conv_transpose2d",
]

_GEOMETRY = dict(stride=STRIDE, padding=PADDING, dilation=DILATION, padding_mode=MODE)
_X = images("m", "C_in", "n_1", "n_2")
_W = images("C_out", "C_in", "k_1", "k_2")
_B = Optional(Array(shape=("C_out",)))
_Z = images("m", "C_out", "n_1'", "n_2'")


@dataclass(frozen=True)
class ConvCache:
    """What the backward rule needs from the forward pass: ``cols`` $=\\operatorname{im2col}(X)$,
    shape ``(C_in k_1 k_2, m n_1' n_2')`` (columns $(\\mu, i)$), the input shape
    $(m, C_{in}, n_1, n_2)$ and the geometry."""

    cols: Any
    input_shape: tuple[int, int, int, int]
    geometry: Geometry

    __deepqed_constraints__ = {
        "cols": Array(shape=("C_in k_1 k_2", "m n_1' n_2'")),
        "input_shape": Instance(tuple, "a shape (m, C_in, n_1, n_2): a tuple of 4 integers"),
        "geometry": Instance(Geometry),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        object.__setattr__(self, "input_shape", shape4("input_shape", self.input_shape))


@validate(X=_X, W=_W, b=_B, **_GEOMETRY)
def conv2d_forward(
    X: Any,
    W: Any,
    b: Any = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> tuple[Any, ConvCache]:
    r"""$Z = K_W(X) + b$ and the cache for :func:`conv2d_backward`.

    Implements Definition `def-cnn-cross-correlation` through the factorisation of Proposition
    `prop-cnn-im2col`: $Z_{\mu,o,i} = (W_2\operatorname{im2col}(X))_{o,(\mu,i)} + b_o$.

    Arguments:
        X: input, shape ``(m, C_in, n_1, n_2)``.
        W: weights, shape ``(C_out, C_in, k_1, k_2)``, dtype of ``X``.
        b: bias, shape ``(C_out,)``, or ``None`` (no bias).
        stride: $s$, int or pair ``(s_1, s_2)``, $\ge1$.
        padding: $p$, int or pair, $\ge 0$ (circular: $p \le n$).
        dilation: $d$, int or pair, $\ge1$.
        padding_mode: ``"zeros"`` or ``"circular"`` (the padded input is periodic).

    Returns:
        ``(Z, cache)``; ``Z`` of shape ``(m, C_out, n_1', n_2')`` (Proposition
        `prop-cnn-output-size`), dtype of ``X``.
    """
    xp = namespace(X)
    g = Geometry(stride, padding, dilation, padding_mode)
    m, C_out = X.shape[0], W.shape[0]
    n1o, n2o = g.out_shape(*X.shape[2:], *W.shape[2:])
    cols = _im2col(xp, X, W.shape[2:], g)  # (C_in k_1 k_2, m n_1' n_2'): columns (mu, i)
    W2 = xp.reshape(W, (C_out, -1))  # (C_out, C_in k_1 k_2): rows o, columns (c, a)
    Z2 = W2 @ cols  # K_W(X), columns (mu, i)
    if b is not None:
        Z2 = Z2 + xp.reshape(b, (C_out, 1))  # + b_o
    Z = xp.permute_dims(xp.reshape(Z2, (C_out, m, n1o, n2o)), (1, 0, 2, 3))  # (m, C_out, n')
    return contiguous(Z), ConvCache(cols, tuple(X.shape), g)


@validate(X=_X, W=_W, b=_B, **_GEOMETRY)
def conv2d(
    X: Any,
    W: Any,
    b: Any = None,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    padding_mode: str = "zeros",
) -> Any:
    r"""The cross-correlation $Z = K_W(X) + b$ of Definition `def-cnn-cross-correlation`;
    shapes and arguments as :func:`conv2d_forward` (like ``torch.nn.functional.conv2d``)."""
    return conv2d_forward(
        X, W, b, stride=stride, padding=padding, dilation=dilation, padding_mode=padding_mode
    )[0]


@validate(
    G=_Z, W=images("C_out", "C_in", "k_1", "k_2"), cache=Instance(ConvCache), need_dX=Boolean()
)
def conv2d_backward(
    G: Any, W: Any, cache: ConvCache, *, need_dX: bool = True
) -> tuple[Any, Any, Any]:
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
    xp = _check_cache(G, W, cache)
    C_out = W.shape[0]
    G2 = xp.reshape(xp.permute_dims(G, (1, 0, 2, 3)), (C_out, -1))  # Delta_2: columns (mu, i)
    dW = xp.reshape(G2 @ cache.cols.T, W.shape)  # Delta_2 im2col(X)^T
    db = xp.sum(G2, axis=1)  # Delta_2 1
    if not need_dX:
        return None, dW, db
    W2 = xp.reshape(W, (C_out, -1))
    dX = _col2im(xp, W2.T @ G2, cache.input_shape, W.shape[2:], cache.geometry)  # K_W^* Delta
    return dX, dW, db


def _check_cache(G: Any, W: Any, cache: ConvCache) -> Any:
    """``G`` and ``W`` fit the forward pass that made ``cache`` (errors name ``G`` or ``W``);
    returns the namespace."""
    if namespace(G) is not namespace(cache.cols):
        check_same_namespace(G=G, cache=cache.cols)  # names the two array libraries
    m, C_in, n1, n2 = cache.input_shape
    if W.shape[1] != C_in or cache.cols.shape[0] != C_in * W.shape[2] * W.shape[3]:
        fail(
            "W",
            f"be the weights of the forward pass, (C_out, {C_in}, k_1, k_2) with C_in k_1 k_2 = "
            f"{cache.cols.shape[0]}",
            f"shape {tuple(W.shape)}",
        )
    n_out = cache.geometry.out_shape(n1, n2, *W.shape[2:])
    if tuple(G.shape) != (m, W.shape[0], *n_out):
        fail(
            "G",
            f"have the shape of Z, (m, C_out, n_1', n_2') = {(m, W.shape[0], *n_out)}",
            f"shape {tuple(G.shape)}",
        )
    if G.dtype != cache.cols.dtype:
        fail(
            "G",
            f"have the dtype of the forward pass, {cache.cols.dtype}",
            f"{G.dtype}",
            kind=TypeError,
        )
    return check_same_namespace(G=G, cache=cache.cols)


@validate(Y=_Z, W=_W, output_padding=PADDING, **_GEOMETRY)
def conv_transpose2d(
    Y: Any,
    W: Any,
    *,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    output_padding: Any = 0,
    padding_mode: str = "zeros",
) -> Any:
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
    g = Geometry(stride, padding, dilation, padding_mode)
    m, C_out, n1o, n2o = Y.shape
    _, C_in, k1, k2 = W.shape
    rho = output_padding
    if not all(0 <= r < max(s, d) for r, s, d in zip(rho, g.stride, g.dilation)):
        fail("output_padding", "lie in [0, max(s, d)) on each axis", f"{rho}")
    n1, n2 = (
        (no - 1) * s - 2 * p + d * (k - 1) + 1 + r
        for no, s, p, d, k, r in zip((n1o, n2o), g.stride, g.padding, g.dilation, (k1, k2), rho)
    )
    if n1 < 1 or n2 < 1 or g.out_shape(n1, n2, k1, k2) != (n1o, n2o):
        fail(
            "output_padding",
            f"give an input size n whose convolution with this geometry has the output size "
            f"{(n1o, n2o)} of 'Y'",
            f"{rho} (n = {(n1, n2)})",
        )
    xp = namespace(Y)
    Y2 = xp.reshape(xp.permute_dims(Y, (1, 0, 2, 3)), (C_out, -1))  # columns (mu, i)
    W2 = xp.reshape(W, (C_out, -1))
    return _col2im(xp, W2.T @ Y2, (m, C_in, n1, n2), (k1, k2), g)  # col2im(W_2^T Y_2)


@validate(
    m=Integer(1),
    C_in=Integer(1),
    C_out=Integer(1),
    H=Integer(1),
    W=Integer(1),
    kernel_size=KERNEL,
    stride=STRIDE,
    padding=PADDING,
    dilation=DILATION,
    need_dX=Boolean(),
)
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
    and $\mathrm dX$; $M$ without $\mathrm dX$), ``bias_adds`` $= mC_{out}n_1'n_2'$ (adding
    $b$ in the forward pass). Arguments: batch size, channels, input height and width $(n_1, n_2)$
    = ``(H, W)``, kernel size and geometry.
    """
    kh, kw = kernel_size
    Ho, Wo = Geometry(stride, padding, dilation).out_shape(H, W, kh, kw, kernel="kernel_size")
    M = m * C_out * Ho * Wo * C_in * kh * kw
    return {
        "parameters": C_out * (C_in * kh * kw + 1),
        "forward": M,
        "backward": 2 * M if need_dX else M,
        "bias_adds": m * C_out * Ho * Wo,
    }
