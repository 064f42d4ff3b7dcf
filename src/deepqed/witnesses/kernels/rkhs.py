r"""Witnesses of Section "Reproducing kernel Hilbert spaces": `prop-rkhs-kernel-unique`,
`lem-rkhs-span-norm`, `thm-moore-aronszajn` (`def-rkhs` is a definition of abstract spaces; see
its reason)."""

from __future__ import annotations

import math

import numpy as np

from ... import kernels
from ...registry import Figures, Unwitnessed, Witness
from ._common import nan_max, random_kernels, single_threaded, sklearn_gram


def _poly2_features(X: np.ndarray, gamma: float, c: float) -> np.ndarray:
    r"""Explicit feature map of $(\gamma x^\top z + c)^2$: $(c, \sqrt{2c\gamma}x_a,
    \gamma x_a^2, \sqrt2\gamma x_ax_b\ (a<b))$."""
    m, d = X.shape
    cols = [
        np.full(m, c),
        *(math.sqrt(2 * c * gamma) * X[:, a] for a in range(d)),
        *(gamma * X[:, a] ** 2 for a in range(d)),
        *(math.sqrt(2) * gamma * X[:, a] * X[:, b] for a in range(d) for b in range(a + 1, d)),
    ]
    return np.stack(cols, axis=1)


@single_threaded
def span_inner_product_matches_features(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""$\langle f, g\rangle = \alpha^\top K(X, Z)\beta$ (library Gram) vs
    $\langle\sum_i\alpha_i\varphi(x_i), \sum_j\beta_j\varphi(z_j)\rangle$ with the explicit feature
    map of the degree-2 polynomial kernel; $f(x) = \langle f, k(\cdot, x)\rangle$; and
    $|f(x)|\le\|f\|\sqrt{k(x, x)}$ for all standard kernels."""
    errors = []
    n = 30
    for _ in range(n):
        d, m, p = int(rng.integers(1, 5)), int(rng.integers(1, 15)), int(rng.integers(1, 15))
        X, Z = rng.standard_normal((m, d)), rng.standard_normal((p, d))
        alpha, beta = rng.standard_normal(m), rng.standard_normal(p)
        gamma, c = float(rng.uniform(0.2, 2)), float(rng.uniform(0, 2))
        k = kernels.Polynomial(degree=2, gamma=gamma, c=c)
        wf = _poly2_features(X, gamma, c).T @ alpha
        wg = _poly2_features(Z, gamma, c).T @ beta
        ip = float(alpha @ np.asarray(gram(k, X, Z)) @ beta)
        errors.append(abs(ip - wf @ wg) / (1e-10 * max(1.0, abs(wf @ wg))))
        x = rng.standard_normal((1, d))
        f_x = float(_poly2_features(x, gamma, c)[0] @ wf)  # evaluation
        rep = float(alpha @ np.asarray(gram(k, X, x))[:, 0])  # <f, k(., x)>
        errors.append(abs(f_x - rep) / (1e-10 * max(1.0, abs(f_x))))
        for kk in random_kernels(rng):  # Cauchy-Schwarz
            K = np.asarray(gram(kk, X))
            norm2 = max(float(alpha @ K @ alpha), 0.0)
            fx = float(alpha @ sklearn_gram(kk, X, x)[:, 0])
            kxx = float(sklearn_gram(kk, x, x)[0, 0])
            excess = fx * fx - norm2 * kxx
            errors.append(max(0.0, excess) / (1e-9 * max(1.0, norm2 * kxx)))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "<f, g> by the Gram matrix vs explicit degree-2 polynomial features, and "
        "f(x) = <f, k(., x)>, in units of 1e-10 relative; f(x)^2 <= ||f||^2 k(x, x) "
        "(excess in units of 1e-9)",
    )


@single_threaded
def rkhs_properties_finite_dimensional(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""In the RKHS of the quadratic kernel $(\gamma x^\top z + c)^2$, $c > 0$, realised as
    $\{x\mapsto w^\top\varphi(x)\}$ with the explicit features $\varphi$ (linearly independent
    monomials, so $\|f\| = \|w\|$): the reproducing kernel $\varphi(x)^\top\varphi(x')$ equals the
    library's kernel (parts 1 and 3); $|f(x)|\le\|f\|\sqrt{k(x, x)}$ for random $w$ (part 2);
    the representers $\varphi(x_i)$ of $m\ge\dim\mathcal H$ random points span
    $\mathbb R^{\dim\mathcal H}$ (part 4, by the rank of the feature matrix)."""
    errors = []
    n = 30
    for _ in range(n):
        d = int(rng.integers(1, 4))
        gamma, c = float(rng.uniform(0.2, 2)), float(rng.uniform(0.2, 2))
        k = kernels.Polynomial(degree=2, gamma=gamma, c=c)
        dim = 1 + d + d * (d + 1) // 2
        X = rng.standard_normal((dim + int(rng.integers(0, 4)), d))
        F = _poly2_features(X, gamma, c)  # rows phi(x_i)
        K = np.asarray(gram(k, X))
        scale = 1e-10 * max(1.0, float(np.max(np.abs(K))))
        errors.append(float(np.max(np.abs(F @ F.T - K))) / scale)
        w = rng.standard_normal(dim)
        fx = F @ w  # f(x_i) = w^T phi(x_i)
        bound = np.linalg.norm(w) * np.sqrt(np.maximum(np.diag(K), 0))
        errors.append(float(np.max(np.maximum(np.abs(fx) - bound, 0))) / 1e-10)
        sv = np.linalg.svd(F, compute_uv=False)
        errors.append(0.0 if sv[-1] > 1e-8 * sv[0] else np.inf)  # rank dim: span is all of H
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "|phi(x)^T phi(x') - k(x, x')| (units 1e-10 relative), excess of |f(x)| over "
        "||f|| sqrt(k(x, x)) (units 1e-10), rank of [phi(x_i)] = dim H (else inf)",
    )


@single_threaded
def moore_aronszajn_on_spans(rng: np.random.Generator, *, gram=kernels.gram) -> Figures:
    r"""The inner product of the proof on finite spans: well defined (a representation of the zero
    function, $\sum_i\alpha_ix_i = 0$ for the linear kernel or $\sum_i\alpha_i\varphi(x_i) = 0$
    for the quadratic one, has $\langle f, g\rangle = 0$ for every $g$), positive
    ($\alpha^\top K\alpha\ge0$) and reproducing ($\langle f, k(\cdot, x)\rangle$ = direct
    evaluation of $f$ with scikit-learn's kernels)."""
    errors = []
    n = 20
    for _ in range(n):
        d = int(rng.integers(1, 4))
        # the zero function written with nonzero coefficients: alpha in the null space
        for k, feats in (
            (kernels.Linear(), lambda A: A),
            (kernels.Polynomial(2, 1.0, 1.0), lambda A: _poly2_features(A, 1.0, 1.0)),
        ):
            X = rng.standard_normal((feats(np.zeros((1, d))).shape[1] + 3, d))
            F = feats(X)  # (m, p), m > p
            alpha = np.linalg.svd(F.T)[2][-1]  # F^T alpha = 0, |alpha| = 1
            Z = rng.standard_normal((5, d))
            beta = rng.standard_normal(5)
            errors.append(
                abs(float(alpha @ np.asarray(gram(k, X, Z)) @ beta))
                / (1e-9 * max(1.0, float(np.max(np.abs(F))) ** 2))
            )
        for k in random_kernels(rng):
            m = int(rng.integers(1, 20))
            X = rng.standard_normal((m, d))
            alpha = rng.standard_normal(m)
            K = np.asarray(gram(k, X))
            scale = 1e-12 * max(1.0, float(np.abs(alpha) @ np.abs(K) @ np.abs(alpha)))
            errors.append(max(0.0, -float(alpha @ K @ alpha)) / (100 * scale))
            x = rng.standard_normal((3, d))
            direct = sklearn_gram(k, x, X) @ alpha  # f(x) = sum_i alpha_i k(x, x_i)
            rep = np.asarray(gram(k, X, x)).T @ alpha  # <f, k(., x)> = alpha^T K(X, x)
            errors.append(
                float(np.max(np.abs(direct - rep)))
                / (1e-10 * max(1.0, float(np.max(np.abs(direct)))))
            )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "<f, g> for representations of f = 0 (units 1e-9), -alpha^T K alpha (units "
        "1e-10 relative), <f, k(., x)> vs sklearn evaluation of f (units 1e-10)",
    )


CLAIMS = (
    Unwitnessed(
        "def-rkhs",
        "a definition of a class of Hilbert spaces of functions, not implemented by code; "
        "its computable content (inner products of finite combinations of k(., x_i), the "
        "reproducing property) is witnessed under lem-rkhs-span-norm and "
        "thm-moore-aronszajn",
    ),
    Witness(
        "prop-rkhs-kernel-unique",
        rkhs_properties_finite_dimensional,
        "parts 1-4 in the explicit finite-dimensional RKHS of the quadratic kernel",
    ),
    Witness(
        "lem-rkhs-span-norm",
        span_inner_product_matches_features,
        "Gram inner products vs explicit feature maps; Cauchy-Schwarz bound on f(x)",
    ),
    Witness(
        "thm-moore-aronszajn",
        moore_aronszajn_on_spans,
        "well-definedness, positivity and reproducing property on finite spans",
    ),
)
