r"""Witnesses of Section "Layer normalisation": `def-att-layernorm`, `prop-att-layernorm-jacobian`.

Rounding: layer normalisation of a row of $n$ entries has depth about $2n + 8$ (a mean, a variance,
a division); inputs with a common offset $c$ and spread $\sigma$ lose a further factor
$(|c| + \sigma)/\sigma$ in the centring (:func:`amplification`), which the reference's
sensitivity to its inputs does not show (LN is invariant under common offsets), so
:func:`alg_tolerance` adds it."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ... import attention
from ...registry import Witness
from .._common import Evidence
from ._common import (
    as64,
    reference_tolerance,
    relative_error,
    single_threaded,
    unit_roundoff,
    worst_error,
)

U64 = unit_roundoff(np.float64)


def amplification(X: np.ndarray, eps: float) -> float:
    """The largest $\\max|x|/s$ over the rows: how much the centring's rounding grows in
    $\\hat x$."""
    X = np.asarray(X, dtype=np.float64)
    Xc = X - X.mean(axis=-1, keepdims=True)
    s = np.sqrt(np.mean(Xc * Xc, axis=-1) + eps)
    return float(np.max(np.max(np.abs(X), axis=-1) / np.where(s > 0, s, np.inf)))


def alg_tolerance(X, gamma, eps, expected, dtype) -> float:
    """$4(2n + 8)uA\\|\\gamma\\|_\\infty\\sqrt{N}/\\|Y\\|$ for $N$ entries, with $A$ the
    :func:`amplification` of the rows."""
    n = X.shape[-1]
    norm = max(float(np.linalg.norm(expected)), 1e-300)
    gain = float(np.max(np.abs(gamma))) * float(np.sqrt(X.size)) / norm
    return 4 * (2 * n + 8) * unit_roundoff(dtype) * amplification(X, eps) * gain


@single_threaded
def layernorm_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype, forward=attention.layernorm_forward
) -> Evidence:
    """Forward against ``torch.nn.LayerNorm`` in float64 with copied $\\gamma$, $\\beta$ and
    $\\varepsilon\\in\\{0, 10^{-5}, 0.1\\}$, on inputs of spread 0.01 to 30 with random offsets."""
    records = []
    for _ in range(8):
        shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
        n = shape[-1] + 1
        X = (
            rng.standard_normal(shape[:-1] + (n,)) * rng.choice([0.01, 1.0, 30.0])
            + rng.standard_normal()
        ).astype(dtype)
        gamma, beta = (rng.standard_normal(n).astype(dtype) for _ in range(2))
        eps = float(rng.choice([0.0, 1e-5, 0.1]))

        def ref(a, eps=eps, n=n):
            with torch.no_grad():
                return F.layer_norm(*as64(a[0]), (n,), *as64(a[1], a[2]), eps).numpy()

        Y, _ = forward(X, gamma, beta, eps)
        tol = reference_tolerance(ref, (X, gamma, beta), 2 * n + 8, dtype, rng)
        expected = ref((X, gamma, beta))
        # centring a row whose offset is large against its spread: the rounding of x - mu is
        # (n + 2)u max|x| absolute, amplified by 1/s in x_hat, which the reference's sensitivity
        # to its inputs does not show (for n = 2, LN does not depend on x at all)
        tol += alg_tolerance(X, gamma, eps, expected, dtype)
        records.append((relative_error(Y, expected), tol, f"shape {X.shape}, eps = {eps:g}"))
    return Evidence(8, (worst_error("LN against torch.nn.LayerNorm (float64)", records),))


@single_threaded
def layernorm_jacobian_and_backward(
    rng: np.random.Generator,
    *,
    jacobian=attention.layernorm_jacobian,
    backward=attention.layernorm_backward,
) -> Evidence:
    """Part 1: the closed-form Jacobian against ``torch.autograd.functional.jacobian`` of
    ``F.layer_norm``. Part 2: $J\\mathbf 1 = 0$ and $\\operatorname{LN}(x + c\\mathbf 1) =
    \\operatorname{LN}(x)$ for every $\\varepsilon$. Part 3 ($\\varepsilon = 0$):
    $\\operatorname{LN}(ax + c\\mathbf 1) = \\operatorname{LN}(x)$ for $a > 0$, $Jx = 0$, and the
    bracket $\\Pi_x$ symmetric, idempotent, of trace $n - 2$; for $\\varepsilon > 0$ instead
    $Jx = \\frac{\\varepsilon}{\\sigma^2+\\varepsilon}\\gamma\\odot\\hat x$ (torch's Jacobian). Part
    4: the backward $(\\mathrm dX, \\mathrm d\\gamma, \\mathrm d\\beta)$ against torch autograd.
    Float64; each identity's tolerance is $4Nu$ times its terms' scale."""
    jac, ones, shift, scale_inv, Jx, proj, back = [], [], [], [], [], [], []
    for _ in range(8):
        n = int(rng.integers(3, 9))
        eps = float(rng.choice([0.0, 1e-5, 0.5]))
        x = rng.standard_normal(n) * 2 + 1
        gamma, beta = rng.standard_normal(n), rng.standard_normal(n)
        at = f"n = {n}, eps = {eps:g}"
        N = 2 * n + 8
        J = jacobian(x, gamma, eps)
        Jt = torch.autograd.functional.jacobian(
            lambda z: F.layer_norm(z, (n,), torch.from_numpy(gamma), None, eps), torch.from_numpy(x)
        ).numpy()
        sigma2 = float(np.var(x))
        s = np.sqrt(sigma2 + eps)
        scale_J = float(np.max(np.abs(gamma))) / s  # the size of J's entries
        jac.append((relative_error(J, Jt), 4 * N * U64 * scale_J * n / np.linalg.norm(Jt), at))
        ones.append((float(np.max(np.abs(J @ np.ones(n)))), 4 * N * U64 * scale_J * n, at))
        c = float(rng.standard_normal())
        Ye, _ = attention.layernorm_forward(x, gamma, beta, eps)
        Yc, _ = attention.layernorm_forward(x + c, gamma, beta, eps)
        offset = (np.max(np.abs(x)) + abs(c)) / s  # rounding of x + c, relative to the spread
        y_scale = float(np.linalg.norm(gamma)) + float(np.linalg.norm(beta))
        shift.append((float(np.linalg.norm(Yc - Ye)), 4 * N * U64 * offset * y_scale, at))
        x_hat = (x - x.mean()) / s
        expected = eps / (sigma2 + eps) * gamma * x_hat
        Jx.append(
            (
                float(np.max(np.abs(Jt @ x - expected))),
                4 * N * U64 * scale_J * float(np.sum(np.abs(x))),
                at,
            )
        )
        a = float(rng.uniform(0.1, 10))
        Y0, _ = attention.layernorm_forward(x, gamma, beta, 0.0)
        Y1, _ = attention.layernorm_forward(a * x + c, gamma, beta, 0.0)
        scale_inv.append((float(np.linalg.norm(Y1 - Y0)), 4 * N * U64 * (offset + a) * y_scale, at))
        Pi = jacobian(x, np.ones(n), 0.0) * np.std(x)  # the bracket, eps = 0
        proj.append(
            (
                float(np.max(np.abs(Pi @ Pi - Pi)))
                + float(np.max(np.abs(Pi - Pi.T)))
                + abs(np.trace(Pi) - (n - 2)),
                4 * N * n * U64,
                at,
            )
        )
        X = rng.standard_normal((2, 3, n))
        dY = rng.standard_normal(X.shape)
        _, cache = attention.layernorm_forward(X, gamma, beta, eps)
        ours = backward(dY, gamma, cache)
        t = [torch.from_numpy(a).requires_grad_() for a in (X, gamma, beta)]
        grads = torch.autograd.grad(
            F.layer_norm(t[0], (n,), t[1], t[2], eps), t, torch.from_numpy(dY)
        )
        ref = [g.numpy() for g in grads]

        def backward_ref(arrs, n=n, eps=eps):
            tt = [torch.tensor(v, requires_grad=True) for v in arrs[:3]]
            out = F.layer_norm(tt[0], (n,), tt[1], tt[2], eps)
            return [g.numpy() for g in torch.autograd.grad(out, tt, torch.from_numpy(arrs[3]))]

        tol = reference_tolerance(backward_ref, (X, gamma, beta, dY), 2 * N, np.float64, rng)
        back.append((relative_error(list(ours), ref), tol, at))
    return Evidence(
        8,
        (
            worst_error("closed-form $J_{\\mathrm{LN}}$ against torch's Jacobian", jac),
            worst_error("$\\|J\\mathbf 1\\|_\\infty$", ones, units="absolute"),
            worst_error(
                "$\\|\\operatorname{LN}(x + c\\mathbf 1) - \\operatorname{LN}(x)\\|$",
                shift,
                units="absolute",
            ),
            worst_error(
                "$\\|Jx - \\frac{\\varepsilon}{\\sigma^2+\\varepsilon}\\gamma\\odot\\hat x\\|_\\infty$ (0 when $\\varepsilon = 0$)",
                Jx,
                units="absolute",
            ),
            worst_error(
                "$\\|\\operatorname{LN}(ax + c\\mathbf 1) - \\operatorname{LN}(x)\\|$ at $\\varepsilon = 0$",
                scale_inv,
                units="absolute",
            ),
            worst_error(
                "$\\Pi_x$: $|\\Pi^2 - \\Pi| + |\\Pi - \\Pi^\\top| + |\\operatorname{tr}\\Pi - (n-2)|$ at $\\varepsilon = 0$",
                proj,
                units="absolute",
            ),
            worst_error(
                "$(\\mathrm dX, \\mathrm d\\gamma, \\mathrm d\\beta)$ against autograd of F.layer_norm",
                back,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-att-layernorm",
        layernorm_matches_torch,
        "layer normalisation equals torch.nn.LayerNorm",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-att-layernorm-jacobian",
        layernorm_jacobian_and_backward,
        "the closed-form Jacobian and backward equal torch autograd; J 1 = 0; invariances; "
        "the projection at eps = 0 and J x at eps > 0",
        strength="exact",
    ),
)
