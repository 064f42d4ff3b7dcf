r"""Witnesses of Section "Lagrangian duality": ``def-svm-lagrangian``, ``thm-svm-weak-duality``,
``thm-svm-dual``, ``def-svm-kkt-violation``, ``prop-svm-kkt-violation``, ``prop-svm-gap-bound``,
``thm-svm-strong-duality``, ``thm-svm-kkt``, ``cor-svm-support-vectors``, ``prop-svm-offset``,
``thm-svm-hard-duality``.

Minimisations by BFGS are certified a posteriori: a function that is $\mu$-strongly convex in the
variables that matter exceeds its infimum at $z$ by at most $\|\nabla f(z)\|^2/(2\mu)$.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import hinge_loss

from ... import svm
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    blobs,
    dual,
    equal,
    gap,
    lower,
    offset_interval,
    primal,
    random_feasible_alpha,
    random_problem,
    separable,
    single_threaded,
    slsqp_hard_margin,
    slsqp_soft_margin,
    svc_alpha,
    upper,
    worst_error,
)


def _lagrangian(w, b, xi, alpha, mu, X, y, C):
    """L(w, b, xi, alpha, mu) of the soft-margin problem, term by term from its definition."""
    return (
        0.5 * w @ w
        + C * np.sum(xi)
        + np.sum(alpha * (1 - xi - y * (X @ w + b)))
        + np.sum(mu * (-xi))
    )


def _qp(rng, N, p):
    """A random strictly convex QP: f_0(z) = z^T A z / 2 + q^T z, constraints B z <= c, feasible
    (c = B z_0 + a positive slack for a random z_0)."""
    R = rng.standard_normal((N, N))
    A = R @ R.T + 0.5 * np.eye(N)
    B = rng.standard_normal((p, N))
    c = B @ rng.standard_normal(N) + rng.exponential(size=p)
    return A, rng.standard_normal(N), B, c


def _qp_dual_function(A, q, B, c, lam):
    r"""$g(\lambda) = -\frac12 v^\top A^{-1}v - \lambda^\top c$ with $v = q + B^\top\lambda$."""
    v = q + B.T @ lam
    return -0.5 * v @ np.linalg.solve(A, v) - lam @ c


@single_threaded
def dual_function_is_infimum(
    rng: np.random.Generator, *, dual_function=_qp_dual_function
) -> Evidence:
    r"""$g(\lambda) = \inf_z\mathscr L(z, \lambda)$ for random strictly convex QPs with affine
    constraints: the closed form vs ``scipy`` BFGS on the Lagrangian, whose result $z$ exceeds the
    infimum by at most $\|\nabla_z\mathscr L(z, \lambda)\|^2/(2\lambda_{\min}(A))$ (plus
    rounding)."""
    errs, tols = [], []
    n = 20
    for _ in range(n):
        N, p = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        A, q, B, c = _qp(rng, N, p)
        lam = rng.exponential(size=p)

        def L(z, A=A, q=q, B=B, c=c, lam=lam):
            return 0.5 * z @ A @ z + q @ z + lam @ (B @ z - c)

        res = minimize(
            L,
            np.zeros(N),
            jac=lambda z, A=A, q=q, B=B, lam=lam: A @ z + q + B.T @ lam,
            method="BFGS",
            options={"gtol": 1e-12},
        )
        grad = A @ res.x + q + B.T @ lam
        closed = float(dual_function(A, q, B, c, lam))
        scale = float(
            np.abs(res.x) @ np.abs(A) @ np.abs(res.x) + np.abs(q + B.T @ lam) @ np.abs(res.x)
        ) + float(np.abs(lam) @ np.abs(c))
        errs.append(abs(float(res.fun) - closed))
        tols.append(
            float(grad @ grad) / (2 * float(np.linalg.eigvalsh(A)[0]))
            + 8 * (N + p + 2) * U64 * (scale + abs(closed)) * max(1.0, float(np.linalg.cond(A)))
        )
    return Evidence(
        n,
        (
            worst_error(
                "$|\\inf_z\\mathscr L(z, \\lambda) - g(\\lambda)|$ (BFGS, certified)", errs, tols
            ),
        ),
    )


@single_threaded
def weak_duality_holds(rng: np.random.Generator, *, dual_objective=svm.dual_objective) -> Evidence:
    r"""$D(\alpha)\le\frac12\|w\|^2 + C\sum_i\xi_i$ at random feasible $(w, b, \xi)$ and feasible
    $\alpha$ (5 each); equality at an optimal pair: at ``smo``'s solution (tolerance
    $10^{-10}$) with $\xi$ the hinge vector, the ratio of the two sides is $1$ within
    $Cm\cdot10^{-10}$ relative ({prf:ref}`prop-svm-gap-bound`)."""
    worst, att = [], []
    n = 40
    for t in range(n):
        m, d = int(rng.integers(2, 30)), int(rng.integers(1, 5))
        X, y = blobs(rng, m, d)
        C = float(10 ** rng.uniform(-1, 1))
        K = X @ X.T
        w, b = rng.standard_normal(d) * rng.uniform(0, 2), float(rng.standard_normal())
        xi = np.maximum(1 - y * (X @ w + b), 0) + rng.exponential(size=m) * (rng.random(m) < 0.3)
        value = 0.5 * w @ w + C * np.sum(xi)
        for _ in range(5):
            alpha = random_feasible_alpha(rng, y, C)
            rnd = (
                8
                * (m + 2)
                * U64
                * (
                    float(np.sum(alpha))
                    + float(np.abs(alpha * y) @ np.abs(K) @ np.abs(alpha * y))
                    + value
                )
            )
            worst.append((float(dual_objective(alpha, y, K)), float(value), rnd))
        if t % 4 == 0:
            sol = svm.smo(K, y, C, tol=1e-10)
            a = np.asarray(sol.alpha)
            P = primal(a, sol.b, y, K, C)
            att.append((float(dual_objective(a, y, K)) / P, (C * m * 1e-10 + 1e-12) / P))
    k = max(worst, key=lambda q: (q[0] - q[2]) / max(abs(q[1]), 1e-300))
    ratio, tol = max(att, key=lambda q: abs(q[0] - 1) / q[1])
    return Evidence(
        n,
        (
            upper(
                "$D(\\alpha)$ vs the soft-margin objective (random feasible points)",
                k[0],
                k[1],
                slack=k[2],
            ),
            equal(
                "$D(\\alpha^\\star)/P(w^\\star, b^\\star)$ at smo's solution",
                ratio,
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def dual_is_lagrangian_infimum(
    rng: np.random.Generator,
    *,
    dual_objective=svm.dual_objective,
    primal_weights=svm.primal_weights,
) -> Evidence:
    r"""For $y^\top\alpha = 0$, $\mu = C - \alpha$: BFGS on $\mathscr L(\cdot, \alpha, \mu)$ over
    $(w, b, \xi)$ vs $D(\alpha)$ (the Lagrangian is $1$-strongly convex in $w$ and constant in $b$,
    $\xi$, so BFGS's value exceeds the infimum by $\|\nabla_w\mathscr L\|^2/2$), and its $w$ vs
    $X^\top(\alpha\odot y)$ (distance $\|\nabla_w\mathscr L\|$); for $y^\top\alpha\ne0$, $\mathscr L\to
    -\infty$ along $b$, and for $\alpha + \mu\ne C\mathbf 1$ along a $\xi_i$."""
    e_v, t_v, e_w, t_w = [], [], [], []
    unbounded, tried = 0, 0
    n = 20
    for _ in range(n):
        m, d = int(rng.integers(2, 15)), int(rng.integers(1, 5))
        X, y = blobs(rng, m, d)
        C = float(10 ** rng.uniform(-1, 1))
        alpha = random_feasible_alpha(rng, y, C)
        mu = C - alpha

        def fun(z, alpha=alpha, mu=mu, X=X, y=y, C=C, d=d):
            return _lagrangian(z[:d], z[d], z[d + 1 :], alpha, mu, X, y, C)

        def jac(z, alpha=alpha, mu=mu, X=X, y=y, C=C, d=d):
            return np.r_[z[:d] - X.T @ (alpha * y), -(y @ alpha), C - alpha - mu]

        res = minimize(
            fun, rng.standard_normal(d + 1 + m), jac=jac, method="BFGS", options={"gtol": 1e-11}
        )
        gw = res.x[:d] - X.T @ (alpha * y)
        D = float(dual_objective(alpha, y, X @ X.T))
        scale = (
            float(np.sum(alpha))
            + float(np.abs(X.T @ (alpha * y)) @ np.abs(res.x[:d]))
            + abs(float(res.fun))
            + C * float(np.sum(np.abs(res.x[d + 1 :])))
        )
        e_v.append(abs(float(res.fun) - D))
        t_v.append(
            float(gw @ gw) / 2
            + 8 * (m + d + 4) * U64 * scale
            + abs(res.x[d]) * abs(float(y @ alpha))
        )
        v_exact = X.T @ (alpha * y)  # equation (svm-w-from-alpha), written out
        e_w.append(float(np.linalg.norm(np.asarray(primal_weights(alpha, y, X)) - v_exact)))
        t_w.append(4 * (m + 2) * U64 * float(np.linalg.norm(np.abs(X).T @ alpha)))
        # y^T alpha != 0: L -> -inf along b; alpha + mu != C: L -> -inf along xi_0
        a2 = alpha.copy()
        a2[0] += 0.5 * C if a2[0] < 0.5 * C else -0.5 * C
        s = float(y @ a2)
        vb = [
            _lagrangian(np.zeros(d), math.copysign(10.0**k, s), np.zeros(m), a2, C - a2, X, y, C)
            for k in (2, 4, 6)
        ]
        mu2 = mu.copy()
        mu2[0] += 1.0  # alpha_0 + mu_0 = C + 1 > C: the coefficient of xi_0 is -1
        e0 = np.zeros(m)
        vx = [
            _lagrangian(
                np.zeros(d),
                0.0,
                10.0**k * e0 + (10.0**k) * (np.arange(m) == 0),
                alpha,
                mu2,
                X,
                y,
                C,
            )
            for k in (2, 4, 6)
        ]
        tried += 2
        unbounded += int(vb[0] > vb[1] > vb[2] and vb[2] < -1e5 * abs(s))
        unbounded += int(vx[0] > vx[1] > vx[2] and vx[2] < -1e5)
    return Evidence(
        n,
        (
            worst_error(
                "$|\\inf\\mathscr L(\\cdot, \\alpha, \\mu) - D(\\alpha)|$ (BFGS, certified)",
                e_v,
                t_v,
            ),
            worst_error(
                "``primal_weights`` vs $X^\\top(\\alpha\\odot y)$, the minimiser in $w$", e_w, t_w
            ),
            equal(
                "cases with $y^\\top\\alpha\\ne0$ or $\\alpha + \\mu\\ne C$ where $\\mathscr L$ "
                "decreases without bound",
                unbounded,
                tried,
                0.0,
                units="cases",
            ),
        ),
    )


def _viol_bruteforce(alpha, y, K, C):
    """max over all pairs (i in I_up, j in I_low) of s_i - s_j, with loops and math.fsum."""
    m = len(y)
    s = [
        -y[t] * (y[t] * math.fsum(K[t, k] * alpha[k] * y[k] for k in range(m)) - 1.0)
        for t in range(m)
    ]
    up = [t for t in range(m) if (y[t] > 0 and alpha[t] < C) or (y[t] < 0 and alpha[t] > 0)]
    low = [t for t in range(m) if (y[t] < 0 and alpha[t] < C) or (y[t] > 0 and alpha[t] > 0)]
    best = max((s[i] - s[j] for i in up for j in low), default=0.0)
    return max(best, 0.0), s


def _s_rounding(alpha, K):
    """A bound on the rounding of s = y - K(alpha * y), entry by entry: gamma_{m+2} |K| alpha."""
    m = len(alpha)
    return (m + 2) * U64 / (1 - (m + 2) * U64) * (np.abs(K) @ np.abs(alpha) + 1.0)


@single_threaded
def violation_matches_definition(
    rng: np.random.Generator, *, kkt_violation=svm.kkt_violation
) -> Evidence:
    r"""``kkt_violation`` vs the maximum of $s_i - s_j$ over all pairs in
    $I_{\mathrm{up}}\times I_{\mathrm{low}}$ (loops, ``math.fsum``), within twice the rounding of
    the $s_t$."""
    errs, tols = [], []
    n = 30
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(2, 15))
        alpha = random_feasible_alpha(rng, y, C)
        ref, _ = _viol_bruteforce(alpha, y, K, C)
        errs.append(abs(float(kkt_violation(alpha, y, K, C)) - ref))
        tols.append(2 * float(np.max(_s_rounding(alpha, K))))
    return Evidence(n, (worst_error("kkt_violation vs the brute-force maximum", errs, tols),))


def _polish(alpha, y, K, C, free_tol=1e-9):
    r"""An optimal $\alpha$ to rounding, from an approximate one: keep the coordinates at $0$ and
    $C$, and solve the linear KKT system for the free ones and $b$,
    $Q_{FF}\alpha_F + b\,y_F = \mathbf 1 - Q_{FB}\alpha_B$, $y_F^\top\alpha_F = -y_B^\top\alpha_B$,
    by the least-norm correction of the approximate point."""
    a = alpha.copy()
    a[a <= free_tol * C] = 0.0
    a[a >= (1 - free_tol) * C] = C
    F = np.flatnonzero((a > 0) & (a < C))
    if F.size == 0:
        return a
    B = np.flatnonzero(~((a > 0) & (a < C)))
    Q = (y[:, None] * y[None, :]) * K
    M = np.zeros((F.size + 1, F.size + 1))
    M[: F.size, : F.size] = Q[np.ix_(F, F)]
    M[: F.size, -1] = y[F]
    M[-1, : F.size] = y[F]
    rhs = np.r_[1.0 - Q[np.ix_(F, B)] @ a[B], -(y[B] @ a[B])]
    # the least-norm correction of (alpha_F, b): when Q_FF is singular (rank of K below |F|) the
    # optimal alpha is not unique, and the correction stays next to smo's point, inside the box
    b0 = float(np.mean(y[F] * (1.0 - Q[F] @ a)))
    x0 = np.r_[a[F], b0]
    sol = x0 + np.linalg.lstsq(M, rhs - M @ x0, rcond=None)[0]
    a[F] = np.clip(sol[: F.size], 0.0, C)
    return a


def _dual_slsqp(y, K, C):
    """max D(alpha) over the box and y^T alpha = 0, by SLSQP (an independent reference)."""
    m = len(y)
    Q = (y[:, None] * y[None, :]) * K
    res = minimize(
        lambda a: 0.5 * a @ Q @ a - a.sum(),
        np.zeros(m),
        jac=lambda a: Q @ a - 1.0,
        bounds=[(0.0, C)] * m,
        constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
        method="SLSQP",
        options={"ftol": 1e-15, "maxiter": 2000},
    )
    return np.clip(res.x, 0.0, C)


def _enumerate_max(y, K, C):
    """The global maximum of D over the feasible set for any symmetric K (small m): the best
    stationary point of D on the relative interior of a face (each alpha_i at 0, at C or free)."""
    m = len(y)
    Q = (y[:, None] * y[None, :]) * K
    best, best_a = -math.inf, None
    for pattern in itertools.product((0, 1, 2), repeat=m):
        a = np.array([0.0 if p == 0 else C for p in pattern])
        F = np.array([i for i, p in enumerate(pattern) if p == 2], dtype=int)
        B = np.array([i for i, p in enumerate(pattern) if p != 2], dtype=int)
        if F.size:
            M = np.zeros((F.size + 1, F.size + 1))
            M[: F.size, : F.size] = Q[np.ix_(F, F)]
            M[: F.size, -1] = y[F]
            M[-1, : F.size] = y[F]
            rhs = np.r_[1.0 - Q[np.ix_(F, B)] @ a[B], -(y[B] @ a[B])]
            sol = np.linalg.lstsq(M, rhs, rcond=None)[0]
            if np.linalg.norm(M @ sol - rhs) > 1e-9 * (1 + np.linalg.norm(rhs)):
                continue
            a[F] = sol[: F.size]
            if np.any(a[F] <= 1e-9 * C) or np.any(a[F] >= (1 - 1e-9) * C):
                continue  # at a bound to rounding: that point is the face with it fixed
        elif abs(y @ a) > 1e-12 * C * m:
            continue
        v = float(a.sum() - 0.5 * a @ Q @ a)
        if v > best:
            best, best_a = v, a
    return best_a


@single_threaded
def optimal_iff_no_violation(
    rng: np.random.Generator, *, kkt_violation=svm.kkt_violation
) -> Evidence:
    r"""Both directions. "viol $= 0\Rightarrow$ optimal": an optimum to rounding ($\alpha^\star$,
    ``smo`` at $10^{-12}$ polished by solving the KKT system of its free set) has viol at the
    rounding level, and SLSQP on the dual finds no larger $D$ than $D(\alpha^\star) + Cm\,
    \operatorname{viol}(\alpha^\star)$; "optimal $\Rightarrow$ viol $= 0$": at $\alpha^\star$, and, for
    symmetric indefinite $K$ ($m\le5$), at the global maximiser found by enumerating the faces of the
    feasible set; "viol $> 0\Rightarrow$ not optimal": at random feasible $\alpha$ with viol $> 10^{-6}$
    the maximal violating pair's direction increases $D$ by the exact amount
    $t(s_i - s_j) - \frac12t^2a > 0$."""
    e_v, t_v, e_s, t_s, e_o, t_o = [], [], [], [], [], []
    improved, violating = 0, 0
    n = 16
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(5, 25))
        sol = svm.smo(K, y, C, tol=1e-12)
        a_star = _polish(np.asarray(sol.alpha), y, K, C)
        rnd = float(np.max(_s_rounding(a_star, K)))
        cond = 1e6  # the polished free set's KKT system: residual rounding, conditioning
        v_star = float(kkt_violation(a_star, y, K, C))
        e_v.append(v_star)
        t_v.append(4 * rnd * cond)
        a_sl = _dual_slsqp(y, K, C)
        a_sl = a_sl - y * (y @ a_sl) / len(y) if abs(y @ a_sl) > 0 else a_sl  # onto y^T a = 0
        a_sl = np.clip(a_sl, 0.0, C)
        excess = dual(a_sl, y, K) - dual(a_star, y, K)
        e_s.append(max(excess, 0.0))
        t_s.append(
            C * len(y) * max(v_star, 0.0)
            + 8
            * len(y)
            * U64
            * (float(np.sum(a_star)) + float(np.abs(a_star * y) @ np.abs(K) @ np.abs(a_star * y)))
            + abs(float(y @ a_sl)) * 1e3
        )
        D_star = dual(a_star, y, K)
        for _ in range(3):
            alpha = random_feasible_alpha(rng, y, C)
            v = float(kkt_violation(alpha, y, K, C))
            v_ref, _ = _viol_bruteforce(alpha, y, K, C)
            if v <= 1e-9:  # claimed optimal: nothing may beat it (by more than C m viol)
                e_o.append(max(D_star - dual(alpha, y, K), 0.0))
                t_o.append(C * len(y) * (v + v_star) + t_s[-1])
            if v_ref <= 1e-6:
                continue
            violating += 1
            s = y - K @ (alpha * y)
            up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
            low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
            i = int(np.argmax(np.where(up, s, -np.inf)))
            j = int(np.argmin(np.where(low, s, np.inf)))
            room_i = C - alpha[i] if y[i] > 0 else alpha[i]
            room_j = alpha[j] if y[j] > 0 else C - alpha[j]
            a_ij = K[i, i] + K[j, j] - 2 * K[i, j]
            step = min(room_i, room_j, (s[i] - s[j]) / a_ij if a_ij > 0 else math.inf)
            new = alpha.copy()
            new[i] += y[i] * step
            new[j] -= y[j] * step
            gain = dual(new, y, K) - dual(alpha, y, K)
            predicted = step * (s[i] - s[j]) - 0.5 * step * step * a_ij
            improved += int(
                v > 0 and gain > 0 and abs(gain - predicted) <= 1e-9 * (1 + abs(predicted))
            )
    # symmetric indefinite K: the global maximiser (by enumeration) has no violating pair
    e_i, t_i = [], []
    for _ in range(3):
        m = int(rng.integers(3, 6))
        y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
        y[0], y[1] = 1.0, -1.0
        R = rng.standard_normal((m, m))
        K = (R + R.T) / 2  # indefinite
        C = float(rng.uniform(0.5, 2))
        a = _enumerate_max(y, K, C)
        e_i.append(float(kkt_violation(a, y, K, C)))
        t_i.append(1e-8 * (1 + float(np.max(np.abs(K)))) * C)
    return Evidence(
        n,
        (
            worst_error("viol at the optimum $\\alpha^\\star$ (polished smo)", e_v, t_v),
            worst_error(
                "$D$ found by SLSQP above $D(\\alpha^\\star)$ (viol $\\approx 0$ is optimal)",
                e_s,
                t_s,
            ),
            worst_error(
                "random $\\alpha$ reported optimal (viol $\\le10^{-9}$): $D^\\star - D(\\alpha)$",
                e_o if e_o else [0.0],
                t_o if t_o else [1.0],
            ),
            equal(
                "random $\\alpha$ with viol $> 10^{-6}$ (by brute force): reported positive and "
                "improved by the violating pair",
                improved,
                violating,
                0.0,
                units="points",
            ),
            worst_error("indefinite $K$: viol at the global maximiser (enumeration)", e_i, t_i),
        ),
    )


def _gap_bound(C: float, m: int, viol: float) -> float:
    """C m viol, the bound of prop-svm-gap-bound."""
    return C * m * viol


@single_threaded
def gap_formula_and_bound(
    rng: np.random.Generator,
    *,
    duality_gap=svm.duality_gap,
    kkt_violation=svm.kkt_violation,
    bound=_gap_bound,
) -> Evidence:
    r"""``duality_gap`` vs $P - D$ computed independently (``sklearn.metrics.hinge_loss``, $D$
    written out), and $0\le P - D\le Cm\operatorname{viol}(\alpha)$ for $b$ between
    $\beta_{\mathrm{up}}$ and $\beta_{\mathrm{low}}$; the bound's constant is approached: at
    $\alpha = 0$ with one sample of label $+1$ among $m$ and $b = \beta_{\mathrm{up}} = 1$, each of
    the $m - 1$ samples of label $-1$ contributes $C\operatorname{viol}$, the largest value a term can
    take, and the ratio is exactly $(m - 1)/m$."""
    e_f, t_f, worst, att = [], [], [], []
    n = 30
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(4, 25))
        alpha = random_feasible_alpha(rng, y, C)
        v = alpha * y
        f0 = K @ v
        s = y - f0
        up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
        low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
        lo, hi = sorted([np.max(s[up]), np.min(s[low])])
        b = float(rng.uniform(lo, hi))
        P = 0.5 * v @ K @ v + C * len(y) * hinge_loss(y, f0 + b)
        D = float(np.sum(alpha) - 0.5 * v @ K @ v)
        g = float(duality_gap(alpha, b, y, K, C))
        rnd = (
            8 * (len(y) + 2) * U64 * (abs(P) + abs(D) + C * float(np.sum(np.abs(f0) + abs(b) + 1)))
        )
        e_f.append(abs(g - (P - D)))
        t_f.append(rnd)
        worst.append((g, float(bound(C, len(y), float(kkt_violation(alpha, y, K, C)))), rnd))
        m = int(rng.integers(20, 200))
        y1 = -np.ones(m)
        y1[int(rng.integers(m))] = 1.0
        K1 = np.eye(m)
        a0 = np.zeros(m)
        g1 = float(duality_gap(a0, 1.0, y1, K1, C))
        att.append((g1 / float(bound(C, m, float(kkt_violation(a0, y1, K1, C)))), (m - 1) / m))
    k = max(worst, key=lambda q: (q[0] - q[2]) / max(q[1], 1e-300))
    r = max(att, key=lambda q: abs(q[0] - q[1]))
    return Evidence(
        n,
        (
            worst_error("duality_gap vs $P - D$ (hinge_loss)", e_f, t_f),
            upper("$P - D$ vs $Cm\\operatorname{viol}(\\alpha)$", k[0], k[1], slack=k[2]),
            lower("$P - D$ (non-negative)", min(q[0] for q in worst), 0.0, slack=max(t_f)),
            equal(
                "$(P - D)/(Cm\\operatorname{viol})$ at $\\alpha = 0$, one positive among $m$, vs "
                "$(m - 1)/m$",
                r[0],
                r[1],
                1e-12,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def strong_duality_at_smo_solution(rng: np.random.Generator, *, smo=svm.smo) -> Evidence:
    r"""$\min P = \max D$: at ``smo``'s output (tolerance $10^{-8}$) $P(w, b) - D(\alpha)$ vanishes
    within $Cm\cdot10^{-8}$ ({prf:ref}`prop-svm-gap-bound`) and rounding; and $D(\alpha)$ vs the
    primal optimum of SLSQP on the constrained soft-margin QP (feasible, so an upper bound on
    $\min P$), within the certified gap and SLSQP's accuracy ($10^{-8}$ relative)."""
    e_g, t_g, e_p, t_p = [], [], [], []
    n = 10
    tol = 1e-8
    for _ in range(n):
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        K = X @ X.T
        sol = smo(K, y, C, tol=tol)
        alpha = np.asarray(sol.alpha)
        G = gap(alpha, sol.b, y, K, C)
        e_g.append(primal(alpha, sol.b, y, K, C) - dual(alpha, y, K))
        t_g.append(C * m * tol + (G - max(e_g[-1], 0.0)))
        *_, p_sl = slsqp_soft_margin(X, y, C)
        e_p.append(abs(dual(alpha, y, K) - p_sl))
        t_p.append(G + 1e-8 * max(1.0, abs(p_sl)))
    return Evidence(
        n,
        (
            worst_error("$P(w, b) - D(\\alpha)$ at smo's solution", e_g, t_g),
            worst_error("$|D(\\alpha) - \\min P|$ (SLSQP on the constrained QP)", e_p, t_p),
        ),
    )


def _lagrangian_gradient(A, q, B, z, lam):
    """grad f_0(z) + sum_k lam_k a_k for f_0(z) = z^T A z / 2 + q^T z and rows a_k of B."""
    return A @ z + q + B.T @ lam


def _active_set_solve(A, q, B, c):
    """The exact solution of a small strictly convex QP (z, lambda): the active set whose KKT
    system has lambda >= 0 and a feasible z (enumeration; unique for A > 0 generic data)."""
    N, p = A.shape[0], B.shape[0]
    best = None
    for r in range(p + 1):
        for S in itertools.combinations(range(p), r):
            S = list(S)
            M = np.zeros((N + r, N + r))
            M[:N, :N] = A
            M[:N, N:] = B[S].T
            M[N:, :N] = B[S]
            try:
                sol = np.linalg.solve(M, np.r_[-q, c[S]])
            except np.linalg.LinAlgError:
                continue
            z, lam_S = sol[:N], sol[N:]
            if np.any(lam_S < -1e-12) or np.any(B @ z - c > 1e-10 * (1 + np.abs(c))):
                continue
            lam = np.zeros(p)
            lam[S] = np.maximum(lam_S, 0.0)
            value = 0.5 * z @ A @ z + q @ z
            if best is None or value < best[0]:
                best = (value, z, lam)
    return best[1], best[2]


@single_threaded
def kkt_conditions_at_optimum(
    rng: np.random.Generator, *, lagrangian_gradient=_lagrangian_gradient, smo=svm.smo
) -> Evidence:
    r"""The theorem for general strictly convex QPs with affine constraints, both directions, and
    for the SVM at two independent solvers.

    ($\Leftarrow$) Points built to satisfy stationarity and complementary slackness (random $z^\star$,
    a random active set, $\lambda^\star\ge0$ on it, $q = -Az^\star - B^\top\lambda^\star$) are optimal:
    $f_0(z^\star)$ vs the minimum found by SLSQP and vs $g(\lambda^\star)$, and no $\lambda\ge0$ found by
    L-BFGS-B has $g(\lambda) > g(\lambda^\star)$. ($\Rightarrow$) For random QPs, the primal optimum of
    SLSQP and the dual optimum of L-BFGS-B (found without the KKT conditions), with the certified gap
    $G = f_0(z) - g(\lambda)$: the stationarity residual is at most
    $\|A\|\sqrt{2G/\lambda_{\min}(A)}$
    plus the constraint violation's share, and $\sum_k\lambda_k\lvert f_k(z)\rvert\le G$ plus it.
    SVM: SLSQP's
    $(w, b, \xi)$ and LIBSVM's $\alpha$ (independent) satisfy $w = X^\top(\alpha\odot y)$ within
    $\sqrt{2G}$ and $\sum_i\alpha_i(y_if(x_i) - 1 + \xi_i) + \sum_i(C - \alpha_i)\xi_i\le G$, with
    $G = P - D$; at smo's solution as well."""
    e_a, t_a, e_st, t_st, e_cs, t_cs, e_svm, t_svm, e_scs, t_scs = ([] for _ in range(10))
    e_gap, t_gap = [], []
    n = 12
    for k in range(n):
        N, p = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        A, q, B, c = _qp(rng, N, p)
        mu = float(np.linalg.eigvalsh(A)[0])
        if k % 2 == 0:  # built to satisfy the conditions
            z = rng.standard_normal(N)
            S = rng.random(p) < 0.5
            lam = np.where(S, rng.exponential(size=p), 0.0)
            c = B @ z + np.where(S, 0.0, rng.exponential(size=p))
            q = -A @ z - B.T @ lam
            res = minimize(
                lambda x: 0.5 * x @ A @ x + q @ x,
                np.zeros(N),
                jac=lambda x: A @ x + q,
                method="SLSQP",
                constraints=[{"type": "ineq", "fun": lambda x: c - B @ x, "jac": lambda x: -B}],
                options={"ftol": 1e-15},
            )
            f0 = 0.5 * z @ A @ z + q @ z
            g = _qp_dual_function(A, q, B, c, lam)
            scale = float(np.abs(z) @ np.abs(A) @ np.abs(z) + np.abs(q) @ np.abs(z)) + 1.0
            e_a.append(abs(f0 - g))
            t_a.append(16 * (N + p) * U64 * scale * float(np.linalg.cond(A)))
            viol = max(float(np.max(B @ res.x - c)), 0.0)
            lb = minimize(
                lambda l: -_qp_dual_function(A, q, B, c, l),
                np.zeros(p),
                jac=lambda l: (B @ np.linalg.solve(A, q + B.T @ l)) + c,
                bounds=[(0, None)] * p,
                method="L-BFGS-B",
                options={"ftol": 1e-15, "gtol": 1e-12},
            )
            e_a.append(max(float(-lb.fun) - g, 0.0))  # no dual point beats g(lambda*)
            t_a.append(16 * (N + p) * U64 * scale * float(np.linalg.cond(A)))
            e_a.append(max(f0 - float(res.fun), 0.0))  # no feasible point beats f0(z*)
            t_a.append(1e-9 * scale + float(np.abs(lam).sum()) * viol)
            st = np.linalg.norm(lagrangian_gradient(A, q, B, z, lam))
            e_st.append(float(st))
            t_st.append(
                8
                * (N + p)
                * U64
                * float(np.linalg.norm(np.abs(A) @ np.abs(z) + np.abs(q) + np.abs(B).T @ lam))
            )
            continue
        res = minimize(
            lambda x: 0.5 * x @ A @ x + q @ x,
            np.zeros(N),
            jac=lambda x: A @ x + q,
            method="SLSQP",
            constraints=[{"type": "ineq", "fun": lambda x: c - B @ x, "jac": lambda x: -B}],
            options={"ftol": 1e-15, "maxiter": 1000},
        )
        lb = minimize(
            lambda l: -_qp_dual_function(A, q, B, c, l),
            np.zeros(p),
            jac=lambda l: (B @ np.linalg.solve(A, q + B.T @ l)) + c,
            bounds=[(0, None)] * p,
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-12},
        )
        z, lam = res.x, np.maximum(lb.x, 0.0)
        viol = np.maximum(B @ z - c, 0.0)
        f0 = 0.5 * z @ A @ z + q @ z
        G = max(f0 - _qp_dual_function(A, q, B, c, lam), 0.0) + float(lam @ viol)
        scale = float(np.abs(z) @ np.abs(A) @ np.abs(z) + np.abs(q) @ np.abs(z)) + 1.0
        rnd = 16 * (N + p) * U64 * scale * float(np.linalg.cond(A))
        e_st.append(float(np.linalg.norm(lagrangian_gradient(A, q, B, z, lam))))
        t_st.append(float(np.linalg.norm(A, 2)) * math.sqrt(2 * (G + rnd) / mu) + rnd)
        e_cs.append(float(np.sum(lam * np.abs(B @ z - c))))
        t_cs.append(G + rnd + 2 * float(lam @ viol))
    for t in range(4):  # the SVM: SLSQP's primal and LIBSVM's (or smo's) dual, independently
        m, d = int(rng.integers(6, 16)), int(rng.integers(1, 4))
        X, y = blobs(rng, m, d, shift=float(rng.uniform(0.5, 2.0)))
        C = float(10 ** rng.uniform(-1, 1))
        K = X @ X.T
        w, b, xi, value = slsqp_soft_margin(X, y, C)
        if t % 2 == 0:
            alpha, b_a, _ = svc_alpha(K, y, C)
            g_tol = 1e-5 * (1 + abs(value))  # LIBSVM keeps K in single precision
        else:
            sol = smo(K, y, C, tol=1e-9)
            alpha, b_a = np.asarray(sol.alpha), sol.b
            g_tol = C * m * 1e-9 + 1e-12 * (1 + abs(value))
        e_gap.append(gap(alpha, b_a, y, K, C))
        t_gap.append(g_tol)
        ay = alpha * y
        quad = float(np.abs(ay) @ np.abs(K) @ np.abs(ay))  # the rounding scale of D's quadratic
        G = (
            max(value - dual(alpha, y, K), 0.0)
            + abs(b) * abs(float(y @ alpha))
            + 8 * m * U64 * (value + float(np.sum(alpha)) + quad)
        )
        e_svm.append(float(np.linalg.norm(w - X.T @ (alpha * y))))
        t_svm.append(math.sqrt(2 * G))
        f = X @ w + b
        e_scs.append(float(np.sum(alpha * np.abs(y * f - 1 + xi)) + np.sum((C - alpha) * xi)))
        # sum_i alpha_i t_i + sum_i (C - alpha_i) xi_i = P - D - ||w - v||^2/2 + b y^T alpha
        # (t_i = y_i f_i - 1 + xi_i, v = X^T(alpha y)), at most G; the measured sum takes |t_i|,
        # and |t| = t + 2 max(0, -t) where SLSQP's point is slightly infeasible
        t_scs.append(
            G
            + 2 * float(np.sum(alpha * np.maximum(0.0, -(y * f - 1 + xi))))
            + 8
            * (m + d + 2)
            * U64
            * float(
                np.sum(alpha * (np.abs(X) @ np.abs(w) + abs(b) + 1 + np.abs(xi)))
                + C * np.sum(np.abs(xi))
            )
        )
    return Evidence(
        n,
        (
            worst_error(
                "built KKT points: $f_0(z^\\star) - g(\\lambda^\\star)$ and the solvers' excess",
                e_a,
                t_a,
            ),
            worst_error(
                "stationarity residual $\\|\\nabla f_0 + \\sum_k\\lambda_ka_k\\|$", e_st, t_st
            ),
            worst_error(
                "complementary slackness $\\sum_k\\lambda_k|f_k(z)|$ at the solvers' optima",
                e_cs,
                t_cs,
            ),
            worst_error("certified gap of the dual solution used", e_gap, t_gap),
            worst_error(
                "SVM: $\\|w_{\\mathrm{SLSQP}} - X^\\top(\\alpha\\odot y)\\|$ ($\\alpha$ "
                "from LIBSVM or smo)",
                e_svm,
                t_svm,
            ),
            worst_error("SVM complementary slackness, summed", e_scs, t_scs),
        ),
    )


def _implications(alpha, b, y, K, C):
    """The worst violation of the three implications of cor-svm-support-vectors at (alpha, b),
    and its tolerance: viol(alpha) plus the distance of b to [beta_up, beta_low] (the argument
    of prop-svm-gap-bound) plus rounding."""
    yf = y * (K @ (alpha * y) + b)
    free = (alpha > 0) & (alpha < C)
    worst = max(
        float(np.max(1 - yf[alpha == 0], initial=0.0)),
        float(np.max(np.abs(yf[free] - 1), initial=0.0)),
        float(np.max(yf[alpha == C] - 1, initial=0.0)),
    )
    s = y - K @ (alpha * y)
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    b_up = float(np.max(s[up])) if np.any(up) else -math.inf
    b_low = float(np.min(s[low])) if np.any(low) else math.inf
    viol = max(b_up - b_low, 0.0) if math.isfinite(b_up - b_low) else 0.0
    lo, hi = min(b_up, b_low), max(b_up, b_low)
    dist = max(lo - b, b - hi, 0.0)
    rnd = 2 * float(np.max(_s_rounding(alpha, K))) + 4 * U64 * abs(b)
    return worst, viol + dist + rnd, dist, rnd


@single_threaded
def support_vector_classification(rng: np.random.Generator, *, smo=svm.smo) -> Evidence:
    r"""$\alpha_i = 0\Rightarrow y_if(x_i)\ge1$, $0 < \alpha_i < C\Rightarrow y_if(x_i) = 1$,
    $\alpha_i = C\Rightarrow y_if(x_i)\le1$ at two dual solutions found independently: ``smo``'s
    (tolerance $10^{-10}$, polished by solving its free set's KKT system) with its offset, and
    LIBSVM's (at most $10^6$ iterations) with its offset; within
    $\operatorname{viol}(\alpha)$ plus the distance of $b$ to $[\beta_{\mathrm{up}},
    \beta_{\mathrm{low}}]$ (the argument of {prf:ref}`prop-svm-gap-bound`); linear and Gaussian
    kernels."""
    errs, tols, at, e_b, t_b = [], [], [], [], []
    n = 16
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(8, 40))
        sol = smo(K, y, C, tol=1e-10)
        a = _polish(np.asarray(sol.alpha), y, K, C)
        # smo's offset is an optimal one: in the interval of the polished alpha (which moved by
        # at most its violation, 1e-10)
        _, _, dist, rnd = _implications(a, float(sol.b), y, K, C)
        e_b.append(dist)
        t_b.append(rnd + 1e-8)
        for alpha, b, who in ((a, float(sol.b), "smo"), (*svc_alpha(K, y, C)[:2], "LIBSVM")):
            e, tol, _, _ = _implications(alpha, b, y, K, C)
            errs.append(e)
            tols.append(tol)
            at.append(f"{who}, m = {len(y)}, kernel {'linear' if t % 2 == 0 else 'Gaussian'}")
    return Evidence(
        n,
        (
            worst_error("worst violation of the three implications", errs, tols, at=at),
            worst_error(
                "smo's offset: distance to $[\\beta_{\\mathrm{up}}, \\beta_{\\mathrm{low}}]$",
                e_b,
                t_b,
            ),
        ),
    )


@single_threaded
def offset_from_free_vectors(
    rng: np.random.Generator, *, smo=svm.smo, offset=svm.offset
) -> Evidence:
    r"""The minimisers of $P$ are $(w^\star, b)$ with $b$ in $I =
    [\beta_{\mathrm{up}}(\alpha^\star),
    \beta_{\mathrm{low}}(\alpha^\star)]$ ($\alpha^\star$: ``smo`` polished to an optimum to
    rounding):
    $P(w^\star, \cdot)$ takes one value at both ends and the midpoint, and exceeds it by at least
    $C\delta/2$ at distance $\delta = 10^{-4}$ outside ($P(w^\star, \cdot)$ is convex, piecewise linear
    with slopes in $C\mathbb Z$); LIBSVM's offset is optimal too, within its own certified gap
    $G_L$ and the change of $P$ with $w$ ($P(w^\star, b_L) - \min P\le G_L + \ell\sqrt{2G_L}$,
    $\ell$ a Lipschitz constant of $P(\cdot, b)$); with free support vectors $I$ is one point, every
    $s_i$, $i\in F$, equals it, and ``offset`` returns it; without, ``offset`` lies in $I$."""
    e_flat, t_flat, grows, e_lib, t_lib, e_free, t_free = [], [], 0, [], [], [], []
    n = 16
    for t in range(n):
        X, y, K, C = random_problem(rng, t, m=(8, 40))
        m = len(y)
        a = _polish(np.asarray(smo(K, y, C, tol=1e-10).alpha), y, K, C)
        lo, hi = offset_interval(a, y, K, C)
        rnd = (
            8
            * (m + 2)
            * U64
            * (
                C * float(np.sum(1 + np.abs(K) @ a))
                + float(np.abs(a * y) @ np.abs(K) @ np.abs(a * y))
            )
        )
        viol = float(svm.kkt_violation(a, y, K, C))
        ps = [primal(a, b, y, K, C) for b in (lo, 0.5 * (lo + hi), hi)]
        p_star = min(ps)
        e_flat.append(max(ps) - min(ps))
        t_flat.append(C * m * viol + 3 * rnd)
        delta = 1e-4
        rise = min(primal(a, lo - delta, y, K, C), primal(a, hi + delta, y, K, C)) - p_star
        grows += int(rise >= 0.5 * C * delta)
        aL, bL, _ = svc_alpha(K, y, C)
        GL = gap(aL, bL, y, K, C)
        lip = 0.5 * (
            math.sqrt(max(float((a * y) @ K @ (a * y)), 0.0))
            + math.sqrt(max(float((aL * y) @ K @ (aL * y)), 0.0))
        ) + C * float(np.sum(np.sqrt(np.diag(K))))
        e_lib.append(max(primal(a, bL, y, K, C) - p_star, 0.0))
        t_lib.append(GL + lip * math.sqrt(2 * GL) + C * m * viol + rnd)
        s = y - K @ (a * y)
        free = (a > 0) & (a < C)
        b_lib = float(offset(a, y, K, C))
        srnd = 2 * float(np.max(_s_rounding(a, K)))
        if np.any(free):
            e_free.append(max(float(np.max(np.abs(s[free] - b_lib))), hi - lo))
            t_free.append(viol + srnd + 4 * U64 * abs(b_lib))
        else:
            e_free.append(max(lo - b_lib, b_lib - hi, 0.0))
            t_free.append(srnd)
    return Evidence(
        n,
        (
            worst_error(
                "$P(w^\\star, b)$ over $b\\in\\{\\beta_{\\mathrm{up}}, \\text{mid}, "
                "\\beta_{\\mathrm{low}}\\}$: spread",
                e_flat,
                t_flat,
            ),
            equal(
                "instances where $P(w^\\star, \\cdot)$ rises by $C\\delta/2$ at $\\delta$ outside",
                grows,
                n,
                0.0,
                units="instances",
            ),
            worst_error("LIBSVM's offset: $P(w^\\star, b_L) - \\min P$", e_lib, t_lib),
            worst_error(
                "free support vectors: spread of $s_i$ about ``offset``; none: distance of "
                "``offset`` to $I$",
                e_free,
                t_free,
            ),
        ),
    )


def _hard_bound(w2: float) -> float:
    r"""$\|w^\star\|^2$, the bound on $\mathbf 1^\top\alpha_C$ of {prf:ref}`thm-svm-hard-duality`."""
    return w2


@single_threaded
def hard_margin_duality(rng: np.random.Generator, *, smo=svm.smo, bound=_hard_bound) -> Evidence:
    r"""Separable data, $w^\star$ from ``smo`` with $C = \infty$ certified against SLSQP's hard-margin
    solution (gap $G_h$): part 1, $\mathbf 1^\top\alpha_C\le\|w^\star\|^2$ for
    $C\in\{0.1, 0.3, 0.6\}\|w^\star\|^2$; part 2, for $C = 2\|w^\star\|^2$ the bound is attained
    ($\mathbf 1^\top\alpha_C/\|w^\star\|^2 = 1$), no multiplier reaches $C$, $D(\alpha_C) =
    \frac12\|w^\star\|^2$ and $X^\top(\alpha_C\odot y) = w^\star$. Tolerances from the certified gaps:
    $\mathbf 1^\top\alpha = D(\alpha) + \frac12\|v\|^2$ with $\|v - w_C\|\le\sqrt{2G_C}$ and
    $\|w_C\|\le\|w^\star\|$."""
    ups, att, caps, e_d, t_d, e_w, t_w, e_g, t_g = [], [], [], [], [], [], [], [], []
    n = 8
    for _ in range(n):
        m, d = int(rng.integers(6, 30)), int(rng.integers(2, 5))
        X, y = separable(rng, m, d)
        K = X @ X.T
        hard = smo(K, y, math.inf, tol=1e-10)
        ah = np.asarray(hard.alpha)
        w_star = X.T @ (ah * y)
        w_sl, b_sl = slsqp_hard_margin(X, y)
        Gh = (
            max(0.5 * float(w_sl @ w_sl) - dual(ah, y, K), 0.0)
            + 8 * m * U64 * (float(np.sum(ah)) + float(w_sl @ w_sl))
            + abs(b_sl) * abs(float(y @ ah))
        )
        w2 = float(w_star @ w_star)
        nw = math.sqrt(w2)
        e_g.append(Gh)
        t_g.append(1e-7 * w2)  # SLSQP's accuracy (ftol 1e-14) and smo's at tol 1e-10
        dh = 2 * nw * math.sqrt(2 * Gh) + 2 * Gh  # uncertainty of ||w*||^2
        for factor in (0.1, 0.3, 0.6, 2.0):
            C = factor * w2
            sol = smo(K, y, C, tol=1e-10)
            a = np.asarray(sol.alpha)
            G = gap(a, sol.b, y, K, C)
            e_g.append(G)
            t_g.append(C * m * 1e-10 + 1e-12 * w2)
            total = float(np.sum(a))
            tol = nw * math.sqrt(2 * G) + G + dh
            if factor < 1:
                ups.append((total, float(bound(w2)), tol))
            else:
                att.append((total / float(bound(w2)), tol / w2))
                caps.append(float(np.max(a)) / C)
                e_d.append(abs(dual(a, y, K) - 0.5 * w2))
                t_d.append(G + dh)
                e_w.append(float(np.linalg.norm(X.T @ (a * y) - w_star)))
                t_w.append(math.sqrt(2 * G) + 2 * math.sqrt(2 * Gh))
    u = max(ups, key=lambda q: (q[0] - q[2]) / q[1])
    r = max(att, key=lambda q: abs(q[0] - 1) / q[1])
    return Evidence(
        n,
        (
            upper(
                "part 1: $\\mathbf 1^\\top\\alpha_C$ vs $\\|w^\\star\\|^2$ ($C < \\|w^\\star\\|^2$)",
                u[0],
                u[1],
                slack=u[2],
            ),
            equal(
                "part 2, $C = 2\\|w^\\star\\|^2$: $\\mathbf 1^\\top\\alpha_C/\\|w^\\star\\|^2$",
                r[0],
                1.0,
                r[1],
                units="ratio",
                attains=True,
            ),
            upper(
                "part 2: $\\max_i\\alpha_{C,i}/C$ (no multiplier reaches $C$)",
                max(caps),
                1.0,
                units="ratio",
            ),
            worst_error("part 2: $D(\\alpha_C) - \\frac12\\|w^\\star\\|^2$", e_d, t_d),
            worst_error("part 2: $\\|X^\\top(\\alpha_C\\odot y) - w^\\star\\|$", e_w, t_w),
            worst_error("certified gaps of the solutions used", e_g, t_g),
        ),
    )


CLAIMS = (
    Witness(
        "def-svm-lagrangian",
        dual_function_is_infimum,
        "closed-form dual function of random QPs vs BFGS on the Lagrangian (certified)",
        strength="exact",
    ),
    Witness(
        "thm-svm-weak-duality",
        weak_duality_holds,
        "D(alpha) <= soft-margin objective at random feasible points; equality at the optimum",
        strength="sharp",
    ),
    Witness(
        "thm-svm-dual",
        dual_is_lagrangian_infimum,
        "BFGS minimum of the SVM Lagrangian vs D(alpha); unbounded off the constraints",
        strength="exact",
    ),
    Witness(
        "def-svm-kkt-violation",
        violation_matches_definition,
        "kkt_violation vs brute-force maximum over violating pairs",
        strength="exact",
    ),
    Witness(
        "prop-svm-kkt-violation",
        optimal_iff_no_violation,
        "viol 0 at optima (also for indefinite K); viol ~ 0 is optimal (SLSQP finds no better); "
        "viol > 0 improvable",
        strength="exact",
    ),
    Witness(
        "prop-svm-gap-bound",
        gap_formula_and_bound,
        "gap formula vs P - D (sklearn hinge_loss); 0 <= gap <= C m viol, ratio (m - 1)/m reached",
        strength="sharp",
    ),
    Witness(
        "thm-svm-strong-duality",
        strong_duality_at_smo_solution,
        "P - D at the smo solution within C m tol; D vs SLSQP primal optimum",
        strength="exact",
    ),
    Witness(
        "thm-svm-kkt",
        kkt_conditions_at_optimum,
        "general convex QPs both ways (built KKT points; independent solvers' optima); the SVM "
        "at SLSQP's primal and LIBSVM's dual",
        strength="exact",
    ),
    Witness(
        "cor-svm-support-vectors",
        support_vector_classification,
        "the three complementary-slackness implications at smo's and LIBSVM's solutions",
        strength="exact",
    ),
    Witness(
        "prop-svm-offset",
        offset_from_free_vectors,
        "P(w*, .) flat on [beta_up, beta_low] and rising outside; LIBSVM's offset optimal; free "
        "support vectors",
        strength="exact",
    ),
    Witness(
        "thm-svm-hard-duality",
        hard_margin_duality,
        "1^T alpha_C <= ||w*||^2, attained for C > ||w*||^2, where the soft dual solves the hard one",
        strength="sharp",
    ),
)
