r"""Exercise ``ex-wide-linearised``: residuals of gradient descent on a linearised model."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import float_arrays


def linearised_residual(Theta, r0, eta, k):
    r"""$r_k = (I - \eta\Theta)^kr_0$ (Proposition prop-wide-linearised)."""
    return np.linalg.matrix_power(np.eye(Theta.shape[0]) - eta * Theta, k) @ r0


@st.composite
def _arguments(draw):
    f64 = np.dtype(np.float64)
    n, P = draw(st.integers(1, 4)), draw(st.integers(1, 6))
    J = draw(float_arrays(f64, (n, P), bound=2.0))
    Theta = J @ J.T
    lam = float(np.linalg.eigvalsh(Theta)[-1]) if n else 0.0
    eta = draw(st.sampled_from((0.3, 0.9, 1.5))) / max(lam, 1.0)
    return {
        "Theta": Theta,
        "r0": draw(float_arrays(f64, (n,), bound=3.0)),
        "eta": eta,
        "k": draw(st.integers(0, 12)),
    }


def _one_step_less(Theta, r0, eta, k):
    return np.linalg.matrix_power(np.eye(Theta.shape[0]) - eta * Theta, k - 1) @ r0


def _flow(Theta, r0, eta, k):
    lam, Q = np.linalg.eigh(Theta)
    return Q @ (np.exp(-k * eta * lam) * (Q.T @ r0))


def _no_eta(Theta, r0, eta, k):
    return np.linalg.matrix_power(np.eye(Theta.shape[0]) - Theta, k) @ r0


EXERCISE = Implement(
    id="ex-wide-linearised",
    title="Linearised residuals",
    function="linearised_residual",
    parameters=("Theta", "r0", "eta", "k"),
    docstring=r"""The residual after k steps of gradient descent with step eta on the linearised model
(Proposition prop-wide-linearised): r_k = (I - eta Theta)^k r0.

Arguments:
    Theta: array of shape (n, n), float64, symmetric positive semi-definite (the tangent kernel).
    r0: array of shape (n,), float64 (the initial residual u_0 - y).
    eta: float > 0.
    k: int >= 0.

Returns:
    an array of shape (n,), float64.
""",
    reference=linearised_residual,
    arguments=_arguments(),
    outputs=("r_k",),
    tolerances={"float64": Tolerance(1e-9, 1e-9)},
    hint=r"""Each step of gradient descent on the linearised loss multiplies the residual by
I - eta Theta (induction on k). np.linalg.matrix_power computes the k-th power.""",
    wrong=(
        Wrong(_one_step_less, "k - 1 factors", values(0), ""),
        Wrong(_flow, "gradient flow exp(-k eta Theta) instead of gradient descent", values(0), ""),
        Wrong(_no_eta, "forgets the step eta", values(0), ""),
    ),
)
