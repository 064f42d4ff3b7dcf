r"""Exercise ``ex-rnn-lstm-cell``: one step of an LSTM with torch's gate order."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def _sigmoid(a):
    return 0.5 * (1 + np.tanh(0.5 * a))


def lstm_cell(X, H, C, W, U, b):
    r"""One step of Definition def-rnn-lstm: $A = HW^\top + XU^\top + b = [A^i, A^f, A^g, A^o]$,
    $C' = \mathrm{sigmoid}(A^f)\odot C + \mathrm{sigmoid}(A^i)\odot\tanh(A^g)$,
    $H' = \mathrm{sigmoid}(A^o)\odot\tanh C'$."""
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    g, o = np.tanh(A[:, 2 * n : 3 * n]), _sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C_new), C_new


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, n, d = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kw = {
        "X": draw(float_arrays(dtype, (m, d))),
        "H": np.tanh(draw(float_arrays(dtype, (m, n)))).astype(dtype),
        "C": draw(float_arrays(dtype, (m, n))),
        "W": draw(float_arrays(dtype, (4 * n, n), bound=20.0)),
        "U": draw(float_arrays(dtype, (4 * n, d), bound=20.0)),
    }
    # biases of size 20, or 1000 (saturation, far beyond exp's overflow threshold)
    scale = draw(st.sampled_from((20.0, 1000.0)))
    kw["b"] = (scale * draw(float_arrays(dtype, (4 * n,), bound=1.0))).astype(dtype)
    return kw


def _order_ifog(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    o, g = _sigmoid(A[:, 2 * n : 3 * n]), np.tanh(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C_new), C_new


def _no_tanh_out(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    g, o = np.tanh(A[:, 2 * n : 3 * n]), _sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * C_new, C_new


def _swap_fi(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    f, i = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    g, o = np.tanh(A[:, 2 * n : 3 * n]), _sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C_new), C_new


def _naive_sigmoid(a):
    return np.exp(a) / (1 + np.exp(a))  # inf / inf = NaN for large a


def _exp_over_one_plus_exp(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _naive_sigmoid(A[:, :n]), _naive_sigmoid(A[:, n : 2 * n])
    g, o = np.tanh(A[:, 2 * n : 3 * n]), _naive_sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C_new), C_new


def _old_cell_in_output(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    g, o = np.tanh(A[:, 2 * n : 3 * n]), _sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C), C_new


def _sigmoid_candidate(X, H, C, W, U, b):
    n = H.shape[1]
    A = H @ W.T + X @ U.T + b
    i, f = _sigmoid(A[:, :n]), _sigmoid(A[:, n : 2 * n])
    g, o = _sigmoid(A[:, 2 * n : 3 * n]), _sigmoid(A[:, 3 * n :])
    C_new = f * C + i * g
    return o * np.tanh(C_new), C_new


EXERCISE = Implement(
    id="ex-rnn-lstm-cell",
    title="One LSTM step",
    function="lstm_cell",
    parameters=("X", "H", "C", "W", "U", "b"),
    docstring=r"""One step of the LSTM (Definition def-rnn-lstm), torch's gate order i, f, g, o:
A = H W^T + X U^T + b, split into four column blocks of n; I, F, O = sigmoid of blocks 1, 2, 4,
Gamma = tanh of block 3; C_new = F * C + I * Gamma; H_new = O * tanh(C_new).

Arguments:
    X: shape (m, d).  H, C: shape (m, n).
    W: shape (4n, n).  U: shape (4n, d).  b: shape (4n,).
    (all float32 or all float64; entries of b may be +-1000, so pre-activations reach
    thousands, where exp overflows: above about 88.7 in float32 and 709.8 in float64)

Returns:
    (H_new, C_new): shapes (m, n), dtype of the inputs.
""",
    max_examples=50,
    reference=lstm_cell,
    arguments=_arguments(),
    outputs=("H_new", "C_new"),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""Columns [0, n) are the input gate, [n, 2n) the forget gate, [2n, 3n) the candidate (tanh),
[3n, 4n) the output gate. sigmoid(a) = (1 + tanh(a/2)) / 2 never overflows.""",
    wrong=(
        Wrong(_order_ifog, "gate order i, f, o, g", values(0), ""),
        Wrong(_no_tanh_out, "H_new = O * C_new", values(0), ""),
        Wrong(_swap_fi, "forget and input gates swapped", values(1), ""),
        Wrong(_exp_over_one_plus_exp, "sigmoid as e^a / (1 + e^a)", FINITE, ""),
        Wrong(_old_cell_in_output, "H_new = O tanh(C) with the old cell", values(0), ""),
        Wrong(_sigmoid_candidate, "candidate through sigmoid", values(1), ""),
    ),
)
