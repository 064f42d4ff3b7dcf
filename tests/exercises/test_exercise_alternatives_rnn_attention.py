"""Correct solutions of the recurrent-network and attention exercises written differently from the
references pass: the checkers' adversarial inputs (saturation, overflow, large offsets, ties) raise
no false alarms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import expit, softmax

from deepqed.exercises import check


def step_backward_factored(G, H, H_prev, X, W):
    Delta = G * ((1 - H) * (1 + H))  # tanh' = (1 - h)(1 + h), no cancellation near +-1
    return (
        np.einsum("mi,mj->ij", Delta, H_prev),
        np.einsum("mi,md->id", Delta, X),
        Delta.sum(0),
        Delta @ W,
    )


def linear_bptt_stacked(W, U, X, H0, G):
    T = X.shape[0]
    H = np.empty((T + 1,) + H0.shape, dtype=H0.dtype)
    H[0] = H0
    for t in range(T):
        H[t + 1] = H[t] @ W.T + X[t] @ U.T
    Delta = np.empty_like(G)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta[t] = G[t] + carry
        carry = Delta[t] @ W
    return np.einsum("tmi,tmj->ij", Delta, H[:-1]), np.einsum("tmi,tmd->id", Delta, X)


def clip_with_hypot(dW, db, tau):
    norm = math.hypot(*(float(v) for v in np.concatenate([dW.ravel(), db.ravel()])))
    if norm <= tau:
        return dW.copy(), db.copy()
    return (dW * (tau / norm)).astype(dW.dtype), (db * (tau / norm)).astype(db.dtype)


def lstm_cell_expit(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f, g, o = (A[:, k * n : (k + 1) * n] for k in range(4))
    C_new = expit(f) * C + expit(i) * np.tanh(g)
    return (expit(o) * np.tanh(C_new)).astype(X.dtype), C_new.astype(X.dtype)


def lstm_cell_reciprocal(X, H, C, W, U, b):
    """sigmoid(a) = 1 / (1 + e^{-a}): e^{-a} overflows to inf for a << 0, and 1 / inf = 0."""
    sig = lambda a: 1 / (1 + np.exp(-a))
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    C_new = sig(A[:, n : 2 * n]) * C + sig(A[:, :n]) * np.tanh(A[:, 2 * n : 3 * n])
    return sig(A[:, 3 * n :]) * np.tanh(C_new), C_new


def causal_attention_big_negative(Q, K, V):
    n, d_k = Q.shape
    S = (Q @ K.T) / d_k**0.5 + np.where(np.tri(n, dtype=bool), 0, -1e9).astype(Q.dtype)
    return softmax(S, axis=1).astype(Q.dtype) @ V


def causal_attention_scipy(Q, K, V):
    n, d_k = Q.shape
    S = np.where(np.tri(n, dtype=bool), (Q @ K.T) / d_k**0.5, -np.inf)
    return (softmax(S, axis=1) @ V).astype(Q.dtype)


def softmax_backward_einsum(P, dP):
    r = np.einsum("ik,ik->i", P, dP)
    return P * dP - P * r[:, None]


def attention_backward_scipy(Q, K, V, dO):
    c = 1 / np.sqrt(Q.shape[1])
    P = softmax(Q @ K.T * c, axis=1).astype(Q.dtype)
    dP = dO @ V.T
    dS = P * dP - P * (P * dP).sum(axis=1, keepdims=True)
    return (c * dS @ K).astype(Q.dtype), (c * dS.T @ Q).astype(Q.dtype), P.T @ dO


def layernorm_backward_var(X, gamma, dY, eps):
    mu = X.mean(axis=1, keepdims=True)
    s = np.sqrt(X.var(axis=1, keepdims=True) + eps)
    X_hat = (X - mu) / s
    G = gamma * dY
    n = X.shape[1]
    return (n * G - G.sum(1, keepdims=True) - X_hat * (G * X_hat).sum(1, keepdims=True)) / (n * s)


def layernorm_backward_jacobian(X, gamma, dY, eps):
    """Forms each row's Jacobian (n x n; n is small here) and applies its transpose."""
    n = X.shape[1]
    out = np.empty_like(X)
    for i, (x, dy) in enumerate(zip(X, dY)):
        xc = x - x.mean()
        s = np.sqrt(np.mean(xc * xc) + eps)
        x_hat = xc / s
        J = gamma[:, None] * (np.eye(n, dtype=X.dtype) - 1 / n - np.outer(x_hat, x_hat) / n) / s
        out[i] = J.T @ dy
    return out


ALTERNATIVES = [
    (step_backward_factored, "ex-rnn-step-backward"),
    (linear_bptt_stacked, "ex-rnn-linear-bptt"),
    (clip_with_hypot, "ex-rnn-clip"),
    (lstm_cell_expit, "ex-rnn-lstm-cell"),
    (lstm_cell_reciprocal, "ex-rnn-lstm-cell"),
    (causal_attention_big_negative, "ex-att-causal-attention"),
    (causal_attention_scipy, "ex-att-causal-attention"),
    (softmax_backward_einsum, "ex-att-softmax-backward"),
    (attention_backward_scipy, "ex-att-sdpa-backward"),
    (layernorm_backward_var, "ex-att-layernorm-backward"),
    (layernorm_backward_jacobian, "ex-att-layernorm-backward"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
