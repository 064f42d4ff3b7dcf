r"""Exercise ``ex-learn-pointwise`` (proof): the bias–variance decomposition at one point."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-learn-pointwise",
    title="The decomposition at a point",
    hint=r"""Add and subtract E F: F - c = (F - E F) + (E F - c), and note E(F - E F) = 0. For the
second part add and subtract E F and E Y', and use independence for the one cross term that is a
product of two random factors.""",
    solution=r"""F - c = (F - EF) + (EF - c). Squaring and taking expectations, the cross term is
2 (EF - c) E(F - EF) = 0, so E(F - c)^2 = Var F + (EF - c)^2, minimal exactly at c = EF.
Next F - Y' = (F - EF) + (EF - EY') + (EY' - Y'). The cross terms with the constant EF - EY'
vanish because the other factor is centred; E[(F - EF)(EY' - Y')] = E(F - EF) E(EY' - Y') = 0 by
independence (both factors are square integrable, so their product is integrable). Hence
E(F - Y')^2 = Var F + (EF - EY')^2 + Var Y'. With Y' distributed as Y given X = x this is Theorem
thm-learn-bias-variance at one point: variance + bias^2 + noise.""",
)
