r"""Witnesses of Section "Losses": `def-empirical-risk`, `def-squared-error`, `def-cross-entropy`,
`prop-stable-logsumexp`, `prop-loss-gradients`."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

from ... import gradcheck, losses, nn
from ...registry import Figures, Witness
from ._common import (
    nan_max,
    random_architecture,
    random_parameters,
    random_targets,
    single_threaded,
)


def _rel(a: float, b: float) -> float:
    return abs(float(a) - float(b)) / max(1.0, abs(float(b)))


@single_threaded
def empirical_risk_is_mean_of_sample_losses(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient
) -> Figures:
    """L(theta) from loss_and_gradient vs (1/m) sum_i ell(f_theta(x_i), y_i), sample by sample."""
    errors = []
    n = 30
    for i in range(n):
        arch = random_architecture(rng, depth=(1, 3), width=(1, 8))
        theta = random_parameters(arch, rng)
        m = int(rng.integers(1, 9))
        X = rng.standard_normal((m, arch.widths[0]))
        loss = ("squared_error", "cross_entropy")[i % 2]
        Y = random_targets(rng, m, arch.widths[-1], "real" if i % 2 == 0 else "simplex")
        value, _ = loss_and_gradient(arch, theta, X, Y, loss)
        terms = []
        for x, y in zip(X, Y):
            a = np.asarray(nn.realization(arch, theta, x))
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
        errors.append(_rel(value, math.fsum(terms) / m))
    return Figures(
        n,
        nan_max(errors),
        1e-13,
        "|L(theta) - (1/m) sum_i ell(f_theta(x_i), y_i)| / max(1, |.|), per-sample "
        "realization and ell (mpmath for cross-entropy), float64",
    )


@single_threaded
def squared_error_matches_definition(
    rng: np.random.Generator, *, squared_error=losses.squared_error
) -> Figures:
    """squared_error(A, Y) vs (1/m) sum_i 1/2 ||a_i - y_i||^2 by torch.nn.functional.mse_loss."""
    errors = []
    n = 30
    for _ in range(n):
        m, K = int(rng.integers(1, 20)), int(rng.integers(1, 10))
        A, Y = rng.standard_normal((m, K)), rng.standard_normal((m, K))
        ref = 0.5 * F.mse_loss(torch.from_numpy(A), torch.from_numpy(Y), reduction="sum") / m
        errors.append(_rel(squared_error(A, Y), ref))
    return Figures(
        n, nan_max(errors), 1e-14, "|squared_error - F.mse_loss(sum)/(2m)| / max(1, |.|), float64"
    )


@single_threaded
def cross_entropy_matches_definition(
    rng: np.random.Generator, *, softmax_cross_entropy=losses.softmax_cross_entropy
) -> Figures:
    """softmax_cross_entropy vs torch F.cross_entropy (class indices, probability targets)."""
    errors = []
    n = 30
    for i in range(n):
        m, K = int(rng.integers(1, 20)), int(rng.integers(1, 10))
        A = rng.standard_normal((m, K)) * 4
        At = torch.from_numpy(A)
        if i % 2 == 0:
            k = rng.integers(K, size=m)
            ref = F.cross_entropy(At, torch.from_numpy(k))  # one-hot as class indices
            Y = np.eye(K)[k]
        else:
            Y = random_targets(rng, m, K, "simplex")
            ref = F.cross_entropy(At, torch.from_numpy(Y))  # probability targets
        errors.append(_rel(softmax_cross_entropy(A, Y), ref))
    return Figures(
        n,
        nan_max(errors),
        1e-14,
        "|softmax_cross_entropy - F.cross_entropy| / max(1, |.|), one-hot and "
        "simplex targets, float64",
    )


@single_threaded
def logsumexp_is_stable(
    rng: np.random.Generator,
    *,
    logsumexp=nn.logsumexp,
    softmax_cross_entropy=losses.softmax_cross_entropy,
) -> Figures:
    """lse(z) = c + lse(z - c1); huge logits in float32/64 vs mpmath; the CE identity."""
    errors = []
    n = 30
    eps = {np.float64: 2.0**-52, np.float32: 2.0**-23}
    for i in range(n):
        dtype = (np.float64, np.float32)[i % 2]
        m, K = int(rng.integers(1, 6)), int(rng.integers(1, 12))
        Z64 = rng.standard_normal((m, K)) * rng.choice([1.0, 1e2, 1e4])  # up to |z| ~ 4e4
        Z = Z64.astype(dtype)
        lse = np.asarray(logsumexp(Z))
        c = float(rng.uniform(-100, 100))
        shifted = c + np.asarray(logsumexp(Z.astype(np.float64) - c))
        with mpmath.workdps(40):
            for j in range(m):
                ref = mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(t))) for t in Z[j]))
                scale = max(1.0, float(abs(ref)))
                # each logit is exact in dtype; allow a few ulps of rounding of c + log(sum)
                errors.append(float(abs(lse[j] - ref)) / scale / (4 * K * eps[dtype]))
                errors.append(
                    float(abs(shifted[j] - ref))
                    / scale
                    / (4 * K * eps[np.float64] * max(1, abs(c)))
                )
        # ell_CE(a, y) = (1^T y) lse(a) - <y, a> vs -sum_k y_k log softmax(a)_k in mpmath
        Y = rng.standard_normal((m, K))
        A = Z.astype(np.float64)
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
                    for yr, row in zip(Y, A)
                )
                / m
            )
        scale = max(1.0, float(np.sum(np.abs(Y) * np.abs(A))) / m)
        errors.append(float(abs(softmax_cross_entropy(A, Y) - ref)) / scale / (8 * K * 2.0**-52))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|lse - lse_mpmath| / max(1,|lse|) in units of 4K eps (float32, float64, |z| "
        "up to ~4e4); c + lse(z - c); CE identity, units of 8K eps",
    )


@single_threaded
def loss_gradients_match(rng: np.random.Generator, *, losses_table=losses.LOSSES) -> Figures:
    """G^L = grad_A L vs torch autograd, and <G^L, U> vs central differences D_h L(A)[U]."""
    errors = []
    n = 40
    h = 1e-5
    for i in range(n):
        name = ("squared_error", "cross_entropy")[i % 2]
        spec = losses_table[name]
        m, K = int(rng.integers(1, 16)), int(rng.integers(2, 10))
        A = rng.standard_normal((m, K)) * 2
        Y = random_targets(rng, m, K, ("real", "onehot", "simplex")[(i // 2) % 3])
        G = np.asarray(spec.grad(np, A, Y))
        At = torch.from_numpy(A).requires_grad_(True)
        Yt = torch.from_numpy(Y)
        if name == "squared_error":
            Lt = 0.5 * ((At - Yt) ** 2).sum() / m
        else:
            Lt = -(Yt * torch.log_softmax(At, dim=1)).sum() / m
        (ref,) = torch.autograd.grad(Lt, At)
        if G.shape != (m, K):
            errors.append(math.inf)
            continue
        rel = float(np.linalg.norm(G - ref.numpy())) / max(1e-300, float(np.linalg.norm(ref)))
        errors.append(rel / 1e-12)
        U = rng.standard_normal((m, K))
        lhs, rhs = gradcheck.check_vjp(
            lambda B: np.asarray(spec.value(np, B, Y)).reshape(1),
            lambda u: u[0] * G,
            A,
            np.ones(1),
            U,
            h,
        )
        scale = max(1e-300, float(np.linalg.norm(G)) * float(np.linalg.norm(U)))
        errors.append(abs(lhs - rhs) / scale / 1e-7)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max of: ||G^L - G_torch|| / ||G_torch|| in units of 1e-12, and "
        "|<G^L, U> - D_h L(A)[U]| / (||G^L|| ||U||) in units of 1e-7 (h = 1e-5), "
        "float64",
    )


CLAIMS = (
    Witness(
        "def-empirical-risk",
        empirical_risk_is_mean_of_sample_losses,
        "batch loss vs mean of per-sample losses of the realization",
    ),
    Witness(
        "def-squared-error", squared_error_matches_definition, "squared_error vs torch mse_loss"
    ),
    Witness(
        "def-cross-entropy",
        cross_entropy_matches_definition,
        "softmax_cross_entropy vs torch cross_entropy",
    ),
    Witness(
        "prop-stable-logsumexp",
        logsumexp_is_stable,
        "lse shift identity and huge logits vs mpmath; CE identity",
    ),
    Witness(
        "prop-loss-gradients", loss_gradients_match, "G^L vs torch autograd and central differences"
    ),
)
