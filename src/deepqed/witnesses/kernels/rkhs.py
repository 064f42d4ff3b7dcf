r"""Witnesses of Section "Reproducing kernel Hilbert spaces": `prop-rkhs-kernel-unique`,
`lem-rkhs-span-norm`, `thm-moore-aronszajn` (`def-rkhs` is a definition of abstract spaces; see
its reason).

An RKHS that a computer can hold exactly: on a finite set $\mathcal X = \{1,\dots,n\}$ a function
is a vector of $\mathbb R^n$, and $\mathcal H = \{\Phi w: w\in\mathbb R^p\}$ with
$\langle\Phi w, \Phi v\rangle = w^\top Gv$ ($\Phi\in\mathbb R^{n\times p}$ of rank $p$, $G$ symmetric
positive definite) is a Hilbert space of functions. Nothing in it names a kernel: the reproducing
kernel is *found* by solving the reproducing equations, $k(\cdot, x) = \Phi c_x$ with
$\langle\Phi w, \Phi c_x\rangle = w^\top Gc_x = (\Phi w)_x$ for all $w$, i.e. $Gc_x = \Phi^\top e_x$.
The matrices are built from chosen singular values (those of $\Phi$ in $[1, 4]$, the eigenvalues of
$G$ in $[1, 10]$), so every rank decision has a wide gap and the tolerances follow from the
condition numbers. Finite sets exercise every identity of the section; the completion steps of the
Moore–Aronszajn proof (Steps 2–5) are vacuous there (a finite-dimensional inner product space is
complete) and are not exercised numerically.
"""

from __future__ import annotations

import math

import numpy as np

from ... import kernels
from ...registry import Unwitnessed, Witness
from ._common import (
    U64,
    Evidence,
    equal,
    lower,
    min_eigenvalue,
    random_kernels,
    single_threaded,
    upper,
    worst_error,
)
from .psd import _bounds


def _orthogonal(rng: np.random.Generator, n: int, p: int) -> np.ndarray:
    Q, R = np.linalg.qr(rng.standard_normal((n, p)))
    return Q * np.sign(np.diag(R))


def _space(rng: np.random.Generator, n: int, p: int) -> tuple[np.ndarray, np.ndarray, float]:
    r"""$(\Phi, G, \kappa)$: $\Phi = U\operatorname{diag}(s)V^\top$ with $s\in[1, 4]^p$, $G$ with
    eigenvalues in $[1, 10]$, and $\kappa$ an upper bound of the condition number of
    $K = \Phi G^{-1}\Phi^\top$ on its range ($16\cdot10$)."""
    Phi = (_orthogonal(rng, n, p) * rng.uniform(1, 4, p)) @ _orthogonal(rng, p, p).T
    Q = _orthogonal(rng, p, p)
    G = (Q * rng.uniform(1, 10, p)) @ Q.T
    return Phi, (G + G.T) / 2, 160.0


def _kernel_of(Phi: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The reproducing kernel found from the space: $C = G^{-1}\Phi^\top$ (columns $c_x$, the
    coefficients of $k(\cdot, x)$) and $K = \Phi C$ ($K_{x'x} = k(x', x)$)."""
    C = np.linalg.solve(G, Phi.T)
    return Phi @ C, C


def _poly2_features(X: np.ndarray, gamma: float, c: float) -> np.ndarray:
    r"""Explicit feature map of $(\gamma x^\top z + c)^2$: $(c, \sqrt{2c\gamma}x_a,
    \gamma x_a^2, \sqrt2\gamma x_ax_b\ (a<b))$, linearly independent functions when $c > 0$."""
    m, d = X.shape
    cols = [
        np.full(m, c),
        *(math.sqrt(2 * c * gamma) * X[:, a] for a in range(d)),
        *(gamma * X[:, a] ** 2 for a in range(d)),
        *(math.sqrt(2) * gamma * X[:, a] * X[:, b] for a in range(d) for b in range(a + 1, d)),
    ]
    return np.stack(cols, axis=1)


@single_threaded
def rkhs_properties_finite(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""In $\mathcal H = \{\Phi w\}$ on $n$ points ($p\le n$), with $k$ found from the reproducing
    equations: part 1, $k(x, x') = \langle k(\cdot, x'), k(\cdot, x)\rangle = c_{x'}^\top Gc_x$,
    $\lambda_{\min}(K)\ge0$ and $= 0$ when $p < n$; part 2, $\lvert f(x)\rvert/(\|f\|\sqrt{k(x,
    x)})\le1$ for
    random $f$, $= 1$ at $f = -3k(\cdot, x)$; part 3, the kernel from an orthonormal basis,
    $k'(x, x') = \sum_ae_a(x)e_a(x')$ ($e_a$ the columns of $\Phi L^{-\top}$, $G = LL^\top$), also
    reproduces and equals $k$, through the proof's chain $k'(x, x') = \langle k'(\cdot, x'),
    k(\cdot, x)\rangle = k(x', x)$; part 4, the representers span $\mathcal H$: $\sigma_p(K)\ge
    \sigma_{\min}(\Phi)^2/\lambda_{\max}(G)$ and $\sigma_{p+1}(K) = 0$ to rounding. And for the
    space $\{x\mapsto w^\top\varphi(x)\}$ of the explicit quadratic features ($G = I$), the kernel of
    part 1, $\varphi(x)^\top\varphi(x')$, is ``gram(Polynomial(2, gamma, c))``."""
    e1, t1, e3, t3, e3b, t3b, e4, t4 = [], [], [], [], [], [], [], []
    ratios, attained, mins, zeros, spans = [], [], [], [], []
    e_lib, t_lib = [], []
    n = 20
    for t in range(n):
        size = int(rng.integers(2, 25))
        p = size if t % 4 == 0 else int(rng.integers(1, size))
        Phi, G, kappa = _space(rng, size, p)
        K, C = _kernel_of(Phi, G)
        scale = float(np.linalg.norm(Phi, 2) * np.linalg.norm(C, 2))  # >= max |K_ij|
        tol = 16 * (size + p) * U64 * kappa * scale
        # part 1: k(x, x') = <k(., x'), k(., x)> and PSD
        e1.append(float(np.max(np.abs(K - C.T @ G @ C))))
        t1.append(tol)
        lam, rnd = min_eigenvalue(K)
        mins.append((lam, rnd + tol))
        if p < size:
            zeros.append((lam, rnd + tol))
        # part 2: evaluation bound, attained at multiples of k(., x)
        w = rng.standard_normal(p)
        f = Phi @ w
        norm = math.sqrt(float(w @ G @ w))
        kxx = np.sqrt(np.maximum(np.diag(K), 0.0))
        ok = kxx > 0
        ratios.append(float(np.max(np.abs(f[ok]) / (norm * kxx[ok]))))
        x = int(rng.integers(size))
        cx = -3.0 * C[:, x]
        g = Phi @ cx
        attained.append(abs(float(g[x])) / (math.sqrt(float(cx @ G @ cx)) * kxx[x]))
        # part 3: the kernel of an orthonormal basis, and the proof's chain of equalities
        L = np.linalg.cholesky(G)
        E = np.linalg.solve(L, Phi.T).T  # columns e_a = Phi L^{-T}
        K2 = E @ E.T
        C2 = np.linalg.solve(L.T, E.T)  # coefficients of k'(., x)
        e3.append(float(np.max(np.abs(Phi @ C2 - K2))))  # k'(., x) is its column: in H
        t3.append(tol)
        W = rng.standard_normal((p, 3))  # reproducing property of k' for three f = Phi w
        e3.append(float(np.max(np.abs(W.T @ G @ C2 - (Phi @ W).T)) / max(1.0, np.max(np.abs(W)))))
        t3.append(tol)
        chain = C2.T @ G @ C  # <k'(., x'), k(., x)>
        e3b.append(float(max(np.max(np.abs(chain - K2)), np.max(np.abs(chain - K.T)))))
        t3b.append(tol)
        e3b.append(float(np.max(np.abs(K2 - K))))
        t3b.append(tol)
        # part 4: the span of the representers is H
        sv = np.linalg.svd(K, compute_uv=False)
        low = float(np.min(np.linalg.svd(Phi, compute_uv=False))) ** 2 / float(
            np.max(np.linalg.eigvalsh(G))
        )
        spans.append((float(sv[p - 1]), low, tol))
        if p < size:
            e4.append(float(sv[p]))
            t4.append(tol)
    # the explicit RKHS of the quadratic kernel: its reproducing kernel is the library's
    for _ in range(n):
        d = int(rng.integers(1, 4))
        gamma, c = float(rng.uniform(0.2, 2)), float(rng.uniform(0.2, 2))
        X = rng.standard_normal((int(rng.integers(1, 12)), d))
        F = _poly2_features(X, gamma, c)
        ref = F @ F.T
        got = np.asarray(gram(kernels.Polynomial(2, gamma, c), X), dtype=np.float64)
        e_lib += list(np.abs(got - ref).ravel())
        bound = _bounds(kernels.Polynomial(2, gamma, c), X, X, ref, np.float64)
        t_lib += list((bound + 4 * (F.shape[1] + 2) * U64 * (np.abs(F) @ np.abs(F).T)).ravel())
    low_pair = min(spans, key=lambda q: q[0] - q[1] + q[2])
    top = max(zeros, key=lambda q: abs(q[0]) / q[1])
    lowest = min(mins, key=lambda q: q[0] / q[1])
    if not e4:
        e4, t4 = [0.0], [1.0]
    return Evidence(
        n,
        (
            worst_error("part 1: $|k(x, x') - c_{x'}^\\top Gc_x|$", e1, t1),
            lower("part 1: $\\lambda_{\\min}(K)$", lowest[0], 0.0, slack=lowest[1]),
            equal("part 1: $\\lambda_{\\min}(K)$ when $p < n$", top[0], 0.0, top[1], attains=True),
            upper(
                "part 2: $|f(x)|/(\\|f\\|\\sqrt{k(x, x)})$",
                max(ratios),
                1.0,
                slack=1e-12,
                units="ratio",
            ),
            equal(
                "part 2: the ratio at $f = -3k(\\cdot, x)$",
                min(attained),
                1.0,
                1e-12,
                units="ratio",
                attains=True,
            ),
            worst_error("part 3: $k'$ in $\\mathcal H$ and reproducing", e3, t3),
            worst_error(
                "part 3: $k'(x, x') = \\langle k'(\\cdot, x'), k(\\cdot, x)\\rangle = k(x', x)$",
                e3b,
                t3b,
            ),
            lower(
                "part 4: $\\sigma_p(K)$ vs $\\sigma_{\\min}(\\Phi)^2/\\lambda_{\\max}(G)$",
                low_pair[0],
                low_pair[1],
                slack=low_pair[2],
            ),
            worst_error("part 4: $\\sigma_{p+1}(K)$ (the span has dimension $p$)", e4, t4),
            worst_error(
                "quadratic features: gram vs $\\varphi(x)^\\top\\varphi(x')$", e_lib, t_lib
            ),
        ),
    )


@single_threaded
def span_identities(
    rng: np.random.Generator, *, gram=kernels.gram, rkhs_norm=kernels.rkhs_norm
) -> Evidence:
    r"""For $f = \sum_i\alpha_ik(\cdot, x_i)$, $g = \sum_j\beta_jk(\cdot, z_j)$ in the finite spaces
    of :func:`rkhs_properties_finite`: $\langle f, g\rangle$ computed in $\mathcal H$ (coefficients
    $C\alpha$, $C\beta$ and $G$) vs $\alpha^\top k(X, Z)\beta$, $\|f\|^2$ vs $\alpha^\top K\alpha$,
    and $f(x)$ vs $\sum_i\alpha_ik(x, x_i)$; in the explicit space of the quadratic features,
    $\alpha^\top$``gram``$(X, Z)\beta$ vs $\langle\sum_i\alpha_i\varphi(x_i),
    \sum_j\beta_j\varphi(z_j)\rangle$, and ``rkhs_norm`` of a fitted KRR model vs
    $\|\sum_i\alpha_i\varphi(x_i)\|$."""
    e_ip, t_ip, e_lib, t_lib, e_norm, t_norm = [], [], [], [], [], []
    n = 20
    for _ in range(n):
        size = int(rng.integers(2, 25))
        p = int(rng.integers(1, size + 1))
        Phi, G, kappa = _space(rng, size, p)
        K, C = _kernel_of(Phi, G)
        scale = float(np.linalg.norm(Phi, 2) * np.linalg.norm(C, 2))
        ix, iz = rng.integers(size, size=int(rng.integers(1, 8))), rng.integers(size, size=5)
        alpha, beta = rng.standard_normal(ix.size), rng.standard_normal(iz.size)
        cf, cg = C[:, ix] @ alpha, C[:, iz] @ beta  # coefficients of f and g in H
        ab = float(np.sum(np.abs(alpha)) * np.sum(np.abs(beta)))
        tol = 16 * (size + p + ix.size + iz.size) * U64 * kappa * scale
        e_ip.append(abs(float(cf @ G @ cg) - float(alpha @ K[np.ix_(ix, iz)] @ beta)))
        t_ip.append(tol * ab)
        e_ip.append(abs(float(cf @ G @ cf) - float(alpha @ K[np.ix_(ix, ix)] @ alpha)))
        t_ip.append(tol * float(np.sum(np.abs(alpha))) ** 2)
        e_ip.append(float(np.max(np.abs(Phi @ cf - K[:, ix] @ alpha))))
        t_ip.append(tol * float(np.sum(np.abs(alpha))))
    for _ in range(n):
        d, m, q = int(rng.integers(1, 5)), int(rng.integers(1, 15)), int(rng.integers(1, 15))
        X, Z = rng.standard_normal((m, d)), rng.standard_normal((q, d))
        alpha, beta = rng.standard_normal(m), rng.standard_normal(q)
        gamma, c = float(rng.uniform(0.2, 2)), float(rng.uniform(0.2, 2))
        k = kernels.Polynomial(degree=2, gamma=gamma, c=c)
        FX, FZ = _poly2_features(X, gamma, c), _poly2_features(Z, gamma, c)
        wf, wg = FX.T @ alpha, FZ.T @ beta
        ref = FX @ FZ.T
        KXZ = np.asarray(gram(k, X, Z), dtype=np.float64)
        entry = _bounds(k, X, Z, ref, np.float64) + 4 * (FX.shape[1] + 2) * U64 * (
            np.abs(FX) @ np.abs(FZ).T
        )
        e_lib.append(abs(float(alpha @ KXZ @ beta) - float(wf @ wg)))
        t_lib.append(
            float(np.abs(alpha) @ entry @ np.abs(beta))
            + 4 * (m + q + FX.shape[1]) * U64 * float(np.abs(alpha) @ np.abs(ref) @ np.abs(beta))
        )
        lam = float(10 ** rng.uniform(-2, 0))
        y = rng.standard_normal(m)
        model = kernels.krr_fit(k, X, y, lam)
        a = np.asarray(model.alpha, dtype=np.float64)
        w = FX.T @ a
        K = FX @ FX.T
        e_norm.append(abs(float(rkhs_norm(model)) ** 2 - float(w @ w)))
        ent = _bounds(k, X, X, K, np.float64) + 4 * (FX.shape[1] + 2) * U64 * (
            np.abs(FX) @ np.abs(FX).T
        )
        t_norm.append(
            float(np.abs(a) @ ent @ np.abs(a))
            + 8 * (m + FX.shape[1]) * U64 * float(np.abs(a) @ np.abs(K) @ np.abs(a))
        )
    return Evidence(
        n,
        (
            worst_error(
                "$\\langle f, g\\rangle$, $\\|f\\|^2$, $f(x)$ in $\\mathcal H$ vs the Gram "
                "formulas",
                e_ip,
                t_ip,
            ),
            worst_error(
                "$\\alpha^\\top$gram$(X, Z)\\beta$ vs "
                "$\\langle\\sum\\alpha_i\\varphi(x_i), \\sum\\beta_j\\varphi(z_j)\\rangle$",
                e_lib,
                t_lib,
            ),
            worst_error(
                "rkhs_norm$^2$ vs $\\|\\sum_i\\alpha_i\\varphi(x_i)\\|^2$ (KRR models)",
                e_norm,
                t_norm,
            ),
        ),
    )


@single_threaded
def moore_aronszajn_finite(rng: np.random.Generator, *, gram=kernels.gram) -> Evidence:
    r"""The construction of the proof on finite sets, for the Gram matrices of the standard kernels
    (``gram``) on points with a repeated point, and for random PSD matrices $K = BB^\top$ of rank
    $r < n$ (any PSD matrix is a kernel on $\{1,\dots,n\}$): Step 1, $\langle f, g\rangle_0 =
    \alpha^\top K\beta$ is well defined (the representation $\alpha + t(e_i - e_j)$ of the same $f$,
    $x_i = x_j$, or $\alpha + t\nu$ with $B^\top\nu = 0$, gives the same products and the same
    function), $\langle f, f\rangle_0\ge0$, reproducing ($\langle f, k(\cdot, x)\rangle_0 = f(x)$
    at new points $x$, i.e. ``gram(k, X, x)`` against ``gram(k, x, X)``), and
    {eq}`eq-ker-eval-bound` with equality at $f = -2k(\cdot, x_1)$ (written with another
    representation); Step 7, uniqueness: on a finite set the only RKHS with kernel $K$ is
    $\operatorname{range}K$ with $\langle f, g\rangle = f^\top K^+g$ ($K^+$ from an
    eigendecomposition with the known rank), and it agrees with $\langle\cdot,\cdot\rangle_0$."""
    e_wd, t_wd, e_fn, t_fn, e_rep, t_rep, e_u, t_u = [], [], [], [], [], [], [], []
    pos, ratios, attained = [], [], []
    n = 10
    for _ in range(n):
        for k in random_kernels(rng):
            d, m = int(rng.integers(1, 5)), int(rng.integers(2, 15))
            X = rng.standard_normal((m, d))
            X = np.vstack([X, X[:1]])  # x_m = x_0
            K = np.asarray(gram(k, X), dtype=np.float64)
            rnd = 8 * (m + 3) * U64
            alpha, beta = rng.standard_normal(m + 1), rng.standard_normal(m + 1)
            nu = np.zeros(m + 1)
            nu[0], nu[-1] = 1.0, -1.0
            a2 = alpha + float(rng.uniform(-3, 3)) * nu
            absK = np.abs(K)
            e_wd.append(abs(float(alpha @ K @ beta) - float(a2 @ K @ beta)))
            t_wd.append(rnd * float((np.abs(alpha) + np.abs(a2)) @ absK @ np.abs(beta)))
            e_fn.append(float(np.max(np.abs(K @ alpha - K @ a2))))
            t_fn.append(rnd * float(np.max(absK @ (np.abs(alpha) + np.abs(a2)))))
            q = float(alpha @ K @ alpha)
            pos.append((q, rnd * float(np.abs(alpha) @ absK @ np.abs(alpha))))
            x = rng.standard_normal((3, d))
            kXx = np.asarray(gram(k, X, x), dtype=np.float64)  # columns k(., x)
            kxX = np.asarray(gram(k, x, X), dtype=np.float64)
            e_rep.append(float(np.max(np.abs(alpha @ kXx - kxX @ alpha))))
            t_rep.append(rnd * float(np.max(np.abs(alpha) @ (np.abs(kXx) + np.abs(kxX).T))))
            kxx = np.diag(np.asarray(gram(k, x), dtype=np.float64))
            f_x = kxX @ alpha
            ok = kxx > 0
            if ok.any():
                bound = math.sqrt(max(q, 0.0)) * np.sqrt(kxx[ok])
                slack = pos[-1][1] / max(q, 1e-300) + rnd * float(
                    np.max(np.abs(kxX[ok]) @ np.abs(alpha) / (np.abs(f_x[ok]) + 1e-300))
                )
                ratios.append((float(np.max(np.abs(f_x[ok]) / (bound + 1e-300))), slack))
            # equality at f = -2 k(., x_1), written with the representation -2 e_1 + t(e_0 - e_m)
            a3 = -2.0 * np.eye(m + 1)[1] + float(rng.uniform(-3, 3)) * nu
            q3, f1 = float(a3 @ K @ a3), float(K[1] @ a3)
            if K[1, 1] > 0 and q3 > 0:
                attained.append(
                    (
                        abs(f1) / (math.sqrt(q3) * math.sqrt(float(K[1, 1]))),
                        rnd * (float(np.abs(a3) @ absK @ np.abs(a3)) / q3)
                        + rnd * float(absK[1] @ np.abs(a3)) / abs(f1),
                    )
                )
    for _ in range(2 * n):
        size = int(rng.integers(3, 25))
        r = int(rng.integers(1, size))
        B = (_orthogonal(rng, size, r) * rng.uniform(1, 3, r)) @ _orthogonal(rng, r, r).T
        K = B @ B.T
        alpha, beta = rng.standard_normal(size), rng.standard_normal(size)
        U = np.linalg.svd(B)[0]
        nu = U[:, r:] @ rng.standard_normal(size - r)  # B^T nu = 0
        a2 = alpha + nu
        tol = (
            16
            * size
            * U64
            * 9.0
            * (np.sum(np.abs(alpha)) + np.sum(np.abs(a2)))
            * np.sum(np.abs(beta))
        )
        e_wd.append(abs(float(alpha @ K @ beta) - float(a2 @ K @ beta)))
        t_wd.append(float(tol))
        ev, V = np.linalg.eigh(K)
        keep = ev > 0.5  # the nonzero eigenvalues are in [1, 9], the others rounding
        Kp = (V[:, keep] / ev[keep]) @ V[:, keep].T
        f, g = K @ alpha, K @ beta
        e_u.append(abs(float(f @ Kp @ g) - float(alpha @ K @ beta)))
        t_u.append(
            float(16 * size * U64 * 9.0 * 9.0 * np.sum(np.abs(alpha)) * np.sum(np.abs(beta)))
        )
    low = min(pos, key=lambda q: q[0] / q[1] if q[1] > 0 else q[0])
    # no instance with k(x, x) > 0 (a kernel that is not PSD): the comparisons fail
    top = max(ratios, key=lambda q: (q[0] - 1) / q[1], default=(math.inf, 1.0))
    att = max(attained, key=lambda q: abs(q[0] - 1) / q[1], default=(math.inf, 1.0))
    return Evidence(
        n,
        (
            worst_error(
                "Step 1: $\\langle f, g\\rangle_0$ for two representations of $f$", e_wd, t_wd
            ),
            worst_error("Step 1: the two representations give the same function", e_fn, t_fn),
            lower("Step 1: $\\langle f, f\\rangle_0$", low[0], 0.0, slack=low[1]),
            worst_error(
                "Step 1: $\\langle f, k(\\cdot, x)\\rangle_0$ vs $f(x)$ (new points)", e_rep, t_rep
            ),
            upper(
                "the evaluation bound: $|f(x)|/(\\|f\\|_0\\sqrt{k(x, x)})$",
                top[0],
                1.0,
                slack=top[1],
                units="ratio",
            ),
            equal(
                "the ratio at $f = -2k(\\cdot, x_1)$ (another representation)",
                att[0],
                1.0,
                att[1],
                units="ratio",
                attains=True,
            ),
            worst_error(
                "Step 7: $\\langle f, g\\rangle_0$ vs $f^\\top K^+g$ (the unique RKHS)", e_u, t_u
            ),
        ),
    )


CLAIMS = (
    Unwitnessed(
        "def-rkhs",
        "a definition of a class of Hilbert spaces of functions, not implemented by code; "
        "finite-dimensional instances are built and their kernels found under "
        "prop-rkhs-kernel-unique",
    ),
    Witness(
        "prop-rkhs-kernel-unique",
        rkhs_properties_finite,
        "parts 1-4 in RKHSs on finite sets, the kernel found from the reproducing equations; "
        "the quadratic kernel's explicit RKHS vs gram",
        strength="sharp",
    ),
    Witness(
        "lem-rkhs-span-norm",
        span_identities,
        "inner products, norms and values of finite combinations vs the Gram formulas; "
        "rkhs_norm vs explicit features",
        strength="exact",
    ),
    Witness(
        "thm-moore-aronszajn",
        moore_aronszajn_finite,
        "the construction on finite sets: well defined, positive, reproducing, unique "
        "(vs K^+), the evaluation bound attained; the completion steps are vacuous there and "
        "not exercised",
        strength="sharp",
    ),
)
