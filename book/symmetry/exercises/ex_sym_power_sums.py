r"""Exercise ``ex-sym-power-sums`` (proof): two pooled features cannot tell three numbers apart."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-sym-power-sums",
    title="Two pooled features are too few for three numbers",
    hint=r"""Compare p_1 and p_2 of {0, 3, 3} and {1, 1, 4}. For the second part, use Theorem
thm-sym-sum-decomposition, item 2, and a function that is not a function of (p_1, p_2).""",
    solution=r"""p_1 = 6 and p_2 = 18 for both sets, while p_3 = 54 and 66. A network
x -> rho(sum_i phi(x_i)) with phi(t) = (t, t^2) gives the same output on both, so it cannot
represent the invariant function max_i x_i (3 and 4), nor any invariant f with different values
there. With phi(t) = (t, t^2, t^3) the two sets are separated, and by item 3 every continuous
invariant f(x_1, x_2, x_3) is rho(p_1, p_2, p_3) for a continuous rho.""",
)
