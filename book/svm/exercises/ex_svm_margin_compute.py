r"""Exercise ``ex-svm-margin-compute`` (computation): the hard margin of a four-point data set."""

import math

import numpy as np

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

#: The data of the exercise's text: x_1 = (1, 1), x_2 = (2, 2) with label +1; x_3 = (-1, 0),
#: x_4 = (0, -1) with label -1.
X = np.array([[1.0, 1.0], [2.0, 2.0], [-1.0, 0.0], [0.0, -1.0]])
y = np.array([1.0, 1.0, -1.0, -1.0])

W = [2 / 3, 2 / 3]  # 2w_1 + b = 1 and w_1 - b = 1 with w_1 = w_2
B = -1 / 3
GAMMA = 1 / math.hypot(2 / 3, 2 / 3)  # 3 / (2 sqrt 2)
ALPHA = [4 / 9, 0.0, 2 / 9, 2 / 9]
DUAL = sum(ALPHA) - 0.5 * (W[0] ** 2 + W[1] ** 2)  # 4/9

EXERCISE = Compute(
    id="ex-svm-margin-compute",
    title="The maximum-margin hyperplane of four points",
    answers=(
        Answer("w", W, "the weight vector w* of the hard-margin problem", Tolerance(1e-6, 1e-9)),
        Answer("b", B, "the offset b*", Tolerance(1e-6, 1e-9)),
        Answer(
            "gamma", GAMMA, "the geometric margin gamma(w*, b*) = 1/||w*||", Tolerance(1e-6, 1e-9)
        ),
        Answer("alpha", ALPHA, "the dual solution alpha* (shape (4,))", Tolerance(1e-6, 1e-9)),
        Answer("dual_value", DUAL, "D(alpha*)", Tolerance(1e-6, 1e-9)),
    ),
    hint=r"""The data are symmetric under exchanging the two coordinates, and the solution is
unique (Theorem thm-svm-hard-margin), so w_1 = w_2. Guess the active constraints (the points
nearest to the other class), solve them as equations, and check the others. Then solve
w = sum_i alpha_i y_i x_i with y^T alpha = 0 and alpha_i = 0 for the inactive constraint.""",
    solution=r"""By symmetry and uniqueness, w* = (c, c). The constraints are 2c + b >= 1 (x_1),
4c + b >= 1 (x_2), c - b >= 1 (x_3 and x_4). Minimising c^2 needs the smallest c, and adding the
first and the third gives 3c >= 2; c = 2/3 is attained with b = -1/3, where x_2 is inactive
(8/3 - 1/3 > 1). So w* = (2/3, 2/3), b* = -1/3, ||w*|| = 2 sqrt(2)/3 and gamma = 3/(2 sqrt 2)
= 1.0607. Dual: alpha_2 = 0 (complementary slackness), w* = (alpha_1 + alpha_3, alpha_1 + alpha_4)
and alpha_1 = alpha_3 + alpha_4 give alpha_3 = alpha_4 = 2/9, alpha_1 = 4/9.
D(alpha*) = 8/9 - (1/2)(8/9) = 4/9 = (1/2)||w*||^2 (strong duality).""",
    mistakes=(
        Mistake("gamma", 2 * GAMMA, "got 2/||w*||, the width of the slab; the margin is 1/||w*||"),
        Mistake("b", -B, "b has the wrong sign: check y_i(<w, x_i> + b) = 1 on x_1"),
        Mistake("gamma", GAMMA**2, "got 1/||w*||^2; the margin is 1/||w*||"),
        Mistake("dual_value", 2 * DUAL, "got ||w*||^2; D(alpha*) = (1/2)||w*||^2 here"),
    ),
    wrong=(
        WrongAnswers(
            {"w": W, "b": B, "gamma": 2 * GAMMA, "alpha": ALPHA, "dual_value": DUAL},
            "the slab width instead of the margin",
            answer("gamma"),
            "width",
        ),
        WrongAnswers(
            {"w": W, "b": -B, "gamma": GAMMA, "alpha": ALPHA, "dual_value": DUAL},
            "sign of b",
            answer("b"),
            "wrong sign",
        ),
        WrongAnswers(
            {"w": W, "b": B, "gamma": GAMMA, "alpha": [1 / 3, 0.0, 1 / 3, 0.0], "dual_value": DUAL},
            "a non-symmetric alpha",
            answer("alpha"),
        ),
    ),
)
