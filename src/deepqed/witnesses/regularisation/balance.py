r"""Witnesses of Section "Conserved quantities of homogeneous networks": `lem-reg-euler`,
`thm-reg-balanced`, `cor-reg-linear-balanced`, `prop-reg-balanced-gd`.

Instances: chapter 6's networks (``nn.Architecture``) of depth 2 to 4, widths 1 to 5, random
weights and nonzero biases, random inputs and targets, the squared error. Gradients come from torch
autograd (independent of chapter 6's backpropagation) or from ``nn.loss_and_gradient``; flows are
integrated by SciPy's ``DOP853``, whose error is estimated a posteriori by integrating twice, at
two relative tolerances three orders apart ($10^{-7}$ and $10^{-10}$ for the theorem, $10^{-8}$ and
$10^{-11}$ for the corollary), and allowing ten times the difference. Flows of ReLU networks are not
integrated (see the theorem's witness). Necessity: for $\tanh$ (not Euler) the same quantities
change, by exactly the amount the lemma's defect term predicts.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.integrate import solve_ivp

from ... import nn
from ... import regularisation as reg
from ...nn.activations import LEAKY_RELU_ALPHA
from ...registry import Witness
from .._common import Evidence, error, single_threaded

U64 = float(np.finfo(np.float64).eps) / 2
EULER = ("identity", "relu", "leaky_relu")
_TORCH = {
    "identity": lambda z: z,
    "relu": torch.relu,
    "leaky_relu": lambda z: torch.nn.functional.leaky_relu(z, LEAKY_RELU_ALPHA),
    "tanh": torch.tanh,
}


def _network(rng: np.random.Generator, hidden: tuple[str, ...], m: int = 6):
    L = len(hidden) + 1
    widths = tuple(int(w) for w in rng.integers(1, 6, size=L + 1))
    arch = nn.Architecture(widths, (*hidden, "identity"))
    theta = nn.init_parameters(arch, rng=rng)
    theta = nn.Parameters(theta.W, tuple(0.5 * rng.standard_normal(w) for w in widths[1:]))
    X = rng.standard_normal((m, widths[0]))
    Y = rng.standard_normal((m, widths[-1]))
    return arch, theta, X, Y


def _torch_gradient(arch, theta, X, Y):
    """Gradient of chapter 6's mean squared error by torch autograd, and G^l = dL/dA^l, Z^l."""
    Ws = [torch.tensor(W, requires_grad=True) for W in theta.W]
    bs = [torch.tensor(b, requires_grad=True) for b in theta.b]
    A = torch.tensor(X)
    Zs, As = [], []
    for l, (W, b) in enumerate(zip(Ws, bs)):
        Z = A @ W.T + b
        A = _TORCH[arch.activations[l]](Z)
        A.retain_grad()
        Zs.append(Z)
        As.append(A)
    loss = 0.5 * ((A - torch.tensor(Y)) ** 2).sum() / X.shape[0]
    loss.backward()
    grad = nn.Parameters(tuple(W.grad.numpy() for W in Ws), tuple(b.grad.numpy() for b in bs))
    return (
        grad,
        [Z.detach().numpy() for Z in Zs],
        [A.grad.numpy() for A in As],
        [A.detach().numpy() for A in As],
    )


def _sides(theta, grad, l):
    """Both sides of lem-reg-euler for every unit of layer l + 1 (0-based l), and their scale."""
    W, b, W2 = theta.W[l], theta.b[l], theta.W[l + 1]
    dW, db, dW2 = grad.W[l], grad.b[l], grad.W[l + 1]
    lhs = np.sum(dW * W, axis=1) + db * b
    rhs = np.sum(dW2 * W2, axis=0)
    scale = np.sum(np.abs(dW * W), axis=1) + np.abs(db * b) + np.sum(np.abs(dW2 * W2), axis=0)
    return lhs, rhs, scale


def _defect_size(activation: str, Z: np.ndarray, G: np.ndarray) -> np.ndarray:
    r"""$\sum_i|G_{ij}|(|\sigma'(Z_{ij})Z_{ij}| + |\sigma(Z_{ij})|)$ for $\tanh$ (0 for Euler): the
    magnitude that bounds the rounding of the defect (its terms cancel for small $Z$)."""
    if activation != "tanh":
        return np.zeros(Z.shape[1])
    t = np.tanh(Z)
    return np.sum(np.abs(G) * (np.abs((1 - t * t) * Z) + np.abs(t)), axis=0)


def _defect(activation: str, Z: np.ndarray, G: np.ndarray) -> np.ndarray:
    r"""$\sum_iG_{ij}(\sigma'(Z_{ij})Z_{ij} - \sigma(Z_{ij}))$ for $\tanh$ (and $0$ for Euler)."""
    if activation != "tanh":
        return np.zeros(Z.shape[1])
    t = np.tanh(Z)
    return np.sum(G * ((1 - t * t) * Z - t), axis=0)


@single_threaded
def euler_identity_holds(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient
) -> Evidence:
    r"""Lemma `lem-reg-euler`: for networks with hidden activations drawn from identity, ReLU and
    leaky ReLU, torch autograd's gradients satisfy
    $\langle\mathrm dW^l_{j,:}, W^l_{j,:}\rangle + \mathrm db^l_jb^l_j = \langle\mathrm dW^{l+1}_{:,j},
    W^{l+1}_{:,j}\rangle$ for every hidden unit, to rounding ($8(mn_{\max}L + n_{\max})u$ times the sum
    of the absolute values of the products); and chapter 6's ``loss_and_gradient`` does too. For
    $\tanh$ the difference equals the defect $\sum_iG^l_{ij}(\sigma'(Z^l_{ij})Z^l_{ij} -
    \sigma(Z^l_{ij}))$, which is not small (necessity); its tolerance adds to the sum the magnitude
    $\sum_i|G^l_{ij}|(|\sigma'(Z^l_{ij})Z^l_{ij}| + |\sigma(Z^l_{ij})|)$ that bounds the defect's own
    rounding."""
    worst_torch, worst_ch6, worst_tanh, defect_size = 0.0, 0.0, 0.0, 0.0
    for trial in range(8):
        depth = int(rng.integers(2, 5))
        tanh = trial >= 6
        hidden = tuple("tanh" if tanh else EULER[int(rng.integers(0, 3))] for _ in range(depth - 1))
        arch, theta, X, Y = _network(rng, hidden)
        grad, Zs, Gs, _ = _torch_gradient(arch, theta, X, Y)
        _, grad6 = loss_and_gradient(arch, theta, X, Y)
        tol = 8 * (X.shape[0] * max(arch.widths) * depth + max(arch.widths)) * U64
        for l in range(depth - 1):
            lhs, rhs, scale = _sides(theta, grad, l)
            d = _defect(hidden[l], Zs[l], Gs[l])
            d_size = _defect_size(hidden[l], Zs[l], Gs[l])
            err = np.max(np.abs(lhs - rhs - d) / (scale + d_size + 1e-300) / tol)
            if tanh:
                worst_tanh = max(worst_tanh, float(err))
                defect_size = max(defect_size, float(np.max(np.abs(d) / scale)))
            else:
                worst_torch = max(worst_torch, float(err))
                lhs6, rhs6, scale6 = _sides(theta, grad6, l)
                worst_ch6 = max(
                    worst_ch6, float(np.max(np.abs(lhs6 - rhs6) / (scale6 + 1e-300) / tol))
                )
    return Evidence(
        8,
        (
            error(
                "Euler activations, torch autograd: identity defect over rounding bound",
                worst_torch,
                1.0,
                units="ratio",
            ),
            error(
                "Euler activations, chapter 6's backprop: defect over rounding bound",
                worst_ch6,
                1.0,
                units="ratio",
            ),
            error(
                f"necessity: tanh, sides differ by the defect term (largest defect {defect_size:.2f} "
                "of the scale); error over rounding bound",
                worst_tanh,
                1.0,
                units="ratio",
            ),
        ),
    )


def _flatten(theta):
    return np.concatenate([np.ravel(a) for a in (*theta.W, *theta.b)])


def _unflatten(vec, arch):
    w, W, b, k = arch.widths, [], [], 0
    for l in range(1, len(w)):
        W.append(vec[k : k + w[l] * w[l - 1]].reshape(w[l], w[l - 1]))
        k += w[l] * w[l - 1]
    for l in range(1, len(w)):
        b.append(vec[k : k + w[l]])
        k += w[l]
    return nn.Parameters(tuple(W), tuple(b))


_NUMPY = {
    "identity": (lambda z: z, lambda z: np.ones_like(z)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float)),
    "leaky_relu": (
        lambda z: np.where(z > 0, z, LEAKY_RELU_ALPHA * z),
        lambda z: np.where(z > 0, 1.0, LEAKY_RELU_ALPHA),
    ),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
}


def _fast_gradient(arch, Ws, bs, X, Y, defects=None):
    """Algorithm alg-backprop without argument checks, for the thousands of calls of an ODE
    solver (the same four lines as chapter 6's, checked against it by the lemma's witness). If
    ``defects`` is a list, the defect of lem-reg-euler of every hidden layer is put into it, in
    layer order."""
    A, Zs, As = X, [], [X]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        Z = A @ W.T + b
        A = _NUMPY[arch.activations[l]][0](Z)
        Zs.append(Z)
        As.append(A)
    G = (A - Y) / X.shape[0]
    dW, db = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        if defects is not None and l < len(Ws) - 1:
            defects.insert(0, _defect(arch.activations[l], Zs[l], G))
        D = G * _NUMPY[arch.activations[l]][1](Zs[l])
        dW[l], db[l] = D.T @ As[l], D.sum(axis=0)
        G = D @ Ws[l]
    return dW, db


def _flow(arch, theta, X, Y, T, rtol):
    def field(_t, vec):
        p = _unflatten(vec, arch)
        dW, db = _fast_gradient(arch, p.W, p.b, X, Y)
        return -np.concatenate([np.ravel(a) for a in (*dW, *db)])

    sol = solve_ivp(field, (0.0, T), _flatten(theta), method="DOP853", rtol=rtol, atol=rtol * 1e-2)
    return _unflatten(sol.y[:, -1], arch)


def _flow_with_defect(arch, theta, X, Y, T, rtol):
    r"""The flow together with $I^l_j(T) = -2\int_0^T\sum_iG^l_{ij}(\sigma'(Z^l_{ij})Z^l_{ij} -
    \sigma(Z^l_{ij}))\,\mathrm dt$ for every hidden unit, integrated as extra coordinates of the same
    ODE. Returns the final parameters, the integrals (one array per hidden layer) and the whole
    final state."""
    p0 = _flatten(theta)
    sizes = list(arch.widths[1:-1])

    def field(_t, vec):
        p = _unflatten(vec[: p0.size], arch)
        defects: list = []
        dW, db = _fast_gradient(arch, p.W, p.b, X, Y, defects)
        grad = np.concatenate([np.ravel(a) for a in (*dW, *db)])
        return np.concatenate([-grad, *(-2 * d for d in defects)])

    z0 = np.concatenate([p0, np.zeros(sum(sizes))])
    sol = solve_ivp(field, (0.0, T), z0, method="DOP853", rtol=rtol, atol=rtol * 1e-2)
    z = sol.y[:, -1]
    integrals = np.split(z[p0.size :], np.cumsum(sizes)[:-1])
    return _unflatten(z[: p0.size], arch), integrals, z


def _gram(theta, l):
    W, b, W2 = theta.W[l], theta.b[l], theta.W[l + 1]
    return W @ W.T + np.outer(b, b) - W2.T @ W2


@single_threaded
def gradient_flow_conserves_imbalances(
    rng: np.random.Generator, *, imbalances=reg.imbalances
) -> Evidence:
    r"""Theorem `thm-reg-balanced`: along the gradient flow (DOP853, $T = 1$, relative tolerances
    $10^{-7}$ and $10^{-10}$) of linear networks of depth 3 and 2 ($m = 6$), every imbalance $Q^l_j$
    (the library's ``imbalances``) is unchanged, within the propagated integrator error. ReLU
    networks are not integrated here (their gradient field jumps where a pre-activation vanishes,
    and when the flow slides along such a surface an adaptive integrator stalls): they are left to
    the exact one-step identity (`prop-reg-balanced-gd`) and the lemma.

    Necessity, for $\tanh$ (not Euler): by the proof of the theorem and `lem-reg-euler`,
    $Q^l_j(\theta(T)) - Q^l_j(\theta(0)) = I^l_j(T) := -2\int_0^T\sum_iG^l_{ij}(\sigma'(Z^l_{ij})
    Z^l_{ij} - \sigma(Z^l_{ij}))\,\mathrm dt$; the integral is integrated alongside the flow and the
    two must agree within the propagated integrator error, and the change must exceed ten times that
    error (the imbalances do move).

    Propagated error: if $\delta$ bounds the error of every coordinate of the fine run (estimated
    as ten times its difference with the coarse run), the error of $Q^l_j$, a sum of at most
    $n_{\max} + 1$ squares, is at most $(n_{\max} + 1)(2\|\theta\|_\infty\delta + \delta^2)$ and that
    of $I^l_j$ at most $\delta$; $10^{-12}$ is added for rounding."""
    worst, moved, defect_err, moved_tol = 0.0, 0.0, 0.0, 1.0
    for hidden in (("identity", "identity"), ("identity",), ("tanh", "tanh")):
        arch, theta, X, Y = _network(rng, hidden)
        fine, integrals, z_fine = _flow_with_defect(arch, theta, X, Y, 1.0, 1e-10)
        _, _, z_coarse = _flow_with_defect(arch, theta, X, Y, 1.0, 1e-7)
        delta = 10 * float(np.max(np.abs(z_fine - z_coarse)))
        big = max(1.0, float(np.abs(_flatten(fine)).max()))
        tol = (max(arch.widths) + 1) * (2 * big * delta + delta * delta) + delta + 1e-12
        changes = [a - b for a, b in zip(imbalances(fine), imbalances(theta))]
        change = max(float(np.max(np.abs(c))) for c in changes)
        if hidden[0] == "tanh":
            moved, moved_tol = change, tol
            defect_err = max(float(np.max(np.abs(c - i))) for c, i in zip(changes, integrals)) / tol
        else:
            worst = max(worst, change / tol)
    return Evidence(
        3,
        (
            error(
                "linear networks: max |Q(T) - Q(0)| over the propagated integrator error",
                worst,
                1.0,
                units="ratio",
            ),
            error(
                r"necessity, tanh: $|Q(T) - Q(0) - I(T)|$ (integrated defect) over the propagated "
                "integrator error",
                defect_err,
                1.0,
                units="ratio",
            ),
            error(
                f"necessity, tanh (not conserved): ten times the propagated integrator error over "
                f"the change max |Q(T) - Q(0)| = {moved:.2g}",
                10 * moved_tol / moved if moved > 0 else math.inf,
                1.0,
                units="ratio",
            ),
        ),
    )


@single_threaded
def linear_networks_conserve_a_matrix(
    rng: np.random.Generator, *, loss_and_gradient=nn.loss_and_gradient
) -> Evidence:
    r"""Corollary `cor-reg-linear-balanced`: for linear networks (depth 2 to 4), (a) at random
    parameters $W^l\mathrm dW^{l\top} + b^l\mathrm db^{l\top} = \mathrm dW^{l+1\top}W^{l+1}$ with
    torch autograd's gradient and with chapter 6's, to rounding; (b) along the flow (DOP853, $T = 1$) the matrices
    $W^lW^{l\top} + b^lb^{l\top} - W^{l+1\top}W^{l+1}$ do not change, within ten times the
    integrator's a posteriori error estimate."""
    alg, flow = 0.0, 0.0
    for _ in range(4):
        depth = int(rng.integers(2, 5))
        arch, theta, X, Y = _network(rng, ("identity",) * (depth - 1))
        grad_torch, *_ = _torch_gradient(arch, theta, X, Y)
        _, grad_ch6 = loss_and_gradient(arch, theta, X, Y)
        tol = 8 * (X.shape[0] * max(arch.widths) * depth + max(arch.widths)) * U64
        for grad, l in ((g, l) for g in (grad_torch, grad_ch6) for l in range(depth - 1)):
            M = theta.W[l] @ grad.W[l].T + np.outer(theta.b[l], grad.b[l])
            N = grad.W[l + 1].T @ theta.W[l + 1]
            scale = np.abs(theta.W[l]) @ np.abs(grad.W[l]).T + np.abs(
                np.outer(theta.b[l], grad.b[l])
            )
            scale = scale + np.abs(grad.W[l + 1]).T @ np.abs(theta.W[l + 1])
            alg = max(alg, float(np.max(np.abs(M - N) / (scale + 1e-300)) / tol))
    arch, theta, X, Y = _network(rng, ("identity", "identity"))
    coarse = _flow(arch, theta, X, Y, 1.0, 1e-8)
    fine = _flow(arch, theta, X, Y, 1.0, 1e-11)
    est = np.max(np.abs(_flatten(coarse) - _flatten(fine))) * max(1.0, np.abs(_flatten(fine)).max())
    for l in range(2):
        flow = max(
            flow, float(np.max(np.abs(_gram(fine, l) - _gram(theta, l)))) / (10 * est + 1e-12)
        )
    return Evidence(
        5,
        (
            error(
                r"$W\,\mathrm dW^\top + b\,\mathrm db^\top$ vs $\mathrm dW'^\top W'$ over rounding bound",
                alg,
                1.0,
                units="ratio",
            ),
            error(
                "flow: change of the matrix over the integrator's error estimate",
                flow,
                1.0,
                units="ratio",
            ),
        ),
    )


@single_threaded
def gradient_step_drift_is_exact(
    rng: np.random.Generator, *, imbalances=reg.imbalances
) -> Evidence:
    r"""Proposition `prop-reg-balanced-gd`: one step of chapter 6's ``sgd_step`` with
    $\eta\in[0.05, 0.5]$ changes each imbalance (the library's ``imbalances``) by exactly
    $\eta^2Q^l_j(\mathrm d\theta)$ for Euler activations, and by that minus $2\eta$ times the
    defect for $\tanh$. By algebra, $Q(\theta - \eta g) - Q(\theta) - \eta^2Q(g) = -2\eta r$ for
    any $g$, with $r$ the incoming minus outgoing $\langle g, \theta\rangle$ of the unit; the
    proposition is that $r$ equals the defect. The computed gradient satisfies that only to the
    rounding bound of `lem-reg-euler`'s witness, $8(mn_{\max}L + n_{\max})u$ times the sum $s$ of
    the absolute products (and, for $\tanh$, the magnitude of the defect's terms), so the
    tolerance is $2\eta$ times that bound plus the rounding of the three imbalances, $16(n_{\max} + 2)u$ times the squared
    norms of the unit's rows and columns in $\theta$, $\theta^+$ and $\eta g$ (which also covers
    the rounding of the step $\theta - \eta g$ itself, at most $u(|\theta^+| + |\eta g|)$ an
    entry)."""
    worst, worst_tanh = 0.0, 0.0
    for trial in range(8):
        depth = int(rng.integers(2, 5))
        tanh = trial >= 6
        hidden = tuple("tanh" if tanh else EULER[int(rng.integers(0, 3))] for _ in range(depth - 1))
        arch, theta, X, Y = _network(rng, hidden)
        eta = float(rng.uniform(0.05, 0.5))
        _, grad = nn.loss_and_gradient(arch, theta, X, Y)
        new = nn.sgd_step(theta, grad, eta)
        _, _, Gs, _ = _torch_gradient(arch, theta, X, Y)
        _, Zs, _, _ = _torch_gradient(arch, theta, X, Y)
        tol_base = 16 * (max(arch.widths) + 2) * U64
        tol_euler = 8 * (X.shape[0] * max(arch.widths) * depth + max(arch.widths)) * U64

        def size(p, l):
            return np.sum(p.W[l] ** 2, axis=1) + p.b[l] ** 2 + np.sum(p.W[l + 1] ** 2, axis=0)

        for l, (q_new, q_old, q_g) in enumerate(
            zip(imbalances(new), imbalances(theta), imbalances(grad))
        ):
            d = _defect(hidden[l], Zs[l], Gs[l])
            pred = eta * eta * q_g - 2 * eta * d
            _, _, scale = _sides(theta, grad, l)
            rounding = size(theta, l) + size(new, l) + eta * eta * size(grad, l)
            d_size = _defect_size(hidden[l], Zs[l], Gs[l])
            tol = tol_base * rounding + 2 * eta * tol_euler * (scale + d_size)
            err = float(np.max(np.abs(q_new - q_old - pred) / tol))
            if tanh:
                worst_tanh = max(worst_tanh, err)
            else:
                worst = max(worst, err)
    return Evidence(
        8,
        (
            error(
                r"Euler: $Q(\theta^+) - Q(\theta) - \eta^2Q(\mathrm d\theta)$ over rounding bound",
                worst,
                1.0,
                units="ratio",
            ),
            error(
                r"tanh: the same minus $-2\eta\cdot$defect, over rounding bound",
                worst_tanh,
                1.0,
                units="ratio",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "lem-reg-euler",
        euler_identity_holds,
        "Incoming minus outgoing <grad, weight> per hidden unit is zero for identity, ReLU and "
        "leaky ReLU (torch autograd and chapter 6's backprop); for tanh it is the defect term",
        strength="exact",
    ),
    Witness(
        "thm-reg-balanced",
        gradient_flow_conserves_imbalances,
        "Imbalances of linear networks are constant along the integrated gradient "
        "flow (within the integrator's error estimate); tanh moves them by the integrated defect. "
        "No ReLU flow is integrated: ReLU is covered by the lemma and the one-step identity",
        strength="exact",
    ),
    Witness(
        "cor-reg-linear-balanced",
        linear_networks_conserve_a_matrix,
        "Linear networks: W dW^T + b db^T = dW'^T W' to rounding; the matrix W W^T + b b^T - W'^T W' "
        "is constant along the integrated flow",
        strength="exact",
    ),
    Witness(
        "prop-reg-balanced-gd",
        gradient_step_drift_is_exact,
        "One gradient step changes each imbalance by exactly eta^2 Q(d theta) (Euler activations) "
        "and by that minus 2 eta times the defect (tanh), to rounding",
        strength="exact",
    ),
)
