r"""Witnesses of Section "Derivatives": `def-frechet`, `thm-chain-rule`, `def-jacobian-vec`,
`prop-linear-jacobians`, `prop-matrix-derivatives`.

References: ``torch.autograd`` (its 4-way Jacobians reordered to the column-stacking convention by
:func:`._common.col_major_jacobian`), SymPy, central differences."""

from __future__ import annotations

import math

import numpy as np
import sympy
import torch

from ... import calculus, gradcheck, losses, nn
from ...registry import Figures, Witness
from ._common import col_major_jacobian, nan_max, single_threaded, slope


@single_threaded
def frechet_remainder_vanishes(
    rng: np.random.Generator, *, softmax_cross_entropy_grad=losses.softmax_cross_entropy_grad
) -> Figures:
    """Riesz gradient of ``A -> CE(A, Y)`` on ``R^{m x K}`` (Frobenius):
    ``|f(A+tH) - f(A) - <G, tH>| / ||tH||`` decays like ``t`` (slope 1), i.e. the remainder is
    ``o(||tH||)``."""
    errors = []
    n = 12
    t = np.logspace(-2, -5, 7)
    for _ in range(n):
        m, K = int(rng.integers(1, 8)), int(rng.integers(2, 8))
        A, H = rng.standard_normal((m, K)), rng.standard_normal((m, K))
        Y = rng.dirichlet(np.ones(K), size=m)
        G = np.asarray(softmax_cross_entropy_grad(A, Y))
        f0 = float(losses.softmax_cross_entropy(A, Y))
        ratio = np.array(
            [
                abs(
                    float(losses.softmax_cross_entropy(A + s * H, Y))
                    - f0
                    - s * float(np.sum(G * H))
                )
                / (s * np.linalg.norm(H))
                for s in t
            ]
        )
        errors.append(abs(slope(t, ratio) - 1.0) if np.all(ratio > 0) else math.inf)
    return Figures(
        n,
        nan_max(errors),
        0.15,
        "|slope - 1| of log(remainder/||tH||) vs log t, t in [1e-5, 1e-2], remainder "
        "f(A+tH) - f(A) - <grad f(A), tH>_F for softmax cross-entropy, float64",
    )


def _composite(W, b):
    """x -> softmax(tanh(W x + b)) with its Jacobian by the chain rule from deepqed's pieces."""

    def f(x):
        return np.asarray(nn.softmax(np.tanh(W @ x + b)[None, :]))[0]

    def Df(x, softmax_jacobian, tanh_prime):
        z = W @ x + b
        return np.asarray(softmax_jacobian(np.tanh(z))) @ (np.asarray(tanh_prime(z))[:, None] * W)

    return f, Df


@single_threaded
def chain_rule_jacobian(
    rng: np.random.Generator, *, softmax_jacobian=nn.softmax_jacobian, tanh_prime=nn.tanh_prime
) -> Figures:
    """D(f o g)(x) = Df(g(x)) Dg(x) for softmax o tanh o affine, vs central differences and
    torch.autograd.functional.jacobian."""
    errors = []
    n = 20
    for _ in range(n):
        k, d = int(rng.integers(2, 8)), int(rng.integers(1, 8))
        W, b, x = rng.standard_normal((k, d)), rng.standard_normal(k), rng.standard_normal(d)
        f, Df = _composite(W, b)
        J = Df(x, softmax_jacobian, tanh_prime)
        cd = np.stack([gradcheck.central_difference(f, x, e, 1e-5) for e in np.eye(d)], axis=1)
        Wt, bt = torch.from_numpy(W), torch.from_numpy(b)
        ref = torch.autograd.functional.jacobian(
            lambda t: torch.softmax(torch.tanh(Wt @ t + bt), 0), torch.from_numpy(x)
        ).numpy()
        scale = float(np.linalg.norm(ref))
        errors.append(float(np.linalg.norm(J - ref)) / scale / 1e-12)
        errors.append(float(np.linalg.norm(J - cd)) / scale / 1e-6)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "||J_chain - J_ref||_F / ||J_ref||_F: vs torch jacobian in units of 1e-12, vs "
        "central differences (h = 1e-5) in units of 1e-6, float64",
    )


@single_threaded
def chain_rule_remainder(
    rng: np.random.Generator, *, softmax_jacobian=nn.softmax_jacobian, tanh_prime=nn.tanh_prime
) -> Figures:
    """For the composite F = f o g: ||F(x+tv) - F(x) - Df(g(x))Dg(x) tv|| / ||tv|| decays like t."""
    errors = []
    n = 12
    t = np.logspace(-2, -5, 7)
    for _ in range(n):
        k, d = int(rng.integers(2, 8)), int(rng.integers(1, 8))
        W, b, x, v = (
            rng.standard_normal((k, d)),
            rng.standard_normal(k),
            rng.standard_normal(d),
            rng.standard_normal(d),
        )
        f, Df = _composite(W, b)
        J = Df(x, softmax_jacobian, tanh_prime)
        r = np.array(
            [np.linalg.norm(f(x + s * v) - f(x) - s * J @ v) / (s * np.linalg.norm(v)) for s in t]
        )
        errors.append(abs(slope(t, r) - 1.0) if np.all(r > 0) else math.inf)
    return Figures(
        n,
        nan_max(errors),
        0.15,
        "|slope - 1| of log(remainder/||tv||) vs log t for softmax o tanh o affine, "
        "t in [1e-5, 1e-2], float64",
    )


def _torch_jac(fn, X: np.ndarray) -> np.ndarray:
    """``J_f(X)`` in the vec convention from ``torch.autograd.functional.jacobian`` (float64)."""
    J = torch.autograd.functional.jacobian(fn, torch.from_numpy(X)).numpy()
    out_shape = J.shape[: J.ndim - X.ndim]
    out2 = tuple(out_shape) + (1,) * (2 - len(out_shape))
    return col_major_jacobian(J.reshape(out2 + X.shape))


_TEST_MAPS = (
    (
        "tanh(A X) B",
        lambda A, B: lambda X: np.tanh(A @ X) @ B,
        lambda A, B: lambda X: torch.tanh(torch.from_numpy(A) @ X) @ torch.from_numpy(B),
    ),
    ("X X^T", lambda A, B: lambda X: X @ X.T, lambda A, B: lambda X: X @ X.T),
    (
        "sin(X) b",
        lambda A, B: lambda X: np.sin(X) @ B[:, :1],
        lambda A, B: lambda X: torch.sin(X) @ torch.from_numpy(B[:, :1].copy()),
    ),
)


@single_threaded
def jacobian_convention(rng: np.random.Generator, *, jacobian_fd=calculus.jacobian_fd) -> Figures:
    """``jacobian_fd`` (central differences, column (j-1)p + i = d vec f / d X_ij) vs
    ``torch.autograd.functional.jacobian`` reordered to column-stacking vec on both sides."""
    errors = []
    n = 15
    for k in range(n):
        p, q = (int(v) for v in rng.integers(1, 5, size=2))
        A, B = rng.standard_normal((4, p)), rng.standard_normal((q, 3))
        X = rng.standard_normal((p, q))
        _, f_np, f_t = _TEST_MAPS[k % len(_TEST_MAPS)]
        J = np.asarray(jacobian_fd(f_np(A, B), X, 1e-5))
        ref = _torch_jac(f_t(A, B), X)
        errors.append(
            float(np.abs(J - ref).max()) / (1 + float(np.abs(ref).max())) / 1e-7
            if J.shape == ref.shape
            else math.inf
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |J_fd - J_torch| / (1 + max |J_torch|) in units of 1e-7, h = 1e-5, for "
        "tanh(AX)B, XX^T, sin(X)b, float64",
    )


@single_threaded
def linear_jacobians_match_autograd(
    rng: np.random.Generator,
    *,
    jacobian_AXB=calculus.jacobian_AXB,
    jacobian_XW=calculus.jacobian_XW,
    commutation_matrix=calculus.commutation_matrix,
) -> Figures:
    """Parts 1-3: ``B^T kron A``, ``W^T kron I_m``, ``I_n kron X``, ``(I_q kron A_0) K_qp`` vs torch
    Jacobians of ``X -> A X B``, ``X -> X W``, ``W -> X W``, ``W -> A_0 W^T``."""
    errors = []
    n = 20
    for _ in range(n):
        r, p, q, s, m = (int(v) for v in rng.integers(1, 5, size=5))
        A, B = rng.standard_normal((r, p)), rng.standard_normal((q, s))
        X = rng.standard_normal((p, q))
        At, Bt = torch.from_numpy(A), torch.from_numpy(B)
        pairs = [(np.asarray(jacobian_AXB(A, B)), _torch_jac(lambda T: At @ T @ Bt, X))]
        W, Xm = rng.standard_normal((p, s)), rng.standard_normal((m, p))
        Wt = torch.from_numpy(W)
        pairs.append((np.asarray(jacobian_XW(W, m)), _torch_jac(lambda T: T @ Wt, Xm)))
        Xmt = torch.from_numpy(Xm)
        pairs.append((np.kron(np.eye(s), Xm), _torch_jac(lambda T: Xmt @ T, W)))
        A0, W2 = rng.standard_normal((m, p)), rng.standard_normal((q, p))
        A0t = torch.from_numpy(A0)
        J3 = np.kron(np.eye(q), A0) @ np.asarray(commutation_matrix(q, p))
        pairs.append((J3, _torch_jac(lambda T: A0t @ T.T, W2)))
        for J, ref in pairs:
            errors.append(
                float(np.abs(J - ref).max()) / (1 + float(np.abs(ref).max())) / 1e-14
                if J.shape == ref.shape
                else math.inf
            )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |J - J_torch| / (1 + max |J_torch|) in units of 1e-14 for AXB, XW (in X "
        "and in W), A_0 W^T, float64",
    )


@single_threaded
def matrix_gradients_match_autograd(
    rng: np.random.Generator,
    *,
    grad_trace_AX=calculus.grad_trace_AX,
    grad_frobenius_residual=calculus.grad_frobenius_residual,
    grad_quadratic_form=calculus.grad_quadratic_form,
    grad_logdet=calculus.grad_logdet,
    inverse_jacobian=calculus.inverse_jacobian,
    entrywise_jacobian=calculus.entrywise_jacobian,
) -> Figures:
    """Parts 1-6 vs ``torch.autograd``: gradients of tr(AX), ||AX - B||^2, x^T A x,
    ``torch.logdet`` (symmetric directions), Jacobians of ``torch.linalg.inv`` and
    ``torch.tanh``."""
    errors = []
    n = 15
    for _ in range(n):
        r, p, q = (int(v) for v in rng.integers(1, 5, size=3))
        A1 = rng.standard_normal((q, p))
        A, X = rng.standard_normal((r, p)), rng.standard_normal((p, q))
        B = rng.standard_normal((r, q))
        x, Q = rng.standard_normal(p), rng.standard_normal((p, p))
        M = rng.standard_normal((p, p))
        S = M @ M.T + p * np.eye(p)
        Xt = torch.tensor(X, requires_grad=True)
        (g1,) = torch.autograd.grad(torch.trace(torch.from_numpy(A1) @ Xt), Xt)
        Xt2 = torch.tensor(X, requires_grad=True)
        residual = torch.from_numpy(A) @ Xt2 - torch.from_numpy(B)
        (g2,) = torch.autograd.grad((residual**2).sum(), Xt2)
        xt = torch.tensor(x, requires_grad=True)
        (g3,) = torch.autograd.grad(xt @ torch.from_numpy(Q) @ xt, xt)
        St = torch.tensor(S, requires_grad=True)
        (g4,) = torch.autograd.grad(torch.logdet(St), St)  # = S^{-T}, symmetric
        pairs = [
            (grad_trace_AX(A1), g1),
            (grad_frobenius_residual(A, X, B), g2),
            (grad_quadratic_form(Q, x), g3),
            (grad_logdet(S), g4),
        ]
        pairs.append((inverse_jacobian(S + 0.5 * Q), _torch_jac(torch.linalg.inv, S + 0.5 * Q)))
        pairs.append((entrywise_jacobian(nn.tanh_prime, X), _torch_jac(torch.tanh, X)))
        for ours, ref in pairs:
            ours, ref = np.asarray(ours), np.asarray(ref)
            errors.append(
                float(np.abs(ours - ref).max()) / (1 + float(np.abs(ref).max())) / 1e-12
                if ours.shape == ref.shape
                else math.inf
            )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |ours - torch| / (1 + max |torch|) in units of 1e-12: grad tr(AX), "
        "||AX-B||^2, x^T A x, log det; Jacobians of inverse and tanh, float64",
    )


def _sympy_references(n: int):
    """Functions of an n x n array: gradient of log det (SymPy ``diff`` of ``log(det X)``) and
    the vec-convention Jacobian of the inverse (``diff`` of ``X.inv()``), with a general
    symbolic X."""
    Xs = sympy.Matrix(n, n, lambda i, j: sympy.Symbol(f"x{i}{j}"))
    syms = list(Xs)
    d = Xs.det()
    G = sympy.Matrix(n, n, lambda i, j: sympy.diff(sympy.log(d), Xs[i, j]))
    inv = Xs.adjugate() / d
    vec_inv = [inv[i, j] for j in range(n) for i in range(n)]  # column-stacking
    vec_x = [Xs[i, j] for j in range(n) for i in range(n)]
    J = sympy.Matrix([[sympy.diff(f, v) for v in vec_x] for f in vec_inv])
    return sympy.lambdify([syms], G, "numpy"), sympy.lambdify([syms], J, "numpy")


def logdet_and_inverse_match_sympy(
    rng: np.random.Generator,
    *,
    grad_logdet=calculus.grad_logdet,
    inverse_derivative=calculus.inverse_derivative,
    inverse_jacobian=calculus.inverse_jacobian,
) -> Figures:
    """Parts 4 and 5 vs SymPy (n = 2, 3): the gradient of ``log(det X)`` at an SPD X and the
    Jacobian of ``X^{-1}`` (adjugate / det) differentiated symbolically; the directional
    derivative ``-X^{-1} H X^{-1}`` vs the symbolic Jacobian times vec(H)."""
    errors = []
    n = 0
    for size in (2, 3):
        grad_ref, jac_ref = _sympy_references(size)
        for _ in range(6):
            n += 1
            M = rng.standard_normal((size, size))
            S = M @ M.T + 0.5 * np.eye(size)
            X = rng.standard_normal((size, size)) + 2 * np.eye(size)
            H = rng.standard_normal((size, size))
            G = np.asarray(grad_ref(S.reshape(-1)), dtype=float)
            J = np.asarray(jac_ref(X.reshape(-1)), dtype=float)
            dir_ref = (J @ H.reshape(-1, order="F")).reshape(size, size, order="F")
            for ours, ref in (
                (grad_logdet(S), G),
                (inverse_jacobian(X), J),
                (inverse_derivative(X, H), dir_ref),
            ):
                ours = np.asarray(ours)
                errors.append(
                    float(np.abs(ours - ref).max()) / (1 + float(np.abs(ref).max())) / 1e-10
                    if ours.shape == ref.shape
                    else math.inf
                )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |ours - sympy| / (1 + max |sympy|) in units of 1e-10, n = 2, 3: "
        "grad log det, Jacobian and directional derivative of the inverse",
    )


CLAIMS = (
    Witness(
        "def-frechet",
        frechet_remainder_vanishes,
        "remainder of the Frobenius gradient decays like ||H||",
    ),
    Witness(
        "thm-chain-rule",
        chain_rule_jacobian,
        "product of Jacobians vs torch jacobian and central differences",
    ),
    Witness(
        "thm-chain-rule",
        chain_rule_remainder,
        "remainder of the chain-rule derivative decays like ||h||",
    ),
    Witness(
        "def-jacobian-vec",
        jacobian_convention,
        "central-difference Jacobian (vec convention) vs reordered torch Jacobians",
    ),
    Witness(
        "prop-linear-jacobians",
        linear_jacobians_match_autograd,
        "Kronecker Jacobians of AXB, XW (in X and in W), A_0 W^T vs torch",
    ),
    Witness(
        "prop-matrix-derivatives",
        matrix_gradients_match_autograd,
        "six derivatives vs torch autograd",
    ),
    Witness(
        "prop-matrix-derivatives",
        logdet_and_inverse_match_sympy,
        "log det and inverse vs SymPy differentiation",
    ),
)
