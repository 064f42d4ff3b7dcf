r"""Witnesses of Section "Activation functions": `def-standard-activations`,
`prop-activation-derivatives`, `def-softmax`, `prop-softmax-jacobian`."""

from __future__ import annotations

import math
from functools import cache

import mpmath
import numpy as np
import sympy as sp
import torch

from ... import nn
from ...registry import Figures, Witness
from ._common import TORCH_ACTIVATIONS, nan_max, single_threaded

_z = sp.Symbol("z", real=True)

#: Each activation written independently as a SymPy expression in z (Definition
#: `def-standard-activations`); kinks as Piecewise, GELU through erf.
SYMPY_ACTIVATIONS: dict[str, sp.Expr] = {
    "identity": _z,
    "sigmoid": 1 / (1 + sp.exp(-_z)),
    "tanh": sp.tanh(_z),
    "relu": sp.Piecewise((0, _z < 0), (_z, True)),
    "leaky_relu": sp.Piecewise((sp.Rational(1, 100) * _z, _z < 0), (_z, True)),
    "softplus": sp.log(1 + sp.exp(_z)),
    "gelu": _z * (1 + sp.erf(_z / sp.sqrt(2))) / 2,
}
_KINKS = {"relu": 0.0, "leaky_relu": 0.0}


@cache
def _sympy_derivative(name: str):
    """sigma' by ``sympy.diff``, lambdified to mpmath (evaluated with 30 digits)."""
    return sp.lambdify(_z, sp.diff(SYMPY_ACTIVATIONS[name], _z), modules="mpmath")


@cache
def _sympy_value(name: str):
    return sp.lambdify(_z, SYMPY_ACTIVATIONS[name], modules="mpmath")


def _points(rng, n=40):
    """Random points at several scales, at distance >= 1e-3 from the kink 0."""
    z = rng.standard_normal(n) * rng.choice([0.3, 3.0, 12.0], size=n)
    return np.where(np.abs(z) < 1e-3, 1e-3 * np.sign(z) + 1e-3, z)


def _mp_err(ours: np.ndarray, f, z: np.ndarray) -> float:
    """max_i |ours_i - f(z_i)| / max(1, |f(z_i)|), f evaluated in mpmath with 30 digits."""
    with mpmath.workdps(30):
        ref = [f(mpmath.mpf(float(t))) for t in z]
        return max(float(abs(mpmath.mpf(float(o)) - r) / max(1, abs(r))) for o, r in zip(ours, ref))


@single_threaded
def activations_match_definitions(
    rng: np.random.Generator, *, activations=nn.ACTIVATIONS
) -> Figures:
    """Each sigma vs its SymPy definition (mpmath) and torch.nn.functional; conventions at 0."""
    errors = []
    for name, act in activations.items():
        z = _points(rng)
        ours = np.asarray(act.sigma(np, z))
        errors.append(_mp_err(ours, _sympy_value(name), z))
        ref = TORCH_ACTIVATIONS[name](torch.from_numpy(z)).numpy()
        errors.append(float(np.max(np.abs(ours - ref) / np.maximum(1, np.abs(ref)))))
    zero = np.zeros(3)
    alpha = float(rng.uniform(0.001, 0.999))
    relu_prime, leaky_prime = activations["relu"].sigma_prime, activations["leaky_relu"].sigma_prime
    errors.append(float(np.max(np.abs(relu_prime(np, zero) - 0.0))))  # ReLU'(0) := 0
    errors.append(float(np.max(np.abs(leaky_prime(np, zero) - 0.01))))  # := alpha = 0.01
    errors.append(float(np.max(np.abs(nn.leaky_relu_prime(zero, alpha) - alpha))))  # any alpha
    return Figures(
        len(activations),
        nan_max(errors),
        1e-14,
        "|sigma - reference| / max(1, |reference|) against SymPy (30 digits) and "
        "torch.nn.functional, float64; ReLU'(0) = 0, leaky ReLU'(0) = alpha",
    )


@single_threaded
def derivatives_match_sympy(rng: np.random.Generator, *, activations=nn.ACTIVATIONS) -> Figures:
    """Each sigma_prime vs sympy.diff of the SymPy definition, away from kinks."""
    errors = []
    for name, act in activations.items():
        z = _points(rng)
        errors.append(_mp_err(np.asarray(act.sigma_prime(np, z)), _sympy_derivative(name), z))
    return Figures(
        len(activations) * 40,
        nan_max(errors),
        1e-14,
        "|sigma'(z) - d/dz sigma (sympy.diff, 30 digits)| / max(1, |.|), float64, "
        "40 random points per activation, |z| >= 1e-3",
    )


@single_threaded
def derivative_conventions_match_autograd(
    rng: np.random.Generator, *, activations=nn.ACTIVATIONS
) -> Figures:
    """sigma_prime at 0 and at random points vs torch autograd of torch.nn.functional."""
    errors = []
    for name, act in activations.items():
        z = np.concatenate([[0.0], rng.standard_normal(30) * 4])
        zt = torch.from_numpy(z).requires_grad_(True)
        (ref,) = torch.autograd.grad(TORCH_ACTIVATIONS[name](zt).sum(), zt)
        errors.append(float(np.max(np.abs(np.asarray(act.sigma_prime(np, z)) - ref.numpy()))))
    return Figures(
        len(activations),
        nan_max(errors),
        1e-14,
        "max |sigma'(z) - torch.autograd| at z = 0 and 30 random z, float64",
    )


@single_threaded
def derivative_from_output_matches(
    rng: np.random.Generator, *, activations=nn.ACTIVATIONS
) -> Figures:
    """Activation.derivative(xp, Z, sigma(Z)) vs sigma_prime(xp, Z), float32 and float64."""
    errors = []
    for dtype, eps in ((np.float64, 2.0**-52), (np.float32, 2.0**-23)):
        for act in activations.values():
            Z = (rng.standard_normal((7, 5)) * 4).astype(dtype)
            d = np.asarray(act.derivative(np, Z, act.sigma(np, Z)))
            errors.append(float(np.max(np.abs(d - act.sigma_prime(np, Z)))) / (8 * eps))
    return Figures(
        2 * len(activations),
        nan_max(errors),
        1.0,
        "max |derivative(Z, sigma(Z)) - sigma_prime(Z)| in units of 8 eps (float32, float64)",
    )


@single_threaded
def softmax_matches_definition(
    rng: np.random.Generator, *, softmax=nn.softmax, logsumexp=nn.logsumexp
) -> Figures:
    """softmax and lse vs torch.softmax / torch.logsumexp and the definitions in mpmath."""
    errors = []
    n = 20
    for _ in range(n):
        m, K = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        Z = rng.standard_normal((m, K)) * 5
        S, lse = np.asarray(softmax(Z)), np.asarray(logsumexp(Z))
        Zt = torch.from_numpy(Z)
        errors.append(float(np.max(np.abs(S - torch.softmax(Zt, dim=1).numpy()))))
        errors.append(
            float(
                np.max(
                    np.abs(lse - torch.logsumexp(Zt, dim=1).numpy()) / np.maximum(1, np.abs(lse))
                )
            )
        )
        with mpmath.workdps(30):
            for i in range(m):
                e = [mpmath.exp(mpmath.mpf(float(t))) for t in Z[i]]
                errors.append(max(float(abs(S[i, k] - e[k] / mpmath.fsum(e))) for k in range(K)))
                ref = mpmath.log(mpmath.fsum(e))
                errors.append(float(abs(lse[i] - ref) / max(1, abs(ref))))
    return Figures(
        n,
        nan_max(errors),
        1e-14,
        "softmax (abs.) and lse (rel.) vs torch and the definitions in mpmath, float64",
    )


@cache
def _sympy_softmax_jacobian(K: int):
    z = sp.symbols(f"z0:{K}", real=True)
    s = [sp.exp(zk) / sum(sp.exp(zj) for zj in z) for zk in z]
    J = sp.Matrix(K, K, lambda i, j: sp.diff(s[i], z[j]))
    return sp.lambdify([z], J, modules="mpmath")


@single_threaded
def softmax_jacobian_matches(
    rng: np.random.Generator, *, softmax_jacobian=nn.softmax_jacobian
) -> Figures:
    """J(z) vs torch.autograd.functional.jacobian (K <= 12) and SymPy (K = 2, 3, 4)."""
    errors = []
    n = 30
    for i in range(n):
        K = int(rng.integers(1, 13)) if i >= 6 else 2 + i % 3
        z = rng.standard_normal(K) * 3
        J = np.asarray(softmax_jacobian(z))
        ref = torch.autograd.functional.jacobian(lambda t: torch.softmax(t, 0), torch.from_numpy(z))
        errors.append(float(np.max(np.abs(J - ref.numpy()))) if J.shape == (K, K) else math.inf)
        if i < 6:
            with mpmath.workdps(30):
                S = _sympy_softmax_jacobian(K)([mpmath.mpf(float(t)) for t in z])
                errors.append(
                    max(float(abs(J[a, b] - S[a, b])) for a in range(K) for b in range(K))
                )
    return Figures(
        n,
        nan_max(errors),
        1e-14,
        "max |J(z) - reference| entrywise, references torch.autograd.functional."
        "jacobian and sympy (30 digits), float64",
    )


@single_threaded
def softmax_jacobian_properties(
    rng: np.random.Generator, *, softmax_jacobian=nn.softmax_jacobian, softmax=nn.softmax
) -> Figures:
    """Symmetry, PSD, J 1 = 0, rank K - 1, softmax(z + c 1) = softmax(z)."""
    errors = []
    n = 40
    for _ in range(n):
        K = int(rng.integers(2, 13))
        z = rng.standard_normal(K) * 2
        J = np.asarray(softmax_jacobian(z))
        ev = np.linalg.eigvalsh((J + J.T) / 2)
        scale = float(np.max(np.abs(ev)))
        eps = 1e-15
        errors.append(float(np.max(np.abs(J - J.T))) / eps)  # symmetric
        errors.append(max(0.0, -float(ev[0]) / (eps * K)))  # PSD
        errors.append(float(np.max(np.abs(J @ np.ones(K)))) / (eps * K))  # J 1 = 0
        rank = int(np.sum(ev > 1e-10 * scale))
        errors.append(0.0 if rank == K - 1 else math.inf)  # rank K - 1
        c = float(rng.uniform(-50, 50))
        shift = np.max(np.abs(softmax((z + c)[None, :]) - softmax(z[None, :])))
        errors.append(float(shift) / (eps * 100))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|J - J^T|, -lambda_min, |J 1| in units of K*1e-15; rank == K-1 (else inf); "
        "|softmax(z + c1) - softmax(z)| in units of 1e-13 (|c| <= 50), float64",
    )


CLAIMS = (
    Witness(
        "def-standard-activations",
        activations_match_definitions,
        "each sigma vs SymPy and torch.nn.functional; conventions at 0",
    ),
    Witness(
        "prop-activation-derivatives",
        derivatives_match_sympy,
        "each sigma' vs sympy.diff of an independent SymPy definition",
    ),
    Witness(
        "prop-activation-derivatives",
        derivative_conventions_match_autograd,
        "sigma' at 0 and random points vs torch autograd",
    ),
    Witness(
        "prop-activation-derivatives",
        derivative_from_output_matches,
        "derivative(Z, sigma(Z)) vs sigma_prime(Z)",
    ),
    Witness("def-softmax", softmax_matches_definition, "softmax and lse vs torch and mpmath"),
    Witness("prop-softmax-jacobian", softmax_jacobian_matches, "J(z) vs torch jacobian and SymPy"),
    Witness(
        "prop-softmax-jacobian",
        softmax_jacobian_properties,
        "symmetric PSD, J1 = 0, rank K-1, shift invariance",
    ),
)
