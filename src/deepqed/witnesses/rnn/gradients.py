r"""Witnesses of Section "Vanishing and exploding gradients": `lem-rnn-jacobian`,
`thm-rnn-vanishing`, `cor-rnn-lag-tail`, `prop-rnn-exploding`, `prop-rnn-linear-spectral`.

The Jacobians compared with the bounds are computed by ``torch.autograd.functional.jacobian`` of
the map $h_s\mapsto h_t$ written with torch, independent of deepqed's products. Each bound is
checked on random instances (validity) and on the instances where the text says it is attained,
where the ratio measured/bound must be $1$ (to rounding) or, for the tail bound, approach $1$; the
bound's formula is an argument, so that a test can hand the witness the bound with a weakened
constant and see it fail.

Rounding slack of a bound comparison: $\|\partial h_t/\partial h_s\|$ is a product of $k = t - s$
matrices $\operatorname{diag}(\sigma')W$, computed with relative error at most
$\gamma_{k(n+2)}\,\||W|\|^k/\|J\|$ entrywise (Higham 2002, Section 3.5), and its singular values
by LAPACK with relative error $O(nu)$; the slack allows $8(k + 1)(n + 2)u$ times
$(\||W|\|_{\mathrm{op}}/\|W\|_{\mathrm{op}})^k$ times the bound.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Witness
from .._common import Comparison, Evidence, equal, lower, upper
from ._common import (
    random_rnn,
    relative_error,
    single_threaded,
    torch_rnn,
    torch_tolerance,
    unit_roundoff,
    worst_error,
)

U64 = unit_roundoff(np.float64)


def _sequence(
    rng: np.random.Generator, theta: rnn.RNNParameters, T: int, scale: float
) -> tuple[np.ndarray, np.ndarray]:
    X = scale * rng.standard_normal((T, 1, theta.d))
    H0 = scale * rng.standard_normal((1, theta.n))
    return X, H0


def torch_jacobian(
    theta: rnn.RNNParameters, X: np.ndarray, H: np.ndarray, act: str, s: int, t: int
) -> np.ndarray:
    r"""$\partial h_t/\partial h_s$ for row 0 by ``torch.autograd.functional.jacobian``."""
    W, U, b = (torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in theta.arrays())
    sig = torch.tanh if act == "tanh" else torch.relu
    if t == s:
        return np.eye(theta.n)

    def step_map(h: torch.Tensor) -> torch.Tensor:
        for k in range(s + 1, t + 1):
            h = sig(W @ h + U @ torch.from_numpy(X[k - 1, 0]) + b)
        return h

    start = torch.from_numpy(np.asarray(H[s, 0], dtype=np.float64).copy())
    return torch.autograd.functional.jacobian(step_map, start).numpy()


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def _slack(W: np.ndarray, k: int, bound: float) -> float:
    n = W.shape[0]
    growth = (np.linalg.norm(np.abs(W), 2) / np.linalg.norm(W, 2)) ** k
    return 8 * (k + 1) * (n + 2) * U64 * growth * bound


# --- the bounds (closed forms; arguments of the witnesses) --------------------------------------
def vanishing_bound(W: np.ndarray, kappa: float, k: int) -> float:
    r"""$\gamma^k$ with $\gamma = \kappa\|W\|_{\mathrm{op}}$ (Theorem ``thm-rnn-vanishing``)."""
    return (kappa * float(np.linalg.norm(W, 2))) ** k


def contribution_bound(kappa: float, gamma: float, k: int, g: float, h: float) -> float:
    r"""$\kappa\gamma^k\|g_t\|\|h_{s-1}\|$ for a lag $k = t - s$ (Corollary ``cor-rnn-lag-tail``)."""
    return kappa * gamma**k * g * h


def tail_bound(kappa: float, gamma: float, k: int, T: int, g_max: float, h_max: float) -> float:
    r"""$\kappa Tg_{\max}h_{\max}\gamma^k/(1 - \gamma)$ (Corollary ``cor-rnn-lag-tail``)."""
    return kappa * T * g_max * h_max * gamma**k / (1.0 - gamma)


def exploding_bound(W: np.ndarray, lam: float, k: int) -> float:
    r"""$(\lambda\,s_{\min}(W))^k$ (Proposition ``prop-rnn-exploding``)."""
    return (lam * float(np.linalg.svd(W, compute_uv=False)[-1])) ** k


def spectral_bounds(W: np.ndarray, k: int) -> tuple[float, float]:
    r"""$(\rho(W)^k, \|W\|_{\mathrm{op}}^k)$ (Proposition ``prop-rnn-linear-spectral``)."""
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    return rho**k, float(np.linalg.norm(W, 2)) ** k


# --- lem-rnn-jacobian ---------------------------------------------------------------------------
@single_threaded
def jacobian_product_matches_autograd(
    rng: np.random.Generator, *, hidden_jacobian=rnn.hidden_jacobian, instances: int = 40
) -> Evidence:
    r"""$J_t\cdots J_{s+1}$ (deepqed) against the torch Jacobian of $h_s\mapsto h_t$, float64,
    tanh and ReLU; tolerance from the torch gradient's sensitivity to rounding (depth of $t - s$
    steps forward and back)."""
    records = []
    for k in range(instances):
        act = ("tanh", "relu")[k % 2]
        T, d, n = int(rng.integers(1, 12)), int(rng.integers(1, 5)), int(rng.integers(1, 9))
        theta = random_rnn(rng, d, n)
        X, H0 = _sequence(rng, theta, T, 1.0)
        fwd = rnn.rnn_forward(theta, X, H0, act)
        s = int(rng.integers(0, T + 1))
        t = int(rng.integers(s, T + 1))
        ref = torch_jacobian(theta, X, fwd.H, act, s, t)
        G = rng.standard_normal((T, 1, n))
        grad = lambda a: torch_rnn(*a, G, act)[2][:3]  # noqa: E731
        N = max(t - s, 1) * (n + d + 4) * 2
        tol = torch_tolerance(grad, [*theta.arrays(), X, H0], N, np.float64, rng)
        if act == "tanh":  # 1 - h^2 from a rounded h: relative error ~2u / (1 - h^2) per factor
            tol += 8 * U64 * float(np.sum(1.0 / np.min(1.0 - fwd.H[s + 1 : t + 1, 0] ** 2, axis=1)))
        at = f"t - s = {t - s}, n = {n}, {act}"
        records.append((relative_error(hidden_jacobian(theta, fwd, 0, s, t), ref), tol, at))
    return Evidence(
        instances,
        (
            worst_error(
                "$\\prod_r\\operatorname{diag}(\\sigma'(z_r))W$ against torch's Jacobian of "
                "$h_s\\mapsto h_t$",
                records,
            ),
        ),
    )


# --- thm-rnn-vanishing --------------------------------------------------------------------------
@single_threaded
def jacobian_norm_below_bound(
    rng: np.random.Generator, *, bound=vanishing_bound, instances: int = 30
) -> Evidence:
    r"""$\|\partial h_t/\partial h_s\|_{\mathrm{op}}\le\gamma^{t-s}$, $\gamma = \kappa\|W\|$ with
    $\kappa = 1$ (tanh, ReLU), Jacobians by torch autograd: on random non-normal $W$ with
    $\|W\|\in(0.05, 2)$ and small or unit inputs (validity), and on the attaining instances of the
    text: $W = aQ$ with $Q$ orthogonal, $b = 0$, $x_t = 0$, $h_0 = 0$, tanh, where every
    $z_r = 0$ and $\partial h_t/\partial h_s = W^{t-s}$ has norm exactly $a^{t-s}$."""
    worst = (-math.inf, 0.0, 1.0, 0.0, "")
    for k in range(instances):
        act = ("tanh", "relu")[k % 2]
        T, d, n = int(rng.integers(2, 16)), int(rng.integers(1, 4)), int(rng.integers(2, 9))
        theta = random_rnn(rng, d, n, spread=2.0)
        theta = rnn.RNNParameters(theta.W, theta.U, 0.01 * theta.b)
        X, H0 = _sequence(rng, theta, T, (0.01, 1.0)[k % 3 == 0])
        fwd = rnn.rnn_forward(theta, X, H0, act)
        s = int(rng.integers(0, T))
        for t in range(s + 1, T + 1):
            J = torch_jacobian(theta, X, fwd.H, act, s, t)
            measured = float(np.linalg.norm(J, 2))
            b = bound(theta.W, 1.0, t - s)
            if measured / b > worst[0]:
                at = f"t - s = {t - s}, n = {n}, ||W|| = {np.linalg.norm(theta.W, 2):.3g}, {act}"
                worst = (measured / b, measured, b, _slack(theta.W, t - s, b), at)
    attain = []
    for _ in range(8):
        n, T = int(rng.integers(2, 9)), int(rng.integers(2, 16))
        a = float(rng.uniform(0.3, 1.5))
        theta = rnn.RNNParameters(a * _orthogonal(rng, n), rng.standard_normal((n, 2)), np.zeros(n))
        X, H0 = np.zeros((T, 1, 2)), np.zeros((1, n))
        fwd = rnn.rnn_forward(theta, X, H0, "tanh")
        s = int(rng.integers(0, T))
        t = int(rng.integers(s + 1, T + 1))
        measured = float(np.linalg.norm(torch_jacobian(theta, X, fwd.H, "tanh", s, t), 2))
        attain.append((measured / bound(theta.W, 1.0, t - s), t - s, n, a))
    ratio, k, n, a = max(attain, key=lambda r: abs(r[0] - 1))
    _, measured, b, slack, at = worst
    return Evidence(
        instances + len(attain),
        (
            upper(
                "$\\|\\partial h_t/\\partial h_s\\|_{\\mathrm{op}}$ against $\\gamma^{t-s}$",
                measured,
                b,
                slack=slack,
                at=at,
            ),
            equal(
                "$\\|\\partial h_t/\\partial h_s\\|/\\gamma^{t-s}$ at $W = aQ$, $z_r = 0$ (attained)",
                ratio,
                1.0,
                8 * (k + 1) * (n + 2) * U64,
                units="ratio",
                at=f"t - s = {k}, n = {n}, a = {a:.3g}",
                attains=True,
            ),
        ),
    )


# --- cor-rnn-lag-tail ---------------------------------------------------------------------------
def _relu_states(W: np.ndarray, b: np.ndarray, H0: np.ndarray, T: int) -> np.ndarray:
    """States of $h_t = \\operatorname{ReLU}(Wh_{t-1} + b)$ ($U = 0$), written out, shape
    ``(T + 1, n)``."""
    H = [H0]
    for _ in range(T):
        H.append(np.maximum(W @ H[-1] + b, 0.0))
    return np.stack(H)


def _tail(W: np.ndarray, H: np.ndarray, g: np.ndarray, k: int) -> np.ndarray:
    r"""$\sum_{t - s\ge k}\Xi_{t,s}$ of a ReLU network (row 0) from the definitions: with
    $J_r = \operatorname{diag}(\sigma'(z_r))W$, $p_s = \sum_{t\ge s}(J_t\cdots J_{s+1})^\top g_t$
    by backward recursion, and $c_s = (J_{s+k}\cdots J_{s+1})^\top p_{s+k}$."""
    T, n = g.shape[0], W.shape[0]
    D = (H[1:] > 0).astype(float)  # sigma'(z_r) = 1[h_r > 0]
    J = [None] + [D[r - 1][:, None] * W for r in range(1, T + 1)]
    p = np.zeros((T + 2, n))
    for s in range(T, 0, -1):
        p[s] = g[s - 1] + (J[s + 1].T @ p[s + 1] if s < T else 0.0)
    tail = np.zeros((n, n))
    for s in range(1, T - k + 1):
        c = p[s + k]
        for r in range(s + k, s, -1):
            c = J[r].T @ c
        tail += np.outer(D[s - 1] * c, H[s - 1])
    return tail


@single_threaded
def lag_contributions_below_bound(
    rng: np.random.Generator,
    *,
    contribution_bound=contribution_bound,
    tail_bound=tail_bound,
    instances: int = 12,
) -> Evidence:
    r"""The lag contributions $\|\Xi_{t,s}\|\le\kappa\gamma^{t-s}\|g_t\|\|h_{s-1}\|$ and the tail
    $\|\sum_{t-s\ge k}\Xi_{t,s}\|\le\kappa Tg_{\max}h_{\max}\gamma^k/(1-\gamma)$ ($\kappa = 1$,
    $\gamma < 1$) on random instances with torch Jacobians; and where the text says they are
    attained: every $\Xi_{t,s}$ at $W = aP$ ($P$ a permutation), ReLU, all pre-activations
    positive; the tail at the steady state of $W = aI$, ReLU, $b > 0$, $g_t = g$, where the ratio
    is $1 - (k + \gamma/(1-\gamma))/T + O(\gamma^T/T)$ and tends to 1 as $T\to\infty$."""
    worst_c = (-math.inf, 0.0, 1.0, 0.0, "")
    worst_t = (-math.inf, 0.0, 1.0, "")
    for j in range(instances):
        act = ("tanh", "relu")[j % 2]
        T, d, n = int(rng.integers(2, 9)), int(rng.integers(1, 4)), int(rng.integers(1, 6))
        theta = random_rnn(rng, d, n, spread=0.99)
        X, H0 = _sequence(rng, theta, T, 1.0)
        G = rng.standard_normal((T, 1, n))
        fwd = rnn.rnn_forward(theta, X, H0, act)
        D = rnn.sigma_prime_from_value(fwd.H[1:], act)
        gamma = float(np.linalg.norm(theta.W, 2))
        g_max = max(float(np.linalg.norm(G[t, 0])) for t in range(T))
        h_max = max(float(np.linalg.norm(fwd.H[t, 0])) for t in range(T))
        lag = int(rng.integers(0, T))
        tail = np.zeros((n, n))
        for s in range(1, T + 1):
            for t in range(s, T + 1):
                J = torch_jacobian(theta, X, fwd.H, act, s, t)
                C = np.outer(D[s - 1, 0] * (J.T @ G[t - 1, 0]), fwd.H[s - 1, 0])
                measured = float(np.linalg.norm(C))
                b = contribution_bound(
                    1.0,
                    gamma,
                    t - s,
                    float(np.linalg.norm(G[t - 1, 0])),
                    float(np.linalg.norm(fwd.H[s - 1, 0])),
                )
                if b > 0 and measured / b > worst_c[0]:
                    slack = _slack(theta.W, t - s, b)
                    worst_c = (measured / b, measured, b, slack, f"t - s = {t - s}, n = {n}, {act}")
                if t - s >= lag:
                    tail += C
        b = tail_bound(1.0, gamma, lag, T, g_max, h_max)
        measured = float(np.linalg.norm(tail))
        if measured / b > worst_t[0]:
            worst_t = (measured / b, measured, b, f"T = {T}, k = {lag}, n = {n}, {act}")
    # every contribution attained: W = aP, ReLU, U = 0, b > 0, h_0 >= 0 (all z_r > 0)
    ratios = []
    for _ in range(4):
        n, T = int(rng.integers(1, 6)), int(rng.integers(2, 7))
        a = float(rng.uniform(0.2, 0.95))
        W = a * np.eye(n)[rng.permutation(n)]
        theta = rnn.RNNParameters(W, np.zeros((n, 1)), rng.uniform(0.5, 1.5, n))
        X, H0 = np.zeros((T, 1, 1)), rng.uniform(0.0, 1.0, (1, n))
        G = rng.standard_normal((T, 1, n))
        fwd = rnn.rnn_forward(theta, X, H0, "relu")
        for s in range(1, T + 1):
            for t in range(s, T + 1):
                J = torch_jacobian(theta, X, fwd.H, "relu", s, t)
                C = np.outer(J.T @ G[t - 1, 0], fwd.H[s - 1, 0])
                b = contribution_bound(
                    1.0,
                    a,
                    t - s,
                    float(np.linalg.norm(G[t - 1, 0])),
                    float(np.linalg.norm(fwd.H[s - 1, 0])),
                )
                ratios.append(float(np.linalg.norm(C)) / b)
    attained = max(ratios, key=lambda r: abs(r - 1.0))
    # the tail bound approached: W = aI, ReLU, steady state h = b/(1 - a), g_t = g
    T, n, k = 400, 2, int(rng.integers(1, 4))
    a = float(rng.uniform(0.3, 0.7))
    W, b = a * np.eye(n), rng.uniform(0.5, 1.5, n)
    H = _relu_states(W, b, b / (1 - a), T)
    g = np.tile(rng.standard_normal(n), (T, 1))
    measured = float(np.linalg.norm(_tail(W, H, g, k)))
    h_max = float(np.max(np.linalg.norm(H[:T], axis=1)))
    ratio = measured / tail_bound(1.0, a, k, T, float(np.linalg.norm(g[0])), h_max)
    floor = 1.0 - (k + a / (1.0 - a)) / T
    _, mc, bc, slack_c, at_c = worst_c
    _, mt, bt, at_t = worst_t
    return Evidence(
        instances + 5,
        (
            upper(
                "$\\|\\Xi_{t,s}\\|$ against $\\kappa\\gamma^{t-s}\\|g_t\\|\\|h_{s-1}\\|$",
                mc,
                bc,
                slack=slack_c,
                at=at_c,
            ),
            upper(
                "$\\|\\sum_{t-s\\ge k}\\Xi_{t,s}\\|$ against $\\kappa Tg_{\\max}h_{\\max}\\gamma^k/(1-\\gamma)$",
                mt,
                bt,
                slack=1e-12 * bt,
                at=at_t,
            ),
            equal(
                "$\\|\\Xi_{t,s}\\|/(\\kappa\\gamma^{t-s}\\|g_t\\|\\|h_{s-1}\\|)$ at $W = aP$, ReLU, $z_r > 0$ (attained)",
                attained,
                1.0,
                1e-12,
                units="ratio",
                attains=True,
            ),
            upper(
                "$\\|\\sum_{t-s\\ge k}\\Xi_{t,s}\\|$ / bound at the steady state of $W = aI$, $T = 400$",
                ratio,
                1.0,
                slack=1e-12,
                units="ratio",
                at=f"k = {k}, gamma = {a:.3g}",
            ),
            Comparison(
                "tail / bound at the steady state of $W = aI$, $T = 400$, against "
                "$1 - (k + \\gamma/(1-\\gamma))/T$ (tends to 1)",
                "lower",
                ratio,
                floor,
                1e-12,
                units="ratio",
                at=f"k = {k}, gamma = {a:.3g}",
                attains=True,
            ),
        ),
    )


# --- prop-rnn-exploding -------------------------------------------------------------------------
@single_threaded
def exploding_lower_bound(
    rng: np.random.Generator, *, bound=exploding_bound, instances: int = 30
) -> Evidence:
    r"""$s_{\min}(\partial h_t/\partial h_s)\ge(\lambda\,s_{\min}(W))^{t-s}$ with
    $\lambda = \min_{r, j}\sigma'(z_{r,j})$ over steps $s+1..t$ (tanh), torch Jacobians: on
    $W = Q_1SQ_2$ ($Q_i$ orthogonal, $S$ diagonal in $(1, 1.6)$) with small inputs (validity),
    and at $W = aQ$, $b = 0$, $x_t = 0$, $h_0 = 0$, where $\lambda = 1$ and every singular value
    of $\partial h_t/\partial h_s = W^{t-s}$ is $a^{t-s}$ (attained)."""
    worst = (math.inf, 1.0, 1.0, 0.0, "")
    for _ in range(instances):
        T, d, n = int(rng.integers(2, 14)), int(rng.integers(1, 4)), int(rng.integers(1, 7))
        S = np.diag(rng.uniform(1.0, 1.6, n))
        W = _orthogonal(rng, n) @ S @ _orthogonal(rng, n)
        theta = rnn.RNNParameters(W, 0.1 * rng.standard_normal((n, d)), np.zeros(n))
        X, H0 = _sequence(rng, theta, T, 0.02)
        fwd = rnn.rnn_forward(theta, X, H0, "tanh")
        s = int(rng.integers(0, T))
        t = int(rng.integers(s + 1, T + 1))
        lam = float(np.min(1.0 - fwd.H[s + 1 : t + 1, 0] ** 2))
        J = torch_jacobian(theta, X, fwd.H, "tanh", s, t)
        smin = float(np.linalg.svd(J, compute_uv=False)[-1])
        b = bound(theta.W, lam, t - s)
        if smin / b < worst[0]:
            worst = (smin / b, smin, b, _slack(theta.W, t - s, b), f"t - s = {t - s}, n = {n}")
    attain = []
    for _ in range(8):
        n, T = int(rng.integers(1, 8)), int(rng.integers(2, 14))
        a = float(rng.uniform(0.5, 1.6))
        theta = rnn.RNNParameters(a * _orthogonal(rng, n), rng.standard_normal((n, 2)), np.zeros(n))
        X, H0 = np.zeros((T, 1, 2)), np.zeros((1, n))
        fwd = rnn.rnn_forward(theta, X, H0, "tanh")
        s = int(rng.integers(0, T))
        t = int(rng.integers(s + 1, T + 1))
        J = torch_jacobian(theta, X, fwd.H, "tanh", s, t)
        smin = float(np.linalg.svd(J, compute_uv=False)[-1])
        attain.append((smin / bound(theta.W, 1.0, t - s), t - s, n, a))
    ratio, k, n, a = max(attain, key=lambda r: abs(r[0] - 1))
    _, smin, b, slack, at = worst
    return Evidence(
        instances + len(attain),
        (
            lower(
                "$s_{\\min}(\\partial h_t/\\partial h_s)$ against $(\\lambda s_{\\min}(W))^{t-s}$",
                smin,
                b,
                slack=slack,
                at=at,
            ),
            equal(
                "$s_{\\min}(\\partial h_t/\\partial h_s)/(\\lambda s_{\\min}(W))^{t-s}$ at $W = aQ$, $z_r = 0$ (attained)",
                ratio,
                1.0,
                8 * (k + 1) * (n + 2) * U64,
                units="ratio",
                at=f"t - s = {k}, n = {n}, a = {a:.3g}",
                attains=True,
            ),
        ),
    )


# --- prop-rnn-linear-spectral -------------------------------------------------------------------
def _power_apply(W: torch.Tensor, h: torch.Tensor, k: int) -> torch.Tensor:
    for _ in range(k):
        h = W @ h
    return h


@single_threaded
def linear_spectral_sandwich(
    rng: np.random.Generator,
    *,
    linear_power_norms=rnn.linear_power_norms,
    bounds=spectral_bounds,
    instances: int = 30,
) -> Evidence:
    r"""Linear RNN: the torch Jacobian of $h_s\mapsto h_{s+k}$ equals $W^k$ (its norm against
    ``linear_power_norms``); $\rho(W)^k\le\|W^k\|\le\|W\|^k$ for $k\le 40$ on random non-normal
    $W$ ($\rho$ by ``numpy.linalg.eigvals``), both attained by symmetric $W$ (where
    $\|W^k\| = \rho(W)^k = \|W\|^k$); and, for the limit, $\|W^k\|\le\kappa(V)\rho(W)^k$ for
    $k\le 200$ with $V$ the eigenvector matrix of a diagonalisable $W$, so that
    $\|W^k\|^{1/k}\in[\rho, \kappa(V)^{1/k}\rho]$."""
    low = (math.inf, 1.0, 1.0, "")
    high = (-math.inf, 1.0, 1.0, "")
    gelfand = (-math.inf, 1.0, 1.0, 0.0, "")
    jac = []
    for _ in range(instances):
        n = int(rng.integers(1, 9))
        W = rng.standard_normal((n, n)) * rng.uniform(0.2, 1.2) / math.sqrt(n)
        norms = linear_power_norms(W, 200)
        for k in range(1, 41):
            lo, hi = bounds(W, k)
            at = f"k = {k}, n = {n}"
            if norms[k] / lo < low[0]:
                low = (norms[k] / lo, norms[k], lo, at)
            if norms[k] / hi > high[0]:
                high = (norms[k] / hi, norms[k], hi, at)
        mu, V = np.linalg.eig(W)
        rho, cond = float(np.max(np.abs(mu))), float(np.linalg.cond(V))
        for k in (50, 100, 200):
            b = cond * rho**k
            if b > 0 and norms[k] / b > gelfand[0]:
                gelfand = (norms[k] / b, norms[k], b, 16 * k * n * U64 * b, f"k = {k}, n = {n}")
        k = int(rng.integers(1, 8))
        J = torch.autograd.functional.jacobian(
            lambda h: _power_apply(torch.from_numpy(W), h, k), torch.zeros(n, dtype=torch.float64)
        ).numpy()
        jac.append(
            (
                abs(float(np.linalg.norm(J, 2)) - norms[k]) / norms[k],
                8 * (k + 1) * (n + 2) * U64,
                f"k = {k}, n = {n}",
            )
        )
    sym = []
    for _ in range(6):
        n, k = int(rng.integers(1, 9)), int(rng.integers(1, 41))
        A = rng.standard_normal((n, n))
        W = (A + A.T) / (2 * math.sqrt(n))
        norm_k = float(linear_power_norms(W, k)[k])
        lo, hi = bounds(W, k)
        sym.append((norm_k / lo, norm_k / hi, k, n))
    worst_lo = max(sym, key=lambda r: abs(r[0] - 1))
    worst_hi = max(sym, key=lambda r: abs(r[1] - 1))
    tol = lambda r: 8 * (r[2] + 1) * (r[3] + 2) * U64  # noqa: E731
    return Evidence(
        2 * instances + len(sym),
        (
            worst_error(
                "$\\|W^k\\|$ against the norm of torch's Jacobian of $h_s\\mapsto h_{s+k}$", jac
            ),
            lower(
                "$\\|W^k\\|_{\\mathrm{op}}$ against $\\rho(W)^k$",
                low[1],
                low[2],
                slack=1e-12 * low[2],
                at=low[3],
            ),
            upper(
                "$\\|W^k\\|_{\\mathrm{op}}$ against $\\|W\\|_{\\mathrm{op}}^k$",
                high[1],
                high[2],
                slack=1e-12 * high[2],
                at=high[3],
            ),
            upper(
                "$\\|W^k\\|$ against $\\kappa(V)\\rho(W)^k$ (the limit)",
                gelfand[1],
                gelfand[2],
                slack=gelfand[3],
                at=gelfand[4],
            ),
            equal(
                "$\\|W^k\\|/\\rho(W)^k$ for symmetric $W$ (attained)",
                worst_lo[0],
                1.0,
                tol(worst_lo),
                units="ratio",
                at=f"k = {worst_lo[2]}, n = {worst_lo[3]}",
                attains=True,
            ),
            equal(
                "$\\|W^k\\|/\\|W\\|^k$ for symmetric $W$ (attained)",
                worst_hi[1],
                1.0,
                tol(worst_hi),
                units="ratio",
                at=f"k = {worst_hi[2]}, n = {worst_hi[3]}",
                attains=True,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "lem-rnn-jacobian",
        jacobian_product_matches_autograd,
        "the product of diag(sigma') W agrees with the torch Jacobian of h_s -> h_t",
        strength="exact",
    ),
    Witness(
        "thm-rnn-vanishing",
        jacobian_norm_below_bound,
        "||dh_t/dh_s|| <= gamma^(t-s) for torch Jacobians, with equality at W = aQ, z = 0",
        strength="sharp",
    ),
    Witness(
        "cor-rnn-lag-tail",
        lag_contributions_below_bound,
        "lag contributions and the lag tail obey the exponential bounds, attained at W = aP "
        "(contributions) and approached at W = aI as T grows (tail)",
        strength="sharp",
    ),
    Witness(
        "prop-rnn-exploding",
        exploding_lower_bound,
        "s_min(dh_t/dh_s) >= (lambda s_min(W))^(t-s), with equality at W = aQ, z = 0",
        strength="sharp",
    ),
    Witness(
        "prop-rnn-linear-spectral",
        linear_spectral_sandwich,
        "rho(W)^k <= ||W^k|| <= ||W||^k, both equalities for symmetric W, and dh_t/dh_s = W^(t-s)",
        strength="sharp",
    ),
)
