r"""Witnesses of Sections "Lazy training" and "Mean-field versus tangent-kernel scaling":
`thm-wide-lazy`, `cor-wide-width-lazy`, `prop-wide-scaling`.

Instances: the two-layer $\tanh$ network (first layer trained) on random inputs of norm about $1$
and Gaussian targets, its scaled gradient flow integrated by the classical Runge–Kutta method
(`wide.lazy_flow`, global error $O(\Delta t^4)$), the linearised flow in closed form; the
two-layer ReLU network trained by gradient descent under both scalings."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import wide as wd
from ...registry import Witness
from .._common import (
    Evidence,
    equal,
    error,
    lower,
    rate,
    relative_error,
    single_threaded,
    slope,
    upper,
)
from .gram import U64, _signs, _unit


def _sup(run) -> tuple[float, float]:
    return float(run.movement.max()), float(np.linalg.norm(run.V - run.V_lin, axis=1).max())


@single_threaded
def lazy_training_rates(
    rng: np.random.Generator, *, lazy_flow=wd.lazy_flow, lazy_bounds=wd.lazy_bounds
) -> Evidence:
    r"""Theorem `thm-wide-lazy`: two-layer $\tanh$ network ($n = 6$, $d = 3$, $m = 32$), flow on
    $[0, 1]$ (100 steps) at $\alpha = 2^5, \dots, 2^9$: $\sup_t\|\theta_\alpha(t) - \theta_0\|$ and
    $\sup_t\|\alpha h - \alpha\bar h\|$ below the theorem's bounds (ratios), with fitted slopes $-1$
    in $\alpha$ (tolerance $0.1$; the next term of both is of relative order $1/\alpha$, and its
    constant can exceed the leading one's, so the smallest $\alpha$ is $32$);
    necessity: without centring ($h(\theta_0)\ne0$), the movement at $\alpha = 1024$ exceeds the
    theorem's bound $MT\|y\|/\alpha$: the parameters do not stay put (the movement tends to a
    positive constant, about $T\|J_0^\top h(\theta_0)\|$, instead of $0$)."""
    n, d, m, T, steps = 6, 3, 32, 1.0, 100
    X = rng.standard_normal((n, d)) / math.sqrt(d)
    y = rng.standard_normal(n)
    W0 = rng.standard_normal((m, d))
    a = _signs(rng, m)
    M, Lam = wd.lazy_constants(X, m)
    alphas = 2.0 ** np.arange(5, 10)
    mv, ds, rm, rd = [], [], [], []
    for al in alphas:
        run = lazy_flow(X, y, W0, a, float(al), T, steps)
        # the bounds grow with t: compare pointwise on the grid
        bt = np.array(
            [lazy_bounds(M, Lam, float(t), float(np.linalg.norm(y)), float(al)) for t in run.t[1:]]
        )
        rm.append(float(np.max(run.movement[1:] / bt[:, 0])))
        rd.append(float(np.max(np.linalg.norm(run.V - run.V_lin, axis=1)[1:] / bt[:, 1])))
        mv_, ds_ = _sup(run)
        mv.append(mv_)
        ds.append(ds_)
    big = 1024.0
    raw = float(lazy_flow(X, y, W0, a, big, T, steps, centred=False).movement.max())
    km, kd = int(np.argmax(rm)), int(np.argmax(rd))
    return Evidence(
        len(alphas),
        (
            upper(
                r"$\|\theta_\alpha(t) - \theta_0\|/(Mt\|y\|/\alpha)$ (largest)",
                rm[km],
                1.0,
                units="ratio",
                at=f"alpha = {alphas[km]:g}",
            ),
            upper(
                r"$\|\alpha h - \alpha\bar h\|/(M^2\Lambda t^2\|y\|^2/\alpha)$ (largest)",
                rd[kd],
                1.0,
                units="ratio",
                at=f"alpha = {alphas[kd]:g}",
            ),
            rate(
                r"slope of $\sup_t\|\theta_\alpha(t) - \theta_0\|$ in $\alpha$",
                slope(alphas, np.array(mv)),
                -1.0,
                0.1,
            ),
            rate(
                r"slope of $\sup_t\|\alpha h - \alpha\bar h\|$ in $\alpha$",
                slope(alphas, np.array(ds)),
                -1.0,
                0.1,
            ),
            lower(
                r"uncentred, $\alpha = 1024$: $\sup_t\|\theta_\alpha(t) - \theta_0\|/(MT\|y\|/\alpha)$",
                raw / lazy_bounds(M, Lam, T, float(np.linalg.norm(y)), big)[0],
                1.0,
                units="ratio",
            ),
        ),
    )


@single_threaded
def wide_networks_are_lazy(
    rng: np.random.Generator, *, lazy_flow=wd.lazy_flow, lazy_constants=wd.lazy_constants
) -> Evidence:
    r"""Corollary `cor-wide-width-lazy`: the centred two-layer $\tanh$ network at $\alpha = 1$
    ($n = 6$, $d = 3$, flow on $[0, 1]$, 40 steps), widths $m = 2^6, \dots, 2^{10}$, two networks
    per width: the distance to the linearised flow and the largest per-neuron movement
    $\max_r\|w_r(t) - w_r(0)\|$ below the corollary's bounds (ratios, pointwise on the time grid),
    and the fitted slope of the mean of $\sup_t\max_r\|w_r(t) - w_r(0)\|$ in $m$ equal to
    $-\frac12$ (tolerance $0.15$: the prefactor fluctuates by $O(m^{-1/2})$ around its limit, and
    the maximum over $m$ neurons grows slowly with $m$).
    The distance decays faster than the bound's $m^{-1/2}$ (about $1/m$: with output weights of
    random sign the first-order drift of the kernel averages out), so its rate is not pinned."""
    n, d, T, steps, reps = 6, 3, 1.0, 40, 2
    X = rng.standard_normal((n, d)) / math.sqrt(d)
    y = rng.standard_normal(n)
    ny = float(np.linalg.norm(y))
    ms = 2 ** np.arange(6, 11)
    move, rdist, rmove = [], [], []
    for m in ms:
        M, Lam = lazy_constants(X, int(m))
        dd, mm, rr = [], [], []
        for _ in range(reps):
            W0 = rng.standard_normal((int(m), d))
            run = lazy_flow(X, y, W0, _signs(rng, int(m)), 1.0, T, steps)
            dd.append(float(np.linalg.norm(run.V - run.V_lin, axis=1).max()))
            mm.append(float(run.neuron_movement.max()))
            # the bound ||X||_F t ||y|| / sqrt(m) grows with t: compare pointwise on the grid
            rr.append(float(np.max(run.neuron_movement[1:] / (M * run.t[1:] * ny / math.sqrt(m)))))
        move.append(np.mean(mm))
        rdist.append(max(dd) / (M * M * Lam * T * T * ny * ny))
        rmove.append(max(rr))  # M = ||X||_F
    kd, km = int(np.argmax(rdist)), int(np.argmax(rmove))
    return Evidence(
        reps * len(ms),
        (
            upper(
                r"$\sup_t\|h - \bar h\|$ / bound", rdist[kd], 1.0, units="ratio", at=f"m = {ms[kd]}"
            ),
            upper(
                r"$\max_r\|w_r(t) - w_r(0)\|/(\|X\|_Ft\|y\|/\sqrt m)$ (largest)",
                rmove[km],
                1.0,
                units="ratio",
                at=f"m = {ms[km]}",
            ),
            rate(
                r"slope of $\sup_t\max_r\|w_r(t) - w_r(0)\|$ in $m$",
                slope(ms.astype(float), np.array(move)),
                -0.5,
                0.15,
            ),
        ),
    )


@single_threaded
def mean_field_neurons_move(
    rng: np.random.Generator,
    *,
    two_layer_gd=wd.two_layer_gd,
    h_infinity=wd.h_infinity,
    mean_movement_lower_bound=wd.mean_movement_lower_bound,
) -> Evidence:
    r"""Proposition `prop-wide-scaling`: (1) for $\gamma\in\{0, 1, 2\}$ and a random network
    ($n = 5$, $d = 4$, $m = 50$), $m^{2\gamma - 1}JJ^\top$ with $J$ the Jacobian of the network by
    `torch.func.jacrev` equals $H(W)$ evaluated from its definition (indicator sums), to rounding
    ($4(md + 2)u$ relative, sums of at most $md$ products); (2) and (3) 60 steps of gradient descent
    ($n = 8$ unit inputs in $\mathbb R^{16}$, learning rate $\eta m^{2\gamma - 1}$ with
    $\eta = 1/\lambda_{\max}(H^\infty)$, symmetric initialisation so that $u(0) = 0$) at widths
    $2^7, \dots, 2^{11}$: the largest per-neuron movement below part 2's bound, the mean movement
    above part 3's bound (ratios), and the root-mean-square movement with fitted slope $-\frac12$
    for $\gamma = \frac12$ and $0$ for $\gamma = 1$ (tolerance $0.1$); attained: one input
    ($d = 5$, $m = 64$, $a_r = 1$, target $y = u(0) + 1$, so that every active neuron's
    pre-activation grows and the activation pattern never changes, which is checked), 20 steps
    at $\gamma\in\{\frac12, 1\}$: part 2's bound equals the largest movement and part 3's bound
    equals the mean movement, to rounding (the steps of an active neuron are all positive
    multiples of $x$, so the triangle inequalities are equalities; tolerance
    $16(md + K)u$ times the ratio of the summed magnitudes to the quantity)."""
    # (1) against autograd
    n1, d1, m1 = 5, 4, 50
    X1 = rng.standard_normal((n1, d1))
    W1 = rng.standard_normal((m1, d1))
    a1 = _signs(rng, m1)
    S1 = (X1 @ W1.T > 0).astype(float)
    H_def = (X1 @ X1.T) * (S1 @ S1.T) / m1
    e_id = 0.0
    for g in (0.0, 1.0, 2.0):
        tX, ta = torch.from_numpy(X1), torch.from_numpy(a1)

        def forward(tW, tX=tX, ta=ta, g=g):
            return torch.relu(tX @ tW.T) @ ta / m1**g

        Jt = torch.func.jacrev(forward)(torch.from_numpy(W1)).numpy().reshape(n1, -1)
        e_id = max(e_id, relative_error(m1 ** (2 * g - 1) * (Jt @ Jt.T), H_def))
    # (2), (3) on random runs
    n, d, K = 8, 16, 60
    X = _unit(rng, n, d)
    y = _signs(rng, n)
    eta = float(1 / np.linalg.eigvalsh(h_infinity(X))[-1])
    ms = 2 ** np.arange(7, 12)
    rms = {0.5: [], 1.0: []}
    ratio, at = 0.0, ""
    low, at_low = math.inf, ""
    ones = np.ones(n)
    for m in ms:
        V, s = rng.standard_normal((int(m) // 2, d)), _signs(rng, int(m) // 2)
        W0, a = np.concatenate([V, V]), np.concatenate([s, -s])
        for g in (0.5, 1.0):
            run = two_layer_gd(X, y, W0, a, eta, K, g)
            per = np.linalg.norm(run.W - W0, axis=1)
            rms[g].append(float(np.linalg.norm(run.W - W0) / math.sqrt(m)))
            res = np.abs(run.U[:-1] - y).sum(axis=1)  # unit inputs: sum_i |r_i(k)| ||x_i||
            bound = eta * m ** (g - 1) * res.sum()
            if run.movement[-1] / bound > ratio:
                ratio, at = float(run.movement[-1] / bound), f"m = {m}, gamma = {g}"
            lb = mean_movement_lower_bound(int(m), g, run.U[-1] - run.U[0], ones)
            if per.mean() / lb < low:
                low, at_low = float(per.mean() / lb), f"m = {m}, gamma = {g}"
    # attained: one input, all neurons' steps in the same direction
    m2, d2, K2 = 64, 5, 20
    x = rng.standard_normal((1, d2))
    W2 = rng.standard_normal((m2, d2))
    a2 = np.ones(m2)
    att2 = att3 = 1.0
    tol2 = tol3 = 0.0
    flips = 0
    for g in (0.5, 1.0):
        u0 = float(np.maximum(x @ W2.T, 0).sum() / m2**g)
        yy = np.array([u0 + 1.0])
        xx = float(np.sum(x * x))
        run = two_layer_gd(x, yy, W2, a2, 0.5 / xx, K2, g)  # eta ||x||^2 <= 1/2: r keeps its sign
        r = run.U[:, 0] - yy[0]
        flips += int(np.any((x @ W2.T > 0) != (x @ run.W.T > 0)) or np.any(r[:-1] * r[0] <= 0))
        per = np.linalg.norm(run.W - W2, axis=1)
        b2 = 0.5 / xx * m2 ** (g - 1) * np.abs(r[:-1]).sum() * math.sqrt(xx)
        b3 = mean_movement_lower_bound(m2, g, run.U[-1] - run.U[0], np.array([math.sqrt(xx)]))
        q2, q3 = float(run.movement[-1] / b2), float(per.mean() / b3)
        att2 = max(att2, q2, key=lambda q: abs(q - 1))
        att3 = max(att3, q3, key=lambda q: abs(q - 1))
        mag = float(
            np.abs(np.maximum(x @ run.W.T, 0)).sum() + np.abs(np.maximum(x @ W2.T, 0)).sum()
        )
        tol2 = max(tol2, 16 * (m2 * d2 + K2) * U64)
        tol3 = max(
            tol3, 16 * (m2 * d2 + K2) * U64 * mag / (m2**g * abs(run.U[-1, 0] - run.U[0, 0]))
        )
    return Evidence(
        2 * len(ms) + 3,
        (
            error(
                r"$m^{2\gamma-1}JJ^\top$ (torch.func.jacrev) vs $H(W)$",
                e_id,
                4 * (m1 * d1 + 2) * U64,
            ),
            upper(
                r"$\max_r\|w_r(K) - w_r(0)\|$ / bound of part 2", ratio, 1.0, units="ratio", at=at
            ),
            lower(
                r"$\frac1m\sum_r\|w_r(K) - w_r(0)\|$ / bound of part 3",
                low,
                1.0,
                units="ratio",
                at=at_low,
            ),
            equal("one input: activation patterns changed or residual sign changes", flips, 0, 0),
            equal(
                r"one input: $\max_r\|w_r(K) - w_r(0)\|$ / bound of part 2",
                float(att2),
                1.0,
                tol2,
                units="ratio",
                attains=True,
            ),
            equal(
                r"one input: $\frac1m\sum_r\|w_r(K) - w_r(0)\|$ / bound of part 3",
                float(att3),
                1.0,
                tol3,
                units="ratio",
                attains=True,
            ),
            rate(
                r"$\gamma = \frac12$: slope of the rms movement in $m$",
                slope(ms.astype(float), np.array(rms[0.5])),
                -0.5,
                0.1,
            ),
            rate(
                r"$\gamma = 1$: slope of the rms movement in $m$",
                slope(ms.astype(float), np.array(rms[1.0])),
                0.0,
                0.1,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-wide-lazy",
        lazy_training_rates,
        "Scaled tanh network: movement and distance to the linearisation O(1/alpha), below the "
        "bounds; uncentred, the parameters move by O(1)",
        strength="validity",
        reason="the constants M and Lambda are global suprema, loose for a given trajectory; "
        "the rate 1/alpha is pinned by the fitted slopes",
    ),
    Witness(
        "cor-wide-width-lazy",
        wide_networks_are_lazy,
        "Centred tanh network at alpha = 1: distance to the linearisation below the bound, "
        "per-neuron movement O(m^(-1/2)) over widths 2^6..2^10",
        strength="validity",
        reason="the constants are global suprema; the movement's rate m^(-1/2) is pinned by the "
        "fitted slope, the distance decays faster (about 1/m) than the bound says",
    ),
    Witness(
        "prop-wide-scaling",
        mean_field_neurons_move,
        "m^(2 gamma - 1) J J^T = H against torch.func.jacrev; largest per-neuron movement below "
        "part 2's bound, mean movement above part 3's, both attained with one input; slopes -1/2 "
        "(tangent kernel) and 0 (mean field)",
        strength="sharp",
    ),
)
