r"""Exercise ``ex-init-pgf`` (proof): negative correlations in a tanh network without biases."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-init-pgf",
    title="Negative correlations",
    hint=r"""With c_b = 0, which coefficients alpha_k of Theorem thm-init-order-chaos vanish? An odd map
commutes with c -> -c.""",
    solution=r"""alpha_0 = c_b/q* = 0 and alpha_k = 0 for even k (tanh is odd), so C is odd:
C(-c) = -C(c). By induction the iterates from -c^0 are the negatives of those from c^0 in (0, 1),
which converge to 1 (chi_1 <= 1) or to c* (chi_1 > 1); here C(0) = 0, so c* = 0 in the chaotic
case: two inputs become uncorrelated, whatever the sign of their initial correlation.""",
)
