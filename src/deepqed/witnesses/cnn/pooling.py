r"""Witnesses of Section "Pooling": `def-cnn-pooling`, `prop-cnn-pool-backward`,
`prop-cnn-maxpool-derivative`.

Max pooling selects entries, so its value and its routed gradient are exact copies; average
pooling's sums of $k_1k_2$ terms are within $\gamma_{k_1k_2+1}$ of their absolute sums. The
derivatives are checked against central differences computed with ``gradcheck.check_vjp`` at
points where ``maxpool`` is affine on the whole stencil: with step $h$ below half the smallest gap
between a window's largest entry and the next, divided by $\|V\|_\infty$, the quotient of the
piecewise linear map is exact up to rounding."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from ... import cnn, gradcheck
from ...registry import Witness
from .._common import Evidence, equal
from ._common import UNIT_ROUNDOFF, Worst, gamma, single_threaded

U64 = UNIT_ROUNDOFF["float64"]


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


def _windows(X: np.ndarray, k, s) -> np.ndarray:
    """``w[mu, c, i_1, i_2, (a_1, a_2)]`` (row-major offsets), independently of the library."""
    w = np.lib.stride_tricks.sliding_window_view(X, k, axis=(2, 3))[:, :, :: s[0], :: s[1]]
    return w.reshape(*w.shape[:4], -1)


def _at(X, k, s) -> str:
    return f"X {X.shape}, k = {k}, s = {s}"


@single_threaded
def pooling_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    avg_pool2d=cnn.avg_pool2d,
    max_pool2d=cnn.max_pool2d,
    instances: int = 150,
) -> Evidence:
    """``avg_pool2d`` and ``max_pool2d`` vs ``F.avg_pool2d`` and ``F.max_pool2d`` (float64 on the
    same numbers), random windows and strides (overlapping or not)."""
    u = UNIT_ROUNDOFF[dtype.name]
    avg, mx = Worst(), Worst()
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        X = X.astype(dtype)
        Xt = torch.tensor(X, dtype=torch.float64)
        ours_avg = np.asarray(avg_pool2d(X, k, s), dtype=np.float64)
        ref_avg = F.avg_pool2d(Xt, k, s).numpy()
        bound = (gamma(k[0] * k[1] + 1, u) + gamma(k[0] * k[1] + 1, U64)) * F.avg_pool2d(
            Xt.abs(), k, s
        ).numpy()
        if ours_avg.shape != ref_avg.shape:
            avg.add(math.inf, 1.0, _at(X, k, s) + " (wrong shape)")
        else:
            avg.add(float(np.max(np.abs(ours_avg - ref_avg))), float(np.max(bound)), _at(X, k, s))
        ours_max = np.asarray(max_pool2d(X, k, s), dtype=np.float64)
        ref_max = F.max_pool2d(Xt, k, s).numpy()
        mx.add(
            float(np.max(np.abs(ours_max - ref_max)))
            if ours_max.shape == ref_max.shape
            else math.inf,
            0.0,
            _at(X, k, s),
        )
    return Evidence(
        instances,
        (
            avg.error(
                r"$\max|\mathrm{avg}(X) - \mathrm{F.avg\_pool2d}(X)|$", units="absolute error"
            ),
            mx.error(
                r"$\max|\mathrm{maxpool}(X) - \mathrm{F.max\_pool2d}(X)|$ (copies: exact)",
                units="absolute error",
            ),
        ),
        note="kernel 1-3, stride 1-3",
    )


@single_threaded
def avg_pool_backward_matches(
    rng: np.random.Generator, *, avg_pool2d_backward=cnn.avg_pool2d_backward, instances: int = 150
) -> Evidence:
    """``avg_pool2d_backward`` vs torch autograd of ``F.avg_pool2d``, and the adjoint identity
    <avg(X), G> = <X, avg*(G)> computed with NumPy."""
    grad, adj = Worst(), Worst()
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        Xt = torch.tensor(X, requires_grad=True)
        Z = F.avg_pool2d(Xt, k, s)
        G = rng.standard_normal(tuple(Z.shape))
        (ref,) = torch.autograd.grad(Z, Xt, torch.tensor(G))
        dX = avg_pool2d_backward(G, X.shape, k, s)
        if np.shape(dX) != X.shape:
            grad.add(math.inf, 1.0, _at(X, k, s) + " (wrong shape)")
            continue
        # each entry: G/(k_1 k_2) summed over the <= k_1 k_2 windows containing it
        (absolute,) = torch.autograd.grad(F.avg_pool2d(Xt, k, s), Xt, torch.tensor(np.abs(G)))
        n = k[0] * k[1] + 1
        grad.add(
            float(np.max(np.abs(dX - ref.numpy()))),
            2 * gamma(n, U64) * float(absolute.max()),
            _at(X, k, s),
        )
        Zn = Z.detach().numpy()
        lhs, rhs = float(np.sum(Zn * G)), float(np.sum(X * dX))
        total = float(np.sum(F.avg_pool2d(torch.tensor(np.abs(X)), k, s).numpy() * np.abs(G)))
        adj.add(abs(lhs - rhs), 2 * gamma(n + X.size + Zn.size, U64) * total, _at(X, k, s))
    return Evidence(
        instances,
        (
            grad.error(r"$\max|\mathrm{avg}^*(G) - $ torch autograd$|$", units="absolute error"),
            adj.error(
                r"$|\langle\mathrm{avg}(X), G\rangle - \langle X, \mathrm{avg}^*(G)\rangle|$",
                units="absolute error",
            ),
        ),
    )


@single_threaded
def max_pool_backward_ties_match_torch(
    rng: np.random.Generator,
    *,
    max_pool2d_forward=cnn.max_pool2d_forward,
    max_pool2d_backward=cnn.max_pool2d_backward,
    instances: int = 150,
) -> Evidence:
    """Max-pool backward vs torch autograd of ``F.max_pool2d`` on inputs with values in {0, 1, 2},
    so that most windows have ties: both route to the first maximiser in row-major order (sums of
    at most k_1 k_2 routed entries: within gamma times the routed absolute values)."""
    worst = Worst()
    tied = 0
    for _ in range(instances):
        X, k, s = _pool_problem(rng, ties=True)
        Xt = torch.tensor(X, requires_grad=True)
        Z = F.max_pool2d(Xt, k, s)
        G = rng.standard_normal(tuple(Z.shape))
        (ref,) = torch.autograd.grad(Z, Xt, torch.tensor(G))
        (absolute,) = torch.autograd.grad(F.max_pool2d(Xt, k, s), Xt, torch.tensor(np.abs(G)))
        _, idx = max_pool2d_forward(X, k, s)
        w = _windows(X, k, s)
        tied += int(np.sum(np.sum(w == w.max(axis=-1, keepdims=True), axis=-1) > 1))
        dX = max_pool2d_backward(G, idx, X.shape, k, s)
        worst.add(
            float(np.max(np.abs(dX - ref.numpy()))) if np.shape(dX) == X.shape else math.inf,
            2 * gamma(k[0] * k[1], U64) * float(absolute.max()),
            _at(X, k, s),
        )
    return Evidence(
        instances,
        (
            worst.error(
                r"$\max|R_X G - $ torch autograd of F.max\_pool2d$|$ at integer inputs",
                units="absolute error",
            ),
        ),
        note=f"{tied} windows with tied maximisers",
    )


def _gap(X: np.ndarray, k, s) -> float:
    """The least difference between a window's largest entry and its next largest (inf for
    windows of one entry)."""
    w = np.sort(_windows(X, k, s), axis=-1)
    return float(np.min(w[..., -1] - w[..., -2])) if w.shape[-1] > 1 else math.inf


def _fd_tolerance(X, V, G, k, s, h) -> float:
    r"""Rounding of ``check_vjp``'s two sides: the points $X \pm hV$ (copies of their entries,
    each within $u(|X| + h|V|)$, carried to $\langle\mathrm{maxpool}, G\rangle$ with weights
    $|G|$), the inner products ($\gamma_N$), all over $2h$ for the quotient; the right side
    $\langle R G, V\rangle$ within $\gamma_N\sum|G||V|$."""
    P = np.max(_windows(np.abs(X) + h * np.abs(V), k, s), axis=-1)
    N = X.size
    return (
        2 * U64 * float(np.sum(P * np.abs(G))) / (2 * h)
        + 2 * gamma(N, U64) * float(np.sum(P * np.abs(G))) / (2 * h)
        + gamma(N, U64) * float(np.sum(np.max(_windows(np.abs(V), k, s), axis=-1) * np.abs(G)))
    )


@single_threaded
def max_pool_backward_central_differences(
    rng: np.random.Generator,
    *,
    max_pool2d_forward=cnn.max_pool2d_forward,
    max_pool2d_backward=cnn.max_pool2d_backward,
    instances: int = 150,
) -> Evidence:
    r"""Parts 1-2: at Gaussian $X$ (no ties: the tie set is null), $\langle R_XG, V\rangle$ from the
    backward rule vs the central difference of $\langle\mathrm{maxpool}(\cdot), G\rangle$ at $X$
    along a random $V$ (``gradcheck.check_vjp``), with $h\|V\|_\infty$ below half the smallest gap,
    where the map is affine on the stencil."""
    worst = Worst()
    ties = 0
    for _ in range(instances):
        X, k, s = _pool_problem(rng)
        gap = _gap(X, k, s)
        ties += int(gap == 0)
        Z, idx = max_pool2d_forward(X, k, s)
        G = rng.standard_normal(Z.shape)
        V = rng.standard_normal(X.shape)
        h = min(1e-3, 0.25 * gap / float(np.max(np.abs(V))))
        lhs, rhs = gradcheck.check_vjp(
            lambda Y: max_pool2d_forward(Y, k, s)[0],
            lambda U: max_pool2d_backward(U, idx, X.shape, k, s),
            X,
            G,
            V,
            h,
        )
        worst.add(abs(lhs - rhs), _fd_tolerance(X, V, G, k, s, h), _at(X, k, s) + f", h = {h:.2g}")
    return Evidence(
        instances,
        (
            worst.error(
                r"$|\langle G, D_h\mathrm{maxpool}(X)[V]\rangle - \langle R_XG, V\rangle|$ at Gaussian $X$",
                units="absolute error",
            ),
            equal(
                "windows of Gaussian $X$ with two maximisers (part 1: a null set)",
                ties,
                0,
                0,
                units="instances",
            ),
        ),
    )


def _route_last(G: np.ndarray, X: np.ndarray, k, s) -> np.ndarray:
    """``G`` routed to the *last* maximiser (row-major) of each window, written out."""
    dX = np.zeros_like(X)
    w = _windows(X, k, s)
    last = w.shape[-1] - 1 - np.argmax(w[..., ::-1], axis=-1)
    for mu, c, i, j in np.ndindex(*G.shape):
        a1, a2 = divmod(int(last[mu, c, i, j]), k[1])
        dX[mu, c, i * s[0] + a1, j * s[1] + a2] += G[mu, c, i, j]
    return dX


@single_threaded
def max_pool_tie_routing_is_a_one_sided_limit(
    rng: np.random.Generator,
    *,
    max_pool2d_forward=cnn.max_pool2d_forward,
    max_pool2d_backward=cnn.max_pool2d_backward,
    instances: int = 120,
) -> Evidence:
    r"""Part 3 against the mathematics, not a library's convention: at integer-valued $X$ (most
    windows tied), the routing $R_X$ of the selected (first) maximisers is the adjoint of the
    derivative at $X - \tau\varrho$ ($\varrho_{c,u} = u_1n_2 + u_2$, the row-major rank; $\tau$
    below the least gap of $X$ over $\max\varrho$), computed by central differences at that point
    with ``gradcheck.check_vjp``; while the limit from the other side, $X + \tau\varrho$, routes
    to the last maximiser (written out here): the two one-sided limits differ at a tie."""
    minus, plus = Worst(), Worst()
    tied_windows = 0
    for _ in range(instances):
        X, k, s = _pool_problem(rng, ties=True)
        m, C, n1, n2 = X.shape
        rank = (np.arange(n1)[:, None] * n2 + np.arange(n2)[None, :]).astype(np.float64)
        rank = np.broadcast_to(rank, X.shape)
        tau = 0.25 / float(rank.max() + 1)  # distinct values of X differ by >= 1
        _, idx = max_pool2d_forward(X, k, s)
        G = rng.standard_normal(idx.shape)
        V = rng.standard_normal(X.shape)
        RG = max_pool2d_backward(G, idx, X.shape, k, s)  # R_X G, at X (check_vjp uses u = G)
        first = lambda U: RG  # noqa: E731
        last_G = _route_last(G, X, k, s)
        last = lambda U: last_G  # noqa: E731
        w = _windows(X, k, s)
        tied = np.sum(w == w.max(axis=-1, keepdims=True), axis=-1) > 1
        tied_windows += int(tied.sum())
        for sign, worst, R in ((-1.0, minus, first), (1.0, plus, last)):
            Y = X + sign * tau * rank
            h = min(1e-3, 0.25 * _gap(Y, k, s) / float(np.max(np.abs(V))))
            lhs, rhs = gradcheck.check_vjp(lambda T: max_pool2d_forward(T, k, s)[0], R, Y, G, V, h)
            worst.add(abs(lhs - rhs), _fd_tolerance(Y, V, G, k, s, h), _at(X, k, s))
    return Evidence(
        instances,
        (
            minus.error(
                r"$|\langle G, D\,\mathrm{maxpool}(X - \tau\varrho)[V]\rangle - \langle R_XG, V\rangle|$ (central differences)",
                units="absolute error",
            ),
            plus.error(
                r"$|\langle G, D\,\mathrm{maxpool}(X + \tau\varrho)[V]\rangle - \langle G, V_{\mathrm{last\ maximiser}}\rangle|$ (the other one-sided limit)",
                units="absolute error",
            ),
        ),
        note=f"{tied_windows} tied windows; tau = 1/(4 (max rank + 1))",
    )


CLAIMS = (
    Witness(
        "def-cnn-pooling",
        pooling_matches_torch,
        "average and max pooling agree with torch",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-cnn-pool-backward",
        avg_pool_backward_matches,
        "the average-pooling backward rule is the adjoint and agrees with torch autograd",
        strength="exact",
    ),
    Witness(
        "prop-cnn-maxpool-derivative",
        max_pool_backward_central_differences,
        "away from ties, the max-pool backward rule is the derivative (central differences)",
        strength="exact",
    ),
    Witness(
        "prop-cnn-maxpool-derivative",
        max_pool_tie_routing_is_a_one_sided_limit,
        "at exact ties, the routing to the first maximiser is the derivative's limit from "
        "X - tau rho (central differences), not from X + tau rho",
        strength="exact",
    ),
    Witness(
        "prop-cnn-maxpool-derivative",
        max_pool_backward_ties_match_torch,
        "at ties, the gradient goes to the first maximiser, as in torch",
        strength="exact",
    ),
)
