r"""Exercise ``ex-att-layernorm-kernel`` (proof): the directions that layer normalisation ignores."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-att-layernorm-kernel",
    title="Directions that layer normalisation ignores",
    hint=r"""Differentiate the identities LN(x + t 1) = LN(x) and, for eps = 0, LN((1 + t) x) = LN(x)
at t = 0. Then count dimensions: 1 and x are linearly independent when x is not constant.""",
    solution=r"""t -> LN(x + t 1) is constant, so its derivative at 0, J(x) 1, is 0. With eps = 0 and
t > -1, LN((1 + t) x) = LN(x) (positive scaling), so J(x) x = 0. Since x is not in span{1}, 1 and
x are linearly independent, dim ker J(x) >= 2 and rank J(x) <= n - 2 by rank-nullity. For eps > 0
J 1 = 0 survives (shift invariance holds for every eps), J x = 0 does not: with x~ = x - mu 1,
x_hat(a x) = a x~ / sqrt(a^2 sigma^2 + eps) for a > 0 has derivative x~/s - sigma^2 x~/s^3
= eps/(sigma^2 + eps) x_hat at a = 1, so J(x) x = eps/(sigma^2 + eps) gamma * x_hat, which is
nonzero when gamma has no zero entry (x_hat != 0 as x is not constant).""",
)
