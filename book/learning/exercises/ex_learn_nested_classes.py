r"""Exercise ``ex-learn-nested-classes`` (proof): approximation and estimation errors along nested
classes."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-learn-nested-classes",
    title="Approximation and estimation error along nested classes",
    hint=r"""An infimum over a larger set is smaller. For the example compute R(c) = E(c - Y)^2 for a
constant c and the ERM of a one-point sample.""",
    solution=r"""If F_p is a subset of F_{p+1}, then inf over F_{p+1} of R is at most inf over F_p
of R; subtracting the constant R* shows that E_app is non-increasing, and the same argument with
the empirical risk shows that min over F_p of the empirical risk is non-increasing. Example: X = 0,
Y ~ N(0, 1), n = 1, so f* = 0, R(c) = 1 + c^2 and R* = 1. On F_0 = {c_0} the ERM is c_0, so
E_est = 0 and E_app = c_0^2 > 0. On F_1 = constants the ERM is c = Y_1 and inf R = 1, so E_app = 0
and E_est = R(Y_1) - 1 = Y_1^2, positive with probability one (expectation 1). Enlarging the class
removed the approximation error and created an estimation error.""",
)
