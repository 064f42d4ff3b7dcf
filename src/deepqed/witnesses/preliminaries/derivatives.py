r"""Witnesses of Section "Derivatives": `def-frechet`, `thm-chain-rule`, `def-jacobian-vec`,
`prop-linear-jacobians`, `prop-matrix-derivatives`.

References: ``torch.autograd`` (its 4-way Jacobians reordered to the column-stacking convention by
:func:`._common.col_major_jacobian`), SymPy, and the Taylor coefficients of the test functions
along a line (torch, forward mode). Tolerances are rounding bounds (:mod:`._common`); those of
matrix inverses carry the condition number $\kappa_2$ (the normwise forward error of a computed
inverse is at most $c_nu\kappa_2$, Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd
ed., chapter 14; we take $c_n = 8n^2$)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import sympy
import torch

from ... import calculus, losses, nn
from ...registry import Witness
from .._common import Evidence, error, rate, single_threaded, slope
from ._common import col_major_jacobian, gamma

U64 = 2.0**-53  # unit roundoff of float64

#: Tolerance of the fitted slope of a remainder: on the range chosen by :func:`_taylor_range` the
#: cubic Taylor term and rounding each move the slope by less than 0.01.
SLOPE_TOL = 0.05


def _taylor_range(a: float, c: float, scale: float) -> tuple[float, float] | None:
    r"""A range ``[t_lo, t_hi]`` of step sizes on which the remainder of the linearisation,
    $r(t) = at^2 + ct^3 + O(t^4)$, is its quadratic term to within 1% and rounding (at most
    $10^3u\,\mathrm{scale}$ in absolute value) is below 1% of it: $t_{hi} = \min(10^{-2},
    10^{-2}a/|c|)$, $t_{lo} = \max(10^{-3}t_{hi}, (10^5u\,\mathrm{scale}/a)^{1/2})$. ``None``
    when the range is shorter than a decade (then the quadratic term is too small to be seen)."""
    if not a > 0:
        return None
    t_hi = min(1e-2, 1e-2 * a / abs(c)) if c != 0 else 1e-2
    t_lo = max(t_hi * 1e-3, math.sqrt(1e5 * U64 * scale / a))
    return (t_lo, t_hi) if t_hi >= 10 * t_lo else None


def _line_derivatives(phi: Callable[[torch.Tensor], torch.Tensor]) -> tuple[np.ndarray, ...]:
    """``phi''(0)`` and ``phi'''(0)`` of a vector-valued map of one real variable, by repeated
    reverse-mode differentiation of each component (torch autograd, float64)."""
    t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    out = phi(t)
    d2, d3 = [], []
    for y in out.reshape(-1):
        (g1,) = torch.autograd.grad(y, t, create_graph=True)
        (g2,) = torch.autograd.grad(g1, t, create_graph=True)
        (g3,) = torch.autograd.grad(g2, t, retain_graph=True, allow_unused=True)
        d2.append(float(g2.detach()))
        d3.append(0.0 if g3 is None else float(g3.detach()))
    return np.array(d2), np.array(d3)


def _ce_line_derivatives(A: np.ndarray, Y: np.ndarray, H: np.ndarray) -> tuple[float, float]:
    r"""The second and third derivatives at 0 of ``t -> CE(A + tH, Y)``, in closed form: along a
    direction $h$ the derivatives of $\operatorname{lse}(a + th)$ at $t = 0$ are the mean, variance
    and third central moment of the entries of $h$ under the weights $\operatorname{softmax}(a)$,
    and the linear term $\langle y, a + th\rangle$ has none."""
    S = np.exp(A - A.max(axis=1, keepdims=True))
    S /= S.sum(axis=1, keepdims=True)
    centred = H - np.sum(S * H, axis=1, keepdims=True)
    weight = Y.sum(axis=1)
    d2 = float(np.mean(weight * np.sum(S * centred**2, axis=1)))
    d3 = float(np.mean(weight * np.sum(S * centred**3, axis=1)))
    return d2, d3


@single_threaded
def frechet_remainder_vanishes(
    rng: np.random.Generator, *, softmax_cross_entropy_grad=losses.softmax_cross_entropy_grad
) -> Evidence:
    """The Riesz gradient of ``A -> CE(A, Y)`` on ``R^{m x K}`` (Frobenius): the remainder ratio
    ``|f(A+tH) - f(A) - <G, tH>| / ||tH||`` has log-log slope 1 in ``t``, so it vanishes (it is
    ``o(||tH||)``). The range of ``t`` is chosen from the Taylor coefficients of
    ``t -> f(A + tH)`` (closed form, :func:`_ce_line_derivatives`) so that neither the cubic term
    nor rounding moves the slope by more than 0.01; a gradient off by a factor leaves a linear
    term and a slope near 0."""
    n = 12
    slopes: list[float] = []
    drawn = 0
    while len(slopes) < n:
        drawn += 1
        m, K = int(rng.integers(1, 8)), int(rng.integers(2, 8))
        A, H = rng.standard_normal((m, K)), rng.standard_normal((m, K))
        Y = rng.dirichlet(np.ones(K), size=m)
        d2, d3 = _ce_line_derivatives(A, Y, H)
        f0 = float(losses.softmax_cross_entropy(A, Y))
        span = _taylor_range(d2 / 2, d3 / 6, 8 * (m + K) * (1 + abs(f0)))
        if span is None and drawn < 10 * n:
            continue
        t = np.logspace(np.log10(span[1]), np.log10(span[0]), 7) if span else np.logspace(-2, -5, 7)
        G = np.asarray(softmax_cross_entropy_grad(A, Y))
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
        slopes.append(slope(t, ratio) if np.all(ratio > 0) else math.inf)
    worst = max(slopes, key=lambda v: abs(v - 1))
    return Evidence(
        n,
        (
            rate(
                "slope of $\\log(|f(A+tH) - f(A) - \\langle\\nabla f(A), tH\\rangle|/\\|tH\\|)$ "
                "against $\\log t$, softmax cross-entropy (worst instance)",
                worst,
                1.0,
                SLOPE_TOL,
            ),
        ),
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
) -> Evidence:
    """``D(f o g)(x) = Df(g(x)) Dg(x)`` for softmax o (tanh o affine): the product of the two
    Jacobians (deepqed's softmax Jacobian and tanh') vs ``torch.autograd.functional.jacobian`` of
    the composite, normwise relative to ``||diag(s) + s s^T|| (||diag(tanh'(z)) W|| + ||W||)`` (the
    entrywise scale of the two factors, the second with the absolute rounding of
    ``tanh' = 1 - tanh^2``), within the rounding bound ``2 gamma_(2k + 10)``."""
    n = 20
    worst = 0.0
    for _ in range(n):
        k, d = int(rng.integers(2, 8)), int(rng.integers(1, 8))
        W, b, x = rng.standard_normal((k, d)), rng.standard_normal(k), rng.standard_normal(d)
        _, Df = _composite(W, b)
        J = Df(x, softmax_jacobian, tanh_prime)
        Wt, bt = torch.from_numpy(W), torch.from_numpy(b)
        ref = torch.autograd.functional.jacobian(
            lambda t: torch.softmax(torch.tanh(Wt @ t + bt), 0), torch.from_numpy(x)
        ).numpy()
        z = W @ x + b
        s = np.exp(np.tanh(z) - np.tanh(z).max())
        s /= s.sum()
        # tanh'(z) = 1 - tanh(z)^2 has an absolute (not relative) rounding error of a few u
        scale = np.linalg.norm(np.diag(s) + np.outer(s, s)) * (
            np.linalg.norm((1 - np.tanh(z) ** 2)[:, None] * W) + np.linalg.norm(W)
        )
        diff = np.linalg.norm(J - ref) if J.shape == ref.shape else np.inf
        worst = max(worst, float(diff / scale) / (2 * gamma(2 * k + 10)))
    return Evidence(
        n,
        (
            error(
                "$\\|J_f(g(x))J_g(x) - J_{f\\circ g}^{\\mathrm{torch}}(x)\\|$ relative to the "
                "factors' scale, in units of its rounding bound $2\\gamma_{2k+10}$",
                worst,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def chain_rule_remainder(
    rng: np.random.Generator, *, softmax_jacobian=nn.softmax_jacobian, tanh_prime=nn.tanh_prime
) -> Evidence:
    """For the composite ``F = f o g``: ``||F(x+tv) - F(x) - Df(g(x))Dg(x) tv|| / ||tv||`` has
    log-log slope 1 in ``t`` (the remainder is ``o(||tv||)``), on a range of ``t`` chosen from the
    Taylor coefficients of ``t -> F(x + tv)`` (torch, forward mode) as in
    :func:`frechet_remainder_vanishes`."""
    n = 12
    slopes: list[float] = []
    drawn = 0
    while len(slopes) < n:
        drawn += 1
        k, d = int(rng.integers(2, 8)), int(rng.integers(1, 8))
        W, b = rng.standard_normal((k, d)), rng.standard_normal(k)
        x, v = rng.standard_normal(d), rng.standard_normal(d)
        f, Df = _composite(W, b)
        Wt, bt, xt, vt = (torch.from_numpy(M) for M in (W, b, x, v))
        d2, d3 = _line_derivatives(lambda t: torch.softmax(torch.tanh(Wt @ (xt + t * vt) + bt), 0))
        span = _taylor_range(
            float(np.linalg.norm(d2)) / 2, float(np.linalg.norm(d3)) / 6, 8 * (k + d)
        )
        if span is None and drawn < 10 * n:
            continue
        t = np.logspace(np.log10(span[1]), np.log10(span[0]), 7) if span else np.logspace(-2, -5, 7)
        J = Df(x, softmax_jacobian, tanh_prime)
        r = np.array(
            [np.linalg.norm(f(x + s * v) - f(x) - s * J @ v) / (s * np.linalg.norm(v)) for s in t]
        )
        slopes.append(slope(t, r) if np.all(r > 0) else math.inf)
    worst = max(slopes, key=lambda v: abs(v - 1))
    return Evidence(
        n,
        (
            rate(
                "slope of $\\log(\\|F(x+tv) - F(x) - J_f(g(x))J_g(x)tv\\|/\\|tv\\|)$ against "
                "$\\log t$, $F$ = softmax ∘ tanh ∘ affine (worst instance)",
                worst,
                1.0,
                SLOPE_TOL,
            ),
        ),
    )


def _torch_jac(fn, X: np.ndarray) -> np.ndarray:
    """``J_f(X)`` in the vec convention from ``torch.autograd.functional.jacobian`` (float64)."""
    J = torch.autograd.functional.jacobian(fn, torch.from_numpy(X)).numpy()
    out_shape = J.shape[: J.ndim - X.ndim]
    out2 = tuple(out_shape) + (1,) * (2 - len(out_shape))
    return col_major_jacobian(J.reshape(out2 + X.shape))


def _fd_tolerance(kind: str, A: np.ndarray, B: np.ndarray, X: np.ndarray, h: float) -> float:
    """Truncation plus rounding of a central difference with step ``h``: ``(h^2/6) M_3`` with
    ``M_3`` a bound on the third derivative along a coordinate, plus ``u`` times the values
    (two evaluations, each with at most ``2 gamma_(p+q+2)`` relative rounding) over ``h``."""
    p, q = X.shape
    if kind == "tanh(A X) B":  # d^3/ds^3 tanh((AX)_kj + A_ki s) B_jl, |tanh'''| <= 2
        m3, values = 2 * np.abs(A).max() ** 3 * np.abs(B).max(), np.abs(B).sum(0).max()
    elif kind == "X X^T":  # quadratic: no truncation error
        m3, values = 0.0, 2 * np.abs(X).max() ** 2 * q + 1
    else:  # sin(X) b: |sin'''| <= 1
        m3, values = np.abs(B[:, 0]).max(), np.abs(B[:, 0]).sum()
    return h * h / 6 * m3 + 2 * gamma(2 * (p + q + 2)) * values / h


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
def jacobian_convention(rng: np.random.Generator, *, jacobian_fd=calculus.jacobian_fd) -> Evidence:
    """``jacobian_fd`` (central differences, column ``i + p j`` = ``d vec f / d X_ij``) vs
    ``torch.autograd.functional.jacobian`` reordered to column-stacking vec on both sides, for
    ``tanh(AX)B``, ``XX^T`` and ``sin(X)b``, within the central difference's truncation bound plus
    rounding (:func:`_fd_tolerance`), h = 1e-5."""
    n = 15
    h = 1e-5
    worst = 0.0
    for k in range(n):
        p, q = (int(v) for v in rng.integers(1, 5, size=2))
        A, B = rng.standard_normal((4, p)), rng.standard_normal((q, 3))
        X = rng.standard_normal((p, q))
        name, f_np, f_t = _TEST_MAPS[k % len(_TEST_MAPS)]
        J = np.asarray(jacobian_fd(f_np(A, B), X, h))
        ref = _torch_jac(f_t(A, B), X)
        diff = float(np.abs(J - ref).max()) if J.shape == ref.shape else np.inf
        worst = max(worst, diff / _fd_tolerance(name, A, B, X, h))
    return Evidence(
        n,
        (
            error(
                "$\\max|J^{\\mathrm{fd}} - J^{\\mathrm{torch}}|$ in units of the central "
                "difference's truncation and rounding bound, h = 1e-5",
                worst,
                1.0,
                units="× bound",
            ),
        ),
    )


@single_threaded
def linear_jacobians_match_autograd(
    rng: np.random.Generator,
    *,
    jacobian_AXB=calculus.jacobian_AXB,
    jacobian_XW=calculus.jacobian_XW,
    commutation_matrix=calculus.commutation_matrix,
) -> Evidence:
    """Parts 1-3: ``B^T kron A``, ``W^T kron I_m``, ``I_n kron X``, ``(I_q kron A_0) K_qp`` vs torch
    Jacobians of ``X -> A X B``, ``X -> X W``, ``W -> X W``, ``W -> A_0 W^T``. Every entry of both
    sides is one product of two inputs, rounded once, plus exact zeros: they agree to ``2u``
    relative to the largest entry."""
    n = 20
    worst = {"AXB": 0.0, "XW": 0.0, "W -> XW": 0.0, "A_0 W^T": 0.0}
    for _ in range(n):
        r, p, q, s, m = (int(v) for v in rng.integers(1, 5, size=5))
        A, B = rng.standard_normal((r, p)), rng.standard_normal((q, s))
        X = rng.standard_normal((p, q))
        At, Bt = torch.from_numpy(A), torch.from_numpy(B)
        W, Xm = rng.standard_normal((p, s)), rng.standard_normal((m, p))
        Wt, Xmt = torch.from_numpy(W), torch.from_numpy(Xm)
        A0, W2 = rng.standard_normal((m, p)), rng.standard_normal((q, p))
        A0t = torch.from_numpy(A0)
        pairs = {
            "AXB": (np.asarray(jacobian_AXB(A, B)), _torch_jac(lambda T: At @ T @ Bt, X)),
            "XW": (np.asarray(jacobian_XW(W, m)), _torch_jac(lambda T: T @ Wt, Xm)),
            "W -> XW": (np.kron(np.eye(s), Xm), _torch_jac(lambda T: Xmt @ T, W)),
            "A_0 W^T": (
                np.kron(np.eye(q), A0) @ np.asarray(commutation_matrix(q, p)),
                _torch_jac(lambda T: A0t @ T.T, W2),
            ),
        }
        for key, (J, ref) in pairs.items():
            diff = float(np.abs(J - ref).max()) if J.shape == ref.shape else np.inf
            worst[key] = max(worst[key], diff / float(np.abs(ref).max()) / (2 * U64))
    labels = {
        "AXB": "$B^\\top\\otimes A$ vs torch, $X\\mapsto AXB$",
        "XW": "$W^\\top\\otimes I_m$ vs torch, $X\\mapsto XW$",
        "W -> XW": "$I_n\\otimes X$ vs torch, $W\\mapsto XW$",
        "A_0 W^T": "$(I_q\\otimes A_0)K_{qp}$ vs torch, $W\\mapsto A_0W^\\top$",
    }
    return Evidence(
        n,
        tuple(
            error(
                labels[key] + ", max error / max entry in units of $2u$",
                worst[key],
                1.0,
                units="× bound",
            )
            for key in labels
        ),
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
) -> Evidence:
    """Parts 1-6 vs ``torch.autograd``: gradients of tr(AX), ||AX - B||^2, x^T A x,
    ``torch.logdet`` (symmetric), Jacobians of ``torch.linalg.inv`` and ``torch.tanh``. Each is
    compared normwise with its rounding bound: ``gamma`` of the products for parts 1-3 (relative
    to the absolute-value products), ``8 n^2 u kappa_2`` for the inverses of parts 4-5, ``8u`` for
    tanh' (values in [0, 1])."""
    n = 15
    names = ("tr(AX)", "||AX - B||^2", "x^T A x", "log det", "inverse", "tanh")
    worst = dict.fromkeys(names, 0.0)
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
        Xi = S + 0.5 * Q
        kappa_S, kappa_X = np.linalg.cond(S), np.linalg.cond(Xi)
        cases = {
            "tr(AX)": (grad_trace_AX(A1), g1.numpy(), np.linalg.norm(A1), 2 * U64),
            "||AX - B||^2": (
                grad_frobenius_residual(A, X, B),
                g2.numpy(),
                np.linalg.norm(np.abs(A).T @ (np.abs(A) @ np.abs(X) + np.abs(B))),
                4 * gamma(p + r + 2),
            ),
            "x^T A x": (
                grad_quadratic_form(Q, x),
                g3.numpy(),
                np.linalg.norm((np.abs(Q) + np.abs(Q).T) @ np.abs(x)),
                4 * gamma(p + 2),
            ),
            "log det": (
                grad_logdet(S),
                g4.numpy(),
                np.linalg.norm(g4.numpy()),
                8 * p * p * U64 * kappa_S,
            ),
            "inverse": (
                inverse_jacobian(Xi),
                _torch_jac(torch.linalg.inv, Xi),
                np.linalg.norm(_torch_jac(torch.linalg.inv, Xi)),
                16 * p * p * U64 * kappa_X,
            ),
            "tanh": (entrywise_jacobian(nn.tanh_prime, X), _torch_jac(torch.tanh, X), 1.0, 8 * U64),
        }
        for key, (ours, ref, scale, bound) in cases.items():
            ours, ref = np.asarray(ours), np.asarray(ref)
            if ours.shape != ref.shape:
                diff = np.inf
            elif key == "tanh":  # entrywise: values in [0, 1]
                diff = float(np.abs(ours - ref).max())
            else:
                diff = float(np.linalg.norm(ours - ref))
            worst[key] = max(worst[key], diff / scale / bound)
    labels = {
        "tr(AX)": "$\\nabla\\operatorname{tr}(AX) = A^\\top$",
        "||AX - B||^2": "$\\nabla\\|AX - B\\|^2 = 2A^\\top(AX - B)$",
        "x^T A x": "$\\nabla x^\\top Ax = (A + A^\\top)x$",
        "log det": "$\\nabla\\log\\det X = X^{-1}$",
        "inverse": "$J_\\iota(X) = -(X^{-\\top}\\otimes X^{-1})$",
        "tanh": "$J_S(X) = \\operatorname{diag}(\\operatorname{vec}\\tanh'(X))$",
    }
    return Evidence(
        n,
        tuple(
            error(
                labels[k] + " vs torch, in units of its rounding bound",
                worst[k],
                1.0,
                units="× bound",
            )
            for k in names
        ),
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


@single_threaded
def logdet_and_inverse_match_sympy(
    rng: np.random.Generator,
    *,
    grad_logdet=calculus.grad_logdet,
    inverse_derivative=calculus.inverse_derivative,
    inverse_jacobian=calculus.inverse_jacobian,
) -> Evidence:
    """Parts 4 and 5 vs SymPy (n = 2, 3): the gradient of ``log(det X)`` at an SPD X and the
    Jacobian of ``X^{-1}`` (adjugate / det) differentiated symbolically and evaluated in float64;
    the directional derivative ``-X^{-1} H X^{-1}`` vs the symbolic Jacobian times vec(H). Normwise
    relative errors within ``16 n! n^2 u kappa_2^n``: the symbolic formulas divide by the
    determinant expanded in cofactors, whose relative rounding is at most ``gamma_(n n!)`` times
    ``perm|X| / |det X| <= n! kappa_2^n``."""
    worst = {"grad": 0.0, "jac": 0.0, "dir": 0.0}
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
            for key, ours, ref, kappa in (
                ("grad", grad_logdet(S), G, np.linalg.cond(S)),
                ("jac", inverse_jacobian(X), J, np.linalg.cond(X)),
                ("dir", inverse_derivative(X, H), dir_ref, np.linalg.cond(X)),
            ):
                ours = np.asarray(ours)
                diff = np.linalg.norm(ours - ref) if ours.shape == ref.shape else np.inf
                rel = float(diff / np.linalg.norm(ref))
                bound = 16 * math.factorial(size) * size**2 * U64 * kappa**size
                worst[key] = max(worst[key], rel / bound)
    labels = {
        "grad": "$\\nabla\\log\\det X$",
        "jac": "$J_\\iota(X)$",
        "dir": "$D\\iota(X)[H] = -X^{-1}HX^{-1}$",
    }
    return Evidence(
        n,
        tuple(
            error(
                labels[k] + " vs SymPy, relative error in units of $16\\,n!\\,n^2u\\kappa_2^n$",
                worst[k],
                1.0,
                units="× bound",
            )
            for k in labels
        ),
    )


CLAIMS = (
    Witness(
        "def-frechet",
        frechet_remainder_vanishes,
        "the remainder of the Frobenius gradient is o(||H||): slope 1",
        strength="exact",
    ),
    Witness(
        "thm-chain-rule",
        chain_rule_jacobian,
        "product of Jacobians vs torch jacobian of the composite",
        strength="exact",
    ),
    Witness(
        "thm-chain-rule",
        chain_rule_remainder,
        "remainder of the chain-rule derivative is o(||h||): slope 1",
        strength="exact",
    ),
    Witness(
        "def-jacobian-vec",
        jacobian_convention,
        "central-difference Jacobian (vec convention) vs reordered torch Jacobians",
        strength="exact",
    ),
    Witness(
        "prop-linear-jacobians",
        linear_jacobians_match_autograd,
        "Kronecker Jacobians of AXB, XW (in X and in W), A_0 W^T vs torch",
        strength="exact",
    ),
    Witness(
        "prop-matrix-derivatives",
        matrix_gradients_match_autograd,
        "six derivatives vs torch autograd",
        strength="exact",
    ),
    Witness(
        "prop-matrix-derivatives",
        logdet_and_inverse_match_sympy,
        "log det and inverse vs SymPy differentiation",
        strength="exact",
    ),
)
