r"""Witnesses of Section "Architecture, parameters, realization": `def-architecture`,
`def-parameters`, `def-realization`, `prop-batch-forward`, `alg-forward`."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import gradcheck, nn
from ...registry import Figures, Witness
from ._common import (
    ACTIVATION_NAMES,
    TORCH_ACTIVATIONS,
    nan_max,
    random_architecture,
    random_parameters,
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
            lin.weight.copy_(torch.from_numpy(np.asarray(theta.W[l])))
            lin.bias.copy_(torch.from_numpy(np.asarray(theta.b[l])))
        layers += [lin, _Act(name)]
    return torch.nn.Sequential(*layers)


def _rel(a, ref) -> float:
    a, ref = np.asarray(a, dtype=np.float64), np.asarray(ref, dtype=np.float64)
    if a.shape != ref.shape:
        return math.inf
    return float(np.max(np.abs(a - ref))) / max(1.0, float(np.max(np.abs(ref))))


@single_threaded
def architecture_validates(rng: np.random.Generator, *, Architecture=nn.Architecture) -> Figures:
    """Valid tuples give depth L = len(widths) - 1 (= number of Linear layers); invalid ones
    (L = 0, n_l <= 0 or not an integer, unknown sigma, wrong number of sigma_l) are rejected."""
    wrong = 0
    n = 40
    for _ in range(n):
        arch = random_architecture(rng, width=(1, 9))
        ok = Architecture(arch.widths, arch.activations)
        seq = torch_sequential(ok, random_parameters(ok, rng))
        n_linear = sum(isinstance(m, torch.nn.Linear) for m in seq)
        wrong += int(ok.depth != len(arch.widths) - 1 or ok.depth != n_linear)
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
                wrong += 1
            except ValueError:
                pass
    return Figures(
        n,
        float(wrong),
        0.0,
        "number of valid architectures with the wrong depth (vs torch Sequential's "
        "Linear layers) plus invalid ones accepted",
    )


@single_threaded
def parameter_count_matches_torch(
    rng: np.random.Generator, *, init_parameters=nn.init_parameters
) -> Figures:
    """dim Theta = sum n_l (n_{l-1} + 1) and W^l, b^l shapes vs torch.nn.Linear; <U, V> on Theta is
    the dot product of the concatenated vectors (torch.nn.utils.parameters_to_vector)."""
    errors = []
    n = 40
    for _ in range(n):
        arch = random_architecture(rng)
        theta = init_parameters(arch, rng=rng)
        seq = torch_sequential(arch, random_parameters(arch, rng))
        lin = [m for m in seq if isinstance(m, torch.nn.Linear)]
        errors.append(abs(arch.num_parameters - sum(p.numel() for p in seq.parameters())))
        errors.append(
            sum(
                tuple(W.shape) != tuple(m.weight.shape) or tuple(b.shape) != tuple(m.bias.shape)
                for W, b, m in zip(theta.W, theta.b, lin)
            )
        )
        U = random_parameters(arch, rng)
        V = random_parameters(arch, rng)
        to_vector = torch.nn.utils.parameters_to_vector
        vec = [to_vector(torch_sequential(arch, R).parameters()).detach().numpy() for R in (U, V)]
        ref = float(vec[0] @ vec[1])
        errors.append(abs(gradcheck.inner(U, V) - ref) / max(1.0, abs(ref)) / 1e-13)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "count mismatches + shape mismatches vs torch.nn.Linear (must be 0), and "
        "|<U, V>_Theta - flat dot| / max(1, |.|) in units of 1e-13",
    )


@single_threaded
def realization_matches_torch(rng: np.random.Generator, *, realization=nn.realization) -> Figures:
    """f_theta(x) one input at a time vs torch.nn.Sequential(Linear, sigma, ...) with theta."""
    errors = []
    n = 60
    for i in range(n):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng)
        x = rng.standard_normal(arch.widths[0])
        ref = torch_sequential(arch, theta)(torch.from_numpy(x)[None, :]).detach().numpy()[0]
        errors.append(_rel(realization(arch, theta, x), ref))
    return Figures(
        n,
        nan_max(errors),
        1e-12,
        "max |f_theta(x) - torch Sequential(x)| / max(1, max |.|), float64",
    )


@single_threaded
def batch_rows_are_realizations(rng: np.random.Generator, *, forward=nn.forward) -> Figures:
    """Row i of A^L from the batch recursion vs f_theta(x_i) by the single-input recursion."""
    errors = []
    n = 60
    for i in range(n):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng)
        m = int(rng.integers(1, 33))
        X = rng.standard_normal((m, arch.widths[0]))
        AL = forward(arch, theta, X).output
        rows = np.stack([np.asarray(nn.realization(arch, theta, x)) for x in X])
        errors.append(_rel(AL, rows))
    return Figures(
        n, nan_max(errors), 1e-12, "max_i |A^L_i - f_theta(x_i)| / max(1, max |.|), float64"
    )


@single_threaded
def forward_stores_layers(rng: np.random.Generator, *, forward=nn.forward) -> Figures:
    """Every stored Z^l, A^l vs the outputs of the Linear and activation modules of a torch
    Sequential with the same weights; A^0 = X, Z[0] is None."""
    errors = []
    n = 60
    for i in range(n):
        arch = random_architecture(rng, must_use=ACTIVATION_NAMES[i % len(ACTIVATION_NAMES)])
        theta = random_parameters(arch, rng)
        X = rng.standard_normal((int(rng.integers(1, 33)), arch.widths[0]))
        fwd = forward(arch, theta, X)
        if fwd.Z[0] is not None or len(fwd.Z) != arch.depth + 1 or len(fwd.A) != arch.depth + 1:
            errors.append(math.inf)
            continue
        errors.append(_rel(fwd.A[0], X))
        H = torch.from_numpy(X)
        for l, (lin, act) in enumerate(zip(*[iter(torch_sequential(arch, theta))] * 2), start=1):
            Zt = lin(H)
            H = act(Zt)
            errors.append(_rel(fwd.Z[l], Zt.detach().numpy()))
            errors.append(_rel(fwd.A[l], H.detach().numpy()))
    return Figures(
        n,
        nan_max(errors),
        1e-12,
        "max over l of |Z^l - Linear_l(.)|, |A^l - sigma_l(.)| relative to max(1, |.|), "
        "torch Sequential with the same weights, float64",
    )


CLAIMS = (
    Witness(
        "def-architecture",
        architecture_validates,
        "depth = number of torch Linear layers; invalid tuples rejected",
    ),
    Witness(
        "def-parameters",
        parameter_count_matches_torch,
        "dim Theta and shapes vs torch.nn.Linear; inner product on R^P",
    ),
    Witness(
        "def-realization",
        realization_matches_torch,
        "f_theta(x) vs torch.nn.Sequential with the same weights",
    ),
    Witness(
        "prop-batch-forward",
        batch_rows_are_realizations,
        "rows of the batch output vs per-sample realization",
    ),
    Witness(
        "alg-forward", forward_stores_layers, "stored Z^l, A^l vs torch Sequential layer outputs"
    ),
)
