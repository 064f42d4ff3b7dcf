r"""Witnesses of Section "Linear convergence without convexity": `def-opt-pl`, `lem-opt-smooth-gap`,
`prop-opt-pl-least-squares`, `prop-opt-pl-example`, `thm-opt-pl-rate`.

Instances: least-squares objectives $\frac12\|Xw - y\|^2$ built from a known singular value
decomposition (so that the best constants and the extremal directions are known by construction),
rank-deficient ones included; quadratics with a known spectrum; the nonconvex
$x^2 + 3\sin^2x$ of Proposition `prop-opt-pl-example`, in one and several coordinates. Gradients
for the definition come from torch autograd; minima from chapter 3's minimum-norm solver."""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.optimize import minimize_scalar

from ... import linear, optimisation
from ...registry import Witness
from .._common import Evidence, equal, error, lower, single_threaded, upper

U64 = np.finfo(np.float64).eps


def _least_squares(rng: np.random.Generator, *, deficient: bool):
    """``(X, y, s, V)``: ``X = U diag(s) V^T`` of shape ``(m, n)`` with known singular values ``s``
    (descending, the last ``n - r`` zero when ``deficient``) and right singular vectors ``V``."""
    m, n = int(rng.integers(4, 9)), int(rng.integers(2, 7))
    k = min(m, n)
    s = np.zeros(n)
    r = int(rng.integers(1, k)) if deficient and k > 1 else k
    s[:r] = np.sort(rng.uniform(0.3, 3.0, size=r))[::-1]
    U, _ = np.linalg.qr(rng.standard_normal((m, m)))
    V, _ = np.linalg.qr(rng.standard_normal((n, n)))
    S = np.zeros((m, n))
    S[:k, :k] = np.diag(s[:k])
    return U @ S @ V.T, rng.standard_normal(m), s[:r], V, r


def _ls_value_grad(X, y, w):
    r = X @ w - y
    return 0.5 * float(r @ r), X.T @ r


@single_threaded
def pl_ratio_is_the_definition(
    rng: np.random.Generator, *, pl_ratio=optimisation.pl_ratio
) -> Evidence:
    r"""The library's $\frac12\|\nabla f(x)\|^2/(f(x) - f^\star)$ against the same quotient with
    torch autograd's gradient, at random points of random convex quadratics
    $f(x) = \frac12(x - x^\star)^\top Q(x - x^\star) + f^\star$ with known $f^\star$; the quotient
    of a quadratic along an eigenvector of $Q$ for the eigenvalue $\lambda$ is $\lambda$."""
    errs, eig_errs = [], []
    n_inst = 20
    for _ in range(n_inst):
        d = int(rng.integers(1, 6))
        lam = rng.uniform(0.2, 4.0, size=d)
        V, _ = np.linalg.qr(rng.standard_normal((d, d)))
        Q = (V * lam) @ V.T
        x_star, f_star = rng.standard_normal(d), float(rng.standard_normal())
        for x in (x_star + rng.standard_normal(d), x_star + V[:, 0] * rng.uniform(0.5, 2)):
            xt = torch.tensor(x, requires_grad=True)
            dx = xt - torch.from_numpy(x_star)
            f = 0.5 * dx @ torch.from_numpy(Q) @ dx + f_star
            (g,) = torch.autograd.grad(f, xt)
            gap = float(f.detach()) - f_star
            ref = 0.5 * float(g @ g) / gap
            errs.append(abs(pl_ratio(g.numpy(), gap) - ref) / ref)
        eig_errs.append(abs(pl_ratio(Q @ (V[:, 0]), 0.5 * lam[0]) - lam[0]) / lam[0])
    return Evidence(
        n_inst,
        (
            error("PL quotient vs torch autograd's gradient", max(errs), 8 * U64),
            # ||Qv||^2 for a rounded unit eigenvector v: relative error <= 8 (d + 2) u
            # lambda_max/lambda_0 <= 8 * 7 * 20 u (d <= 5, spectrum in [0.2, 4])
            error("PL quotient along an eigenvector vs its eigenvalue", max(eig_errs), 1120 * U64),
        ),
    )


def _smooth_gap(L: float, gap: float) -> float:
    return L * gap


@single_threaded
def smooth_gap_bound_is_sharp(
    rng: np.random.Generator, *, smooth_gap_bound=_smooth_gap
) -> Evidence:
    r"""$\frac12\|\nabla f(x)\|^2\le L(f(x) - f^\star)$ (the bound passed in as
    ``smooth_gap_bound(L, gap)``) at random points of PSD quadratics $\frac12(x - x^\star)^\top
    Q(x - x^\star)$ with $L = \lambda_{\max}(Q)$ and of $\sum_j(x_j^2 + 3\sin^2x_j)$ ($L = 8$,
    $f^\star = 0$); with equality for the quadratic along the top eigenvector (attained)."""
    worst, attained = 0.0, []
    n_inst = 20
    for _ in range(n_inst):
        d = int(rng.integers(1, 6))
        lam = np.sort(rng.uniform(0.0, 4.0, size=d))
        V, _ = np.linalg.qr(rng.standard_normal((d, d)))
        Q, L = (V * lam) @ V.T, float(lam[-1])
        x_star = rng.standard_normal(d)
        for _ in range(5):
            x = x_star + rng.standard_normal(d) * 10 ** rng.uniform(-2, 1)
            g, gap = Q @ (x - x_star), 0.5 * float((x - x_star) @ Q @ (x - x_star))
            if gap > 0:
                worst = max(worst, 0.5 * float(g @ g) / smooth_gap_bound(L, gap))
        x = rng.standard_normal(d) * 5
        g = optimisation.sin_quadratic_grad(x)
        gap = float(np.sum(optimisation.sin_quadratic(x)))
        worst = max(worst, 0.5 * float(g @ g) / smooth_gap_bound(8.0, gap))
        h = V[:, -1] * rng.uniform(0.1, 3.0)
        g, gap = Q @ h, 0.5 * float(h @ Q @ h)
        attained.append(0.5 * float(g @ g) / smooth_gap_bound(L, gap))
    return Evidence(
        n_inst,
        (
            upper(
                r"$\frac12\|\nabla f\|^2 / (L(f - f^\star))$, random points",
                worst,
                1.0,
                slack=16 * U64,
                units="ratio",
            ),
            equal(
                r"the same ratio along the top eigenvector",
                min(attained),
                1.0,
                16 * U64,
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def least_squares_pl_constant_is_sharp(
    rng: np.random.Generator,
    *,
    least_squares_pl_constant=optimisation.least_squares_pl_constant,
) -> Evidence:
    r"""For $f(w) = \frac12\|Xw - y\|^2$ with $X$ of known singular values (rank-deficient in half
    the instances): the library's $\mu$ equals $s_r^2$ (smallest positive singular value); the PL
    quotient at random $w$ is at least $\mu$ ($f^\star$ from chapter 3's minimum-norm solver) and
    equals $\mu$ at $w^\dagger + tv_r$ (attained); and $\lambda_{\min}(X^\top X) = 0$ when
    $\operatorname{rank}X < n$ (not strongly convex)."""
    const_err, worst, attain, not_sc = 0.0, math.inf, [], 0.0
    n_inst = 24
    for k in range(n_inst):
        X, y, s, V, r = _least_squares(rng, deficient=k % 2 == 0)
        mu = least_squares_pl_constant(X)
        const_err = max(const_err, abs(mu - s[-1] ** 2) / s[-1] ** 2)
        w_dag = linear.min_norm_least_squares(X, y)
        f_star = _ls_value_grad(X, y, w_dag)[0]
        for _ in range(6):
            w = w_dag + rng.standard_normal(X.shape[1]) * 10 ** rng.uniform(-1, 1)
            f, g = _ls_value_grad(X, y, w)
            if f - f_star >= 1e-6 * (f + f_star):  # the gap's rounding is below 1e-9 relative
                worst = min(worst, 0.5 * float(g @ g) / (f - f_star) / mu)
        w = w_dag + V[:, r - 1] * rng.uniform(0.5, 2.0)
        f, g = _ls_value_grad(X, y, w)
        attain.append(0.5 * float(g @ g) / (f - f_star) / mu)
        if r < X.shape[1]:
            not_sc = max(not_sc, abs(float(np.linalg.eigvalsh(X.T @ X)[0])) / s[0] ** 2)
    # f - f* is a difference of two sums of squares: relative rounding <~ 8 (f + f*)/(f - f*) u,
    # at most 8e6 u < 2e-9 where f - f* >= 1e-6 (f + f*); along v_r, f - f* >= s_r^2/8 >= 1e-2
    tol = 2e-9
    return Evidence(
        n_inst,
        (
            error(r"library $\mu$ vs $s_r^2$", const_err, 64 * U64),
            lower(
                r"PL quotient $/\,\mu$ at random $w$ (min)", worst, 1.0, slack=tol, units="ratio"
            ),
            equal(
                r"PL quotient $/\,\mu$ at $w^\dagger + tv_r$",
                max(attain, key=lambda a: abs(a - 1)),
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
            error(
                r"$\lambda_{\min}(X^\top X)/s_1^2$ when rank $X < n$",
                not_sc,
                64 * U64,
                units="relative to the largest squared singular value",
            ),
        ),
    )


def _sin_quadratic_pl_minimum() -> tuple[float, float]:
    """``(mu_star, x_star)``: the minimum over x != 0 of f'(x)^2 / (2 f(x)) for x^2 + 3 sin^2 x, by
    a grid on (0, 60] (the quotient tends to 2 at infinity and is even) refined by Brent's method
    in the best cell."""
    x = np.linspace(1e-3, 60.0, 600_001)
    q = optimisation.sin_quadratic_grad(x) ** 2 / (2 * optimisation.sin_quadratic(x))
    i = int(np.argmin(q))
    res = minimize_scalar(
        lambda t: float(
            optimisation.sin_quadratic_grad(np.array(t)) ** 2
            / (2 * optimisation.sin_quadratic(np.array(t)))
        ),
        bracket=(x[i - 1], x[i], x[i + 1]),
        tol=1e-12,
    )
    return float(res.fun), float(res.x)


@single_threaded
def sin_quadratic_is_pl_not_convex(
    rng: np.random.Generator,
    *,
    mu=optimisation.SIN_QUADRATIC_MU,
    L=optimisation.SIN_QUADRATIC_L,
    sin_quadratic_grad=optimisation.sin_quadratic_grad,
) -> Evidence:
    r"""$f(x) = x^2 + 3\sin^2x$: the library's $f'$ against torch autograd at random points;
    $f'' = 2 + 6\cos2x$ (autograd) has maximum $L = 8$ (at $0$) and minimum $-4 < 0$ (not convex);
    the best PL constant $\mu^\ast = \min_{x\ne0}f'(x)^2/(2f(x))$ (grid and Brent) is at least
    the proved $\mu = 1/8$."""
    x = torch.tensor(rng.uniform(-20, 20, size=2000), requires_grad=True)
    f = (x**2 + 3 * torch.sin(x) ** 2).sum()
    (g,) = torch.autograd.grad(f, x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    grad_err = float(
        np.max(
            np.abs(sin_quadratic_grad(x.detach().numpy()) - g.detach().numpy())
            / (1 + np.abs(g.detach().numpy()))
        )
    )
    grid = torch.linspace(-math.pi, math.pi, 20001, dtype=torch.float64, requires_grad=True)
    (gg,) = torch.autograd.grad((grid**2 + 3 * torch.sin(grid) ** 2).sum(), grid, create_graph=True)
    (hh,) = torch.autograd.grad(gg.sum(), grid)
    f2_max, f2_min = float(hh.max()), float(hh.min())
    mu_star, _ = _sin_quadratic_pl_minimum()
    return Evidence(
        2000,
        (
            error("$f'$ vs torch autograd", grad_err, 64 * U64, units="error relative to 1 + |f'|"),
            equal("max $f''$ (the smoothness constant)", f2_max, L, 1e-12),
            equal("min $f''$ (negative: not convex)", f2_min, -4.0, 1e-6),
            lower(r"best PL constant $\mu^\ast$ vs proved $\mu$", mu_star, mu),
        ),
        note=f"min f'' over the grid of [-pi, pi] (h = 3e-4); max |f''| on random points {float(h.abs().max()):.4g}",
    )


def _gap_ratios(gaps: np.ndarray, q: float, scale: float) -> np.ndarray:
    """``gaps[k] / (q^k gaps[0])`` for ``k >= 1`` where the bound is above 1e-6 ``scale`` (there a
    gap computed as a difference of two values of size ``scale`` is exact to ~1e-9 relative)."""
    bound = q ** np.arange(len(gaps)) * gaps[0]
    keep = bound[1:] > 1e-6 * scale
    return gaps[1:][keep] / bound[1:][keep]


@single_threaded
def gradient_descent_pl_rate(
    rng: np.random.Generator,
    *,
    gradient_descent=optimisation.gradient_descent,
    pl_rate_factor=optimisation.pl_rate_factor,
) -> Evidence:
    r"""Theorem `thm-opt-pl-rate`: $f(x_k) - f^\star\le q^k(f(x_0) - f^\star)$ with
    $q = 1 - 2\mu\eta(1 - L\eta/2)$ along gradient descent on (a) $\sum_j(x_j^2 + 3\sin^2x_j)$
    ($\mu = 1/8$, $L = 8$, nonconvex) and (b) rank-deficient least squares ($\mu = s_r^2$,
    $L = s_1^2$), for $\eta\in\{0.5/L, 1.5/L\}$; the step lengths sum to at most
    $\eta\sqrt{2L(f(x_0) - f^\star)}/(1 - \sqrt q)$ (part 3). Attained: on
    $f(x) = \frac L2\|x - c\|^2$ ($\mu = L$) the ratio is $1$ at every step, for every step size.
    Necessity: with $\eta = 2.5/L$ on least squares started along $v_1$ the gap grows."""
    ratios, path, attained = [], [], []
    n_inst = 12
    T = 60
    for k in range(n_inst):
        eta_frac = (0.5, 1.5)[k % 2]
        if k < 6:
            d = int(rng.integers(1, 5))
            mu, L, f_star = optimisation.SIN_QUADRATIC_MU, optimisation.SIN_QUADRATIC_L, 0.0
            x0 = rng.uniform(-12, 12, size=d)

            def f(x):
                return float(np.sum(optimisation.sin_quadratic(x)))

            grad = optimisation.sin_quadratic_grad
        else:
            X, y, s, V, r = _least_squares(rng, deficient=True)
            mu, L = float(s[-1] ** 2), float(s[0] ** 2)
            w_dag = linear.min_norm_least_squares(X, y)
            f_star = _ls_value_grad(X, y, w_dag)[0]
            x0 = w_dag + 3 * rng.standard_normal(X.shape[1])

            def f(x, X=X, y=y):
                return _ls_value_grad(X, y, x)[0]

            def grad(x, X=X, y=y):
                return X.T @ (X @ x - y)

        eta = eta_frac / L
        xs = gradient_descent(grad, x0, eta, T)
        gaps = np.array([f(x) - f_star for x in xs])
        q = pl_rate_factor(mu, L, eta)
        ratios.extend(_gap_ratios(gaps, q, 1 + abs(f_star)))
        steps = np.linalg.norm(np.diff(xs, axis=0), axis=1).sum()
        path.append(steps / (eta * math.sqrt(2 * L * gaps[0]) / (1 - math.sqrt(q))))
        # attaining instance: an isotropic quadratic, mu = L, the same step fraction
        d, L = int(rng.integers(1, 5)), float(rng.uniform(0.5, 4.0))
        c = rng.standard_normal(d)
        xs = gradient_descent(
            lambda x, c=c, L=L: L * (x - c), c + rng.standard_normal(d), eta_frac / L, 20
        )
        gaps = np.array([0.5 * L * float((x - c) @ (x - c)) for x in xs])
        attained.extend(_gap_ratios(gaps, pl_rate_factor(L, L, eta_frac / L), gaps[0]))
    X, y, s, V, r = _least_squares(rng, deficient=False)
    L = float(s[0] ** 2)
    w_hat = linear.min_norm_least_squares(X, y)
    xs = gradient_descent(lambda x: X.T @ (X @ x - y), w_hat + V[:, 0], 2.5 / L, 10)
    f_hat = _ls_value_grad(X, y, w_hat)[0]
    growth = (_ls_value_grad(X, y, xs[10])[0] - f_hat) / (_ls_value_grad(X, y, xs[0])[0] - f_hat)
    # a gap >= 1e-6 scale carries relative rounding <= 8 u 1e6 < 2e-9; q^k adds k u
    tol = 1e-8
    return Evidence(
        2 * n_inst + 1,
        (
            upper(
                r"$(f(x_k) - f^\star)/(q^k(f(x_0) - f^\star))$, max over $k\ge1$",
                max(ratios),
                1.0,
                slack=tol,
                units="ratio",
            ),
            equal(
                r"the same ratio on $\frac L2\|x - c\|^2$ ($\mu = L$), farthest from 1",
                max(attained, key=lambda a: abs(a - 1)),
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
            upper(
                r"$\sum_k\|x_{k+1} - x_k\|$ / its bound", max(path), 1.0, slack=tol, units="ratio"
            ),
            lower(
                r"necessity: gap growth in 10 steps with $\eta = 2.5/L$",
                growth,
                1.0,
                units="factor",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-opt-pl",
        pl_ratio_is_the_definition,
        "The PL quotient ||grad f||^2 / (2 (f - f*)) against torch autograd's gradient; along an "
        "eigenvector of a quadratic it is the eigenvalue",
        strength="exact",
    ),
    Witness(
        "lem-opt-smooth-gap",
        smooth_gap_bound_is_sharp,
        "(1/2)||grad f||^2 <= L (f - f*) on quadratics and on x^2 + 3 sin^2 x, with equality along "
        "the top eigenvector of a quadratic",
        strength="sharp",
    ),
    Witness(
        "prop-opt-pl-least-squares",
        least_squares_pl_constant_is_sharp,
        "Least squares with known singular values (rank-deficient too): mu = s_r^2, PL quotient "
        ">= mu at random points, = mu along v_r",
        strength="sharp",
    ),
    Witness(
        "prop-opt-pl-example",
        sin_quadratic_is_pl_not_convex,
        "x^2 + 3 sin^2 x: f' and f'' by autograd (L = 8, min f'' = -4), best PL constant by grid "
        "and Brent against the proved 1/8",
        strength="validity",
        reason="the proof's piecewise estimates give mu = 1/8; the best constant is about 0.1755 "
        "(measured), so the ratio is about 1.4 and a constant twice as large is rejected",
    ),
    Witness(
        "thm-opt-pl-rate",
        gradient_descent_pl_rate,
        "Gradient descent on a nonconvex PL function and on rank-deficient least squares: "
        "gap <= q^k gap_0 and the path-length bound; attained (ratio 1) on isotropic quadratics, "
        "where mu = L; a step 2.5/L makes the gap grow",
        strength="sharp",
    ),
)
