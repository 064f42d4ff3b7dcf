"""The recurrent-network witnesses fail when handed deliberately broken implementations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from deepqed import rnn
from deepqed.rnn import tasks
from deepqed.witnesses.rnn import bptt, gated, gradients, training


def _rng():
    return np.random.default_rng(0)


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
        dW = sum(Delta[t].T @ H[t] for t in range(last))
        dU = sum(Delta[t].T @ X[t] for t in range(T))
        db = Delta.sum(axis=(0, 1))
        if bug == "sign of db":
            db = -db
        if bug == "float64 out":
            dW, dU, db = (a.astype(np.float64) for a in (dW, dU, db))
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


def _spectral_rate(theta, beta):
    return beta * float(np.max(np.abs(np.linalg.eigvals(theta.W))))


def _upper_rate(theta, c):
    return c * float(np.linalg.norm(theta.W, 2))


def _powers_wrong(W, kmax):
    return float(np.linalg.norm(W, 2)) ** np.arange(kmax + 1)


ELMAN_BROKEN = [
    (bptt.forward_matches_torch, {"rnn_forward": _forward_WT}),
    (bptt.weight_sharing_sum_of_copies, {"rnn_loss_and_gradient": _bptt("drops last step")}),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("no sigma'")}),
    (bptt.bptt_matches_autograd, {"rnn_loss_and_gradient": _bptt("W transposed")}),
    (bptt.bptt_matches_autograd_float32, {"rnn_loss_and_gradient": _bptt("float64 out")}),
    (bptt.bptt_matches_autograd_float32, {"rnn_loss_and_gradient": _bptt("sign of db")}),
    (bptt.bptt_matches_central_differences, {"rnn_loss_and_gradient": _bptt("sign of db")}),
    (bptt.lag_sum_matches_autograd, {"hidden_jacobian": _jacobian_reversed}),
    (gradients.jacobian_product_matches_autograd, {"hidden_jacobian": _jacobian_no_diag}),
    (gradients.jacobian_norm_below_bound, {"rate": _spectral_rate}),
    (gradients.lag_contributions_below_bound, {"rate": _spectral_rate}),
    (gradients.exploding_lower_bound, {"rate": _upper_rate}),
    (gradients.linear_spectral_sandwich, {"linear_power_norms": _powers_wrong}),
    (
        training.truncated_matches_torch_detach,
        {"rnn_loss_and_gradient": _bptt("cut one step late")},
    ),
    (training.truncated_is_same_chunk_lag_sum, {"rnn_loss_and_gradient": _bptt("never cut")}),
]


@pytest.mark.parametrize("check, kwargs", ELMAN_BROKEN, ids=lambda x: getattr(x, "__name__", ""))
def test_elman_witnesses_fail_on_broken_code(check, kwargs):
    assert not check(_rng(), **kwargs).passed


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


def _adding_same_half(T, m, *, rng, dtype=np.float64):
    X, y = tasks.adding_problem(T, m, rng=rng, dtype=dtype)
    X[:, :, 1] = 0
    X[0, :, 1] = 1
    X[1 if T > 2 else 0, :, 1] = 1
    return X, X[0, :, 0] + X[1 if T > 2 else 0, :, 0]


def _adding_wide(T, m, *, rng, dtype=np.float64):
    X, y = tasks.adding_problem(T, m, rng=rng, dtype=dtype)
    return X, y * 1.05


def _adam_no_correction(params, grads, state, *, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    new, st = tasks.adam_update(
        params, grads, state, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps
    )
    M, V = st.M, st.V
    out = tuple(p - alpha * m / (np.sqrt(v) + eps) for p, m, v in zip(params, M, V))
    return out, st


TRAINING_BROKEN = [
    (training.clipping_matches_torch, {"clip_global_norm": _clip_each}),
    (training.clipping_properties, {"clip_global_norm": _clip_each}),
    (training.clipping_properties, {"clip_global_norm": _clip_always}),
    (training.adding_samples_have_the_law, {"adding_problem": _adding_same_half}),
    (training.adding_baseline_monte_carlo, {"adding_problem": _adding_wide}),
    (training.adam_matches_closed_form, {"adam_update": _adam_no_correction}),
]


@pytest.mark.parametrize("check, kwargs", TRAINING_BROKEN, ids=lambda x: getattr(x, "__name__", ""))
def test_training_witnesses_fail_on_broken_code(check, kwargs):
    assert not check(_rng(), **kwargs).passed


# --- LSTM and GRU -------------------------------------------------------------------------------
def _lstm_swap_fo(theta, X, H0=None, C0=None):
    n = theta.n
    perm = np.r_[0:n, 3 * n : 4 * n, 2 * n : 3 * n, n : 2 * n]
    swapped = rnn.LSTMParameters(theta.W[perm], theta.U[perm], theta.b[perm])
    return rnn.lstm_forward(swapped, X, H0, C0)


def _lstm_backward_no_carry(theta, fwd, X, G, GC=None):
    grad = rnn.lstm_backward(theta, fwd, X, G, GC)
    return dataclasses.replace(grad, C0=np.zeros_like(grad.C0))


def _lstm_backward_scaled(theta, fwd, X, G, GC=None):
    grad = rnn.lstm_backward(theta, fwd, X, G, GC)
    return dataclasses.replace(grad, W=grad.W * 1.01)


def _cell_path_input_gate(fwd, i, s):
    n = fwd.C.shape[2]
    return np.concatenate([np.ones((1, n)), np.cumprod(fwd.gates[s:, i, :n], axis=0)])


def _gru_no_c(theta, X, H0=None):
    return rnn.gru_forward(dataclasses.replace(theta, c=np.zeros_like(theta.c)), X, H0)


def _gru_backward_wrong_c(theta, fwd, X, G):
    grad = rnn.gru_backward(theta, fwd, X, G)
    return dataclasses.replace(grad, c=grad.b[2 * theta.n :])


GATED_BROKEN = [
    (gated.lstm_forward_matches_torch, {"lstm_forward": _lstm_swap_fo}),
    (gated.lstm_backward_matches_autograd, {"lstm_backward": _lstm_backward_no_carry}),
    (gated.lstm_backward_matches_central_differences, {"lstm_backward": _lstm_backward_scaled}),
    (gated.cell_path_jacobian, {"cell_path_products": _cell_path_input_gate}),
    (gated.gru_forward_matches_torch, {"gru_forward": _gru_no_c}),
    (gated.gru_backward_matches_autograd, {"gru_backward": _gru_backward_wrong_c}),
]


@pytest.mark.parametrize("check, kwargs", GATED_BROKEN, ids=lambda x: getattr(x, "__name__", ""))
def test_gated_witnesses_fail_on_broken_code(check, kwargs):
    assert not check(_rng(), **kwargs).passed


#: (witness, broken implementation): read by test_witnesses.py, which checks that every witness
#: of the book is shown to fail somewhere.
BROKEN = ELMAN_BROKEN + TRAINING_BROKEN + GATED_BROKEN
