r"""Witnesses of Section "Losses": `def-empirical-risk`, `def-squared-error`, `def-cross-entropy`,
`prop-stable-logsumexp`, `prop-loss-gradients`."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

from ... import gradcheck, losses, nn
from ...registry import Witness
from .._common import Evidence, equal, lower, upper
from ._common import (
    UNIT_ROUNDOFF,
    Worst,
    gamma,
    random_architecture,
    random_parameters,
    random_targets,
    rounding_bounds,
    single_threaded,
)

U64 = UNIT_ROUNDOFF["float64"]


def _ce_rounding(A: np.ndarray, Y: np.ndarray, u: float) -> float:
    r"""A bound on the rounding error of $\frac1m\sum_i[(\mathbf 1^\top y_i)\operatorname{lse}(a_i) -
    \langle y_i, a_i\rangle]$ evaluated from exact $A, Y$: $\operatorname{lse}$ within
    $(K + 4)u(|\operatorname{lse}| + 1)$, the sums within $\gamma_{K+3}$."""
    A, Y = np.asarray(A, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    m, K = A.shape
    lse = np.log(np.exp(A - A.max(axis=1, keepdims=True)).sum(axis=1)) + A.max(axis=1)
    e_lse = (K + 4) * u * (np.abs(lse) + 1)
    terms = np.abs(Y) * (np.abs(A) + np.abs(lse)[:, None])
    return float((np.abs(Y).sum(axis=1) * e_lse).sum() + gamma(K + 3, u) * terms.sum()) / m


def _se_rounding(A: np.ndarray, Y: np.ndarray, u: float) -> float:
    r"""A bound on the rounding error of $\frac1{2m}\|A - Y\|^2$: $\gamma_{mK+3}$ times the value."""
    R = np.asarray(A, dtype=np.float64) - np.asarray(Y, dtype=np.float64)
    return gamma(R.size + 3, u) * 0.5 * float(np.sum(R * R)) / R.shape[0]


@single_threaded
def empirical_risk_is_mean_of_sample_losses(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    loss_and_gradient=nn.loss_and_gradient,
) -> Evidence:
    """L(theta) from loss_and_gradient vs (1/m) sum_i ell(f_theta(x_i), y_i), sample by sample
    (the realization, and ell in mpmath for the cross-entropy); each route within the rounding
    bound of the loss value."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    n = 30
    used = excluded = 0
    for i in range(n):
        arch = random_architecture(rng, depth=(1, 3), width=(1, 8))
        theta = random_parameters(arch, rng, dtype)
        m = int(rng.integers(1, 9))
        X = rng.standard_normal((m, arch.widths[0])).astype(dtype)
        loss = ("squared_error", "cross_entropy")[i % 2]
        Y = random_targets(rng, m, arch.widths[-1], "real" if i % 2 == 0 else "simplex")
        Y = Y.astype(dtype)
        B = rounding_bounds(arch, theta, X, Y, loss, u)
        if B.kink_margin(arch, [B]) <= 0:
            excluded += 1
            continue
        used += 1
        value, _ = loss_and_gradient(arch, theta, X, Y, loss)
        terms = []
        for x, y in zip(X, Y):
            a = np.asarray(nn.realization(arch, theta, x), dtype=np.float64)
            y = y.astype(np.float64)
            if loss == "squared_error":
                terms.append(0.5 * math.fsum((a - y) ** 2))  # 1/2 |a - y|^2
            else:
                with mpmath.workdps(30):  # -sum_k y_k log s_k
                    e = [mpmath.exp(mpmath.mpf(float(t))) for t in a]
                    terms.append(
                        float(
                            -mpmath.fsum(
                                mpmath.mpf(float(yk)) * mpmath.log(ek / mpmath.fsum(e))
                                for yk, ek in zip(y, e)
                            )
                        )
                    )
        ref = math.fsum(terms) / m
        worst.add(abs(float(value) - ref), 2 * B.e_value, f"widths {arch.widths}, m = {m}, {loss}")
    return Evidence(
        used,
        (
            worst.error(
                r"$|\mathcal L(\theta) - \frac1m\sum_i\ell(f_\theta(x_i), y_i)|$",
                units="absolute error",
            ),
        ),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


@single_threaded
def squared_error_matches_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    squared_error=losses.squared_error,
) -> Evidence:
    """squared_error(A, Y) vs (1/m) sum_i 1/2 ||a_i - y_i||^2 by torch.nn.functional.mse_loss."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    n = 30
    for _ in range(n):
        m, K = int(rng.integers(1, 20)), int(rng.integers(1, 10))
        A, Y = (rng.standard_normal((m, K)).astype(dtype) for _ in range(2))
        A64, Y64 = torch.from_numpy(A.astype(np.float64)), torch.from_numpy(Y.astype(np.float64))
        ref = float(0.5 * F.mse_loss(A64, Y64, reduction="sum") / m)
        tol = _se_rounding(A, Y, u) + _se_rounding(A, Y, U64)
        worst.add(abs(float(squared_error(A, Y)) - ref), tol, f"m = {m}, K = {K}")
    return Evidence(
        n,
        (
            worst.error(
                r"$|\mathcal L_{\mathrm{SE}} - \frac{1}{2m}$ F.mse_loss(sum)$|$",
                units="absolute error",
            ),
        ),
    )


@single_threaded
def cross_entropy_matches_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    softmax_cross_entropy=losses.softmax_cross_entropy,
) -> Evidence:
    """softmax_cross_entropy vs torch F.cross_entropy (class indices, probability targets)."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    n = 30
    for i in range(n):
        m, K = int(rng.integers(1, 20)), int(rng.integers(1, 10))
        A = (rng.standard_normal((m, K)) * 4).astype(dtype)
        At = torch.from_numpy(A.astype(np.float64))
        if i % 2 == 0:
            k = rng.integers(K, size=m)
            ref = F.cross_entropy(At, torch.from_numpy(k))  # one-hot as class indices
            Y = np.eye(K, dtype=dtype)[k]
        else:
            Y = random_targets(rng, m, K, "simplex").astype(dtype)
            ref = F.cross_entropy(At, torch.from_numpy(Y.astype(np.float64)))  # probabilities
        tol = _ce_rounding(A, Y, u) + _ce_rounding(A, Y, U64)
        worst.add(abs(float(softmax_cross_entropy(A, Y)) - float(ref)), tol, f"m = {m}, K = {K}")
    return Evidence(
        n,
        (
            worst.error(
                r"$|\mathcal L_{\mathrm{CE}} - $ F.cross_entropy$|$ (one-hot and simplex targets)",
                units="absolute error",
            ),
        ),
    )


def _sum_bounds(K: int) -> tuple[float, float]:
    r"""Part 2 of the proposition: $S = \sum_j e^{z_j - \max z}\in[1, K]$."""
    return 1.0, float(K)


@single_threaded
def logsumexp_is_stable(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    logsumexp=nn.logsumexp,
    softmax_cross_entropy=losses.softmax_cross_entropy,
    bounds=_sum_bounds,
) -> Evidence:
    r"""Parts 1-3: $\operatorname{lse}(z) = c + \operatorname{lse}(z - c\mathbf 1)$ and huge logits
    against mpmath; $\log S = \operatorname{lse}(z) - \max_k z_k\in[0, \log K]$ with both ends
    attained (all logits equal: $S = K$; one logit ahead by 800: $S = 1$); the CE identity. $S$ is
    read from the library as $e^{\operatorname{lse}(z) - \max z}$, within $e^{e} - 1 \approx e$
    relatively if $\operatorname{lse}$ is within $e$."""
    u = UNIT_ROUNDOFF[dtype.name]
    exact, shifted, ce = Worst(), Worst(), Worst()
    lo_worst = hi_worst = None
    n = 30
    for _ in range(n):
        m, K = int(rng.integers(1, 6)), int(rng.integers(2, 12))
        Z = (rng.standard_normal((m, K)) * rng.choice([1.0, 1e2, 1e4])).astype(dtype)  # |z| ~ 4e4
        lse = np.asarray(logsumexp(Z), dtype=np.float64)
        c = float(rng.uniform(-100, 100))
        Z64 = Z.astype(np.float64)
        again = c + np.asarray(logsumexp(Z64 - c), dtype=np.float64)
        low, high = bounds(K)
        with mpmath.workdps(40):
            for j in range(m):
                ref = float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(t))) for t in Z[j])))
                e = (K + 4) * u * (abs(ref) + 1)  # each logit exact; c + log S rounded
                exact.add(abs(lse[j] - ref), e, f"K = {K}, |z| up to {np.max(np.abs(Z[j])):.2g}")
                e64 = 4 * U64 * (float(np.max(np.abs(Z64[j]))) + abs(c) + K + 1)
                shifted.add(abs(again[j] - ref), e64, f"K = {K}, c = {c:.3g}")
                S = math.exp(lse[j] - float(Z64[j].max()))  # in [1, K], relatively up to 2e
                if lo_worst is None or S / low < lo_worst[0] / lo_worst[1]:
                    lo_worst = (S, low, 2 * e * S, f"K = {K}")
                if hi_worst is None or S / high > hi_worst[0] / hi_worst[1]:
                    hi_worst = (S, high, 2 * e * S, f"K = {K}")
        # ell_CE(a, y) = (1^T y) lse(a) - <y, a> vs -sum_k y_k log softmax(a)_k in mpmath
        Y = rng.standard_normal((m, K)).astype(dtype)
        with mpmath.workdps(40):
            ref = (
                mpmath.fsum(
                    -mpmath.fsum(
                        mpmath.mpf(float(y))
                        * (
                            mpmath.mpf(float(a))
                            - mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(t))) for t in row))
                        )
                        for y, a in zip(yr, row)
                    )
                    for yr, row in zip(Y, Z)
                )
                / m
            )
        ce.add(
            abs(float(softmax_cross_entropy(Z, Y)) - float(ref)), _ce_rounding(Z, Y, u), f"K = {K}"
        )
    # the ends of [0, log K] are attained: all logits equal, and one logit ahead by 800
    K = int(rng.integers(2, 12))
    flat = np.full((1, K), dtype.type(rng.uniform(-50, 50)))
    ahead = np.zeros((1, K), dtype=dtype)
    ahead[0, int(rng.integers(K))] = 800.0
    low, high = bounds(K)
    e = 2 * (K + 4) * u * (800 + 1)  # |lse| <= 800 + log K here
    at_high = math.exp(float(np.asarray(logsumexp(flat), dtype=np.float64)[0]) - float(flat.max()))
    at_low = math.exp(float(np.asarray(logsumexp(ahead), dtype=np.float64)[0]) - 800.0)
    return Evidence(
        n,
        (
            exact.error(
                r"$|\mathrm{lse}(z) - \mathrm{lse}_{\mathrm{mpmath}}(z)|$, logits up to $4\cdot10^4$",
                units="absolute error",
            ),
            shifted.error(
                r"$|c + \mathrm{lse}(z - c\mathbf 1) - \mathrm{lse}(z)|$", units="absolute error"
            ),
            lower(
                r"$S = e^{\mathrm{lse}(z) - \max_k z_k} \ge 1$",
                lo_worst[0],
                lo_worst[1],
                slack=lo_worst[2],
                at=lo_worst[3],
            ),
            upper(r"$S \le K$", hi_worst[0], hi_worst[1], slack=hi_worst[2], at=hi_worst[3]),
            equal(
                r"$S$ at equal logits vs the upper bound $K$",
                at_high,
                high,
                e * high,
                attains=True,
                at=f"K = {K}",
            ),
            equal(
                r"$S$ with one logit ahead by 800 vs the lower bound 1",
                at_low,
                low,
                e,
                attains=True,
                at=f"K = {K}",
            ),
            ce.error(
                r"$|(\mathbf 1^\top y)\mathrm{lse}(a) - \langle y, a\rangle - \ell_{\mathrm{CE}}^{\mathrm{mpmath}}|$, mean over the batch",
                units="absolute error",
            ),
        ),
    )


def _loss_third_derivative_bound(name: str, A: np.ndarray, Y: np.ndarray, U: np.ndarray) -> float:
    r"""$\max_t|g^{(3)}(t)|$ for $g(t) = \mathcal L(A + tU)$: 0 for the squared error (a quadratic);
    for the cross-entropy $g^{(3)} = \frac1m\sum_i(\mathbf 1^\top y_i)\kappa_3$, where $\kappa_3$ is the
    third central moment of the values $U_{ik}$ under $\mathrm{softmax}(a_i + tu_i)$, so
    $|\kappa_3| \le R_i^3$ with $R_i$ the range of row $i$ of $U$."""
    if name == "squared_error":
        return 0.0
    R = U.max(axis=1) - U.min(axis=1)
    return float(np.sum(np.abs(Y.sum(axis=1)) * R**3)) / A.shape[0]


@single_threaded
def loss_gradients_match(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    losses_table=losses.LOSSES,
    h: float = 1e-4,
) -> Evidence:
    r"""$G^L = \nabla_A\mathcal L$ vs torch autograd (within the rounding bounds of both), and, in
    float64, $\langle G^L, U\rangle$ vs the central difference $D_h\mathcal L(A)[U]$ with
    ``gradcheck.check_vjp`` (tolerance $\frac{h^2}{6}\max|g^{(3)}|$ plus rounding)."""
    u = UNIT_ROUNDOFF[dtype.name]
    grad, fd = Worst(), Worst()
    n = 40
    for i in range(n):
        name = ("squared_error", "cross_entropy")[i % 2]
        spec = losses_table[name]
        m, K = int(rng.integers(1, 16)), int(rng.integers(2, 10))
        A = (rng.standard_normal((m, K)) * 2).astype(dtype)
        Y = random_targets(rng, m, K, ("real", "onehot", "simplex")[(i // 2) % 3]).astype(dtype)
        G = np.asarray(spec.grad(np, A, Y))
        At = torch.from_numpy(A.astype(np.float64)).requires_grad_(True)
        Yt = torch.from_numpy(Y.astype(np.float64))
        if name == "squared_error":
            Lt = 0.5 * ((At - Yt) ** 2).sum() / m
        else:
            Lt = -(Yt * torch.log_softmax(At, dim=1)).sum() / m
        (ref,) = torch.autograd.grad(Lt, At)
        ref = ref.numpy()
        if G.shape != (m, K):
            grad.add(math.inf, 1.0, "wrong shape")
            continue
        B = rounding_bounds(
            nn.Architecture((K, K), ("identity",)), _identity(K, dtype), A, Y, name, u
        )
        B64 = rounding_bounds(
            nn.Architecture((K, K), ("identity",)), _identity(K, dtype), A, Y, name, U64
        )
        e = _sweep_start(B) + _sweep_start(B64)
        scale = max(float(np.linalg.norm(ref)), 1e-300)
        grad.add(
            float(np.linalg.norm(G.astype(np.float64) - ref)) / scale,
            float(np.linalg.norm(e)) / scale,
            f"{name}, m = {m}, K = {K}",
        )
        if dtype == np.float64:
            U = rng.standard_normal((m, K))
            lhs, rhs = gradcheck.check_vjp(
                lambda B_: np.asarray(spec.value(np, B_, Y)).reshape(1),
                lambda w: w[0] * G,
                A,
                np.ones(1),
                U,
                h,
            )
            rounding = _ce_rounding if name == "cross_entropy" else _se_rounding
            e_val = max(rounding(A + h * U, Y, u), rounding(A - h * U, Y, u))
            e_points = u * float(np.sum(np.abs(G) * (np.abs(A) + h * np.abs(U)))) / h
            tol = (
                h * h / 6 * _loss_third_derivative_bound(name, A, Y, U)
                + e_val / h
                + e_points
                + gamma(m * K, u) * float(np.sum(np.abs(G) * np.abs(U)))
                + float(np.sum(e * np.abs(U)))
            )
            fd.add(abs(lhs - rhs), tol, f"{name}, m = {m}, K = {K}")
    comparisons = [
        grad.error(
            r"$\|G^L - \nabla_A\mathcal L_{\mathrm{torch}}\| / \|\nabla_A\mathcal L_{\mathrm{torch}}\|$"
        ),
    ]
    if dtype == np.float64:
        comparisons.append(
            fd.error(
                rf"$|\langle G^L, U\rangle - D_h\mathcal L(A)[U]|$, $h = {h:g}$",
                units="absolute error",
            )
        )
    return Evidence(n, tuple(comparisons))


def _identity(K: int, dtype) -> nn.Parameters:
    """W = I, b = 0: a network whose output is its input (for the bounds of the loss alone)."""
    return nn.Parameters((np.eye(K, dtype=dtype),), (np.zeros(K, dtype=dtype),))


def _sweep_start(B) -> np.ndarray:
    r"""The bound on $G^L$ of :func:`rounding_bounds`: the input gradient of the identity layer
    ($G^0 = G^L I$ adds $\gamma_K|G^L|$, a fraction of the bound itself)."""
    return B.e_G0.numpy()


_D = ("float32", "float64")
CLAIMS = (
    Witness(
        "def-empirical-risk",
        empirical_risk_is_mean_of_sample_losses,
        "batch loss vs mean of per-sample losses of the realization",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "def-squared-error",
        squared_error_matches_definition,
        "squared_error vs torch mse_loss",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "def-cross-entropy",
        cross_entropy_matches_definition,
        "softmax_cross_entropy vs torch cross_entropy",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-stable-logsumexp",
        logsumexp_is_stable,
        "lse shift identity and huge logits vs mpmath; log S in [0, log K], both ends attained; "
        "CE identity",
        strength="sharp",
        dtypes=_D,
    ),
    Witness(
        "prop-loss-gradients",
        loss_gradients_match,
        "G^L vs torch autograd and central differences",
        strength="exact",
        dtypes=_D,
    ),
)
