r"""Witnesses of Section "Vanishing and exploding gradients": `lem-rnn-jacobian`,
`thm-rnn-vanishing`, `cor-rnn-lag-tail`, `prop-rnn-exploding`, `prop-rnn-linear-spectral`.

The Jacobians compared with the bounds are computed by ``torch.autograd.functional.jacobian`` of
the map $h_s\mapsto h_t$ written with torch, independent of deepqed's products.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Figures, Witness
from ._common import nan_max, random_rnn, rel, single_threaded


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
    W, U, b = (torch.from_numpy(a) for a in theta.arrays())
    sig = torch.tanh if act == "tanh" else torch.relu

    def step_map(h: torch.Tensor) -> torch.Tensor:
        for k in range(s + 1, t + 1):
            h = sig(W @ h + U @ torch.from_numpy(X[k - 1, 0]) + b)
        return h

    return torch.autograd.functional.jacobian(step_map, torch.from_numpy(H[s, 0].copy())).numpy()


def operator_norm_rate(theta: rnn.RNNParameters, kappa: float) -> float:
    r"""$\gamma = \kappa\|W\|_{\mathrm{op}}$ (Theorem ``thm-rnn-vanishing``)."""
    return kappa * float(np.linalg.norm(theta.W, 2))


@single_threaded
def jacobian_product_matches_autograd(
    rng: np.random.Generator, *, hidden_jacobian=rnn.hidden_jacobian, instances: int = 60
) -> Figures:
    r"""$J_t\cdots J_{s+1}$ (deepqed) vs the torch Jacobian of $h_s\mapsto h_t$, float64."""
    errors = []
    for k in range(instances):
        act = ("tanh", "relu")[k % 2]
        T, d, n = int(rng.integers(1, 12)), int(rng.integers(1, 5)), int(rng.integers(1, 9))
        theta = random_rnn(rng, d, n)
        X, H0 = _sequence(rng, theta, T, 1.0)
        fwd = rnn.rnn_forward(theta, X, H0, act)
        s = int(rng.integers(0, T + 1))
        t = int(rng.integers(s, T + 1))
        errors.append(
            rel(
                hidden_jacobian(theta, fwd, 0, s, t),
                torch_jacobian(theta, X, fwd.H, act, s, t) if t > s else np.eye(n),
            )
        )
    return Figures(
        instances,
        nan_max(errors),
        1e-12,
        "relative error of the product diag(sigma'(z_k)) W (k = t..s+1) vs "
        "torch.autograd.functional.jacobian of h_s -> h_t, float64",
    )


@single_threaded
def jacobian_norm_below_bound(
    rng: np.random.Generator, *, rate=operator_norm_rate, instances: int = 60
) -> Figures:
    r"""$\|\partial h_t/\partial h_s\|_{\mathrm{op}}\le\gamma^{t-s}$ with $\gamma = \kappa\|W\|$,
    $\kappa = 1$ (tanh, ReLU); Jacobians by torch autograd; non-normal Gaussian $W$ with small
    inputs (where $\sigma'\approx1$ and the bound is nearly attained at short lags)."""
    worst = []
    for k in range(instances):
        act = ("tanh", "relu")[k % 2]
        T, d, n = int(rng.integers(2, 16)), int(rng.integers(1, 4)), int(rng.integers(2, 9))
        theta = random_rnn(rng, d, n, spread=2.0)
        theta = rnn.RNNParameters(theta.W, theta.U, 0.01 * theta.b)
        X, H0 = _sequence(rng, theta, T, (0.01, 1.0)[k % 3 == 0])
        fwd = rnn.rnn_forward(theta, X, H0, act)
        gamma = rate(theta, 1.0)
        s = int(rng.integers(0, T))
        for t in range(s + 1, T + 1):
            J = torch_jacobian(theta, X, fwd.H, act, s, t)
            measured = float(np.linalg.norm(J, 2))
            worst.append(max(0.0, measured / gamma ** (t - s) - 1.0))
    return Figures(
        instances,
        nan_max(worst),
        1e-12,
        "max over instances and lags of (||dh_t/dh_s||_op / gamma^(t-s) - 1)^+, Jacobians "
        "by torch autograd, tanh and ReLU, ||W|| in (0, 2), float64",
    )


@single_threaded
def lag_contributions_below_bound(
    rng: np.random.Generator, *, rate=operator_norm_rate, instances: int = 25
) -> Figures:
    r"""Each lag contribution $\|\operatorname{diag}(\sigma'(z_s))(\partial h_t/\partial h_s)^\top
    g_th_{s-1}^\top\|\le\kappa\gamma^{t-s}\|g_t\|\|h_{s-1}\|$, and the tail bound of the corollary,
    with torch Jacobians, $\gamma < 1$."""
    worst = []
    for k in range(instances):
        act = ("tanh", "relu")[k % 2]
        T, d, n = int(rng.integers(2, 10)), int(rng.integers(1, 4)), int(rng.integers(1, 7))
        theta = random_rnn(rng, d, n, spread=0.99)
        X, H0 = _sequence(rng, theta, T, 1.0)
        G = rng.standard_normal((T, 1, n))
        fwd = rnn.rnn_forward(theta, X, H0, act)
        D = rnn.sigma_prime_from_value(fwd.H[1:], act)
        gamma = rate(theta, 1.0)
        Gmax = max(float(np.linalg.norm(G[t, 0])) for t in range(T))
        Hmax = max(float(np.linalg.norm(fwd.H[t, 0])) for t in range(T))
        lag = int(rng.integers(0, T))
        tail = np.zeros((n, n))
        for s in range(1, T + 1):
            for t in range(s, T + 1):
                J = torch_jacobian(theta, X, fwd.H, act, s, t) if t > s else np.eye(n)
                C = np.outer(D[s - 1, 0] * (J.T @ G[t - 1, 0]), fwd.H[s - 1, 0])
                bound = (
                    gamma ** (t - s) * np.linalg.norm(G[t - 1, 0]) * np.linalg.norm(fwd.H[s - 1, 0])
                )
                worst.append(max(0.0, float(np.linalg.norm(C)) - bound) / max(bound, 1e-300))
                if t - s >= lag:
                    tail += C
        tail_bound = T * Gmax * Hmax * gamma**lag / (1.0 - gamma)
        worst.append(max(0.0, float(np.linalg.norm(tail)) - tail_bound) / tail_bound)
    return Figures(
        instances,
        nan_max(worst),
        1e-12,
        "relative excess of each lag contribution over kappa gamma^(t-s) ||g_t|| ||h_{s-1}||"
        " and of the lag->=k tail over T G H gamma^k / (1 - gamma); torch Jacobians",
    )


def singular_value_rate(theta: rnn.RNNParameters, c: float) -> float:
    r"""$\lambda\,s_{\min}(W)$ (Proposition ``prop-rnn-exploding``)."""
    return c * float(np.linalg.svd(theta.W, compute_uv=False)[-1])


@single_threaded
def exploding_lower_bound(
    rng: np.random.Generator, *, rate=singular_value_rate, instances: int = 60
) -> Figures:
    r"""$s_{\min}(\partial h_t/\partial h_s)\ge(\lambda\,s_{\min}(W))^{t-s}$ with
    $\lambda = \min_{r, j}\sigma'(z_{r,j})$ over steps $s+1..t$ (tanh), torch Jacobians;
    $W = Q_1SQ_2$ ($Q_i$ orthogonal, $S$ diagonal) with $s_{\min}(W) > 1$ so the bound grows."""
    worst = []
    for _ in range(instances):
        T, d, n = int(rng.integers(2, 14)), int(rng.integers(1, 4)), int(rng.integers(1, 7))
        Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
        S = np.diag(rng.uniform(1.0, 1.6, n))
        Q2, _ = np.linalg.qr(rng.standard_normal((n, n)))
        theta = rnn.RNNParameters(Q @ S @ Q2, 0.1 * rng.standard_normal((n, d)), np.zeros(n))
        X, H0 = _sequence(rng, theta, T, 0.02)
        fwd = rnn.rnn_forward(theta, X, H0, "tanh")
        s = int(rng.integers(0, T))
        t = int(rng.integers(s + 1, T + 1))
        c = float(np.min(1.0 - fwd.H[s + 1 : t + 1, 0] ** 2))
        J = torch_jacobian(theta, X, fwd.H, "tanh", s, t)
        smin = float(np.linalg.svd(J, compute_uv=False)[-1])
        bound = rate(theta, c) ** (t - s)
        worst.append(max(0.0, bound - smin) / bound)
    return Figures(
        instances,
        nan_max(worst),
        1e-12,
        "relative shortfall (bound - s_min(dh_t/dh_s))^+ / bound, bound = "
        "(lambda s_min(W))^(t-s), tanh, s_min(W) in (1, 1.6), torch Jacobians, float64",
    )


@single_threaded
def linear_spectral_sandwich(
    rng: np.random.Generator, *, linear_power_norms=rnn.linear_power_norms, instances: int = 40
) -> Figures:
    r"""Linear RNN: torch Jacobian of $h_s\mapsto h_t$ equals $W^{t-s}$, and
    $\rho(W)^k\le\|W^k\|\le\|W\|^k$ for $k\le 40$ ($\rho$ by ``numpy.linalg.eigvals``)."""
    worst = []
    for _ in range(instances):
        n = int(rng.integers(1, 9))
        W = rng.standard_normal((n, n)) * rng.uniform(0.2, 1.2) / math.sqrt(n)
        norms = linear_power_norms(W, 40)
        rho = float(np.max(np.abs(np.linalg.eigvals(W))))
        op = float(np.linalg.norm(W, 2))
        for k in range(41):
            worst.append(max(0.0, rho**k - norms[k]) / max(rho**k, 1e-300))
            worst.append(max(0.0, norms[k] - op**k) / max(op**k, 1e-300))
        k = int(rng.integers(1, 8))
        Wt = torch.from_numpy(W)
        J = torch.autograd.functional.jacobian(
            lambda h: _power_apply(Wt, h, k), torch.zeros(n, dtype=torch.float64)
        ).numpy()
        worst.append(rel(np.linalg.norm(J, 2), norms[k]))
    return Figures(
        instances,
        nan_max(worst),
        1e-12,
        "relative violation of rho^k <= ||W^k|| <= ||W||^k (k <= 40) and relative error "
        "of ||W^k|| vs the norm of the torch Jacobian of the linear map h_s -> h_{s+k}",
    )


def _power_apply(W: torch.Tensor, h: torch.Tensor, k: int) -> torch.Tensor:
    for _ in range(k):
        h = W @ h
    return h


CLAIMS = (
    Witness(
        "lem-rnn-jacobian",
        jacobian_product_matches_autograd,
        "the product of diag(sigma') W agrees with the torch Jacobian of h_s -> h_t",
    ),
    Witness(
        "thm-rnn-vanishing",
        jacobian_norm_below_bound,
        "||dh_t/dh_s|| <= gamma^(t-s) for torch Jacobians",
    ),
    Witness(
        "cor-rnn-lag-tail",
        lag_contributions_below_bound,
        "lag contributions and the lag tail obey the exponential bounds",
    ),
    Witness(
        "prop-rnn-exploding", exploding_lower_bound, "s_min(dh_t/dh_s) >= (lambda s_min(W))^(t-s)"
    ),
    Witness(
        "prop-rnn-linear-spectral",
        linear_spectral_sandwich,
        "rho(W)^k <= ||W^k|| <= ||W||^k and dh_t/dh_s = W^(t-s) for the linear RNN",
    ),
)
