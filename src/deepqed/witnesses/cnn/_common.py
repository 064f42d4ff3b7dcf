r"""Shared pieces of the CNN witnesses: random convolution geometries, an independent torch
reference written with ``torch.nn.functional`` (it never calls deepqed code), and first-order
rounding bounds of the convolution, its backward rules and the network of
`def-cnn-architecture`, which the comparisons use as tolerances.

The bounds follow the model of :mod:`deepqed.witnesses.feedforward._common`: an entry of
$K_WX + b$ is a sum of $Q + 1$ products and terms ($Q = C_{in}k_1k_2$), so its computed value is
within $\gamma_{Q+1}(K_{|W|}|\tilde X| + |b|)$, computed here by convolving absolute values; the
backward products likewise ($\mathrm dW$: sums over $mn_1'n_2'$ positions; $\mathrm dX$: a product
with $C_{out}$ terms and the additions of col2im, at most $9k_1k_2$ with circular padding). ReLU and
max pooling copy entries, so their outputs carry the errors of their inputs, provided the two
computations compared take the same branches: an instance with a pre-activation within rounding of
0, or a pooling window whose two largest entries are within rounding of each other, is excluded
and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from .._common import nan_max, relative_error, single_threaded
from ..feedforward._common import UNIT_ROUNDOFF, Worst, WorstBound, gamma, loss_bounds, norm

__all__ = [
    "single_threaded",
    "nan_max",
    "relative_error",
    "random_conv",
    "torch_conv",
    "torch_conv_grads",
    "conv_kwargs",
    "conv_bound",
    "conv_backward_bounds",
    "network_bounds",
    "UNIT_ROUNDOFF",
    "Worst",
    "WorstBound",
    "gamma",
    "norm",
]


def random_conv(
    rng: np.random.Generator,
    dtype: Any = np.float64,
    *,
    max_size: int = 12,
    modes: Sequence[str] = ("zeros", "circular"),
) -> dict[str, Any]:
    """A random convolution problem: sizes, stride 1-3, padding 0-3, dilation 1-3, kernel 1-4,
    anisotropic (height and width drawn separately), with an output of at least one pixel."""
    while True:
        N, C_in, C_out = (int(v) for v in rng.integers(1, 5, size=3))
        H, W = (int(v) for v in rng.integers(1, max_size + 1, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        s = tuple(int(v) for v in rng.integers(1, 4, size=2))
        d = tuple(int(v) for v in rng.integers(1, 4, size=2))
        p = tuple(int(v) for v in rng.integers(0, 4, size=2))
        mode = str(rng.choice(list(modes)))
        if mode == "circular" and (p[0] > H or p[1] > W):
            continue
        if d[0] * (kh - 1) + 1 > H + 2 * p[0] or d[1] * (kw - 1) + 1 > W + 2 * p[1]:
            continue
        X = rng.standard_normal((N, C_in, H, W)).astype(dtype)
        Wt = rng.standard_normal((C_out, C_in, kh, kw)).astype(dtype)
        b = rng.standard_normal(C_out).astype(dtype)
        return {
            "X": X,
            "W": Wt,
            "b": b,
            "stride": s,
            "padding": p,
            "dilation": d,
            "padding_mode": mode,
        }


def _pad(X: torch.Tensor, padding, padding_mode: str) -> torch.Tensor:
    """The padded input (zeros or circular), torch."""
    mode = "circular" if padding_mode == "circular" else "constant"
    return F.pad(X, (padding[1], padding[1], padding[0], padding[0]), mode=mode)


def torch_conv(
    X: torch.Tensor,
    W: torch.Tensor,
    b: torch.Tensor | None,
    stride,
    padding,
    dilation,
    padding_mode: str,
) -> torch.Tensor:
    """``F.conv2d`` on the padded input (``F.pad``, zeros or circular)."""
    return F.conv2d(_pad(X, padding, padding_mode), W, b, stride=stride, dilation=dilation)


def _t(a: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def torch_conv_grads(P: dict[str, Any], G: np.ndarray) -> tuple[np.ndarray, ...]:
    """(Z, dX, dW, db) from torch autograd in float64 on the (possibly float32) numbers of ``P``:
    the gradients of ``<Z, G>``."""
    X, W, b = (_t(P[k]).requires_grad_(True) for k in ("X", "W", "b"))
    Z = torch_conv(X, W, b, P["stride"], P["padding"], P["dilation"], P["padding_mode"])
    dX, dW, db = torch.autograd.grad(Z, (X, W, b), _t(G))
    return tuple(t.detach().numpy() for t in (Z, dX, dW, db))


def conv_kwargs(P: dict[str, Any]) -> dict[str, Any]:
    return {k: P[k] for k in ("stride", "padding", "dilation", "padding_mode")}


def conv_bound(P: dict[str, Any], u: float, eX: Any = 0.0) -> torch.Tensor:
    r"""$\gamma_{Q+1}(K_{|W|}|\tilde X| + |b|) + K_{|W|}\tilde e_X$: the bound on the computed
    $K_WX + b$ (with ``eX`` the bound on the error of $X$)."""
    X, W, b = (_t(P[k]).abs() for k in ("X", "W", "b"))
    Q = W.shape[1] * W.shape[2] * W.shape[3]
    args = (P["stride"], P["padding"], P["dilation"], P["padding_mode"])
    out = gamma(Q + 1, u) * torch_conv(X, W, b, *args)
    if not isinstance(eX, float):
        out = out + torch_conv(torch.as_tensor(eX), W, None, *args)
    return out


def _weight_grad(P: dict[str, Any], X: torch.Tensor, G: torch.Tensor) -> torch.Tensor:
    """$\\mathrm dW = \\Delta_2\\operatorname{im2col}(X)^\\top$ for (nonnegative) ``X``, ``G``."""
    Xp = _pad(X, P["padding"], P["padding_mode"])
    return torch.nn.grad.conv2d_weight(
        Xp, tuple(np.shape(P["W"])), G, stride=P["stride"], dilation=P["dilation"]
    )


def _input_grad(P: dict[str, Any], W: torch.Tensor, G: torch.Tensor) -> torch.Tensor:
    r"""$K_W^*G$ by torch (autograd of the padded convolution), for nonnegative ``W``, ``G``."""
    X = torch.zeros(np.shape(P["X"]), dtype=torch.float64, requires_grad=True)
    Z = torch_conv(X, W, None, P["stride"], P["padding"], P["dilation"], P["padding_mode"])
    (dX,) = torch.autograd.grad(Z, X, G)
    return dX


def conv_backward_bounds(
    P: dict[str, Any], G: Any, u: float, eG: Any = None, eX: Any = None
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""Bounds on the computed $(\mathrm dX, \mathrm dW, \mathrm db)$ of Theorem
    `thm-cnn-conv-backward` from $G$ (with error bound ``eG``) and $X$ (error bound ``eX``)."""
    X, W, Gt = _t(P["X"]).abs(), _t(P["W"]).abs(), _t(G).abs()
    m, C_out = Gt.shape[0], Gt.shape[1]
    positions = m * Gt.shape[2] * Gt.shape[3]
    k = W.shape[2] * W.shape[3]
    folds = 9 if P["padding_mode"] == "circular" else 1
    eW = gamma(positions, u) * _weight_grad(P, X, Gt)
    eb = gamma(positions, u) * Gt.sum(dim=(0, 2, 3))
    eX_out = gamma(C_out + folds * k, u) * _input_grad(P, W, Gt)
    if eG is not None:
        eGt = torch.as_tensor(eG)
        eW = eW + _weight_grad(P, X, eGt)
        eb = eb + eGt.sum(dim=(0, 2, 3))
        eX_out = eX_out + _input_grad(P, W, eGt)
    if eX is not None:
        eW = eW + _weight_grad(P, torch.as_tensor(eX), Gt)
    return eX_out, eW, eb


@dataclass(frozen=True)
class NetworkBounds:
    """Rounding bounds of the network of `def-cnn-architecture` (float64 torch tensors): the
    logits ``Z3`` with ``e_Z3``, the loss value with ``e_value``, the gradient's six arrays
    ``e_grad``, and ``margin``: the least gap (over pre-activations and pooling windows) between a
    branch decision and its rounding; negative when the instance is within rounding of a kink or
    a tie."""

    e_Z3: torch.Tensor
    value: float
    e_value: float
    e_grad: list[torch.Tensor]
    margin: float


def _route(A: torch.Tensor, q: int, E: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, float]:
    """``(maxpool(A), maxpool-routed E, tie margin)``: the selected entries of ``E`` (the
    maximisers of ``A``), and the least gap between a window's largest entry and the next, minus
    twice their bounds (``inf`` for windows of one entry; windows of zeros are ignored)."""
    P, idx = F.max_pool2d(A, q, return_indices=True)
    flat = E.flatten(2).gather(2, idx.flatten(2)).view_as(P)
    if q == 1:
        return P, flat, float("inf")
    m, C, h, w = P.shape
    win = A[:, :, : h * q, : w * q].reshape(m, C, h, q, w, q).permute(0, 1, 2, 4, 3, 5)
    ewin = E[:, :, : h * q, : w * q].reshape(m, C, h, q, w, q).permute(0, 1, 2, 4, 3, 5)
    win, ewin = win.reshape(m, C, h, w, q * q), ewin.reshape(m, C, h, w, q * q)
    top2, pos = win.topk(2, dim=-1)
    e_top = ewin.gather(-1, pos)
    gap = (top2[..., 0] - top2[..., 1]) - 2 * (e_top[..., 0] + e_top[..., 1])
    positive = top2[..., 0] > 0  # a window of zeros (after ReLU) ties harmlessly
    margin = float(gap[positive].min()) if bool(positive.any()) else float("inf")
    return P, flat, margin


def network_bounds(arch, theta, X: Any, Y: Any, u: float) -> NetworkBounds:
    r"""Bounds on the computed logits, loss and gradient of Algorithm `alg-cnn-backprop` in a format
    of unit roundoff ``u`` from exact ``theta``, ``X``, ``Y`` (see the module docstring)."""
    W1, b1, W2, b2, W3, b3 = (_t(a) for a in theta.arrays())
    p, q = arch.padding, arch.pool
    Xt = _t(X)
    conv1 = {
        "X": Xt,
        "W": W1,
        "b": b1,
        "stride": (1, 1),
        "padding": (p, p),
        "dilation": (1, 1),
        "padding_mode": "zeros",
    }
    Z1 = F.conv2d(Xt, W1, b1, padding=p)
    e1 = conv_bound(conv1, u)
    A1 = F.relu(Z1)
    # margins: twice the bound covers both computations compared (the reference's is no larger)
    margin = float((Z1.abs() - 2 * e1).min())
    P1, eP1, m1 = _route(A1, q, e1 * (Z1 > 0))
    margin = min(margin, m1)
    conv2 = {**conv1, "X": P1, "W": W2, "b": b2}
    Z2 = F.conv2d(P1, W2, b2, padding=p)
    e2 = conv_bound(conv2, u, eP1)
    A2 = F.relu(Z2)
    margin = min(margin, float((Z2.abs() - 2 * e2).min()))
    P2, eP2, m2 = _route(A2, q, e2 * (Z2 > 0))
    margin = min(margin, m2)
    V, eV = P2.flatten(1), eP2.flatten(1)
    F_ = V.shape[1]
    Z3 = V @ W3.T + b3
    e3 = gamma(F_ + 1, u) * (V.abs() @ W3.abs().T + b3.abs()) + eV @ W3.abs().T
    value, e_value, G3, eG3 = loss_bounds(Z3, e3, _t(Y), "cross_entropy", u)
    m = Xt.shape[0]
    eW3 = gamma(m, u) * G3.abs().T @ V.abs() + eG3.T @ V.abs() + G3.abs().T @ eV
    eb3 = gamma(m, u) * G3.abs().sum(dim=0) + eG3.sum(dim=0)
    GV = G3 @ W3
    eGV = gamma(W3.shape[0], u) * G3.abs() @ W3.abs() + eG3 @ W3.abs()
    # routing back through the pooling: each G entry to its window's maximiser (exact copies)
    _, idx2 = F.max_pool2d(A2, q, return_indices=True)
    GP2, eGP2 = GV.view_as(P2), eGV.view_as(P2)
    GA2 = F.max_unpool2d(GP2, idx2, q, output_size=A2.shape[2:])
    eGA2 = F.max_unpool2d(eGP2, idx2, q, output_size=A2.shape[2:])
    mask2 = (Z2 > 0).double()
    D2, eD2 = GA2 * mask2, eGA2 * mask2
    eP1_, eW2, eb2 = conv_backward_bounds(conv2, D2, u, eG=eD2, eX=eP1)
    GP1 = torch.nn.grad.conv2d_input(P1.shape, W2, D2, padding=p)  # K_{W^2}^* Delta^2
    _, idx1 = F.max_pool2d(A1, q, return_indices=True)
    GA1 = F.max_unpool2d(GP1, idx1, q, output_size=A1.shape[2:])
    eGA1 = F.max_unpool2d(eP1_, idx1, q, output_size=A1.shape[2:])
    mask1 = (Z1 > 0).double()
    D1, eD1 = GA1 * mask1, eGA1 * mask1
    _, eW1, eb1 = conv_backward_bounds(conv1, D1, u, eG=eD1)
    return NetworkBounds(e3, value, e_value, [eW1, eb1, eW2, eb2, eW3, eb3], margin)
