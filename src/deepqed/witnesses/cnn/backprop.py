r"""Witnesses of Sections "Backpropagation through a convolution" and "The whole network":
`thm-cnn-conv-backward`, `prop-cnn-counts`, `def-cnn-architecture`, `alg-cnn-backprop`,
`thm-cnn-backprop`.

The torch model below is written independently with ``torch.nn.functional`` from the definitions.
Tolerances: the rounding bounds of :mod:`._common` (the two computations compared each within its
bound); central differences within $\frac{h^2}{6}\cdot 2\max|g^{(3)}|$ ($g^{(3)}$ by torch autograd at
$t = -h, 0, h$) plus rounding, at steps $h$ for which the activation pattern and the selected
maximisers at $\theta\pm hV$ are those at $\theta$ (so that $g$ is smooth on $[-h, h]$)."""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from ... import cnn, gradcheck
from ...registry import Witness
from .._common import Evidence, equal, upper
from ._common import (
    UNIT_ROUNDOFF,
    Worst,
    conv_backward_bounds,
    conv_bound,
    conv_kwargs,
    gamma,
    network_bounds,
    norm,
    random_conv,
    single_threaded,
    torch_conv_grads,
)

U64 = UNIT_ROUNDOFF["float64"]


def _at(P) -> str:
    return (
        f"X {P['X'].shape}, W {P['W'].shape}, s {P['stride']}, p {P['padding']}, "
        f"d {P['dilation']}, {P['padding_mode']}"
    )


@single_threaded
def conv_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    forward=cnn.conv2d_forward,
    backward=cnn.conv2d_backward,
    instances: int = 80,
) -> Evidence:
    """(dX, dW, db) of ``conv2d_backward`` vs ``torch.autograd.grad`` of ``<F.conv2d(X, W, b), G>``
    (float64 on the same numbers), random stride/padding (zero, circular)/dilation."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    wrong_dtype = 0
    for _ in range(instances):
        P = random_conv(rng, dtype)
        Z, cache = forward(P["X"], P["W"], P["b"], **conv_kwargs(P))
        G = rng.standard_normal(Z.shape).astype(dtype)
        grads = backward(G, P["W"], cache)
        _, *ref = torch_conv_grads(P, G)
        wrong_dtype += int(any(np.asarray(g).dtype != dtype for g in grads))
        bounds = [
            a + b for a, b in zip(conv_backward_bounds(P, G, u), conv_backward_bounds(P, G, U64))
        ]
        scale = max(norm(ref), 1e-300)
        if [np.shape(g) for g in grads] != [r.shape for r in ref]:
            worst.add(math.inf, 1.0, _at(P) + " (wrong shapes)")
            continue
        diff = [np.asarray(g, dtype=np.float64) - r for g, r in zip(grads, ref)]
        worst.add(norm(diff) / scale, norm([b.numpy() for b in bounds]) / scale, _at(P))
    return Evidence(
        instances,
        (
            worst.error(
                r"$\|(\mathrm dX, \mathrm dW, \mathrm db) - $ torch autograd$\| / \|\cdot\|$"
            ),
            equal("gradients not in the input's dtype", wrong_dtype, 0, 0, units="instances"),
        ),
    )


@single_threaded
def conv_backward_central_differences(
    rng: np.random.Generator,
    *,
    forward=cnn.conv2d_forward,
    backward=cnn.conv2d_backward,
    instances: int = 80,
    h: float = 1e-3,
) -> Evidence:
    r"""$\langle(\mathrm dX, \mathrm dW, \mathrm db), V\rangle$ vs the central difference of
    $(X, W, b)\mapsto K_WX + b$ along a random $V$, paired with $G$ (``gradcheck.check_vjp`` on
    the concatenated vector; no torch). The map is a polynomial of degree 2, so the quotient is
    exact but for rounding: each value within the convolution's bound at $(X, W, b)\pm hV$."""
    worst = Worst()
    for _ in range(instances):
        P = random_conv(rng)
        kw_ = conv_kwargs(P)
        shapes = [P[k].shape for k in ("X", "W", "b")]
        sizes = [int(np.prod(s)) for s in shapes]

        def unpack(theta):
            parts = np.split(theta, np.cumsum(sizes)[:-1])
            return [p.reshape(s) for p, s in zip(parts, shapes)]

        Z, cache = forward(P["X"], P["W"], P["b"], **kw_)
        theta = np.concatenate([P[k].ravel() for k in ("X", "W", "b")])

        def f(t):
            X, W, b = unpack(t)
            return cnn.conv2d(X, W, b, **kw_)

        def vjp(G):
            grads = backward(G, P["W"], cache)
            if [np.shape(g) for g in grads] != shapes:
                return np.full(theta.shape, np.nan)
            return np.concatenate([np.asarray(g).ravel() for g in grads])

        G = rng.standard_normal(Z.shape)
        V = rng.standard_normal(theta.shape)
        V /= np.linalg.norm(V)
        lhs, rhs = gradcheck.check_vjp(f, vjp, theta, G, V, h)
        # each value: conv rounding gamma_{Q+1} and the rounding of the point theta +- hV
        # (u per entry, carried by the bilinear map) and of <., G> (gamma_N): gamma_{Q+3+N} times
        # <K_{|W'|}|X'| + |b'|, |G|> with |theta +- hV| <= |theta| + h|V|
        X, W, b = unpack(np.abs(theta) + h * np.abs(V))
        Q = W[0].size
        absolute = conv_bound({**P, "X": X, "W": W, "b": b}, U64).numpy() / gamma(Q + 1, U64)
        value_bound = 2 * gamma(Q + 3 + Z.size, U64) * float(np.sum(absolute * np.abs(G)))
        grads = backward(G, P["W"], cache)
        e_grads = conv_backward_bounds(P, G, U64)
        V_parts = unpack(np.abs(V))
        rhs_bound = sum(float(np.sum(e.numpy() * v)) for e, v in zip(e_grads, V_parts))
        rhs_bound += gamma(theta.size, U64) * sum(
            float(np.sum(np.abs(np.asarray(g)) * v)) for g, v in zip(grads, V_parts)
        )
        tol = value_bound / (2 * h) + rhs_bound
        worst.add(abs(lhs - rhs), tol, _at(P))
    return Evidence(
        instances,
        (
            worst.error(
                r"$|\langle G, D_h(K_WX + b)[V]\rangle - \langle(\mathrm dX, \mathrm dW, \mathrm db), V\rangle|$, $\|V\| = 1$",
                units="absolute error",
            ),
        ),
        note=f"float64, h = {h:g}",
    )


# --- counts -------------------------------------------------------------------------------------
@single_threaded
def conv_counts_match_flop_counter(
    rng: np.random.Generator, *, counts=cnn.conv2d_counts, instances: int = 12
) -> Evidence:
    """Multiply-adds of ``conv2d_counts`` vs torch's ``FlopCounterMode`` (which counts 2 flops per
    multiply-add) on F.conv2d forward and backward (with and without the input gradient), and
    the parameter count vs the sizes of W and b of ``torch.nn.Conv2d``."""
    mismatches = {"forward": 0, "backward": 0, "parameters": 0}
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
        mismatches["forward"] += int(2 * c["forward"] != fwd.get_total_flops())
        mismatches["backward"] += int(2 * c["backward"] != bwd.get_total_flops())
        mismatches["parameters"] += int(
            c["parameters"] != sum(p.numel() for p in layer.parameters())
        )
    return Evidence(
        instances,
        tuple(
            equal(f"layers whose {k} count differs from torch's", v, 0, 0, units="layers")
            for k, v in mismatches.items()
        ),
        note="FlopCounterMode counts 2 flops per multiply-add",
    )


def _ratio_bound() -> float:
    """Part 2 of the proposition: backward / forward matrix products < 2."""
    return 2.0


@single_threaded
def cnn_counts_match_flop_counter(
    rng: np.random.Generator,
    *,
    counts=cnn.cnn_counts,
    bound=_ratio_bound,
    instances: int = 20,
) -> Evidence:
    r"""Whole-network counts of ``cnn_counts`` vs ``FlopCounterMode`` on the independent torch
    model (input without ``requires_grad``, as in the algorithm), and the parameter count vs the
    torch parameters' sizes; the ratio backward/forward $= 2 - M_1/(M_1 + M_2 + mKF)$ below 2,
    and approaching 2 for a first layer with one input channel and a wide second layer."""
    mismatches = {"forward": 0, "backward": 0, "parameters": 0}
    worst_ratio = (0.0, "")
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
        mismatches["forward"] += int(2 * c["forward"] != fwd.get_total_flops())
        mismatches["backward"] += int(2 * c["backward"] != bwd.get_total_flops())
        mismatches["parameters"] += int(c["parameters"] != sum(p.numel() for p in params))
        r = c["backward"] / c["forward"]
        if r > worst_ratio[0]:
            worst_ratio = (r, f"C = {(arch.in_channels, *arch.channels)}, n = {arch.image_size}")
    # approaching the bound: C_0 = 1, kernel 1, C_2 >> 1, so M_1/(M_1 + M_2 + mKF) -> 0
    wide = cnn.CNNArchitecture(
        in_channels=1, image_size=8, channels=(4, 4096), kernel_size=1, padding=0, pool=1, classes=1
    )
    c = counts(wide, 1)
    return Evidence(
        instances + 1,
        (
            *(
                equal(f"networks whose {k} count differs from torch's", v, 0, 0, units="networks")
                for k, v in mismatches.items()
            ),
            upper(
                "multiply-adds backward / forward, random networks",
                worst_ratio[0],
                bound(),
                units="ratio",
                at=worst_ratio[1],
            ),
            equal(
                "backward / forward for $C = (1, 4, 4096)$, $k = 1$, $q = 1$, $K = 1$ (approaches 2)",
                c["backward"] / c["forward"],
                bound(),
                0.01 * bound(),
                attains=True,
                units="ratio",
            ),
        ),
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


def _arch_at(arch) -> str:
    return (
        f"C = {(arch.in_channels, *arch.channels)}, n = {arch.image_size}, k = {arch.kernel_size}, "
        f"p = {arch.padding}, q = {arch.pool}, K = {arch.classes}"
    )


@single_threaded
def cnn_forward_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    forward=cnn.cnn_forward,
    instances: int = 30,
) -> Evidence:
    """The logits Z^3 of ``cnn_forward`` vs the independent torch model (float64, same numbers)."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    used = excluded = 0
    for _ in range(instances):
        arch, theta, X, Y = _cnn_instance(rng, dtype)
        B = network_bounds(arch, theta, X, Y, u)
        if B.margin <= 0:
            excluded += 1
            continue
        used += 1
        ref = torch_cnn_logits(
            arch,
            [torch.tensor(a, dtype=torch.float64) for a in theta.arrays()],
            torch.tensor(X, dtype=torch.float64),
        ).numpy()
        ours = np.asarray(forward(arch, theta, X).output, dtype=np.float64)
        scale = max(float(np.linalg.norm(ref)), 1e-300)
        tol = float(np.linalg.norm(B.e_Z3.numpy())) * (1 + U64 / u)
        worst.add(
            float(np.linalg.norm(ours - ref)) / scale if ours.shape == ref.shape else math.inf,
            tol / scale,
            _arch_at(arch),
        )
    return Evidence(
        used,
        (worst.error(r"$\|Z^3 - Z^3_{\mathrm{torch}}\| / \|Z^3_{\mathrm{torch}}\|$"),),
        note=f"{excluded} instance(s) within rounding of a ReLU kink or a pooling tie excluded",
    )


@single_threaded
def cnn_gradient_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    loss_and_gradient=cnn.cnn_loss_and_gradient,
    instances: int = 30,
) -> Evidence:
    """``cnn_loss_and_gradient`` vs torch autograd of the independent torch model (float64 on the
    same numbers); tolerance: the rounding bounds of both computations."""
    u = UNIT_ROUNDOFF[dtype.name]
    grads, values = Worst(), Worst()
    wrong_dtype = used = excluded = 0
    for _ in range(instances):
        arch, theta, X, Y = _cnn_instance(rng, dtype)
        B = network_bounds(arch, theta, X, Y, u)
        if B.margin <= 0:
            excluded += 1
            continue
        used += 1
        value, grad = loss_and_gradient(arch, theta, X, Y)
        params = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in theta.arrays()]
        loss = torch_cnn_loss(
            arch, params, torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
        )
        ref = [g.numpy() for g in torch.autograd.grad(loss, params)]
        ours = grad.arrays()
        wrong_dtype += int(any(np.asarray(g).dtype != dtype for g in ours))
        factor = 1 + U64 / u
        scale = max(norm(ref), 1e-300)
        if [np.shape(g) for g in ours] != [r.shape for r in ref]:
            grads.add(math.inf, 1.0, _arch_at(arch) + " (wrong shapes)")
            continue
        diff = [np.asarray(g, dtype=np.float64) - r for g, r in zip(ours, ref)]
        grads.add(
            norm(diff) / scale, factor * norm([e.numpy() for e in B.e_grad]) / scale, _arch_at(arch)
        )
        lv = float(loss.detach())
        # the loss is exactly 0 where every example is classified with a saturated softmax
        # (seed 2855885832): relative to max(|L|, 1e-300), as the gradients are
        scale_v = max(abs(lv), 1e-300)
        values.add(abs(value - lv) / scale_v, factor * B.e_value / scale_v, _arch_at(arch))
    return Evidence(
        used,
        (
            grads.error(
                r"$\|\mathrm d\theta - \mathrm d\theta_{\mathrm{torch}}\| / \|\mathrm d\theta_{\mathrm{torch}}\|$ (all six arrays)"
            ),
            values.error(
                r"$|\mathcal L - \mathcal L_{\mathrm{torch}}| / |\mathcal L_{\mathrm{torch}}|$"
            ),
            equal("gradients not in the input's dtype", wrong_dtype, 0, 0, units="instances"),
        ),
        note=f"{excluded} instance(s) within rounding of a ReLU kink or a pooling tie excluded",
    )


def _third_derivative(arch, theta, X, Y, V, t: float) -> float:
    r"""$g^{(3)}(t)$ for $g(s) = \mathcal L(\theta + sV)$ by torch autograd (float64)."""
    s = torch.tensor(t, dtype=torch.float64, requires_grad=True)
    params = [torch.tensor(a) + s * torch.tensor(v) for a, v in zip(theta.arrays(), V.arrays())]
    g = torch_cnn_loss(arch, params, torch.tensor(X), torch.tensor(Y))
    for _ in range(3):
        if not g.requires_grad:
            return 0.0
        (g,) = torch.autograd.grad(g, s, create_graph=True, allow_unused=True)
        if g is None:
            return 0.0
    return float(g.detach())


def _pattern(arch, theta, X):
    """The ReLU pattern and the selected maximisers of the forward pass."""
    fwd = cnn.cnn_forward(arch, theta, X)
    return fwd.Z1 > 0, fwd.idx1, fwd.Z2 > 0, fwd.idx2


def _same_pattern(arch, theta, V, X, h: float) -> bool:
    ref = _pattern(arch, theta, X)
    for sign in (1.0, -1.0):
        moved = cnn.CNNParameters.zip_map(lambda a, v: a + sign * h * v, theta, V)
        if not all(np.array_equal(a, b) for a, b in zip(_pattern(arch, moved, X), ref)):
            return False
    return True


def _fd_check(worst, arch, theta, X, Y, loss_and_gradient, rng, at: str) -> bool:
    """<grad, V> vs the central difference at a step where the pattern is theta's; False if no
    such step was found (20 halvings from 1e-5)."""
    _, grad = loss_and_gradient(arch, theta, X, Y)
    V = theta.map(lambda a: rng.standard_normal(a.shape))
    norm_V = math.sqrt(sum(float(np.sum(v * v)) for v in V.arrays()))
    V = V.map(lambda a: a / norm_V)
    h = 1e-5
    for _ in range(20):
        if _same_pattern(arch, theta, V, X, h):
            break
        h /= 2
    else:
        return False

    def L(t):
        th = cnn.CNNParameters.zip_map(lambda a, v: a + t * v, theta, V)
        return float(cnn.cnn_loss_and_gradient(arch, th, X, Y)[0])

    cd = (L(h) - L(-h)) / (2 * h)
    try:
        ip = sum(float(np.sum(g * v)) for g, v in zip(grad.arrays(), V.arrays()))
    except ValueError:
        worst.add(math.inf, 1.0, at + " (wrong shapes)")
        return True
    M3 = 2 * max(abs(_third_derivative(arch, theta, X, Y, V, t)) for t in (-h, 0.0, h))
    B = network_bounds(arch, theta, X, Y, U64)
    e_step = (
        U64
        / h
        * sum(
            float(np.sum(np.abs(g) * (np.abs(a) + h * np.abs(v))))
            for g, a, v in zip(grad.arrays(), theta.arrays(), V.arrays())
        )
    )
    tol = (
        h * h / 6 * M3
        + 2 * B.e_value / h
        + e_step
        + norm([e.numpy() for e in B.e_grad])
        + gamma(sum(a.size for a in theta.arrays()), U64) * norm(grad.arrays())
    )
    worst.add(abs(ip - cd), tol, at + f", h = {h:.1e}")
    return True


@single_threaded
def cnn_gradient_central_differences(
    rng: np.random.Generator,
    *,
    loss_and_gradient=cnn.cnn_loss_and_gradient,
    instances: int = 25,
) -> Evidence:
    r"""$\langle\nabla\mathcal L, V\rangle$ vs the central difference $(\mathcal L(\theta + hV) -
    \mathcal L(\theta - hV))/(2h)$ along a random unit $V$ at random $\theta$ (no ties, no zero
    pre-activation: hypotheses (a), (b)), float64, tiny networks; no torch in the compared values."""
    worst = Worst()
    used = 0
    for _ in range(instances):
        arch, theta, X, Y = _cnn_instance(rng)
        used += int(_fd_check(worst, arch, theta, X, Y, loss_and_gradient, rng, _arch_at(arch)))
    return Evidence(
        used,
        (
            worst.error(
                r"$|\langle\nabla\mathcal L, V\rangle - D_h\mathcal L[V]|$, $\|V\| = 1$",
                units="absolute error",
            ),
        ),
    )


def _tied_instance(rng):
    r"""A network at a $\theta$ where hypothesis (b) holds only in its weak form: images that are
    blank (zero) outside a random square, and first-layer biases $b^1 > 0$, so that every pooling
    window of $A^1$ over the blank part has $q^2$ equal positive maximisers whose pre-activations
    are $b^1_o$ for every $\theta$ (the same zero input patch)."""
    while True:
        arch = cnn.CNNArchitecture(
            in_channels=int(rng.integers(1, 3)),
            image_size=int(rng.integers(8, 13)),
            channels=(int(rng.integers(1, 4)), int(rng.integers(1, 4))),
            kernel_size=3,
            padding=1,
            pool=2,
            classes=int(rng.integers(2, 5)),
        )
        theta = cnn.init_cnn_parameters(arch, rng=rng)
        b1 = 0.1 + 0.5 * rng.random(arch.channels[0])  # positive: the blank windows tie at b1
        b2 = 0.1 * rng.standard_normal(arch.channels[1])
        b3 = 0.1 * rng.standard_normal(arch.classes)
        theta = cnn.CNNParameters(theta.W1, b1, theta.W2, b2, theta.W3, b3)
        m, n = int(rng.integers(1, 5)), arch.image_size
        X = np.zeros((m, arch.in_channels, n, n))
        side = int(rng.integers(2, n // 2 + 1))
        r0, c0 = (int(v) for v in rng.integers(0, n - side + 1, size=2))
        X[:, :, r0 : r0 + side, c0 : c0 + side] = rng.standard_normal(
            (m, arch.in_channels, side, side)
        )
        Y = np.eye(arch.classes)[rng.integers(arch.classes, size=m)]
        fwd = cnn.cnn_forward(arch, theta, X)
        if not np.any(fwd.Z1 == 0) and not np.any(fwd.Z2 == 0):  # hypothesis (a)
            return arch, theta, X, Y


@single_threaded
def cnn_gradient_at_tied_maximisers(
    rng: np.random.Generator,
    *,
    loss_and_gradient=cnn.cnn_loss_and_gradient,
    instances: int = 20,
) -> Evidence:
    r"""Hypothesis (b) in its weak form (tied maximisers whose pre-activations agree as functions of
    $\theta$ near $\theta$, as at the trained network): on blank images with $b^1 > 0$ the
    algorithm's output vs central differences of $\mathcal L$ (no torch), where the theorem says
    $\mathcal L$ is differentiable and the output is its gradient."""
    worst = Worst()
    used = ties = 0
    for _ in range(instances):
        arch, theta, X, Y = _tied_instance(rng)
        A1 = np.maximum(cnn.cnn_forward(arch, theta, X).Z1, 0)
        m, C, n, _ = A1.shape
        w = A1[:, :, : n // 2 * 2, : n // 2 * 2].reshape(m, C, n // 2, 2, n // 2, 2)
        ties += int(np.sum((w == w.max(axis=(3, 5), keepdims=True)).sum(axis=(3, 5)) > 1))
        used += int(_fd_check(worst, arch, theta, X, Y, loss_and_gradient, rng, _arch_at(arch)))
    return Evidence(
        used,
        (
            worst.error(
                r"$|\langle\mathrm d\theta, V\rangle - D_h\mathcal L[V]|$ at tied maximisers (weak hypothesis (b))",
                units="absolute error",
            ),
        ),
        note=f"{ties} tied windows of A^1 with a positive maximum",
    )


_D = ("float32", "float64")
CLAIMS = (
    Witness(
        "thm-cnn-conv-backward",
        conv_backward_matches_autograd,
        "dX, dW, db agree with torch autograd",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "thm-cnn-conv-backward",
        conv_backward_central_differences,
        "dX, dW, db agree with central differences (gradcheck.check_vjp)",
        strength="exact",
    ),
    Witness(
        "prop-cnn-counts",
        conv_counts_match_flop_counter,
        "a layer's parameter and multiply-add counts agree with torch's FlopCounterMode",
        strength="exact",
    ),
    Witness(
        "prop-cnn-counts",
        cnn_counts_match_flop_counter,
        "the whole network's counts agree with FlopCounterMode; backward < 2 forward, approached",
        strength="sharp",
    ),
    Witness(
        "def-cnn-architecture",
        cnn_forward_matches_torch,
        "the CNN's logits agree with an independent torch model",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "alg-cnn-backprop",
        cnn_gradient_matches_autograd,
        "the algorithm's output agrees with torch autograd",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "thm-cnn-backprop",
        cnn_gradient_central_differences,
        "the gradient agrees with central differences",
        strength="exact",
    ),
    Witness(
        "thm-cnn-backprop",
        cnn_gradient_at_tied_maximisers,
        "at tied maximisers that agree as functions of theta, the output is the gradient",
        strength="exact",
    ),
    Witness(
        "thm-cnn-backprop",
        cnn_gradient_matches_autograd,
        "the gradient agrees with torch autograd",
        strength="exact",
        dtypes=_D,
    ),
)
