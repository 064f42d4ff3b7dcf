r"""Exercise ``ex-svm-dual-objective``: the dual objective and its gradient."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def dual_objective(alpha, y, K):
    r"""$D(\alpha) = \mathbf 1^\top\alpha - \frac12(\alpha\odot y)^\top K(\alpha\odot y)$ and
    $\nabla D(\alpha) = \mathbf 1 - y\odot K(\alpha\odot y)$ (Theorem thm-svm-dual)."""
    v = alpha * y
    Kv = K @ v
    D = np.asarray(np.sum(alpha) - 0.5 * (v @ Kv), dtype=alpha.dtype)
    return D, (1 - y * Kv).astype(alpha.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, d = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    B = draw(float_arrays(dtype, (m, d), bound=1.5))
    labels = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m))
    alpha = np.abs(draw(float_arrays(dtype, (m,), bound=2.0)))
    return {"alpha": alpha, "y": np.array(labels, dtype=dtype), "K": B @ B.T}


def _no_labels(alpha, y, K):
    Ka = K @ alpha
    return (
        np.asarray(np.sum(alpha) - 0.5 * (alpha @ Ka), dtype=alpha.dtype),
        (1 - Ka).astype(alpha.dtype),
    )


def _no_half(alpha, y, K):
    v = alpha * y
    return (
        np.asarray(np.sum(alpha) - v @ K @ v, dtype=alpha.dtype),
        (1 - 2 * y * (K @ v)).astype(alpha.dtype),
    )


def _grad_without_outer_y(alpha, y, K):
    v = alpha * y
    Kv = K @ v
    return (
        np.asarray(np.sum(alpha) - 0.5 * (v @ Kv), dtype=alpha.dtype),
        (1 - Kv).astype(alpha.dtype),
    )


def _gradient_of_f(alpha, y, K):
    v = alpha * y
    Kv = K @ v
    return (
        np.asarray(np.sum(alpha) - 0.5 * (v @ Kv), dtype=alpha.dtype),
        (y * Kv - 1).astype(alpha.dtype),  # the gradient G of f = -D, not of D
    )


EXERCISE = Implement(
    id="ex-svm-dual-objective",
    title="The dual objective and its gradient",
    function="dual_objective",
    parameters=("alpha", "y", "K"),
    docstring=r"""The SVM dual objective and its gradient (Theorem thm-svm-dual):
D(alpha) = sum_i alpha_i - 1/2 sum_{i,k} alpha_i alpha_k y_i y_k K_ik,
grad D(alpha)_t = 1 - y_t sum_k K_tk alpha_k y_k.

Arguments:
    alpha: shape (m,), float32 or float64 (any values: the constraints are not checked).
    y: labels in {-1, +1}, shape (m,), dtype of alpha.
    K: symmetric positive semi-definite Gram matrix, shape (m, m), dtype of alpha.

Returns:
    (D, grad): shapes () (use np.asarray) and (m,), dtype of alpha.
""",
    reference=dual_objective,
    arguments=_arguments(),
    outputs=("D", "grad"),
    tolerances={"float64": Tolerance(1e-10, 1e-9), "float32": Tolerance(2e-4, 2e-3)},
    properties=(
        Property(
            "Euler identity",
            "<grad D, alpha> = 2 D - 1^T alpha (D is linear + quadratic)",
            lambda kw, out: (
                out[1].astype(np.float64) @ kw["alpha"].astype(np.float64),
                2 * np.float64(out[0]) - np.sum(kw["alpha"], dtype=np.float64),
            ),
        ),
    ),
    hint=r"""With v = alpha * y (entrywise), D = sum(alpha) - 1/2 v^T K v; differentiate
v^T K v = sum_{ik} alpha_i y_i K_ik y_k alpha_k in alpha_t using the symmetry of K.""",
    diagnoses=(
        Diagnosis(
            "D",
            lambda kw: _no_labels(kw["alpha"], kw["y"], kw["K"])[0],
            "the labels are missing: the quadratic form is (alpha*y)^T K (alpha*y)",
        ),
        Diagnosis(
            "D",
            lambda kw: _no_half(kw["alpha"], kw["y"], kw["K"])[0],
            "the factor 1/2 of the quadratic term is missing",
        ),
        Diagnosis(
            "grad",
            lambda kw: _grad_without_outer_y(kw["alpha"], kw["y"], kw["K"])[1],
            "the gradient misses the outer factor y_t: grad D = 1 - y * (K (alpha*y))",
        ),
        Diagnosis(
            "grad",
            lambda kw: _gradient_of_f(kw["alpha"], kw["y"], kw["K"])[1],
            "this is the gradient G of the minimised f = -D; grad D = -G",
        ),
    ),
    wrong=(
        Wrong(_no_labels, "forgets y", values(0), "labels"),
        Wrong(_no_half, "forgets the 1/2", values(0), "factor 1/2"),
        Wrong(
            _grad_without_outer_y,
            "gradient without the outer y",
            values(1),
            "outer factor y_t",
        ),
        Wrong(_gradient_of_f, "the gradient of f = -D", values(1), "-D"),
    ),
)
