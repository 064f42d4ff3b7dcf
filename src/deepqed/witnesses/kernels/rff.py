r"""Witnesses of `lem-spectral-measures` (Section "Positive semi-definite kernels") and of Section
"Random Fourier features": `thm-bochner`, `def-rff`, `prop-rff-unbiased`, `prop-rff-hoeffding`,
`thm-rff-uniform`."""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, stats

from ... import kernels
from ...registry import Figures, Witness
from ._common import binomial_lower, nan_max, single_threaded


def _shift_invariant(rng):
    if rng.random() < 0.5:
        return kernels.Gaussian(float(rng.uniform(0.2, 2)))
    return kernels.Laplacian(float(rng.uniform(0.2, 2)))


def _density_1d(kernel):
    """The 1-D spectral density of the text: N(0, 2 gamma) or Cauchy(0, gamma)."""
    if isinstance(kernel, kernels.Gaussian):
        s2 = 2 * kernel.gamma
        return lambda w: math.exp(-w * w / (2 * s2)) / math.sqrt(2 * math.pi * s2)
    g = kernel.gamma
    return lambda w: g / (math.pi * (g * g + w * w))


@single_threaded
def bochner_by_quadrature(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""$\kappa(\Delta) = \prod_a\int\cos(\omega\Delta_a)p(\omega)\,\mathrm d\omega$ by
    ``scipy.integrate.quad`` (Fourier weight, QAWF) for the spectral densities of the text vs the
    library's kernel $k(x, x + \Delta)$."""
    errors = []
    n = 10
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        x, delta = rng.standard_normal(d), rng.standard_normal(d) * 0.8
        p = _density_1d(k)
        val = 1.0
        for t in delta:
            if t == 0:
                continue
            half, _ = integrate.quad(p, 0, np.inf, weight="cos", wvar=abs(float(t)))
            val *= 2 * half  # p is even
        got = float(np.asarray(gram(k, x[None, :], (x + delta)[None, :]))[0, 0])
        errors.append(abs(got - val) / 1e-7)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|k(x, x + Delta) - product of 1-D integrals of cos(w t) p(w) (scipy quad, "
        "QAWF)| in units of 1e-7; Gaussian and Laplacian kernels",
    )


@single_threaded
def bochner_measures_give_psd(rng: np.random.Generator, *, profile=np.cos) -> Figures:
    r"""Direction "if" of Bochner's theorem on random finite measures: atoms
    $\sum_ka_k\delta_{\omega_k}$ ($a_k\ge0$) give $\kappa(\Delta) = \sum_ka_k\cos\omega_k^\top\Delta$
    with PSD matrices $[\kappa(x_i - x_j)]$ (``numpy.linalg.eigvalsh``) and
    $\kappa(0) = \mu(\mathbb R^d)$;
    direction "only if" for the Gaussian kernel: its spectral measure reproduces it (quadrature
    is the witness of `lem-spectral-measures`)."""
    errors = []
    n = 30
    for _ in range(n):
        d, K_atoms, m = int(rng.integers(1, 4)), int(rng.integers(1, 30)), int(rng.integers(2, 25))
        omega = rng.standard_normal((K_atoms, d)) * rng.uniform(0.1, 5)
        a = rng.exponential(size=K_atoms)
        X = rng.standard_normal((m, d))
        Delta = X[:, None, :] - X[None, :, :]  # (m, m, d)
        G = profile(Delta @ omega.T) @ a  # (m, m)
        ev = np.linalg.eigvalsh((G + G.T) / 2)
        errors.append(max(0.0, -float(ev[0])) / (1e-12 * m * max(1.0, float(np.max(np.abs(ev))))))
        errors.append(
            abs(float((profile(np.zeros((1, d)) @ omega.T) @ a)[0]) - float(a.sum())) / 1e-12
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "-lambda_min of [kappa(x_i - x_j)] for kappa = sum_k a_k cos(w_k^T Delta), "
        "units of 1e-12 m ||G||; |kappa(0) - mu(R^d)| in units of 1e-12",
    )


@single_threaded
def rff_sampler_and_features(
    rng: np.random.Generator, *, rff_init=kernels.rff_init, rff_features=kernels.rff_features
) -> Figures:
    r"""Kolmogorov–Smirnov tests of $\omega$ against $N(0, 2\gamma)$ or Cauchy$(0, \gamma)$ and of
    $b$ against $U[0, 2\pi]$ (``scipy.stats.kstest``, level $10^{-6}$), and the features against
    $\sqrt{2/D}\cos(\omega_j^\top x + b_j)$ written with ``math``."""
    errors = []
    n = 6
    for _ in range(n):
        k = _shift_invariant(rng)
        d, D = int(rng.integers(1, 4)), 3000
        p = rff_init(k, d, D, rng=rng)
        omega, b = np.asarray(p.omega), np.asarray(p.b)
        if omega.shape != (D, d) or b.shape != (D,):
            errors.append(np.inf)
            continue
        dist = (
            stats.norm(scale=math.sqrt(2 * k.gamma))
            if isinstance(k, kernels.Gaussian)
            else stats.cauchy(scale=k.gamma)
        )
        crit = math.sqrt(-math.log(1e-6 / 2) / 2)  # KS level 1e-6 (asymptotic)
        for a in range(d):
            errors.append(stats.kstest(omega[:, a], dist.cdf).statistic * math.sqrt(D) / crit)
        errors.append(
            stats.kstest(b, stats.uniform(0, 2 * math.pi).cdf).statistic * math.sqrt(D) / crit
        )
        X = rng.standard_normal((3, d))
        Z = np.asarray(rff_features(p, X))
        ref = np.array(
            [
                [math.sqrt(2 / D) * math.cos(float(omega[j] @ x) + float(b[j])) for j in range(D)]
                for x in X
            ]
        )
        errors.append(float(np.max(np.abs(Z - ref))) / 1e-12)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "sqrt(D) KS statistic / critical value at level 1e-6 (omega, b); |features - "
        "formula| in units of 1e-12",
    )


def _block_estimates(k, X, Y, D, R, rng, rff_init, rff_features):
    """R independent estimates s_r(x_i, y_i) = z(x_i)^T z(y_i) with D features each, shape (R, n)."""
    d = X.shape[1]
    p = rff_init(k, d, D * R, rng=rng)
    ZX, ZY = np.asarray(rff_features(p, X)), np.asarray(rff_features(p, Y))  # scaled by 2/(DR)
    prod = (ZX * ZY).reshape(X.shape[0], R, D).sum(axis=2).T * R  # (R, n)
    return prod


@single_threaded
def rff_unbiased_monte_carlo(
    rng: np.random.Generator, *, rff_init=kernels.rff_init, rff_features=kernels.rff_features
) -> Figures:
    r"""Mean of $R = 4000$ independent estimates $z(x)^\top z(x')$ ($D = 4$) vs $k(x, x')$ from
    scikit-learn: $|\text{mean} - k|$ in units of the standard error (a 5-sigma interval)."""
    from sklearn.metrics.pairwise import laplacian_kernel, rbf_kernel

    errors = []
    n = 4
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        X = rng.standard_normal((8, d))
        Y = X + rng.standard_normal((8, d)) * rng.uniform(0.1, 1.5)
        s = _block_estimates(k, X, Y, 4, 4000, rng, rff_init, rff_features)
        ref = np.diag(
            (rbf_kernel if isinstance(k, kernels.Gaussian) else laplacian_kernel)(
                X, Y, gamma=k.gamma
            )
        )
        se = s.std(axis=0, ddof=1) / math.sqrt(s.shape[0])
        errors.append(float(np.max(np.abs(s.mean(axis=0) - ref) / se)))
    return Figures(
        8 * n,
        nan_max(errors),
        5.0,
        "max |mean of 4000 RFF estimates (D = 4) - k(x, x')| / standard error (5-sigma "
        "interval), 8 pairs per instance",
    )


@single_threaded
def rff_hoeffding_frequency(
    rng: np.random.Generator, *, rff_init=kernels.rff_init, rff_features=kernels.rff_features
) -> Figures:
    r"""Frequency of $|z(x)^\top z(x') - k(x, x')|\ge\varepsilon$ over $R = 400$ independent draws
    ($D = 400$, $\varepsilon = 0.2$) vs $2e^{-D\varepsilon^2/8}$: the Clopper–Pearson lower
    confidence bound (level $10^{-3}$) of the frequency divided by the bound."""
    from sklearn.metrics.pairwise import laplacian_kernel, rbf_kernel

    errors = []
    n, R, D, eps = 4, 400, 400, 0.2
    bound = 2 * math.exp(-D * eps * eps / 8)
    for _ in range(n):
        k = _shift_invariant(rng)
        d = int(rng.integers(1, 4))
        X = rng.standard_normal((4, d))
        Y = X + rng.standard_normal((4, d)) * rng.uniform(0.05, 1.0)
        s = _block_estimates(k, X, Y, D, R, rng, rff_init, rff_features)
        ref = np.diag(
            (rbf_kernel if isinstance(k, kernels.Gaussian) else laplacian_kernel)(
                X, Y, gamma=k.gamma
            )
        )
        for i in range(X.shape[0]):
            hits = int(np.sum(np.abs(s[:, i] - ref[i]) >= eps))
            errors.append(binomial_lower(hits, R) / bound)
    return Figures(
        4 * n,
        nan_max(errors),
        1.0,
        "Clopper-Pearson lower bound (level 1e-3) of P(|s - k| >= 0.2), D = 400, "
        "400 draws, divided by the Hoeffding bound 2 exp(-D eps^2 / 8) = 0.271",
    )


@single_threaded
def rff_uniform_bound(
    rng: np.random.Generator,
    *,
    spectral_sample=kernels.spectral_sample,
    rff_paired_features=kernels.rff_paired_features,
) -> Figures:
    r"""Gaussian kernel, $M = [0, 2]$ ($d = 1$): over $R = 40$ independent draws of
    $D = 4000$ frequencies, the frequency of $\sup_{x, x'}|\tilde z(x)^\top\tilde z(x') - k(x, x')|
    \ge\varepsilon = 0.2$ (sup over a grid of 41 points, a lower bound of the sup over $M$) vs the
    Rahimi–Recht bound $\delta$: the Clopper–Pearson lower confidence bound (level $10^{-3}$) of
    the violation probability must not exceed $\delta$."""
    gamma = float(rng.uniform(0.3, 0.6))
    k = kernels.Gaussian(gamma)
    d, D, R, eps, diam = 1, 4000, 40, 0.2, 2.0
    sigma = math.sqrt(2 * gamma * d)  # E|omega|^2 = 2 gamma d
    delta = min(1.0, 2**8 * (sigma * diam / eps) ** 2 * math.exp(-D * eps**2 / (4 * (d + 2))))
    G = np.linspace(0, diam, 41)[:, None]
    K = np.exp(-gamma * (G - G.T) ** 2)
    hits = 0
    for _ in range(R):
        omega = np.asarray(spectral_sample(k, d, D, rng=rng))
        Zt = np.asarray(rff_paired_features(omega, G))
        hits += int(np.max(np.abs(Zt @ Zt.T - K)) >= eps)
    return Figures(
        R,
        binomial_lower(hits, R) / delta,
        1.0,
        "Clopper-Pearson lower bound (level 1e-3) of P(sup-error >= 0.2) from 40 draws "
        "(D = 4000, d = 1, M = [0, 2], grid of 41 points) / Rahimi-Recht delta "
        "(0.025 to 0.05)",
    )


#: `lem-spectral-measures` lies in Section "Positive semi-definite kernels"; the package's
#: ``CLAIMS`` places it there.
LEMMA_CLAIMS = (
    Witness(
        "lem-spectral-measures",
        bochner_by_quadrature,
        "kernel values vs Fourier integrals of the spectral densities (scipy quad)",
    ),
)

CLAIMS = (
    Witness(
        "thm-bochner",
        bochner_measures_give_psd,
        "finite measures give PSD shift-invariant kernels; kappa(0) = mu(R^d)",
    ),
    Witness(
        "def-rff",
        rff_sampler_and_features,
        "KS tests of the frequencies and phases; features vs the formula",
    ),
    Witness(
        "prop-rff-unbiased",
        rff_unbiased_monte_carlo,
        "Monte Carlo mean of z(x)^T z(x') within 5 standard errors of k(x, x')",
    ),
    Witness(
        "prop-rff-hoeffding",
        rff_hoeffding_frequency,
        "deviation frequency vs the Hoeffding bound (binomial confidence bound)",
    ),
    Witness(
        "thm-rff-uniform",
        rff_uniform_bound,
        "sup error over a grid vs the Rahimi-Recht bound (binomial confidence bound)",
    ),
)
