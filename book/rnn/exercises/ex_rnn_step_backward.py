r"""Exercise ``ex-rnn-step-backward``: the backward rule of one step of a tanh recurrent layer."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import INPUTS_UNCHANGED, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def rnn_step_backward(G, H, H_prev, X, W):
    r"""One step of Algorithm alg-rnn-bptt for $H = \tanh(H_{prev}W^\top + XU^\top + 1_m b^\top)$:
    $\Delta = \bar G\odot(1 - H\odot H)$; $dW = \Delta^\top H_{prev}$, $dU = \Delta^\top X$,
    $db = \Delta^\top 1_m$, $G_{prev} = \Delta W$."""
    Delta = G * (1 - H * H)
    return Delta.T @ H_prev, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, n, d = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    # |Z| up to 30: tanh saturates to +-1 exactly (|Z| > 9.1 in float32, > 19.1 in float64)
    H = np.tanh(draw(float_arrays(dtype, (m, n), bound=30.0))).astype(dtype)
    return {
        "G": draw(float_arrays(dtype, (m, n))),
        "H": H,
        "H_prev": np.tanh(draw(float_arrays(dtype, (m, n), bound=3.0))).astype(dtype),
        "X": draw(float_arrays(dtype, (m, d))),
        "W": draw(float_arrays(dtype, (n, n))),
    }


def _no_derivative(G, H, H_prev, X, W):
    return G.T @ H_prev, G.T @ X, np.sum(G, axis=0), G @ W


def _wrong_derivative(G, H, H_prev, X, W):
    Delta = G * (1 - H)
    return Delta.T @ H_prev, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W


def _uses_H(G, H, H_prev, X, W):
    Delta = G * (1 - H * H)
    return Delta.T @ H, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W


def _derivative_at_H(G, H, H_prev, X, W):
    """tanh' evaluated at H instead of at Z = artanh(H): 1/cosh(H)^2."""
    Delta = G / np.cosh(H) ** 2
    return Delta.T @ H_prev, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W


def _adds_direct_gradient(G, H, H_prev, X, W):
    """G_prev includes G itself (the caller adds the direct gradient G_{t-1}, not this step)."""
    Delta = G * (1 - H * H)
    return Delta.T @ H_prev, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W + G


def _in_place(G, H, H_prev, X, W):
    """Overwrites G with Delta (G *= ...), changing the caller's array."""
    G *= 1 - H * H
    return G.T @ H_prev, G.T @ X, np.sum(G, axis=0), G @ W


def _G_prev_transposed(G, H, H_prev, X, W):
    Delta = G * (1 - H * H)
    return Delta.T @ H_prev, Delta.T @ X, np.sum(Delta, axis=0), Delta @ W.T


EXERCISE = Implement(
    id="ex-rnn-step-backward",
    title="The backward step of a recurrent layer",
    function="rnn_step_backward",
    parameters=("G", "H", "H_prev", "X", "W"),
    docstring=r"""Backward rule of one step H = tanh(H_prev W^T + X U^T + 1 b^T) of a tanh recurrent layer
(Algorithm alg-rnn-bptt, steps 3.1, 3.2 and the step's terms of step 4).

Arguments:
    G: the total gradient of the objective with respect to H, shape (m, n).
    H: the step's output, shape (m, n); entries may be exactly +1 or -1 (saturated tanh).
    H_prev: the previous state, shape (m, n).
    X: the step's input, shape (m, d).
    W: the recurrent weights, shape (n, n).
    (all float32 or all float64)

Returns:
    (dW, dU, db, G_prev): this step's contributions to the gradients with respect to W, U, b,
    and the gradient that this step passes to H_prev (Delta W; the direct gradient of the
    objective with respect to H_prev is not included: the caller adds it); shapes (n, n),
    (n, d), (n,), (m, n). The arguments must not be modified.
""",
    max_examples=50,
    reference=rnn_step_backward,
    arguments=_arguments(),
    outputs=("dW", "dU", "db", "G_prev"),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    hint=r"""First Delta = G * tanh'(Z), and tanh'(Z) = 1 - tanh(Z)^2 = 1 - H * H: you do not need Z. Then
the affine layer's backward rule (Lemma lem-affine-layer): Delta^T H_prev, Delta^T X, the column
sums of Delta, and Delta W.""",
    diagnoses=(
        Diagnosis(
            "dW",
            lambda kw: kw["G"].T @ kw["H_prev"],
            "got G^T H_prev: multiply G by tanh'(Z) = 1 - H*H first",
        ),
        Diagnosis(
            "dW",
            lambda kw: (kw["G"] * (1 - kw["H"])).T @ kw["H_prev"],
            "used 1 - H as the derivative; tanh' = 1 - tanh^2 = 1 - H*H",
        ),
        Diagnosis(
            "G_prev",
            lambda kw: (kw["G"] * (1 - kw["H"] ** 2)) @ kw["W"].T,
            "got Delta W^T; the gradient with respect to H_prev is Delta W",
        ),
    ),
    wrong=(
        Wrong(_no_derivative, "forgets tanh'", values(0), "1 - H*H"),
        Wrong(_wrong_derivative, "1 - H instead of 1 - H^2", values(0), "1 - H*H"),
        Wrong(_uses_H, "Delta^T H instead of Delta^T H_prev", values(0), ""),
        Wrong(_G_prev_transposed, "Delta W^T", values(3), "Delta W"),
        Wrong(_derivative_at_H, "tanh'(H) instead of tanh'(Z)", values(0)),
        Wrong(_adds_direct_gradient, "G_prev = Delta W + G", values(3)),
        Wrong(_in_place, "G overwritten in place", INPUTS_UNCHANGED),
    ),
)
