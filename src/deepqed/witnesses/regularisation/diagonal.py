r"""Witnesses of Section "Kernel and rich regimes of diagonal linear networks": `def-reg-diagonal`,
`thm-reg-diagonal`, `prop-reg-regimes`.

Instances: Gaussian designs $X\in\mathbb R^{m\times n}$ with $m < n$ (rank $m$ almost surely) and
targets $y = Xw^\star$ for a sparse $w^\star$. The gradient flow of $(u, v)$ is integrated by SciPy's
``DOP853`` (error estimated a posteriori from two tolerances); the limit is compared with the
library's Newton solution of the dual and with SciPy's SLSQP minimising $\Psi_\alpha$ over the
interpolants (an independent primal solver); $\ell_1$ and $\ell_2$ interpolants come from linear
programming (HiGHS) and chapter 3's ``min_norm_least_squares``.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.integrate import quad, solve_ivp
from scipy.optimize import linprog, minimize

from ... import linear
from ... import regularisation as reg
from ...registry import Witness
from .._common import Evidence, error, rate, single_threaded, slope, upper

U64 = float(np.finfo(np.float64).eps) / 2


def _problem(rng: np.random.Generator, m: int, n: int):
    X = rng.standard_normal((m, n))
    w_star = np.zeros(n)
    idx = rng.choice(n, size=2, replace=False)
    w_star[idx] = rng.uniform(0.5, 2.0, size=2) * rng.choice([-1, 1], size=2)
    return X, X @ w_star


@single_threaded
def diagonal_network_definition(
    rng: np.random.Generator, *, diagonal_gradient=reg.diagonal_gradient, potential=reg.potential
) -> Evidence:
    r"""Definition `def-reg-diagonal`: (a) the library's $(\nabla_uF, \nabla_vF)$ equals torch
    autograd's gradient of $\frac12\|X(u\odot u - v\odot v) - y\|^2$, to rounding ($16(mn + n)u$
    relative); (b) the library's $\Psi_\alpha(w)$ equals $\alpha^2\sum_i\int_0^{w_i/\alpha^2}
    \operatorname{arcsinh}(t/2)\,\mathrm dt$ by adaptive quadrature (``scipy.integrate.quad``, error
    estimate $\le10^{-12}$ relative), checking $q' = \operatorname{arcsinh}(\cdot/2)$ and $q(0) = 0$."""
    g_err, q_err = 0.0, 0.0
    for _ in range(4):
        m, n = int(rng.integers(1, 6)), int(rng.integers(2, 10))
        X, y = _problem(rng, m, n)
        u, v = rng.standard_normal(n), rng.standard_normal(n)
        gu, gv = diagonal_gradient(u, v, X, y)
        ut, vt = torch.tensor(u, requires_grad=True), torch.tensor(v, requires_grad=True)
        F = 0.5 * torch.sum((torch.tensor(X) @ (ut * ut - vt * vt) - torch.tensor(y)) ** 2)
        F.backward()
        ref = np.concatenate([ut.grad.numpy(), vt.grad.numpy()])
        g_err = max(
            g_err,
            float(np.linalg.norm(np.concatenate([gu, gv]) - ref) / np.linalg.norm(ref))
            / (16 * (m * n + n) * U64),
        )
        alpha = float(10 ** rng.uniform(-2, 1))
        w = rng.standard_normal(n) * 2
        a2 = alpha * alpha
        ref_q = a2 * sum(
            quad(lambda t: math.asinh(t / 2), 0.0, wi / a2, epsabs=0, epsrel=1e-13)[0] for wi in w
        )
        q_err = max(q_err, abs(float(potential(w, alpha)) - ref_q) / (abs(ref_q) * 1e-11))
    return Evidence(
        8,
        (
            error("gradient vs torch autograd, over the rounding bound", g_err, 1.0, units="ratio"),
            error(
                r"$\Psi_\alpha$ vs quadrature of $\operatorname{arcsinh}(t/2)$, relative error over $10^{-11}$",
                q_err,
                1.0,
                units="ratio",
            ),
        ),
    )


def _flow(X, y, alpha, T, rtol, times):
    n = X.shape[1]

    def field(_t, z):
        u, v = z[:n], z[n:]
        r = X.T @ (X @ (u * u - v * v) - y)
        return np.concatenate([-2 * u * r, 2 * v * r])

    sol = solve_ivp(
        field,
        (0.0, T),
        np.full(2 * n, alpha),
        method="DOP853",
        rtol=rtol,
        atol=rtol * 1e-3 * alpha**2,
        t_eval=times,
    )
    U, V = sol.y[:n], sol.y[n:]
    return (U * U - V * V).T


@single_threaded
def flow_converges_to_the_potential_minimiser(
    rng: np.random.Generator, *, diagonal_limit=reg.diagonal_limit, potential=reg.potential
) -> Evidence:
    r"""Theorem `thm-reg-diagonal`, $m = 3$, $n = 8$, $\alpha\in[\frac12, 1]$: along the integrated flow,
    (1) $\operatorname{arcsinh}(w(t)/(2\alpha^2))$ lies in $\operatorname{ran}X^\top$ (its projection
    onto $\ker X$ vanishes) at $10$ times, within ten times the integrator's a posteriori error
    estimate (propagated through $\operatorname{arcsinh}$, slope at most $1/(2\alpha^2)$); (2) $w(T)$,
    at the time $T = 28\log(10)/\kappa$, where the proof's contraction factor $e^{-\kappa T}$ is
    $10^{-28}$ (so that the flow's remaining distance to its limit, $e^{-\kappa T}\|\mu^\ast\|$ on
    the dual curve times the Lipschitz constant of $\mu\mapsto w$ on the path, is far below the
    integrator's error), equals the library's limit within the same estimate; (3) SLSQP minimising $\Psi_\alpha$ subject to $Xw = y$ (started at
    $X^+y$) finds the same point within $10^{-5}$ relative (its optimality tolerance $10^{-12}$ on
    the objective gives about $10^{-6}$ on the point, the potential being strongly convex with modulus
    $\ge1/\sqrt{4 + (\|w\|_\infty/\alpha^2)^2}$)."""
    mirror, limit, primal = 0.0, 0.0, 0.0
    for _ in range(2):
        m, n = 3, 8
        X, y = _problem(rng, m, n)
        alpha = float(rng.uniform(0.5, 1.0))
        kappa = 8 * alpha**2 * float(np.linalg.eigvalsh(X @ X.T).min())
        T = 28 * math.log(10) / kappa
        times = np.linspace(0, T, 10)
        fine = _flow(X, y, alpha, T, 1e-11, times)
        coarse = _flow(X, y, alpha, T, 1e-8, times)
        est = 10 * np.abs(fine - coarse).max() + 1e-13
        _, _, Vt = np.linalg.svd(X)
        P = Vt[m:].T @ Vt[m:]  # projection onto ker X
        for w in fine:
            mirror = max(
                mirror,
                float(np.abs(P @ np.arcsinh(w / (2 * alpha**2))).max())
                / (est / (2 * alpha**2) * n),
            )
        w_lim = diagonal_limit(X, y, alpha)
        limit = max(limit, float(np.abs(fine[-1] - w_lim).max()) / (est + 1e-12))
        w2 = linear.min_norm_least_squares(X, y)
        res = minimize(
            lambda w: float(potential(w, alpha)),
            w2,
            jac=lambda w: np.arcsinh(w / (2 * alpha**2)),
            constraints=[{"type": "eq", "fun": lambda w: X @ w - y, "jac": lambda w: X}],
            method="SLSQP",
            options={"ftol": 1e-12, "maxiter": 500},
        )
        primal = max(primal, float(np.linalg.norm(res.x - w_lim) / np.linalg.norm(w_lim)) / 1e-5)
    return Evidence(
        2,
        (
            error(
                r"$P_{\ker X}\operatorname{arcsinh}(w(t)/2\alpha^2)$ over the integrator's error",
                mirror,
                1.0,
                units="ratio",
            ),
            error(
                r"$w(T)$ vs the library's $2\alpha^2\sinh(X^\top\nu^\ast)$ over the integrator's error",
                limit,
                1.0,
                units="ratio",
            ),
            error(
                r"SLSQP's minimiser of $\Psi_\alpha$ vs the library's limit, relative error over $10^{-5}$",
                primal,
                1.0,
                units="ratio",
            ),
        ),
    )


def _unique_l1_certificate(X, w1):
    r"""$t^\ast = \min\{\|X_{:,S^c}^\top\eta\|_\infty : X_{:,S}^\top\eta = \operatorname{sign}(w_{1,S})\}$
    (linear programming, HiGHS) with $S$ the support of $w_1$, and whether $X_{:,S}$ is injective.
    If both hold with $t^\ast < 1$, $w_1$ is the unique minimiser of $\|w\|_1$ over $\{Xw = y\}$:
    for $h\in\ker X$, $\|w_1 + h\|_1\ge\|w_1\|_1 + \langle\operatorname{sign}(w_{1,S}), h_S\rangle +
    \|h_{S^c}\|_1$ and $\langle X_{:,S}^\top\eta, h_S\rangle = -\langle\eta, X_{:,S^c}h_{S^c}\rangle\ge
    -t^\ast\|h_{S^c}\|_1$, so equality forces $h_{S^c} = 0$, then $X_{:,S}h_S = 0$, $h = 0$."""
    S = np.abs(w1) > 1e-9 * np.abs(w1).max()
    m = X.shape[0]
    A, B = X[:, S].T, X[:, ~S].T
    k = B.shape[0]
    res = linprog(
        np.r_[np.zeros(m), 1.0],
        A_ub=np.block([[B, -np.ones((k, 1))], [-B, -np.ones((k, 1))]]),
        b_ub=np.zeros(2 * k),
        A_eq=np.hstack([A, np.zeros((A.shape[0], 1))]),
        b_eq=np.sign(w1[S]),
        bounds=[(None, None)] * (m + 1),
        method="highs",
    )
    injective = np.linalg.matrix_rank(X[:, S]) == int(S.sum())
    return (float(res.x[-1]) if res.status == 0 else math.inf), bool(injective)


@single_threaded
def kernel_and_rich_regimes(
    rng: np.random.Generator,
    *,
    diagonal_limit=reg.diagonal_limit,
    min_l1_interpolant=reg.min_l1_interpolant,
    rich_bound=lambda chi1, n, alpha: (chi1 + n + 2 * n * alpha**2) / math.log(1 / alpha**2),
    kernel_bound=lambda w_alpha, alpha: np.sum(w_alpha**4) / (48 * alpha**4),
    kernel_limit=lambda P, w2: P @ w2**3 / 24,
) -> Evidence:
    r"""Proposition `prop-reg-regimes`, $m = 5$, $n = 12$, one problem whose $\ell_1$ interpolant is
    certified unique with a margin, $t^\ast\le0.8$ (below; problems are redrawn until it is, at most
    30 times: near $t^\ast = 1$ the $\ell_1$ interpolant is nearly non-unique and the convergence
    $w_\alpha\to w_1$ slows).

    (1) $\|w_\alpha - w_2\|^2\le\|w_\alpha\|_4^4/(48\alpha^4)$ for $\alpha\in\{\frac12, 1, 2, 4\}$ ($w_2$
    from chapter 3); the fitted slope of $\|w_\alpha - w_2\|$ against $\alpha\in\{8, 16, 32\}$ is $-4$
    (tolerance $0.05$: the relative correction is $O(\|w_2\|_\infty^2/\alpha^4)\le10^{-2}$ there); and
    the limit: for $\alpha\in\{4, 8, 16\}$, with $P$ the projection onto $\ker X$ (from the SVD),
    $\|\alpha^4(w_\alpha - w_2) - \frac1{24}P(w_2^{\odot3})\|\le E_\alpha$, where, by the proof's
    identity $\alpha^4(w_\alpha - w_2) = \frac1{24}P(w_\alpha^{\odot3}) - 2\alpha^6Pr$ with
    $r = \operatorname{arcsinh}(x) - x + x^3/6$, $x = w_\alpha/(2\alpha^2)$,
    $|a^3 - b^3|\le3\max(|a|, |b|)^2|a - b|$ and the alternating series
    $|r_i|\le\frac3{40}|x_i|^5$ (valid for $|x_i|\le1$, checked),
    $E_\alpha = \frac{M^2}8\|w_\alpha - w_2\| + \frac3{640}\|w_\alpha^{\odot5}\|/\alpha^4$,
    $M = \max(\|w_\alpha\|_\infty, \|w_2\|_\infty)$, plus $\alpha^4(\delta_1 + \delta_2)$ for the
    solvers: Newton's stopping rule leaves a residual $\rho\le10^{-12}(\|y\| +
    \|X\|_{\mathrm{op}}\|w_\alpha\|)$, and $\delta w = DX^\top(XDX^\top)^{-1}\rho$ with
    $D = 2\alpha^2\operatorname{Diag}(\cosh(X^\top\nu))$, so $\delta_1 = \sqrt{\max\cosh}\,\rho/
    \sigma_{\min}(X)$; chapter 3's least squares (backward stable) is within $\delta_2 =
    10n\,u\,\kappa(X)\|w_2\|$. $E_\alpha = O(\alpha^{-4})$, so a wrong constant ($\frac1{12}$, $\frac1{48}$)
    is caught once $E_\alpha$ is below the relative size $1$ of the change.

    (2) $\|w_1\|_1\le\|w_\alpha\|_1\le\|w_1\|_1 + (\chi(w_1) + n + 2n\alpha^2)/\log(1/\alpha^2)$ for
    $\alpha\in\{10^{-2}, 10^{-4}, 10^{-6}\}$ ($w_1$ by linear programming); $w_1$ is certified the
    unique $\ell_1$ interpolant by a dual certificate ({func}`_unique_l1_certificate`), and
    $\|w_\alpha - w_1\|$ decreases along these $\alpha$ (a criterion for the limit
    $w_\alpha\to w_1$, which the proposition states without a rate)."""
    n = 12
    for _ in range(30):
        X, y = _problem(rng, 5, n)
        w1 = min_l1_interpolant(X, y)
        cert, injective = _unique_l1_certificate(X, w1)
        if injective and cert <= 0.8:
            break
    w2 = linear.min_norm_least_squares(X, y)
    k_ratio, k_at = 0.0, ""
    for alpha in (0.5, 1.0, 2.0, 4.0):
        wa = diagonal_limit(X, y, alpha)
        r = float(np.sum((wa - w2) ** 2) / kernel_bound(wa, alpha))
        if r > k_ratio:
            k_ratio, k_at = r, f"alpha = {alpha}"
    alphas = np.array([8.0, 16.0, 32.0])
    dist = [float(np.linalg.norm(diagonal_limit(X, y, a) - w2)) for a in alphas]
    _, sv, Vt = np.linalg.svd(X)
    s_max, s_min = float(sv[0]), float(sv[-1])
    P = Vt[5:].T @ Vt[5:]
    target = kernel_limit(P, w2)
    l_ratio, l_at = 0.0, ""
    for alpha in (4.0, 8.0, 16.0):
        wa = diagonal_limit(X, y, alpha)
        x = wa / (2 * alpha**2)
        M = max(float(np.abs(wa).max()), float(np.abs(w2).max()))
        cosh_max = float(np.cosh(np.arcsinh(np.abs(x)).max()))  # cosh(X^T nu) = sqrt(1 + x^2)
        delta1 = (
            math.sqrt(cosh_max)
            * 1e-12
            * (float(np.linalg.norm(y)) + s_max * float(np.linalg.norm(wa)))
            / s_min
        )
        delta2 = 10 * n * U64 * (s_max / s_min) * float(np.linalg.norm(w2))
        bound = (
            M * M / 8 * float(np.linalg.norm(wa - w2))
            + 3 / 640 * float(np.linalg.norm(wa**5)) / alpha**4
            + alpha**4 * (delta1 + delta2)
        )
        if np.abs(x).max() > 1:
            bound = 0.0  # the remainder bound does not apply: fail
        r = float(np.linalg.norm(alpha**4 * (wa - w2) - target)) / bound
        if r > l_ratio:
            l_ratio, l_at = r, f"alpha = {alpha:g}"
    nz = np.abs(w1[np.abs(w1) > 0])
    chi1 = float(np.sum(nz * np.log(nz) - nz))
    r_ratio, r_at, low, towards = 0.0, "", 0.0, []
    for alpha in (1e-2, 1e-4, 1e-6):
        wa = diagonal_limit(X, y, alpha)
        gap = float(np.abs(wa).sum() - np.abs(w1).sum())
        r = gap / rich_bound(chi1, n, alpha)
        low = max(low, -gap / (1e-9 * np.abs(w1).sum()))
        towards.append(float(np.linalg.norm(wa - w1)))
        if r > r_ratio:
            r_ratio, r_at = r, f"alpha = {alpha:g}"
    return Evidence(
        9,
        (
            upper(
                r"kernel regime: $\|w_\alpha - w_2\|^2$ / $\|w_\alpha\|_4^4/(48\alpha^4)$",
                k_ratio,
                1.0,
                units="ratio",
                at=k_at,
            ),
            rate(
                r"slope of $\|w_\alpha - w_2\|$ against $\alpha$", slope(alphas, dist), -4.0, 0.05
            ),
            upper(
                r"kernel limit: $\|\alpha^4(w_\alpha - w_2) - P(w_2^{\odot3})/24\|$ / $E_\alpha$",
                l_ratio,
                1.0,
                units="ratio",
                at=l_at,
            ),
            upper(
                r"rich regime: $\|w_\alpha\|_1 - \|w_1\|_1$ / its bound",
                r_ratio,
                1.0,
                units="ratio",
                at=r_at,
            ),
            error(
                r"$\|w_1\|_1 - \|w_\alpha\|_1$ (must not exceed the LP's $10^{-9}$ relative)",
                max(low, 0.0),
                1.0,
                units="ratio",
            ),
            upper(
                r"uniqueness of $w_1$: dual certificate $t^\ast$ (at most 0.8, a margin below 1)",
                cert if injective else math.inf,
                0.8,
                units="ratio",
            ),
            upper(
                r"rich limit: largest $\|w_\alpha - w_1\|$ over its value at the previous (100 times "
                r"larger) $\alpha$",
                max(towards[1] / towards[0], towards[2] / towards[1]),
                1.0,
                units="ratio",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-reg-diagonal",
        diagonal_network_definition,
        "Gradient of the diagonal network against torch autograd; the potential Psi_alpha against "
        "quadrature of its derivative arcsinh(z/2)",
        strength="exact",
    ),
    Witness(
        "thm-reg-diagonal",
        flow_converges_to_the_potential_minimiser,
        "Integrated gradient flow stays in the mirror form 2 alpha^2 sinh(X^T nu) and converges to "
        "the library's limit, which SLSQP confirms minimises Psi_alpha over the interpolants",
        strength="exact",
    ),
    Witness(
        "prop-reg-regimes",
        kernel_and_rich_regimes,
        "Kernel regime: distance to the min-norm interpolant within its bound and falling like "
        "alpha^-4, alpha^4 (w_alpha - w_2) within a derived O(alpha^-4) bound of P(w_2^3)/24; rich "
        "regime: l1 norm within its 1/log(1/alpha^2) bound of the min-l1 interpolant, certified "
        "unique, to which w_alpha draws nearer as alpha falls",
        strength="validity",
        reason="both bounds are upper bounds whose constants are not pinned: the kernel bound is of "
        "order alpha^-4 while the squared distance is of order alpha^-8, and the rich bound's "
        "constant is not attained",
    ),
)
