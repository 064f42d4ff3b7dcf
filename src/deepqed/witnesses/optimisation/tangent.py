r"""Witnesses of Section "Wide networks satisfy PL*": `def-opt-tangent-kernel`,
`prop-opt-pl-star`, `thm-opt-pl-star-ball`, `cor-opt-wide`.

Instances: the two-layer $\tanh$ model $F_i(W) = N^{-1/2}\sum_ja_j\tanh(w_j^\top x_i)$ with unit
inputs, $W_0$ with standard normal entries and random signs $a$; Jacobians, gradients and
Hessians from ``torch.autograd``; the constants of Corollary `cor-opt-wide` from their closed forms."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import optimisation
from ...registry import Witness
from .._common import Evidence, equal, error, lower, relative_error, single_threaded, upper

U64 = np.finfo(np.float64).eps


def _instance(rng: np.random.Generator, m: int, d: int, N: int, dtype=np.float64):
    X = rng.standard_normal((m, d))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    W = rng.standard_normal((N, d))
    a = rng.choice([-1.0, 1.0], size=N)
    return X.astype(dtype), W.astype(dtype), a.astype(dtype)


def _torch_outputs(W: torch.Tensor, a: torch.Tensor, X: torch.Tensor) -> torch.Tensor:
    return torch.tanh(X @ W.T) @ a / math.sqrt(W.shape[0])


@single_threaded
def tangent_kernel_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype=np.dtype(np.float64),
    two_layer_jacobian=optimisation.two_layer_jacobian,
    tangent_kernel=optimisation.tangent_kernel,
) -> Evidence:
    r"""$DF(W)$ of the library against ``torch.autograd.functional.jacobian`` of $F$ (flattened row by row), and
    $K(W)$ against $J J^\top$ with torch's $J$, in the dtype of the run."""
    u = np.finfo(dtype).eps
    jac, ker = [], []
    n_inst = 8
    for _ in range(n_inst):
        m, d, N = int(rng.integers(1, 7)), int(rng.integers(1, 6)), int(rng.integers(1, 40))
        X, W, a = _instance(rng, m, d, N, dtype)
        Wt, at, Xt = (torch.from_numpy(v) for v in (W, a, X))
        J = torch.autograd.functional.jacobian(lambda w: _torch_outputs(w, at, Xt), Wt)
        J = J.reshape(m, N * d).numpy()
        jac.append(relative_error(two_layer_jacobian(W, a, X), J))
        ker.append(relative_error(tangent_kernel(W, a, X), J @ J.T))
    # tanh, tanh' and the sums over N <= 40 units and d <= 5 coordinates: a few dozen u
    return Evidence(
        n_inst,
        (
            error("$DF(W)$ vs torch autograd", max(jac), 64 * u),
            error("$K(W)$ vs $JJ^\\top$ (torch's $J$)", max(ker), 64 * u * 40),
        ),
    )


def _loss_and_grad(W, a, X, y):
    Wr = torch.from_numpy(W).requires_grad_(True)
    r = _torch_outputs(Wr, torch.from_numpy(a), torch.from_numpy(X)) - torch.from_numpy(y)
    loss = 0.5 * torch.sum(r * r)
    (g,) = torch.autograd.grad(loss, Wr)
    return float(loss.detach()), g.numpy()


@single_threaded
def pl_star_from_the_smallest_eigenvalue(
    rng: np.random.Generator, *, tangent_kernel=optimisation.tangent_kernel
) -> Evidence:
    r"""Proposition `prop-opt-pl-star`: $\frac12\|\nabla\mathcal L(W)\|^2\ge\lambda_{\min}(K(W))
    \mathcal L(W)$ with the gradient from torch autograd, at random $(W, y)$ (bound); with
    equality when $F(W) - y$ is an eigenvector of $\lambda_{\min}$ (attained); and
    $\lambda_{\min}(K) = 0$ when $Nd < m$ (more data than parameters)."""
    worst, attain, deficient = math.inf, [], 0.0
    n_inst = 12
    done = 0
    while done < n_inst:
        m = int(rng.integers(2, 7))
        X, W, a = _instance(rng, m, m + 2, int(rng.integers(m, 60)))
        lam, V = np.linalg.eigh(tangent_kernel(W, a, X))
        if lam[-1] > 1e4 * lam[0]:  # keep kappa(K) <= 1e4 so that the tolerance below holds
            continue
        done += 1
        F = optimisation.two_layer_outputs(W, a, X)
        loss, g = _loss_and_grad(W, a, X, rng.standard_normal(m))
        worst = min(worst, 0.5 * float(np.sum(g * g)) / (lam[0] * loss))
        loss, g = _loss_and_grad(W, a, X, F - V[:, 0] * rng.uniform(0.5, 2.0))
        attain.append(0.5 * float(np.sum(g * g)) / (lam[0] * loss))
        Xs, Ws, as_ = _instance(rng, int(rng.integers(5, 9)), 2, 2)  # N d = 4 < m
        Ks = tangent_kernel(Ws, as_, Xs)
        deficient = max(deficient, abs(float(np.linalg.eigvalsh(Ks)[0])) / float(np.trace(Ks)))
    # the Rayleigh quotient of a computed eigenvector: relative error <= ~m u kappa(K)
    # <= 8 * 7 u 1e4 < 1e-10; the loss and gradient add a few u
    tol = 1e-9
    return Evidence(
        2 * n_inst,
        (
            lower(
                r"$\frac12\|\nabla\mathcal L\|^2/(\lambda_{\min}(K)\mathcal L)$, min",
                worst,
                1.0,
                slack=tol,
                units="ratio",
            ),
            equal(
                r"the same ratio with $F - y$ along the bottom eigenvector",
                max(attain, key=lambda r: abs(r - 1)),
                1.0,
                tol,
                units="ratio",
                attains=True,
            ),
            error(
                r"$\lambda_{\min}(K)/\operatorname{tr}K$ when $Nd < m$",
                deficient,
                64 * U64,
                units="relative to tr K",
            ),
        ),
    )


@single_threaded
def wide_network_converges_linearly(
    rng: np.random.Generator,
    *,
    wide_constants=optimisation.wide_constants,
    train_two_layer=optimisation.train_two_layer,
) -> Evidence:
    r"""Theorem `thm-opt-pl-star-ball` on certified instances: $m = 4$ unit inputs in
    $\mathbb R^8$, width $N = 1024$, targets $y = F(W_0) + \delta$ with $\|\delta\|$ chosen so
    that $N\ge 2N^\ast$ (Corollary `cor-opt-wide`: then $R\le\rho$ and the hypotheses hold with
    $\mu = \mu_0/2$, $\beta$, $\kappa_F$); gradient descent with $\eta = 1/\beta$ for 150 steps.
    Checked along the run: $\mathcal L(W_t)\le(1 - \mu/\beta)^t\mathcal L_0$,
    $\|W_t - W_0\|\le R$, and PL* with $\mu$ at every iterate."""
    loss_ratio, dist_ratio, pl_ratio = 0.0, 0.0, math.inf
    n_inst = 2
    for _ in range(n_inst):
        X, W, a = _instance(rng, 4, 8, 1024)
        F = optimisation.two_layer_outputs(W, a, X)
        delta = rng.standard_normal(4)
        c1 = wide_constants(W, a, X, F + delta)
        # N* is proportional to L_0 = |delta|^2/2: scale delta so that N = 2 N*
        delta *= math.sqrt(W.shape[0] / (2 * c1.width_threshold))
        c = wide_constants(W, a, X, F + delta)
        mu, beta = c.mu0 / 2, c.beta
        run = train_two_layer(W, a, X, F + delta, 1.0 / beta, 150)
        bound = (1 - mu / beta) ** np.arange(151) * c.loss0
        loss_ratio = max(loss_ratio, float(np.max(run.loss[1:] / bound[1:])))
        dist_ratio = max(dist_ratio, float(run.distance.max()) / c.R)
        pos = run.loss > 0
        pl_ratio = min(pl_ratio, float(np.min(0.5 * run.grad_sq[pos] / (mu * run.loss[pos]))))
        assert c.certified
    return Evidence(
        n_inst,
        (
            upper(
                r"$\mathcal L(W_t)/((1 - \mu/\beta)^t\mathcal L_0)$, max over $t\ge1$",
                loss_ratio,
                1.0,
                units="ratio",
            ),
            upper(r"$\max_t\|W_t - W_0\|/R$", dist_ratio, 1.0, units="ratio"),
            lower(
                r"$\frac12\|\nabla\mathcal L\|^2/(\mu\mathcal L)$ along the run, min",
                pl_ratio,
                1.0,
                units="ratio",
            ),
        ),
    )


@single_threaded
def wide_network_constants_hold(
    rng: np.random.Generator, *, wide_constants=optimisation.wide_constants
) -> Evidence:
    r"""Corollary `cor-opt-wide`: (a) $\|K(W) - K(W_0)\|_{\mathrm{op}}\le L_K\|W - W_0\|_F$ at
    20 random points $W$ of $B(W_0, \rho)$ per instance (random directions and radii); (b) $\|\nabla^2\mathcal L(W)\|_{\mathrm{op}}\le\beta$ (torch Hessian) at
    points of $B(W_0, \rho)$; (c) $\lambda_{\min}(K(W))\ge\mu_0/2$ there; (d) the closed form of
    $N^\ast$: $R\le\rho$ exactly when $N\ge N^\ast$. Necessity: with $Nd < m$,
    $\lambda_{\min}(K)\equiv 0$ and the PL quotient vanishes along gradient descent."""
    lip, hess, eig, thr = 0.0, 0.0, math.inf, 0.0
    n_inst = 3
    for _ in range(n_inst):
        N = 16
        X, W0, a = _instance(rng, 3, 4, N)
        y = rng.standard_normal(3)
        c = wide_constants(W0, a, X, y)
        K0 = optimisation.tangent_kernel(W0, a, X)
        for _ in range(20):
            D = rng.standard_normal(W0.shape)
            D *= rng.uniform(0.01, 1.0) * c.rho / np.linalg.norm(D)
            W = W0 + D
            K = optimisation.tangent_kernel(W, a, X)
            lip = max(lip, float(np.linalg.norm(K - K0, 2)) / (c.lip_K * np.linalg.norm(D)))
            eig = min(eig, float(np.linalg.eigvalsh(K)[0]) / (c.mu0 / 2))
        for _ in range(3):
            D = rng.standard_normal(W0.shape)
            W = W0 + D * rng.uniform(0.1, 1.0) * c.rho / np.linalg.norm(D)
            Wt, at, Xt, yt = (torch.from_numpy(v) for v in (W, a, X, y))
            H = torch.autograd.functional.hessian(
                lambda w: 0.5 * torch.sum((_torch_outputs(w.reshape(W.shape), at, Xt) - yt) ** 2),
                Wt.reshape(-1),
            ).numpy()
            hess = max(hess, float(np.abs(np.linalg.eigvalsh(H)).max()) / c.beta)
        thr = max(thr, abs((c.R <= c.rho) - (N >= c.width_threshold)))
    # necessity: a repeated input with two targets. K(W) has e_1 - e_2 in its kernel for every W
    # and every width, and L(W) >= (y_1 - y_2)^2/4 for every W: no linear convergence to 0
    Xd, Wd, ad = _instance(rng, 4, 8, 256)
    Xd[1] = Xd[0]
    yd = optimisation.two_layer_outputs(Wd, ad, Xd) + rng.standard_normal(4)
    Kd = optimisation.tangent_kernel(Wd, ad, Xd)
    kernel_zero = abs(float(np.linalg.eigvalsh(Kd)[0])) / float(np.trace(Kd))
    run = optimisation.train_two_layer(Wd, ad, Xd, yd, 0.2, 300)
    floor = (yd[0] - yd[1]) ** 2 / 4
    return Evidence(
        n_inst + 1,
        (
            upper(
                r"$\|K(W) - K(W_0)\|_{\mathrm{op}}/(L_K\|W - W_0\|_F)$, max",
                lip,
                1.0,
                units="ratio",
            ),
            upper(
                r"$\|\nabla^2\mathcal L\|_{\mathrm{op}}/\beta$ on $B(W_0, \rho)$, max",
                hess,
                1.0,
                units="ratio",
            ),
            lower(
                r"$\lambda_{\min}(K(W))/(\mu_0/2)$ on $B(W_0, \rho)$, min", eig, 1.0, units="ratio"
            ),
            equal(r"$[R\le\rho]$ vs $[N\ge N^\ast]$ (disagreements)", thr, 0.0, 0.0),
            error(
                r"necessity (repeated input): $\lambda_{\min}(K)/\operatorname{tr}K$",
                kernel_zero,
                64 * U64,
                units="relative to tr K",
            ),
            lower(
                r"necessity: $\mathcal L(W_{300})$ vs the floor $(y_1 - y_2)^2/4$",
                float(run.loss[-1]),
                floor,
                slack=1e-12 * floor,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-opt-tangent-kernel",
        tangent_kernel_matches_autograd,
        "DF(W) of the two-layer tanh model against torch.autograd.functional.jacobian, and K(W) "
        "against J J^T",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-opt-pl-star",
        pl_star_from_the_smallest_eigenvalue,
        "(1/2)||grad L||^2 >= lambda_min(K) L with autograd gradients, equality along the bottom "
        "eigenvector; lambda_min(K) = 0 when N d < m",
        strength="sharp",
    ),
    Witness(
        "thm-opt-pl-star-ball",
        wide_network_converges_linearly,
        "Certified instances (N >= 2 N*): loss <= (1 - mu/beta)^t L_0, distance <= R, PL* along "
        "gradient descent with step 1/beta",
        strength="validity",
        reason="the rate combines the descent lemma with the worst-case curvature bound beta and "
        "the PL* constant mu = mu_0/2 of the whole ball; along a run the loss decays faster",
    ),
    Witness(
        "cor-opt-wide",
        wide_network_constants_hold,
        "The kernel's Lipschitz constant, the Hessian bound beta and lambda_min >= mu_0/2 on the "
        "ball; N* in closed form; a repeated input gives lambda_min = 0 and a loss floor",
        strength="validity",
        reason="L_K and beta are worst-case constants (Cauchy-Schwarz over the units and the data); "
        "measured ratios are far below 1",
    ),
)
