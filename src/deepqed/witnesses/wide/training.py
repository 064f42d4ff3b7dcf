r"""Witnesses of Sections "Linear convergence with small movement" and "Linearised training":
`lem-wide-flow`, `thm-wide-du`, `prop-wide-linearised`.

Instances: the two-layer $\tanh$ and ReLU networks of the chapter on random unit inputs with
targets in $\{-1, 1\}$; gradient flow integrated by the classical Runge–Kutta method (global error
$O(\Delta t^4)$, far below the margins); random Jacobians for the linearised model."""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import expm

from ... import linear
from ... import wide as wd
from ...registry import Witness
from .._common import Evidence, equal, error, rate, single_threaded, slope, upper
from .gram import U64, _signs, _unit


@single_threaded
def kernel_lower_bound_gives_linear_convergence(
    rng: np.random.Generator, *, flow_bounds=wd.flow_bounds, tanh_jacobian=wd.tanh_jacobian
) -> Evidence:
    r"""Lemma `lem-wide-flow`: (1) attained: for a linear model $u = A\theta$ ($A$ random
    $6\times 20$) with $r(0)$ the eigenvector of $AA^\top$ for $\lambda_{\min}$, the exact flow
    $e^{-tAA^\top}r(0)$ (SciPy's `expm`) has $\|r(t)\|/(e^{-\lambda t}\|r(0)\|) = 1$ at
    $t\in\{0.5, 1, 2\}$; part 2 attained: for $u = A\theta$ with $AA^\top = \lambda I$ ($A = \sqrt\lambda$
    times 6 orthonormal rows in $\mathbb R^{20}$, one block, $\beta = \|A\| = \sqrt\lambda$), the exact
    flow $\theta(t) - \theta(0) = -A^\top(AA^\top)^{-1}(I - e^{-tAA^\top})r(0)$ has
    $\|\theta(t) - \theta(0)\| = \beta(1 - e^{-\lambda t})\|r(0)\|/\lambda$ at the same times (both
    ratios to rounding, $64\cdot20u\kappa(AA^\top)$); (2) the two-layer $\tanh$ network ($n = 6$, $d = 8$, $m = 1024$), flow
    integrated on $[0, 2]$ with 200 steps: with $\lambda$ the smallest $\lambda_{\min}(\Theta)$ on the
    grid minus its largest possible drop within $\Delta t/2$ of a grid point
    ($2M\Lambda\cdot M\|r(0)\|\Delta t/2$; instances redrawn until this is positive),
    the residual and the largest per-neuron movement stay below the lemma's bounds (parts 1 and 3),
    within the integration error (twice the difference from the same flow with steps of half
    the size)."""
    A = rng.standard_normal((6, 20))
    lam, Q = np.linalg.eigh(A @ A.T)
    r0 = 1.7 * Q[:, 0]
    att = []
    for t in (0.5, 1.0, 2.0):
        rt = expm(-t * (A @ A.T)) @ r0
        att.append(
            np.linalg.norm(rt) / flow_bounds(float(np.linalg.norm(r0)), float(lam[0]), t, 0.0)[0]
        )
    worst_att = max(att, key=lambda q: abs(q - 1))
    lam_b = float(rng.uniform(0.5, 2.0))
    Qb = np.linalg.qr(rng.standard_normal((20, 6)))[0].T  # orthonormal rows
    Ab = math.sqrt(lam_b) * Qb
    AAb = Ab @ Ab.T
    rb = rng.standard_normal(6)
    att_mv = []
    for t in (0.5, 1.0, 2.0):
        dtheta = -Ab.T @ np.linalg.solve(AAb, rb - expm(-t * AAb) @ rb)
        bound = flow_bounds(float(np.linalg.norm(rb)), lam_b, t, float(np.linalg.norm(Ab, 2)))[1]
        att_mv.append(float(np.linalg.norm(dtheta) / bound))
    worst_mv = max(att_mv, key=lambda q: abs(q - 1))
    n, d, m, T, steps = 6, 8, 1024, 2.0, 200
    dt = T / steps
    for _ in range(20):  # draw until the lemma's hypothesis lambda > 0 is certified
        X = _unit(rng, n, d)
        y = _signs(rng, n)
        W = rng.standard_normal((m, d))
        a = _signs(rng, m)

        def resid(W, X=X, y=y, a=a):
            return np.tanh(X @ W.T) @ a / math.sqrt(m) - y

        def vel(W, X=X, a=a, resid=resid):
            return -np.einsum("i,imd->md", resid(W), tanh_jacobian(X, W, a))

        W0, lams, res, move = W.copy(), [], [], []
        for k in range(steps + 1):
            J = tanh_jacobian(X, W, a).reshape(n, -1)
            lams.append(np.linalg.eigvalsh(J @ J.T)[0])
            res.append(np.linalg.norm(resid(W)))
            move.append(np.sqrt(np.max(np.sum((W - W0) ** 2, axis=1))))
            if k < steps:
                k1 = vel(W)
                k2 = vel(W + dt / 2 * k1)
                k3 = vel(W + dt / 2 * k2)
                k4 = vel(W + dt * k3)
                W = W + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        M, Lam = wd.lazy_constants(X, m)
        # every time is within dt/2 of a grid point, where the speed is at most M ||r(0)||
        lam_low = min(lams) - 2 * M * Lam * M * res[0] * dt / 2
        if lam_low > 0:
            break
    # the integration error, estimated by step doubling: the same flow with steps of dt/2,
    # compared on the grid (RK4's global error is O(dt^4): twice the difference bounds it)
    W, fine_res, fine_move = W0.copy(), [res[0]], [0.0]
    for k in range(2 * steps):
        k1 = vel(W)
        k2 = vel(W + dt / 4 * k1)
        k3 = vel(W + dt / 4 * k2)
        k4 = vel(W + dt / 2 * k3)
        W = W + dt / 12 * (k1 + 2 * k2 + 2 * k3 + k4)
        if k % 2 == 1:
            fine_res.append(np.linalg.norm(resid(W)))
            fine_move.append(np.sqrt(np.max(np.sum((W - W0) ** 2, axis=1))))
    err_r = 2 * np.abs(np.array(fine_res) - np.array(res))
    err_m = 2 * np.abs(np.array(fine_move) - np.array(move))
    beta = np.linalg.norm(X) / math.sqrt(m)
    t = np.linspace(0, T, steps + 1)
    bnd = np.array([flow_bounds(res[0], lam_low, float(s), beta) for s in t])
    ratio_r = (np.array(res)[1:] - err_r[1:]) / bnd[1:, 0]
    ratio_m = (np.array(move)[1:] - err_m[1:]) / bnd[1:, 1]
    kr, km = int(np.argmax(ratio_r)) + 1, int(np.argmax(ratio_m)) + 1
    return Evidence(
        4,
        (
            equal(
                r"linear model, $r(0)$ bottom eigenvector: $\|r(t)\|/(e^{-\lambda t}\|r(0)\|)$",
                float(worst_att),
                1.0,
                64 * 20 * U64 * float(lam[-1] / lam[0]),
                units="ratio",
                attains=True,
            ),
            equal(
                r"linear model, $AA^\top = \lambda I$: $\|\theta(t) - \theta(0)\|/"
                r"(\beta(1 - e^{-\lambda t})\|r(0)\|/\lambda)$",
                float(worst_mv),
                1.0,
                64 * 20 * U64 * float(np.linalg.cond(AAb)),
                units="ratio",
                attains=True,
            ),
            upper(
                r"$\tanh$ network: $\|r(t)\|$ vs $e^{-\lambda t}\|r(0)\|$",
                float(res[kr]),
                float(bnd[kr, 0]),
                slack=float(err_r[kr]),
                at=f"t = {t[kr]:.2f}, lambda = {lam_low:.3g}, m = {m}",
            ),
            upper(
                r"$\tanh$ network: $\max_r\|w_r(t) - w_r(0)\|$ vs $\beta(1 - e^{-\lambda t})\|r(0)\|/\lambda$",
                float(move[km]),
                float(bnd[km, 1]),
                slack=float(err_m[km]),
                at=f"t = {t[km]:.2f}, m = {m}",
            ),
        ),
    )


@single_threaded
def wide_two_layer_gd_converges(
    rng: np.random.Generator,
    *,
    two_layer_gd=wd.two_layer_gd,
    h_infinity=wd.h_infinity,
    du_movement_bound=wd.du_movement_bound,
) -> Evidence:
    r"""Theorem `thm-wide-du`, outside its hypotheses: $n = 8$ unit inputs in $\mathbb R^{16}$,
    targets $\pm1$, 100 steps of gradient descent with $\eta = 1/\lambda_{\max}(H^\infty)$ (far
    above $\lambda_0/n^2$) at widths $m = 2^9, \dots, 2^{13}$ (far below
    $n^6/(\lambda_0^4\delta^3)$), from the symmetric initialisation $w_{r + m/2} = w_r$,
    $a_{r + m/2} = -a_r$ (each neuron $N(0, I_d)$, $u(0) = 0$, so that the runs at different
    widths start from the same outputs and the fitted slope is not blurred by the random
    $u(0)$): the loss stays below $(1 - \eta\lambda_0/2)^k\|u(0) - y\|^2$,
    the largest per-neuron movement below $4\sqrt n\|u(0) - y\|/(\sqrt m\lambda_0)$, and the root
    mean square movement $\|W(K) - W(0)\|_F/\sqrt m$ has fitted slope $-\frac12$ in $m$ (tolerance
    $0.1$)."""
    n, d, K = 8, 16, 100
    X = _unit(rng, n, d)
    y = _signs(rng, n)
    lam = np.linalg.eigvalsh(h_infinity(X))
    lam0, eta = float(lam[0]), float(1 / lam[-1])
    ms = 2 ** np.arange(9, 14)
    env, mv, rms = [], [], []
    for m in ms:
        V, s = rng.standard_normal((int(m) // 2, d)), _signs(rng, int(m) // 2)
        W0, a = np.concatenate([V, V]), np.concatenate([s, -s])  # symmetric: u(0) = 0
        run = two_layer_gd(X, y, W0, a, eta, K)
        loss = np.sum((run.U - y) ** 2, axis=1)
        env.append(
            float(np.max(loss[1:] / (loss[0] * (1 - eta * lam0 / 2) ** np.arange(1, K + 1))))
        )
        r0 = float(np.sqrt(loss[0]))
        mv.append(float(run.movement.max() / du_movement_bound(n, int(m), r0, lam0)))
        rms.append(float(np.linalg.norm(run.W - W0) / math.sqrt(m)))
    ke, km = int(np.argmax(env)), int(np.argmax(mv))
    width = wd.du_width(n, lam0, 0.1)
    return Evidence(
        len(ms),
        (
            upper(
                r"$\max_k\|u(k) - y\|^2/((1 - \eta\lambda_0/2)^k\|u(0) - y\|^2)$",
                env[ke],
                1.0,
                units="ratio",
                at=f"m = {ms[ke]}; the theorem asks m > {width:.1e} (times a constant)",
            ),
            upper(
                r"$\max_r\|w_r(k) - w_r(0)\|/(4\sqrt n\|u(0) - y\|/(\sqrt m\lambda_0))$",
                mv[km],
                1.0,
                units="ratio",
                at=f"m = {ms[km]}",
            ),
            rate(
                r"slope of $\|W(K) - W(0)\|_F/\sqrt m$ in $m$",
                slope(ms.astype(float), np.array(rms)),
                -0.5,
                0.1,
            ),
        ),
    )


@single_threaded
def linearised_training_closed_form(
    rng: np.random.Generator,
    *,
    linearised_residuals=wd.linearised_residuals,
    linearised_predictions=wd.linearised_predictions,
    kernel_regression_limit=wd.kernel_regression_limit,
) -> Evidence:
    r"""Proposition `prop-wide-linearised`: for a random Jacobian $J$ ($n = 6$, $P = 30$), test
    Jacobian ($p = 4$) and step $\eta = 1/\lambda_{\max}$, the residuals of 60 steps of the
    gradient-descent loop in parameter space and the test outputs after 60 steps equal the
    closed forms to rounding (tolerance $8(K + 1)(P + n)u\,\|r_0\|$, the accumulated rounding of a
    loop of non-expansive steps); the kernel-regression limit equals the outputs of chapter 3's
    minimum-norm solution (`linear.min_norm_least_squares`) and the closed form at $k = 10^6$;
    necessity: for $\eta = 2.2/\lambda_{\max}$ the loop's residual grows by exactly
    $|1 - \eta\lambda_{\max}|^K$ along the top eigenvector."""
    n, P, p, K = 6, 30, 4, 60
    J = rng.standard_normal((n, P)) / math.sqrt(P)
    Jt = rng.standard_normal((p, P)) / math.sqrt(P)
    u0, y, f0 = rng.standard_normal(n), rng.standard_normal(n), rng.standard_normal(p)
    Theta, Theta_test = J @ J.T, Jt @ J.T
    lam, Q = np.linalg.eigh(Theta)
    eta = float(1 / lam[-1])
    r0 = u0 - y
    theta = np.zeros(P)
    loop = [r0]
    for _ in range(K):
        theta = theta - eta * J.T @ loop[-1]
        loop.append(u0 + J @ theta - y)
    closed = linearised_residuals(Theta, r0, eta, K)
    tol = 8 * (K + 1) * (P + n) * U64
    e_res = float(np.max(np.linalg.norm(closed - np.array(loop), axis=1)) / np.linalg.norm(r0))
    pred = linearised_predictions(Theta_test, Theta, f0, r0, eta, K)
    e_pred = float(np.linalg.norm(pred - (f0 + Jt @ theta)) / np.linalg.norm(r0))
    limit = kernel_regression_limit(Theta_test, Theta, f0, r0)
    mn = f0 + Jt @ linear.min_norm_least_squares(J, y - u0)
    kappa = float(lam[-1] / lam[0])
    e_mn = float(np.linalg.norm(limit - mn) / np.linalg.norm(r0))
    e_inf = float(
        np.linalg.norm(limit - linearised_predictions(Theta_test, Theta, f0, r0, eta, 10**6))
        / np.linalg.norm(r0)
    )
    eta_bad = 2.2 / float(lam[-1])
    rk = r0.copy()
    theta = np.zeros(P)
    for _ in range(K):
        theta = theta - eta_bad * J.T @ rk
        rk = u0 + J @ theta - y
    growth = abs(float(Q[:, -1] @ rk) / float(Q[:, -1] @ r0))
    return Evidence(
        1,
        (
            error(
                r"residuals $r_k$, loop vs $(I - \eta\Theta)^kr_0$",
                e_res,
                tol,
                units="relative to ||r_0||",
            ),
            error(
                r"test outputs after $K$ steps, loop vs closed form",
                e_pred,
                tol,
                units="relative to ||r_0||",
            ),
            error(
                "kernel-regression limit vs minimum-norm solution",
                e_mn,
                64 * kappa * (P + n) * U64,
                units="relative to ||r_0||",
            ),
            error(
                r"kernel-regression limit vs closed form at $k = 10^6$",
                e_inf,
                64 * kappa * (P + n) * U64,
                units="relative to ||r_0||",
            ),
            equal(
                r"$\eta = 2.2/\lambda_{\max}$: growth along the top eigenvector vs $|1 - \eta\lambda_{\max}|^K$",
                growth,
                abs(1 - eta_bad * float(lam[-1])) ** K,
                8
                * (K + 1)
                * (P + n)
                * U64
                * abs(1 - eta_bad * float(lam[-1])) ** K
                * float(np.linalg.norm(r0) / abs(Q[:, -1] @ r0)),
            ),
        ),
    )


CLAIMS = (
    Witness(
        "lem-wide-flow",
        kernel_lower_bound_gives_linear_convergence,
        "Linear model: the rate e^(-lambda t) and the movement bound attained; tanh network: "
        "residual and per-neuron movement below the lemma's bounds along the flow",
        strength="sharp",
    ),
    Witness(
        "thm-wide-du",
        wide_two_layer_gd_converges,
        "Gradient descent at widths 2^9..2^13: loss envelope, movement bound, movement slope -1/2",
        strength="cited",
        reason="Du, Zhai, Poczos and Singh, Gradient descent provably optimizes over-parameterized "
        "neural networks, ICLR 2019, section 4",
    ),
    Witness(
        "prop-wide-linearised",
        linearised_training_closed_form,
        "Linearised gradient descent: loop vs (I - eta Theta)^k to rounding; limit = minimum-norm "
        "solution; divergence above 2/lambda_max at the exact rate",
        strength="exact",
    ),
)
