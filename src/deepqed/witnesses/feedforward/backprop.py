r"""Witnesses of Section "Backpropagation" and "Non-differentiable points": `alg-backprop`,
`thm-backprop`, `prop-backprop-cost`, `prop-relu-ae`, `prop-relu-autodiff`.

Tolerances: the comparisons with torch autograd allow the sum of the first-order rounding bounds of
the two computations (:func:`._common.rounding_bounds`); the comparisons with central differences
allow the truncation error $\frac{h^2}{6}\max_{|t|\le h}|g'''(t)|$ of Proposition `prop-fd-order`
for $g(t) = \mathcal L(\theta + tV)$, with $g'''$ computed by torch autograd at $t = -h, 0, h$ and
doubled (over $[-h, h]$ it changes by a relative $O(h\,|g''''/g'''|)$, far less than a factor
2 at $h = 10^{-5}$), plus the rounding of the two loss values divided by $h$.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode

from ... import gradcheck, nn
from ...registry import Witness
from .._common import Evidence, equal, error, upper
from ._common import (
    ACTIVATION_NAMES,
    KINKED,
    SMOOTH,
    TORCH_ACTIVATIONS,
    UNIT_ROUNDOFF,
    Worst,
    norm,
    random_architecture,
    random_parameters,
    random_targets,
    rounding_bounds,
    single_threaded,
    torch_gradient,
    torch_loss,
)

LOSSES = ("squared_error", "cross_entropy")
U64 = UNIT_ROUNDOFF["float64"]


def _instance(rng, i, dtype=np.float64, activations=ACTIVATION_NAMES, **kw):
    """The i-th instance: cycles through activations, both losses, and the three kinds of target;
    inputs of scale 1 or 10 (saturating sigmoid, tanh and softplus units)."""
    arch = random_architecture(
        rng, activations=activations, must_use=activations[i % len(activations)], **kw
    )
    theta = random_parameters(arch, rng, dtype)
    m = int(rng.integers(1, 33))
    loss = LOSSES[(i // len(activations)) % 2]
    kind = ("onehot", "simplex")[i % 2] if loss == "cross_entropy" else "real"
    X = (rng.standard_normal((m, arch.widths[0])) * (10.0 if i % 3 == 2 else 1.0)).astype(dtype)
    Y = random_targets(rng, m, arch.widths[-1], kind).astype(dtype)
    return arch, theta, X, Y, loss


def _at(arch, m, loss) -> str:
    return f"widths {arch.widths}, {'/'.join(arch.activations)}, m = {m}, {loss}"


@single_threaded
def backprop_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    loss_and_gradient=nn.loss_and_gradient,
    instances: int = 80,
) -> Evidence:
    """``loss_and_gradient`` (in ``dtype``) vs ``torch.autograd.grad`` of an independent torch
    model in float64 on the same numbers; tolerances from the rounding bounds of both."""
    u = UNIT_ROUNDOFF[dtype.name]
    grads, values = Worst(), Worst()
    used = excluded = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, dtype)
        B = rounding_bounds(arch, theta, X, Y, loss, u)
        B64 = B.scaled(U64 / u)
        if B.kink_margin(arch, [B64]) <= 0:  # a ReLU pre-activation within rounding of 0
            excluded += 1
            continue
        used += 1
        value, grad = loss_and_gradient(arch, theta, X, Y, loss)
        ref_value, ref = torch_gradient(arch, theta, X, Y, loss)
        ours = grad.arrays()
        if any(np.asarray(g).dtype != dtype for g in [*ours, value]):
            grads.add(math.inf, 1.0, "a result in the wrong dtype")
            continue
        scale = max(norm(ref), 1e-300)
        diff = [
            np.asarray(g, dtype=np.float64) - r if np.shape(g) == r.shape else np.inf
            for g, r in zip(ours, ref)
        ]
        tol = norm([(e + f).numpy() for e, f in zip(B.e_grad, B64.e_grad)])
        grads.add(norm(diff) / scale, tol / scale, _at(arch, X.shape[0], loss))
        vscale = max(abs(ref_value), 1e-300)
        values.add(
            abs(float(value) - ref_value) / vscale,
            (B.e_value + B64.e_value) / vscale,
            _at(arch, X.shape[0], loss),
        )
    return Evidence(
        used,
        (
            grads.error(
                r"$\|\mathrm d\theta - \mathrm d\theta_{\mathrm{torch}}\| / \|\mathrm d\theta_{\mathrm{torch}}\|$ (all $W^l, b^l$; tolerance: the rounding bounds of both)"
            ),
            values.error(
                r"$|\mathcal L - \mathcal L_{\mathrm{torch}}| / |\mathcal L_{\mathrm{torch}}|$"
            ),
        ),
        note=f"depth 1-6, widths 1-64, m 1-32, 7 activations, squared error and cross-entropy; "
        f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


@single_threaded
def input_gradient_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    backprop=nn.backprop,
    instances: int = 60,
) -> Evidence:
    r"""$G^0 = \Delta^1 W^1$ (step 3.4 for $l = 1$; ``backprop(..., input_gradient=True)``) vs the
    gradient of the objective in the input batch $X$ by ``torch.autograd.grad`` (float64), the
    last claim of Theorem `thm-backprop`."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    used = excluded = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, dtype)
        B = rounding_bounds(arch, theta, X, Y, loss, u)
        B64 = B.scaled(U64 / u)
        if B.kink_margin(arch, [B64]) <= 0:
            excluded += 1
            continue
        used += 1
        fwd = nn.forward(arch, theta, X)
        G = _loss_gradient(fwd.output, Y, loss)  # G^L by deepqed.losses
        _, G0 = backprop(arch, theta, fwd, G, input_gradient=True)
        ref = torch_gradient(arch, theta, X, Y, loss, input_gradient=True)[1][-1]
        if np.shape(G0) != ref.shape or np.asarray(G0).dtype != dtype:
            worst.add(math.inf, 1.0, "wrong shape or dtype")
            continue
        scale = max(float(np.linalg.norm(ref)), 1e-300)
        # G^L here is computed by deepqed.losses in dtype: its error is in B.e_G0 already
        tol = float(torch.linalg.norm(B.e_G0 + B64.e_G0))
        err = float(np.linalg.norm(np.asarray(G0, dtype=np.float64) - ref))
        worst.add(err / scale, tol / scale, _at(arch, X.shape[0], loss))
    return Evidence(
        used,
        (
            worst.error(
                r"$\|G^0 - \nabla_X\mathcal L_{\mathrm{torch}}\| / \|\nabla_X\mathcal L_{\mathrm{torch}}\|$"
            ),
        ),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


def _loss_gradient(A, Y, loss):
    from ... import losses

    f = losses.squared_error_grad if loss == "squared_error" else losses.softmax_cross_entropy_grad
    return f(A, Y)


def _third_derivative(arch, theta, X, Y, loss, V, t: float) -> float:
    r"""$g'''(t)$ for $g(s) = \mathcal L(\theta + sV)$, by torch autograd (float64)."""
    s = torch.tensor(t, dtype=torch.float64, requires_grad=True)
    W = [torch.tensor(a) + s * torch.tensor(v) for a, v in zip(theta.W, V.W)]
    b = [torch.tensor(a) + s * torch.tensor(v) for a, v in zip(theta.b, V.b)]
    g = torch_loss(arch, W, b, torch.tensor(X), torch.tensor(Y), loss)
    for _ in range(3):
        if not g.requires_grad:  # a polynomial of lower degree in s: the rest vanishes
            return 0.0
        (g,) = torch.autograd.grad(g, s, create_graph=True, allow_unused=True)
        if g is None:
            return 0.0
    return float(g.detach())


def _fd_tolerance(arch, theta, X, Y, loss, V, grad, h: float) -> float:
    r"""The bound on $|\langle\mathrm d\theta, V\rangle - D_h\mathcal L(\theta)[V]|$ of the
    module docstring ($\|V\| = 1$): truncation $\frac{h^2}{6}$ times twice the largest
    $|g^{(3)}|$ at $t = -h, 0, h$, the rounding of the two loss values over $2h$ (each within
    ``e_value``) and of the points $\theta\pm hV$, the rounding of the gradient (``e_grad``) and
    of the inner product ($\gamma_P\|\mathrm d\theta\|$)."""
    M3 = 2 * max(abs(_third_derivative(arch, theta, X, Y, loss, V, t)) for t in (-h, 0.0, h))
    B = rounding_bounds(arch, theta, X, Y, loss, U64)
    e_grad = norm([e.numpy() for e in B.e_grad])
    e_inner = 2 * arch.num_parameters * U64 * norm(grad.arrays())
    # theta +- hV are rounded: |delta theta| <= u(|theta| + h|V|), which moves each loss value
    # by <= <|d theta|, u(|theta| + h|V|)> (to first order), divided by h in the quotient
    e_step = (
        sum(
            float(np.sum(np.abs(g) * (np.abs(t) + h * np.abs(v))))
            for g, t, v in zip(grad.arrays(), theta.arrays(), V.arrays())
        )
        * U64
        / h
    )
    return h * h / 6 * M3 + 2 * B.e_value / h + e_grad + e_inner + e_step


@single_threaded
def backprop_matches_central_differences(
    rng: np.random.Generator,
    *,
    loss_and_gradient=nn.loss_and_gradient,
    instances: int = 40,
    h: float = 1e-5,
) -> Evidence:
    r"""$\langle\nabla\mathcal L(\theta), V\rangle$ from backprop vs the central difference
    $D_h\mathcal L(\theta)[V]$ along a random unit $V$ (smooth activations), no torch in the
    compared values; the tolerance is the truncation and rounding bound of the module docstring."""
    worst = Worst()
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, activations=SMOOTH, width=(1, 16))
        _, grad = loss_and_gradient(arch, theta, X, Y, loss)
        V = gradcheck.random_direction(theta, rng=rng)
        cd = gradcheck.loss_directional_difference(arch, theta, X, Y, V, h, loss)
        try:
            ip = gradcheck.inner(grad, V)
        except (TypeError, ValueError):  # a gradient of the wrong shape
            worst.add(math.inf, 1.0, "wrong shapes")
            continue
        tol = _fd_tolerance(arch, theta, X, Y, loss, V, grad, h)
        worst.add(abs(ip - cd), tol, _at(arch, X.shape[0], loss))
    return Evidence(
        instances,
        (
            worst.error(
                rf"$|\langle\nabla\mathcal L, V\rangle - D_h\mathcal L[V]|$, $\|V\| = 1$, $h = {h:g}$",
                units="absolute error",
            ),
        ),
        note="float64, smooth activations; tolerance (h^2/6) max|g'''| + rounding",
    )


@single_threaded
def backward_sweep_is_a_vjp(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    backprop=nn.backprop,
    instances: int = 60,
) -> Evidence:
    """``backprop`` with an arbitrary upstream G^L vs torch's vector-Jacobian product of A^L."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    used = excluded = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, dtype, width=(1, 24))
        G = rng.standard_normal((X.shape[0], arch.widths[-1])).astype(dtype)
        B = rounding_bounds(arch, theta, X, Y, loss, u, G=G)
        B64 = B.scaled(U64 / u)
        if B.kink_margin(arch, [B64]) <= 0:
            excluded += 1
            continue
        used += 1
        fwd = nn.forward(arch, theta, X)
        grad = backprop(arch, theta, fwd, G)
        W = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in theta.W]
        b = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in theta.b]
        A = torch.tensor(X, dtype=torch.float64)
        for Wl, bl, name in zip(W, b, arch.activations):
            A = TORCH_ACTIVATIONS[name](torch.nn.functional.linear(A, Wl, bl))
        params = [p for pair in zip(W, b) for p in pair]
        ref = [
            r.numpy()
            for r in torch.autograd.grad(
                A, params, grad_outputs=torch.tensor(G, dtype=torch.float64)
            )
        ]
        scale = max(norm(ref), 1e-300)
        try:
            diff = [np.asarray(g, dtype=np.float64) - r for g, r in zip(grad.arrays(), ref)]
        except ValueError:
            worst.add(math.inf, 1.0, "wrong shapes")
            continue
        tol = norm([(e + f).numpy() for e, f in zip(B.e_grad, B64.e_grad)])
        worst.add(norm(diff) / scale, tol / scale, _at(arch, X.shape[0], "random G^L"))
    return Evidence(
        used,
        (
            worst.error(
                r"$\|\mathrm d\theta - J^\top G\| / \|J^\top G\|$, random $G^L$ (torch.autograd.grad of $A^L$)"
            ),
        ),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


def _cost_bound() -> float:
    """The constant of the proposition: gradient and loss cost at most 3 forward passes."""
    return 3.0


def _counted_flops(arch, theta, X, Y, loss, loss_and_gradient) -> tuple[int, int]:
    """Matmul flops of the forward pass and of the rest of ``loss_and_gradient`` (torch tensors)."""
    theta_t = theta.map(torch.from_numpy)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    with FlopCounterMode(display=False) as fc:
        nn.forward(arch, theta_t, Xt)
    forward_flops = fc.get_total_flops()
    with FlopCounterMode(display=False) as fc:
        loss_and_gradient(arch, theta_t, Xt, Yt, loss)
    return forward_flops, fc.get_total_flops() - forward_flops


@single_threaded
def cost_matches_count(
    rng: np.random.Generator,
    *,
    loss_and_gradient=nn.loss_and_gradient,
    bound=_cost_bound,
    instances: int = 12,
) -> Evidence:
    """Matmul flops counted by FlopCounterMode vs 2F (forward) and 2(2F - m n_1 n_0) (backward);
    the total over the forward pass at most 3, approached for n_0 = 1 and wide hidden layers."""
    fwd_worst = bwd_worst = (0.0, 0.0, "")
    ratio_worst = (0.0, "")
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(rng, i, width=(1, 32))
        forward_flops, backward_flops = _counted_flops(arch, theta, X, Y, loss, loss_and_gradient)
        if forward_flops and (forward_flops + backward_flops) / forward_flops > ratio_worst[0]:
            ratio_worst = (
                (forward_flops + backward_flops) / forward_flops,
                _at(arch, X.shape[0], loss),
            )
        w, m = arch.widths, X.shape[0]
        F = m * sum(w[l] * w[l - 1] for l in range(1, len(w)))  # multiply-adds, forward
        at = _at(arch, m, loss)
        if abs(forward_flops - 2 * F) >= abs(fwd_worst[0] - fwd_worst[1]):
            fwd_worst = (forward_flops, 2 * F, at)
        predicted = 2 * (2 * F - m * w[1] * w[0])
        if abs(backward_flops - predicted) >= abs(bwd_worst[0] - bwd_worst[1]):
            bwd_worst = (backward_flops, predicted, at)
    # approaching 3: n_0 = 1, three wide hidden layers
    wide = nn.Architecture((1, 4, 512, 512, 1), ("tanh", "tanh", "tanh", "identity"))
    theta = random_parameters(wide, rng)
    X, Y = rng.standard_normal((2, 1)), rng.standard_normal((2, 1))
    f, b = _counted_flops(wide, theta, X, Y, "squared_error", loss_and_gradient)
    return Evidence(
        instances + 1,
        (
            upper(
                "matmul flops of loss and gradient / forward pass",
                ratio_worst[0],
                bound(),
                units="ratio",
                at=ratio_worst[1],
            ),
            equal(
                "... for widths (1, 4, 512, 512, 1): $3 - n_1n_0/\\sum_l n_ln_{l-1}$, near 3",
                (f + b) / f,
                bound(),
                1e-4 * bound(),
                attains=True,
                units="ratio",
            ),
            equal(
                "matmul flops of the forward pass vs $2F$",
                fwd_worst[0],
                fwd_worst[1],
                0,
                units="flops",
                at=fwd_worst[2],
            ),
            equal(
                "matmul flops of the backward sweep vs $2(2F - mn_1n_0)$",
                bwd_worst[0],
                bwd_worst[1],
                0,
                units="flops",
                at=bwd_worst[2],
            ),
        ),
        note="deepqed on torch tensors, counted by torch.utils.flop_counter (2 flops per "
        "multiply-add); the instance with the largest deviation is shown",
    )


@single_threaded
def relu_backprop_is_gradient_ae(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient, instances: int = 50
) -> Evidence:
    """Backprop vs D_h L[V] for ReLU/leaky ReLU nets at Gaussian theta (a law with a density): no
    Z^l_ij = 0, and the step h shrunk until the activation pattern at theta +- hV is theta's, so
    that g(t) = L(theta + tV) is smooth on [-h, h] (part 2 of the proposition)."""
    worst = Worst()
    used = zeros = 0
    for i in range(instances):
        arch, theta, X, Y, loss = _instance(
            rng, i, activations=KINKED, width=(3, 24), depth=(2, 5), last="identity"
        )
        fwd = nn.forward(arch, theta, X)
        zeros += sum(int(np.sum(Z == 0)) for Z in fwd.Z[1:])
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
        try:
            ip = gradcheck.inner(grad, V)
        except (TypeError, ValueError):
            worst.add(math.inf, 1.0, "wrong shapes")
            continue
        tol = _fd_tolerance(arch, theta, X, Y, loss, V, grad, h)
        worst.add(abs(ip - cd), tol, _at(arch, X.shape[0], loss) + f", h = {h:.1e}")
    return Evidence(
        used,
        (
            worst.error(
                r"$|\langle\nabla\mathcal L, V\rangle - D_h\mathcal L[V]|$ at Gaussian $\theta$ (ReLU, leaky ReLU)",
                units="absolute error",
            ),
            equal(
                "pre-activations $Z^l_{ij}$ equal to 0 at Gaussian $\\theta$",
                zeros,
                0,
                0,
                units="entries",
            ),
        ),
        note="h chosen so that the activation pattern at theta +- hV is theta's; float64",
    )


@single_threaded
def relu_autodiff_misses_derivative(rng: np.random.Generator, *, backprop=nn.backprop) -> Evidence:
    """f(x) = ReLU(x) - ReLU(-x) = x, so f'(0) = 1; backprop with ReLU'(0) = 0 and torch give 0.

    The book's construction: architecture (1, 2, 1; ReLU, id), W^1 = (1, -1)^T, b^1 = 0,
    W^2 = (1, -1), b^2 = 0, m = 1, X = (0), loss ell(a, y) = a, so G^2 = (1); the backward sweep
    with step 3.4 carried out for l = 1 returns G^0 = Delta^1 W^1 = 2 ReLU'(0).
    """
    arch = nn.Architecture((1, 2, 1), ("relu", "identity"))
    theta = nn.Parameters(
        (np.array([[1.0], [-1.0]]), np.array([[1.0, -1.0]])), (np.zeros(2), np.zeros(1))
    )
    X = np.zeros((1, 1))
    fwd = nn.forward(arch, theta, X)
    _, G0 = backprop(arch, theta, fwd, np.ones((1, 1)), input_gradient=True)
    G0 = float(np.asarray(G0)[0, 0])
    c = float(nn.relu_prime(np.zeros(1))[0])  # the convention ReLU'(0)
    x = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (torch_value,) = torch.autograd.grad(torch.relu(x) - torch.relu(-x), x)
    f = lambda t: nn.forward(arch, theta, t[:, None]).output[:, 0]  # noqa: E731  f_theta
    h = float(rng.uniform(1e-4, 1e-1))
    true_value = float(gradcheck.central_difference(f, np.zeros(1), np.ones(1), h)[0])
    xs = rng.standard_normal(20) * 10
    identity_err = float(np.max(np.abs(f(xs) - xs)))  # f_theta(x) = x, exactly in floating point
    return Evidence(
        1 + len(xs),
        (
            equal("$G^0$ from backpropagation at $x = 0$ (claimed $2c$)", G0, 2 * c, 0),
            equal("the convention $c = \\mathrm{ReLU}'(0)$", c, 0.0, 0),
            equal(
                "torch autograd of relu(x) - relu(-x) at 0 (claimed 0)", float(torch_value), 0.0, 0
            ),
            equal(
                "central difference of $f_\\theta$ at 0 (claimed $f'(0) = 1$)",
                true_value,
                1.0,
                2 * U64,
                units="",
                at=f"h = {h:.3g}",
            ),
            error(
                "$\\max|f_\\theta(x) - x|$ at 20 random $x$",
                identity_err,
                0.0,
                units="absolute error",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-backprop",
        backprop_matches_autograd,
        "backprop vs torch.autograd on random architectures, within the rounding bounds",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-backprop",
        input_gradient_matches_autograd,
        "G^0 = Delta^1 W^1 vs torch's gradient in the input batch",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-backprop",
        backprop_matches_central_differences,
        "<grad, V> vs central difference D_h L[V], smooth activations",
        strength="exact",
    ),
    Witness(
        "alg-backprop",
        backprop_matches_autograd,
        "the algorithm's output vs torch.autograd (loss + gradient)",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "alg-backprop",
        backward_sweep_is_a_vjp,
        "the backward sweep with random G^L vs torch's vector-Jacobian product",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-backprop-cost",
        cost_matches_count,
        "FlopCounterMode matmul flops vs 2F and 2(2F - m n_1 n_0); the factor 3, approached",
        strength="sharp",
    ),
    Witness(
        "prop-relu-ae",
        relu_backprop_is_gradient_ae,
        "ReLU backprop vs central differences at Gaussian theta, pattern unchanged",
        strength="exact",
    ),
    Witness(
        "prop-relu-autodiff",
        relu_autodiff_misses_derivative,
        "ReLU(x) - ReLU(-x) = x: backprop (ReLU'(0) = 0) and torch give 0 at 0, f'(0) = 1",
        strength="exact",
    ),
)
