r"""Exercise ``ex-rnn-clip-projection`` (proof): clipping is the projection onto a ball."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-rnn-clip-projection",
    title="Clipping is a projection",
    hint=r"""For ||g|| > tau and ||u|| <= tau use the reverse triangle inequality
||g - u|| >= ||g|| - ||u||. For the Lipschitz bound use the variational inequality of the
projection onto a closed convex set.""",
    solution=r"""If ||g|| <= tau, g is in the ball and is its own nearest point. Otherwise let
p = tau g/||g||; for ||u|| <= tau, ||g - u|| >= ||g|| - ||u|| >= ||g|| - tau = ||g - p||, with equality
only if u is a non-negative multiple of g of norm tau, i.e. u = p. The projection P onto a closed
convex set K satisfies <g - P(g), u - P(g)> <= 0 for u in K; adding the inequalities for
(g, P(g')) and (g', P(g)) gives ||P(g) - P(g')||^2 <= <g - g', P(g) - P(g')>, and Cauchy-Schwarz
gives ||P(g) - P(g')|| <= ||g - g'||.""",
)
