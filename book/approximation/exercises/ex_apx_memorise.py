r"""Exercise ``ex-apx-memorise``: the output weights of the memorising network."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes


def output_weights(z, y):
    r"""$v$ with $y_i = y_1 + \sum_{j<i}v_j(z_i - \beta_j)$, $\beta_j = (z_j + z_{j+1})/2$
    (Theorem thm-apx-memorisation): forward substitution in a lower triangular system."""
    import scipy.linalg

    beta = (z[:-1] + z[1:]) / 2
    T = np.maximum(z[1:, None] - beta[None, :], 0)
    return scipy.linalg.solve_triangular(T, y[1:] - y[0], lower=True).astype(z.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    n = draw(st.integers(2, 9))
    offset = draw(st.sampled_from([0.0, 0.0, 50.0, -300.0]))
    gaps = np.array(draw(st.lists(st.floats(0.1, 2.0), min_size=n - 1, max_size=n - 1)))
    z = offset + np.concatenate([[0.0], np.cumsum(gaps)])
    y = np.array(draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n)))
    return {"z": z.astype(dtype), "y": y.astype(dtype)}


def _residual(kw, v):
    # the network's hidden biases beta_j are stored in the dtype of z (in float32 near z = -300
    # they differ from the float64 midpoints by an ulp of 300, about a third of a percent of a
    # gap of 0.1, which the alternating v of forward substitution would amplify); the sum is
    # evaluated in float64
    z, y = kw["z"], kw["y"].astype(np.float64)
    beta = ((z[:-1] + z[1:]) / 2).astype(np.float64)
    z = z.astype(np.float64)
    f = y[0] + np.maximum(z[:, None] - beta[None, :], 0) @ v.astype(np.float64)
    return f, y


def _consecutive(z, y):
    beta = (z[:-1] + z[1:]) / 2
    return (np.diff(y) / (z[1:] - beta)).astype(z.dtype)


def _upper(z, y):
    beta = (z[:-1] + z[1:]) / 2
    T = np.maximum(beta[None, :] - z[1:, None], 0) + np.diag(z[1:] - beta)
    return np.linalg.solve(T, y[1:] - y[0]).astype(z.dtype)


def _no_offset(z, y):
    import scipy.linalg

    beta = (z[:-1] + z[1:]) / 2
    T = np.maximum(z[1:, None] - beta[None, :], 0)
    return scipy.linalg.solve_triangular(T, y[1:], lower=True).astype(z.dtype)


EXERCISE = Implement(
    id="ex-apx-memorise",
    title="The output weights of the memorising network",
    function="output_weights",
    parameters=("z", "y"),
    docstring=r"""Output weights v of f(x) = y_1 + sum_{j=1}^{n-1} v_j ReLU(z - beta_j) with
beta_j = (z_j + z_{j+1}) / 2, such that f = y_i at z = z_i for every i (Theorem
thm-apx-memorisation, with z_i = <a, x_i> already sorted).

Arguments:
    z: projections z_1 < ... < z_n, shape (n,), n >= 2, float32 or float64.
    y: labels, shape (n,), the dtype of z.

Returns:
    v, shape (n - 1,), the dtype of z.
""",
    reference=output_weights,
    arguments=_arguments(),
    outputs=("v",),
    max_examples=50,
    tolerances={"float64": Tolerance(1e-8, 1e-8), "float32": Tolerance(2e-2, 2e-2)},
    hint=r"""At z_i the units j < i are active and contribute v_j (z_i - beta_j); the others are
zero. Solve the equations for i = 2, ..., n in order (a lower triangular system).""",
    properties=(
        Property(
            "f(z_i) = y_i",
            "the network with these output weights interpolates the labels",
            _residual,
        ),
    ),
    diagnoses=(
        Diagnosis(
            "v",
            lambda kw: _consecutive(**kw),
            "each equation also contains the units j < i - 1 that are already active",
        ),
        Diagnosis(
            "v",
            lambda kw: _no_offset(**kw),
            "the output bias is y_1: subtract it from the other labels",
        ),
    ),
    wrong=(
        Wrong(_consecutive, "ignores the earlier units", values(0), "already active"),
        Wrong(_upper, "upper triangular system", values(0), ""),
        Wrong(_no_offset, "forgets the output bias y_1", values(0), "y_1"),
    ),
)
