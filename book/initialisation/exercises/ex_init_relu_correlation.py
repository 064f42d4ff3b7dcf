r"""Exercise ``ex-init-relu-correlation``: the ReLU correlation map."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, FINITE, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def relu_correlation(rho):
    r"""$\varrho(\rho) = (\sqrt{1 - \rho^2} + (\pi - \arccos\rho)\rho)/\pi$ with $\rho$ clipped to
    $[-1, 1]$ (Proposition prop-init-relu-nngp)."""
    r = np.clip(rho, -1, 1)
    return (np.sqrt(np.maximum(1 - r * r, 0)) + (np.pi - np.arccos(r)) * r) / np.pi


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=2).map(tuple))
    rho = draw(float_arrays(dtype, shape, bound=1.0))
    if draw(st.booleans()):  # correlations that rounding pushed just outside [-1, 1]
        eps = np.finfo(dtype).eps
        rho.flat[0] = dtype.type(1 + 2 * eps)
        rho.flat[-1] = dtype.type(-1 - 2 * eps)
    return {"rho": rho}


def _no_clip(rho):
    with np.errstate(invalid="ignore"):
        return (np.sqrt(1 - rho * rho) + (np.pi - np.arccos(rho)) * rho) / np.pi


def _arccos_not_complement(rho):
    r = np.clip(rho, -1, 1)
    return (np.sqrt(np.maximum(1 - r * r, 0)) + np.arccos(r) * r) / np.pi


def _no_pi(rho):
    r = np.clip(rho, -1, 1)
    return np.sqrt(np.maximum(1 - r * r, 0)) + (np.pi - np.arccos(r)) * r


def _float64(rho):
    r = np.clip(rho.astype(np.float64), -1, 1)
    return (np.sqrt(np.maximum(1 - r * r, 0)) + (np.pi - np.arccos(r)) * r) / np.pi


EXERCISE = Implement(
    id="ex-init-relu-correlation",
    title="The ReLU correlation map",
    function="relu_correlation",
    parameters=("rho",),
    docstring=r"""The correlation map of ReLU networks (Proposition prop-init-relu-nngp):
rho -> (sqrt(1 - rho^2) + (pi - arccos(rho)) rho) / pi, elementwise. The inputs are correlations
computed in floating point and may exceed [-1, 1] by a few units of rounding: clip them.

Arguments:
    rho: array of any shape, float32 or float64.

Returns:
    an array of the shape and dtype of rho, with values in [0, 1].
""",
    reference=relu_correlation,
    arguments=_arguments(),
    outputs=("varrho",),
    tolerances={"float64": Tolerance(1e-12, 1e-14), "float32": Tolerance(1e-5, 1e-6)},
    hint=r"""np.clip(rho, -1, 1) first. The map comes from E[relu(u) relu(v)] for a standard Gaussian
pair with correlation rho (chapter 5's arc-cosine kernel), divided by E relu(u)^2 = 1/2.""",
    properties=(Property("range", "values in [0, 1]", lambda kw, r: (np.clip(r, 0, 1), r)),),
    wrong=(
        Wrong(_no_clip, "no clip: NaN just outside [-1, 1]", FINITE, ""),
        Wrong(
            _arccos_not_complement,
            "arccos(rho) instead of pi - arccos(rho)",
            values(0),
            "",
        ),
        Wrong(_no_pi, "forgets the factor 1/pi", values(0), ""),
        Wrong(_float64, "returns float64 for float32 input", DTYPE, ""),
    ),
)
