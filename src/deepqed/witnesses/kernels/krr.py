r"""Witnesses of Section "The representer theorem and kernel ridge regression":
`thm-representer`, `prop-krr-closed-form`, `prop-kernel-svm`.

The representer theorem is a statement about the whole RKHS, which no computation holds for an
infinite-dimensional $\mathcal H_k$. For the quadratic kernel $(\gamma x^\top z + c)^2$ ($c > 0$)
the whole RKHS is explicit: $\mathcal H_k = \{x\mapsto w^\top\varphi(x): w\in\mathbb R^p\}$ with
$\|w^\top\varphi\| = \|w\|$ and $p = 1 + d + d(d + 1)/2$ (the features of
:func:`.rkhs._poly2_features`, linearly independent functions), and with fewer than $p$ samples the
span $V$ of the $k(\cdot, x_i)$ is a proper subspace. There the witnesses project arbitrary $f$
onto $V$ and minimise over all of $\mathcal H_k$, for losses and regularisers other than the
squared ones. Tolerances come from rounding bounds and condition numbers computed for each
instance; SVM solutions are certified by their duality gaps (:mod:`..svm._common`).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.linalg
from sklearn.kernel_ridge import KernelRidge

from ... import kernels
from ...registry import Witness
from ..svm._common import dual, gap, offset_interval, slsqp_soft_margin, svc_alpha
from ._common import (
    U64,
    Evidence,
    equal,
    single_threaded,
    sklearn_gram,
    upper,
    worst_error,
)
from .psd import _bounds
from .rkhs import _poly2_features

F64 = np.dtype("float64")

#: Losses $L:\mathbb R^m\to\mathbb R$ (given the targets $y$): absolute, a bounded (non-convex)
#: squared loss, the hinge loss on labels $\operatorname{sign}y$.
LOSSES = {
    "absolute": lambda u, y: float(np.sum(np.abs(u - y))),
    "min(1, squared)": lambda u, y: float(np.sum(np.minimum(1.0, (u - y) ** 2))),
    "hinge": lambda u, y: float(np.sum(np.maximum(0.0, 1.0 - np.sign(y) * u))),
}
#: Strictly increasing regularisers $\Omega:[0, \infty)\to\mathbb R$.
OMEGAS = {
    "t": lambda t: t,
    "t^2/2": lambda t: 0.5 * t * t,
    "exp(t)": math.exp,
    "log(1 + t)": math.log1p,
}


def _quadratic(rng: np.random.Generator) -> tuple[kernels.Polynomial, float, float]:
    gamma, c = float(rng.uniform(0.3, 1.5)), float(rng.uniform(0.3, 1.5))
    return kernels.Polynomial(2, gamma, c), gamma, c


@single_threaded
def representer_in_full_space(
    rng: np.random.Generator,
    *,
    gram=kernels.gram,
    krr_fit=kernels.krr_fit,
    krr_predict=kernels.krr_predict,
) -> Evidence:
    r"""In the explicit RKHS of the quadratic kernel with $m < p$ samples. The proof's projection:
    for random $f = w^\top\varphi$ and its projection $v = \sum_i\alpha_ik(\cdot, x_i)$ onto $V$
    (``lstsq`` on the features), $v(x_i) = (K\alpha)_i$ (``gram``) equals $f(x_i)$,
    $\|f\|^2 = \alpha^\top K\alpha + \|f - v\|^2$, and for three losses $L$ (absolute, a non-convex
    bounded square, hinge) and four strictly increasing $\Omega$: $J(v)\le J(f)$, with
    $J(f) - J(v) = \Omega(\|f\|) - \Omega(\|v\|)$, and $J(v) = J(f)$ when $f\in V$ (attained).
    Minimisers over all of $\mathcal H_k$: for $L(u) = \sum_i\log\cosh(u_i - y_i)$,
    $\Omega(t) = \lambda t^2 + t^4/4$ ($J$ is $2\lambda$-strongly convex in $w$), Newton's method
    over $w\in\mathbb R^p$ stops at $\hat w$ whose distance from $V$ is at most
    $\|\nabla J(\hat w)\|/(2\lambda)$, the certified distance to the minimiser; and for the squared
    loss with $\Omega(t) = \lambda t^2$, ridge regression over all of $\mathbb R^p$ predicts what
    ``krr_fit``/``krr_predict`` (in $V$) predict, within the two solves' condition numbers."""
    e_val, t_val, e_pyt, t_pyt, e_gap, t_gap = [], [], [], [], [], []
    ups, att, e_dist, t_dist, e_krr, t_krr = [], [], [], [], [], []
    n = 12
    for t in range(n):
        d = int(rng.integers(2, 5))
        k, gamma, c = _quadratic(rng)
        p = 1 + d + d * (d + 1) // 2
        m = int(rng.integers(1, p))
        X = rng.standard_normal((m, d))
        F = _poly2_features(X, gamma, c)  # (m, p), rows phi(x_i)
        K = np.asarray(gram(k, X), dtype=F64)
        y = rng.standard_normal(m)
        ent = _bounds(k, X, X, F @ F.T, F64) + 4 * (p + 2) * U64 * (np.abs(F) @ np.abs(F).T)
        nF = float(np.linalg.norm(F, 2))
        # the projection of f = w^T phi onto V
        w = rng.standard_normal(p)
        if t % 3 == 0:
            w = F.T @ rng.standard_normal(m)  # f in V: equality
        alpha = np.linalg.lstsq(F.T, w, rcond=None)[0]
        v = F.T @ alpha
        fx = F @ w
        vx = K @ alpha
        nw, na = float(np.linalg.norm(w)), float(np.linalg.norm(alpha))
        e_val.append(float(np.max(np.abs(vx - fx))))
        t_val.append(16 * (m + p) * U64 * nF * (nF * na + nw) + float(np.max(ent @ np.abs(alpha))))
        nv2 = float(alpha @ K @ alpha)
        r = w - v
        e_pyt.append(abs(nw**2 - nv2 - float(r @ r)))
        t_pyt.append(
            16 * (m + p) * U64 * (nw**2 + nF**2 * na**2)
            + float(np.abs(alpha) @ ent @ np.abs(alpha))
            + 2 * nw * 16 * (m + p) * U64 * nF * (nF * na + nw) / max(nF, 1e-300)
        )
        nf, nv = nw, math.sqrt(max(nv2, 0.0))
        dn = t_pyt[-1] / max(nf + nv, 1e-300)  # uncertainty of ||f|| - ||v||
        for lname, L in LOSSES.items():
            for oname, Om in OMEGAS.items():
                jf, jv = L(fx, y) + Om(nf), L(vx, y) + Om(nv)
                slope = max(1.0, math.exp(nf) if oname == "exp(t)" else nf + 1.0)
                # L at v(x_i) vs f(x_i): L is Lipschitz (absolute, hinge: 1; min(1, .)^2: 2|u - y|)
                lip = m * max(1.0, 2 * float(np.max(np.abs(fx - y)) + 2))
                tol = slope * dn + lip * e_val[-1] + 1e-14 * (abs(jf) + abs(jv))
                e_gap.append(abs((jf - jv) - (Om(nf) - Om(nv))))
                t_gap.append(tol)
                if t % 3 == 0:
                    att.append((jv - jf, tol, f"{lname}, {oname}"))
                else:
                    ups.append((jv - jf, tol, f"{lname}, {oname}"))
        # the minimiser over all of H_k for a non-quadratic convex L and Omega
        lam = float(10 ** rng.uniform(-2, 0))
        W = np.zeros(p)
        for _ in range(60):
            s = F @ W - y
            nW2 = float(W @ W)
            g = F.T @ np.tanh(s) + (2 * lam + nW2) * W
            if float(np.linalg.norm(g)) < 1e-14 * max(1.0, nF * math.sqrt(m)):
                break
            H = (F.T * (1 - np.tanh(s) ** 2)) @ F + (2 * lam + nW2) * np.eye(p) + 2 * np.outer(W, W)
            W = W - np.linalg.solve(H, g)
        s = F @ W - y
        g = F.T @ np.tanh(s) + (2 * lam + float(W @ W)) * W
        Q, _ = np.linalg.qr(F.T)  # orthonormal basis of V in R^p
        e_dist.append(float(np.linalg.norm(W - Q @ (Q.T @ W))))
        t_dist.append(
            float(np.linalg.norm(g)) / (2 * lam)
            + 8 * (m + p) * U64 * (float(np.linalg.norm(W)) + nF * math.sqrt(m)) / (2 * lam)
        )
        # squared loss, Omega = lam t^2: ridge over R^p vs krr (in V)
        T = rng.standard_normal((10, d))
        FT = _poly2_features(T, gamma, c)
        A = F.T @ F + m * lam * np.eye(p)
        w_r = np.linalg.solve(A, F.T @ y)
        ref = FT @ w_r
        model = krr_fit(k, X, y, lam)
        got = np.asarray(krr_predict(model, T), dtype=F64)
        kappa = (nF**2 + m * lam) / (m * lam)
        nwr = float(np.linalg.norm(w_r))
        eta = 16 * (m + p + 2) * m * U64 + float(np.linalg.norm(ent, 2)) / (m * lam)
        e_krr.append(float(np.max(np.abs(got - ref))))
        t_krr.append(
            4
            * kappa
            * eta
            * float(np.linalg.norm(FT, 2))
            * (nwr + nF * math.sqrt(m) / (m * lam))
            * max(1.0, float(np.linalg.norm(y)))
        )
    top = max(ups, key=lambda q: q[0] / q[1])
    eq = max(att, key=lambda q: abs(q[0]) / q[1])
    return Evidence(
        n,
        (
            worst_error("$|v(x_i) - f(x_i)|$, $v$ the projection (via gram)", e_val, t_val),
            worst_error("Pythagoras: $\\|f\\|^2 - \\|v\\|^2 - \\|f - v\\|^2$", e_pyt, t_pyt),
            upper("$J(v) - J(f)$ ($f\\notin V$)", top[0], 0.0, slack=top[1], at=top[2]),
            equal("$J(v) - J(f)$ for $f\\in V$", eq[0], 0.0, eq[1], at=eq[2], attains=True),
            worst_error("$(J(f) - J(v)) - (\\Omega(\\|f\\|) - \\Omega(\\|v\\|))$", e_gap, t_gap),
            worst_error(
                "distance from $V$ of the minimiser over $\\mathbb R^p$ (log cosh, "
                "$\\lambda t^2 + t^4/4$)",
                e_dist,
                t_dist,
            ),
            worst_error("krr_predict (in $V$) vs ridge over all of $\\mathcal H_k$", e_krr, t_krr),
        ),
    )


def _kernel(rng):
    choice = int(rng.integers(4))
    if choice == 0:
        return kernels.Gaussian(float(rng.uniform(0.2, 2))), "rbf"
    if choice == 1:
        return kernels.Laplacian(float(rng.uniform(0.2, 2))), "laplacian"
    if choice == 2:
        return kernels.ArcCosine(), None
    return kernels.Polynomial(
        int(rng.integers(1, 4)), float(rng.uniform(0.2, 1)), float(rng.uniform(0.5, 2))
    ), "polynomial"


@single_threaded
def krr_closed_form(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    krr_fit=kernels.krr_fit,
    krr_predict=kernels.krr_predict,
    rkhs_norm=kernels.rkhs_norm,
) -> Evidence:
    r"""``krr_fit``'s $\alpha$ vs $(K + m\lambda I)^{-1}y$ solved in float64 (``scipy.linalg.solve``)
    from the float64 Gram matrix of the same (dtype-rounded) data, and ``krr_predict`` at test
    points vs that solution, within the perturbation bound $\|\delta\alpha\|\le2\kappa\eta\|\alpha\|$,
    $\kappa = (\|K\|_2 + m\lambda)/(m\lambda)$ and $\eta$ the relative backward error (the Gram
    matrix's entrywise rounding bounds plus Cholesky's $m\gamma_{m+1}$ in the dtype); predictions
    vs scikit-learn's ``KernelRidge(alpha = m lam)`` (float64); ``rkhs_norm`` vs
    $\sqrt{\alpha^\top K\alpha}$; and the minimality that makes $\alpha$ unique: for random
    $\delta$, $J(\alpha + \delta) - J(\alpha) = \frac1m\|K\delta\|^2 + \lambda\delta^\top K\delta$
    (the gradient vanishes at $\alpha$; the excess vs the exact quadratic growth is bounded by
    $\|\nabla j(\alpha)\|\|\delta\|$)."""
    u = float(np.finfo(dtype).eps) / 2
    e_a, t_a, e_p, t_p, e_s, t_s, e_n, t_n, e_q, t_q = [], [], [], [], [], [], [], [], [], []
    at = []
    n = 12
    for _ in range(n):
        m, d = int(rng.integers(3, 40)), int(rng.integers(1, 4))
        X = rng.uniform(-2, 2, size=(m, d)).astype(dtype)
        y = (np.sin(X.astype(F64) @ rng.standard_normal(d)) + 0.1 * rng.standard_normal(m)).astype(
            dtype
        )
        lam = float(10 ** rng.uniform(-3, -0.5))
        k, name = _kernel(rng)
        T = rng.uniform(-2.5, 2.5, size=(15, d)).astype(dtype)
        X64, y64, T64 = X.astype(F64), y.astype(F64), T.astype(F64)
        K = sklearn_gram(k, X64, X64)
        KT = sklearn_gram(k, T64, X64)
        A = K + m * lam * np.eye(m)
        a_ref = scipy.linalg.solve(A, y64, assume_a="pos")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", kernels.IllConditionedWarning)
            model = krr_fit(k, X, y, lam)
            got = np.asarray(krr_predict(model, T))
        alpha = np.asarray(model.alpha)
        label = f"{type(k).__name__}, m = {m}, lam = {lam:.2g}"
        if alpha.dtype != dtype or got.dtype != dtype or got.shape != (15,):
            for lst in (e_a, e_p):
                lst.append(math.inf)
            t_a.append(0.0)
            t_p.append(0.0)
            at.append(label)
            continue
        alpha = alpha.astype(F64)
        nA = float(np.linalg.norm(A, 2))
        kappa = nA / (m * lam)
        EK = float(np.linalg.norm(_bounds(k, X64, X64, K, dtype) + _bounds(k, X64, X64, K, F64)))
        ET = _bounds(k, T64, X64, KT, dtype) + _bounds(k, T64, X64, KT, F64)
        eta = m * (m + 1) * u / (1 - (m + 1) * u) + EK / nA + 2 * (m + 1) * U64
        na = float(np.linalg.norm(a_ref))
        da = 2 * kappa * eta * na / max(1 - kappa * eta, 1e-3) if kappa * eta < 1 else math.inf
        e_a.append(float(np.linalg.norm(alpha - a_ref)))
        t_a.append(da)
        at.append(label)
        ref = KT @ a_ref
        e_p.append(float(np.max(np.abs(got.astype(F64) - ref))))
        t_p.append(
            float(np.max(np.sqrt(np.sum(KT**2, axis=1)))) * da
            + float(np.max(ET @ np.abs(a_ref)))
            + (m + 2) * u * float(np.max(np.abs(KT) @ (np.abs(a_ref) + da)))
        )
        if dtype == F64:
            params = (
                {"degree": k.degree, "gamma": k.gamma, "coef0": k.c}
                if name == "polynomial"
                else ({} if name is None else {"gamma": k.gamma})
            )
            skl = KernelRidge(alpha=m * lam, kernel=name or "precomputed", **params)
            pred = skl.fit(K, y64).predict(KT) if name is None else skl.fit(X64, y64).predict(T64)
            e_s.append(float(np.max(np.abs(got - pred))))
            t_s.append(2 * t_p[-1])
        norm = math.sqrt(max(float(alpha @ K @ alpha), 0.0))  # the model's alpha, exact K
        got_norm = float(rkhs_norm(model))
        e_n.append(abs(got_norm - norm))
        t_n.append(
            (
                float(np.abs(alpha) @ _bounds(k, X64, X64, K, dtype) @ np.abs(alpha))
                + 16 * m * U64 * float(np.abs(alpha) @ np.abs(K) @ np.abs(alpha))
            )
            / max(got_norm + norm, 1e-300)
        )
        # minimality at the float64 solution: exact quadratic growth around alpha
        delta = rng.standard_normal(m) * 0.1 * max(na, 1e-3)

        def J(b):
            r = K @ b - y64
            return float(r @ r) / m + lam * float(b @ K @ b)

        grad = 2 / m * (K @ (A @ a_ref - y64))
        growth = float(np.sum((K @ delta) ** 2)) / m + lam * float(delta @ K @ delta)
        e_q.append(abs(J(a_ref + delta) - J(a_ref) - growth))
        t_q.append(
            float(np.linalg.norm(grad)) * float(np.linalg.norm(delta))
            + 16 * m * U64 * (J(a_ref) + growth + float(np.abs(y64) @ np.abs(y64)) / m)
            + 16
            * m
            * U64
            * float(np.linalg.norm(A, 2)) ** 2
            * (na + float(np.linalg.norm(delta))) ** 2
            / m
        )
    comps = [
        worst_error("$\\|\\alpha - (K + m\\lambda I)^{-1}y\\|$ (float64 solve)", e_a, t_a, at=at),
        worst_error("krr_predict vs the float64 solution", e_p, t_p),
        worst_error("rkhs_norm vs $\\sqrt{\\alpha^\\top K\\alpha}$", e_n, t_n),
        worst_error(
            "$J(\\alpha + \\delta) - J(\\alpha)$ vs $\\frac1m\\|K\\delta\\|^2 + "
            "\\lambda\\delta^\\top K\\delta$",
            e_q,
            t_q,
        ),
    ]
    if e_s:
        comps.insert(2, worst_error("krr_predict vs KernelRidge(alpha = m lam)", e_s, t_s))
    return Evidence(n, tuple(comps))


@single_threaded
def kernel_svm_is_linear_svm(
    rng: np.random.Generator, *, ksvm_fit=kernels.ksvm_fit, ksvm_decision=kernels.ksvm_decision
) -> Evidence:
    r"""Part 3: ``ksvm_fit``'s $\alpha$ (``deepqed.svm.smo`` on the Gram matrix) has a certified
    duality gap $G$ for the kernel dual (the Gram matrix recomputed with scikit-learn), so
    $f = \sum_i\alpha_iy_ik(\cdot, x_i)$ is within $\sqrt{2G}$ of the minimiser in
    $\mathcal H_k$; LIBSVM's solution likewise ($G'$), and by the evaluation bound of
    `prop-rkhs-kernel-unique` the two decision functions without offset differ at $x$ by at most
    $(\sqrt{2G} + \sqrt{2G'})\sqrt{k(x, x)}$; ``ksvm_decision`` minus $b$ is
    $\sum_i\alpha_iy_ik(x, x_i)$ and $b$ lies in the interval of optimal offsets. Part 2: with
    coordinates $\phi_i$ of the $k(\cdot, x_i)$ in an orthonormal basis ($K = Q\Lambda Q^\top$,
    $\phi_i$ the rows of $Q\Lambda^{1/2}$), the *linear* soft-margin SVM on the $\phi_i$ solved by
    SLSQP in its primal form has the kernel SVM's optimal value (both in $[D(\alpha), D(\alpha) +
    G]$ up to SLSQP's accuracy) and its weight vector is $\sum_i\alpha_iy_i\phi_i$ within
    $\sqrt{2G} + \sqrt{2G_{\mathrm{SLSQP}}}$. Part 1: in the explicit RKHS of the quadratic kernel,
    for random $(f, b)$ the projection $v$ of $f$ onto $V$ has objective lower by exactly
    $\frac12\|f - v\|^2$."""
    e_g, t_g, e_f, t_f, e_b, t_b, e_v, t_v, e_w, t_w, e_1, t_1 = ([] for _ in range(12))
    n = 6
    for _ in range(n):
        m, d = int(rng.integers(10, 40)), 2
        X = rng.standard_normal((m, d))
        y = np.where(X[:, 0] ** 2 + X[:, 1] ** 2 + 0.3 * rng.standard_normal(m) > 1.2, 1.0, -1.0)
        y[0], y[1] = 1.0, -1.0
        gamma, C = float(rng.uniform(0.3, 2)), float(10 ** rng.uniform(-0.5, 1.5))
        k = kernels.Gaussian(gamma)
        K = sklearn_gram(k, X, X)
        model = ksvm_fit(k, X, y, C, tol=1e-10)
        alpha = np.clip(np.asarray(model.alpha, dtype=F64), 0.0, C)
        G = gap(alpha, float(model.b), y, K, C)
        e_g.append(G)
        t_g.append(C * m * 1e-9 + 1e-12)
        a_s, b_s, _ = svc_alpha(K, y, C, tol=1e-10)
        a_s = a_s - y * (y @ a_s) / m
        a_s = np.clip(a_s, 0.0, C)
        G_s = gap(a_s, b_s, y, K, C)
        T = rng.standard_normal((20, d))
        KT = sklearn_gram(k, T, X)
        g = np.asarray(ksvm_decision(model, T), dtype=F64)
        f_ours = g - float(model.b)
        f_svc = KT @ (a_s * y)
        e_f.append(float(np.max(np.abs(f_ours - f_svc))))
        t_f.append(math.sqrt(2 * G) + math.sqrt(2 * G_s) + 8 * m * U64 * float(np.sum(alpha)))
        e_f.append(float(np.max(np.abs(f_ours - KT @ (alpha * y)))))
        t_f.append(
            float(np.max(_bounds(k, T, X, KT, F64) @ alpha))
            + 8 * (m + 2) * U64 * (float(np.sum(alpha)) + abs(float(model.b)))
        )
        lo, hi = offset_interval(alpha, y, K, C)
        b = float(model.b)
        e_b.append(max(lo - b, b - hi, 0.0))
        t_b.append(max(float(model.kkt_violation), 1e-10) + 1e-9)
        # part 2: the linear SVM on orthonormal-basis coordinates
        ev, Q = np.linalg.eigh(K)
        Phi = Q * np.sqrt(np.maximum(ev, 0.0))
        clip = float(max(0.0, -ev[0]))  # Phi Phi^T = K up to the clipped negative eigenvalues
        w_sl, b_sl, xi_sl, val = slsqp_soft_margin(Phi, y, C)
        D = dual(alpha, y, K)
        e_v.append(max(val - (D + G), D - val, 0.0))
        t_v.append(1e-8 * max(1.0, abs(val)) + C * m * clip)
        G_sl = max(val - D, 0.0) + 1e-8 * max(1.0, abs(val))
        e_w.append(float(np.linalg.norm(w_sl - Phi.T @ (alpha * y))))
        t_w.append(math.sqrt(2 * G) + math.sqrt(2 * G_sl) + math.sqrt(clip) * float(np.sum(alpha)))
        # part 1: projection in the explicit quadratic RKHS, hinge objective
        kq, gq, cq = _quadratic(rng)
        dq = int(rng.integers(2, 4))
        pq = 1 + dq + dq * (dq + 1) // 2
        mq = int(rng.integers(2, pq))
        Xq = rng.standard_normal((mq, dq))
        yq = np.where(rng.random(mq) < 0.5, 1.0, -1.0)
        F = _poly2_features(Xq, gq, cq)
        wq, bq = rng.standard_normal(pq), float(rng.standard_normal())
        Qv, _ = np.linalg.qr(F.T)
        v = Qv @ (Qv.T @ wq)

        def P(w):
            return 0.5 * float(w @ w) + C * float(np.sum(np.maximum(0, 1 - yq * (F @ w + bq))))

        r = wq - v
        e_1.append(abs(P(wq) - P(v) - 0.5 * float(r @ r)))
        nF = float(np.linalg.norm(F, 2))
        t_1.append(
            16
            * (mq + pq)
            * U64
            * (float(wq @ wq) + C * mq * (1 + nF * float(np.linalg.norm(wq)) + abs(bq)))
        )
    return Evidence(
        n,
        (
            worst_error("part 3: certified gap of ksvm_fit (tol $10^{-10}$)", e_g, t_g),
            worst_error(
                "part 3: $|f(x) - f_{\\mathrm{LIBSVM}}(x)|$ vs "
                "$(\\sqrt{2G} + \\sqrt{2G'})\\sqrt{k(x, x)}$; ksvm_decision $- b$",
                e_f,
                t_f,
            ),
            worst_error("part 3: $b$ outside the optimal offsets' interval", e_b, t_b),
            worst_error(
                "part 2: linear SVM on $\\phi_i$ (SLSQP): value outside $[D, D + G]$", e_v, t_v
            ),
            worst_error(
                "part 2: $\\|w_{\\mathrm{SLSQP}} - \\sum_i\\alpha_iy_i\\phi_i\\|$", e_w, t_w
            ),
            worst_error(
                "part 1: $P(f, b) - P(v, b) - \\frac12\\|f - v\\|^2$ (quadratic RKHS)", e_1, t_1
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-representer",
        representer_in_full_space,
        "in the whole (explicit) RKHS of the quadratic kernel: the projection lowers J for "
        "non-convex L and four Omega, equality on V; minimisers over all of H_k lie in V",
        strength="sharp",
    ),
    Witness(
        "prop-krr-closed-form",
        krr_closed_form,
        "alpha and predictions vs a float64 solve within the condition-number bound; "
        "KernelRidge; rkhs_norm; exact quadratic growth at alpha",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-kernel-svm",
        kernel_svm_is_linear_svm,
        "certified gaps; f vs LIBSVM through the evaluation bound; the linear SVM on "
        "orthonormal coordinates; the projection in the quadratic RKHS",
        strength="exact",
    ),
)
