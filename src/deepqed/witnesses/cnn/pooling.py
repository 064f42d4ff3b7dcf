r"""Witnesses of Section "Pooling": `def-cnn-pooling`, `prop-cnn-pool-backward`,
`prop-cnn-maxpool-derivative`."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from ... import cnn
from ...registry import Figures, Witness
from ._common import TOL, nan_max, rel, single_threaded


def _pool_problem(rng, *, ties: bool = False):
    N, C = (int(v) for v in rng.integers(1, 4, size=2))
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
    sh, sw = (int(v) for v in rng.integers(1, 4, size=2))
    H, W = int(rng.integers(kh, 13)), int(rng.integers(kw, 13))
    X = (
        rng.integers(0, 3, size=(N, C, H, W)).astype(np.float64)
        if ties
        else rng.standard_normal((N, C, H, W))
    )
    return X, (kh, kw), (sh, sw)


@single_threaded
def pooling_matches_torch(
    rng: np.random.Generator,
    *,
    avg_pool2d=cnn.avg_pool2d,
    max_pool2d=cnn.max_pool2d,
    instances: int = 150,
) -> Figures:
    """``avg_pool2d`` and ``max_pool2d`` vs ``F.avg_pool2d`` and ``F.max_pool2d``, float64,
    random windows and strides (overlapping or not)."""
    errors = []
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        Xt = torch.tensor(X)
        errors.append(rel(avg_pool2d(X, k, s), F.avg_pool2d(Xt, k, s).numpy()))
        errors.append(rel(max_pool2d(X, k, s), F.max_pool2d(Xt, k, s).numpy()))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of avg/max pooling vs F.avg_pool2d/F.max_pool2d, float64, "
        "kernel 1-3, stride 1-3",
    )


@single_threaded
def avg_pool_backward_matches(
    rng: np.random.Generator, *, avg_pool2d_backward=cnn.avg_pool2d_backward, instances: int = 150
) -> Figures:
    """``avg_pool2d_backward`` vs torch autograd of ``F.avg_pool2d``, and the adjoint identity
    <avg(X), G> = <X, avg*(G)> computed with NumPy."""
    errors = []
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        Xt = torch.tensor(X, requires_grad=True)
        Z = F.avg_pool2d(Xt, k, s)
        G = rng.standard_normal(tuple(Z.shape))
        (ref,) = torch.autograd.grad(Z, Xt, torch.tensor(G))
        dX = avg_pool2d_backward(G, X.shape, k, s)
        errors.append(rel(dX, ref.numpy()))
        if np.shape(dX) == X.shape:
            lhs = float(np.sum(Z.detach().numpy() * G))
            errors.append(
                abs(lhs - float(np.sum(X * dX)))
                / (np.linalg.norm(Z.detach().numpy()) * np.linalg.norm(G))
            )
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of avg_pool2d_backward vs torch autograd, and of the adjoint "
        "identity, float64",
    )


@single_threaded
def max_pool_backward_ties_match_torch(
    rng: np.random.Generator,
    *,
    max_pool2d_forward=cnn.max_pool2d_forward,
    max_pool2d_backward=cnn.max_pool2d_backward,
    instances: int = 150,
) -> Figures:
    """Max-pool backward vs torch autograd of ``F.max_pool2d`` on inputs with values in
    {0, 1, 2}, so that most windows have ties: the routing convention (first maximiser in
    row-major order) is compared, not only the a.e. derivative."""
    errors = []
    tied = 0
    for _ in range(instances):
        X, k, s = _pool_problem(rng, ties=True)
        Xt = torch.tensor(X, requires_grad=True)
        Z = F.max_pool2d(Xt, k, s)
        G = rng.standard_normal(tuple(Z.shape))
        (ref,) = torch.autograd.grad(Z, Xt, torch.tensor(G))
        Zo, idx = max_pool2d_forward(X, k, s)
        tied += int(k[0] * k[1] > 1)
        errors.append(rel(max_pool2d_backward(G, idx, X.shape, k, s), ref.numpy()))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        f"relative error of max_pool2d_backward vs torch autograd on integer inputs "
        f"({tied} instances with windows of size > 1, most with ties), float64",
    )


def max_pool_backward_central_differences(
    rng: np.random.Generator,
    *,
    max_pool2d_forward=cnn.max_pool2d_forward,
    max_pool2d_backward=cnn.max_pool2d_backward,
    instances: int = 150,
    h: float = 1e-5,
) -> Figures:
    """At Gaussian X (a.s. no ties): <dX, V> from the backward rule vs the central difference
    (<maxpool(X + hV), G> - <maxpool(X - hV), G>)/(2h) for a random direction V; relative to
    ||G||. An instance whose gap between the two largest entries of some window is below 10h is
    skipped (the difference quotient may straddle a kink)."""
    errors = []
    skipped = 0
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        Z, idx = max_pool2d_forward(X, k, s)
        G = rng.standard_normal(Z.shape)
        V = rng.standard_normal(X.shape)
        V /= np.linalg.norm(V)
        w = np.lib.stride_tricks.sliding_window_view(X, k, axis=(2, 3))[:, :, :: s[0], :: s[1]]
        w = np.sort(w.reshape(*w.shape[:4], -1), axis=-1)
        if w.shape[-1] > 1 and np.min(w[..., -1] - w[..., -2]) < 10 * h:
            skipped += 1
            continue
        cd = (
            np.sum(max_pool2d_forward(X + h * V, k, s)[0] * G)
            - np.sum(max_pool2d_forward(X - h * V, k, s)[0] * G)
        ) / (2 * h)
        dX = max_pool2d_backward(G, idx, X.shape, k, s)
        ip = float(np.sum(dX * V)) if np.shape(dX) == X.shape else math.inf
        errors.append(abs(ip - cd) / np.linalg.norm(G))
    return Figures(
        instances - skipped,
        nan_max(errors),
        1e-8,
        f"abs(<dX, V> - central difference) / ||G||, h = {h}, ||V|| = 1, float64; "
        f"{skipped} instance(s) with a near-tie skipped",
    )


CLAIMS = (
    Witness("def-cnn-pooling", pooling_matches_torch, "average and max pooling agree with torch"),
    Witness(
        "prop-cnn-pool-backward",
        avg_pool_backward_matches,
        "the average-pooling backward rule is the adjoint and agrees with torch autograd",
    ),
    Witness(
        "prop-cnn-maxpool-derivative",
        max_pool_backward_central_differences,
        "away from ties, the max-pool backward rule is the derivative (central differences)",
    ),
    Witness(
        "prop-cnn-maxpool-derivative",
        max_pool_backward_ties_match_torch,
        "at ties, the gradient goes to the first maximiser, as in torch",
    ),
)
