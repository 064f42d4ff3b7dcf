r"""Exercise ``ex-lin-logistic-coercive`` (proof): a minimiser exists without separability."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-lin-logistic-coercive",
    title="A minimiser exists when the data are not separable",
    hint=r"""psi(v) = max_i (-ytilde_i x_i^T v) is continuous and positive on the unit sphere; bound
L(w) below by a multiple of ||w||, then use compactness of a sublevel set.""",
    solution=r"""psi(v) = max_i(-ytilde_i x_i^T v) is continuous and positive on the compact unit
sphere, so delta = min psi > 0 there. For w = ||w|| v some i has -ytilde_i x_i^T w >= delta ||w||,
so L(w) >= (1/m) log(1 + e^{delta ||w||}) >= delta ||w|| / m. The sublevel set {L <= L(0)} is
closed, non-empty and contained in the ball of radius m log(2) / delta, hence compact; the
continuous L attains its minimum there, which is a global minimum. A non-zero v in ker X would have
ytilde_i x_i^T v = 0 for all i, against the hypothesis; so rank X = n, L is strictly convex
(Theorem thm-lin-logistic-convex, part 2), and the minimiser is unique.""",
)
