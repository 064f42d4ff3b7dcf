r"""Witnesses of Section "Least squares": ``def-lin-least-squares``, ``thm-lin-normal-equations``,
``prop-lin-normal-conditioning``, ``def-lin-pseudoinverse``, ``prop-lin-penrose``,
``thm-lin-min-norm``.

The matrices are built from their singular value decompositions ($X = U_r\Sigma_rV_r^\top$ with
Haar-random $U_r, V_r$ and prescribed $s_i$), so that the references $X^+ = V_r\Sigma_r^{-1}U_r^\top$,
$\operatorname{ran}X$ and $\ker X$ come from the factors and never from a rank decision: no
singular value lies near a cut-off. Scales $s_1$ from $10^{-6}$ to $10^6$ check that cut-offs are
relative.

Tolerances come from rounding bounds (:mod:`._common`: $u$, $\gamma_k$): the stored $X$ is the
rounding of $U_r\Sigma_rV_r^\top$, so $\|X - U_r\Sigma_rV_r^\top\|_F\le\gamma_r
\|\,\lvert U_r\rvert\Sigma_r\lvert V_r\rvert^\top\|_F$; a backward stable SVD in the dtype of $X$
is exact for a matrix
within $\gamma_{10\max(m,n)}\|X\|_2$ of $X$ (LAPACK Users' Guide, 3rd ed., §4.9: a modest
$p(m, n)$, taken as $10\max(m, n)$); Wedin's theorem bounds the change of the pseudo-inverse,
$\|\tilde X^+ - X^+\|_2\le\frac{1+\sqrt5}2\|\tilde X^+\|_2\|X^+\|_2\|\tilde X - X\|_2$ for
$\operatorname{rank}\tilde X = \operatorname{rank}X$ (Stewart and Sun, *Matrix Perturbation
Theory*, 1990, §III.3).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch

from ... import linear
from ...registry import Witness
from ._common import (
    Evidence,
    Factored,
    equal,
    factored,
    gamma,
    single_threaded,
    unit_roundoff,
    worst_error,
)

F64 = np.dtype("float64")
DTYPES = ("float32", "float64")


def _sizes(rng: np.random.Generator, top: int = 12) -> tuple[int, int, int]:
    """(m, n, r): sizes up to ``top`` and a rank r <= min(m, n), often deficient."""
    m, n = (int(v) for v in rng.integers(1, top + 1, size=2))
    return m, n, int(rng.integers(1, min(m, n) + 1))


def _scale(rng: np.random.Generator) -> float:
    return float(10.0 ** rng.uniform(-6, 6))


def _evaluation_bound(X, w, y, dtype) -> float:
    r"""Rounding bound of $f(w) = \frac12\|Xw - y\|^2$ evaluated in ``dtype``:
    $(2.01\gamma_{n+1} + 1.01\gamma_m)\,S$, $S = \frac12\sum_i(\lvert x_i\rvert^\top\lvert w\rvert
    + \lvert y_i\rvert)^2$ (each
    residual has error $\gamma_{n+1}a_i$, $a_i = \lvert x_i\rvert^\top\lvert w\rvert + \lvert
    y_i\rvert$; the sum of squares
    $\gamma_m$)."""
    m, n = X.shape
    a = np.abs(np.asarray(X, F64)) @ np.abs(np.asarray(w, F64)) + np.abs(np.asarray(y, F64))
    S = 0.5 * float(a @ a)
    return (2.01 * gamma(n + 1, dtype) + 1.01 * gamma(m, dtype)) * S


def _data_error(F: Factored) -> float:
    r"""$\gamma_r\|\,\lvert U_r\rvert\Sigma_r\lvert V_r\rvert^\top\|_F$: the rounding of the stored
    $X$."""
    return gamma(max(F.s.size, 1), F64) * float(np.linalg.norm((np.abs(F.U) * F.s) @ np.abs(F.V).T))


def _pinv_error(F: Factored, dtype) -> float:
    r"""A bound on $\|\hat Z - X^+\|_F$ for the pseudo-inverse $\hat Z$ computed in ``dtype``
    from an SVD of the stored $X$ cast to ``dtype``, cut-off between $s_r$ and the rounding
    level: the perturbation $\delta = \|E_0\|_F + u\|X\|_F + \gamma_{10\max(m,n)}s_1$ (storage,
    cast, SVD backward error) moves $X^+$ by at most $2\cdot1.62\,\delta/(s_r(s_r - \delta))$ in
    the 2-norm (Wedin, with the rank-$r$ truncation at distance $\le2\delta$), times
    $\sqrt{2r}$ for the Frobenius norm; forming $V\Sigma^{-1}U^\top$ adds
    $\gamma_r\sqrt{mn}\,r/s_r$."""
    m, n = F.X.shape
    r = F.s.size
    u = unit_roundoff(dtype)
    s1, sr = float(F.s[0]), float(F.s[-1])
    delta = (
        _data_error(F)
        + (u * float(np.linalg.norm(F.X)) if dtype != F64 else 0.0)
        + gamma(10 * max(m, n), dtype) * s1
    )
    if delta >= sr / 2:
        return math.inf
    wedin = 2 * 1.62 * 2 * delta / (sr * (sr - delta)) * math.sqrt(2 * r)
    return wedin + gamma(r, dtype) * math.sqrt(m * n) * r / sr


@single_threaded
def objective_vs_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    least_squares_objective=linear.least_squares_objective,
) -> Evidence:
    r"""$f(w) = \frac12\|Xw - y\|^2$ vs ``0.5 * ((X @ w - y) ** 2).sum()`` in torch (float64, on the
    same data), with the rounding bound of both evaluations; the result is a 0-d array of the
    input dtype. Scales of $X$, $w$, $y$ from $10^{-6}$ to $10^6$."""
    errs, tols, at = [], [], []
    kind = 1.0
    n_inst = 20
    for _ in range(n_inst):
        m, n, _ = _sizes(rng)
        X, y, w = (
            (_scale(rng) * rng.standard_normal(s)).astype(dtype) for s in ((m, n), (m,), (n,))
        )
        got = least_squares_objective(w, X, y)
        Xt, yt, wt = (torch.from_numpy(np.asarray(a, F64)) for a in (X, y, w))
        ref = float(0.5 * ((Xt @ wt - yt) ** 2).sum())
        errs.append(abs(float(got) - ref))
        tols.append(_evaluation_bound(X, w, y, dtype) + _evaluation_bound(X, w, y, F64))
        at.append(f"m = {m}, n = {n}")
        a = np.asarray(got)
        kind = min(kind, float(a.dtype == np.dtype(dtype) and a.shape == ()))
    return Evidence(
        n_inst,
        (
            worst_error(
                "$|f(w) - \\frac12\\|Xw - y\\|^2|$ (torch reference)",
                errs,
                tols,
                units="absolute error",
                at=at,
            ),
            equal("the result is a 0-d array of the input dtype", kind, 1.0, 0.0),
        ),
    )


@single_threaded
def normal_equations_characterise_minimisers(
    rng: np.random.Generator,
    *,
    normal_equations=linear.normal_equations,
    least_squares_objective=linear.least_squares_objective,
) -> Evidence:
    r"""Part 1, full column rank: ``normal_equations`` vs $X^+y$ from the factors (forward error
    of the normal equations, $\kappa_2(X)^2$ times rounding). Parts 1–3, any rank: every
    $w = w_0 + V_{\perp} z$ ($w_0 = X^+y$, $V_{\perp}$ a basis of $\ker X$ from the factors) has
    $f(w) = \frac12\|y - p\|^2$ with $p = U_rU_r^\top y$; for $d = V_rq\notin\ker X$,
    $f(w + d) - \min f = \frac12\|Xd\|^2 > 0$ (so $w + d$ is no minimiser, and
    $X^\top X(w + d)\ne X^\top y$)."""
    e_ne, t_ne, at_ne = [], [], []
    e_min, t_min, at_min = [], [], []
    e_gap, t_gap, at_gap = [], [], []
    n_inst = 20
    for i in range(n_inst):
        m, n, r = _sizes(rng)
        c = _scale(rng)
        if i % 2 == 0:  # full column rank, the unique solution
            n = min(m, n)
            F = factored(rng, m, n, rng.uniform(0.5, 1.0, n), scale=c)
            y = c * rng.standard_normal(m)
            w_ref = F.pinv @ y
            got = normal_equations(F.X, y)
            s1, sn = float(F.s[0]), float(F.s[-1])
            res = float(np.linalg.norm(y - F.X @ w_ref))
            Xf = float(np.linalg.norm(F.X))
            bound = (
                (gamma(m, F64) * Xf**2 + gamma(3 * n + 1, F64) * n * s1**2)
                * float(np.linalg.norm(w_ref))
                + gamma(m, F64) * float(np.linalg.norm(np.abs(F.X).T @ np.abs(y)))
            ) / sn**2 + 2 * _data_error(F) / sn * (float(np.linalg.norm(w_ref)) + res / sn)
            e_ne.append(float(np.linalg.norm(np.asarray(got) - w_ref)))
            t_ne.append(2 * bound)  # the reference's own rounding is of the same order
            at_ne.append(f"m = {m}, n = {n}, s_1 = {s1:.1e}")
            continue
        F = factored(rng, m, n, rng.uniform(0.5, 1.0, r), scale=c)
        y = c * rng.standard_normal(m)
        p = F.U @ (F.U.T @ y)
        f_min = 0.5 * float(np.sum((y - p) ** 2))
        w0 = F.pinv @ y
        w = w0 + F.V_perp @ (rng.standard_normal(n - r) * float(np.linalg.norm(w0) + 1 / c))
        # f(w) = min f: rounding of the evaluation, of the stored X (E_0 w), of w0 and p
        dE = _data_error(F) * float(np.linalg.norm(w))
        dw = (
            gamma(m + 2 * r, F64)
            * float(np.linalg.norm(np.abs(F.V) / F.s))
            * float(np.linalg.norm(np.abs(F.U).T @ np.abs(y)))
        )
        d = dE + float(F.s[0]) * dw + gamma(2 * r + 1, F64) * float(np.linalg.norm(y))
        res = math.sqrt(2 * f_min)
        e_min.append(abs(float(least_squares_objective(w, F.X, y)) - f_min))
        t_min.append(_evaluation_bound(F.X, w, y, F64) + res * d + d * d)
        at_min.append(f"m = {m}, n = {n}, r = {r}")
        dq = F.V @ rng.standard_normal(r) * float(np.linalg.norm(w0) + 1 / c)
        gain = float(least_squares_objective(w + dq, F.X, y)) - f_min
        half = 0.5 * float(np.sum((F.s * (F.V.T @ dq)) ** 2))  # ||X d||^2 / 2 from the factors
        dE2 = _data_error(F) * float(np.linalg.norm(w + dq))
        r2 = res + math.sqrt(2 * half)
        e_gap.append(abs(gain - half))
        t_gap.append(
            _evaluation_bound(F.X, w + dq, y, F64) + r2 * (dE2 + d) + (dE2 + d) ** 2 + 1e-300
        )
        at_gap.append(f"m = {m}, n = {n}, r = {r}")
    return Evidence(
        n_inst,
        (
            worst_error(
                "full column rank: $\\|w_{\\mathrm{NE}} - X^+y\\|$", e_ne, t_ne, units="", at=at_ne
            ),
            worst_error(
                "$|f(w_0 + k) - \\frac12\\|y - p\\|^2|$, $k\\in\\ker X$",
                e_min,
                t_min,
                units="",
                at=at_min,
            ),
            worst_error(
                "$|f(w + d) - \\min f - \\frac12\\|Xd\\|^2|$, $d\\notin\\ker X$",
                e_gap,
                t_gap,
                units="",
                at=at_gap,
            ),
        ),
    )


@single_threaded
def conditioning_squares(
    rng: np.random.Generator,
    *,
    condition_number=linear.condition_number,
    normal_equations=linear.normal_equations,
) -> Evidence:
    r"""$\kappa_2(X)$ (``condition_number``) vs the prescribed $s_1/s_n$, and
    $\kappa_2(X)^2$ vs ``numpy.linalg.cond`` of $X^\top X$ (for $\kappa < 10^4$; forming
    $X^\top X$ perturbs its smallest eigenvalue by up to $\gamma_m n\kappa^2$ relative);
    ``normal_equations`` warns exactly when $\kappa_2(X)^2 > 1/\sqrt u$ ($\kappa^2$ at least a
    factor 9 from the limit)."""
    e_k, t_k, at_k = [], [], []
    e_sq, t_sq, at_sq = [], [], []
    agree = 0
    n_inst = 16
    limit = 1.0 / math.sqrt(unit_roundoff(F64))
    for i in range(n_inst):
        n = int(rng.integers(2, 7))
        m = n + int(rng.integers(0, 6))
        kappa = 10.0 ** rng.uniform(0.0, 3.5) if i % 2 == 0 else 10.0 ** rng.uniform(4.5, 6.0)
        s = np.concatenate([[1.0, 1.0 / kappa], rng.uniform(1 / kappa, 1, n - 2)])
        F = factored(rng, m, n, s, scale=_scale(rng))
        rel_data = _data_error(F) / float(F.s[-1])  # relative perturbation of s_n
        e_k.append(abs(condition_number(F.X) / kappa - 1))
        t_k.append(2 * (rel_data + gamma(10 * m, F64) * kappa) + 4 * unit_roundoff(F64))
        at_k.append(f"kappa = {kappa:.2e}")
        if kappa < 1e4:
            ref = float(np.linalg.cond(F.X.T @ F.X))
            e_sq.append(abs(condition_number(F.X) ** 2 / ref - 1))
            t_sq.append(4 * (gamma(m, F64) * n + gamma(10 * n, F64)) * kappa**2 + 4 * t_k[-1])
            at_sq.append(f"kappa = {kappa:.2e}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            normal_equations(F.X, rng.standard_normal(m))
        warned = any(issubclass(c.category, linear.IllConditionedWarning) for c in caught)
        agree += int(warned == (kappa**2 > limit))
    return Evidence(
        n_inst,
        (
            worst_error(
                "$|\\kappa_2(X) / (s_1/s_n) - 1|$", e_k, t_k, units="relative error", at=at_k
            ),
            worst_error(
                "$|\\kappa_2(X)^2/\\kappa_2(X^\\top X) - 1|$ (numpy.linalg.cond)",
                e_sq,
                t_sq,
                units="relative error",
                at=at_sq,
            ),
            equal(
                "instances where the warning fires iff $\\kappa_2(X)^2 > 1/\\sqrt u$",
                agree,
                n_inst,
                0.0,
                units="instances",
            ),
        ),
    )


@single_threaded
def pinv_from_factors(
    rng: np.random.Generator, *, dtype: np.dtype = F64, pinv=linear.pinv
) -> Evidence:
    r"""$X^+$ from ``pinv`` (SVD of $X$, cut-off ``rcond``) vs $V_r\Sigma_r^{-1}U_r^\top$ from the
    factors that built $X$ (two SVDs of one matrix: the same pseudo-inverse), rank-deficient
    $X$ with $s_i\in[0.1, 1]\,s_1$ and $\mathrm{rcond} = 10^{-3}$ (far from $s_r/s_1$ and from the
    rounding level), full-rank $X$ with the default cut-off, and $X = 0$ (then $X^+ = 0$); the
    result has the dtype of $X$."""
    errs, tols, at = [], [], []
    kind = 1.0
    zero = 0.0
    n_inst = 24
    for i in range(n_inst):
        m, n, r = _sizes(rng)
        if i % 3 == 2:
            r = min(m, n)
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, r), scale=_scale(rng))
        X = F.X.astype(dtype)
        Z = pinv(X, rcond=1e-3) if i % 3 != 2 else pinv(X)
        errs.append(float(np.linalg.norm(np.asarray(Z, F64) - F.pinv)))
        tols.append(_pinv_error(F, dtype))
        at.append(f"m = {m}, n = {n}, r = {r}, s_1 = {F.s[0]:.1e}")
        kind = min(kind, float(np.asarray(Z).dtype == np.dtype(dtype) and Z.shape == (n, m)))
        zero = max(zero, float(np.max(np.abs(pinv(np.zeros((m, n), dtype=dtype))))))
    return Evidence(
        n_inst,
        (
            worst_error("$\\|X^+ - V_r\\Sigma_r^{-1}U_r^\\top\\|_F$", errs, tols, units="", at=at),
            equal("$\\max|0^+|$", zero, 0.0, 0.0),
            equal("$X^+$ has shape $(n, m)$ and the dtype of $X$", kind, 1.0, 0.0),
        ),
    )


@single_threaded
def penrose_conditions(rng: np.random.Generator, *, pinv=linear.pinv) -> Evidence:
    r"""For $Z = X^+$ (``pinv``): the residuals of (P1) $XZX = X$, (P2) $ZXZ = Z$, (P3)
    $(XZ)^\top = XZ$, (P4) $(ZX)^\top = ZX$, and $XZ$, $ZX$ vs the projections $U_rU_r^\top$ and
    $V_rV_r^\top$ from the factors, each within the bound implied by the error $\delta_Z$ of
    $Z$ (:func:`_pinv_error`) and the rounding of the products."""
    names = (
        "(P1) $\\|XZX - X\\|_F$",
        "(P2) $\\|ZXZ - Z\\|_F$",
        "(P3) $\\|(XZ)^\\top - XZ\\|_F$",
        "(P4) $\\|(ZX)^\\top - ZX\\|_F$",
        "$\\|XZ - U_rU_r^\\top\\|_F$",
        "$\\|ZX - V_rV_r^\\top\\|_F$",
    )
    errs: list[list[float]] = [[] for _ in names]
    tols: list[list[float]] = [[] for _ in names]
    at = []
    n_inst = 30
    for _ in range(n_inst):
        m, n, r = _sizes(rng)
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, r), scale=_scale(rng))
        X, Z = F.X, np.asarray(pinv(F.X, rcond=1e-3))
        dZ = _pinv_error(F, F64)
        s1, sr = float(F.s[0]), float(F.s[-1])
        dX = _data_error(F)
        g = gamma(2 * max(m, n), F64) * 4 * r  # two products, |X||Z| <= r s_1 / s_r entrywise
        P = X @ Z
        Q = Z @ X
        measured = (
            np.linalg.norm(P @ X - X),
            np.linalg.norm(Z @ X @ Z - Z),
            np.linalg.norm(P.T - P),
            np.linalg.norm(Q.T - Q),
            np.linalg.norm(P - F.U @ F.U.T),
            np.linalg.norm(Q - F.V @ F.V.T),
        )
        kappa = s1 / sr
        bounds = (
            s1 * s1 * dZ + 2 * s1 * dX / sr + g * kappa * s1 * math.sqrt(m * n),
            3 * dZ + s1 * dZ * dZ + 2 * dX / sr**2 + g * kappa / sr * math.sqrt(m * n),
            2 * (s1 * dZ + dX / sr) + 2 * g * kappa * math.sqrt(m * m),
            2 * (s1 * dZ + dX / sr) + 2 * g * kappa * math.sqrt(n * n),
            s1 * dZ + dX / sr + g * kappa * m,
            s1 * dZ + dX / sr + g * kappa * n,
        )
        for k in range(len(names)):
            errs[k].append(float(measured[k]))
            tols[k].append(float(bounds[k]))
        at.append(f"m = {m}, n = {n}, r = {r}, kappa = {kappa:.1f}")
    return Evidence(
        n_inst,
        tuple(worst_error(names[k], errs[k], tols[k], at=at) for k in range(len(names))),
    )


@single_threaded
def min_norm_solution(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    min_norm_least_squares=linear.min_norm_least_squares,
) -> Evidence:
    r"""$w^\dagger$ (``min_norm_least_squares``, $\mathrm{rcond} = 10^{-3}$ on rank-deficient
    $X$, the default cut-off on full-rank $X$) vs $V_r\Sigma_r^{-1}U_r^\top y$ from the factors; its
    component in $\ker X$ (basis $V_{\perp}$ from the factors) vanishes; every other minimiser
    $w^\dagger + k$, $k\in\ker X$, has $\|w^\dagger + k\|^2 - \|w^\dagger\|^2 - \|k\|^2 = 2\langle
    w^\dagger, k\rangle = 0$. Scales $s_1$ from $10^{-6}$ to $10^6$: a cut-off relative to $s_1$
    keeps exactly $r$ singular values at every scale."""
    e_w, t_w, e_k, t_k, e_p, t_p, at = [], [], [], [], [], [], []
    kind = 1.0
    n_inst = 24
    for i in range(n_inst):
        m, n, r = _sizes(rng)
        if i % 3 == 2:
            r = min(m, n)
        c = _scale(rng)
        F = factored(rng, m, n, rng.uniform(0.1, 1.0, r), scale=c)
        y = rng.standard_normal(m) * float(10.0 ** rng.uniform(-3, 3))
        X, yd = F.X.astype(dtype), y.astype(dtype)
        w = min_norm_least_squares(X, yd, 1e-3) if i % 3 != 2 else min_norm_least_squares(X, yd)
        w = np.asarray(w)
        kind = min(kind, float(w.dtype == np.dtype(dtype) and w.shape == (n,)))
        w64 = w.astype(F64)
        ref = F.pinv @ y
        ny = float(np.linalg.norm(y))
        bound = (
            _pinv_error(F, dtype) * ny
            + (unit_roundoff(dtype) * ny / float(F.s[-1]) if dtype != F64 else 0.0)
            + gamma(m + r, dtype) * math.sqrt(m * n) * r * ny / float(F.s[-1])
        )
        e_w.append(float(np.linalg.norm(w64 - ref)))
        t_w.append(bound)
        e_k.append(float(np.linalg.norm(F.V_perp.T @ w64)) if n > r else 0.0)
        t_k.append(bound)
        k = F.V_perp @ rng.standard_normal(n - r) if n > r else np.zeros(n)
        e_p.append(abs(float((w64 + k) @ (w64 + k) - w64 @ w64 - k @ k)))
        t_p.append(
            2 * bound * float(np.linalg.norm(k))
            + gamma(2 * n + 2, F64)
            * 3
            * float((np.abs(w64) + np.abs(k)) @ (np.abs(w64) + np.abs(k)))
        )
        at.append(f"m = {m}, n = {n}, r = {r}, s_1 = {F.s[0]:.1e}")
    return Evidence(
        n_inst,
        (
            worst_error("$\\|w^\\dagger - V_r\\Sigma_r^{-1}U_r^\\top y\\|$", e_w, t_w, at=at),
            worst_error(
                "$\\|V_\\perp^\\top w^\\dagger\\|$ (component in $\\ker X$)", e_k, t_k, at=at
            ),
            worst_error(
                "$|\\|w^\\dagger + k\\|^2 - \\|w^\\dagger\\|^2 - \\|k\\|^2|$, $k\\in\\ker X$",
                e_p,
                t_p,
                at=at,
            ),
            equal("$w^\\dagger$ has shape $(n,)$ and the dtype of $X$", kind, 1.0, 0.0),
        ),
    )


CLAIMS = (
    Witness(
        "def-lin-least-squares",
        objective_vs_torch,
        "the objective vs torch's sum of squares, within its rounding bound",
        strength="exact",
        dtypes=DTYPES,
    ),
    Witness(
        "thm-lin-normal-equations",
        normal_equations_characterise_minimisers,
        "normal equations vs X^+ y; minimisers are w_0 + ker X; f(w + d) - min f = |Xd|^2/2",
        strength="exact",
    ),
    Witness(
        "prop-lin-normal-conditioning",
        conditioning_squares,
        "kappa(X^T X) = kappa(X)^2 vs numpy.linalg.cond; the warning fires at the limit",
        strength="exact",
    ),
    Witness(
        "def-lin-pseudoinverse",
        pinv_from_factors,
        "X^+ from the SVD vs V_r S_r^-1 U_r^T from the factors that built X",
        strength="exact",
        dtypes=DTYPES,
    ),
    Witness(
        "prop-lin-penrose",
        penrose_conditions,
        "the four Penrose conditions; XX^+ and X^+X are the projections",
        strength="exact",
    ),
    Witness(
        "thm-lin-min-norm",
        min_norm_solution,
        "w^+ vs the factors' X^+ y at scales 1e-6 to 1e6; no kernel component; Pythagoras",
        strength="exact",
        dtypes=DTYPES,
    ),
)
