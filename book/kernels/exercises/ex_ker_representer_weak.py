r"""Exercise ``ex-ker-representer-weak`` (proof): the representer theorem with a nondecreasing
regulariser."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ker-representer-weak",
    title="The representer theorem for a nondecreasing regulariser",
    hint=r"""Repeat the orthogonal decomposition f = v + w of the proof of Theorem thm-representer.
What survives when Omega is only nondecreasing? For the counterexample take Omega = 0.""",
    solution=r"""Let f = v + w with v the projection of f on V and w in V^perp. As in the proof of
Theorem thm-representer, f(x_i) = v(x_i) and ||v|| <= ||f||, so Omega(||v||) <= Omega(||f||) for
nondecreasing Omega, and J(v) <= J(f). Hence inf_V J = inf_H J, and if f* minimises J over H then
its projection v* is also a minimiser (J(v*) <= J(f*) = min), and v* lies in V. But not every
minimiser need lie in V: with Omega = 0 and L = 0, every f in H minimises J, including
k(., x) - P_V k(., x) for any x with k(., x) not in V, which is a nonzero element of V^perp.""",
)
