r"""Witnesses of Sections "Clipping and truncation" and "The adding problem":
`def-rnn-clipping`, `prop-rnn-clipping`, `def-rnn-truncated`, `thm-rnn-truncated`,
`def-rnn-adding`, `prop-rnn-adding-baseline`, `alg-rnn-adam`.

Confidence intervals have level $1 - 10^{-6}$, so that a correct library fails a given interval at
a given seed with probability at most $10^{-6}$: the Dvoretzky–Kiefer–Wolfowitz band for
distribution functions, $\sup_x|F_N(x) - F(x)|\le\sqrt{\ln(2/\alpha)/(2N)}$ with probability at
least $1 - \alpha$ for every $F$ (Massart, *The tight constant in the Dvoretzky–Kiefer–Wolfowitz
inequality*, Ann. Probab. 18(3), 1990), and normal-approximation intervals for means of bounded
variables over $10^5$ draws.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.stats import norm

from ... import rnn
from ...registry import Witness
from ...rnn import tasks
from .._common import Evidence, error, interval
from .._tolerances import adjoint_check
from ._common import (
    depth,
    random_rnn,
    random_sequence,
    relative_error,
    single_threaded,
    sizes,
    torch_rnn,
    torch_tolerance,
    unit_roundoff,
    worst_error,
)

U64 = unit_roundoff(np.float64)
ALPHA = 1e-6  #: the confidence intervals' error probability


def _random_gradient(rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Arrays of random shapes with entries of size $10^{-2}$ to $10^2$ and a threshold $\\tau$ in
    $[0.1, 10]$; one time in five $\\tau = \\|g\\|$ exactly (the boundary of part 3)."""
    shapes = [
        tuple(int(s) for s in rng.integers(1, 6, size=int(rng.integers(1, 3))))
        for _ in range(int(rng.integers(1, 5)))
    ]
    scale = 10.0 ** rng.uniform(-2, 2)
    grads = [scale * rng.standard_normal(s) for s in shapes]
    tau = float(10.0 ** rng.uniform(-1, 1))
    if rng.random() < 0.2:
        tau = _fsum_norm(grads)
    return grads, tau


def _fsum_norm(arrays: list[np.ndarray]) -> float:
    return math.sqrt(math.fsum(float(x) ** 2 for g in arrays for x in g.ravel()))


@single_threaded
def clipping_matches_torch(
    rng: np.random.Generator, *, clip_global_norm=rnn.clip_global_norm, instances: int = 200
) -> Evidence:
    """``clip_global_norm`` against ``torch.nn.utils.clip_grad_norm_``, which divides by
    ``norm + 1e-6``: where it clips, the two results differ by the predicted relative offset
    $1 - (\\|g\\| + 10^{-6})/\\|g\\|\\cdot\\min(1,\\tau/\\|g\\|)/\\min(1, \\tau/(\\|g\\| + 10^{-6}))$,
    and the measured difference minus that offset is rounding, at most $8(P + 4)u$ for $P$
    entries."""
    records, norms = [], []
    for _ in range(instances):
        grads, tau = _random_gradient(rng)
        params = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for p, g in zip(params, grads):
            p.grad = torch.from_numpy(g.copy())
        norm_t = float(torch.nn.utils.clip_grad_norm_(params, tau))
        ours, norm_ours = clip_global_norm(tuple(grads), tau)
        offset = abs(min(1.0, tau / norm_t) / min(1.0, tau / (norm_t + 1e-6)) - 1.0)
        P = sum(g.size for g in grads)
        tol = 8 * (P + 4) * U64
        at = f"P = {P}, ||g|| / tau = {norm_t / tau:.3g}"
        records.append(
            (abs(relative_error(list(ours), [p.grad.numpy() for p in params]) - offset), tol, at)
        )
        norms.append((abs(norm_ours - norm_t) / norm_t, tol, at))
    return Evidence(
        instances,
        (
            worst_error(
                "clipped gradient against torch's, less the predicted offset of its $+10^{-6}$",
                records,
            ),
            worst_error("$\\|g\\|$ against torch's global norm", norms),
        ),
    )


def _log_cosh(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """$\\mathcal L(x) = \\sum_i\\log\\cosh(x_i - c_i)$ (stably), as a length-1 array."""
    z = np.abs(x - c)
    return np.array([float(np.sum(z + np.log1p(np.exp(-2 * z)) - math.log(2.0)))])


def clipping_properties(
    rng: np.random.Generator, *, clip_global_norm=rnn.clip_global_norm, instances: int = 200
) -> Evidence:
    r"""The four parts, against norms and inner products summed exactly (``math.fsum``):
    (1) $\operatorname{clip}_\tau g = \nu g$ with $\nu = \min(1, \tau/\|g\|)$, angle 0;
    (2) $\|\operatorname{clip}_\tau g\| = \min(\|g\|, \tau)$; (3) both directions: $= g$ when
    $\|g\|\le\tau$ (including $\|g\| = \tau$), and $\|\operatorname{clip}_\tau g\| < \|g\|$ when
    $\|g\| > \tau$; (4) for $\mathcal L(\theta) = \sum_i\log\cosh(\theta_i - c_i)$ and
    $g = \nabla\mathcal L(\theta) = \tanh(\theta - c)$, the central difference of $\mathcal L$
    along $-\operatorname{clip}_\tau g$ equals $-\nu\|g\|^2$."""
    scaling, norm_err, inside, outside, descent = [], [], [], [], []
    for _ in range(instances):
        grads, tau = _random_gradient(rng)
        ours, _ = clip_global_norm(tuple(grads), tau)
        ng, nc = _fsum_norm(grads), _fsum_norm(list(ours))
        P = sum(g.size for g in grads)
        tol = 8 * (P + 4) * U64
        at = f"P = {P}, ||g|| / tau = {ng / tau:.6g}"
        nu = min(1.0, tau / ng)
        scaling.append((relative_error(list(ours), [nu * g for g in grads]), tol, at))
        norm_err.append((abs(nc - min(ng, tau)) / min(ng, tau), tol, at))
        if ng <= tau:
            inside.append((relative_error(list(ours), grads), tol, at))
        else:  # clip g != g: ||g - clip g|| = ||g|| - tau > 0
            moved = _fsum_norm([g - c for g, c in zip(grads, ours)])
            outside.append((abs(moved - (ng - tau)) / ng, tol, at))
    for _ in range(30):
        P = int(rng.integers(1, 20))
        theta, c = rng.standard_normal(P), rng.standard_normal(P)
        g = np.tanh(theta - c)
        tau = float(np.linalg.norm(g) * rng.uniform(0.2, 1.5))
        (clipped,), _ = clip_global_norm((g,), tau)
        # log cosh z = |z| + log1p(e^{-2|z|}) - log 2: terms of size |z| + 1 (they cancel near 0)
        size = float(np.sum(np.abs(theta - c) + 1.0))
        err, tol = adjoint_check(
            lambda x: _log_cosh(x, c),
            lambda u: u[0] * g,
            theta,
            np.ones(1),
            -clipped,
            1e-4,
            4 * P,
            size,
        )
        descent.append((err, tol, f"P = {P}"))
    return Evidence(
        instances + 30,
        (
            worst_error(
                "$\\operatorname{clip}_\\tau g$ against $\\nu g$, $\\nu = \\min(1, \\tau/\\|g\\|)$",
                scaling,
            ),
            worst_error(
                "$\\|\\operatorname{clip}_\\tau g\\|$ against $\\min(\\|g\\|, \\tau)$", norm_err
            ),
            worst_error(
                "$\\operatorname{clip}_\\tau g$ against $g$ where $\\|g\\|\\le\\tau$", inside
            ),
            worst_error(
                "$\\|g - \\operatorname{clip}_\\tau g\\|$ against $\\|g\\| - \\tau > 0$ where $\\|g\\| > \\tau$ (part 3, the other direction)",
                outside,
            ),
            worst_error(
                "$D\\mathcal L(\\theta)[-\\operatorname{clip}_\\tau g]$ (central difference) against $-\\nu\\|g\\|^2$",
                descent,
                units="relative discrepancy",
            ),
        ),
    )


@single_threaded
def truncated_matches_torch_detach(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 40,
) -> Evidence:
    """Truncated BPTT (chunk length k) against torch autograd with the state ``detach``-ed every
    k steps, float64, tanh and ReLU."""
    records = []
    for j in range(instances):
        T, m, d, n = sizes(rng, (2, 20))
        k = int(rng.integers(1, T + 1))
        act = ("tanh", "relu")[j % 2]
        theta = random_rnn(rng, d, n)
        X, H0, G = random_sequence(rng, T, m, d, n, np.float64)
        _, g = rnn_loss_and_gradient(theta, X, G, H0, act, truncation=k)
        ref = lambda a: torch_rnn(*a, G, act, truncation=k)[2]  # noqa: E731
        inputs = [*theta.arrays(), X, H0]
        tol = torch_tolerance(ref, inputs, depth(T, d, n, True), np.float64, rng)
        at = f"T = {T}, k = {k}, n = {n}, {act}"
        records.append((relative_error([g.W, g.U, g.b, g.H0], ref(inputs)), tol, at))
    return Evidence(
        instances,
        (
            worst_error(
                "truncated BPTT against torch.nn.RNN with h.detach() every k steps", records
            ),
        ),
    )


@single_threaded
def truncated_is_same_chunk_lag_sum(
    rng: np.random.Generator,
    *,
    rnn_loss_and_gradient=rnn.rnn_loss_and_gradient,
    instances: int = 25,
) -> Evidence:
    r"""Truncated gradient = the lag sum of ``prop-rnn-lag-sum`` restricted to pairs $s\le t$ in
    the same chunk, with Jacobians by torch autograd (independent of the BPTT code), float64."""
    from .gradients import torch_jacobian

    records = []
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
                J = torch_jacobian(theta, X, fwd.H, act, s, t)
                delta = D[s - 1, 0] * (J.T @ G[t - 1, 0])
                dW += np.outer(delta, fwd.H[s - 1, 0])
                dU += np.outer(delta, X[s - 1, 0])
                db += delta
        _, g = rnn_loss_and_gradient(theta, X, G, H0, act, truncation=k)
        ref = lambda a: torch_rnn(*a, G, act, truncation=k)[2][:3]  # noqa: E731
        tol = torch_tolerance(
            ref, [*theta.arrays(), X, H0], T * depth(T, d, n, True), np.float64, rng
        )
        records.append(
            (
                relative_error(list(g.arrays()), [dW, dU, db]),
                tol,
                f"T = {T}, k = {k}, n = {n}, {act}",
            )
        )
    return Evidence(
        instances,
        (worst_error("truncated BPTT against the same-chunk lag sum (torch Jacobians)", records),),
    )


def _dkw(what: str, sample: np.ndarray, cdf, points: np.ndarray):
    """The DKW interval at the point of the largest deviation of the empirical distribution
    function of ``sample`` from ``cdf`` (evaluated on ``points``, right limits)."""
    N = sample.size
    eps = math.sqrt(math.log(2 / ALPHA) / (2 * N))
    emp = np.searchsorted(np.sort(sample), points, side="right") / N
    j = int(np.argmax(np.abs(emp - cdf(points))))
    return interval(
        what,
        float(emp[j]),
        float(emp[j]) - eps,
        float(emp[j]) + eps,
        float(cdf(points[j])),
        level=1 - ALPHA,
        units="probability",
        at=f"x = {points[j]:.4g}, N = {N}",
    )


def adding_samples_have_the_law(
    rng: np.random.Generator, *, adding_problem=tasks.adding_problem, instances: int = 50
) -> Evidence:
    r"""Each sample: values in $[0, 1]$, markers in $\{0, 1\}$, exactly one in each half, target
    = the sum of the two marked values; and the laws (DKW bands, level $1 - 10^{-6}$): the values
    uniform on $[0, 1]$, the first marker $p$ uniform on $\{1, \dots, \lfloor T/2\rfloor\}$, the
    second $q$ uniform on $\{\lfloor T/2\rfloor + 1, \dots, T\}$ (here $T = 41$, so the halves
    differ in size)."""
    bad = 0
    target = 0.0
    for _ in range(instances):
        T = int(rng.integers(2, 60))
        m = int(rng.integers(1, 200))
        X, y = adding_problem(T, m, rng=rng)
        v, mu = X[:, :, 0], X[:, :, 1]
        half = T // 2
        bad += int(
            np.any((v < 0) | (v > 1))
            or np.any(mu[:half].sum(0) != 1)
            or np.any(mu[half:].sum(0) != 1)
            or np.any(~np.isin(mu, (0.0, 1.0)))
        )
        target = max(target, float(np.max(np.abs((v * mu).sum(0) - y))))
    T, half = 41, 20
    X, _ = adding_problem(T, 20000, rng=rng)
    p = np.argmax(X[:half, :, 1], axis=0) + 1.0
    q = np.argmax(X[half:, :, 1], axis=0) + half + 1.0
    grid = np.linspace(0.0, 1.0, 1001)
    return Evidence(
        instances + 1,
        (
            error(
                "samples with values outside [0, 1] or markers not one per half",
                float(bad),
                0.0,
                units="count",
            ),
            error("$|v_p + v_q - y|$", target, 4 * U64, units="absolute error"),
            _dkw(
                "distribution function of the values $v_t$ against uniform on [0, 1]",
                X[:, :, 0].ravel(),
                lambda x: np.clip(x, 0, 1),
                grid,
            ),
            _dkw(
                "distribution function of $p$ against uniform on $\\{1..\\lfloor T/2\\rfloor\\}$",
                p,
                lambda x: np.clip(np.floor(x), 0, half) / half,
                np.arange(1.0, half + 1),
            ),
            _dkw(
                "distribution function of $q$ against uniform on $\\{\\lfloor T/2\\rfloor+1..T\\}$",
                q,
                lambda x: np.clip(np.floor(x) - half, 0, T - half) / (T - half),
                np.arange(half + 1.0, T + 1),
            ),
        ),
    )


def adding_baseline_monte_carlo(
    rng: np.random.Generator,
    *,
    adding_problem=tasks.adding_problem,
    instances: int = 3,
    draws: int = 100_000,
) -> Evidence:
    r"""Monte Carlo: $\mathbb E[y] = 1$, $\mathbb E[(y - 1)^2] = 1/6$ and
    $\mathbb E[(y - c)^2] = 1/6 + (1 - c)^2$ at a random $c\in[0, 2]$, each against a
    normal-approximation confidence interval of level $1 - 10^{-6}$ from $10^5$ draws."""
    z = float(norm.ppf(1 - ALPHA / 2))
    comparisons = []
    for _ in range(instances):
        T = int(rng.integers(2, 30))
        _, y = adding_problem(T, draws, rng=rng)
        c = float(rng.uniform(0.0, 2.0))
        for what, exact, sample in (
            ("$\\mathbb E[y]$", 1.0, y),
            ("$\\mathbb E[(y - 1)^2]$", 1.0 / 6.0, (y - 1.0) ** 2),
            ("$\\mathbb E[(y - c)^2]$", 1.0 / 6.0 + (1.0 - c) ** 2, (y - c) ** 2),
        ):
            mean, half = float(np.mean(sample)), z * float(np.std(sample)) / math.sqrt(draws)
            comparisons.append(
                interval(
                    what,
                    mean,
                    mean - half,
                    mean + half,
                    exact,
                    level=1 - ALPHA,
                    at=f"T = {T}, c = {c:.3g}",
                )
            )
    return Evidence(instances * draws, tuple(comparisons))


def adam_matches_closed_form(
    rng: np.random.Generator, *, adam_update=tasks.adam_update, instances: int = 30, steps: int = 12
) -> Evidence:
    r"""``adam_update`` iterated against the unrolled closed form of Algorithm ``alg-rnn-adam``:
    $M_k = (1-\beta_1)\sum_{j\le k}\beta_1^{k-j}g_j$, $V_k = (1-\beta_2)\sum_{j\le k}
    \beta_2^{k-j}g_j^2$ (``math.fsum``), $\theta_k = \theta_0 - \alpha\sum_{k'\le k}\hat M_{k'}/
    (\sqrt{\hat V_{k'}} + \epsilon)$, entry by entry; random step sizes and betas, float64.
    Tolerance: each of the $K$ steps rounds $\theta$'s update, of size at most
    $\alpha\max\lvert\hat M/(\sqrt{\hat V} + \epsilon)\rvert$, with about $16u$ relative error, and the
    recursions for $M, V$ lose $Ku$ relatively: $32K u(\|\theta_0\| + K\alpha R)$ over
    $\|\theta_K\|$."""
    records = []
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
        R = 0.0
        for idx in np.ndindex(shape):
            total = []
            for k in range(1, steps + 1):
                M = (1 - b1) * math.fsum(b1 ** (k - j) * grads[j - 1][idx] for j in range(1, k + 1))
                V = (1 - b2) * math.fsum(
                    b2 ** (k - j) * grads[j - 1][idx] ** 2 for j in range(1, k + 1)
                )
                total.append((M / (1 - b1**k)) / (math.sqrt(V / (1 - b2**k)) + eps))
            R = max(R, max(abs(x) for x in total))
            expected[idx] = theta0[idx] - alpha * math.fsum(total)
        scale = float(np.linalg.norm(theta0)) + steps * alpha * R * math.sqrt(theta0.size)
        tol = 32 * steps * U64 * scale / float(np.linalg.norm(expected))
        records.append(
            (
                relative_error([params[0]], [expected]),
                tol,
                f"alpha = {alpha:.3g}, beta1 = {b1:.3g}, beta2 = {b2:.4g}",
            )
        )
    return Evidence(
        instances,
        (
            worst_error(
                f"parameters after {steps} Adam steps against the unrolled closed form", records
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-rnn-clipping",
        clipping_matches_torch,
        "clipping agrees with torch.nn.utils.clip_grad_norm_",
        strength="exact",
    ),
    Witness(
        "prop-rnn-clipping",
        clipping_properties,
        "clipping preserves the direction, caps the norm, is the identity exactly inside the "
        "ball and gives a descent direction",
        strength="exact",
    ),
    Witness(
        "def-rnn-truncated",
        truncated_matches_torch_detach,
        "truncated BPTT agrees with torch autograd with detach every k steps",
        strength="exact",
    ),
    Witness(
        "thm-rnn-truncated",
        truncated_is_same_chunk_lag_sum,
        "truncated BPTT is the same-chunk part of the lag sum",
        strength="exact",
    ),
    Witness(
        "def-rnn-adding",
        adding_samples_have_the_law,
        "samples have two markers, one per half, uniform values and positions, the sum as target",
        strength="exact",
    ),
    Witness(
        "prop-rnn-adding-baseline",
        adding_baseline_monte_carlo,
        "Monte Carlo: E y = 1 and the best constant predictor has MSE 1/6",
        strength="exact",
    ),
    Witness(
        "alg-rnn-adam",
        adam_matches_closed_form,
        "Adam agrees with the unrolled closed form of its recursions",
        strength="exact",
    ),
)
