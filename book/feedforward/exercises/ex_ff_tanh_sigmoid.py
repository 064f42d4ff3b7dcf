r"""Exercise ``ex-ff-tanh-sigmoid`` (proof): tanh as a rescaled sigmoid."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ff-tanh-sigmoid",
    title="tanh is a rescaled sigmoid",
    hint=r"""Put both over the denominator 1 + e^{-2z}: tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z}); multiply
numerator and denominator by e^{-z}. Then differentiate 2 sigma(2z) - 1 with the chain rule.""",
    solution=r"""2 sigma(2z) - 1 = 2 / (1 + e^{-2z}) - 1 = (1 - e^{-2z}) / (1 + e^{-2z})
= (e^z - e^{-z}) / (e^z + e^{-z}) = tanh(z) (multiply numerator and denominator by e^z).
Differentiating, tanh'(z) = 4 sigma'(2z) = 4 sigma(2z)(1 - sigma(2z)). With sigma(2z) = (1 + tanh z)/2
and 1 - sigma(2z) = (1 - tanh z)/2 this is (1 + tanh z)(1 - tanh z) = 1 - tanh^2 z.""",
)
