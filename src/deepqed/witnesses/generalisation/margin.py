r"""Witnesses of Section "Margins": `lem-gen-spectral-lipschitz`, `thm-gen-margin`,
`thm-gen-spectral-margin`.

References: Jacobians by the chain rule, checked against the complex-step derivative of the
network, and difference quotients of the network itself; a two-class
Gaussian model in which the risk of a linear classifier is a normal tail in closed form; exact
(Clopper–Pearson) intervals for frequencies and order-statistic bounds for quantiles."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ... import generalisation, probability
from ...registry import Witness
from ._common import Evidence, equal, error, gamma, quantile_upper, single_threaded, upper


def _forward(Ws, bs, act, X):
    """Outputs and Jacobians (by the chain rule: W^L D^{L-1} W^{L-1} ... D^1 W^1, D^l the diagonal
    of the activation's derivative) of the network at the rows of X."""
    A = X
    J = np.broadcast_to(np.eye(X.shape[1]), (X.shape[0], X.shape[1], X.shape[1]))
    for l, (W, b) in enumerate(zip(Ws, bs)):
        Z = A @ W.T + b
        J = np.einsum("ij,njk->nik", W, J)
        if l < len(Ws) - 1:
            A, dA = act(Z)
            J = dA[:, :, None] * J
        else:
            A = Z
    return A, J


def _relu(Z):
    return np.maximum(Z, 0), (Z > 0).astype(float)


def _tanh(Z):
    T = np.tanh(Z)
    return T, 1 - T * T


def _identity(Z):
    return Z, np.ones_like(Z)


@single_threaded
def spectral_lipschitz_sharp(
    rng: np.random.Generator,
    *,
    spectral_lipschitz_bound=generalisation.spectral_lipschitz_bound,
) -> Evidence:
    r"""Random networks with ReLU or tanh (1-Lipschitz) hidden layers and biases: the largest
    spectral norm of the Jacobian (chain rule, at 200 random inputs; for tanh, $J_f(x)u$ checked
    against the complex step $\operatorname{Im}f(x + ihu)/h$, $h = 10^{-30}$, whose truncation error
    $O(h^2)$ is nil in floating point and which cancels nothing: both are products of the $W^l$ and
    of factors in $[0, 1]$, each within $\gamma_k\prod_l\||W^l|\|_2\|u\|$ of the exact value, $k$
    the sum of the widths plus three per layer (Higham, *Accuracy and Stability of Numerical
    Algorithms*, 2nd ed., Section 3.5), tolerance twice their sum) and the largest difference quotient $\|f(x) - f(x')\|/\|x - x'\|$ over 200
    random pairs, against $\prod_l\|W^l\|_{\mathrm{op}}$ (``spectral_lipschitz_bound``, checked
    against the singular values computed here); for a linear network with aligned singular vectors,
    $W^l = s_lu_lu_{l-1}^\top$, the Jacobian's norm equals the product (attainment)."""
    worst, n_inst, fd, formula = None, 0, 0.0, 0.0
    for k in range(6):
        L = int(rng.integers(2, 5))
        widths = [int(rng.integers(1, 7)) for _ in range(L + 1)]
        Ws = [rng.standard_normal((widths[l + 1], widths[l])) for l in range(L)]
        bs = [rng.standard_normal(widths[l + 1]) for l in range(L)]
        act = _relu if k % 2 else _tanh
        bound = float(spectral_lipschitz_bound(tuple(Ws)))
        closed = math.prod(float(np.linalg.svd(W, compute_uv=False)[0]) for W in Ws)
        formula = max(formula, abs(bound - closed) / closed)
        X = rng.standard_normal((200, widths[0])) * 2
        F, J = _forward(Ws, bs, act, X)
        jac = float(np.max(np.linalg.norm(J, ord=2, axis=(1, 2))))
        if act is _tanh:  # complex step of the analytic network: no cancellation, O(h^2) = 0
            u = rng.standard_normal(widths[0])
            h = 1e-30
            D = _forward(Ws, bs, act, X + 1j * h * u)[0].imag / h
            k_sum = sum(widths[:-1]) + 3 * L
            scale = math.prod(float(np.linalg.norm(np.abs(W), 2)) for W in Ws)
            scale *= float(np.linalg.norm(u))
            fd = max(fd, float(np.max(np.abs(D - J @ u))) / (4 * gamma(k_sum) * scale))
        X2 = X + rng.standard_normal(X.shape) * rng.uniform(1e-3, 1)
        q = float(
            np.max(
                np.linalg.norm(F - _forward(Ws, bs, act, X2)[0], axis=1)
                / np.linalg.norm(X - X2, axis=1)
            )
        )
        for val in (jac, q):
            if worst is None or val / bound > worst[0] / worst[1]:
                worst = (val, bound, f"widths {tuple(widths)}")
        n_inst += 400
    L = int(rng.integers(2, 5))
    widths = [int(rng.integers(1, 7)) for _ in range(L + 1)]
    us = [rng.standard_normal(w) for w in widths]
    us = [u / np.linalg.norm(u) for u in us]
    s = rng.uniform(0.5, 2, L)
    Ws = [s[l] * np.outer(us[l + 1], us[l]) for l in range(L)]
    _, J = _forward(
        Ws, [np.zeros(w) for w in widths[1:]], _identity, rng.standard_normal((1, widths[0]))
    )
    jac = float(np.linalg.norm(J[0], 2))
    bound = float(spectral_lipschitz_bound(tuple(Ws)))
    return Evidence(
        n_inst + 1,
        (
            upper(
                r"$\max\|J_f(x)\|_{\mathrm{op}}$ and difference quotients against "
                r"$\prod_l\|W^l\|_{\mathrm{op}}$",
                worst[0],
                worst[1],
                slack=1e-12 * worst[1],
                at=worst[2],
            ),
            equal(
                "aligned linear network: Jacobian norm against the product",
                jac,
                bound,
                1e-12 * bound,
                attains=True,
                at=f"widths {tuple(widths)}",
            ),
            error(
                r"chain-rule $J_f(x)u$ against the complex step $\operatorname{Im}f(x + ihu)/h$, "
                r"in units of $4\gamma_k\prod_l\||W^l|\|_2\|u\|$",
                fd,
                1.0,
                units="rounding units",
            ),
            error("spectral_lipschitz_bound against the singular values", formula, 1e-13),
        ),
    )


@single_threaded
def margin_bound_gaussian(
    rng: np.random.Generator, *, margin_bound=generalisation.margin_bound
) -> Evidence:
    r"""Labels $Y = \pm1$ with probability $\frac12$, $X\mid Y\sim N(Y\mu, I_d)$; the classifier
    $f_S(x) = \langle w, x\rangle$ with $w = B\hat\mu/\|\hat\mu\|$, $\hat\mu = \frac1n\sum_iy_ix_i$,
    lies in $\{\langle w, \cdot\rangle : \|w\|\le B\}$, whose Rademacher complexity is at most
    $B\sqrt{(\|\mu\|^2 + d)/n}$ (Jensen), and has risk $\bar\Phi(\langle w, \mu\rangle/\|w\|)$. Over
    600 samples ($n = 2000$, $d = 5$, $B = 1$, $\gamma = \frac12$, $\delta = 0.05$): an
    order-statistic upper bound of the $(1 - \delta)$-quantile of the risk divided by the bound
    $\hat{\mathcal R}_\gamma(f_S) + \frac2\gamma\mathfrak R_n + \sqrt{\log(1/\delta)/2n}$, against 1;
    and a Clopper–Pearson upper bound of the frequency with which the bound fails, against
    $\delta$."""
    n, d, B, gamma_, delta, T = 2000, 5, 1.0, 0.5, 0.05, 600
    mu = rng.standard_normal(d)
    mu *= float(rng.uniform(0.8, 1.5)) / np.linalg.norm(mu)
    complexity = B * math.sqrt((float(mu @ mu) + d) / n)
    term = float(margin_bound(complexity, n, delta, gamma_))
    risk = np.empty(T)
    emp = np.empty(T)
    for t in range(T):
        y = rng.choice([-1.0, 1.0], n)
        X = y[:, None] * mu + rng.standard_normal((n, d))
        mu_hat = (y @ X) / n
        w = B * mu_hat / np.linalg.norm(mu_hat)
        risk[t] = stats.norm.sf(float(w @ mu) / B)
        emp[t] = float(np.mean(y * (X @ w) < gamma_))
    ratio = risk / (emp + term)
    q = quantile_upper(ratio, 1 - delta)
    fails = int(np.sum(risk > emp + term))
    up = float(probability.clopper_pearson(np.array([fails]), T, alpha=2e-6)[1][0])
    return Evidence(
        T,
        (
            upper(
                r"$(1-\delta)$-quantile of $\Pr(Yf_S(X)\le0)/(\hat{\mathcal R}_\gamma + "
                r"\frac2\gamma\mathfrak R_n + \sqrt{\log(1/\delta)/2n})$",
                q,
                1.0,
                units="ratio",
                at="n = 2000, d = 5, gamma = 1/2",
            ),
            upper("probability that the margin bound fails", up, delta, units="probability"),
        ),
    )


@single_threaded
def spectral_complexity_dominates(
    rng: np.random.Generator, *, spectral_complexity=generalisation.spectral_complexity
) -> Evidence:
    r"""The spectral complexity $R_A$ (``spectral_complexity``, reference matrices $0$) against a
    direct evaluation of its formula, and against the largest Jacobian norm of the ReLU network over
    200 random inputs (chain rule): $R_A\ge\prod_l\|A_l\|_{\mathrm{op}}L^{3/2}$ exceeds the
    network's Lipschitz constant by the factor $(\sum_l\|A_l^\top\|_{2,1}^{2/3}/
    \|A_l\|_{\mathrm{op}}^{2/3})^{3/2}\ge L^{3/2}$, which the cited bound pays for covering the
    matrices."""
    worst, formula, n_inst = None, 0.0, 0
    for _ in range(6):
        L = int(rng.integers(2, 5))
        widths = [int(rng.integers(1, 7)) for _ in range(L + 1)]
        Ws = [rng.standard_normal((widths[l + 1], widths[l])) for l in range(L)]
        R = float(spectral_complexity(tuple(Ws)))
        ops = [float(np.linalg.norm(W, 2)) for W in Ws]
        direct = (
            math.prod(ops)
            * sum(
                (float(np.sum(np.linalg.norm(W, axis=1))) / o) ** (2 / 3) for W, o in zip(Ws, ops)
            )
            ** 1.5
        )
        formula = max(formula, abs(R - direct) / direct)
        _, J = _forward(
            Ws, [np.zeros(w) for w in widths[1:]], _relu, rng.standard_normal((200, widths[0]))
        )
        lip = float(np.max(np.linalg.norm(J, ord=2, axis=(1, 2))))
        if worst is None or lip / R > worst[0] / worst[1]:
            worst = (lip, R, f"widths {tuple(widths)}")
        n_inst += 200
    return Evidence(
        n_inst,
        (
            upper(r"largest Jacobian norm against $R_A$", worst[0], worst[1], at=worst[2]),
            error("spectral_complexity against its formula", formula, 1e-12),
        ),
    )


CLAIMS = (
    Witness(
        "lem-gen-spectral-lipschitz",
        spectral_lipschitz_sharp,
        "Jacobian norms by autograd against the product of spectral norms; equality when aligned",
        strength="sharp",
    ),
    Witness(
        "thm-gen-margin",
        margin_bound_gaussian,
        "a linear classifier on Gaussian classes: the gap between risk and margin loss against the bound",
        strength="validity",
        reason="the contraction by 1/gamma, symmetrisation and McDiarmid's worst case are not "
        "attained; the gap quantile is a small fraction of the bound's term",
    ),
    Witness(
        "thm-gen-spectral-margin",
        spectral_complexity_dominates,
        "the spectral complexity against its formula and against measured Lipschitz constants",
        strength="cited",
        reason="P. L. Bartlett, D. J. Foster and M. Telgarsky, Spectrally-normalized margin bounds "
        "for neural networks, Advances in Neural Information Processing Systems 30, 2017, the main "
        "theorem of Section 1 (proved in its Section 3 and appendix)",
    ),
)
