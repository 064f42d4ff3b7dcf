r"""Exercise ``ex-opt-affine-learner``: the learner L_eps of one affine layer."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def affine_learner(W, b, a, target, eps):
    r"""$g = Wa + b - \text{target}$; $(W - \varepsilon ga^\top,\ b - \varepsilon g,\ a - W^\top g)$
    (Definition def-opt-learner, Theorem thm-opt-backprop-functor)."""
    g = W @ a + b - target
    return W - eps * np.outer(g, a), b - eps * g, a - W.T @ g


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    q, p = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    eps = draw(st.sampled_from((0.01, 0.1, 0.5)))
    return {
        "W": draw(float_arrays(dtype, (q, p), bound=3.0)),
        "b": draw(float_arrays(dtype, (q,), bound=3.0)),
        "a": draw(float_arrays(dtype, (p,), bound=3.0)),
        "target": draw(float_arrays(dtype, (q,), bound=3.0)),
        "eps": eps,
    }


def _request_after_update(W, b, a, target, eps):
    g = W @ a + b - target
    W_new = W - eps * np.outer(g, a)
    return W_new, b - eps * g, a - W_new.T @ g


def _request_scaled(W, b, a, target, eps):
    g = W @ a + b - target
    return W - eps * np.outer(g, a), b - eps * g, a - eps * (W.T @ g)


def _sign(W, b, a, target, eps):
    g = target - (W @ a + b)
    return W - eps * np.outer(g, a), b - eps * g, a - W.T @ g


def _request_is_gradient(W, b, a, target, eps):
    g = W @ a + b - target
    return W - eps * np.outer(g, a), b - eps * g, W.T @ g


def _request_same_dtype_lost(W, b, a, target, eps):
    g = W @ a + b - target
    return (W - eps * np.outer(g, a)).astype(np.float64), b - eps * g, a - W.T @ g


EXERCISE = Implement(
    id="ex-opt-affine-learner",
    title="One layer as a learner",
    function="affine_learner",
    parameters=("W", "b", "a", "target", "eps"),
    docstring=r"""The learner L_eps of the affine layer I((W, b), a) = W a + b (Definition def-opt-learner)
with the error E = ||W a + b - target||^2 / 2: its update of (W, b) and its request.

Arguments:
    W: shape (q, p); b: shape (q,); a: shape (p,); target: shape (q,); float32 or float64.
    eps: the step, a positive float.

Returns:
    (W_new, b_new, request): shapes (q, p), (q,), (p,), the dtype of W. The request takes a full
    step (not eps) and uses the parameters before the update.
""",
    reference=affine_learner,
    arguments=_arguments(),
    outputs=("W_new", "b_new", "request"),
    tolerances={"float64": Tolerance(1e-9, 1e-10), "float32": Tolerance(1e-4, 1e-4)},
    max_examples=50,
    hint=r"""With g = W a + b - target: dE/dW = g a^T, dE/db = g, dE/da = W^T g. The update steps eps
against the parameter gradient; the request steps 1 against the input gradient, computed with the
old W.""",
    diagnoses=(
        Diagnosis(
            "request",
            lambda kw: _request_after_update(**kw)[2],
            "the request used the updated W; it must use the parameters before the update",
        ),
        Diagnosis(
            "request",
            lambda kw: _request_scaled(**kw)[2],
            "the request took a step eps; it takes a full step a - grad_a E",
        ),
        Diagnosis(
            "request",
            lambda kw: _request_is_gradient(**kw)[2],
            "returned grad_a E itself; the request is a - grad_a E (an input, not a gradient)",
        ),
        Diagnosis(
            "W_new",
            lambda kw: _sign(**kw)[0],
            "the step has the wrong sign: g = W a + b - target, and W_new = W - eps g a^T",
        ),
    ),
    wrong=(
        Wrong(_request_after_update, "request with the updated W", values(2), "updated"),
        Wrong(_request_scaled, "request scaled by eps", values(2), "full step"),
        Wrong(_sign, "error with the wrong sign", values(0), "sign"),
        Wrong(_request_is_gradient, "returns the gradient as request", values(2), "a - grad"),
        Wrong(_request_same_dtype_lost, "promotes W_new to float64", DTYPE, ""),
    ),
)
