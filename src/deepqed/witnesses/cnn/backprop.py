r"""Witnesses of Sections "Backpropagation through a convolution" and "The whole network":
`thm-cnn-conv-backward`, `prop-cnn-counts`, `def-cnn-architecture`, `alg-cnn-backprop`,
`thm-cnn-backprop`.

The torch model below is written independently with ``torch.nn.functional`` from the definitions."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from ... import cnn
from ...registry import Figures, Witness
from ._common import (
    TOL,
    conv_kwargs,
    nan_max,
    random_conv,
    rel,
    relative_error,
    single_threaded,
    torch_conv_grads,
)


def _conv_backward_vs_torch(rng, forward, backward, instances, dtype) -> Figures:
    errors = []
    for _ in range(instances):
        P = random_conv(rng, dtype)
        Z, cache = forward(P["X"], P["W"], P["b"], **conv_kwargs(P))
        G = rng.standard_normal(Z.shape).astype(dtype)
        grads = backward(G, P["W"], cache)
        _, *ref = torch_conv_grads(P, G)
        if any(np.asarray(g).dtype != dtype for g in grads):
            return Figures(instances, math.inf, 1.0, "a gradient came back in the wrong dtype")
        errors.append(relative_error(grads, ref))
    name = np.dtype(dtype).name
    return Figures(
        instances,
        nan_max(errors),
        TOL[name],
        f"relative error of (dX, dW, db) ({name}) vs torch.autograd.grad (float64, "
        "same numbers); random stride/padding (zero, circular)/dilation",
    )


@single_threaded
def conv_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    forward=cnn.conv2d_forward,
    backward=cnn.conv2d_backward,
    instances: int = 100,
) -> Figures:
    """(dX, dW, db) of ``conv2d_backward`` vs ``torch.autograd.grad`` of ``<F.conv2d(X, W, b), G>``,
    float64."""
    return _conv_backward_vs_torch(rng, forward, backward, instances, np.float64)


@single_threaded
def conv_backward_matches_autograd_float32(
    rng: np.random.Generator,
    *,
    forward=cnn.conv2d_forward,
    backward=cnn.conv2d_backward,
    instances: int = 100,
) -> Figures:
    """Float32 (dX, dW, db) vs float64 torch autograd on the same float32 numbers."""
    return _conv_backward_vs_torch(rng, forward, backward, instances, np.float32)


def conv_backward_central_differences(
    rng: np.random.Generator,
    *,
    forward=cnn.conv2d_forward,
    backward=cnn.conv2d_backward,
    instances: int = 100,
    h: float = 1e-4,
) -> Figures:
    """<(dX, dW, db), V> vs the central difference of phi(X, W, b) = <K_W(X) + b, G> along a
    random unit direction V = (V_X, V_W, V_b); no torch. phi is a polynomial of degree 2, so the
    central difference is exact up to rounding."""
    errors = []
    for _ in range(instances):
        P = random_conv(rng)
        kw_ = conv_kwargs(P)
        Z, cache = forward(P["X"], P["W"], P["b"], **kw_)
        G = rng.standard_normal(Z.shape)
        V = [rng.standard_normal(P[k].shape) for k in ("X", "W", "b")]
        norm = math.sqrt(sum(float(np.sum(v * v)) for v in V))
        V = [v / norm for v in V]

        def phi(t):
            return float(
                np.sum(
                    cnn.conv2d(P["X"] + t * V[0], P["W"] + t * V[1], P["b"] + t * V[2], **kw_) * G
                )
            )

        cd = (phi(h) - phi(-h)) / (2 * h)
        grads = backward(G, P["W"], cache)
        if [np.shape(g) for g in grads] != [v.shape for v in V]:
            errors.append(math.inf)
            continue
        ip = sum(float(np.sum(g * v)) for g, v in zip(grads, V))
        scale = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
        errors.append(abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-8,
        f"abs(<grad, V> - central difference) / ||grad||, h = {h}, ||V|| = 1, "
        "float64, random geometry",
    )


# --- counts -------------------------------------------------------------------------------------
@single_threaded
def conv_counts_match_flop_counter(
    rng: np.random.Generator, *, counts=cnn.conv2d_counts, instances: int = 12
) -> Figures:
    """Multiply-adds of ``conv2d_counts`` vs torch's ``FlopCounterMode`` (which counts 2 flops per
    multiply-add) on F.conv2d forward and backward (with and without the input gradient), and
    the parameter count vs the sizes of W and b of ``torch.nn.Conv2d``."""
    bad = 0
    for i in range(instances):
        P = random_conv(rng, modes=("zeros",))
        need_dX = bool(i % 2)
        N, C_in, H, W = P["X"].shape
        C_out, _, kh, kw = P["W"].shape
        c = counts(
            N,
            C_in,
            C_out,
            H,
            W,
            (kh, kw),
            stride=P["stride"],
            padding=P["padding"],
            dilation=P["dilation"],
            need_dX=need_dX,
        )
        X = torch.tensor(P["X"], requires_grad=need_dX)
        Wt = torch.tensor(P["W"], requires_grad=True)
        with FlopCounterMode(display=False) as fwd:
            Z = F.conv2d(X, Wt, stride=P["stride"], padding=P["padding"], dilation=P["dilation"])
        with FlopCounterMode(display=False) as bwd:
            Z.backward(torch.ones_like(Z))
        layer = torch.nn.Conv2d(C_in, C_out, (kh, kw))
        n_params = sum(p.numel() for p in layer.parameters())
        bad += (
            (2 * c["forward"] != fwd.get_total_flops())
            + (2 * c["backward"] != bwd.get_total_flops())
            + (c["parameters"] != n_params)
        )
    return Figures(
        instances,
        float(bad),
        0.0,
        "number of mismatches of (forward, backward, parameters) with "
        "FlopCounterMode / 2 and torch.nn.Conv2d's parameter count",
    )


@single_threaded
def cnn_counts_match_flop_counter(
    rng: np.random.Generator, *, counts=cnn.cnn_counts, instances: int = 20
) -> Figures:
    """Whole-network counts of ``cnn_counts`` vs ``FlopCounterMode`` on the independent torch
    model (input without ``requires_grad``, as in the algorithm), and the parameter count vs
    the torch parameters' sizes."""
    bad = 0
    for _ in range(instances):
        arch = _random_arch(rng)
        N = int(rng.integers(1, 9))
        theta = cnn.init_cnn_parameters(arch, rng=rng)
        X = rng.standard_normal((N, arch.in_channels, arch.image_size, arch.image_size))
        Y = np.eye(arch.classes)[rng.integers(arch.classes, size=N)]
        params = [torch.tensor(a, requires_grad=True) for a in theta.arrays()]
        with FlopCounterMode(display=False) as fwd:
            loss = torch_cnn_loss(arch, params, torch.tensor(X), torch.tensor(Y))
        with FlopCounterMode(display=False) as bwd:
            loss.backward()
        c = counts(arch, N)
        bad += (
            (2 * c["forward"] != fwd.get_total_flops())
            + (2 * c["backward"] != bwd.get_total_flops())
            + (c["parameters"] != sum(p.numel() for p in params))
        )
    return Figures(
        instances,
        float(bad),
        0.0,
        "number of mismatches of the CNN's (forward, backward, parameters) counts "
        "with FlopCounterMode / 2 and the torch parameters",
    )


# --- the whole network --------------------------------------------------------------------------
def _random_arch(rng) -> cnn.CNNArchitecture:
    while True:
        k = int(rng.integers(1, 4))
        p = int(rng.integers(0, 2))
        q = int(rng.integers(1, 3))
        n = int(rng.integers(4, 11))
        try:
            return cnn.CNNArchitecture(
                in_channels=int(rng.integers(1, 3)),
                image_size=n,
                channels=(int(rng.integers(1, 5)), int(rng.integers(1, 5))),
                kernel_size=k,
                padding=p,
                pool=q,
                classes=int(rng.integers(2, 6)),
            )
        except ValueError:
            continue


def torch_cnn_logits(arch: cnn.CNNArchitecture, params, X: torch.Tensor) -> torch.Tensor:
    """The network of the definition, written with torch.nn.functional."""
    W1, b1, W2, b2, W3, b3 = params
    A = F.max_pool2d(F.relu(F.conv2d(X, W1, b1, padding=arch.padding)), arch.pool)
    A = F.max_pool2d(F.relu(F.conv2d(A, W2, b2, padding=arch.padding)), arch.pool)
    return F.linear(torch.flatten(A, 1), W3, b3)


def torch_cnn_loss(arch, params, X, Y) -> torch.Tensor:
    return -(Y * F.log_softmax(torch_cnn_logits(arch, params, X), dim=1)).sum() / X.shape[0]


def _cnn_instance(rng, dtype=np.float64):
    arch = _random_arch(rng)
    theta = cnn.init_cnn_parameters(arch, rng=rng, dtype=np.float64)
    theta = cnn.CNNParameters(
        *(a if a.ndim > 1 else 0.1 * rng.standard_normal(a.shape) for a in theta.arrays())
    ).map(lambda a: a.astype(dtype))
    N = int(rng.integers(1, 9))
    X = rng.standard_normal((N, arch.in_channels, arch.image_size, arch.image_size)).astype(dtype)
    Y = np.eye(arch.classes, dtype=dtype)[rng.integers(arch.classes, size=N)]
    return arch, theta, X, Y


@single_threaded
def cnn_forward_matches_torch(
    rng: np.random.Generator, *, forward=cnn.cnn_forward, instances: int = 60
) -> Figures:
    """The logits Z^3 of ``cnn_forward`` vs the independent torch model, float64."""
    errors = []
    for _ in range(instances):
        arch, theta, X, _ = _cnn_instance(rng)
        ref = torch_cnn_logits(arch, [torch.tensor(a) for a in theta.arrays()], torch.tensor(X))
        errors.append(rel(forward(arch, theta, X).output, ref.numpy()))
    return Figures(
        instances,
        nan_max(errors),
        TOL["float64"],
        "relative error of the logits vs a torch.nn.functional model with the same "
        "weights, float64, random architectures",
    )


def _cnn_grad_vs_torch(rng, loss_and_gradient, instances, dtype) -> Figures:
    errors = []
    for _ in range(instances):
        arch, theta, X, Y = _cnn_instance(rng, dtype)
        value, grad = loss_and_gradient(arch, theta, X, Y)
        params = [torch.tensor(a.astype(np.float64), requires_grad=True) for a in theta.arrays()]
        loss = torch_cnn_loss(
            arch, params, torch.tensor(X.astype(np.float64)), torch.tensor(Y.astype(np.float64))
        )
        ref = [g.numpy() for g in torch.autograd.grad(loss, params)]
        if any(g.dtype != dtype for g in grad.arrays()):
            return Figures(instances, math.inf, 1.0, "a gradient came back in the wrong dtype")
        errors.append(relative_error(grad.arrays(), ref))
        errors.append(abs(value - float(loss.detach())) / abs(float(loss.detach())))
    name = np.dtype(dtype).name
    return Figures(
        instances,
        nan_max(errors),
        {"float64": 1e-10, "float32": 1e-4}[name],
        f"relative error of the CNN's gradient (all six arrays) and loss ({name}) vs "
        "torch autograd of an independent torch model (float64), random architectures",
    )


@single_threaded
def cnn_gradient_matches_autograd(
    rng: np.random.Generator, *, loss_and_gradient=cnn.cnn_loss_and_gradient, instances: int = 60
) -> Figures:
    """``cnn_loss_and_gradient`` vs torch autograd on the independent torch model, float64."""
    return _cnn_grad_vs_torch(rng, loss_and_gradient, instances, np.float64)


@single_threaded
def cnn_gradient_matches_autograd_float32(
    rng: np.random.Generator, *, loss_and_gradient=cnn.cnn_loss_and_gradient, instances: int = 60
) -> Figures:
    """Float32 ``cnn_loss_and_gradient`` vs float64 torch autograd on the same numbers (a float32
    rounding may flip a ReLU or a max near a tie; tolerance 1e-4 covers the observed cases)."""
    return _cnn_grad_vs_torch(rng, loss_and_gradient, instances, np.float32)


def cnn_gradient_central_differences(
    rng: np.random.Generator,
    *,
    loss_and_gradient=cnn.cnn_loss_and_gradient,
    instances: int = 40,
    h: float = 1e-6,
) -> Figures:
    """<grad L, V> vs the central difference (L(theta + hV) - L(theta - hV))/(2h) along a random
    unit direction V, float64, tiny random networks; no torch."""
    errors = []
    for _ in range(instances):
        arch, theta, X, Y = _cnn_instance(rng)
        _, grad = loss_and_gradient(arch, theta, X, Y)
        V = theta.map(lambda a: rng.standard_normal(a.shape))
        norm = math.sqrt(sum(float(np.sum(v * v)) for v in V.arrays()))
        V = V.map(lambda a: a / norm)

        def L(t):
            th = cnn.CNNParameters.zip_map(lambda a, v: a + t * v, theta, V)
            return float(cnn.cnn_loss_and_gradient(arch, th, X, Y)[0])

        cd = (L(h) - L(-h)) / (2 * h)
        ip = sum(float(np.sum(g * v)) for g, v in zip(grad.arrays(), V.arrays()))
        scale = math.sqrt(sum(float(np.sum(g * g)) for g in grad.arrays()))
        errors.append(abs(ip - cd) / max(scale, 1e-300))
    return Figures(
        instances,
        nan_max(errors),
        1e-6,
        f"abs(<grad, V> - central difference) / ||grad||, h = {h}, ||V|| = 1, float64",
    )


CLAIMS = (
    Witness(
        "thm-cnn-conv-backward",
        conv_backward_matches_autograd,
        "dX, dW, db agree with torch autograd (float64)",
    ),
    Witness(
        "thm-cnn-conv-backward",
        conv_backward_matches_autograd_float32,
        "dX, dW, db agree with torch autograd (float32)",
    ),
    Witness(
        "thm-cnn-conv-backward",
        conv_backward_central_differences,
        "dX, dW, db agree with central differences",
    ),
    Witness(
        "prop-cnn-counts",
        conv_counts_match_flop_counter,
        "a layer's parameter and multiply-add counts agree with torch's FlopCounterMode",
    ),
    Witness(
        "prop-cnn-counts",
        cnn_counts_match_flop_counter,
        "the whole network's counts agree with torch's FlopCounterMode",
    ),
    Witness(
        "def-cnn-architecture",
        cnn_forward_matches_torch,
        "the CNN's logits agree with an independent torch model",
    ),
    Witness(
        "alg-cnn-backprop",
        cnn_gradient_matches_autograd,
        "the algorithm's output agrees with torch autograd (float64)",
    ),
    Witness(
        "alg-cnn-backprop",
        cnn_gradient_matches_autograd_float32,
        "the algorithm's output agrees with torch autograd (float32)",
    ),
    Witness(
        "thm-cnn-backprop",
        cnn_gradient_central_differences,
        "the gradient agrees with central differences",
    ),
    Witness(
        "thm-cnn-backprop", cnn_gradient_matches_autograd, "the gradient agrees with torch autograd"
    ),
)
