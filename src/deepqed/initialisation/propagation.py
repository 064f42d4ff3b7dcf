r"""Random networks at initialisation, simulated with their full weight matrices.

Section "Variance-preserving initialisation" of the chapter *Initialisation and signal
propagation*. For one input $x$ (and optionally a direction $u$), ``runs`` independent networks
with weights $W^l_{jk}\sim N(0, c_w^{(l)}/n_{l-1})$ and biases $b^l_j\sim N(0, c_b)$ are drawn
layer by layer, and

$$z^1 = W^1x + b^1,\quad z^{l+1} = W^{l+1}\sigma(z^l) + b^{l+1},\qquad
t^1 = W^1u,\quad t^{l+1} = W^{l+1}\bigl(\sigma'(z^l)\odot t^l\bigr),$$

where $t^l = Dz^l(x)[u]$ is the forward-mode derivative (with $\operatorname{ReLU}'(0) = 0$,
chapter 6's convention). Each network gets its own matrices: nothing here uses the Gaussian
conditional laws that the chapter proves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validation import Array, Generator, Integer, Optional, Options, Real, fail, validate
from ..nn import ACTIVATIONS

__all__ = ["NetworkSample", "random_networks", "relu_variance_recursion"]


@dataclass(frozen=True)
class NetworkSample:
    r"""Pre-activations, activations and tangents of ``runs`` random networks at one input.

    Attributes:
        Z: $z^1, \dots, z^L$, arrays of shape ``(runs, n_l)``.
        A: $a^l = \sigma(z^l)$, arrays of shape ``(runs, n_l)``.
        T: $t^1, \dots, t^L$ (shape ``(runs, n_l)``), or ``None`` without a direction $u$.
    """

    Z: list[np.ndarray]
    A: list[np.ndarray]
    T: list[np.ndarray] | None


@validate(
    widths=Array(ndim=1, dtype="integer", low=1, numpy=True),
    x=Array(ndim=1, numpy=True),
    gains=Array(ndim=1, numpy=True, same_dtype=False),
    c_b=Real(0, None),
    activation=Options("relu", "tanh", "identity"),
    runs=Integer(1),
    rng=Generator(),
    u=Optional(Array(ndim=1, numpy=True)),
)
def random_networks(
    widths: np.ndarray,
    x: np.ndarray,
    gains: np.ndarray,
    c_b: float,
    activation: str,
    runs: int,
    rng: np.random.Generator,
    u: np.ndarray | None = None,
) -> NetworkSample:
    r"""Simulate ``runs`` independent networks with widths ``widths`` $= (n_0, \dots, n_L)$, weight
    gains ``gains`` $= (c_w^{(1)}, \dots, c_w^{(L)})$ (the weight variance of layer $l$ is
    $c_w^{(l)}/n_{l-1}$), bias variance ``c_b``, at the input ``x`` (shape ``(n_0,)``) and, if
    given, in the direction ``u`` (shape ``(n_0,)``). Arithmetic in the dtype of ``x``; the
    matrices are drawn with ``rng.standard_normal`` in that dtype, one layer at a time."""
    w = [int(n) for n in widths]
    L = len(w) - 1
    if L < 1:
        fail("widths", "list n_0, ..., n_L with L >= 1", repr(tuple(w)))
    if gains.shape[0] != L:
        fail("gains", f"have one entry per layer (L = {L})", f"shape {gains.shape}")
    if np.any(gains <= 0):
        fail("gains", "be positive", repr(gains))
    if x.shape[0] != w[0] or (u is not None and u.shape[0] != w[0]):
        fail("x", f"have n_0 = {w[0]} entries (and so must u)", f"shape {x.shape}")
    dt = x.dtype
    act = ACTIVATIONS[activation]
    a = np.broadcast_to(x, (runs, w[0]))
    t = None if u is None else np.broadcast_to(u, (runs, w[0]))
    Z, A, T = [], [], []
    for l in range(1, L + 1):
        sd = dt.type(math.sqrt(float(gains[l - 1]) / w[l - 1]))
        W = rng.standard_normal((runs, w[l], w[l - 1]), dtype=dt) * sd
        z = np.einsum("rjk,rk->rj", W, a)
        if c_b > 0:
            z = z + rng.standard_normal((runs, w[l]), dtype=dt) * dt.type(math.sqrt(c_b))
        if t is not None:
            t = np.einsum("rjk,rk->rj", W, t)
            T.append(t)
        a = act.sigma(np, z)
        Z.append(z)
        A.append(a)
        if t is not None:
            t = act.sigma_prime(np, z) * t
    return NetworkSample(Z, A, T if u is not None else None)


@validate(gains=Array(ndim=1, numpy=True), c_b=Real(0, None), q1=Real(0, None))
def relu_variance_recursion(gains: np.ndarray, c_b: float, q1: float) -> np.ndarray:
    r"""$q^l = \mathbb E\|z^l\|^2/n_l$ for a ReLU network (Theorem `thm-init-variance`):
    $q^1$ = ``q1`` $= c_w^{(1)}\|x\|^2/n_0 + c_b$ and $q^{l+1} = c_w^{(l+1)}q^l/2 + c_b$; returns
    $(q^1, \dots, q^L)$, shape ``(L,)``."""
    q = [q1]
    for c in gains[1:]:
        q.append(float(c) * q[-1] / 2 + c_b)
    return np.array(q)
