r"""Affine pieces of ReLU networks with one input.

Section "Counting pieces" of the chapter *Approximation*. For a network with $n_0 = n_L = 1$,
ReLU hidden layers and an identity output layer, :func:`breakpoints` enumerates, layer by layer,
the points of an interval where some unit switches ({prf:ref}`alg-apx-breakpoints`): between two
consecutive points every unit's pre-activation is affine, so each unit of the next layer changes
sign at most once there. :func:`count_pieces` merges neighbouring intervals on which a piecewise
linear function has the same slope ({prf:ref}`def-apx-pieces`), and :func:`piece_bound` is the
bound $\prod_{l=1}^{L-1}(n_l + 1)$ of {prf:ref}`thm-apx-pieces`.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import Array, Instance, Real, fail, validate
from ..nn import Architecture, Parameters, forward

__all__ = ["breakpoints", "count_pieces", "piece_bound"]


def _check_one_input_relu(arch: Architecture) -> None:
    if arch.widths[0] != 1 or arch.widths[-1] != 1:
        fail("arch", "have one input and one output (n_0 = n_L = 1)", f"widths {arch.widths}")
    hidden, last = arch.activations[:-1], arch.activations[-1]
    if any(a != "relu" for a in hidden) or last != "identity":
        fail(
            "arch",
            "have ReLU hidden layers and an identity output layer",
            f"activations {arch.activations}",
        )


@validate(
    arch=Instance(Architecture),
    theta=Instance(Parameters),
    lo=Real(),
    hi=Real(),
)
def breakpoints(arch: Architecture, theta: Parameters, lo: float, hi: float) -> np.ndarray:
    r"""The points of $[\mathrm{lo}, \mathrm{hi}]$ where some hidden unit of the network switches,
    with the two ends ({prf:ref}`alg-apx-breakpoints`).

    Start from $P_0 = \{\mathrm{lo}, \mathrm{hi}\}$. For $l = 1, \dots, L - 1$, every pre-activation
    $z^l_j$ is affine on each interval of $P_{l-1}$ (induction), so it changes sign inside
    $[p, q]$ exactly when $z^l_j(p)z^l_j(q) < 0$, at $p + (q - p)z^l_j(p)/(z^l_j(p) - z^l_j(q))$;
    $P_l$ is $P_{l-1}$ with these roots added. The output is affine on each interval of
    $P_{L-1}$, and $|P_l| - 1\le(|P_{l-1}| - 1)(n_l + 1)$.

    Arguments:
        arch: widths $(1, n_1, \dots, n_{L-1}, 1)$, activations ReLU then identity.
        theta: its parameters (NumPy, float32 or float64).
        lo, hi: the interval, ``lo < hi``.

    Returns:
        $P_{L-1}$, sorted, float64, shape ``(K,)`` with $K\ge2$ ($K - 1$ intervals).
    """
    _check_one_input_relu(arch)
    if not lo < hi:
        fail("hi", f"be larger than lo = {lo:g}", f"{hi:g}")
    P = np.array([lo, hi])
    dtype = theta.W[0].dtype
    for l in range(1, arch.depth):
        Z = np.asarray(forward(arch, theta, P[:, None].astype(dtype)).Z[l], dtype=np.float64)
        z0, z1 = Z[:-1], Z[1:]  # values at the ends of each interval, (K - 1, n_l)
        cross = z0 * z1 < 0
        k, _ = np.nonzero(cross)
        roots = P[k] + (P[k + 1] - P[k]) * z0[cross] / (z0[cross] - z1[cross])
        P = np.unique(np.concatenate([P, np.clip(roots, lo, hi)]))
    return P


@validate(
    x=Array(shape=("K",), numpy=True),
    y=Array(shape=("K",), numpy=True),
    rtol=Real(0, None),
)
def count_pieces(x: np.ndarray, y: np.ndarray, rtol: float = 0.0) -> int:
    r"""The number of affine pieces ({prf:ref}`def-apx-pieces`) of the function that interpolates
    $(x_k, y_k)$ linearly: $1 + \#\{k : s_k\ne s_{k+1}\}$ with $s_k$ the slope on
    $[x_{k-1}, x_k]$. Two slopes count as equal when $|s_k - s_{k+1}|\le
    \mathrm{rtol}\cdot\max(|s_k|, |s_{k+1}|)$ (``rtol = 0``: exact equality).

    Arguments:
        x: nodes, strictly increasing, shape ``(K,)``, $K\ge2$; y: values, shape ``(K,)``.
        rtol: relative tolerance for equal slopes, ``>= 0``.
    """
    if x.shape[0] < 2:
        fail("x", "have at least two nodes", f"shape {x.shape}")
    if not bool(np.all(np.diff(x) > 0)):
        fail("x", "be strictly increasing", "an array with a non-increasing step")
    s = np.diff(y.astype(np.float64)) / np.diff(x.astype(np.float64))
    change = np.abs(np.diff(s)) > rtol * np.maximum(np.abs(s[:-1]), np.abs(s[1:]))
    return 1 + int(np.count_nonzero(change))


@validate(arch=Instance(Architecture))
def piece_bound(arch: Architecture) -> int:
    r"""$\prod_{l=1}^{L-1}(n_l + 1)$, the bound of {prf:ref}`thm-apx-pieces` on the number of
    affine pieces of a one-input ReLU network with hidden widths $n_1, \dots, n_{L-1}$ (1 for
    $L = 1$: an affine map)."""
    return math.prod(n + 1 for n in arch.widths[1:-1])
