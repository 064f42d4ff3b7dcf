r"""Exercise ``ex-opt-sgd-floor`` (computation): the stationary second moment of SGD in one
dimension, against the floor of the strongly convex bound."""

import numpy as np

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

C = np.array([-1.0, 0.0, 2.0, 3.0])
GAMMA = 0.2
SIGMA2 = float(np.mean((C - C.mean()) ** 2))  # 2.5
FLOOR = GAMMA * SIGMA2 / (2 - GAMMA)  # 0.2778
BOUND = 2 * GAMMA * SIGMA2 / 1.0  # mu = 1: 1.0

EXERCISE = Compute(
    id="ex-opt-sgd-floor",
    title="The noise floor of SGD in one dimension",
    answers=(
        Answer("floor", FLOOR, "lim_k E (x_k - x*)^2", Tolerance(1e-6, 1e-9)),
        Answer(
            "bound",
            BOUND,
            "2 gamma sigma*^2 / mu of Theorem thm-opt-sgd-strongly-convex",
            Tolerance(1e-6, 1e-9),
        ),
    ),
    hint=r"""x_{k+1} - x* = (1 - gamma)(x_k - x*) + gamma (c_{i_k} - cbar), and the second term has mean
0, variance sigma*^2, and is independent of x_k. At stationarity V = (1 - gamma)^2 V + gamma^2
sigma*^2.""",
    solution=r"""sigma*^2 = mean of (c_i - 1)^2 = (4 + 1 + 1 + 4)/4 = 2.5. V = gamma sigma*^2 / (2 - gamma)
= 0.5 / 1.8 = 0.27778. The bound (mu = 1) is 2 * 0.2 * 2.5 = 1, 3.6 times larger.""",
    mistakes=(
        Mistake(
            "floor",
            GAMMA * SIGMA2 / 2,
            "dropped the gamma^2 term: (1 - gamma)^2 = "
            "1 - 2 gamma + gamma^2, so V = gamma sigma^2 / (2 - gamma)",
        ),
        Mistake(
            "floor",
            GAMMA**2 * SIGMA2,
            "gamma^2 sigma^2 is the noise added per step, not the stationary value",
        ),
        Mistake(
            "floor",
            GAMMA * 3.5 / (2 - GAMMA),
            "sigma*^2 is the variance of the c_i about their mean 1: (4 + 1 + 1 + 4)/4 = 2.5",
        ),
        Mistake("bound", GAMMA * SIGMA2 / 1.0, "the theorem's floor is 2 gamma sigma*^2 / mu"),
    ),
    wrong=(
        WrongAnswers(
            {"floor": GAMMA * SIGMA2 / 2, "bound": BOUND},
            "drops gamma^2",
            answer("floor"),
            "2 - gamma",
        ),
        WrongAnswers(
            {"floor": FLOOR, "bound": GAMMA * SIGMA2}, "forgets the 2", answer("bound"), "2 gamma"
        ),
        WrongAnswers(
            {"floor": GAMMA * 3.5 / (2 - GAMMA), "bound": BOUND},
            "wrong variance",
            answer("floor"),
            "2.5",
        ),
    ),
)
