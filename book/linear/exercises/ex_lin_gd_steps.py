r"""Exercise ``ex-lin-gd-steps``: t steps of gradient descent on least squares from zero."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, RUNS, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def gd_steps(X, y, eta, t):
    r"""$w_t$ of Algorithm alg-lin-gd from $w_0 = 0$: $w_{k+1} = w_k - \eta X^\top(X w_k - y)$."""
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(t):
        w = w - eta * (X.T @ (X @ w - y))
    return w


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, n = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    X = draw(float_arrays(dtype, (m, n), bound=2.0))
    beta = float(np.linalg.norm(X.astype(np.float64), 2)) ** 2
    eta = draw(st.sampled_from((0.1, 0.5, 1.0))) / max(beta, 1.0)
    return {
        "X": X,
        "y": draw(float_arrays(dtype, (m,), bound=3.0)),
        "eta": eta,
        "t": draw(st.integers(0, 30)),
    }


def _mean_gradient(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(t):
        w = w - eta * (X.T @ (X @ w - y)) / X.shape[0]
    return w


def _ascent(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(t):
        w = w + eta * (X.T @ (X @ w - y))
    return w


def _one_more(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(t + 1):  # one step too many
        w = w - eta * (X.T @ (X @ w - y))
    return w


def _one_less(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(max(t - 1, 0)):  # counts w_0 as a step
        w = w - eta * (X.T @ (X @ w - y))
    return w


def _float64_start(X, y, eta, t):
    w = np.zeros(X.shape[1])  # float64: float32 inputs give a float64 result
    for _ in range(t):
        w = w - eta * (X.T @ (X @ w - y))
    return w


def _no_transpose(X, y, eta, t):
    w = np.zeros(X.shape[1], dtype=X.dtype)
    for _ in range(t):
        w = w - eta * (X @ w - y)
    return w


EXERCISE = Implement(
    id="ex-lin-gd-steps",
    title="Gradient descent from zero",
    function="gd_steps",
    parameters=("X", "y", "eta", "t"),
    docstring=r"""The iterate $w_t$ of gradient descent on $f(w) = \frac12\|Xw - y\|^2$ from
$w_0 = 0$ (Algorithm alg-lin-gd): $w_{k+1} = w_k - \eta X^\top (X w_k - y)$.

Arguments:
    X: shape (m, n), float32 or float64.
    y: shape (m,), dtype of X.
    eta: the step, a positive float.
    t: the number of steps, an integer >= 0.

Returns:
    w_t, shape (n,), dtype of X.
""",
    reference=gd_steps,
    arguments=_arguments(),
    outputs=("w",),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-3, 1e-4)},
    hint=r"""Start from np.zeros(n, dtype=X.dtype) and repeat t times:
w = w - eta * X.T @ (X @ w - y). The objective has no 1/m, so neither has its gradient; and
t = 0 returns w_0 = 0.""",
    diagnoses=(
        Diagnosis(
            "w",
            lambda kw: _mean_gradient(**kw),
            "the gradient was divided by m: f(w) = ||Xw - y||^2 / 2 has no 1/m",
        ),
        Diagnosis(
            "w",
            lambda kw: _ascent(**kw),
            "sign error: a descent step subtracts eta times the gradient",
        ),
        Diagnosis("w", lambda kw: _one_more(**kw), "one step too many: t steps from w_0 give w_t"),
    ),
    wrong=(
        Wrong(_mean_gradient, "divides the gradient by m", values(0), "1/m"),
        Wrong(_ascent, "gradient ascent", values(0), "sign error"),
        Wrong(_one_more, "t + 1 steps", values(0), "one step too many"),
        Wrong(_no_transpose, "forgets X^T", RUNS, "Error"),
        Wrong(_one_less, "t - 1 steps", values(0), "w"),
        Wrong(_float64_start, "starts from a float64 zero vector", DTYPE, "float"),
    ),
)
