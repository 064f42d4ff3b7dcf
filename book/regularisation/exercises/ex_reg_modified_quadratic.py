r"""Exercise ``ex-reg-modified-quadratic`` (computation): the modified loss of a one-dimensional
quadratic."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

A, H = 4.0, 0.1
MOD = A + H * A * A / 2  # 4.8
GD = 1 - H * A  # 0.6
MODFLOW = math.exp(-H * MOD)  # 0.6188
FLOW = math.exp(-H * A)  # 0.6703
_TOL = Tolerance(1e-6, 1e-9)

EXERCISE = Compute(
    id="ex-reg-modified-quadratic",
    title="One step of gradient descent and two flows",
    answers=(
        Answer("curvature", MOD, "the curvature a~ of the modified loss (1/2) a~ theta^2", _TOL),
        Answer("gd", GD, "the factor by which one gradient step multiplies theta", _TOL),
        Answer("modified_flow", MODFLOW, "the factor of the modified flow over a time h", _TOL),
        Answer("flow", FLOW, "the factor of the gradient flow over a time h", _TOL),
    ),
    hint=r"""With L(theta) = a theta^2/2: grad L = a theta, ||grad L||^2 = a^2 theta^2, so the modified
loss of def-reg-modified-loss is (1/2)(a + h a^2/2) theta^2.""",
    solution=r"""a~ = a + h a^2/2 = 4 + 0.8 = 4.8. One step multiplies by 1 - ha = 0.6; the modified flow
over time h by exp(-0.48) = 0.6188; the gradient flow by exp(-0.4) = 0.6703. The modified flow is
closer to the step: 0.6188 - 0.6 = 0.019 (of order h^3 a^3/3 = 0.021) against 0.070 (of order
h^2 a^2/2 = 0.08).""",
    mistakes=(
        Mistake(
            "curvature",
            A + H * A * A / 4,
            "(h/4)||grad L||^2 = (h/4) a^2 theta^2 = (1/2)(h a^2/2) theta^2",
        ),
        Mistake(
            "modified_flow",
            math.exp(-H * (A + H * A * A / 4)),
            "use the modified curvature a + h a^2/2",
        ),
        Mistake(
            "modified_flow",
            FLOW,
            "that is the gradient flow's factor; the modified flow has a + h a^2/2",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"curvature": A + H * A * A / 4, "gd": GD, "modified_flow": MODFLOW, "flow": FLOW},
            "h a^2/4",
            answer("curvature"),
            "h a^2/2",
        ),
        WrongAnswers(
            {
                "curvature": MOD,
                "gd": GD,
                "modified_flow": math.exp(-H * (A + H * A * A / 4)),
                "flow": FLOW,
            },
            "wrong curvature in the flow",
            answer("modified_flow"),
            "a + h a^2/2",
        ),
        WrongAnswers(
            {"curvature": MOD, "gd": GD, "modified_flow": FLOW, "flow": FLOW},
            "the gradient flow's factor",
            answer("modified_flow"),
            "gradient flow",
        ),
    ),
)
