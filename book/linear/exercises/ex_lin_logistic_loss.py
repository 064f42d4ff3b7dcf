r"""Exercise ``ex-lin-logistic-loss``: the logistic loss with full relative accuracy."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import FINITE, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def logistic_losses(z, y):
    r"""$\ell(z, y) = \log(1 + e^{-\tilde y z})$ with $\tilde y = 2y - 1$, as
    ``logaddexp(0, -ytilde z)`` (Definition def-lin-logistic)."""
    return np.logaddexp(np.zeros((), dtype=z.dtype), -(2 * y - 1) * z)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    m = draw(st.integers(1, 6))
    z = draw(float_arrays(dtype, (m,), bound=1000.0))
    labels = draw(st.lists(st.sampled_from((0.0, 1.0)), min_size=m, max_size=m))
    return {"z": z, "y": np.array(labels, dtype=dtype)}


def _naive(z, y):
    return np.log(1 + np.exp(z)) - y * z


def _cancellation(z, y):
    return np.logaddexp(np.zeros((), dtype=z.dtype), z) - y * z


def _sign(z, y):
    return np.logaddexp(np.zeros((), dtype=z.dtype), (2 * y - 1) * z)


def _log1p_exp(z, y):
    # log1p(exp(t)) overflows to inf for t > 709 (float64), t > 88 (float32)
    with np.errstate(over="ignore"):
        return np.log1p(np.exp(-(2 * y - 1) * z))


def _log_one_plus(z, y):
    # log(1 + e^t): 1 + e^t rounds to 1 for t < -37, so a tiny loss becomes 0
    with np.errstate(over="ignore"):
        return np.log(1 + np.exp(-(2 * y - 1) * z))


def _pm_one(z, y):
    return np.logaddexp(np.zeros((), dtype=z.dtype), -y * z)


EXERCISE = Implement(
    id="ex-lin-logistic-loss",
    title="The logistic loss, stably",
    function="logistic_losses",
    parameters=("z", "y"),
    docstring=r"""Per-sample logistic losses $\ell(z_i, y_i) = \log(1 + e^{z_i}) - y_i z_i$
(Definition def-lin-logistic), finite for all inputs and with small relative error even where the
loss is tiny (e.g. 4.2e-18 for z = 40, y = 1).

Arguments:
    z: scores, shape (m,), float32 or float64, entries up to 1000 in absolute value.
    y: labels in {0, 1}, shape (m,), dtype of z.

Returns:
    shape (m,), dtype of z.
""",
    reference=logistic_losses,
    arguments=_arguments(),
    outputs=("loss",),
    tolerances={"float64": Tolerance(1e-12, 1e-300), "float32": Tolerance(1e-5, 1e-37)},
    hint=r"""Write the loss as log(1 + e^t) with t = -(2y - 1) z (check y = 0 and y = 1 separately),
and evaluate log(1 + e^t) = max(t, 0) + log1p(exp(-|t|)), which is np.logaddexp(0, t). Subtracting
y z from a stable log(1 + e^z) still loses every digit when the result is much smaller than z.""",
    diagnoses=(
        Diagnosis(
            "loss",
            lambda kw: _cancellation(**kw),
            "log(1 + e^z) - y z cancels: for y = 1 and large z the two terms are nearly "
            "equal (cancellation); use the margin form log(1 + exp(-(2y - 1) z))",
        ),
        Diagnosis(
            "loss",
            lambda kw: _sign(**kw),
            "sign error: the loss is log(1 + exp(-(2y - 1) z)), small when z has the sign "
            "of 2y - 1",
        ),
        Diagnosis(
            "loss",
            lambda kw: _pm_one(**kw),
            "the labels are in {0, 1}, not {-1, +1}: use 2y - 1 in the margin",
        ),
    ),
    wrong=(
        Wrong(_naive, "exp overflows", FINITE, "finite"),
        Wrong(_cancellation, "stable log(1 + e^z) minus y z", values(0), "cancellation"),
        Wrong(_sign, "sign error in the margin", values(0), "sign error"),
        Wrong(_pm_one, "labels treated as -1/+1", values(0), "{0, 1}"),
        Wrong(_log1p_exp, "log1p(exp(t)) without the max shift", FINITE, "finite"),
        Wrong(_log_one_plus, "log(1 + exp(t)): tiny losses become 0", values(0), "loss"),
    ),
)
