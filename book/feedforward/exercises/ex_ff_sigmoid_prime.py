r"""Exercise ``ex-ff-sigmoid-prime``: the derivative of the sigmoid, computed stably: finite and
relatively accurate for every input, including the saturated ones."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises.spec import (
    DTYPE,
    FINITE,
    INPUTS_UNCHANGED,
    Diagnosis,
    Implement,
    Tolerance,
    Wrong,
    values,
)
from deepqed.exercises.strategies import dtypes, float_arrays


def sigmoid_prime(Z):
    r"""$\sigma'(Z) = \sigma(Z)\,(1 - \sigma(Z))$, elementwise, without overflow or cancellation.

    With $e = \exp(-|Z|) \in (0, 1]$: $\sigma'(Z) = e / (1 + e)^2$ (since $\sigma'$ is even); no
    subtraction, so the relative error is a few units in the last place.
    """
    e = np.exp(-np.abs(Z))
    return e / (1 + e) ** 2


#: Where sigma'(z) = e^{-|z|}/(1 + e^{-|z|})^2 is still a normal number, per dtype: the saturated
#: range in which sigma(1 - sigma) has lost all its digits.
SATURATED = {np.dtype(np.float64): 700.0, np.dtype(np.float32): 85.0}


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple))
    family = draw(st.sampled_from(("any", "saturated", "small")))
    if family == "any":
        return {"Z": draw(float_arrays(dtype, shape, bound=1000.0))}
    if family == "small":
        return {"Z": draw(float_arrays(dtype, shape, bound=1.0))}
    # saturated: |z| between 10 and the underflow of sigma', both signs (where 1 - sigma cancels)
    top = SATURATED[dtype]
    width = 32 if dtype == np.float32 else 64
    magnitude = st.floats(10.0, top, width=width)
    elements = st.tuples(magnitude, st.sampled_from((-1.0, 1.0))).map(lambda t: t[0] * t[1])
    return {"Z": draw(hnp.arrays(dtype, shape, elements=elements))}


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


def _product(Z):
    # the formula of the proposition, with a sigmoid that never overflows
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)  # 1 - s cancels for Z >> 0: no correct digit left where s rounds to 1


def _tanh_form(Z):
    return 0.25 * (1 - np.tanh(Z / 2) ** 2)  # 1 - tanh^2 cancels in the same way


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
    an array of the shape and dtype of Z, finite for every finite Z, with every entry within a
    relative error of 1e-12 (float64) or 1e-4 (float32) of sigma'(z) -- also where |z| is in the
    hundreds and sigma'(z) is as small as e^{-|z|} (values below the smallest normal number,
    about 2e-308 or 1e-38, may be rounded to 0). Z must not be modified.
""",
    reference=sigmoid_prime,
    arguments=_arguments(),
    outputs=("sigmoid_prime(Z)",),
    tolerances={"float64": Tolerance(1e-12, 1e-300), "float32": Tolerance(1e-4, 2e-38)},
    hint=r"""sigma' is even: sigma'(-z) = sigma'(z). Write it in terms of e = exp(-|z|), which lies in
(0, 1] and never overflows: sigma'(z) = e / (1 + e)^2. The product sigma(z) (1 - sigma(z)) is exact
in exact arithmetic but not in floating point: for z > 37 (float64) sigma(z) rounds to 1 and
1 - sigma(z) to 0, although sigma'(z) = e^{-z} is a perfectly representable number.""",
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
        Diagnosis(
            "sigmoid_prime(Z)",
            lambda kw: _product(kw["Z"]),
            "this is sigma(Z)(1 - sigma(Z)) evaluated as written: for large Z, 1 - sigma(Z) "
            "cancels and the relative accuracy is lost; use e^{-|Z|}/(1 + e^{-|Z|})^2",
        ),
    ),
    wrong=(
        Wrong(
            _unstable,
            "exp(-Z) / (1 + exp(-Z))^2 overflows to inf/inf for Z << 0",
            FINITE,
            "overflow",
        ),
        Wrong(
            _sigma,
            "returns sigma instead of sigma'",
            values(0),
            "not its derivative",
        ),
        Wrong(_plus, "sign error: sigma (1 + sigma)", values(0), "sign error"),
        Wrong(_float64, "converts float32 input to float64", DTYPE, "float32"),
        Wrong(_in_place, "negates Z in place", INPUTS_UNCHANGED, "in place"),
        Wrong(
            _product,
            "s (1 - s) with a stable s: loses every digit where 1 - s cancels",
            values(0),
            "cancels",
        ),
        Wrong(
            _tanh_form,
            "(1 - tanh(Z/2)^2)/4: the same cancellation",
            values(0),
            "differs from the reference",
        ),
    ),
)
