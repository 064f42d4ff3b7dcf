r"""Exercise ``ex-pre-logdet-grad``: the gradient of log det on positive definite matrices."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import (
    DTYPE,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def logdet_grad(X):
    r"""$\nabla\log\det X = X^{-1}$ for symmetric positive definite X (Proposition
    prop-matrix-derivatives, part 4), by a linear solve; symmetrised."""
    G = np.linalg.solve(X, np.eye(X.shape[0], dtype=X.dtype))
    return ((G + G.T) / 2).astype(X.dtype)


#: Scales 2^k: multiplying by them is exact, so every correct solution scales exactly (and the
#: inverse grows, so that the relative tolerance decides), while det of 2^k X_0, 2^(kn) det X_0,
#: underflows to 0 for n = 4.
_SCALES = {np.dtype("float32"): (0, -40), np.dtype("float64"): (0, -300)}


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n = draw(st.integers(1, 4))
    M = draw(float_arrays(dtype, (n, n), bound=3.0))
    X = (M @ M.T + n * np.eye(n, dtype=dtype)).astype(dtype)  # lambda_min >= n: well conditioned
    k = draw(st.sampled_from(_SCALES[np.dtype(dtype)]))
    return {"X": np.ldexp(X, k).astype(dtype)}


def _identity(X):
    return X.copy()


def _times_det(X):
    return (np.linalg.det(X) * np.linalg.inv(X)).astype(X.dtype)


def _negative(X):
    return (-np.linalg.inv(X)).astype(X.dtype)


def _adjugate(X):
    """The adjugate over the determinant: cofactors by determinants of minors."""
    n = X.shape[0]
    C = np.empty_like(X)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(X, i, axis=0), j, axis=1)
            C[i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return (C.T / np.linalg.det(X)).astype(X.dtype)


def _float64(X):
    return np.linalg.inv(X.astype(np.float64))


EXERCISE = Implement(
    id="ex-pre-logdet-grad",
    title="The gradient of log det",
    function="logdet_grad",
    parameters=("X",),
    docstring=r"""The gradient of f(X) = log det X at a symmetric positive definite X, in the
space of symmetric matrices with the Frobenius inner product (Proposition prop-matrix-derivatives):
the symmetric matrix G with D f(X)[H] = <G, H> for all symmetric H.

Arguments:
    X: shape (n, n), symmetric positive definite, float32 or float64, at any scale (its
        determinant may underflow to 0).

Returns:
    G: shape (n, n), symmetric, the dtype of X.
""",
    reference=logdet_grad,
    arguments=_arguments(),
    outputs=("G",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-3, 1e-5)},
    hint=r"""log det(X + H) - log det X = log det(I + X^{-1/2} H X^{-1/2}) = tr(X^{-1} H) + o(|H|).
Compute X^{-1} by solving X G = I (np.linalg.solve), not through the determinant.""",
    properties=(
        Property(
            "G X = I",
            "G is the inverse of X: G X = I",
            lambda kw, G: (G @ kw["X"], np.eye(kw["X"].shape[0], dtype=G.dtype)),
        ),
    ),
    diagnoses=(
        Diagnosis(
            "G",
            lambda kw: -np.linalg.inv(kw["X"]),
            "got -X^{-1}: that is the sign of the derivative of X -> X^{-1}, not of log det",
        ),
        Diagnosis(
            "G",
            lambda kw: np.linalg.det(kw["X"]) * np.linalg.inv(kw["X"]),
            "got det(X) X^{-1}, the gradient of det X; log det divides by det X",
        ),
    ),
    wrong=(
        Wrong(_identity, "returns X", values(0), "differs"),
        Wrong(_times_det, "gradient of det instead of log det", values(0), "gradient of det"),
        Wrong(_negative, "-X^{-1}", values(0), "sign"),
        Wrong(_float64, "converts to float64", DTYPE, "float32"),
        Wrong(_adjugate, "adjugate / det (det underflows or loses its digits)", values(0), "G"),
    ),
)
