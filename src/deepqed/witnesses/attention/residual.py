r"""Witnesses of Section "Residual connections": `lem-att-residual-sv`, `thm-att-residual-stack`,
`prop-att-plain-stack`."""

from __future__ import annotations

import numpy as np
import torch

from ... import attention
from ...registry import Figures, Witness
from ._common import nan_max, relative_error, single_threaded


def _violation(s: np.ndarray, lo: float, hi: float) -> float:
    """How far the singular values s leave [lo, hi], relative to hi (0 when inside)."""
    return max(lo - float(s.min()), float(s.max()) - hi, 0.0) / hi


@single_threaded
def perturbed_identity_singular_values(
    rng: np.random.Generator, *, singular_values=lambda M: np.linalg.svd(M, compute_uv=False)
) -> Figures:
    """Singular values (``np.linalg.svd``) of I + E with ``||E||_op <= eps < 1`` lie in
    [1 - eps, 1 + eps]; those of a product AB lie in [s_min(A) s_min(B), s_max(A) s_max(B)]."""
    errors = []
    for _ in range(20):
        n = int(rng.integers(1, 12))
        eps = float(rng.uniform(0, 0.999))
        E = rng.standard_normal((n, n))
        E *= eps / np.linalg.norm(E, 2)
        errors.append(_violation(singular_values(np.eye(n) + E), 1 - eps, 1 + eps))
        A, B = rng.standard_normal((2, n, n))
        sa, sb = (np.linalg.svd(M, compute_uv=False) for M in (A, B))
        errors.append(_violation(singular_values(A @ B), sa.min() * sb.min(), sa.max() * sb.max()))
    return Figures(
        20,
        nan_max(errors),
        1e-12,
        "distance of the singular values of I + E and of AB outside the proved "
        "intervals, relative to the upper end, float64",
    )


def _torch_stack(Ws, bs, residual):
    def f(x):
        for W, b in zip(Ws, bs):
            T = torch.tanh(W @ x + b)
            x = x + T if residual else T
        return x

    return f


@single_threaded
def residual_stack_singular_values(
    rng: np.random.Generator, *, jacobian=attention.stack_jacobian
) -> Figures:
    """Jacobian of ``x -> x + tanh(W_l x + b_l)``, l = 1..L, with ``||W_l||_op = eps_l < 1``, by
    ``torch.autograd.functional.jacobian``; its singular values lie in
    [prod(1 - eps_l), prod(1 + eps_l)]; the library's closed-form Jacobian equals torch's."""
    errors = []
    for _ in range(6):
        n, L = int(rng.integers(2, 9)), int(rng.integers(1, 16))
        eps = rng.uniform(0.0, 0.9, size=L)
        Ws, bs = attention.random_stack(n, eps, rng=rng)
        x = rng.standard_normal(n)
        Jt = torch.autograd.functional.jacobian(
            _torch_stack(
                [torch.from_numpy(W) for W in Ws], [torch.from_numpy(b) for b in bs], True
            ),
            torch.from_numpy(x),
        ).numpy()
        s = np.linalg.svd(Jt, compute_uv=False)
        errors.append(_violation(s, float(np.prod(1 - eps)), float(np.prod(1 + eps))))
        errors.append(relative_error([jacobian(Ws, bs, x, residual=True)[1]], [Jt]))
    return Figures(
        6,
        nan_max(errors),
        1e-12,
        "singular values of the torch-autograd Jacobian outside [prod(1-eps_l), "
        "prod(1+eps_l)] (relative), and stack_jacobian vs torch, float64",
    )


@single_threaded
def plain_stack_singular_values(
    rng: np.random.Generator, *, jacobian=attention.stack_jacobian
) -> Figures:
    """Plain stack ``x -> tanh(W_l x + b_l)``: the largest singular value of the torch-autograd
    Jacobian is at most prod(eps_l); the library's Jacobian equals torch's."""
    errors = []
    for _ in range(6):
        n, L = int(rng.integers(2, 9)), int(rng.integers(1, 16))
        eps = rng.uniform(0.0, 2.0, size=L)
        Ws, bs = attention.random_stack(n, eps, rng=rng)
        x = rng.standard_normal(n)
        Jt = torch.autograd.functional.jacobian(
            _torch_stack(
                [torch.from_numpy(W) for W in Ws], [torch.from_numpy(b) for b in bs], False
            ),
            torch.from_numpy(x),
        ).numpy()
        bound = float(np.prod(eps))
        errors.append(max(float(np.linalg.norm(Jt, 2)) - bound, 0.0) / bound)
        errors.append(relative_error([jacobian(Ws, bs, x, residual=False)[1]], [Jt]))
    return Figures(
        6,
        nan_max(errors),
        1e-12,
        "largest singular value of the plain stack's Jacobian above prod(eps_l) "
        "(relative), and stack_jacobian vs torch autograd, float64",
    )


CLAIMS = (
    Witness(
        "lem-att-residual-sv",
        perturbed_identity_singular_values,
        "singular values of I + E and of products stay in the proved intervals",
    ),
    Witness(
        "thm-att-residual-stack",
        residual_stack_singular_values,
        "residual stacks: singular values of the Jacobian in [prod(1-eps), prod(1+eps)]",
    ),
    Witness(
        "prop-att-plain-stack",
        plain_stack_singular_values,
        "plain stacks: the Jacobian's norm is at most prod(eps)",
    ),
)
