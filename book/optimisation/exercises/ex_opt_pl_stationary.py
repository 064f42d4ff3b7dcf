r"""Exercise ``ex-opt-pl-stationary`` (proof): PL functions have no spurious stationary points."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-opt-pl-stationary",
    title="PL functions have no spurious stationary points",
    hint=r"""(a) Put grad f(x) = 0 into the PL inequality. (b) Use Proposition prop-opt-pl-example for
each coordinate separately and add. (c) Look at a minimum where f vanishes to higher than second
order.""",
    solution=r"""(a) If grad f(x) = 0 then 0 >= mu (f(x) - f*), and f(x) >= f*, so f(x) = f*.
(b) f''(pi/2) = 2 + 6 cos(pi) = -4 < 0. f_2* = 0 and
(1/2)||grad f_2||^2 = (1/2) f'(x_1)^2 + (1/2) f'(x_2)^2 >= (1/8) f(x_1) + (1/8) f(x_2) = (1/8) f_2.
(c) f(x) = x^4: its only stationary point 0 is the minimiser, and (1/2) f'(x)^2 / f(x) = 8 x^2
tends to 0 as x -> 0, so no mu > 0 works; gradient descent converges only sublinearly there.""",
)
