r"""Exercise ``ex-rnn-linear-bptt``: backpropagation through time for a linear recurrent network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def linear_bptt(W, U, X, H0, G):
    r"""$H_t = H_{t-1}W^\top + X_tU^\top$, objective $\sum_t\langle G_t, H_t\rangle$ (Algorithm
    alg-rnn-bptt with $\sigma' = 1$): $\Delta_t = G_t + \Delta_{t+1}W$,
    $dW = \sum_t\Delta_t^\top H_{t-1}$, $dU = \sum_t\Delta_t^\top X_t$."""
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W.T + X[t] @ U.T)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta = G[t] + carry
        dW += Delta.T @ H[t]
        dU += Delta.T @ X[t]
        carry = Delta @ W
    return dW, dU


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    T, m = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    n, d = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    return {
        "W": draw(float_arrays(dtype, (n, n), bound=1.0)),
        "U": draw(float_arrays(dtype, (n, d), bound=2.0)),
        "X": draw(float_arrays(dtype, (T, m, d), bound=2.0)),
        "H0": draw(float_arrays(dtype, (m, n), bound=2.0)),
        "G": draw(float_arrays(dtype, (T, m, n), bound=2.0)),
    }


def _no_recursion(W, U, X, H0, G):
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W.T + X[t] @ U.T)
    dW = sum(G[t].T @ H[t] for t in range(T))
    dU = sum(G[t].T @ X[t] for t in range(T))
    return dW, dU


def _wrong_state(W, U, X, H0, G):
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W.T + X[t] @ U.T)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta = G[t] + carry
        dW += Delta.T @ H[t + 1]
        dU += Delta.T @ X[t]
        carry = Delta @ W
    return dW, dU


def _transposed_carry(W, U, X, H0, G):
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W.T + X[t] @ U.T)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta = G[t] + carry
        dW += Delta.T @ H[t]
        dU += Delta.T @ X[t]
        carry = Delta @ W.T
    return dW, dU


def _skips_first_step(W, U, X, H0, G):
    """Leaves out the term Delta_1^T H_0 (the loop stops before t = 1)."""
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W.T + X[t] @ U.T)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta = G[t] + carry
        if t > 0:
            dW += Delta.T @ H[t]
        dU += Delta.T @ X[t]
        carry = Delta @ W
    return dW, dU


def _forward_transposed(W, U, X, H0, G):
    """Runs the forward pass as H_t = H_{t-1} W + X_t U^T (W not transposed)."""
    T = X.shape[0]
    H = [H0]
    for t in range(T):
        H.append(H[-1] @ W + X[t] @ U.T)
    dW, dU = np.zeros_like(W), np.zeros_like(U)
    carry = np.zeros_like(H0)
    for t in range(T - 1, -1, -1):
        Delta = G[t] + carry
        dW += Delta.T @ H[t]
        dU += Delta.T @ X[t]
        carry = Delta @ W
    return dW, dU


EXERCISE = Implement(
    id="ex-rnn-linear-bptt",
    title="Backpropagation through time for a linear network",
    function="linear_bptt",
    parameters=("W", "U", "X", "H0", "G"),
    docstring=r"""Gradients of L = sum_t <G_t, H_t> for the linear network H_t = H_{t-1} W^T + X_t U^T,
t = 1..T (Algorithm alg-rnn-bptt with sigma = id and no bias).

Arguments:
    W: shape (n, n).  U: shape (n, d).
    X: inputs, shape (T, m, d); X[t-1] is X_t.
    H0: initial state, shape (m, n).
    G: G[t-1] = G_t, shape (T, m, n).
    (all float32 or all float64)

Returns:
    (dW, dU): shapes (n, n) and (n, d).
""",
    max_examples=50,
    reference=linear_bptt,
    arguments=_arguments(),
    outputs=("dW", "dU"),
    tolerances={"float64": Tolerance(1e-8, 1e-9), "float32": Tolerance(1e-3, 1e-3)},
    hint=r"""Keep H_0, ..., H_{T-1} from a forward pass. Going backwards, Delta_t = G_t + Delta_{t+1} W
(Delta_{T+1} = 0); then dW collects Delta_t^T H_{t-1} and dU collects Delta_t^T X_t.""",
    wrong=(
        Wrong(_no_recursion, "ignores the recursion (only G_t)", values(0), ""),
        Wrong(_wrong_state, "Delta_t^T H_t instead of H_{t-1}", values(0), ""),
        Wrong(_transposed_carry, "Delta_{t+1} W^T", values(0), ""),
        Wrong(_skips_first_step, "leaves out Delta_1^T H_0", values(0), ""),
        Wrong(_forward_transposed, "forward pass with H W instead of H W^T", values(0), ""),
    ),
)
