r"""Witnesses of Section "Architecture, parameters, realization": `def-architecture`,
`def-parameters`, `def-realization`, `prop-batch-forward`, `alg-forward`."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import gradcheck, nn
from ...registry import Witness
from .._common import Evidence, equal
from ._common import (
    ACTIVATION_NAMES,
    TORCH_ACTIVATIONS,
    UNIT_ROUNDOFF,
    Worst,
    gamma,
    random_architecture,
    random_parameters,
    rounding_bounds,
    single_threaded,
)


class _Act(torch.nn.Module):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.f = TORCH_ACTIVATIONS[name]

    def forward(self, Z: torch.Tensor) -> torch.Tensor:
        return self.f(Z)


def torch_sequential(arch: nn.Architecture, theta: nn.Parameters) -> torch.nn.Sequential:
    """torch.nn.Sequential(Linear(n_0, n_1), sigma_1, ...) holding theta's weights (float64)."""
    layers: list[torch.nn.Module] = []
    for l, name in enumerate(arch.activations):
        lin = torch.nn.Linear(arch.widths[l], arch.widths[l + 1], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.asarray(theta.W[l], dtype=np.float64)))
            lin.bias.copy_(torch.from_numpy(np.asarray(theta.b[l], dtype=np.float64)))
        layers += [lin, _Act(name)]
    return torch.nn.Sequential(*layers)


def _forward_bounds(arch, theta, X, u):
    """Rounding bounds of the forward pass in a format of unit roundoff ``u`` and in float64 (the
    reference), or ``None`` if a ReLU pre-activation is within rounding of its kink."""
    Y = np.zeros((X.shape[0], arch.widths[-1]))
    B = rounding_bounds(arch, theta, X, Y, "squared_error", u)
    B64 = B.scaled(UNIT_ROUNDOFF["float64"] / u)
    return None if B.kink_margin(arch, [B64]) <= 0 else (B, B64)


def _compare(worst: Worst, ours, ref, bound, at: str) -> None:
    """Add ``||ours - ref|| / ||ref||`` against ``||bound|| / ||ref||`` (inf on a shape error)."""
    ours = np.asarray(ours, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    if ours.shape != ref.shape:
        worst.add(math.inf, 1.0, at + " (wrong shape)")
        return
    scale = max(float(np.linalg.norm(ref)), 1e-300)
    worst.add(float(np.linalg.norm(ours - ref)) / scale, float(np.linalg.norm(bound)) / scale, at)


def _at(arch) -> str:
    return f"widths {arch.widths}, {'/'.join(arch.activations)}"


@single_threaded
def architecture_validates(rng: np.random.Generator, *, Architecture=nn.Architecture) -> Evidence:
    """Valid tuples give depth L = len(widths) - 1 (= number of Linear layers); invalid ones
    (L = 0, n_l <= 0 or not an integer, unknown sigma, wrong number of sigma_l) are rejected."""
    wrong_depth = accepted = 0
    n = 40
    for _ in range(n):
        arch = random_architecture(rng, width=(1, 9))
        ok = Architecture(arch.widths, arch.activations)
        seq = torch_sequential(arch, random_parameters(arch, rng))  # the reference's layers
        n_linear = sum(isinstance(m, torch.nn.Linear) for m in seq)
        wrong_depth += int(ok.depth != len(arch.widths) - 1 or ok.depth != n_linear)
        w, a = list(arch.widths), list(arch.activations)
        k = int(rng.integers(len(w)))
        bad = [
            ((w[0],), ()),  # L = 0
            (w[:k] + [int(rng.integers(-3, 1))] + w[k + 1 :], a),  # n_k <= 0
            (w[:k] + [float(w[k]) + 0.5] + w[k + 1 :], a),  # not an integer
            (w, a[:-1] + ["not-an-activation"]),  # unknown sigma
            (w, a + [str(rng.choice(ACTIVATION_NAMES))]),  # L + 1 activations
        ]
        for widths, acts in bad:
            try:
                Architecture(tuple(widths), tuple(acts))
                accepted += 1
            except (TypeError, ValueError):
                pass
    return Evidence(
        n,
        (
            equal(
                "valid architectures whose depth differs from torch's number of Linear layers",
                wrong_depth,
                0,
                0,
                units="architectures",
            ),
            equal(
                "invalid tuples accepted (L = 0, n_l <= 0 or not an integer, unknown or too "
                "many activations)",
                accepted,
                0,
                0,
                units="tuples",
            ),
        ),
    )


@single_threaded
def parameter_count_matches_torch(
    rng: np.random.Generator, *, init_parameters=nn.init_parameters
) -> Evidence:
    """dim Theta = sum n_l (n_{l-1} + 1) and W^l, b^l shapes vs torch.nn.Linear; <U, V> on Theta is
    the dot product of the concatenated vectors (torch.nn.utils.parameters_to_vector)."""
    count = shapes = 0
    inner = Worst()
    n = 40
    u = UNIT_ROUNDOFF["float64"]
    for _ in range(n):
        arch = random_architecture(rng)
        theta = init_parameters(arch, rng=rng)
        seq = torch_sequential(arch, random_parameters(arch, rng))
        lin = [m for m in seq if isinstance(m, torch.nn.Linear)]
        count += int(arch.num_parameters != sum(p.numel() for p in seq.parameters()))
        shapes += sum(
            tuple(W.shape) != tuple(m.weight.shape) or tuple(b.shape) != tuple(m.bias.shape)
            for W, b, m in zip(theta.W, theta.b, lin)
        )
        U = random_parameters(arch, rng)
        V = random_parameters(arch, rng)
        to_vector = torch.nn.utils.parameters_to_vector
        vec = [to_vector(torch_sequential(arch, R).parameters()).detach().numpy() for R in (U, V)]
        ref = float(vec[0] @ vec[1])
        # two summations of the same P products, each within gamma_P sum |u_i v_i|
        tol = 2 * gamma(arch.num_parameters, u) * float(np.abs(vec[0]) @ np.abs(vec[1]))
        inner.add(abs(gradcheck.inner(U, V) - ref), tol, f"P = {arch.num_parameters}")
    return Evidence(
        n,
        (
            equal(
                "architectures whose $\\dim\\Theta$ differs from torch's parameter count",
                count,
                0,
                0,
                units="architectures",
            ),
            equal(
                "weight or bias shapes that differ from torch.nn.Linear's",
                shapes,
                0,
                0,
                units="arrays",
            ),
            inner.error(
                "$|\\langle U, V\\rangle_\\Theta - $ dot product of the flattened vectors$|$",
                units="absolute error",
            ),
        ),
    )


@single_threaded
def realization_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), realization=nn.realization
) -> Evidence:
    """f_theta(x) one input at a time vs torch.nn.Sequential(Linear, sigma, ...) with theta, within
    the rounding bounds of both."""
    worst = Worst()
    used = excluded = 0
    for i in range(60):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng, dtype)
        x = rng.standard_normal(arch.widths[0]).astype(dtype)
        bounds = _forward_bounds(arch, theta, x[None, :], UNIT_ROUNDOFF[dtype.name])
        if bounds is None:
            excluded += 1
            continue
        used += 1
        B, B64 = bounds
        ref = torch_sequential(arch, theta)(torch.from_numpy(x.astype(np.float64))[None, :])
        _compare(
            worst,
            realization(arch, theta, x),
            ref.detach().numpy()[0],
            (B.eA[-1] + B64.eA[-1]).numpy()[0],
            _at(arch),
        )
    return Evidence(
        used,
        (worst.error(r"$\|f_\theta(x) - \mathrm{Sequential}(x)\| / \|\mathrm{Sequential}(x)\|$"),),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


@single_threaded
def batch_rows_are_realizations(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), forward=nn.forward
) -> Evidence:
    """Row i of A^L from the batch recursion vs f_theta(x_i) by the single-input recursion (both
    deepqed; each within the forward rounding bound)."""
    worst = Worst()
    used = excluded = 0
    for i in range(40):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng, dtype)
        m = int(rng.integers(1, 33))
        X = rng.standard_normal((m, arch.widths[0])).astype(dtype)
        bounds = _forward_bounds(arch, theta, X, UNIT_ROUNDOFF[dtype.name])
        if bounds is None:
            excluded += 1
            continue
        used += 1
        B, _ = bounds
        AL = forward(arch, theta, X).output
        rows = np.stack([np.asarray(nn.realization(arch, theta, x)) for x in X])
        _compare(worst, AL, rows, 2 * B.eA[-1].numpy(), _at(arch) + f", m = {m}")
    return Evidence(
        used,
        (worst.error(r"$\|A^L - (f_\theta(x_i)^\top)_i\| / \|(f_\theta(x_i)^\top)_i\|$"),),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


@single_threaded
def forward_stores_layers(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), forward=nn.forward
) -> Evidence:
    """Every stored Z^l, A^l vs the outputs of the Linear and activation modules of a torch
    Sequential with the same weights; A^0 = X, Z[0] is None."""
    worst = Worst()
    layout = 0
    used = excluded = 0
    for i in range(40):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng, dtype)
        X = rng.standard_normal((int(rng.integers(1, 33)), arch.widths[0])).astype(dtype)
        bounds = _forward_bounds(arch, theta, X, UNIT_ROUNDOFF[dtype.name])
        if bounds is None:
            excluded += 1
            continue
        used += 1
        B, B64 = bounds
        fwd = forward(arch, theta, X)
        if (
            fwd.Z[0] is not None
            or len(fwd.Z) != arch.depth + 1
            or len(fwd.A) != arch.depth + 1
            or fwd.A[0] is not X
        ):
            layout += 1
            continue
        H = torch.from_numpy(X.astype(np.float64))
        for l, (lin, act) in enumerate(zip(*[iter(torch_sequential(arch, theta))] * 2), start=1):
            Zt = lin(H)
            H = act(Zt)
            at = _at(arch) + f", layer {l}"
            _compare(
                worst, fwd.Z[l], Zt.detach().numpy(), (B.eZ[l - 1] + B64.eZ[l - 1]).numpy(), at
            )
            _compare(worst, fwd.A[l], H.detach().numpy(), (B.eA[l] + B64.eA[l]).numpy(), at)
    return Evidence(
        used,
        (
            equal(
                "passes not storing (None, Z^1, ..., Z^L) and (X, A^1, ..., A^L)",
                layout,
                0,
                0,
                units="instances",
            ),
            worst.error(
                r"$\|Z^l - \mathrm{Linear}_l\|/\|\mathrm{Linear}_l\|$ and $\|A^l - \sigma_l(\cdot)\|/\|\sigma_l(\cdot)\|$, worst layer"
            ),
        ),
        note=f"{excluded} instance(s) with a ReLU pre-activation within rounding of 0 excluded",
    )


_D = ("float32", "float64")
CLAIMS = (
    Witness(
        "def-architecture",
        architecture_validates,
        "depth = number of torch Linear layers; invalid tuples rejected",
        strength="exact",
    ),
    Witness(
        "def-parameters",
        parameter_count_matches_torch,
        "dim Theta and shapes vs torch.nn.Linear; inner product on R^P",
        strength="exact",
    ),
    Witness(
        "def-realization",
        realization_matches_torch,
        "f_theta(x) vs torch.nn.Sequential with the same weights",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-batch-forward",
        batch_rows_are_realizations,
        "rows of the batch output vs per-sample realization",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "alg-forward",
        forward_stores_layers,
        "stored Z^l, A^l vs torch Sequential layer outputs",
        strength="exact",
        dtypes=_D,
    ),
)
