r"""Exercise ``ex-svm-hinge-subgradient``: the soft-margin objective's subgradient."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def primal_subgradient(w, b, X, y, C):
    r"""$(g_w, g_b) = (w - C\sum_{i\in A}y_ix_i, -C\sum_{i\in A}y_i)$,
    $A = \{i: y_i(\langle w, x_i\rangle + b) < 1\}$ (Proposition prop-svm-subgradient)."""
    active = y * (X @ w + b) < 1
    coeff = np.where(active, y, 0).astype(X.dtype)
    g_w = w - X.dtype.type(C) * (X.T @ coeff)
    g_b = np.asarray(-X.dtype.type(C) * np.sum(coeff), dtype=X.dtype)
    return g_w, g_b


def _quarters(dtype, shape):
    """Multiples of 1/4 in [-2, 2]: every product and sum below is exact in float32 and float64,
    so all implementations agree on which samples are active."""
    return hnp.arrays(np.dtype(dtype), shape, elements=st.integers(-8, 8).map(lambda k: k / 4))


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, d = draw(st.integers(2, 6)), draw(st.integers(1, 4))
    labels = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m))
    return {
        "w": draw(_quarters(dtype, (d,))),
        "b": draw(_quarters(dtype, ())),
        "X": draw(_quarters(dtype, (m, d))),
        "y": np.array(labels, dtype=dtype),
        "C": draw(st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0])),
    }


def _hinge_part(w, b, X, y, C):
    """C sum_{i in A} y_i x_i and C sum_{i in A} y_i (a helper of the wrong solutions)."""
    coeff = np.where(y * (X @ w + b) < 1, y, 0).astype(X.dtype)
    return X.dtype.type(C) * (X.T @ coeff), np.asarray(X.dtype.type(C) * np.sum(coeff), X.dtype)


def _no_regulariser(w, b, X, y, C):
    h_w, h_b = _hinge_part(w, b, X, y, C)
    return -h_w, np.asarray(-h_b)


def _sign(w, b, X, y, C):
    h_w, h_b = _hinge_part(w, b, X, y, C)
    return w + h_w, h_b


def _all_samples(w, b, X, y, C):
    coeff = y.astype(X.dtype)
    return (
        w - X.dtype.type(C) * (X.T @ coeff),
        np.asarray(-X.dtype.type(C) * np.sum(coeff), dtype=X.dtype),
    )


def _kink_counted(w, b, X, y, C):
    coeff = np.where(y * (X @ w + b) <= 1, y, 0).astype(X.dtype)  # <= counts the kinks
    return w - X.dtype.type(C) * (X.T @ coeff), np.asarray(
        -X.dtype.type(C) * np.sum(coeff), X.dtype
    )


def _no_offset(w, b, X, y, C):
    coeff = np.where(y * (X @ w) < 1, y, 0).astype(X.dtype)  # the margin without b
    return w - X.dtype.type(C) * (X.T @ coeff), np.asarray(
        -X.dtype.type(C) * np.sum(coeff), X.dtype
    )


def _no_C(w, b, X, y, C):
    h_w, h_b = _hinge_part(w, b, X, y, 1.0)
    return w - h_w, np.asarray(-h_b)


EXERCISE = Implement(
    id="ex-svm-hinge-subgradient",
    title="A subgradient of the soft-margin objective",
    function="primal_subgradient",
    parameters=("w", "b", "X", "y", "C"),
    docstring=r"""A subgradient (g_w, g_b) of
P(w, b) = 1/2 ||w||^2 + C sum_i max(0, 1 - y_i (<w, x_i> + b))
(Proposition prop-svm-subgradient); at a kink y_i (<w, x_i> + b) = 1 take the hinge's
subgradient 0 (sample i is active only if y_i (<w, x_i> + b) < 1).

Arguments:
    w: shape (d,), float32 or float64.
    b: shape () (a 0-d array), dtype of w.
    X: samples, one per row, shape (m, d), dtype of w.
    y: labels in {-1, +1}, shape (m,), dtype of w.
    C: a positive Python float.

Returns:
    (g_w, g_b): shapes (d,) and () (use np.asarray for g_b), dtype of w.
""",
    reference=primal_subgradient,
    arguments=_arguments(),
    outputs=("g_w", "g_b"),
    tolerances={"float64": Tolerance(1e-12, 1e-12), "float32": Tolerance(1e-5, 1e-5)},
    hint=r"""Each hinge term max(0, l_i) with l_i = 1 - y_i(<w, x_i> + b) affine contributes the
gradient of l_i, namely (-y_i x_i, -y_i), where l_i > 0, and 0 elsewhere. Add w for 1/2||w||^2 and
multiply the hinge part by C.""",
    diagnoses=(
        Diagnosis(
            "g_w",
            lambda kw: _no_regulariser(kw["w"], kw["b"], kw["X"], kw["y"], kw["C"])[0],
            "g_w misses the term w, the gradient of 1/2 ||w||^2",
        ),
        Diagnosis(
            "g_w",
            lambda kw: _all_samples(kw["w"], kw["b"], kw["X"], kw["y"], kw["C"])[0],
            "every sample was counted; only those with y_i(<w, x_i> + b) < 1 contribute",
        ),
        Diagnosis(
            "g_w",
            lambda kw: _no_C(kw["w"], kw["b"], kw["X"], kw["y"], kw["C"])[0],
            "the factor C of the hinge part is missing",
        ),
        Diagnosis(
            "g_w",
            lambda kw: _kink_counted(kw["w"], kw["b"], kw["X"], kw["y"], kw["C"])[0],
            "samples with y_i(<w, x_i> + b) = 1 were counted: at the kink the convention takes "
            "the hinge's subgradient 0 (strict inequality < 1)",
        ),
        Diagnosis(
            "g_w",
            lambda kw: _no_offset(kw["w"], kw["b"], kw["X"], kw["y"], kw["C"])[0],
            "the active set was computed without the offset b: y_i(<w, x_i> + b) < 1",
        ),
    ),
    wrong=(
        Wrong(_no_regulariser, "forgets the w of 1/2||w||^2", values(0), "1/2 ||w||^2"),
        Wrong(_sign, "adds C y_i x_i instead of subtracting", values(0)),
        Wrong(_all_samples, "sums over all samples", values(0), "every sample"),
        Wrong(_no_C, "forgets C", values(0), "factor C"),
        Wrong(_kink_counted, "counts samples on the kink (<= 1)", values(0), "kink"),
        Wrong(_no_offset, "the margin without b", values(0), "offset b"),
    ),
)
