r"""Exercise ``ex-ker-rff-features``: the random Fourier feature map for given omega and b."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, OUTPUT_SHAPE, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def rff_features(X, omega, b):
    r"""$Z = \sqrt{2/D}\cos(X\Omega^\top + \mathbf 1_m b^\top)$, rows $z(x_i)^\top$
    (Definition def-rff)."""
    D = omega.shape[0]
    return (np.sqrt(2.0 / D) * np.cos(X @ omega.T + b)).astype(X.dtype, copy=False)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m, d, D = draw(st.integers(1, 5)), draw(st.integers(1, 4)), draw(st.integers(2, 8))
    return {
        "X": draw(float_arrays(dtype, (m, d), bound=3.0)),
        "omega": draw(float_arrays(dtype, (D, d), bound=3.0)),
        "b": draw(_phases(dtype, D)),
    }


def _phases(dtype, D):
    return st.lists(st.floats(0.0, 6.25, width=32), min_size=D, max_size=D).map(
        lambda v: np.asarray(v, dtype=dtype)
    )


def _no_sqrt2(X, omega, b):
    return (np.cos(X @ omega.T + b) / np.sqrt(omega.shape[0])).astype(X.dtype)


def _sin(X, omega, b):
    return (np.sqrt(2.0 / omega.shape[0]) * np.sin(X @ omega.T + b)).astype(X.dtype)


def _no_phase(X, omega, b):
    return (np.sqrt(2.0 / omega.shape[0]) * np.cos(X @ omega.T)).astype(X.dtype)


def _phase_outside(X, omega, b):
    return (np.sqrt(2.0 / omega.shape[0]) * np.cos(X @ omega.T) + b).astype(X.dtype)


def _float64(X, omega, b):
    D = omega.shape[0]
    return np.sqrt(2.0 / D) * np.cos(X.astype(np.float64) @ omega.T.astype(np.float64) + b)


def _sqrt2_over_D(X, omega, b):
    return (np.sqrt(2.0) / omega.shape[0] * np.cos(X @ omega.T + b)).astype(X.dtype)


def _transposed(X, omega, b):
    return (np.sqrt(2.0 / omega.shape[0]) * np.cos(X @ omega.T + b)).astype(X.dtype).T


EXERCISE = Implement(
    id="ex-ker-rff-features",
    title="Random Fourier features",
    function="rff_features",
    parameters=("X", "omega", "b"),
    docstring=r"""Random Fourier features (Definition def-rff) for given frequencies and phases:
$Z_{ij} = \sqrt{2/D}\,\cos(\omega_j^\top x_i + b_j)$.

Arguments:
    X: shape (m, d), rows x_i.
    omega: shape (D, d), rows omega_j (frequencies).
    b: shape (D,), phases in [0, 2 pi).
    (all float32 or all float64)

Returns:
    Z of shape (m, D) and the dtype of X, so that Z Z^T approximates the Gram matrix.
""",
    reference=rff_features,
    arguments=_arguments(),
    outputs=("Z",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-5)},
    hint=r"""X @ omega.T has shape (m, D); add b (broadcast over rows), take cos, multiply by
sqrt(2 / D) with D = omega.shape[0].""",
    wrong=(
        Wrong(_no_sqrt2, "scale 1/sqrt(D) instead of sqrt(2/D)", values(0), ""),
        Wrong(_sin, "sin instead of cos", values(0), ""),
        Wrong(_no_phase, "forgets the phases b", values(0), ""),
        Wrong(_transposed, "returns Z^T", OUTPUT_SHAPE, ""),
        Wrong(_phase_outside, "adds b outside the cosine", values(0), ""),
        Wrong(_float64, "computes float32 input in float64", DTYPE, ""),
        Wrong(_sqrt2_over_D, "scale sqrt(2)/D instead of sqrt(2/D)", values(0), ""),
    ),
)
