r"""Exercise ``ex-ff-sigmoid-prime``: the derivative of the sigmoid, computed stably."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong
from deepqed.exercises.strategies import dtypes, float_arrays


def sigmoid_prime(Z):
    r"""$\sigma'(Z) = \sigma(Z)\,(1 - \sigma(Z))$, elementwise, without overflow.

    With $e = \exp(-|Z|) \in (0, 1]$: $\sigma'(Z) = e / (1 + e)^2$ (since $\sigma'$ is even).
    """
    e = np.exp(-np.abs(Z))
    return e / (1 + e) ** 2


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    return {"Z": draw(float_arrays(dtype, shape, bound=1000.0))}


def _unstable(Z):
    return np.exp(-Z) / (1 + np.exp(-Z)) ** 2


def _sigma(Z):
    return 1 / (1 + np.exp(-Z))


def _plus(Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 + s)


def _float64(Z):
    s = 1 / (1 + np.exp(-np.asarray(Z, dtype=np.float64)))
    return s * (1 - s)


def _in_place(Z):
    np.negative(Z, out=Z)
    e = np.exp(-np.abs(Z))
    return e / (1 + e) ** 2


EXERCISE = Implement(
    id="ex-ff-sigmoid-prime",
    title="The derivative of the sigmoid, stably",
    function="sigmoid_prime",
    parameters=("Z",),
    docstring=r"""Derivative of the logistic sigmoid, elementwise: $\sigma'(Z) = \sigma(Z)(1 - \sigma(Z))$,
with $\sigma(z) = 1 / (1 + e^{-z})$.

Arguments:
    Z: array of any shape, float32 or float64 (for example Z^l, shape (m, n_l)).

Returns:
    an array of the shape and dtype of Z. It must be finite for every finite Z,
    including |Z| in the hundreds (no overflow in exp).
""",
    reference=sigmoid_prime,
    arguments=_arguments(),
    outputs=("sigmoid_prime(Z)",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-6)},
    hint=r"""sigma' is even: sigma'(-z) = sigma'(z). Write it in terms of e = exp(-|z|), which lies in
(0, 1] and never overflows: sigma'(z) = e / (1 + e)^2. (sigma(Z) * (1 - sigma(Z)) is also fine,
provided sigma itself is computed without producing inf/inf.)""",
    diagnoses=(
        Diagnosis(
            "sigmoid_prime(Z)",
            lambda kw: _sigma(kw["Z"]),
            "this is sigma(Z) itself, not its derivative sigma(Z)(1 - sigma(Z))",
        ),
        Diagnosis(
            "sigmoid_prime(Z)",
            lambda kw: _plus(kw["Z"]),
            "this is sigma(Z)(1 + sigma(Z)): a sign error, sigma' = sigma (1 - sigma)",
        ),
    ),
    wrong=(
        Wrong(
            _unstable,
            "exp(-Z) / (1 + exp(-Z))^2 overflows to inf/inf for Z << 0",
            "finite",
            "overflow",
        ),
        Wrong(
            _sigma,
            "returns sigma instead of sigma'",
            "values of sigmoid_prime(Z)",
            "not its derivative",
        ),
        Wrong(_plus, "sign error: sigma (1 + sigma)", "values of sigmoid_prime(Z)", "sign error"),
        Wrong(_float64, "converts float32 input to float64", "dtype", "float32"),
        Wrong(_in_place, "negates Z in place", "inputs unchanged", "in place"),
    ),
)
