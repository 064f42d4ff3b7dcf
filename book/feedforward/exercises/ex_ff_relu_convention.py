r"""Exercise ``ex-ff-relu-convention`` (proof): no value of ReLU'(0) makes the chain rule exact."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ff-relu-convention",
    title="No convention for ReLU'(0) is always right",
    hint=r"""Let c be the value used for ReLU'(0). Take f1(x) = ReLU(x) - ReLU(-x) = x and
f2(x) = ReLU(x - ReLU(x)) = 0, and apply the chain rule at x = 0 with ReLU'(0) = c.""",
    solution=r"""Let c = ReLU'(0) be the value backpropagation uses. f1(x) = ReLU(x) - ReLU(-x) = x for every x,
so f1'(0) = 1; the chain rule at 0 gives c·1 - c·(-1) = 2c, correct only if c = 1/2.
f2(x) = ReLU(x - ReLU(x)) = ReLU(min(x, 0)) = 0 for every x, so f2'(0) = 0; the inner function
u(x) = x - ReLU(x) has u(0) = 0 and chain-rule derivative 1 - c, the outer one ReLU'(u(0)) = c, so
the chain rule gives c(1 - c), correct only if c = 0 or c = 1. No c satisfies both.""",
)
