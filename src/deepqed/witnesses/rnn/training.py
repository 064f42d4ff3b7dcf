r"""Witnesses of Sections "Clipping and truncation" and "The adding problem":
`def-rnn-clipping`, `prop-rnn-clipping`, `def-rnn-truncated`, `thm-rnn-truncated`,
`def-rnn-adding`, `prop-rnn-adding-baseline`, `alg-rnn-adam`."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Figures, Witness
from ...rnn import tasks
from ._common import (
    nan_max,
    random_rnn,
    random_sequence,
    relative_error,
    single_threaded,
    sizes,
    torch_rnn,
)


def _random_gradient(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    shapes = [
        tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 3))))
        for _ in range(int(rng.integers(1, 5)))
    ]
    scale = 10.0 ** rng.uniform(-2, 2)
    grads = [scale * rng.standard_normal(s) for s in shapes]
    return grads, float(10.0 ** rng.uniform(-1, 1))


@single_threaded
def clipping_matches_torch(
    rng: np.random.Generator, *, clip_global_norm=rnn.clip_global_norm, instances: int = 200
) -> Figures:
    """``clip_global_norm`` vs ``torch.nn.utils.clip_grad_norm_`` (which divides by
    ``norm + 1e-6``: relative difference ``1e-6 / norm`` where it clips)."""
    errors = []
    for _ in range(instances):
        grads, tau = _random_gradient(rng)
        params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        norm_t = float(torch.nn.utils.clip_grad_norm_(params, tau))
        ours, norm = clip_global_norm(tuple(grads), tau)
        # torch scales by min(1, tau / (||g|| + 1e-6)), we by min(1, tau / ||g||): predicted
        # relative difference of the results
        offset = abs(min(1.0, tau / norm_t) / min(1.0, tau / (norm_t + 1e-6)) - 1.0)
        errors.append(abs(relative_error(list(ours), [p.grad.numpy() for p in params]) - offset))
        errors.append(abs(norm - norm_t) / norm_t)
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "|relative error vs torch clip_grad_norm_ - predicted offset| (torch divides by "
        "||g|| + 1e-6: offset 1e-6/||g|| where it clips), and error of ||g||; float64",
    )


def clipping_properties(
    rng: np.random.Generator, *, clip_global_norm=rnn.clip_global_norm, instances: int = 300
) -> Figures:
    r"""$\|\operatorname{clip}_\tau g\| = \min(\|g\|, \tau)$, $\operatorname{clip}_\tau g =
    \nu g$ with $\nu\in(0, 1]$ (cosine $1$), and $= g$ when $\|g\|\le\tau$; norms by
    ``math.fsum`` of squares."""
    errors = []
    for _ in range(instances):
        grads, tau = _random_gradient(rng)
        ours, _ = clip_global_norm(tuple(grads), tau)
        ng = math.sqrt(math.fsum(float(x) ** 2 for g in grads for x in g.ravel()))
        nc = math.sqrt(math.fsum(float(x) ** 2 for g in ours for x in g.ravel()))
        dot = math.fsum(
            float(a) * float(b) for g, c in zip(grads, ours) for a, b in zip(g.ravel(), c.ravel())
        )
        errors.append(abs(nc - min(ng, tau)) / min(ng, tau))
        errors.append(abs(1.0 - dot / (ng * nc)))
        lam = dot / ng**2
        errors.append(max(0.0, -lam, lam - 1.0 - 1e-15))
        if ng <= tau:
            errors.append(relative_error(list(ours), grads))
    return Figures(
        instances,
        nan_max(errors),
        1e-13,
        "||clip g|| vs min(||g||, tau), 1 - cos(clip g, g), nu outside (0, 1], and "
        "clip g vs g when ||g|| <= tau; float64, ||g|| in [0.01, 100] times sqrt(size)",
    )


@single_threaded
def truncated_matches_torch_detach(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 80,
) -> Figures:
    """Truncated BPTT (chunk length k) vs torch autograd with the state ``detach``-ed every k
    steps, float64, tanh and ReLU."""
    errors = []
    for j in range(instances):
        T, m, d, n = sizes(rng, (2, 20))
        k = int(rng.integers(1, T + 1))
        act = ("tanh", "relu")[j % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        _, g = rnn_loss_and_gradient(theta, X, G, H0, act, truncation=k)
        _, _, ref = torch_rnn(theta, X, H0, G, act, truncation=k)
        errors.append(relative_error([g.W, g.U, g.b, g.H0], ref))
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of truncated BPTT (dW, dU, db, dH0) vs torch.nn.RNN with "
        "h.detach() every k steps, float64",
    )


@single_threaded
def truncated_is_same_chunk_lag_sum(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 40,
) -> Figures:
    r"""Truncated gradient = the lag sum of ``prop-rnn-lag-sum`` restricted to pairs $s\le t$ in
    the same chunk, with Jacobians by torch autograd (independent of the BPTT code)."""
    from .gradients import torch_jacobian

    errors = []
    for j in range(instances):
        T, d, n = int(rng.integers(2, 10)), int(rng.integers(1, 4)), int(rng.integers(1, 6))
        k = int(rng.integers(1, T + 1))
        act = ("tanh", "relu")[j % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, 1, d, n, np.float64)
        fwd = rnn.rnn_forward(theta, X, H0, act)
        D = rnn.sigma_prime_from_value(fwd.H[1:], act)
        dW, dU, db = np.zeros((n, n)), np.zeros((n, d)), np.zeros(n)
        for s in range(1, T + 1):
            for t in range(s, T + 1):
                if (s - 1) // k != (t - 1) // k:
                    continue
                J = torch_jacobian(theta, X, fwd.H, act, s, t) if t > s else np.eye(n)
                delta = D[s - 1, 0] * (J.T @ G[t - 1, 0])
                dW += np.outer(delta, fwd.H[s - 1, 0])
                dU += np.outer(delta, X[s - 1, 0])
                db += delta
        _, g = rnn_loss_and_gradient(theta, X, G, H0, act, truncation=k)
        errors.append(relative_error(list(g.arrays()), [dW, dU, db]))
    return Figures(
        instances,
        nan_max(errors),
        1e-11,
        "relative error of truncated BPTT vs the same-chunk lag sum (torch Jacobians), float64",
    )


def adding_samples_have_the_law(
    rng: np.random.Generator, *, adding_problem=tasks.adding_problem, instances: int = 50
) -> Figures:
    r"""Each sample: values in $[0, 1]$, exactly one marker in each half, target = the sum of the
    two marked values; and (Kolmogorov–Smirnov) the values are uniform and the first marker
    position uniform on $\{1, \dots, \lfloor T/2\rfloor\}$ (KS statistic below its 0.1% critical
    value $1.95/\sqrt N$)."""
    violations = []
    for _ in range(instances):
        T = int(rng.integers(2, 60))
        m = int(rng.integers(1, 200))
        X, y = adding_problem(T, m, rng=rng)
        v, mu = X[:, :, 0], X[:, :, 1]
        half = T // 2
        bad = (
            np.any((v < 0) | (v > 1))
            or np.any(mu[:half].sum(0) != 1)
            or np.any(mu[half:].sum(0) != 1)
            or np.any(~np.isin(mu, (0.0, 1.0)))
        )
        violations.append(1.0 if bad else float(np.max(np.abs((v * mu).sum(0) - y))))
    X, _ = adding_problem(40, 4000, rng=rng)
    N = X[:, :, 0].size
    u = np.sort(X[:, :, 0].ravel())
    ks = float(np.max(np.maximum(np.arange(1, N + 1) / N - u, u - np.arange(N) / N)))
    p = np.argmax(X[:20, :, 1], axis=0)  # 0-based positions, uniform on 0..19
    cdf_emp = np.array([np.mean(p <= j) for j in range(20)])
    ks_p = float(np.max(np.abs(cdf_emp - (np.arange(20) + 1) / 20)))
    violations.append(max(0.0, ks - 1.95 / math.sqrt(N)))
    violations.append(max(0.0, ks_p - 1.95 / math.sqrt(p.size)))
    return Figures(
        instances,
        nan_max(violations),
        1e-12,
        "structural violations (markers, range, target) and KS excess over the 0.1% "
        "critical value for the values and the first marker position",
    )


def adding_baseline_monte_carlo(
    rng: np.random.Generator,
    *,
    adding_problem=tasks.adding_problem,
    instances: int = 20,
    draws: int = 20000,
) -> Figures:
    r"""Monte Carlo: $\mathbb E[y] = 1$, $\mathbb E[(y - 1)^2] = 1/6$; error in units of the
    standard error (4 allowed); and $\mathbb E[(y - c)^2] = 1/6 + (1 - c)^2$ at random $c$."""
    zs = []
    for _ in range(instances):
        T = int(rng.integers(2, 30))
        _, y = adding_problem(T, draws, rng=rng)
        c = rng.uniform(0.0, 2.0)
        for target, sample in (
            (1.0, y),
            (1.0 / 6.0, (y - 1.0) ** 2),
            (1.0 / 6.0 + (1.0 - c) ** 2, (y - c) ** 2),
        ):
            se = float(np.std(sample)) / math.sqrt(draws)
            zs.append(abs(float(np.mean(sample)) - target) / se)
    return Figures(
        instances,
        nan_max(zs),
        4.5,
        f"|Monte Carlo mean - exact| / standard error ({draws} draws): E y = 1, "
        "E (y-1)^2 = 1/6, E (y-c)^2 = 1/6 + (1-c)^2",
    )


def adam_matches_closed_form(
    rng: np.random.Generator, *, adam_update=tasks.adam_update, instances: int = 30, steps: int = 12
) -> Figures:
    r"""``adam_update`` iterated vs the unrolled closed form of Algorithm ``alg-rnn-adam``:
    $M_k = (1-\beta_1)\sum_{j\le k}\beta_1^{k-j}g_j$, $V_k = (1-\beta_2)\sum_{j\le k}
    \beta_2^{k-j}g_j^2$ (``math.fsum``), $\theta_k = \theta_0 - \alpha\sum_{k'\le k}\hat M_{k'}/
    (\sqrt{\hat V_{k'}} + \epsilon)$, entry by entry; random step sizes and betas, float64.
    (``torch.optim.Adam`` is compared in the unit tests; its first construction imports
    ``torch._dynamo``, seconds.)"""
    errors = []
    for _ in range(instances):
        shape = tuple(int(s) for s in rng.integers(1, 4, size=2))
        theta0 = rng.standard_normal(shape)
        alpha, b1, b2 = 10 ** rng.uniform(-3, -1), rng.uniform(0.5, 0.95), rng.uniform(0.9, 0.9999)
        eps = 10 ** rng.uniform(-8, -3)
        grads = [rng.standard_normal(shape) * 10 ** rng.uniform(-2, 1) for _ in range(steps)]
        params, state = (theta0,), tasks.adam_init((theta0,))
        for g in grads:
            params, state = adam_update(
                params, (g,), state, alpha=alpha, beta1=b1, beta2=b2, eps=eps
            )
        expected = np.empty(shape)
        for idx in np.ndindex(shape):
            total = []
            for k in range(1, steps + 1):
                M = (1 - b1) * math.fsum(b1 ** (k - j) * grads[j - 1][idx] for j in range(1, k + 1))
                V = (1 - b2) * math.fsum(
                    b2 ** (k - j) * grads[j - 1][idx] ** 2 for j in range(1, k + 1)
                )
                total.append((M / (1 - b1**k)) / (math.sqrt(V / (1 - b2**k)) + eps))
            expected[idx] = theta0[idx] - alpha * math.fsum(total)
        errors.append(relative_error([params[0]], [expected]))
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        f"relative error of the parameters after {steps} Adam steps vs the unrolled "
        "closed form (fsum), random alpha, betas, eps, float64",
    )


CLAIMS = (
    Witness(
        "def-rnn-clipping",
        clipping_matches_torch,
        "clipping agrees with torch.nn.utils.clip_grad_norm_",
    ),
    Witness(
        "prop-rnn-clipping",
        clipping_properties,
        "clipping preserves the direction, caps the norm and is the identity inside the ball",
    ),
    Witness(
        "def-rnn-truncated",
        truncated_matches_torch_detach,
        "truncated BPTT agrees with torch autograd with detach every k steps",
    ),
    Witness(
        "thm-rnn-truncated",
        truncated_is_same_chunk_lag_sum,
        "truncated BPTT is the same-chunk part of the lag sum",
    ),
    Witness(
        "def-rnn-adding",
        adding_samples_have_the_law,
        "samples have two markers, one per half, uniform values and the sum as target",
    ),
    Witness(
        "prop-rnn-adding-baseline",
        adding_baseline_monte_carlo,
        "Monte Carlo: E y = 1 and the best constant predictor has MSE 1/6",
    ),
    Witness(
        "alg-rnn-adam",
        adam_matches_closed_form,
        "Adam agrees with the unrolled closed form of its recursions",
    ),
)
