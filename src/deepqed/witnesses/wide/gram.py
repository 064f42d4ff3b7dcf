r"""Witnesses of Section "The two-layer Gram matrix": `lem-wide-two-layer-kernel`,
`prop-wide-hinf`, `thm-wide-hinf-pd`, `cor-wide-h0-concentration`.

Instances: random inputs (unit or general norms), weights drawn $N(0, I_d)$ and output weights
uniform on $\{-1, 1\}$, many networks side by side; Monte Carlo intervals at level $1 - 10^{-6}$
(Bonferroni over the intervals of one witness), Clopper–Pearson intervals for frequencies."""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy import stats

from ... import kernels
from ... import wide as wd
from ...probability import clopper_pearson
from ...registry import Unwitnessed, Witness
from .._common import (
    Evidence,
    equal,
    error,
    interval,
    lower,
    relative_error,
    single_threaded,
    upper,
)

LEVEL = 1 - 1e-6
U64 = float(np.finfo(np.float64).eps) / 2


def _z(k: int) -> float:
    return float(stats.norm.ppf(1 - (1 - LEVEL) / (2 * k)))


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    X = rng.standard_normal((n, d))
    return X / np.linalg.norm(X, axis=1, keepdims=True)


def _signs(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.choice(np.array([-1.0, 1.0]), size=shape)


@single_threaded
def two_layer_kernel_matches_autograd(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    two_layer_output=wd.two_layer_output,
    two_layer_jacobian=wd.two_layer_jacobian,
    two_layer_gram=wd.two_layer_gram,
) -> Evidence:
    r"""Lemma `lem-wide-two-layer-kernel`: on 6 random networks ($n\le 6$, $m\le 40$, $d\le 5$,
    $\gamma\in\{\frac12, 1\}$, real output weights $a$), the library's outputs and Jacobian
    $\partial u_i/\partial w_r$ against `torch.func.jacrev` of a PyTorch forward pass, and its
    $m^{1-2\gamma}H(W)$ against $JJ^\top$ from the PyTorch Jacobian. Tolerances: a few roundings
    per Jacobian entry ($8u$); sums of at most $md$ products for the outputs and the kernel
    ($4(md + 2)u$, relative)."""
    u = float(np.finfo(dtype).eps) / 2
    e_out = e_jac = e_gram = 0.0
    tol_sum = 0.0
    for _ in range(6):
        n, m, d = int(rng.integers(1, 7)), int(rng.integers(1, 41)), int(rng.integers(1, 6))
        gamma = float(rng.choice([0.5, 1.0]))
        X = rng.standard_normal((n, d)).astype(dtype)
        W = rng.standard_normal((m, d)).astype(dtype)
        a = rng.standard_normal(m).astype(dtype)
        tX, ta = torch.from_numpy(X), torch.from_numpy(a)

        def forward(tW, tX=tX, ta=ta, m=m, gamma=gamma):
            return torch.relu(tX @ tW.T) @ ta / m**gamma

        tW = torch.from_numpy(W)
        J_ref = torch.func.jacrev(forward)(tW).numpy()  # (n, m, d)
        u_ref = forward(tW).numpy()
        Jf = J_ref.reshape(n, -1).astype(np.float64)
        G_ref = Jf @ Jf.T
        e_out = max(e_out, relative_error(two_layer_output(X, W, a, gamma), u_ref))
        e_jac = max(e_jac, relative_error(two_layer_jacobian(X, W, a, gamma), J_ref))
        e_gram = max(e_gram, relative_error(two_layer_gram(X, W, a, gamma), G_ref))
        tol_sum = max(tol_sum, 4 * (m * d + 2) * u)
    return Evidence(
        6,
        (
            error("outputs $u_i$ against PyTorch", e_out, tol_sum),
            error(r"Jacobian $\partial u_i/\partial w_r$ against torch.func.jacrev", e_jac, 8 * u),
            error(
                r"$m^{1-2\gamma}H(W)$ against $JJ^\top$ of the PyTorch Jacobian", e_gram, tol_sum
            ),
        ),
    )


@single_threaded
def hinf_closed_form_and_fluctuations(
    rng: np.random.Generator,
    *,
    h_infinity=wd.h_infinity,
    h0_variance=wd.h0_variance,
    two_layer_gram=wd.two_layer_gram,
) -> Evidence:
    r"""Proposition `prop-wide-hinf`: (1) each entry of $H^\infty$ (closed form, 5 inputs of
    different norms, one pair parallel and one opposite) lies in the Monte Carlo interval from
    $4\\cdot10^4$ draws of $w$; (2) $m\,\mathbb E\|H(0) - H^\infty\|_F^2$ estimated from 4000 networks of
    width $m = 8$ lies in an interval containing $\sum_{ij}V_{ij}$; (3) on 3 random networks
    ($n = 5$, $d = 3$, $m\le 40$, $a\in\{-1, 1\}^m$) the tangent kernel $JJ^\top$ with respect to
    $(W, a)$, $J$ from `torch.func.jacrev` in both arguments, equals $H(W) + H^a(W)$ with the
    library's $H(W)$ and $H^a(W)$ from its definition (tolerance $4(m(d + 1) + 2)u$ relative), and
    the entries of $\mathbb E H^a(0)$ lie in Monte Carlo intervals around chapter 5's arc-cosine
    kernel."""
    n, d, N = 5, 3, 40_000
    X = rng.standard_normal((n, d)) * rng.uniform(0.5, 2.0, size=(n, 1))
    X[3] = 1.7 * X[0]  # parallel
    X[4] = -0.6 * X[1]  # opposite
    w = rng.standard_normal((N, d))
    P = X @ w.T  # (n, N)
    S = (P > 0).astype(float)
    iu = np.triu_indices(n)
    k = 2 * len(iu[0]) + 1
    z = _z(k)
    G = X @ X.T
    comps = []
    ind = S[:, None, :] * S[None, :, :] * G[:, :, None]  # (n, n, N)
    est, se = ind.mean(axis=2), ind.std(axis=2, ddof=1) / math.sqrt(N)
    H = h_infinity(X)
    # rounding of the closed forms: a few roundings of |x_i||x_j| (angles to about 8u)
    slack = 16 * d * U64 * np.outer(*(2 * [np.linalg.norm(X, axis=1)]))
    worst = int(np.argmax(np.abs(est - H)[iu] / (z * se[iu] + slack[iu])))
    i, j = iu[0][worst], iu[1][worst]
    comps.append(
        interval(
            f"$H^\\infty_{{{i + 1}{j + 1}}}$ (worst of {len(iu[0])} entries)",
            float(est[i, j]),
            float(est[i, j] - z * se[i, j] - slack[i, j]),
            float(est[i, j] + z * se[i, j] + slack[i, j]),
            float(H[i, j]),
            level=LEVEL,
        )
    )
    R = np.maximum(P, 0)
    rel = R[:, None, :] * R[None, :, :]
    est, se = rel.mean(axis=2), rel.std(axis=2, ddof=1) / math.sqrt(N)
    K = kernels.ArcCosine().matrix(X, X)
    worst = int(np.argmax(np.abs(est - K)[iu] / (z * se[iu] + slack[iu])))
    i, j = iu[0][worst], iu[1][worst]
    comps.append(
        interval(
            f"$\\mathbb E H^a(0)_{{{i + 1}{j + 1}}}$ vs arc-cosine kernel (worst entry)",
            float(est[i, j]),
            float(est[i, j] - z * se[i, j] - slack[i, j]),
            float(est[i, j] + z * se[i, j] + slack[i, j]),
            float(K[i, j]),
            level=LEVEL,
        )
    )
    e_both, tol_both = 0.0, 0.0
    for _ in range(3):
        mb = int(rng.integers(2, 41))
        Wb, ab = rng.standard_normal((mb, d)), _signs(rng, mb)
        tX = torch.from_numpy(X)

        def fwd(tW, ta, tX=tX, mb=mb):
            return torch.relu(tX @ tW.T) @ ta / math.sqrt(mb)

        JW, Ja = torch.func.jacrev(fwd, argnums=(0, 1))(torch.from_numpy(Wb), torch.from_numpy(ab))
        Jb = np.concatenate([JW.numpy().reshape(n, -1), Ja.numpy()], axis=1)
        Rb = np.maximum(X @ Wb.T, 0)
        Ha = Rb @ Rb.T / mb  # H^a(W)_{ij} = (1/m) sum_r ReLU(w_r^T x_i) ReLU(w_r^T x_j)
        e_both = max(e_both, relative_error(two_layer_gram(X, Wb, ab) + Ha, Jb @ Jb.T))
        tol_both = max(tol_both, 4 * (mb * (d + 1) + 2) * U64)
    comps.append(
        error(
            r"tangent kernel in $(W, a)$ (torch.func.jacrev) vs $H(W) + H^a(W)$", e_both, tol_both
        )
    )
    runs, m = 4000, 8
    Xu = _unit(rng, 4, 3)
    Hu = h_infinity(Xu)
    W = rng.standard_normal((runs, m, 3))
    a = _signs(rng, runs, m)
    S = (np.einsum("id,trd->tir", Xu, W) > 0).astype(float)  # (runs, n, m)
    Hs = (Xu @ Xu.T) * np.einsum("tir,tr,tjr->tij", S, a * a, S) / m
    e_lib = max(relative_error(two_layer_gram(Xu, W[t], a[t]), Hs[t]) for t in range(5))
    sq = m * np.sum((Hs - Hu) ** 2, axis=(1, 2))
    est, se = float(sq.mean()), float(sq.std(ddof=1)) / math.sqrt(runs)
    comps.append(
        error(r"library $H(W)$ against the definition (5 networks)", e_lib, 4 * (m + 3) * U64)
    )
    comps.append(
        interval(
            r"$m\,\mathbb E\|H(0) - H^\infty\|_F^2$ vs $\sum_{ij}V_{ij}$ ($m = 8$)",
            est,
            est - z * se,
            est + z * se,
            float(h0_variance(Xu).sum()),
            level=LEVEL,
        )
    )
    return Evidence(2 * N + runs, tuple(comps))


@single_threaded
def hinf_is_positive_definite(rng: np.random.Generator, *, h_infinity=wd.h_infinity) -> Evidence:
    r"""Theorem `thm-wide-hinf-pd`: for 5 random sets of $n$ pairwise non-parallel inputs
    ($n\le 12$, $d\le 4$, including $n > d$, where $XX^\top$ is singular), $\lambda_{\min}(H^\infty)$
    exceeds the rounding bound $4nu\|H^\infty\|$ of `eigvalsh`; necessity: with two inputs on the
    same ray, and with the six points $\pm x_1, \pm x_2, \pm x_3$ in $\mathbb R^2$
    (the chapter's exercise on antiparallel inputs), $\lambda_{\min}(H^\infty) = 0$ to that rounding."""
    u = float(np.finfo(np.float64).eps) / 2
    worst, at, bound = math.inf, "", 0.0
    for _ in range(5):
        n, d = int(rng.integers(2, 13)), int(rng.integers(2, 5))
        X = rng.standard_normal((n, d))
        H = h_infinity(X)
        lam = np.linalg.eigvalsh(H)
        tol = 4 * n * u * lam[-1]
        if lam[0] / tol < worst:
            worst, at, bound = lam[0] / tol, f"n = {n}, d = {d}", tol
            measured = float(lam[0])
    X = rng.standard_normal((5, 3))
    X[4] = 2.5 * X[1]
    H = h_infinity(X)
    lam_ray = np.linalg.eigvalsh(H)
    V = rng.standard_normal((3, 2))
    H6 = h_infinity(np.concatenate([V, -V]))
    lam_pm = np.linalg.eigvalsh(H6)
    return Evidence(
        7,
        (
            lower(r"$\lambda_{\min}(H^\infty)$, non-parallel inputs", measured, bound, at=at),
            equal(
                r"$\lambda_{\min}(H^\infty)$, $x_5 = 2.5x_2$",
                float(lam_ray[0]),
                0.0,
                4 * 5 * u * float(lam_ray[-1]),
                units="absolute",
            ),
            equal(
                r"$\lambda_{\min}(H^\infty)$, $\pm x_1, \pm x_2, \pm x_3\in\mathbb R^2$",
                float(lam_pm[0]),
                0.0,
                4 * 6 * u * float(lam_pm[-1]),
                units="absolute",
            ),
        ),
    )


@single_threaded
def h0_concentrates(
    rng: np.random.Generator,
    *,
    h_infinity=wd.h_infinity,
    h0_deviation_radius=wd.h0_deviation_radius,
    two_layer_gram=wd.two_layer_gram,
) -> Evidence:
    r"""Corollary `cor-wide-h0-concentration`: 1000 networks of width $m = 32$ on $n = 6$ unit
    inputs in $\mathbb R^4$, $\delta = 0.1$: the Clopper–Pearson lower bound (level
    $1 - 10^{-6}$) on the probability that some $|H(0)_{ij} - H^\infty_{ij}| > R_{ij}$ is at most
    $\delta$; the empirical $(1 - \delta)$-quantile of $\max_{ij}|H(0)_{ij} - H^\infty_{ij}|/R_{ij}$
    is at most $1$ (its ratio shows the slack of Hoeffding and the union bound); the final claim:
    at the width $m^* = \lceil 2n^2\log(2n^2/\delta)/\lambda_0^2\rceil$ (inputs redrawn until
    $m^*\le 2^{16}$), 40 networks, the Clopper–Pearson lower bound on the probability that
    $\lambda_{\min}(H(0)) < \lambda_0/2$ is at most $\delta$, and on the event every
    $\lambda_{\min}(H(0))\ge\lambda_0/2$ (ratio; `eigvalsh` is accurate to $4nu\|H(0)\|$, far below
    the margin)."""
    runs, m, n, d, delta = 1000, 32, 6, 4, 0.1
    X = _unit(rng, n, d)
    Hinf = h_infinity(X)
    Rad = h0_deviation_radius(X, m, delta)
    ratio = np.empty(runs)
    for t in range(runs):
        D = two_layer_gram(X, rng.standard_normal((m, d)), _signs(rng, m)) - Hinf
        ratio[t] = np.max(np.abs(D) / Rad)
    k = int(np.sum(ratio > 1))
    lo = float(clopper_pearson(np.array([k]), runs, alpha=1 - LEVEL)[0][0])
    q = float(np.quantile(ratio, 1 - delta))
    # the final claim, at the width the corollary names
    for _ in range(50):
        Xs = _unit(rng, n, d)
        Hs = h_infinity(Xs)
        lam0 = float(np.linalg.eigvalsh(Hs)[0])
        ms = math.ceil(2 * n * n * math.log(2 * n * n / delta) / lam0**2)
        if ms <= 2**16:
            break
    Rs = h0_deviation_radius(Xs, ms, delta)
    nets, bad, worst = 40, 0, math.inf
    for _ in range(nets):
        H0 = two_layer_gram(Xs, rng.standard_normal((ms, d)), _signs(rng, ms))
        lmin = float(np.linalg.eigvalsh(H0)[0])
        bad += int(lmin < lam0 / 2)
        if np.all(np.abs(H0 - Hs) <= Rs):
            worst = min(worst, lmin / (lam0 / 2))
    lo_min = float(clopper_pearson(np.array([bad]), nets, alpha=1 - LEVEL)[0][0])
    return Evidence(
        runs + nets,
        (
            upper(
                r"P(some $|H(0)_{ij} - H^\infty_{ij}| > R_{ij}$), lower confidence bound",
                lo,
                delta,
                units="probability",
                at=f"{k} of {runs} networks, m = {m}",
            ),
            upper(
                r"$(1-\delta)$-quantile of $\max_{ij}|H(0)_{ij} - H^\infty_{ij}|/R_{ij}$",
                q,
                1.0,
                units="ratio to the radius",
                at=f"m = {m}, n = {n}, delta = {delta}",
            ),
            upper(
                r"P($\lambda_{\min}(H(0)) < \lambda_0/2$) at $m^*$, lower confidence bound",
                lo_min,
                delta,
                units="probability",
                at=f"{bad} of {nets} networks, m* = {ms}",
            ),
            lower(
                r"$\lambda_{\min}(H(0))/(\lambda_0/2)$ on the event at $m^*$ (smallest)",
                worst,
                1.0,
                units="ratio",
                at=f"m* = {ms}, lambda_0 = {lam0:.3g}",
            ),
        ),
    )


CLAIMS = (
    Unwitnessed(
        "def-wide-two-layer",
        "a definition; its Jacobian and Gram matrices are witnessed under "
        "lem-wide-two-layer-kernel and prop-wide-hinf",
    ),
    Witness(
        "lem-wide-two-layer-kernel",
        two_layer_kernel_matches_autograd,
        "Two-layer outputs, Jacobian and Gram matrix m^(1-2 gamma) H(W) against torch.func.jacrev",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-wide-hinf",
        hinf_closed_form_and_fluctuations,
        "H^inf and E H^a(0) against Monte Carlo intervals; m E||H(0) - H^inf||_F^2 = sum V_ij; "
        "tangent kernel in (W, a) = H + H^a against torch.func.jacrev",
        strength="exact",
    ),
    Witness(
        "thm-wide-hinf-pd",
        hinf_is_positive_definite,
        "lambda_min(H^inf) above rounding for non-parallel inputs (n > d included); zero for two "
        "inputs on a ray and for six points +-x_k in R^2",
        strength="validity",
        reason="positivity has no constant to pin; the necessity runs show the hypothesis matters",
    ),
    Witness(
        "cor-wide-h0-concentration",
        h0_concentrates,
        "Hoeffding's radius for H(0) - H^inf: failure probability below delta, quantile ratio; "
        "lambda_min(H(0)) >= lambda_0 / 2 at the corollary's width",
        strength="validity",
        reason="Hoeffding's inequality with a union bound over n^2 entries is not attained",
    ),
)
