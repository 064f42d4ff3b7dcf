r"""Witnesses of Sections "The tangent kernel" and "The infinite-width limit": `def-wide-ntk`,
`prop-wide-function-flow`, `thm-wide-ntk-limit`.

Instances: deep ReLU networks in the tangent-kernel parameterisation with random widths and
inputs; the reference derivatives are PyTorch's (`torch.func.jacrev`, `torch.func.jvp`) of an
independent forward pass."""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import wide as wd
from ...registry import Witness
from .._common import (
    Evidence,
    error,
    interval,
    rate,
    relative_error,
    single_threaded,
    slope,
    upper,
)
from .gram import LEVEL, U64, _z


def _torch_forward(X: np.ndarray, c_w: float):
    tX = torch.from_numpy(X)

    def forward(*Ws):
        a = tX
        for l, W in enumerate(Ws):
            z = math.sqrt(c_w / W.shape[1]) * (a @ W.T)
            a = torch.relu(z) if l < len(Ws) - 1 else z
        return a[:, 0]

    return forward


@single_threaded
def deep_tangent_kernel_matches_autograd(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    mlp_output=wd.mlp_output,
    mlp_jacobian=wd.mlp_jacobian,
    mlp_ntk=wd.mlp_ntk,
) -> Evidence:
    r"""Definition `def-wide-ntk`: on 5 random networks (depth $1\le L\le 4$, widths $\le 12$,
    $n\le 5$ inputs, $c_w\in[0.5, 3]$), the library's outputs and $\partial f(x_i)/\partial W^l$
    against `torch.func.jacrev`, and the kernel {eq}`eq-wide-ntk-sum` against $JJ^\top$ of the
    PyTorch Jacobian. Tolerance $4Nu$ relative, with $N$ the total number of parameters plus the
    depth (the length of the longest sum of products)."""
    u = float(np.finfo(dtype).eps) / 2
    e_out = e_jac = e_ntk = 0.0
    tol = 0.0
    for _ in range(5):
        L = int(rng.integers(1, 5))
        widths = np.concatenate([[rng.integers(1, 6)], rng.integers(1, 13, size=L - 1), [1]])
        n, c_w = int(rng.integers(1, 6)), float(rng.uniform(0.5, 3.0))
        X = rng.standard_normal((n, int(widths[0]))).astype(dtype)
        Ws = [W.astype(dtype) for W in wd.mlp_init(widths, rng)]
        forward = _torch_forward(X, c_w)
        tWs = [torch.from_numpy(W) for W in Ws]
        J_ref = [J.numpy() for J in torch.func.jacrev(forward, argnums=tuple(range(L)))(*tWs)]
        Jf = np.concatenate([J.reshape(n, -1).astype(np.float64) for J in J_ref], axis=1)
        e_out = max(e_out, relative_error(mlp_output(X, Ws, c_w), forward(*tWs).numpy()))
        e_jac = max(e_jac, relative_error(mlp_jacobian(X, Ws, c_w), J_ref))
        e_ntk = max(e_ntk, relative_error(mlp_ntk(X, Ws, c_w), Jf @ Jf.T))
        tol = max(tol, 4 * (Jf.shape[1] + L + 2) * u)
    return Evidence(
        5,
        (
            error(r"outputs $f(x_i; \theta)$ against PyTorch", e_out, tol),
            error(r"$\partial f(x_i)/\partial W^l$ against torch.func.jacrev", e_jac, tol),
            error(r"$\Theta_\theta$ against $JJ^\top$ of the PyTorch Jacobian", e_ntk, tol),
        ),
    )


@single_threaded
def function_space_step(
    rng: np.random.Generator, *, mlp_ntk=wd.mlp_ntk, mlp_jacobian=wd.mlp_jacobian
) -> Evidence:
    r"""Proposition `prop-wide-function-flow`: (1) for 4 random networks of depth 3 (one whose
    gradient vanishes, a hidden layer dead on every input, is drawn again) the
    directional derivative of $u$ along $-\nabla\mathcal L$ (`torch.func.jvp`) equals
    $-\Theta(\theta)(u - y)$ with the library's kernel, to rounding ($4Nu$ as in `def-wide-ntk`);
    (2) one step at $\eta = \eta_02^{-k}$, $k = 0, \dots, 5$ ($\eta_0 = 0.02/\|\nabla\mathcal L\|$,
    halved until no pre-activation of a hidden layer vanishes on the segment, which is checked:
    $z^1$ is affine along the segment and $z^2$ quadratic once $z^1$ keeps its signs, so the
    endpoints and the vertex suffice). On such a segment $u$ is a polynomial of degree $3$ in
    $\theta$, so the Hessian $\nabla^2u_i$ is affine along it: the largest operator norm $\beta_i$
    is attained at an endpoint, and the Lagrange remainder is exactly
    $\rho_i = \eta^2\bigl(g^\top\nabla^2u_i(\theta)g/3 + g^\top\nabla^2u_i(\theta^+)g/6\bigr)$
    (integrate $(\eta - s)\,g^\top\nabla^2u_i(\theta - sg)g$). Checked: the measured remainder
    equals this expression with the Hessians of `torch.func.hessian` (tolerance: $8(P + 5)u$ times
    the magnitudes of what cancels: the network on $|X|$ and $|W|$ (every product of the forward
    pass in absolute value) at $\theta$ and $\theta^+$, $|y_i|$, and $\eta\sqrt{\Theta_{ii}}
    \sum_j\sqrt{\Theta_{jj}}|r_j|\ge\eta\sum_j|\Theta_{ij}r_j|$, plus
    $8Pu\,\eta^2\max(\|\nabla^2u_i(\theta)\|_F, \|\nabla^2u_i(\theta^+)\|_F)\|g\|^2$ for the
    quadratic forms, since $|g|^\top|H||g|\le\|H\|_F\|g\|^2$), $|\rho_i|\le\frac{\eta^2}2\beta_i
    \|\nabla\mathcal L\|^2$ with $\beta_i$ the larger Hessian norm at the endpoints (the measured
    $|\rho_i|$ less the same rounding bound), and the fitted
    log–log slope of $\|\rho\|$ against $\eta$ is $2$ (tolerance $0.1$: $\rho$ is
    $c_2\eta^2 + c_3\eta^3$ here)."""
    e_jvp, tol, slopes = 0.0, 0.0, []
    e_rem, q_bound, at_bound = 0.0, 0.0, ""
    for net in range(4):
        for _ in range(100):  # a network whose hidden layer is dead on every input has g = 0
            n, m, d, c_w = 4, int(rng.integers(4, 10)), 3, 2.0
            widths = np.array([d, m, m, 1])
            X = rng.standard_normal((n, d))
            y = rng.standard_normal(n)
            Ws = wd.mlp_init(widths, rng)
            forward = _torch_forward(X, c_w)
            tWs = tuple(torch.from_numpy(W) for W in Ws)
            r = forward(*tWs).numpy() - y
            J = mlp_jacobian(X, Ws, c_w)
            g = [np.einsum("i,ijk->jk", r, Jl) for Jl in J]
            if any(np.any(gl != 0) for gl in g):
                break
        _, du = torch.func.jvp(forward, tWs, tuple(torch.from_numpy(-gl) for gl in g))
        P = sum(W.size for W in Ws)
        e_jvp = max(e_jvp, relative_error(-mlp_ntk(X, Ws, c_w) @ r, du.numpy()))
        tol = max(tol, 4 * (P + 5) * U64)
        gnorm = math.sqrt(sum(float(np.sum(gl * gl)) for gl in g))
        gflat = np.concatenate([gl.ravel() for gl in g])
        shapes = [W.shape for W in Ws]

        def flat_forward(v, shapes=shapes, forward=forward):
            parts, k = [], 0
            for sh in shapes:
                parts.append(v[k : k + sh[0] * sh[1]].reshape(sh))
                k += sh[0] * sh[1]
            return forward(*parts)

        def hessians(Ws_, flat_forward=flat_forward):
            v = torch.from_numpy(np.concatenate([W.ravel() for W in Ws_]))
            return torch.func.hessian(flat_forward)(v).numpy()  # (n, P, P)

        def pre(Ws_, X=X, c_w=c_w):
            a, zs = X, []
            for W in Ws_:
                z = math.sqrt(c_w / W.shape[1]) * (a @ W.T)
                zs.append(z)
                a = np.maximum(z, 0)
            return zs

        def flips(eta, Ws=Ws, g=g, pre=pre):
            at = [pre([W - s * gl for W, gl in zip(Ws, g)]) for s in (0.0, eta / 2, eta)]
            if np.any(np.sign(at[0][0]) != np.sign(at[2][0])):  # z^1 is affine in s
                return True
            # z^2 is quadratic in s: c0 + c1 s + c2 s^2 through the three points
            z0, zh, z1 = at[0][1], at[1][1], at[2][1]
            c2 = 2 * (z1 - 2 * zh + z0) / eta**2
            c1 = (z1 - z0) / eta - c2 * eta
            with np.errstate(divide="ignore", invalid="ignore"):
                sv = np.where(c2 != 0, -c1 / (2 * c2), 0.0)
            inside = (sv > 0) & (sv < eta)
            zv = z0 + c1 * sv + c2 * sv * sv
            return bool(
                np.any(np.sign(z0) != np.sign(z1)) or np.any(inside & (np.sign(zv) != np.sign(z0)))
            )

        eta0 = 0.02 / gnorm
        for _ in range(60):  # a pre-activation exactly 0 (probability 0) would flip at every step
            if not flips(eta0):
                break
            eta0 /= 2
        Theta = mlp_ntk(X, Ws, c_w)
        Theta_r = Theta @ r
        # magnitudes that bound the rounding of what cancels in rho: the network evaluated on
        # |X| and |W| (every product of the forward pass in absolute value), and
        # sum_j |Theta_ij r_j| <= sqrt(Theta_ii) sum_j sqrt(Theta_jj)|r_j| (Cauchy-Schwarz)
        root = np.sqrt(np.maximum(np.diag(Theta), 0.0))
        Theta_r_size = root * (root @ np.abs(r))

        def magnitude(Ws_, X=X, c_w=c_w):
            a = np.abs(X)
            for W in Ws_:
                a = math.sqrt(c_w / W.shape[1]) * (a @ np.abs(W).T)
            return a[:, 0]

        # the Hessian is affine along the segment (u is a polynomial of degree 3 there): two
        # evaluations give it at every point of the longest segment
        H0 = hessians(Ws)
        H1 = hessians([W - eta0 * gl for W, gl in zip(Ws, g)])
        A = np.einsum("p,ipq,q->i", gflat, H0, gflat)
        etas, rho = [], []
        for k in range(6):
            eta = eta0 * 2.0**-k
            if flips(eta):
                continue
            Wp = [W - eta * gl for W, gl in zip(Ws, g)]
            up = forward(*(torch.from_numpy(W) for W in Wp)).numpy()
            rho_i = up - (r + y) + eta * Theta_r
            Hp = H0 + (eta / eta0) * (H1 - H0)
            B = np.einsum("p,ipq,q->i", gflat, Hp, gflat)
            beta = np.maximum(
                np.linalg.norm(H0, 2, axis=(1, 2)), np.linalg.norm(Hp, 2, axis=(1, 2))
            )
            exact = eta * eta * (A / 3 + B / 6)
            # the rounding of g^T H g is at most gamma_P |g|^T|H||g| <= gamma_P ||H||_F ||g||^2
            habs = np.maximum(np.linalg.norm(H0, axis=(1, 2)), np.linalg.norm(Hp, axis=(1, 2)))
            scale = (
                8 * (P + 5) * U64 * (magnitude(Ws) + magnitude(Wp) + np.abs(y) + eta * Theta_r_size)
                + 8 * P * U64 * eta * eta * habs * gnorm * gnorm
            )
            diff = np.abs(rho_i - exact)  # 0 where u_i is locally constant (scale 0 there)
            ratio = np.divide(diff, scale, out=np.zeros_like(diff), where=diff > 0)
            e_rem = max(e_rem, float(np.max(ratio)))
            bnd = eta * eta / 2 * beta * gnorm * gnorm
            # the measured remainder less its rounding (scale): rho_i = 0 if bnd = 0
            q = float(np.max(np.maximum(np.abs(rho_i) - scale, 0) / np.where(bnd > 0, bnd, 1.0)))
            if q > q_bound:
                q_bound, at_bound = q, f"network {net + 1}, eta = {eta:.2e}"
            etas.append(eta)
            rho.append(float(np.linalg.norm(rho_i)))
        slopes.append(slope(np.array(etas), np.array(rho)))
    worst = max(slopes, key=lambda s: abs(s - 2))
    return Evidence(
        4,
        (
            error(
                r"$\frac{d}{d\eta}u(\theta - \eta\nabla\mathcal L)|_0$ vs $-\Theta(u - y)$",
                e_jvp,
                tol,
            ),
            error(
                r"remainder $\rho_i$ vs $\eta^2(g^\top\nabla^2u_i(\theta)g/3 + "
                r"g^\top\nabla^2u_i(\theta^+)g/6)$ (torch.func.hessian)",
                e_rem,
                1.0,
                units="ratio to the rounding bound",
            ),
            upper(
                r"$|\rho_i|/(\frac{\eta^2}2\beta_i\|\nabla\mathcal L\|^2)$ (largest)",
                q_bound,
                1.0,
                units="ratio",
                at=at_bound,
            ),
            rate(r"slope of $\|\rho\|$ against $\eta$ (worst of 4 networks)", worst, 2.0, 0.1),
        ),
    )


@single_threaded
def tangent_kernel_converges(
    rng: np.random.Generator, *, ntk_limit=wd.ntk_limit, mlp_ntk=wd.mlp_ntk
) -> Evidence:
    r"""Theorem `thm-wide-ntk-limit`: (1) depth $L = 2$, width $8$, $c_w = 2$: every entry of
    $\mathbb E\Theta_\theta$ (1000 networks) lies in its Monte Carlo interval around $\Theta^\infty$
    (level $1 - 10^{-6}$, Bonferroni over the entries); $L = 1$: $\Theta_\theta = \Theta^\infty$
    exactly; (2) depth $L = 3$: the root mean square of $\|\Theta_\theta - \Theta^\infty\|_F$ over
    24 networks per hidden width $m = 2^5, \dots, 2^9$ has fitted slope $-\frac12$ (tolerance
    $0.2$, which covers the Monte Carlo error of 24 networks per width): a rate the theorem does
    not assert (it states convergence only), the rate of a mean of $m$ independent terms, checked
    here as an observation."""
    n, d = 4, 3
    X = rng.standard_normal((n, d))
    c_w = 2.0
    e1 = relative_error(mlp_ntk(X, wd.mlp_init(np.array([d, 1]), rng), c_w), ntk_limit(X, 1, c_w))
    runs, m = 1000, 8
    T2 = ntk_limit(X, 2, c_w)
    samples = np.stack(
        [mlp_ntk(X, wd.mlp_init(np.array([d, m, 1]), rng), c_w) for _ in range(runs)]
    )
    iu = np.triu_indices(n)
    est, se = samples.mean(axis=0), samples.std(axis=0, ddof=1) / math.sqrt(runs)
    z = _z(len(iu[0]))
    dev = (np.abs(est - T2) / (z * se))[iu]
    w = int(np.argmax(dev))
    i, j = iu[0][w], iu[1][w]
    T3 = ntk_limit(X, 3, c_w)
    hs = 2 ** np.arange(5, 10)
    rms = [
        math.sqrt(
            np.mean(
                [
                    np.sum((mlp_ntk(X, wd.mlp_init(np.array([d, h, h, 1]), rng), c_w) - T3) ** 2)
                    for _ in range(24)
                ]
            )
        )
        for h in hs
    ]
    return Evidence(
        1 + runs + 24 * len(hs),
        (
            error(r"$L = 1$: $\Theta_\theta$ vs $\Theta^\infty$", e1, 8 * d * U64),
            interval(
                f"$L = 2$, $m = 8$: $\\mathbb E\\Theta_{{{i + 1}{j + 1}}}$ vs $\\Theta^\\infty$ (worst entry)",
                float(est[i, j]),
                float(est[i, j] - z * se[i, j]),
                float(est[i, j] + z * se[i, j]),
                float(T2[i, j]),
                level=LEVEL,
            ),
            rate(
                r"$L = 3$: slope of the rms of $\|\Theta_\theta - \Theta^\infty\|_F$ in the width",
                slope(hs.astype(float), np.array(rms)),
                -0.5,
                0.2,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-wide-ntk",
        deep_tangent_kernel_matches_autograd,
        "Deep ReLU networks: outputs, Jacobians and the tangent kernel against torch.func.jacrev",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-wide-function-flow",
        function_space_step,
        "du/d eta = -Theta (u - y) against torch.func.jvp; one-step remainder equal to its "
        "Lagrange form with torch.func.hessian, below the Hessian bound, of order eta^2",
        strength="validity",
        reason="the Lagrange bound |g^T Hess u_i g| <= beta_i ||g||^2 is attained only when g is a "
        "top eigenvector of the Hessian; the remainder itself is checked exactly",
    ),
    Witness(
        "thm-wide-ntk-limit",
        tangent_kernel_converges,
        "E Theta = Theta^inf at depth 2 (interval), Theta = Theta^inf at depth 1; error slope -1/2 "
        "at depth 3 (observed)",
        strength="cited",
        reason="Jacot, Gabriel and Hongler, Neural tangent kernel, NeurIPS 2018, section 4 "
        "(sequential limit, Lipschitz activations); Arora et al., On exact computation with an "
        "infinitely wide neural net, NeurIPS 2019, section 3 (ReLU, widths growing together); the "
        "slope -1/2 is observed, not part of the theorem",
    ),
)
