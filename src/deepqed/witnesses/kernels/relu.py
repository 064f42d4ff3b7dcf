r"""Witnesses of Section "From kernels to networks": `prop-arccos-kernel`,
`prop-relu-kernel-limit`, `prop-random-feature-ridge`.

Expectations over $w\sim N(0, I_d)$ are computed two ways: by Monte Carlo with normal confidence
intervals (level $10^{-6}$, Bonferroni over the pairs of an instance), and, through the reduction
of the proof to the angle $\phi$ of $(g_1, g_2)$, by quadrature over the *whole* circle
$(-\pi, \pi]$ (so the proof's reduction of the support to one interval, including its case
$\theta > \pi/2$, is tested rather than assumed).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats
from sklearn.kernel_ridge import KernelRidge

from ... import kernels
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    arccos_exact,
    equal,
    interval,
    single_threaded,
    upper,
    worst_error,
)
from .psd import _bounds

F64 = np.dtype("float64")
LEVEL = 1e-6


def _angle(x: np.ndarray, z: np.ndarray) -> float:
    c = float(x @ z) / math.sqrt(float(x @ x) * float(z @ z))
    return math.acos(max(-1.0, min(1.0, c)))


def _circle(f, theta: float) -> tuple[float, float]:
    r"""$\int_{-\pi}^{\pi}f(\phi)\,\mathrm d\phi$ by ``quad``, split at the kinks $\pm\pi/2$ and
    $\theta\pm\pi/2$ (wrapped into $(-\pi, \pi]$): value and error estimate."""
    kinks = sorted(
        {-math.pi / 2, math.pi / 2}
        | {
            (t + math.pi) % (2 * math.pi) - math.pi
            for t in (theta - math.pi / 2, theta + math.pi / 2)
        }
    )
    edges = [-math.pi, *[t for t in kinks if -math.pi < t < math.pi], math.pi]
    total, err = 0.0, 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        v, e = integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-13)
        total += v
        err += e
    return total, err


def _pairs(rng: np.random.Generator, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (x, x') with angles spread over [0, pi] (some above pi/2, one parallel, one opposite)."""
    X = rng.standard_normal((6, d)) * rng.uniform(0.5, 2)
    Z = rng.standard_normal((6, d)) * rng.uniform(0.5, 2)
    Z[0] = 1.7 * X[0]  # theta = 0
    Z[1] = -0.6 * X[1]  # theta = pi
    if d > 1:  # an angle in (pi/2, pi): -x plus a small orthogonal part
        v = rng.standard_normal(d)
        v -= (v @ X[2]) / (X[2] @ X[2]) * X[2]
        Z[2] = -X[2] + 0.5 * np.linalg.norm(X[2]) * v / np.linalg.norm(v)
    return X, Z


@single_threaded
def arccos_is_relu_expectation(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""``gram(ArcCosine(), x, x')`` vs (a) $\frac{\|x\|\|x'\|}{\pi}\int_{-\pi}^{\pi}
    \operatorname{ReLU}(\cos\phi)\operatorname{ReLU}(\cos(\phi - \theta))\,\mathrm d\phi$ by
    quadrature over the whole circle (error estimate plus the Gram entry's rounding bound), for
    angles across $[0, \pi]$ including $(\pi/2, \pi)$; (b) Monte Carlo over $2\cdot10^5$ draws
    $w\sim N(0, I_d)$ (a confidence interval); (c) the special cases $k(x, x) = \|x\|^2/2$,
    $k(x, -x) = 0$, $k(0, x) = 0$."""
    e_q, t_q, e_s, t_s, at = [], [], [], [], []
    worst_iv = None
    n = 3
    for _ in range(n):
        d = int(rng.integers(1, 6))
        X, Z = _pairs(rng, d)
        K = np.asarray(gram(kernels.ArcCosine(), X, Z), dtype=F64)
        ref = np.array([[arccos_exact(x, z) for z in Z] for x in X])
        B = _bounds(kernels.ArcCosine(), X, Z, ref, F64)
        for i in range(6):
            th = _angle(X[i], Z[i])
            val, err = _circle(
                lambda p, th=th: max(math.cos(p), 0.0) * max(math.cos(p - th), 0.0), th
            )
            q = math.sqrt(float(X[i] @ X[i]) * float(Z[i] @ Z[i])) / math.pi * val
            e_q.append(abs(float(K[i, i]) - q))
            t_q.append(10 * err * abs(q / val if val else 1.0) + float(B[i, i]) + 1e-14 * abs(q))
            at.append(f"theta = {th:.3f}")
        W = rng.standard_normal((200_000, d))
        A, C = np.maximum(X @ W.T, 0), np.maximum(Z @ W.T, 0)
        z = stats.norm.isf(LEVEL / (2 * 6))
        for i in range(6):
            prod = A[i] * C[i]
            mean, se = float(prod.mean()), float(prod.std(ddof=1)) / math.sqrt(prod.size)
            if i == 1:  # theta = pi: every product is 0; k(x, -x) = 0 is checked below
                continue
            score = abs(mean - K[i, i]) / max(z * se, 1e-300)
            if worst_iv is None or score > worst_iv[0]:
                worst_iv = (score, mean, mean - z * se, mean + z * se, float(K[i, i]))
        x = X[3:4]
        nx2 = float(x[0] @ x[0])
        kxx = float(np.asarray(gram(kernels.ArcCosine(), x))[0, 0])
        e_s.append(abs(kxx - nx2 / 2))
        t_s.append(float(_bounds(kernels.ArcCosine(), x, x, np.array([[nx2 / 2]]), F64)[0, 0]))
        e_s.append(abs(float(np.asarray(gram(kernels.ArcCosine(), x, -x))[0, 0])))
        t_s.append(float(_bounds(kernels.ArcCosine(), x, -x, np.zeros((1, 1)), F64)[0, 0]))
        e_s.append(abs(float(np.asarray(gram(kernels.ArcCosine(), 0 * x, x))[0, 0])))
        t_s.append(0.0)
    _, est, lo, hi, r = worst_iv
    return Evidence(
        n,
        (
            worst_error(
                "$k(x, x')$ vs the angular integral over $(-\\pi, \\pi]$ (quad)", e_q, t_q, at=at
            ),
            interval(
                "Monte Carlo mean of the ReLU products vs $k(x, x')$", est, lo, hi, r, level=LEVEL
            ),
            worst_error("$k(x, x) - \\|x\\|^2/2$, $k(x, -x)$, $k(0, x)$", e_s, t_s),
        ),
    )


def relu_variance_bound(N: int, x: np.ndarray, z: np.ndarray) -> float:
    r"""The bound of `prop-relu-kernel-limit`: $\operatorname{Var}k_N(x, x')\le
    \frac3{2N}\|x\|^2\|x'\|^2$."""
    return 1.5 * float(x @ x) * float(z @ z) / N


def _second_moment(theta: float) -> tuple[float, float]:
    r"""$\mathbb EP^2/(\|x\|^2\|x'\|^2) = \frac{8}{2\pi}\int_{-\pi}^{\pi}\operatorname{ReLU}(\cos\phi)^2
    \operatorname{ReLU}(\cos(\phi - \theta))^2\,\mathrm d\phi$ ($\mathbb E\rho^4 = 8$ for the radius
    of a standard Gaussian in the plane), with its error estimate."""
    v, e = _circle(lambda p: max(math.cos(p), 0.0) ** 2 * max(math.cos(p - theta), 0.0) ** 2, theta)
    return 8 * v / (2 * math.pi), 8 * e / (2 * math.pi)


@single_threaded
def empirical_kernel_converges(
    rng: np.random.Generator,
    *,
    empirical_relu_kernel=kernels.empirical_relu_kernel,
    variance_bound=relu_variance_bound,
) -> Evidence:
    r"""$\mathbb Ek_N = k$: ``empirical_relu_kernel`` with $N = 2^{16}$ Gaussian rows has a confidence
    interval (from the products' standard deviation) containing the arc-cosine kernel. The variance:
    over $R = 3000$ independent draws of $k_N$ ($N = 8$), the sample variance's confidence interval
    contains $\operatorname{Var}P/N$ computed by quadrature ($\mathbb EP^2$ from the angular
    integral, minus $k^2$); that exact variance is at most ``variance_bound`` for angles across
    $[0, \pi]$, the proof's bound $\mathbb EP^2\le\frac32\|x\|^2\|x'\|^2$ is attained at $x' = x$
    (the Cauchy–Schwarz step is an equality there: ``variance_bound`` $\cdot N$ equals
    $\mathbb EP^2$), and the variance itself is at most $\frac56$ of the bound (its maximum over the
    angle, $\frac54\|x\|^4$ at $x' = x$)."""
    worst_mean, worst_var, ups, e_eq, t_eq, e56 = None, None, [], [], [], []
    n = 3
    N, Nv, R = 2**16, 8, 3000
    for _ in range(n):
        d = int(rng.integers(2, 6))
        X, Z = _pairs(rng, d)
        W = rng.standard_normal((N, d))
        KN = np.asarray(empirical_relu_kernel(W, X, Z), dtype=F64)
        A, C = np.maximum(X @ W.T, 0), np.maximum(Z @ W.T, 0)
        z = stats.norm.isf(LEVEL / (2 * 12))
        for i in range(6):
            x, xp = X[i], Z[i]
            k = arccos_exact(x, xp)
            se = float((A[i] * C[i]).std(ddof=1)) / math.sqrt(N)
            if i != 1:  # theta = pi: k_N = 0 exactly and k = 0 to rounding, no interval
                score = abs(KN[i, i] - k) / (z * se)
                if worst_mean is None or score > worst_mean[0]:
                    worst_mean = (score, KN[i, i], KN[i, i] - z * se, KN[i, i] + z * se, k)
            th = _angle(x, xp)
            m2, err = _second_moment(th)
            nn = float(x @ x) * float(xp @ xp)
            var = (m2 * nn - k * k) / Nv
            var_err = 10 * err * nn / Nv + 8 * U64 * m2 * nn / Nv
            b = float(variance_bound(Nv, x, xp))
            ups.append((var, b, var_err, f"theta = {th:.3f}"))
            if i == 0:  # x' = 1.7 x: E P^2 = 3/2 |x|^2 |x'|^2 exactly
                e_eq.append(abs(b * Nv - m2 * nn))
                t_eq.append(10 * err * nn + 8 * U64 * nn)
                e56.append((var / b, var_err / b + 8 * U64))
            if i == 1:
                continue
            # the sample variance of R independent k_N (N = 8) at this pair
            Ws = rng.standard_normal((R, Nv, d))
            P = np.maximum(Ws @ x, 0) * np.maximum(Ws @ xp, 0)  # (R, Nv)
            kn = P.mean(axis=1)
            s2 = float(kn.var(ddof=1))
            m4 = float(np.mean((kn - kn.mean()) ** 4))
            se4 = math.sqrt(max(m4 - s2 * s2, 0.0) / R)
            score = (
                abs(s2 - var) / (z * se4)
                if se4 > 0
                else (0.0 if abs(s2 - var) <= var_err else math.inf)
            )
            if worst_var is None or score > worst_var[0]:
                worst_var = (score, s2, s2 - z * se4, s2 + z * se4, var)
    top = max(ups, key=lambda q: (q[0] - q[1]) / max(q[1], 1e-300))
    r56 = max(e56, key=lambda q: abs(q[0] - 5 / 6) / q[1])
    _, e1, l1, h1, r1 = worst_mean
    _, e2, l2, h2, r2 = worst_var
    return Evidence(
        n,
        (
            interval("$k_N(x, x')$, $N = 2^{16}$, vs $k(x, x')$", e1, l1, h1, r1, level=LEVEL),
            interval(
                "sample variance of 3000 draws of $k_8$ vs $\\operatorname{Var}P/N$ (quadrature)",
                e2,
                l2,
                h2,
                r2,
                level=LEVEL,
            ),
            upper(
                "$\\operatorname{Var}k_N$ (quadrature) vs variance_bound",
                top[0],
                top[1],
                slack=top[2],
                at=top[3],
            ),
            worst_error(
                "$x' \\parallel x$: $N\\cdot$variance_bound $- \\mathbb EP^2$ (Cauchy–Schwarz equality)",
                e_eq,
                t_eq,
            ),
            equal(
                "$x' \\parallel x$: $\\operatorname{Var}k_N$/variance_bound vs $5/6$",
                r56[0],
                5 / 6,
                r56[1],
                units="ratio",
                attains=True,
            ),
        ),
    )


@single_threaded
def feature_ridge_equals_kernel_ridge(
    rng: np.random.Generator,
    *,
    feature_ridge=kernels.feature_ridge,
    relu_features=kernels.relu_features,
) -> Evidence:
    r"""``feature_ridge`` vs both closed forms solved in float64 (``numpy.linalg.solve``),
    $(\Phi^\top\Phi + m\lambda I_N)^{-1}\Phi^\top y$ and $\Phi^\top(\Phi\Phi^\top + m\lambda I_m)^{-1}y$,
    within $4\kappa\eta\|\hat v\|$ ($\kappa = (\|\Phi\|_2^2 + m\lambda)/(m\lambda)$, $\eta$ the
    relative backward error of a solve); the network's predictions $\varphi(x)^\top\hat v$ vs
    ``KernelRidge(kernel="precomputed", alpha = m lam)`` with $K_N = \Phi\Phi^\top$; and
    $\|\hat v\|^2 = \alpha^\top K_N\alpha$; $N < m$ and $N > m$."""
    e_v, t_v, e_p, t_p, e_n, t_n = [], [], [], [], [], []
    n = 10
    for _ in range(n):
        m, d = int(rng.integers(5, 40)), int(rng.integers(1, 5))
        N = int(rng.choice([int(rng.integers(1, m)), int(rng.integers(m, 4 * m))]))
        X = rng.standard_normal((m, d))
        y = np.sin(X.sum(axis=1)) + 0.1 * rng.standard_normal(m)
        T = rng.standard_normal((12, d))
        W = rng.standard_normal((N, d))
        lam = float(10 ** rng.uniform(-3, -1))
        Phi = np.maximum(X @ W.T, 0) / math.sqrt(N)
        PhiT = np.maximum(T @ W.T, 0) / math.sqrt(N)
        v1 = np.linalg.solve(Phi.T @ Phi + m * lam * np.eye(N), Phi.T @ y)
        alpha = np.linalg.solve(Phi @ Phi.T + m * lam * np.eye(m), y)
        v2 = Phi.T @ alpha
        v = np.asarray(feature_ridge(np.asarray(relu_features(W, X)), y, lam), dtype=F64)
        nP = float(np.linalg.norm(Phi, 2))
        kappa = (nP**2 + m * lam) / (m * lam)
        eta = 8 * (m + N + d) * (m + N) * U64
        nv = float(np.linalg.norm(v1))
        tol = 4 * kappa * eta * (nv + nP * float(np.linalg.norm(y)) / (m * lam))
        e_v.append(float(max(np.linalg.norm(v - v1), np.linalg.norm(v - v2))))
        t_v.append(tol)
        ref = (
            KernelRidge(alpha=m * lam, kernel="precomputed")
            .fit(Phi @ Phi.T, y)
            .predict(PhiT @ Phi.T)
        )
        ours = np.asarray(relu_features(W, T), dtype=F64) @ v
        e_p.append(float(np.max(np.abs(ours - ref))))
        t_p.append(
            2 * float(np.linalg.norm(PhiT, 2)) * tol
            + 8 * (N + d) * U64 * float(np.max(np.abs(PhiT) @ np.abs(v)))
        )
        e_n.append(abs(float(v @ v) - float(alpha @ (Phi @ Phi.T) @ alpha)))
        t_n.append(2 * nv * tol + tol * tol + 8 * (m + N) * U64 * nv * nv)
    return Evidence(
        n,
        (
            worst_error("$\\hat v$ vs both closed forms (float64 solves)", e_v, t_v),
            worst_error(
                "$\\varphi(x)^\\top\\hat v$ vs KernelRidge with $K_N$ (precomputed)", e_p, t_p
            ),
            worst_error("$\\|\\hat v\\|^2$ vs $\\alpha^\\top K_N\\alpha$", e_n, t_n),
        ),
    )


CLAIMS = (
    Witness(
        "prop-arccos-kernel",
        arccos_is_relu_expectation,
        "the formula vs the angular integral over the whole circle (all angles, theta > pi/2 "
        "included) and vs Monte Carlo; the special cases",
        strength="exact",
    ),
    Witness(
        "prop-relu-kernel-limit",
        empirical_kernel_converges,
        "k_N's mean and variance vs quadrature (confidence intervals); the variance bound, its "
        "proof's step attained at x' = x, the variance 5/6 of it there",
        strength="sharp",
    ),
    Witness(
        "prop-random-feature-ridge",
        feature_ridge_equals_kernel_ridge,
        "feature_ridge vs both closed forms; predictions vs KernelRidge with K_N; the norm",
        strength="exact",
    ),
)
