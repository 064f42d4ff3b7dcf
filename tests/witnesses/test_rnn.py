"""The recurrent-network witnesses, each handed deliberately broken implementations and bounds
with weakened constants (``BROKEN``; also read by ``test_witnesses.py``)."""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np
import pytest

from deepqed import rnn
from deepqed.rnn import tasks
from deepqed.witnesses.rnn import bptt, gated, gradients, training


def run(check, **kwargs):
    """Evidence of ``check`` at seed 0, over both dtypes when it takes one (passed only if every
    dtype passed)."""
    if "dtype" not in inspect.signature(check).parameters:
        return check(np.random.default_rng(0), **kwargs)
    runs = [
        check(np.random.default_rng(0), dtype=np.dtype(d), **kwargs) for d in ("float32", "float64")
    ]
    return runs[0] if not runs[0].passed else runs[1]


# --- broken Elman pieces ----------------------------------------------------------------------
def _forward_WT(theta, X, H0=None, activation="tanh"):
    return rnn.rnn_forward(
        rnn.RNNParameters(np.ascontiguousarray(theta.W.T), theta.U, theta.b), X, H0, activation
    )


def _bptt(bug):
    """BPTT written out with one bug injected; returns (value, RNNGradient)."""

    def loss_and_gradient(theta, X, G, H0=None, activation="tanh", truncation=None):
        fwd = rnn.rnn_forward(theta, X, H0, activation)
        H, T = fwd.H, X.shape[0]
        D = rnn.sigma_prime_from_value(H[1:], activation)
        if bug == "no sigma'":
            D = np.ones_like(D)
        k = T if truncation is None else truncation
        if bug == "cut one step late":
            k = k + 1
        if bug == "never cut":
            k = T
        Delta = np.zeros_like(H[1:])
        carry = np.zeros_like(H[0])
        for t in range(T, 0, -1):
            Gt = G[t - 1] if t % k == 0 else G[t - 1] + carry
            Delta[t - 1] = Gt * D[t - 1]
            carry = Delta[t - 1] @ (theta.W.T if bug == "W transposed" else theta.W)
        last = T - 1 if bug == "drops last step" else T
        dW = sum((Delta[t].T @ H[t] for t in range(last)), np.zeros_like(theta.W))
        dU = sum(Delta[t].T @ X[t] for t in range(T))
        db = Delta.sum(axis=(0, 1))
        if bug == "sign of db":
            db = -db
        if bug == "float64 out":
            dW, dU, db, carry = (a.astype(np.float64) for a in (dW, dU, db, carry))
        return float(np.vdot(H[1:], G)), rnn.RNNGradient(dW, dU, db, carry)

    return loss_and_gradient


def _jacobian_reversed(theta, fwd, i, s, t):
    D = rnn.sigma_prime_from_value(fwd.H[s + 1 : t + 1, i], fwd.activation)
    P = np.eye(theta.n)
    for k in range(t - s):
        P = P @ (D[k][:, None] * theta.W)  # J_{s+1} ... J_t
    return P


def _jacobian_no_diag(theta, fwd, i, s, t):
    return np.linalg.matrix_power(theta.W, t - s)


def _powers_wrong(W, kmax):
    return float(np.linalg.norm(W, 2)) ** np.arange(kmax + 1)


V, C, T, E, S = (
    gradients.vanishing_bound,
    gradients.contribution_bound,
    gradients.tail_bound,
    gradients.exploding_bound,
    gradients.spectral_bounds,
)

ELMAN_BROKEN = [
    (bptt.forward_matches_torch, {"rnn_forward": _forward_WT}, "W transposed"),
    (
        bptt.weight_sharing_sum_of_copies,
        {"rnn_loss_and_gradient": _bptt("drops last step")},
        "drops the last step's term of dW",
    ),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("no sigma'")}, "no sigma'"),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("W transposed")}, "W^T"),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("float64 out")}, "float64 out"),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("sign of db")}, "sign of db"),
    (
        bptt.bptt_matches_central_differences,
        {"rnn_loss_and_gradient": _bptt("sign of db")},
        "sign of db",
    ),
    (bptt.lag_sum_matches_autograd, {"hidden_jacobian": _jacobian_reversed}, "product reversed"),
    (
        gradients.jacobian_product_matches_autograd,
        {"hidden_jacobian": _jacobian_no_diag},
        "no diag(sigma')",
    ),
    (
        gradients.jacobian_norm_below_bound,
        {"bound": lambda W, kappa, k: 2 * V(W, kappa, k)},
        "vanishing bound times 2",
    ),
    (
        gradients.jacobian_norm_below_bound,
        {"bound": lambda W, kappa, k: V(W, kappa, k / 2)},
        "vanishing bound with the exponent halved",
    ),
    (
        gradients.jacobian_norm_below_bound,
        {"bound": lambda W, kappa, k: float(np.max(np.abs(np.linalg.eigvals(W)))) ** k},
        "spectral radius instead of the norm",
    ),
    (
        gradients.lag_contributions_below_bound,
        {"contribution_bound": lambda kappa, gamma, k, g, h: 2 * C(kappa, gamma, k, g, h)},
        "contribution bound times 2",
    ),
    (
        gradients.lag_contributions_below_bound,
        {"tail_bound": lambda kappa, gamma, k, T_, g, h: 2 * T(kappa, gamma, k, T_, g, h)},
        "tail bound times 2",
    ),
    (
        gradients.lag_contributions_below_bound,
        {"tail_bound": lambda kappa, gamma, k, T_, g, h: T(kappa, gamma, k / 2, T_, g, h)},
        "tail bound with the exponent halved",
    ),
    (
        gradients.lag_contributions_below_bound,
        {"tail_bound": lambda kappa, gamma, k, T_, g, h: T(kappa, gamma, k, T_, g, h) / 2},
        "tail bound halved",
    ),
    (
        gradients.exploding_lower_bound,
        {"bound": lambda W, lam, k: E(W, lam, k) / 2},
        "exploding bound halved",
    ),
    (
        gradients.exploding_lower_bound,
        {"bound": lambda W, lam, k: E(W, lam, 2 * k)},
        "exploding bound with the exponent doubled",
    ),
    (
        gradients.exploding_lower_bound,
        {"bound": lambda W, lam, k: float(np.linalg.norm(W, 2) * lam) ** k},
        "the norm instead of s_min",
    ),
    (
        gradients.linear_spectral_sandwich,
        {"linear_power_norms": _powers_wrong},
        "||W||^k instead of ||W^k||",
    ),
    (
        gradients.linear_spectral_sandwich,
        {"bounds": lambda W, k: (S(W, k)[0] / 2, S(W, k)[1])},
        "lower bound halved",
    ),
    (
        gradients.linear_spectral_sandwich,
        {"bounds": lambda W, k: (S(W, k)[0], 2 * S(W, k)[1])},
        "upper bound doubled",
    ),
    (
        training.truncated_matches_torch_detach,
        {"rnn_loss_and_gradient": _bptt("cut one step late")},
        "cut one step late",
    ),
    (
        training.truncated_is_same_chunk_lag_sum,
        {"rnn_loss_and_gradient": _bptt("never cut")},
        "never cut",
    ),
]


# --- clipping, adding problem, Adam -----------------------------------------------------------
def _clip_each(grads, tau):
    out = []
    for g in grads:
        n = float(np.linalg.norm(g))
        out.append(g * min(1.0, tau / n) if n > 0 else g)
    return tuple(out), float(np.sqrt(sum(np.sum(g * g) for g in grads)))


def _clip_always(grads, tau):
    n = float(np.sqrt(sum(np.sum(g * g) for g in grads)))
    return tuple(g * (tau / n) for g in grads), n


def _clip_never(grads, tau):
    return tuple(g.copy() for g in grads), rnn.global_norm(grads)


def _clip_at_or_above(grads, tau):
    """Clips a little too early: at 0.999 tau."""
    return rnn.clip_global_norm(grads, 0.999 * tau)


def _adding_same_half(T, m, *, rng, dtype=np.float64):
    X, y = tasks.adding_problem(T, m, rng=rng, dtype=dtype)
    X[:, :, 1] = 0
    X[0, :, 1] = 1
    X[1 if T > 2 else 0, :, 1] = 1
    return X, X[0, :, 0] + X[1 if T > 2 else 0, :, 0]


def _adding_wide(T, m, *, rng, dtype=np.float64):
    X, y = tasks.adding_problem(T, m, rng=rng, dtype=dtype)
    return X, y * 1.05


def _adding_late_first_marker(T, m, *, rng, dtype=np.float64):
    """The first marker never at position 1 (one position too few)."""
    X, y = tasks.adding_problem(T, m, rng=rng, dtype=dtype)
    half = T // 2
    if half > 1:
        first = X[0, :, 1] == 1
        X[0, first, 1], X[1, first, 1] = 0, 1
        y = (X[:, :, 0] * X[:, :, 1]).sum(0)
    return X, y


def _adam_no_correction(params, grads, state, *, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    new, st = tasks.adam_update(
        params, grads, state, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps
    )
    M, V_ = st.M, st.V
    out = tuple(p - alpha * m / (np.sqrt(v) + eps) for p, m, v in zip(params, M, V_))
    return out, st


TRAINING_BROKEN = [
    (training.clipping_matches_torch, {"clip_global_norm": _clip_each}, "clips each array"),
    (training.clipping_properties, {"clip_global_norm": _clip_each}, "clips each array"),
    (training.clipping_properties, {"clip_global_norm": _clip_always}, "always rescales"),
    (training.clipping_properties, {"clip_global_norm": _clip_never}, "never clips"),
    (training.clipping_properties, {"clip_global_norm": _clip_at_or_above}, "threshold 0.999 tau"),
    (
        training.adding_samples_have_the_law,
        {"adding_problem": _adding_same_half},
        "both markers in the first half",
    ),
    (
        training.adding_samples_have_the_law,
        {"adding_problem": _adding_late_first_marker},
        "first marker never at position 1",
    ),
    (training.adding_baseline_monte_carlo, {"adding_problem": _adding_wide}, "targets 5% too big"),
    (training.adam_matches_closed_form, {"adam_update": _adam_no_correction}, "no bias correction"),
]


# --- LSTM and GRU -------------------------------------------------------------------------------
def _lstm_swap_fo(theta, X, H0=None, C0=None):
    n = theta.n
    perm = np.r_[0:n, 3 * n : 4 * n, 2 * n : 3 * n, n : 2 * n]
    swapped = rnn.LSTMParameters(theta.W[perm], theta.U[perm], theta.b[perm])
    return rnn.lstm_forward(swapped, X, H0, C0)


def _lstm_cell_no_tanh(theta, X, H, C):
    H_new, C_new = rnn.lstm_cell(theta, X, H, C)
    O = 0.5 * (1 + np.tanh(0.5 * (H @ theta.W.T + X @ theta.U.T + theta.b)[:, 3 * theta.n :]))
    return O * C_new, C_new  # H_t = O C_t, the tanh forgotten


def _lstm_backward_no_carry(theta, fwd, X, G, GC=None):
    grad = rnn.lstm_backward(theta, fwd, X, G, GC)
    return dataclasses.replace(grad, C0=np.zeros_like(grad.C0))


def _lstm_backward_scaled(theta, fwd, X, G, GC=None):
    grad = rnn.lstm_backward(theta, fwd, X, G, GC)
    return dataclasses.replace(grad, W=grad.W * 1.01)


def _lstm_cell_backward_no_forget(theta, X, H, C, dH, dC):
    """Passes Cbar_t to C_{t-1} without the factor F_t."""
    dW, dU, db, dH_prev, dC_prev = rnn.lstm_cell_backward(theta, X, H, C, dH, dC)
    n = theta.n
    F = 0.5 * (1 + np.tanh(0.5 * (H @ theta.W.T + X @ theta.U.T + theta.b)[:, n : 2 * n]))
    return dW, dU, db, dH_prev, dC_prev / F


def _cell_path_input_gate(fwd, i, s):
    n = fwd.C.shape[2]
    return np.concatenate([np.ones((1, n)), np.cumprod(fwd.gates[s:, i, :n], axis=0)])


def _gru_no_c(theta, X, H0=None):
    return rnn.gru_forward(dataclasses.replace(theta, c=np.zeros_like(theta.c)), X, H0)


def _gru_cell_no_c(theta, X, H):
    return rnn.gru_cell(dataclasses.replace(theta, c=np.zeros_like(theta.c)), X, H)


def _gru_backward_wrong_c(theta, fwd, X, G):
    grad = rnn.gru_backward(theta, fwd, X, G)
    return dataclasses.replace(grad, c=grad.b[2 * theta.n :])


def _gru_cell_backward_no_direct(theta, X, H, dH):
    """Drops the direct term Hbar_t * S_t of Hbar_{t-1}."""
    dW, dU, db, dc, dH_prev = rnn.gru_cell_backward(theta, X, H, dH)
    n = theta.n
    S = 0.5 * (1 + np.tanh(0.5 * (X @ theta.U.T + theta.b + H @ theta.W.T)[:, n : 2 * n]))
    return dW, dU, db, dc, dH_prev - dH * S


PB, FB = gated.product_bounds, gated.forget_gate_bound

GATED_BROKEN = [
    (gated.lstm_forward_matches_torch, {"lstm_forward": _lstm_swap_fo}, "gates f, o swapped"),
    (gated.lstm_forward_matches_torch, {"lstm_cell": _lstm_cell_no_tanh}, "H = O C"),
    (
        gated.lstm_backward_matches_autograd,
        {"lstm_backward": _lstm_backward_no_carry},
        "no gradient to C_0",
    ),
    (
        gated.lstm_backward_matches_autograd,
        {"lstm_cell_backward": _lstm_cell_backward_no_forget},
        "no F_t on the cell's gradient",
    ),
    (
        gated.lstm_backward_matches_central_differences,
        {"lstm_backward": _lstm_backward_scaled},
        "dW off by 1%",
    ),
    (gated.cell_path_jacobian, {"cell_path_products": _cell_path_input_gate}, "input gates"),
    (
        gated.cell_path_jacobian,
        {"product_bounds": lambda lo, hi, k: (PB(lo, hi, k)[0] / 2, PB(lo, hi, k)[1])},
        "lower product bound halved",
    ),
    (
        gated.cell_path_jacobian,
        {"product_bounds": lambda lo, hi, k: (PB(lo, hi, k)[0], PB(lo, hi, k / 2)[1])},
        "upper product bound with the exponent halved",
    ),
    (
        gated.cell_path_jacobian,
        {"forget_gate_bound": lambda b, W, Ux: FB(b, 2 * W, Ux)},
        "forget-gate bound with 2 ||W^f||_1",
    ),
    (gated.gru_forward_matches_torch, {"gru_forward": _gru_no_c}, "c dropped"),
    (gated.gru_forward_matches_torch, {"gru_cell": _gru_cell_no_c}, "c dropped in the step"),
    (gated.gru_backward_matches_autograd, {"gru_backward": _gru_backward_wrong_c}, "dc = db_n"),
    (
        gated.gru_backward_matches_autograd,
        {"gru_cell_backward": _gru_cell_backward_no_direct},
        "no direct term Hbar S",
    ),
]

#: (witness, broken implementation, bug): read by test_witnesses.py, which checks that every
#: witness of the book is shown to fail somewhere.
BROKEN = ELMAN_BROKEN + TRAINING_BROKEN + GATED_BROKEN


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "check,broken,bug", BROKEN, ids=[f"{c.__name__}:{b}" for c, _, b in BROKEN]
)
def test_witness_detects_broken_implementation(check, broken, bug):
    out = run(check, **broken)
    assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"


@pytest.mark.parametrize("check", sorted({c for c, _, _ in BROKEN}, key=lambda c: c.__name__))
def test_witness_passes_with_the_library(check):
    assert run(check).passed
