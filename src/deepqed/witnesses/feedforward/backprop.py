r"""Witnesses of Section "Backpropagation" and "Non-differentiable points": `alg-backprop`,
`thm-backprop`, `prop-backprop-cost`, `prop-relu-ae`, `prop-relu-autodiff`."""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from ... import gradcheck, nn
from ...registry import Figures, Witness
from ._common import (
    ACTIVATION_NAMES,
    SMOOTH,
    TORCH_ACTIVATIONS,
    nan_max,
    random_architecture,
    random_parameters,
    random_targets,
    relative_error,
    single_threaded,
    torch_gradient,
)

LOSSES = ("squared_error", "cross_entropy")


def _instance(rng, i, dtype=np.float64, activations=ACTIVATION_NAMES, **kw):
    """The i-th instance: cycles through activations, both losses, and the three kinds of target."""
    arch = random_architecture(
        rng, activations=activations, must_use=activations[i % len(activations)], **kw
    )
    theta = random_parameters(arch, rng, dtype)
    m = int(rng.integers(1, 33))
    loss = LOSSES[(i // len(activations)) % 2]
    kind = ("onehot", "simplex")[i % 2] if loss == "cross_entropy" else "real"
    X = rng.standard_normal((m, arch.widths[0])).astype(dtype)
    Y = random_targets(rng, m, arch.widths[-1], kind).astype(dtype)
    return arch, theta, X, Y, loss


@single_threaded
def backprop_matches_autograd(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances=210
) -> Figures:
    """``loss_and_gradient`` vs ``torch.autograd.grad`` of an independent torch model, float64."""
    errors = []
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i)
        value, grad = loss_and_gradient(arch, theta, X, Y, loss)
        ref_value, ref = torch_gradient(arch, theta, X, Y, loss)
        errors.append(relative_error(grad.arrays(), ref))
        errors.append(abs(float(value) - ref_value) / max(abs(ref_value), 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-10,
        "relative error ||grad - grad_torch|| / ||grad_torch|| over all W^l, b^l "
        "(and of the loss value), float64; depth 1-6, widths 1-64, m 1-32, 7 "
        "activations, squared error and cross-entropy (one-hot/simplex targets)",
    )


@single_threaded
def backprop_matches_autograd_float32(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances=210
) -> Figures:
    """Float32 ``loss_and_gradient`` vs float64 torch autograd on the same (float32) numbers."""
    # Tolerance: each gradient entry is a sum of m products through L <= 6 layers; rounding in
    # float32 (eps = 6e-8) grows by at most a few hundred in these sizes (observed: < 1e-6), so a
    # relative error of 1e-4 separates rounding from a wrong formula (which gives O(1) errors).
    # An instance where rounding puts a ReLU pre-activation on the other side of 0 (the float32
    # and float64 activation patterns differ) is skipped: the gradient jumps there (`prop-relu-ae`).
    errors = []
    skipped = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, dtype=np.float32)
        if _kink_crossed(arch, theta, X):
            skipped += 1
            continue
        _, grad = loss_and_gradient(arch, theta, X, Y, loss)
        if any(g.dtype != np.float32 for g in grad.arrays()):
            return Figures(instances, math.inf, 1e-4, "a float32 gradient came back in float64")
        _, ref = torch_gradient(arch, theta, X, Y, loss, dtype=torch.float64)
        errors.append(relative_error(grad.arrays(), ref))
    return Figures(
        instances - skipped,
        nan_max(errors),
        1e-4,
        "relative error of float32 backprop vs float64 torch autograd (same inputs); "
        f"{skipped} instance(s) with a float32/float64 ReLU pattern mismatch skipped",
    )


def _kink_crossed(arch, theta, X) -> bool:
    """Do the float32 and float64 forward passes put some Z^l_ij on different sides of 0?"""
    up = theta.map(lambda a: a.astype(np.float64))
    Z32 = nn.forward(arch, theta, X).Z
    Z64 = nn.forward(arch, up, X.astype(np.float64)).Z
    return any(
        not np.array_equal(Z32[l] > 0, Z64[l] > 0)
        for l in range(1, arch.depth + 1)
        if arch.activations[l - 1] in ("relu", "leaky_relu")
    )


@single_threaded
def backprop_matches_central_differences(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances=100, h=1e-5
) -> Figures:
    """<grad L, V> from backprop vs the central difference D_h L(theta)[V], smooth activations."""
    errors = []
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, activations=SMOOTH, width=(1, 16))
        _, grad = loss_and_gradient(arch, theta, X, Y, loss)
        V = gradcheck.random_direction(theta, rng=rng)
        cd = gradcheck.loss_directional_difference(arch, theta, X, Y, V, h, loss)
        ip = gradcheck.inner(grad, V) if _same_shapes(grad, theta) else math.inf
        scale = math.sqrt(gradcheck.inner(grad, grad)) if _same_shapes(grad, theta) else 1.0
        errors.append(abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-6,
        f"|<grad, V> - D_h L[V]| / ||grad|| (||V|| = 1, h = {h}), float64, smooth activations",
    )


def _same_shapes(P, Q) -> bool:
    return [tuple(a.shape) for a in P.arrays()] == [tuple(a.shape) for a in Q.arrays()]


@single_threaded
def backward_sweep_is_a_vjp(
    rng: np.random.Generator, *, backprop=nn.backprop, instances=60
) -> Figures:
    """``backprop`` with an arbitrary upstream G^L vs torch's vector-Jacobian product of A^L."""
    errors = []
    for i in range(instances):
        arch, theta, X, _, _ = _instance(rng, i, width=(1, 24))
        fwd = nn.forward(arch, theta, X)
        G = rng.standard_normal(fwd.output.shape)
        grad = backprop(arch, theta, fwd, G)
        W = [torch.tensor(a, requires_grad=True) for a in theta.W]
        b = [torch.tensor(a, requires_grad=True) for a in theta.b]
        A = torch.tensor(X)
        for Wl, bl, name in zip(W, b, arch.activations):
            A = TORCH_ACTIVATIONS[name](torch.nn.functional.linear(A, Wl, bl))
        params = [p for pair in zip(W, b) for p in pair]
        ref = torch.autograd.grad(A, params, grad_outputs=torch.tensor(G))
        errors.append(relative_error(grad.arrays(), [r.numpy() for r in ref]))
    return Figures(
        instances,
        nan_max(errors),
        1e-10,
        "relative error of the backward sweep vs torch.autograd.grad(A^L, theta, G), "
        "random G, float64",
    )


@single_threaded
def cost_matches_count(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances=40
) -> Figures:
    """Matmul flops counted by FlopCounterMode vs 2F (forward) and 2(2F - m n_1 n_0) (backward)."""
    errors = []
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, width=(1, 32))
        theta_t = theta.map(torch.from_numpy)
        Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
        with FlopCounterMode(display=False) as fc:
            nn.forward(arch, theta_t, Xt)
        forward_flops = fc.get_total_flops()
        with FlopCounterMode(display=False) as fc:
            loss_and_gradient(arch, theta_t, Xt, Yt, loss)
        backward_flops = fc.get_total_flops() - forward_flops
        w, m = arch.widths, X.shape[0]
        F = m * sum(w[l] * w[l - 1] for l in range(1, len(w)))  # multiply-adds, forward
        errors.append(abs(forward_flops / (2 * F) - 1))
        errors.append(abs(backward_flops / (2 * (2 * F - m * w[1] * w[0])) - 1))
        if forward_flops + backward_flops > 3 * forward_flops:
            errors.append(math.inf)
    return Figures(
        instances,
        nan_max(errors),
        0.0,
        "|counted/predicted - 1| for matmul flops of deepqed on torch tensors "
        "(torch.utils.flop_counter, 2 flops per multiply-add), forward and backward",
    )


@single_threaded
def relu_backprop_is_gradient_ae(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances=100
) -> Figures:
    """Backprop vs D_h L[V] for ReLU/leaky ReLU nets at Gaussian theta: no Z^l_ij = 0, and the
    activation pattern at theta +- hV is theta's."""
    errors = []
    used = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(
            rng, i, activations=("relu", "leaky_relu"), width=(3, 24), depth=(2, 5), last="identity"
        )
        fwd = nn.forward(arch, theta, X)
        zeros = sum(int(np.sum(Z == 0)) for Z in fwd.Z[1:])
        pattern = [Z > 0 for Z in fwd.Z[1:-1]]
        V = gradcheck.random_direction(theta, rng=rng)
        h = 1e-6
        for _ in range(20):  # shrink h until theta +- hV have theta's activation pattern
            same = all(
                all(
                    np.array_equal(Z > 0, p)
                    for Z, p in zip(
                        nn.forward(arch, gradcheck.perturb(theta, V, s * h), X).Z[1:-1], pattern
                    )
                )
                for s in (1.0, -1.0)
            )
            if same:
                break
            h /= 4
        if not same:
            continue
        used += 1
        _, grad = loss_and_gradient(arch, theta, X, Y, loss)
        cd = gradcheck.loss_directional_difference(arch, theta, X, Y, V, h, loss)
        scale = math.sqrt(float(sum(np.sum(np.asarray(g) ** 2) for g in grad.arrays())))
        ip = gradcheck.inner(grad, V) if _same_shapes(grad, theta) else math.inf
        errors.append(math.inf if zeros else abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        used,
        nan_max(errors) if errors else math.nan,
        1e-6,
        "|<grad, V> - D_h L[V]| / ||grad|| at Gaussian theta (ReLU, leaky ReLU; "
        "h chosen so the activation pattern at theta +- hV is unchanged; inf if some "
        "Z^l_ij = 0), float64",
    )


@single_threaded
def relu_autodiff_misses_derivative(rng: np.random.Generator, *, backprop=nn.backprop) -> Figures:
    """f(x) = ReLU(x) - ReLU(-x) = x, so f'(0) = 1; backprop with ReLU'(0) = 0 and torch give 0.

    The book's construction: architecture (1, 2, 1; ReLU, id), W^1 = (1, -1)^T, b^1 = 0,
    W^2 = (1, -1), b^2 = 0, m = 1, X = (0), loss ell(a, y) = a, so G^2 = (1); the backward sweep
    returns Delta^1 (as grad b^1, m = 1) and step 3.4 for l = 1 is G^0 = Delta^1 W^1 = 2 ReLU'(0).
    """
    arch = nn.Architecture((1, 2, 1), ("relu", "identity"))
    theta = nn.Parameters(
        (np.array([[1.0], [-1.0]]), np.array([[1.0, -1.0]])), (np.zeros(2), np.zeros(1))
    )
    X = np.zeros((1, 1))
    fwd = nn.forward(arch, theta, X)
    grad = backprop(arch, theta, fwd, np.ones((1, 1)))
    G0 = float((np.asarray(grad.b[0])[None, :] @ theta.W[0])[0, 0])  # G^0 = Delta^1 W^1
    two_c = 2 * float(nn.relu_prime(np.zeros(1))[0])  # 2c with c = ReLU'(0)
    x = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (torch_value,) = torch.autograd.grad(torch.relu(x) - torch.relu(-x), x)
    f = lambda t: nn.forward(arch, theta, t[:, None]).output[:, 0]  # noqa: E731  f_theta
    h = float(rng.uniform(1e-4, 1e-1))
    true_value = float(gradcheck.central_difference(f, np.zeros(1), np.ones(1), h)[0])
    xs = rng.standard_normal(20) * 10
    identity_err = float(np.max(np.abs(f(xs) - xs)))  # f_theta(x) = x
    err = max(
        abs(G0 - 0.0),
        abs(G0 - two_c),
        abs(float(torch_value) - 0.0),
        abs(true_value - 1.0),
        identity_err,
    )
    return Figures(
        1,
        err,
        1e-12,
        "deviation from the claims: G^0 from backprop (claimed 0 = 2 ReLU'(0)), torch "
        "autograd of relu(x) - relu(-x) at 0 (claimed 0), central difference of "
        "f_theta at 0 (claimed 1 = f'(0)), |f_theta(x) - x| at 20 random x",
    )


CLAIMS = (
    Witness(
        "thm-backprop",
        backprop_matches_autograd,
        "backprop vs torch.autograd on 210 random architectures, float64, rel. error",
    ),
    Witness(
        "thm-backprop",
        backprop_matches_autograd_float32,
        "float32 backprop vs float64 torch.autograd, rel. error",
    ),
    Witness(
        "thm-backprop",
        backprop_matches_central_differences,
        "<grad, V> vs central difference D_h L[V], smooth activations",
    ),
    Witness(
        "alg-backprop",
        backprop_matches_autograd,
        "the algorithm's output vs torch.autograd (loss + gradient)",
    ),
    Witness(
        "alg-backprop",
        backward_sweep_is_a_vjp,
        "the backward sweep with random G^L vs torch's vector-Jacobian product",
    ),
    Witness(
        "prop-backprop-cost",
        cost_matches_count,
        "FlopCounterMode matmul flops vs 2F and 2(2F - m n_1 n_0)",
    ),
    Witness(
        "prop-relu-ae",
        relu_backprop_is_gradient_ae,
        "ReLU backprop vs central differences at Gaussian theta, pattern unchanged",
    ),
    Witness(
        "prop-relu-autodiff",
        relu_autodiff_misses_derivative,
        "ReLU(x) - ReLU(-x) = x: backprop (ReLU'(0) = 0) and torch give 0 at 0, f'(0) = 1",
    ),
)
