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
from ...registry import Witness
from .._common import Evidence, equal
from ._common import TORCH_ACTIVATIONS, UNIT_ROUNDOFF, Worst, single_threaded

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

#: The tolerance of an activation or its derivative at one point, in units of u max(1, |value|):
#: libm's exp, log1p, tanh and erf are accurate to about one ulp, each formula adds at most four
#: roundings, and GELU's z Phi(z) (and Phi(z) + z phi(z)) carry Phi's absolute error (2u) times
#: |z| <= 8 where Phi is not rounded to 0 or 1.
ULPS = 16


@cache
def _sympy_derivative(name: str):
    """sigma' by ``sympy.diff``, lambdified to mpmath (evaluated with 30 digits)."""
    return sp.lambdify(_z, sp.diff(SYMPY_ACTIVATIONS[name], _z), modules="mpmath")


@cache
def _sympy_value(name: str):
    return sp.lambdify(_z, SYMPY_ACTIVATIONS[name], modules="mpmath")


def _points(rng, dtype, n=40):
    """Random points at several scales (up to |z| ~ 40), at distance >= 1e-3 from the kink 0."""
    z = rng.standard_normal(n) * rng.choice([0.3, 3.0, 12.0], size=n)
    return (np.where(z < 0, -1.0, 1.0) * np.maximum(np.abs(z), 1e-3)).astype(dtype)


def _mp(f, z: np.ndarray) -> list:
    """``f`` at each point with 40 + |z| digits: the SymPy forms cancel (1 - tanh(z)^2 loses
    0.87|z| digits), the extra digits absorb that."""
    out = []
    for t in z:
        with mpmath.workdps(40 + int(abs(float(t)))):
            out.append(+f(mpmath.mpf(float(t))))
    return out


def _mixed_error(ours: np.ndarray, ref: list) -> float:
    """max_i |ours_i - ref_i| / max(1, |ref_i|) (relative for large values, absolute near 0)."""
    with mpmath.workdps(30):
        return max(
            float(abs(mpmath.mpf(float(o)) - r) / max(1, abs(r)))
            for o, r in zip(np.asarray(ours, dtype=np.float64), ref)
        )


def _relative_error(ours: np.ndarray, ref: list) -> float:
    """max_i |ours_i - ref_i| / |ref_i| over the entries with ref_i != 0."""
    with mpmath.workdps(30):
        return max(
            float(abs(mpmath.mpf(float(o)) - r) / abs(r))
            for o, r in zip(np.asarray(ours, dtype=np.float64), ref)
            if r != 0
        )


@single_threaded
def activations_match_definitions(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), activations=nn.ACTIVATIONS
) -> Evidence:
    """Each sigma vs its SymPy definition (mpmath, 30 digits) and torch.nn.functional;
    conventions at 0."""
    u = UNIT_ROUNDOFF[dtype.name]
    exact, torch_ = Worst(), Worst()
    for name, act in activations.items():
        z = _points(rng, dtype)
        ours = np.asarray(act.sigma(np, z))
        ref = _mp(_sympy_value(name), z)
        exact.add(_mixed_error(ours, ref), ULPS * u, name)
        theirs = TORCH_ACTIVATIONS[name](torch.from_numpy(z)).numpy()
        diff = np.abs(ours.astype(np.float64) - theirs) / np.maximum(1, np.abs(theirs))
        torch_.add(float(np.max(diff)), 2 * ULPS * u, name)
    zero = np.zeros(3, dtype=dtype)
    alpha = float(rng.uniform(0.001, 0.999))
    relu_prime, leaky_prime = activations["relu"].sigma_prime, activations["leaky_relu"].sigma_prime
    return Evidence(
        len(activations) * 40,
        (
            exact.error(
                r"$|\sigma(z) - \sigma_{\mathrm{SymPy}}(z)| / \max(1, |\sigma(z)|)$", units=""
            ),
            torch_.error(
                r"$|\sigma(z) - \sigma_{\mathrm{torch}}(z)| / \max(1, |\sigma(z)|)$", units=""
            ),
            equal(r"$\mathrm{ReLU}'(0)$", float(np.max(np.abs(relu_prime(np, zero)))), 0.0, 0),
            equal(
                r"$\mathrm{ReLU}_\alpha'(0)$ (default $\alpha = 0.01$)",
                float(np.max(leaky_prime(np, zero))),
                float(dtype.type(0.01)),
                0,
            ),
            equal(
                r"$\mathrm{ReLU}_\alpha'(0)$ (random $\alpha$)",
                float(np.max(nn.leaky_relu_prime(zero, alpha))),
                float(dtype.type(alpha)),
                0,
                at=f"alpha = {alpha:.3g}",
            ),
        ),
        note=f"40 points per activation, |z| up to ~40, tolerance {ULPS} u (module constant ULPS)",
    )


@single_threaded
def derivatives_match_sympy(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), activations=nn.ACTIVATIONS
) -> Evidence:
    """Each sigma_prime vs sympy.diff of the SymPy definition (30 digits), away from kinks; the
    saturating derivatives (sigmoid, tanh, softplus) to a relative error of a few ulps."""
    u = UNIT_ROUNDOFF[dtype.name]
    mixed, relative = Worst(), Worst()
    for name, act in activations.items():
        z = _points(rng, dtype)
        if name in ("sigmoid", "tanh", "softplus"):  # saturated points where sigma' is normal:
            top = 700.0 if dtype == np.float64 else 80.0  # e^{-|z|} (sigmoid), e^{-2|z|} (tanh)
            top = top / 2 if name == "tanh" else top
            z = np.concatenate([z, rng.uniform(-top, top, size=10).astype(dtype)])
        ours = np.asarray(act.sigma_prime(np, z))
        ref = _mp(_sympy_derivative(name), z)
        mixed.add(_mixed_error(ours, ref), ULPS * u, name)
        if name in ("sigmoid", "tanh"):
            relative.add(_relative_error(ours, ref), ULPS * u, name)
    return Evidence(
        len(activations) * 40,
        (
            mixed.error(
                r"$|\sigma'(z) - \frac{d}{dz}\sigma_{\mathrm{SymPy}}(z)| / \max(1, |\sigma'(z)|)$",
                units="",
            ),
            relative.error(
                r"$|\sigma'(z) - \sigma'_{\mathrm{exact}}(z)| / \sigma'_{\mathrm{exact}}(z)$ (sigmoid, tanh; saturated $z$ included)"
            ),
        ),
        note=f"|z| >= 1e-3; tolerance {ULPS} u (module constant ULPS)",
    )


@single_threaded
def derivative_conventions_match_autograd(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), activations=nn.ACTIVATIONS
) -> Evidence:
    """sigma_prime at 0 (exactly: the conventions) and at random points vs torch autograd of
    torch.nn.functional (both within ULPS u of the derivative)."""
    u = UNIT_ROUNDOFF[dtype.name]
    at_zero, at_random = Worst(), Worst()
    for name, act in activations.items():
        z = np.concatenate([[0.0], rng.standard_normal(30) * 4]).astype(dtype)
        zt = torch.from_numpy(z).requires_grad_(True)
        (ref,) = torch.autograd.grad(TORCH_ACTIVATIONS[name](zt).sum(), zt)
        ours = np.asarray(act.sigma_prime(np, z), dtype=np.float64)
        ref = ref.numpy().astype(np.float64)
        at_zero.add(abs(ours[0] - ref[0]), 0.0, name)
        diff = np.abs(ours[1:] - ref[1:]) / np.maximum(1, np.abs(ref[1:]))
        at_random.add(float(np.max(diff)), 2 * ULPS * u, name)
    # ReLU and leaky ReLU are not differentiable at 0: their one-sided difference quotients there
    # are 1 (right) and 0, resp. alpha (left), for every h > 0 (exact: sigma(h) = h, sigma(-h) is
    # 0 or -alpha h, and h is a power of 2)
    h = float(2.0 ** -int(rng.integers(4, 20)))
    one_sided = Worst()
    for name, left in (("relu", 0.0), ("leaky_relu", float(dtype.type(0.01)))):
        sigma = activations[name].sigma
        zero = np.zeros(1, dtype=dtype)
        right_q = float((sigma(np, zero + dtype.type(h)) - sigma(np, zero))[0]) / h
        left_q = float((sigma(np, zero) - sigma(np, zero - dtype.type(h)))[0]) / h
        one_sided.add(abs(right_q - 1.0) + abs(left_q - left), 2 * u, f"{name}, h = {h:g}")
    return Evidence(
        len(activations) * 31 + 2,
        (
            at_zero.error(r"$|\sigma'(0) - $ torch autograd at 0$|$ (the conventions)", units=""),
            one_sided.error(
                r"one-sided quotients of ReLU, leaky ReLU at 0 vs 1 (right) and 0, $\alpha$ "
                r"(left): not differentiable at 0",
                units="",
            ),
            at_random.error(
                r"$|\sigma'(z) - $ torch autograd$| / \max(1, |\cdot|)$ at random $z$", units=""
            ),
        ),
    )


@single_threaded
def derivative_from_output_matches(
    rng: np.random.Generator, *, dtype: np.dtype = np.dtype("float64"), activations=nn.ACTIVATIONS
) -> Evidence:
    r"""``Activation.derivative(xp, Z, sigma(Z))`` vs ``sigma_prime(xp, Z)``, in absolute terms:
    the formulas in $A$ ($A(1-A)$, $1 - A^2$) lose relative accuracy where $\sigma'$ is tiny but
    keep an absolute error $\le 8u$ (three roundings, plus $A$'s own error $\le 2u|A|$ times
    $|d\sigma'/dA| \le 2$), which is what the backward sweep needs."""
    u = UNIT_ROUNDOFF[dtype.name]
    worst = Worst()
    for act in activations.values():
        Z = (rng.standard_normal((7, 5)) * 4).astype(dtype)
        d = np.asarray(act.derivative(np, Z, act.sigma(np, Z)), dtype=np.float64)
        err = float(np.max(np.abs(d - act.sigma_prime(np, Z))))
        worst.add(err, 8 * u, act.name)
    return Evidence(
        len(activations),
        (
            worst.error(
                r"$\max|\mathrm{derivative}(Z, \sigma(Z)) - \sigma'(Z)|$", units="absolute error"
            ),
        ),
    )


def _softmax_tolerance(z: np.ndarray, u: float) -> np.ndarray:
    r"""Relative error bound of each computed softmax entry: $(|x_k| + \max_j|x_j| + K + 4)u$ with
    $x = z - \max z$ (the rounding of $x$, ``exp``, the sum of $K$ terms and the division)."""
    x = np.abs(z - np.max(z))
    return (x + np.max(x) + len(z) + 4) * u


@single_threaded
def softmax_matches_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    softmax=nn.softmax,
    logsumexp=nn.logsumexp,
) -> Evidence:
    """softmax and lse vs the definitions in mpmath (30 digits) and torch.softmax/logsumexp."""
    u = UNIT_ROUNDOFF[dtype.name]
    s_exact, lse_exact, s_torch = Worst(), Worst(), Worst()
    n = 20
    for _ in range(n):
        m, K = int(rng.integers(1, 6)), int(rng.integers(1, 9))
        Z = (rng.standard_normal((m, K)) * 5).astype(dtype)
        S = np.asarray(softmax(Z), dtype=np.float64)
        lse = np.asarray(logsumexp(Z), dtype=np.float64)
        if S.shape != (m, K) or lse.shape != (m,):
            s_exact.add(math.inf, 1.0, "wrong shape")
            continue
        ref_t = torch.softmax(torch.from_numpy(Z.astype(np.float64)), dim=1).numpy()
        with mpmath.workdps(30):
            for i in range(m):
                e = [mpmath.exp(mpmath.mpf(float(t))) for t in Z[i]]
                total = mpmath.fsum(e)
                rel = max(float(abs(S[i, k] - e[k] / total) / (e[k] / total)) for k in range(K))
                tol = float(np.max(_softmax_tolerance(Z[i].astype(np.float64), u)))
                s_exact.add(rel, tol, f"K = {K}")
                ref = mpmath.log(total)
                # lse = c + log S: the log of S in [1, K] and the addition of c
                s_torch.add(float(np.max(np.abs(S[i] - ref_t[i]) / ref_t[i])), 2 * tol, f"K = {K}")
                lse_exact.add(
                    float(abs(lse[i] - ref) / max(1, abs(ref))), (K + 4) * u + tol, f"K = {K}"
                )
    return Evidence(
        n,
        (
            s_exact.error(r"$\max_k|\mathrm{softmax}(z)_k - s_k|/s_k$ against mpmath"),
            s_torch.error(r"$\max_k|\mathrm{softmax}(z)_k - \mathrm{torch.softmax}(z)_k|/\cdot$"),
            lse_exact.error(
                r"$|\mathrm{lse}(z) - \mathrm{lse}_{\mathrm{mpmath}}(z)| / \max(1, |\cdot|)$",
                units="",
            ),
        ),
        note="tolerance per row: (|x_k| + max|x_j| + K + 4) u, x = z - max z",
    )


@cache
def _sympy_softmax_jacobian(K: int):
    z = sp.symbols(f"z0:{K}", real=True)
    s = [sp.exp(zk) / sum(sp.exp(zj) for zj in z) for zk in z]
    J = sp.Matrix(K, K, lambda i, j: sp.diff(s[i], z[j]))
    return sp.lambdify([z], J, modules="mpmath")


@single_threaded
def softmax_jacobian_matches(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    softmax_jacobian=nn.softmax_jacobian,
) -> Evidence:
    r"""$J(z)$ vs ``torch.autograd.functional.jacobian`` (K <= 12) and SymPy (K = 2, 3, 4); entry
    tolerance $(2\varepsilon_s + 3u)\max_k s_k$ with $\varepsilon_s$ the softmax bound."""
    u = UNIT_ROUNDOFF[dtype.name]
    torch_, sympy_ = Worst(), Worst()
    n = 30
    for i in range(n):
        K = int(rng.integers(1, 13)) if i >= 6 else 2 + i % 3
        z = (rng.standard_normal(K) * 3).astype(dtype)
        J = np.asarray(softmax_jacobian(z), dtype=np.float64)
        if J.shape != (K, K):
            torch_.add(math.inf, 1.0, f"K = {K}: wrong shape")
            continue
        z64 = z.astype(np.float64)
        s = np.exp(z64 - z64.max()) / np.exp(z64 - z64.max()).sum()
        tol = (2 * float(np.max(_softmax_tolerance(z64, u))) + 3 * u) * float(s.max())
        ref = torch.autograd.functional.jacobian(
            lambda t: torch.softmax(t, 0), torch.from_numpy(z64)
        )
        torch_.add(float(np.max(np.abs(J - ref.numpy()))), 2 * tol, f"K = {K}")
        if i < 6:
            with mpmath.workdps(30):
                S = _sympy_softmax_jacobian(K)([mpmath.mpf(float(t)) for t in z])
                sympy_.add(
                    max(float(abs(J[a, b] - S[a, b])) for a in range(K) for b in range(K)),
                    tol,
                    f"K = {K}",
                )
    return Evidence(
        n,
        (
            torch_.error(
                r"$\max|J(z) - J_{\mathrm{torch}}(z)|$ (torch.autograd.functional.jacobian)",
                units="absolute error",
            ),
            sympy_.error(
                r"$\max|J(z) - J_{\mathrm{SymPy}}(z)|$ (30 digits)", units="absolute error"
            ),
        ),
    )


@single_threaded
def softmax_jacobian_properties(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = np.dtype("float64"),
    softmax_jacobian=nn.softmax_jacobian,
    softmax=nn.softmax,
) -> Evidence:
    r"""Symmetry, PSD, $J\mathbf 1 = 0$, rank $K - 1$, $\mathrm{softmax}(z + c\mathbf 1) =
    \mathrm{softmax}(z)$; tolerances from the entry bound of :func:`softmax_jacobian_matches` and,
    for the eigenvalues, Weyl's inequality ($|\lambda_k(\hat J) - \lambda_k(J)| \le \|\hat J -
    J\|_2 \le K\max|\hat J - J|$, plus ``eigvalsh``'s backward error $\le K u\|J\|$)."""
    u = UNIT_ROUNDOFF[dtype.name]
    sym, psd, kernel, shift = Worst(), Worst(), Worst(), Worst()
    wrong_rank = decided = 0
    n = 40
    for _ in range(n):
        K = int(rng.integers(2, 13))
        z = (rng.standard_normal(K) * 2).astype(dtype)
        J = np.asarray(softmax_jacobian(z), dtype=np.float64)
        z64 = z.astype(np.float64)
        s = np.exp(z64 - z64.max()) / np.exp(z64 - z64.max()).sum()
        entry = (2 * float(np.max(_softmax_tolerance(z64, u))) + 3 * u) * float(s.max())
        ev = np.linalg.eigvalsh((J + J.T) / 2)
        eig = K * entry + K * 2.0**-52 * float(np.max(np.abs(ev)))
        sym.add(float(np.max(np.abs(J - J.T))), 2 * entry, f"K = {K}")
        psd.add(max(0.0, -float(ev[0])), eig, f"K = {K}")
        kernel.add(float(np.max(np.abs(J @ np.ones(K)))), K * entry + K * u, f"K = {K}")
        # rank K - 1: lambda_2 >= min_k s_k (interlacing for diag(s) - s s^T); decidable in this
        # precision when min_k s_k exceeds twice the eigenvalue perturbation bound
        if float(s.min()) > 2 * eig:
            decided += 1
            wrong_rank += int(np.sum(ev > eig) != K - 1)
        c = float(rng.uniform(-50, 50))
        a = np.asarray(softmax((z + dtype.type(c))[None, :]), dtype=np.float64)[0]
        b = np.asarray(softmax(z[None, :]), dtype=np.float64)[0]
        # z + c is rounded (|error| <= u(|z| + |c|)), which moves s_k relatively by <= 2 max|dz|
        tol = 2 * float(np.max(_softmax_tolerance(z64, u))) + 4 * u * (
            float(np.max(np.abs(z64))) + abs(c)
        )
        shift.add(float(np.max(np.abs(a - b) / b)), tol, f"K = {K}, c = {c:.3g}")
    return Evidence(
        n,
        (
            sym.error(r"$\max|J - J^\top|$", units="absolute error"),
            psd.error(r"$\max(0, -\lambda_{\min}(J))$", units="absolute error"),
            kernel.error(r"$\|J\mathbf 1\|_\infty$", units="absolute error"),
            equal(
                "instances where rank $J \\ne K - 1$ (eigenvalues above the rounding bound), "
                "among those with $\\min_k s_k$ above twice that bound",
                wrong_rank,
                0,
                0,
                units="instances",
                at=f"{decided} of {n} decidable",
            ),
            shift.error(
                r"$\max_k|\mathrm{softmax}(z + c\mathbf 1)_k - \mathrm{softmax}(z)_k| / \mathrm{softmax}(z)_k$, $|c| \le 50$"
            ),
        ),
    )


_D = ("float32", "float64")
CLAIMS = (
    Witness(
        "def-standard-activations",
        activations_match_definitions,
        "each sigma vs SymPy and torch.nn.functional; conventions at 0",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-activation-derivatives",
        derivatives_match_sympy,
        "each sigma' vs sympy.diff of an independent SymPy definition",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-activation-derivatives",
        derivative_conventions_match_autograd,
        "sigma' at 0 and random points vs torch autograd",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-activation-derivatives",
        derivative_from_output_matches,
        "derivative(Z, sigma(Z)) vs sigma_prime(Z)",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "def-softmax",
        softmax_matches_definition,
        "softmax and lse vs torch and mpmath",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-softmax-jacobian",
        softmax_jacobian_matches,
        "J(z) vs torch jacobian and SymPy",
        strength="exact",
        dtypes=_D,
    ),
    Witness(
        "prop-softmax-jacobian",
        softmax_jacobian_properties,
        "symmetric PSD, J1 = 0, rank K-1, shift invariance",
        strength="exact",
        dtypes=_D,
    ),
)
