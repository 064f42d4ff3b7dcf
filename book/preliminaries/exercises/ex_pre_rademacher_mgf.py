r"""Exercise ``ex-pre-rademacher-mgf`` (proof): Hoeffding's lemma for a random sign."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-pre-rademacher-mgf",
    title="Hoeffding's lemma for a random sign",
    hint=r"""E e^{sX} = cosh s. Compare the power series of cosh s and exp(s^2/2) term by term.""",
    solution=r"""E e^{sX} = (e^s + e^{-s})/2 = cosh s = sum_k s^{2k}/(2k)!, and
exp(s^2/2) = sum_k s^{2k}/(2^k k!). Since (2k)! = prod_{j=1}^{k} (2j)(2j - 1) >= prod_j 2j = 2^k k!,
each term of the first series is at most the corresponding term of the second (all terms are >= 0).
So E e^{sX} <= exp(s^2/2) = exp(s^2 (b - a)^2 / 8) with b - a = 2, which is Lemma
lem-hoeffding-mgf for X uniform on {-1, 1}. The two-point case is the extremal one in the lemma's
proof: the convexity step is an equality when X takes only the values a and b.""",
)
