r"""Witnesses of `lem-spectral-measures` (Section "Positive semi-definite kernels") and of Section
"Random Fourier features": `thm-bochner`, `def-rff`, `prop-rff-unbiased`, `prop-rff-hoeffding`,
`thm-rff-uniform`.

Two of the statements are proved elsewhere and labelled *cited*: Bochner's theorem (Rudin 1962;
only its easy direction is tested, on finite measures) and the uniform bound of Rahimi and Recht
(2007). The probability bounds are loose by construction, and the witnesses say by how much:

* Hoeffding's bound $2e^{-D\varepsilon^2/8}$ charges each summand $S_j\in[-2, 2]$ the variance
  proxy of its range, $4$, while $\operatorname{Var}S_j = 1 + \kappa(2\Delta)/2 - \kappa(\Delta)^2
  \le 1$ for the Gaussian and Laplacian kernels. By the central limit theorem the probability is about $2\bar\Phi(\varepsilon\sqrt D/
  \sigma_S)$, and where the bound is at most $1$ (non-vacuous) the ratio bound/probability is at
  least about $50$ (measured: $53$ to $60$ for $D$ from $4$ to $200$ at bound $1$, $\kappa(\Delta)
  \approx 0$; over $600$ at bound $0.5$). No parameters bring the non-vacuous bound within a factor
  of $10$; the witness uses the best ones (bound $0.8$, $\kappa\approx0$).
* The Rahimi–Recht bound $\delta$ is at most $10$ only when $D\varepsilon^2\ge4(d + 2)\log(25.6
  L^2)$, $L = \sigma_{\mu}\operatorname{diam}(\mathcal M)/\varepsilon$; for $L$ below $0.2$ the
  errors on $\mathcal M$ are at most $\frac12\|\Delta\|^2(\frac1D\sum_j\|\omega_j\|^2 +
  \sigma_{\mu}^2)$,
  which reaches $\varepsilon$ only if the mean of the $\|\omega_j\|^2$ exceeds $24\sigma_{\mu}^2$. A
  scan of $d\in\{1, 2, 3\}$, $D$ from $1$ to $256$, $\varepsilon$ from $0.05$ to $1.9$ and $L$ from
  $0.05$ to $6.4$ (Gaussian kernel, $1000$ draws each) found no setting with $\delta\le10$ and a
  single observed uniform error $\ge\varepsilon$: the bound is at least $10^3$ times too large
  wherever it says anything, and no parameters bring it within a factor of $10$.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats

from ... import kernels
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    binomial_lower,
    equal,
    interval,
    lower,
    min_eigenvalue,
    single_threaded,
    sklearn_gram,
    upper,
    worst_error,
)
from .psd import _bounds

F64 = np.dtype("float64")


def _shift_invariant(rng):
    if rng.random() < 0.5:
        return kernels.Gaussian(float(rng.uniform(0.2, 2)))
    return kernels.Laplacian(float(rng.uniform(0.2, 2)))


def _cosine_integral(p, t: float, A: float) -> tuple[float, float]:
    r"""$\int_0^\infty\cos(\omega t)p(\omega)\,\mathrm d\omega$ and quad's error estimate:
    $[0, A]$ by QAWO (a finite interval, any $t$), $[A, \infty)$ by QAWF as
    $\cos(At)\int_0^\infty\cos(st)p(A + s) - \sin(At)\int_0^\infty\sin(st)p(A + s)$.

    QAWF alone on $[0, \infty)$ integrates cycles of length $\pi/|t|$: for a small $|t|$ its first
    interval is so long that no node falls on the peak of a narrow density near 0, and it returns
    0 with a small error estimate ($t = 0.0022$, N(0, 2.55): 8e-10 instead of 1). $A$ is a few
    widths of the density, so that the tail is a smooth decreasing function from its start."""
    head, e0 = integrate.quad(p, 0, A, weight="cos", wvar=t, limit=200)
    c, e1 = integrate.quad(lambda s: p(A + s), 0, np.inf, weight="cos", wvar=t)
    sn, e2 = integrate.quad(lambda s: p(A + s), 0, np.inf, weight="sin", wvar=t)
    return head + math.cos(A * t) * c - math.sin(A * t) * sn, e0 + e1 + e2


def _density_1d(kernel):
    """The 1-D spectral density of the text: N(0, 2 gamma) or Cauchy(0, gamma)."""
    if isinstance(kernel, kernels.Gaussian):
        s2 = 2 * kernel.gamma
        return lambda w: math.exp(-w * w / (2 * s2)) / math.sqrt(2 * math.pi * s2)
    g = kernel.gamma
    return lambda w: g / (math.pi * (g * g + w * w))


@single_threaded
def spectral_measures(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""Parts 1 and 2: $k(x, x + \Delta)$ (``gram``) vs $\prod_a\int\cos(\omega\Delta_a)p(\omega)\,
    \mathrm d\omega$, each factor by ``scipy.integrate.quad`` with Fourier weights
    (:func:`_cosine_integral`) for the densities of the text, within $10\times$ quad's error estimates plus the
    Gram entry's rounding bound. Part 3: for $\mu = \sum_ka_k\delta_{\omega_k}$ ($a_k\ge0$),
    $c^\top[\kappa(x_i - x_j)]c$ equals $\sum_ka_k((\sum_ic_i\cos\omega_k^\top x_i)^2 +
    (\sum_ic_i\sin\omega_k^\top x_i)^2)$, $\lambda_{\min}\ge0$, and $\lambda_{\min} = 0$ when
    $2\cdot$(number of atoms) $< m$ (rank at most twice the number of atoms)."""
    e_q, t_q, e_s, t_s, mins, zeros = [], [], [], [], [], []
    n = 10
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        x, delta = rng.standard_normal(d), rng.standard_normal(d) * 0.8
        p = _density_1d(k)
        width = math.sqrt(2 * k.gamma) if isinstance(k, kernels.Gaussian) else k.gamma
        val, err = 1.0, 0.0
        for t in delta:
            half, abserr = _cosine_integral(p, abs(float(t)), 8 * width)
            f = 2 * half  # p is even
            err = err * abs(f) + abs(val) * 2 * abserr + err * 2 * abserr
            val *= f
        xz = np.stack([x, x + delta])
        got = float(np.asarray(gram(k, xz[:1], xz[1:]))[0, 0])
        e_q.append(abs(got - val))
        t_q.append(
            10 * err + 1e-13 + float(_bounds(k, xz[:1], xz[1:], np.array([[val]]), F64)[0, 0])
        )
    for _ in range(3 * n):
        d, atoms, m = int(rng.integers(1, 4)), int(rng.integers(1, 15)), int(rng.integers(2, 35))
        omega = rng.standard_normal((atoms, d)) * rng.uniform(0.1, 5)
        a = rng.exponential(size=atoms)
        X = rng.standard_normal((m, d))
        G = np.cos((X[:, None, :] - X[None, :, :]) @ omega.T) @ a
        c = rng.standard_normal(m)
        P = X @ omega.T  # (m, atoms)
        rhs = float(a @ ((c @ np.cos(P)) ** 2 + (c @ np.sin(P)) ** 2))
        e_s.append(abs(float(c @ G @ c) - rhs))
        t_s.append(
            8
            * (m + atoms + d)
            * U64
            * float(np.sum(a))
            * float(np.sum(np.abs(c))) ** 2
            * (1 + float(np.max(np.abs(P))))
        )
        lam, scale = min_eigenvalue(G)
        scale += 8 * (d + atoms) * U64 * float(np.sum(a)) * m * (1 + float(np.max(np.abs(P))))
        mins.append((lam, scale))
        if 2 * atoms < m:
            zeros.append((lam, scale))
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(zeros, key=lambda q: abs(q[0]) / q[1]) if zeros else (0.0, 1.0)
    return Evidence(
        n,
        (
            worst_error(
                "parts 1, 2: $k(x, x + \\Delta)$ vs $\\prod_a\\int\\cos(\\omega\\Delta_a)p$ (quad)",
                e_q,
                t_q,
            ),
            worst_error("part 3: $c^\\top Gc$ vs the sum of squares", e_s, t_s),
            lower(
                "part 3: $\\lambda_{\\min}$ of $[\\kappa(x_i - x_j)]$", low[0], 0.0, slack=low[1]
            ),
            equal(
                "part 3: $\\lambda_{\\min}$ with fewer than $m/2$ atoms",
                top[0],
                0.0,
                top[1],
                attains=True,
            ),
        ),
    )


@single_threaded
def bochner_easy_direction(rng: np.random.Generator, *, profile=np.cos) -> Evidence:
    r"""Direction "$\Leftarrow$" on finite measures $\mu = \sum_ka_k\delta_{\omega_k}$: the complex
    matrix $[\kappa(x_i - x_j)]$, $\kappa(\Delta) = \sum_ka_ke^{\mathrm i\omega_k^\top\Delta}$, is
    Hermitian PSD (``eigvalsh``; $= 0$ when $m > $ the number of atoms); $\kappa(0) = \mu(\mathbb
    R^d)$; for a symmetric $\mu$ (atoms $\pm\omega_k$) $\kappa$ is real and equals
    $\sum_ka_k$``profile``$(\omega_k^\top\Delta)$ (the cosine form). Direction "$\Rightarrow$" is the
    cited part (Rudin 1962, Theorem 1.4.3); for the Gaussian and Laplacian kernels the measure is
    exhibited by `lem-spectral-measures`."""
    mins, zeros, e0, t0, e_c, t_c = [], [], [], [], [], []
    n = 30
    for _ in range(n):
        d, atoms, m = int(rng.integers(1, 4)), int(rng.integers(1, 20)), int(rng.integers(2, 25))
        omega = rng.standard_normal((atoms, d)) * rng.uniform(0.1, 5)
        a = rng.exponential(size=atoms)
        X = rng.standard_normal((m, d))
        Delta = X[:, None, :] - X[None, :, :]
        H = np.exp(1j * (Delta @ omega.T)) @ a  # Hermitian: kappa(-D) = conj kappa(D)
        ev = np.linalg.eigvalsh((H + H.conj().T) / 2)
        scale = 10 * m * U64 * float(np.sum(a)) * (1 + m)
        mins.append((float(ev[0]), scale))
        if atoms < m:
            zeros.append((float(ev[0]), scale))
        e0.append(abs(complex(np.exp(1j * (np.zeros(d) @ omega.T)) @ a) - float(np.sum(a))))
        t0.append(4 * atoms * U64 * float(np.sum(a)))
        sym = np.vstack([omega, -omega])  # a symmetric measure: real kappa, the cosine form
        a2 = np.r_[a, a] / 2
        Hs = np.exp(1j * (Delta @ sym.T)) @ a2
        Gc = np.asarray(profile(Delta @ omega.T)) @ a
        e_c.append(float(max(np.max(np.abs(Hs.imag)), np.max(np.abs(Hs.real - Gc)))))
        t_c.append(
            8 * atoms * U64 * float(np.sum(a)) * (1 + float(np.max(np.abs(Delta @ omega.T))))
        )
    low = min(mins, key=lambda q: q[0] / q[1])
    top = max(zeros, key=lambda q: abs(q[0]) / q[1])
    return Evidence(
        n,
        (
            lower(
                "$\\lambda_{\\min}$ of the Hermitian $[\\kappa(x_i - x_j)]$",
                low[0],
                0.0,
                slack=low[1],
            ),
            equal(
                "$\\lambda_{\\min}$ with fewer atoms than points", top[0], 0.0, top[1], attains=True
            ),
            worst_error("$|\\kappa(0) - \\mu(\\mathbb R^d)|$", e0, t0),
            worst_error(
                "symmetric $\\mu$: $\\operatorname{Im}\\kappa$ and $\\kappa$ vs the cosine form",
                e_c,
                t_c,
            ),
        ),
    )


@single_threaded
def rff_sampler_and_features(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    rff_init=kernels.rff_init,
    rff_features=kernels.rff_features,
) -> Evidence:
    r"""Kolmogorov–Smirnov distances of the frequencies $\omega_{ja}$ from $N(0, 2\gamma)$ or
    Cauchy$(0, \gamma)$, and of the phases from $U[0, 2\pi]$, vs the critical value at level
    $10^{-6}$ (``scipy.stats.kstwo``); the features vs $\sqrt{2/D}\cos(\omega_j^\top x + b_j)$ in
    float64, within the rounding of the argument in the dtype and in float64
    ($\gamma_{d+2}(\lvert\omega_j\rvert^\top\lvert x\rvert + \lvert b_j\rvert)$ each) and of
    $\cos$."""
    u = float(np.finfo(dtype).eps) / 2
    e_ks, t_ks, e_f, t_f, at = [], [], [], [], []
    n = 6
    D = 3000
    crit = float(stats.kstwo.isf(1e-6, D))
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        p = rff_init(k, d, D, rng=rng, dtype=np.dtype(dtype).type)
        omega, b = np.asarray(p.omega), np.asarray(p.b)
        if omega.shape != (D, d) or b.shape != (D,) or omega.dtype != dtype:
            e_ks.append(math.inf)
            t_ks.append(crit)
            at.append(type(k).__name__)
            continue
        dist = (
            stats.norm(scale=math.sqrt(2 * k.gamma))
            if isinstance(k, kernels.Gaussian)
            else stats.cauchy(scale=k.gamma)
        )
        for a in range(d):
            e_ks.append(float(stats.kstest(omega[:, a].astype(F64), dist.cdf).statistic))
            t_ks.append(crit + 2 * u)
            at.append(f"omega, {type(k).__name__}")
        e_ks.append(float(stats.kstest(b.astype(F64), stats.uniform(0, 2 * math.pi).cdf).statistic))
        t_ks.append(crit + 2 * u)
        at.append("b")
        X = rng.standard_normal((3, d)).astype(dtype)
        Z = np.asarray(rff_features(p, X))
        if Z.shape != (3, D) or Z.dtype != dtype:
            e_f.append(math.inf)
            t_f.append(0.0)
            continue
        o64, b64, X64 = omega.astype(F64), b.astype(F64), X.astype(F64)
        ref = math.sqrt(2 / D) * np.cos(X64 @ o64.T + b64)  # float64, its rounding in the bound
        g = (d + 2) * u / (1 - (d + 2) * u) + (d + 2) * U64 / (1 - (d + 2) * U64)
        arg = np.abs(X64) @ np.abs(o64).T + np.abs(b64)
        e_f += list(np.abs(Z.astype(F64) - ref).ravel())
        t_f += list((math.sqrt(2 / D) * (g * arg + 4 * u + 4 * U64)).ravel())
    return Evidence(
        n,
        (
            worst_error(
                "KS distance vs the critical value at level $10^{-6}$", e_ks, t_ks, units="", at=at
            ),
            worst_error("features vs $\\sqrt{2/D}\\cos(\\omega_j^\\top x + b_j)$ (math)", e_f, t_f),
        ),
    )


def _estimates(k, X, Y, D, R, rng, rff_init, rff_features):
    """R independent estimates z(x_i)^T z(y_i) with D features each, shape (R, n)."""
    p = rff_init(k, X.shape[1], D * R, rng=rng)
    ZX, ZY = np.asarray(rff_features(p, X)), np.asarray(rff_features(p, Y))  # scaled by 2/(DR)
    return (ZX * ZY).reshape(X.shape[0], R, D).sum(axis=2).T * R


@single_threaded
def rff_unbiased(
    rng: np.random.Generator, *, rff_init=kernels.rff_init, rff_features=kernels.rff_features
) -> Evidence:
    r"""$\mathbb E\,z(x)^\top z(x') = k(x, x')$: the mean of $R = 4000$ independent estimates
    ($D = 4$) has a normal confidence interval (level $10^{-6}$ per pair, Bonferroni over the pairs)
    that must contain $k(x, x')$ from scikit-learn; the same for the paired map $\tilde z$; and the
    proof's decomposition $S_j = \cos\omega_j^\top(x - x') + \cos(\omega_j^\top(x + x') + 2b_j)$,
    $\lvert S_j\rvert\le2$, on the library's features."""
    worst_iv, e_d, t_d = None, [], []
    n = 4
    level = 1e-6
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        X = rng.standard_normal((8, d))
        Y = X + rng.standard_normal((8, d)) * rng.uniform(0.1, 1.5)
        ref = np.diag(sklearn_gram(k, X, Y))
        z = stats.norm.isf(level / (2 * 16))
        s = _estimates(k, X, Y, 4, 4000, rng, rff_init, rff_features)
        omega = np.asarray(kernels.spectral_sample(k, d, 4 * 4000, rng=rng))
        pt = np.cos((X - Y) @ omega.T).reshape(8, 4000, 4).mean(axis=2).T  # paired map
        for est in (s, pt):
            mean, se = est.mean(axis=0), est.std(axis=0, ddof=1) / math.sqrt(est.shape[0])
            for i in range(8):
                score = abs(mean[i] - ref[i]) / (z * se[i])
                if worst_iv is None or score > worst_iv[0]:
                    worst_iv = (score, mean[i], mean[i] - z * se[i], mean[i] + z * se[i], ref[i])
        p = rff_init(k, d, 50, rng=rng)
        om, b = np.asarray(p.omega), np.asarray(p.b)
        ZX, ZY = np.asarray(rff_features(p, X)), np.asarray(rff_features(p, Y))
        S = 50 * ZX * ZY  # S_j for each pair (rows) and feature (columns)
        dec = np.cos((X - Y) @ om.T) + np.cos((X + Y) @ om.T + 2 * b)
        e_d.append(float(max(np.max(np.abs(S - dec)), np.max(np.abs(S)) - 2.0)))
        t_d.append(16 * (d + 2) * U64 * (1 + float(np.max(np.abs(X) @ np.abs(om).T + np.abs(b)))))
    _, est, lo, hi, r = worst_iv
    return Evidence(
        16 * n,
        (
            interval(
                "mean of 4000 estimates ($D = 4$; $z$ and $\\tilde z$) vs $k(x, x')$",
                est,
                lo,
                hi,
                r,
                level=level,
            ),
            worst_error(
                "$S_j$ vs $\\cos\\omega_j^\\top(x - x') + \\cos(\\omega_j^\\top(x + x') + 2b_j)$; "
                "$|S_j| - 2$",
                e_d,
                t_d,
            ),
        ),
    )


@single_threaded
def rff_hoeffding(
    rng: np.random.Generator,
    *,
    rff_init=kernels.rff_init,
    rff_features=kernels.rff_features,
    hoeffding_bound=kernels.hoeffding_bound,
) -> Evidence:
    r"""At the parameters where the bound is least loose while below $1$ (module docstring): $D = 50$,
    $\varepsilon$ with $2e^{-D\varepsilon^2/8} = 0.8$, pairs far apart ($k(x, x')\approx0$,
    $\operatorname{Var}S_j\approx1$). The Clopper–Pearson lower confidence bound (level $10^{-3}$) of
    the frequency of $\lvert z(x)^\top z(x') - k(x, x')\rvert\ge\varepsilon$ over $R = 3000$ draws
    must not
    exceed ``hoeffding_bound``; and ``hoeffding_bound`` vs $2e^{-D\varepsilon^2/8}$ at random
    $(D, \varepsilon)$."""
    D, R = 50, 3000
    eps = math.sqrt(8 * math.log(2 / 0.8) / D)
    freqs, e_b, t_b = [], [], []
    n = 2
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        X = rng.standard_normal((2, d))
        Y = X + 6.0 * rng.standard_normal((2, d)) / math.sqrt(d) + 6.0
        s = _estimates(k, X, Y, D, R, rng, rff_init, rff_features)
        ref = np.diag(sklearn_gram(k, X, Y))
        for i in range(2):
            hits = int(np.sum(np.abs(s[:, i] - ref[i]) >= eps))
            freqs.append((binomial_lower(hits, R), hits / R))
    for _ in range(20):
        DD, ee = int(rng.integers(1, 10_000)), float(10 ** rng.uniform(-2, 0.5))
        e_b.append(abs(float(hoeffding_bound(DD, ee)) - 2 * math.exp(-DD * ee * ee / 8)))
        t_b.append(8 * U64 * (1 + DD * ee * ee) * 2 * math.exp(-DD * ee * ee / 8))
    top = max(freqs)
    return Evidence(
        2 * n,
        (
            upper(
                f"lower confidence bound of the frequency (observed {top[1]:.3g}) vs the bound",
                top[0],
                float(hoeffding_bound(D, eps)),
                units="probability",
                at=f"D = {D}, eps = {eps:.3g}, {R} draws",
            ),
            worst_error("hoeffding_bound vs $2e^{-D\\varepsilon^2/8}$", e_b, t_b),
        ),
    )


@single_threaded
def rff_uniform(
    rng: np.random.Generator,
    *,
    spectral_sample=kernels.spectral_sample,
    rff_paired_features=kernels.rff_paired_features,
    rahimi_recht_bound=kernels.rahimi_recht_bound,
) -> Evidence:
    r"""Gaussian kernel, $d = 1$, $\mathcal M = [0, 2]$, $\varepsilon = 0.5$, and the least $D$ with
    $\delta\le1$ (about $400$): over $R = 200$ draws, the frequency of $\max\lvert\tilde z(x)^\top
    \tilde z(x') - k(x, x')\rvert\ge\varepsilon$ over a grid of $41$ points (a lower bound of the
    sup over
    $\mathcal M$) must have its Clopper–Pearson lower confidence bound (level $10^{-3}$) below
    $\delta$; ``rahimi_recht_bound`` vs the closed form at random arguments."""
    gamma = float(rng.uniform(0.3, 0.6))
    k = kernels.Gaussian(gamma)
    d, R, eps, diam = 1, 200, 0.5, 2.0
    sigma = math.sqrt(kernels.spectral_second_moment(k, d))
    D = 1
    while rahimi_recht_bound(d=d, D=D, eps=eps, diameter=diam, sigma=sigma) > 1:
        D += 1
    delta = float(rahimi_recht_bound(d=d, D=D, eps=eps, diameter=diam, sigma=sigma))
    G = np.linspace(0, diam, 41)[:, None]
    K = np.exp(-gamma * (G - G.T) ** 2)
    hits, worst_sup = 0, 0.0
    for _ in range(R):
        omega = np.asarray(spectral_sample(k, d, D, rng=rng))
        Zt = np.asarray(rff_paired_features(omega, G))
        sup = float(np.max(np.abs(Zt @ Zt.T - K)))
        worst_sup = max(worst_sup, sup)
        hits += int(sup >= eps)
    e_b, t_b = [], []
    for _ in range(20):
        dd, DD = int(rng.integers(1, 10)), int(rng.integers(1, 100_000))
        ee, dm, sg = (
            float(10 ** rng.uniform(-2, 0)),
            float(rng.uniform(0, 5)),
            float(rng.uniform(0, 5)),
        )
        ref = 2.0**8 * (sg * dm / ee) ** 2 * math.exp(-DD * ee**2 / (4 * (dd + 2)))
        got = float(rahimi_recht_bound(d=dd, D=DD, eps=ee, diameter=dm, sigma=sg))
        e_b.append(abs(got - ref))
        t_b.append(16 * U64 * (1 + DD * ee**2) * ref)
    return Evidence(
        R,
        (
            upper(
                f"lower confidence bound of P(sup error $\\ge\\varepsilon$) (largest sup "
                f"{worst_sup:.3g}) vs $\\delta$",
                binomial_lower(hits, R),
                delta,
                units="probability",
                at=f"D = {D}, eps = {eps}, M = [0, 2]",
            ),
            worst_error("rahimi_recht_bound vs the closed form", e_b, t_b),
        ),
    )


#: `lem-spectral-measures` lies in Section "Positive semi-definite kernels"; the package's
#: ``CLAIMS`` places it there.
LEMMA_CLAIMS = (
    Witness(
        "lem-spectral-measures",
        spectral_measures,
        "kernel values vs Fourier integrals (quad with error estimates); finite spectral "
        "measures give PSD Gram matrices, singular with few atoms",
        strength="sharp",
    ),
)

CLAIMS = (
    Witness(
        "thm-bochner",
        bochner_easy_direction,
        "the easy direction on finite measures (Hermitian PSD, kappa(0) = mu(R^d), the cosine "
        "form); the converse is cited",
        strength="cited",
        reason="Rudin, Fourier Analysis on Groups (Interscience 1962), Theorem 1.4.3; only the "
        "direction 'measure => positive definite' is tested, on finite measures",
    ),
    Witness(
        "def-rff",
        rff_sampler_and_features,
        "KS distances of the frequencies and phases; features vs the formula within rounding",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-rff-unbiased",
        rff_unbiased,
        "confidence intervals of the mean of z(x)^T z(x') and of the paired map contain "
        "k(x, x'); the proof's decomposition of S_j",
        strength="exact",
    ),
    Witness(
        "prop-rff-hoeffding",
        rff_hoeffding,
        "deviation frequency vs the bound at its least loose non-vacuous parameters; the "
        "formula of hoeffding_bound",
        strength="validity",
        reason="Hoeffding charges S_j in [-2, 2] the variance proxy 4 while Var S_j <= 1: where "
        "the bound is below 1 it exceeds the probability by a factor of at least about 50 "
        "(53-60 measured at bound 1), so no parameters pin its constant within a factor of 10",
    ),
    Witness(
        "thm-rff-uniform",
        rff_uniform,
        "frequency of a uniform error >= eps at the least D with delta <= 1; the formula of "
        "rahimi_recht_bound",
        strength="cited",
        reason="Rahimi and Recht, Random features for large-scale kernel machines, NIPS 20 "
        "(2007), Claim 1; the bound is at least 1e3 times the observed probability wherever it "
        "is at most 10 (scan in the module docstring), so only its validity is tested",
    ),
)
