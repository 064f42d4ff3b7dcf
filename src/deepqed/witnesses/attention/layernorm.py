r"""Witnesses of Section "Layer normalisation": `def-att-layernorm`, `prop-att-layernorm-jacobian`."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ... import attention
from ...registry import Figures, Witness
from ._common import TOL, TORCH_DTYPES, nan_max, relative_error, single_threaded


@single_threaded
def layernorm_matches_torch(
    rng: np.random.Generator, *, forward=attention.layernorm_forward
) -> Figures:
    """Forward vs ``torch.nn.LayerNorm`` with copied gamma, beta and eps (float32, float64)."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for _ in range(3):
            shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
            n = shape[-1] + 1
            X = (
                rng.standard_normal(shape[:-1] + (n,)) * rng.choice([0.01, 1.0, 30.0])
                + rng.standard_normal()
            ).astype(dtype)
            gamma, beta = (rng.standard_normal(n).astype(dtype) for _ in range(2))
            eps = float(rng.choice([0.0, 1e-5, 0.1]))
            ln = torch.nn.LayerNorm(n, eps=eps, dtype=TORCH_DTYPES[dtype])
            with torch.no_grad():
                ln.weight.copy_(torch.from_numpy(gamma))
                ln.bias.copy_(torch.from_numpy(beta))
                ref = ln(torch.from_numpy(X)).numpy().astype(np.float64)
            Y, _ = forward(X, gamma, beta, eps)
            errors.append(relative_error([Y], [ref]) / (50 * TOL[dtype]))
            count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "relative error of layernorm_forward vs torch.nn.LayerNorm divided by 1e-3 "
        "(float32) or 5e-11 (float64); inputs at scales 0.01 to 30",
    )


@single_threaded
def layernorm_jacobian_and_backward(
    rng: np.random.Generator,
    *,
    jacobian=attention.layernorm_jacobian,
    backward=attention.layernorm_backward,
) -> Figures:
    """Closed-form Jacobian vs ``torch.autograd.functional.jacobian`` of ``F.layer_norm``; J 1 = 0;
    backward (dX, dgamma, dbeta) vs torch autograd; LN(x + c 1) = LN(x) for the drawn eps; with
    eps = 0, LN(a x + c 1) = LN(x) for a > 0, J x = 0 and the bracket I - 11^T/n - x_hat x_hat^T/n
    is an orthogonal projection of rank n - 2; with eps > 0, J x = eps/(sigma^2 + eps) gamma x_hat
    (the torch Jacobian, so scale invariance fails)."""
    errors = []
    for _ in range(6):
        n = int(rng.integers(3, 9))
        eps = float(rng.choice([0.0, 1e-5, 0.5]))
        x = rng.standard_normal(n) * 2 + 1
        gamma, beta = rng.standard_normal(n), rng.standard_normal(n)
        J = jacobian(x, gamma, eps)
        Jt = torch.autograd.functional.jacobian(
            lambda z: F.layer_norm(z, (n,), torch.from_numpy(gamma), None, eps), torch.from_numpy(x)
        ).numpy()
        errors.append(relative_error([J], [Jt]))
        errors.append(float(np.max(np.abs(J @ np.ones(n)))) / float(np.max(np.abs(J))))
        X = rng.standard_normal((2, 3, n))
        dY = rng.standard_normal(X.shape)
        Y, cache = attention.layernorm_forward(X, gamma, beta, eps)
        ours = backward(dY, gamma, cache)
        t = [torch.from_numpy(a).requires_grad_() for a in (X, gamma, beta)]
        ref = F.layer_norm(t[0], (n,), t[1], t[2], eps)
        grads = torch.autograd.grad(ref, t, torch.from_numpy(dY))
        errors.append(relative_error(ours, [g.numpy() for g in grads]))
        a, c = float(rng.uniform(0.1, 10)), float(rng.standard_normal())
        Ye, _ = attention.layernorm_forward(x, gamma, beta, eps)
        Yc, _ = attention.layernorm_forward(x + c, gamma, beta, eps)
        errors.append(relative_error([Yc], [Ye]))  # shift invariance, any eps
        sigma2 = float(np.var(x))
        x_hat = (x - x.mean()) / np.sqrt(sigma2 + eps)
        # J x = eps/(sigma^2 + eps) gamma x_hat (0 at eps = 0), error on the scale of |J| |x|
        errors.append(
            float(np.max(np.abs(Jt @ x - eps / (sigma2 + eps) * gamma * x_hat)))
            / (float(np.max(np.abs(Jt))) * float(np.sum(np.abs(x))))
        )
        Y0, _ = attention.layernorm_forward(x, gamma, beta, 0.0)
        Y1, _ = attention.layernorm_forward(a * x + c, gamma, beta, 0.0)
        errors.append(relative_error([Y1], [Y0]))
        Pi = jacobian(x, np.ones(n), 0.0) * np.std(x)  # the bracket, eps = 0
        errors.append(float(np.max(np.abs(Pi @ Pi - Pi))) + float(np.max(np.abs(Pi - Pi.T))))
        errors.append(abs(np.trace(Pi) - (n - 2)))
    return Figures(
        6,
        nan_max(errors),
        1e-12,
        "Jacobian and backward vs torch autograd (relative), J 1 = 0, shift "
        "invariance, scale invariance and J x = 0 at eps = 0, J x for eps > 0, "
        "projection identities, float64",
    )


CLAIMS = (
    Witness(
        "def-att-layernorm",
        layernorm_matches_torch,
        "layer normalisation equals torch.nn.LayerNorm",
    ),
    Witness(
        "prop-att-layernorm-jacobian",
        layernorm_jacobian_and_backward,
        "the closed-form Jacobian and backward equal torch autograd; J 1 = 0; invariances",
    ),
)
