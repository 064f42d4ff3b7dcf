r"""Exercise ``ex-reg-potential`` (implementation): the potential $\Psi_\alpha$ of diagonal networks."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def potential(w, alpha):
    r"""$\Psi_\alpha(w) = \alpha^2\sum_iq(w_i/\alpha^2)$, $q(z) = 2 - \sqrt{4 + z^2} +
    z\operatorname{arcsinh}(z/2)$, with $2 - \sqrt{4 + z^2} = -z^2/(2 + \sqrt{4 + z^2})$."""
    a2 = alpha * alpha
    z = w / a2
    q = -z * z / (2 + np.sqrt(4 + z * z)) + z * np.arcsinh(z / 2)
    return np.asarray(a2 * np.sum(q), dtype=w.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n = draw(st.integers(1, 6))
    w = np.array(draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)), dtype=dtype)
    alpha = draw(st.sampled_from([1e-3, 0.1, 0.5, 1.0, 3.0, 30.0]))
    return {"w": w, "alpha": alpha}


def _no_alpha_square(w, alpha):
    z = w / alpha
    q = -z * z / (2 + np.sqrt(4 + z * z)) + z * np.arcsinh(z / 2)
    return np.asarray(alpha * alpha * np.sum(q), dtype=w.dtype)


def _kernel(w, alpha):
    return np.asarray(np.sum(w * w) / (4 * alpha * alpha), dtype=w.dtype)


def _cancelling(w, alpha):
    a2 = alpha * alpha
    z = (w / a2).astype(np.float32)
    q = 2 - np.sqrt(4 + z * z) + z * np.arcsinh(z / 2)
    return np.asarray(a2 * np.sum(q), dtype=w.dtype)


def _sign(w, alpha):
    a2 = alpha * alpha
    z = w / a2
    q = -z * z / (2 + np.sqrt(4 + z * z)) - z * np.arcsinh(z / 2)
    return np.asarray(a2 * np.sum(q), dtype=w.dtype)


EXERCISE = Implement(
    id="ex-reg-potential",
    title="The potential of a diagonal linear network",
    function="potential",
    parameters=("w", "alpha"),
    docstring=r"""Psi_alpha(w) = alpha^2 sum_i q(w_i / alpha^2), q(z) = 2 - sqrt(4 + z^2) + z arcsinh(z/2)
(eq-reg-potential).

Arguments:
    w: shape (n,), float32 or float64.
    alpha: a positive float.

Returns:
    a 0-dimensional array of the dtype of w; accurate also for |w| much smaller than alpha^2.
""",
    reference=potential,
    arguments=_arguments(),
    outputs=("Q",),
    tolerances={"float64": Tolerance(1e-9, 1e-12), "float32": Tolerance(1e-4, 1e-6)},
    hint=r"""Evaluate 2 - sqrt(4 + z^2) as -z^2/(2 + sqrt(4 + z^2)): for small z the difference of two
numbers close to 2 loses every digit.""",
    diagnoses=(
        Diagnosis(
            "Q", lambda kw: _kernel(**kw), "this is the kernel-regime limit ||w||^2/(4 alpha^2)"
        ),
        Diagnosis("Q", lambda kw: _no_alpha_square(**kw), "the argument of q is w_i / alpha^2"),
    ),
    wrong=(
        Wrong(_no_alpha_square, "w / alpha instead of w / alpha^2", values(0), "alpha^2"),
        Wrong(_kernel, "the quadratic approximation", values(0), "kernel"),
        Wrong(_sign, "z arcsinh with the wrong sign", values(0), "differs"),
    ),
)
