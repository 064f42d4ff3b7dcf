r"""Exercise ``ex-apx-sup-separation`` (proof): depth separation in the supremum norm."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-apx-sup-separation",
    title="Depth separation in the supremum norm",
    hint=r"""If sup |Delta^k - g| < 1/2, look at the sign of g - 1/2 at the points j 2^-k. How often
can a function with t affine pieces cross the level 1/2?""",
    solution=r"""Suppose sup |Delta^k - g| < 1/2. At x_j = j 2^-k, Delta^k is 1 for odd j and 0 for
even j, so g(x_j) > 1/2 for odd j and g(x_j) < 1/2 for even j: g - 1/2 changes sign between each
pair of consecutive points, 2^k times in all, at 2^k distinct points (one in each open interval
(x_{j-1}, x_j)). On each of its affine pieces g - 1/2 is affine and not identically zero near a
sign change, so it has at most one zero there; a zero at a breakpoint is counted once. Hence g has
at least 2^k pieces. Contrapositive: every g with t < 2^k pieces has sup |Delta^k - g| >= 1/2, and
g = 1/2 shows that 1/2 is the exact value of the best uniform approximation by few pieces. One
hidden layer therefore needs 2^k - 1 units, while k layers of width 2 represent Delta^k exactly.""",
)
