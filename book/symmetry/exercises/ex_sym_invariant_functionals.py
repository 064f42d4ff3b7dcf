r"""Exercise ``ex-sym-invariant-functionals`` (proof): the invariant linear functionals of a graph."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-sym-invariant-functionals",
    title="Invariant linear functionals of a graph",
    hint=r"""A linear functional is X -> <T, X> with T in R^{n x n}. Use Theorem thm-sym-bell with
k = 2, l = 0: the orbits of S_n on pairs (i, j).""",
    solution=r"""<T, P X P^T> = <P^T T P, X>, so invariance means P^T T P = T for all P, i.e.
T_{sigma(i), sigma(j)} = T_{ij}. The orbits on [n]_0^2 are the diagonal {i = j} and, for n >= 2,
the off-diagonal {i != j}. So T = alpha I + beta (1 1^T - I), and the invariant functionals are
X -> a tr X + b 1^T X 1: dimension 2 = B_2 for n >= 2, and 1 for n = 1 (only the trace, which is
then the total sum).""",
)
