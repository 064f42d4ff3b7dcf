r"""Exercise ``ex-ff-central-difference``: the central difference quotient."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import Named, float_arrays


def directional_derivative(f, x, v, h):
    r"""$D_h f(x)[v] = \big(f(x + h v) - f(x - h v)\big) / (2h)$ (Section "Checking gradients")."""
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


#: Test functions R^n -> R^p, each with a readable repr for counterexamples.
FUNCTIONS = (
    Named("f(x) = 3 x", "lambda x: 3 * x"),
    Named("f(x) = sin(x)", "np.sin"),
    Named("f(x) = x ** 3", "lambda x: x**3"),
    Named("f(x) = [sum(x ** 2)]", "lambda x: np.atleast_1d(np.sum(x**2))"),
    Named("f(x) = exp(x) / 10", "lambda x: np.exp(x) / 10"),
    Named("f(x) = x[::-1] * x", "lambda x: x[::-1] * x"),
)


@st.composite
def _arguments(draw):
    n = draw(st.integers(1, 4))
    return {
        "f": draw(st.sampled_from(FUNCTIONS)),
        "x": draw(float_arrays(np.float64, (n,), bound=3.0)),
        "v": draw(float_arrays(np.float64, (n,), bound=3.0)),
        "h": draw(st.sampled_from((1e-1, 1e-2, 1e-3, 0.5, 1e-4))),
    }


def _forward(f, x, v, h):
    return (f(x + h * v) - f(x)) / h


def _no_half(f, x, v, h):
    return (f(x + h * v) - f(x - h * v)) / h


def _no_direction(f, x, v, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def _normalised(f, x, v, h):  # steps along v/|v|: D_h f(x)[v/|v|], not D_h f(x)[v]
    u = v / np.linalg.norm(v) if np.linalg.norm(v) > 0 else v
    return (f(x + h * u) - f(x - h * u)) / (2 * h)


def _swapped(f, x, v, h):
    return (f(x - h * v) - f(x + h * v)) / (2 * h)


EXERCISE = Implement(
    id="ex-ff-central-difference",
    title="The central difference quotient",
    function="directional_derivative",
    parameters=("f", "x", "v", "h"),
    docstring=r"""Central difference approximation of the directional derivative Df(x)[v]:
$D_h f(x)[v] = (f(x + h v) - f(x - h v)) / (2h)$.

Arguments:
    f: a function taking an array of shape (n,) to an array of shape (p,).
    x: the point, shape (n,), float64.
    v: the direction, shape (n,), float64 (any length: do not normalise it).
    h: the step, a positive float.

Returns:
    D_h f(x)[v], shape (p,), float64.
""",
    reference=directional_derivative,
    arguments=_arguments(),
    outputs=("D_h f(x)[v]",),
    tolerances={"float64": Tolerance(1e-9, 1e-12)},
    hint=r"""Evaluate f twice, at x + h v and at x - h v (step along the direction v, scaled by h), and divide
the difference by the distance 2h between the two points. The one-sided quotient
(f(x + h v) - f(x)) / h is only accurate to O(h) (Proposition prop-fd-order).""",
    diagnoses=(
        Diagnosis(
            "D_h f(x)[v]",
            lambda kw: _forward(**kw),
            "this is the forward difference (f(x + h v) - f(x)) / h, accurate only to O(h); "
            "use x + h v and x - h v",
        ),
        Diagnosis(
            "D_h f(x)[v]",
            lambda kw: _no_half(**kw),
            "got (f(x + h v) - f(x - h v)) / h: the two points are 2h apart, divide by 2h",
        ),
        Diagnosis(
            "D_h f(x)[v]",
            lambda kw: _no_direction(**kw),
            "the step does not follow the direction v: evaluate at x ± h v",
        ),
    ),
    wrong=(
        Wrong(_forward, "forward difference", values(0), "forward difference"),
        Wrong(_no_half, "divides by h instead of 2h", values(0), "2h"),
        Wrong(
            _no_direction,
            "steps by h in every coordinate, ignoring v",
            values(0),
            "direction v",
        ),
        Wrong(_swapped, "f(x - h v) - f(x + h v)", values(0), "sign error"),
        Wrong(_normalised, "normalises v", values(0), "differs from the reference"),
    ),
)
