r"""Exercise ``ex-apx-width-one`` (proof): narrow networks have few pieces."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-apx-width-one",
    title="Width one: at most L pieces",
    hint=r"""With one unit per layer every a^l is a monotone function of x (a composition of monotone
maps of one variable). How many times can a monotone function cross a level?""",
    solution=r"""Let all hidden widths be 1. Each a^l is continuous, piecewise linear and monotone:
a^0 = x is, an affine map of one variable is monotone, ReLU is non-decreasing, and compositions of
monotone functions are monotone. z^l = w a^{l-1} + b is monotone, so the set where z^l > 0 is an
interval and z^l changes sign at most once; ReLU(z^l) therefore adds at most one point to the
partition of a^{l-1} (Algorithm alg-apx-breakpoints). After L - 1 hidden layers the partition has at
most 1 + (L - 1) = L intervals, so f_theta has at most L pieces, while Theorem thm-apx-pieces allows
2^{L-1}. The bound of the theorem is therefore not attained for L >= 3 in general; it is attained for
L = 2.""",
)
