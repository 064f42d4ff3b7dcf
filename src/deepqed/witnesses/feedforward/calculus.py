r"""Witnesses of Sections "The chain rule" and "Checking gradients": `lem-affine-layer`,
`prop-fd-order`. (`def-frechet` and `thm-chain-rule` are witnessed with the preliminaries.)

The central differences are computed with ``gradcheck.check_vjp`` / ``gradcheck.central_difference``
(the project's one difference quotient); the tolerances are rounding bounds of the arithmetic
done, $|\mathrm{fl}(AB) - AB| \le \gamma_n|A||B|$, and, for the smooth activations, the truncation
error of Proposition `prop-fd-order` with the suprema of $|\sigma^{(3)}|$ in closed form.
"""

from __future__ import annotations

import math

import numpy as np

from ... import gradcheck, nn
from ...registry import Witness
from .._common import Evidence, equal, rate, slope
from ._common import SMOOTH, UNIT_ROUNDOFF, Worst, WorstBound, gamma, single_threaded

U = UNIT_ROUNDOFF["float64"]

#: $\sup_z|\sigma^{(3)}(z)|$: identity 0, sigmoid 1/8 (at 0), tanh 2 (at 0), softplus
#: $\sup|\mathrm{sigmoid}''| = \sqrt3/18$, GELU $\sup|\varphi(z)(z^3 - 4z)| < 0.78$ (at
#: $|z| \approx 0.84$).
THIRD_DERIVATIVE = {
    "identity": 0.0,
    "sigmoid": 0.125,
    "tanh": 2.0,
    "softplus": math.sqrt(3) / 18,
    "gelu": 0.78,
}


@single_threaded
def affine_layer_adjoints(rng: np.random.Generator, *, activations=nn.ACTIVATIONS) -> Evidence:
    r"""$\langle\Delta, D_h Z[\mathrm dW, \mathrm db, \mathrm dA]\rangle = \langle\Delta^\top A,
    \mathrm dW\rangle + \langle\Delta^\top 1, \mathrm db\rangle + \langle\Delta W, \mathrm dA\rangle$
    for $Z = AW^\top + 1b^\top$ (bilinear: the central difference is exact, any $h$), and
    $\langle G, D_h\sigma(Z)[H]\rangle = \langle\sigma'(Z)\odot G, H\rangle$ for smooth $\sigma$."""
    affine, elementwise = Worst(), Worst()
    n = 30
    for i in range(n):
        m, p, q = (int(v) for v in rng.integers(1, 12, size=3))
        A, W, b = rng.standard_normal((m, p)), rng.standard_normal((q, p)), rng.standard_normal(q)
        Delta = rng.standard_normal((m, q))
        dA, dW = rng.standard_normal((m, p)), rng.standard_normal((q, p))
        db = rng.standard_normal(q)
        h = float(rng.uniform(0.1, 1.0))

        def Z(t):
            return (A + t * dA) @ (W + t * dW).T + (b + t * db)[None, :]

        lhs = float(np.sum(Delta * (Z(h) - Z(-h)) / (2 * h)))
        rhs = math.fsum(
            [np.sum((Delta.T @ A) * dW), np.sum(Delta.sum(axis=0) * db), np.sum((Delta @ W) * dA)]
        )
        # each Z(t) within gamma_{p+3}(|A + t dA||W + t dW|^T + |b + t db|) (the points rounded
        # too); the quotient and the sums add gamma_{mq+2} and gamma_{max(m, p) + 3} terms
        bound_Z = sum(
            (np.abs(A + t * dA) @ np.abs(W + t * dW).T + np.abs(b + t * db)[None, :])
            for t in (h, -h)
        ) * gamma(p + 3, U)
        tol = float(np.sum(np.abs(Delta) * bound_Z)) / (2 * h) + gamma(m * q + 2, U) * float(
            np.sum(np.abs(Delta * (Z(h) - Z(-h)))) / (2 * h)
        )
        tol += gamma(max(m, p, q) + 3, U) * float(
            np.sum(np.abs(Delta.T) @ np.abs(A) * np.abs(dW))
            + np.sum(np.abs(Delta).sum(axis=0) * np.abs(db))
            + np.sum(np.abs(Delta) @ np.abs(W) * np.abs(dA))
        )
        affine.add(abs(lhs - rhs), tol, f"m, p, q = {m}, {p}, {q}")
        name = SMOOTH[i % len(SMOOTH)]
        act = activations[name]
        Zs, H, G = (rng.standard_normal((m, q)) for _ in range(3))
        k = 1e-4
        lhs2, rhs2 = gradcheck.check_vjp(
            lambda X: act.sigma(np, X), lambda V: act.sigma_prime(np, Zs) * V, Zs, G, H, k
        )
        # truncation (k^2/6) sup|sigma^{(3)}| |H|^3, rounding of sigma and of Z +- kH over 2k, sums
        absG = np.abs(G)
        tol2 = (
            k * k / 6 * THIRD_DERIVATIVE[name] * float(np.sum(absG * np.abs(H) ** 3))
            + float(np.sum(absG * (16 * U * (np.abs(Zs) + 1.0)))) / k
            + gamma(m * q + 2, U) * float(np.sum(absG * np.abs(H))) * 2
        )
        elementwise.add(abs(lhs2 - rhs2), tol2, f"{name}, m, q = {m}, {q}")
    return Evidence(
        n,
        (
            affine.error(
                r"$|\langle\Delta, D_hZ[\mathrm dW, \mathrm db, \mathrm dA]\rangle - \langle\Delta^\top A, \mathrm dW\rangle - \langle\Delta^\top 1, \mathrm db\rangle - \langle\Delta W, \mathrm dA\rangle|$",
                units="absolute error",
            ),
            elementwise.error(
                r"$|\langle G, D_h\sigma(Z)[H]\rangle - \langle\sigma'(Z)\odot G, H\rangle|$, $h = 10^{-4}$",
                units="absolute error",
            ),
        ),
        note="float64; the elementwise check with gradcheck.check_vjp",
    )


def _sin_instance(rng):
    """f(x) = sin(<w, x>) along v: g(t) = sin(s0 + tc), with |sin s0|, |cos s0| >= 0.2 and
    0.1 < |c| < 3."""
    while True:
        d = int(rng.integers(1, 6))
        w, x, v = rng.standard_normal(d), rng.standard_normal(d), rng.standard_normal(d)
        s0, c = float(w @ x), float(w @ v)
        if min(abs(math.sin(s0)), abs(math.cos(s0))) >= 0.2 and 0.1 < abs(c) < 3:
            return w, x, v, s0, c, (lambda y: np.array([math.sin(float(w @ y))]))


def _rounding(s0: float, c: float, h: float) -> float:
    r"""The rounding error of the computed difference quotients of $g(t) = \sin(s_0 + tc)$:
    $\langle w, x \pm hv\rangle$ within $4u(|s_0| + h|c| + 1)$ (the points rounded, then a dot
    product of length $\le 5$), $\sin$ within $u$, so each value within
    $5u(1 + |s_0| + h|c|)$; the quotient divides their difference by $h$ (forward) or $2h$."""
    return 2 * 5 * U * (1 + abs(s0) + h * abs(c)) / h


@single_threaded
def central_difference_is_second_order(
    rng: np.random.Generator,
    *,
    central_difference=gradcheck.central_difference,
    forward_difference=gradcheck.forward_difference,
) -> Evidence:
    r"""Fitted slopes of $\log|\text{error}|$ against $\log h$: 2 for $D_h$, 1 for the forward
    difference, on $f(x) = \sin\langle w, x\rangle$ along random $v$. In closed form
    $D_h - Df = c\cos s_0(\frac{\sin hc}{hc} - 1)$, so the local slope is
    $2 - h^2c^2/10 + O(h^4)$; the forward difference's is $1 + \frac{h|c|}{3}\lvert\cot s_0\rvert
    + O(h^2)$; rounding adds at most $2\rho/\log(h_{\max}/h_{\min})$ with $\rho$ the largest ratio
    of the rounding bound to the truncation error on the grid. The tolerance is the sum."""
    central, forward = Worst(), Worst()
    n = 12
    hs = np.logspace(-1.5, -3, 9)  # central: truncation >= 1e-11 here, rounding <= 1e-13
    hf = np.logspace(-2.5, -4, 9)  # forward: its h^2 term is < 1% of its h term here
    for _ in range(n):
        w, x, v, s0, c, f = _sin_instance(rng)
        exact = math.cos(s0) * c  # Df(x)[v]
        e_c = np.array([abs(float(central_difference(f, x, v, h)[0]) - exact) for h in hs])
        e_f = np.array([abs(float(forward_difference(f, x, v, h)[0]) - exact) for h in hf])
        trunc_c = abs(c**3 * math.cos(s0)) * hs**2 / 6 * (1 - (hs * c) ** 2 / 20)
        trunc_f = abs(c * c * math.sin(s0)) * hf / 2 * (1 - hf * abs(c / math.tan(s0)) / 3)
        rho_c = max(_rounding(s0, c, h) / 2 / t for h, t in zip(hs, trunc_c))
        rho_f = max(_rounding(s0, c, h) / t for h, t in zip(hf, trunc_f))
        tol_c = hs[0] ** 2 * c * c / 10 + 2 * rho_c / math.log(hs[0] / hs[-1])
        tol_f = hf[0] * abs(c / math.tan(s0)) / 3 * 1.5 + 2 * rho_f / math.log(hf[0] / hf[-1])
        at = f"s0 = {s0:.3g}, c = {c:.3g}"
        sc = slope(hs, e_c) if np.all(e_c > 0) else math.inf
        sf = slope(hf, e_f) if np.all(e_f > 0) else math.inf
        central.add(abs(sc - 2), tol_c, at)
        forward.add(abs(sf - 1), tol_f, at)
    return Evidence(
        n,
        (
            rate(
                r"slope of $\log|D_hf - Df|$ vs $\log h$, $h\in[10^{-3}, 3\cdot10^{-2}]$",
                2 + central.measured,
                2.0,
                central.tolerance,
                at=central.at,
            ),
            rate(
                r"slope of $\log|D^+_hf - Df|$ vs $\log h$, $h\in[10^{-4}, 3\cdot10^{-3}]$",
                1 + forward.measured,
                1.0,
                forward.tolerance,
                at=forward.at,
            ),
        ),
        note="least squares over 9 steps; the instance closest to its tolerance is shown",
    )


def _max_abs_trig(f, lo: float, hi: float, peak: float) -> float:
    """max |f| over [lo, hi] for f = cos (peak 0) or sin (peak pi/2): 1 if the interval contains
    peak + k pi, else the larger endpoint value."""
    if math.floor((hi - peak) / math.pi) >= math.ceil((lo - peak) / math.pi):
        return 1.0
    return max(abs(f(lo)), abs(f(hi)))


def _bounds(h: float, M3: float, M2: float, eps: float, M0: float) -> tuple[float, float, float]:
    r"""The bounds of Proposition `prop-fd-order`: $\frac{h^2}{6}M_3$ (central),
    $\frac{h}{2}M_2$ (forward), $\frac{h^2}{6}M_3 + \frac{\varepsilon M_0}{h}$ (rounded central)."""
    return h * h / 6 * M3, h / 2 * M2, h * h / 6 * M3 + eps * M0 / h


def _optimum(M3: float, eps: float, M0: float) -> tuple[float, float]:
    r"""Part 3: $h_* = (3\varepsilon M_0/M_3)^{1/3}$ and the bound there,
    $\frac32(\varepsilon M_0)^{2/3}(M_3/3)^{1/3}$."""
    return (3 * eps * M0 / M3) ** (1 / 3), 1.5 * (eps * M0) ** (2 / 3) * (M3 / 3) ** (1 / 3)


@single_threaded
def difference_error_bounds(
    rng: np.random.Generator,
    *,
    central_difference=gradcheck.central_difference,
    forward_difference=gradcheck.forward_difference,
    bounds=_bounds,
    optimum=_optimum,
) -> Evidence:
    r"""Parts 1-3 for $f(x) = \sin\langle w, x\rangle$, $g(t) = \sin(s_0 + tc)$, suprema in closed
    form. Validity: each error against its bound (plus the arithmetic's own rounding, bounded as in
    :func:`_rounding`). Sharpness: as $h\to 0$ the ratio error/bound tends to 1 for both parts 1
    and 2 (at $h = 10^{-3}$ it is $1 - O(h|c|(\lvert\tan s_0\rvert + \lvert\cot s_0\rvert))$, the tolerance); part 3
    with values perturbed by exactly $\pm\varepsilon|g(\pm h)|$ (the worst signs), $\varepsilon =
    10^{-9}$, at $h_*$, where the ratio is also $1 - O(h_*|c|(\lvert\tan s_0\rvert + \lvert\cot s_0\rvert))$; and
    the minimum of the part 3 bound over a grid of $h$ against the closed form."""
    val_c, val_f, val_r = WorstBound(), WorstBound(), WorstBound()
    att_c, att_f, att_r, opt = Worst(), Worst(), Worst(), Worst()
    n = 12
    hs = np.logspace(-1, -3, 9)
    eps = 1e-9
    for _ in range(n):
        w, x, v, s0, c, f = _sin_instance(rng)
        exact = math.cos(s0) * c  # Df(x)[v]
        at = f"s0 = {s0:.3g}, c = {c:.3g}"
        wiggle = abs(math.tan(s0)) + abs(1 / math.tan(s0))
        for h in hs:
            M3 = abs(c) ** 3 * _max_abs_trig(math.cos, s0 - h * abs(c), s0 + h * abs(c), 0.0)
            lo, hi = sorted((s0, s0 + h * c))
            M2 = c * c * _max_abs_trig(math.sin, lo, hi, math.pi / 2)
            b_c, b_f, _ = bounds(h, M3, M2, 0.0, 1.0)
            r = _rounding(s0, c, h)
            err_c = abs(float(central_difference(f, x, v, h)[0]) - exact)
            err_f = abs(float(forward_difference(f, x, v, h)[0]) - exact)
            # the measured error carries the rounding of the quotient (r) and of Df (u |Df|)
            slack = U * abs(exact)
            val_c.add(err_c, b_c, r / 2 + slack, at + f", h = {h:.2g}")
            val_f.add(err_f, b_f, r + slack, at + f", h = {h:.2g}")
        # attainment at the smallest h: error/bound = 1 - O(h |c| (|tan| + |cot|))
        h = float(hs[-1])
        M3 = abs(c) ** 3 * _max_abs_trig(math.cos, s0 - h * abs(c), s0 + h * abs(c), 0.0)
        lo, hi = sorted((s0, s0 + h * c))
        M2 = c * c * _max_abs_trig(math.sin, lo, hi, math.pi / 2)
        b_c, b_f, _ = bounds(h, M3, M2, 0.0, 1.0)
        r = _rounding(s0, c, h)
        err_c = abs(float(central_difference(f, x, v, h)[0]) - exact)
        err_f = abs(float(forward_difference(f, x, v, h)[0]) - exact)
        delta = 2 * h * abs(c) * wiggle + (h * c) ** 2
        att_c.add(abs(err_c / b_c - 1), delta + r / b_c, at)
        att_f.add(abs(err_f / b_f - 1), delta + 2 * r / b_f, at)
        # part 3: perturbed values f~(x +- hv) = f (1 +- eps) with the signs that add up
        M0 = 1.0
        h_star, q_star = optimum(abs(c) ** 3 * abs(math.cos(s0)), eps, abs(math.sin(s0)))
        M3 = abs(c) ** 3 * _max_abs_trig(math.cos, s0 - h_star * abs(c), s0 + h_star * abs(c), 0.0)
        M0 = max(abs(math.sin(s0 + h_star * c)), abs(math.sin(s0 - h_star * c)))
        trunc = float(central_difference(f, x, v, h_star)[0]) - exact
        sign = 1.0 if trunc >= 0 else -1.0
        fp, fm = f(x + h_star * v)[0], f(x - h_star * v)[0]
        noisy = ((fp + sign * eps * abs(fp)) - (fm - sign * eps * abs(fm))) / (2 * h_star)
        err_r = abs(noisy - exact)
        *_, b_r = bounds(h_star, M3, 0.0, eps, M0)
        r = _rounding(s0, c, h_star)
        val_r.add(err_r, b_r, r / 2 + U * abs(exact), at + f", h* = {h_star:.2g}")
        att_r.add(
            abs(err_r / b_r - 1), 2 * h_star * abs(c) * wiggle + (h_star * c) ** 2 + r / b_r, at
        )
        # the minimum over h of the part-3 bound q(h) = (h^2/6) M3 + eps M0/h, on a fine grid
        M3_0, M0_0 = abs(c) ** 3 * abs(math.cos(s0)), abs(math.sin(s0))
        h_opt, q_opt = optimum(M3_0, eps, M0_0)
        grid = h_opt * np.exp(np.linspace(-0.5, 0.5, 2001))
        q = grid**2 / 6 * M3_0 + eps * M0_0 / grid
        # a grid point within 2.5e-4 (relative) of h*: q there within 1e-7 relative of q(h*)
        opt.add(abs(float(q.min()) - q_opt) / q_opt, 1e-7 + 1e-14, at)
    return Evidence(
        n * len(hs),
        (
            val_c.upper(r"$|D_hf(x)[v] - Df(x)[v]| \le \frac{h^2}{6}M_3$ (+ rounding), worst $h$"),
            val_f.upper(r"$|D^+_hf(x)[v] - Df(x)[v]| \le \frac{h}{2}M_2$ (+ rounding), worst $h$"),
            val_r.upper(
                r"perturbed values: $|\tilde D_h - Df(x)[v]| \le \frac{h^2}{6}M_3 + \frac{\varepsilon M_0}{h}$ at $h_*$"
            ),
            equal(
                "central: |error / ((h^2/6) M3) - 1| at h = 1e-3 (attained as h -> 0)",
                att_c.measured,
                0.0,
                att_c.tolerance,
                attains=True,
                units="ratio",
                at=att_c.at,
            ),
            equal(
                "forward: |error / ((h/2) M2) - 1| at h = 1e-3 (attained as h -> 0)",
                att_f.measured,
                0.0,
                att_f.tolerance,
                attains=True,
                units="ratio",
                at=att_f.at,
            ),
            equal(
                r"perturbed values: |error / bound - 1| at $h_*$",
                att_r.measured,
                0.0,
                att_r.tolerance,
                attains=True,
                units="ratio",
                at=att_r.at,
            ),
            equal(
                r"$\min_h$ of the part 3 bound vs $\frac32(\varepsilon M_0)^{2/3}(M_3/3)^{1/3}$",
                opt.measured,
                0.0,
                opt.tolerance,
                units="relative error",
                at=opt.at,
            ),
        ),
        note="float64, h in [1e-3, 1e-1], eps = 1e-9 for part 3",
    )


CLAIMS = (
    Witness(
        "lem-affine-layer",
        affine_layer_adjoints,
        "adjoint identities of the affine layer and of elementwise sigma",
        strength="exact",
    ),
    Witness(
        "prop-fd-order",
        central_difference_is_second_order,
        "log-log slopes 2 (central difference) and 1 (forward difference)",
        strength="exact",
    ),
    Witness(
        "prop-fd-order",
        difference_error_bounds,
        "errors of D_h, D+_h and of rounded values vs their bounds, attained as h -> 0 and at h*",
        strength="sharp",
    ),
)
