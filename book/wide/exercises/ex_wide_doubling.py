r"""Exercise ``ex-wide-doubling`` (proof): centring a model without changing its tangent kernel."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-wide-doubling",
    title="The doubling trick",
    hint=r"""Differentiate h(theta, theta') = (f(theta) - f(theta')) / sqrt(2) with respect to both
arguments and multiply the Jacobian by its transpose.""",
    solution=r"""h(theta_0, theta_0) = 0. Dh = (J(theta), -J(theta')) / sqrt(2), so at (theta_0, theta_0)
Dh Dh^T = (J_0 J_0^T + J_0 J_0^T) / 2 = J_0 J_0^T. Bounds carry over: ||[A, B]|| <= (||A||^2 + ||B||^2)^{1/2},
so ||Dh|| <= M and Dh is Lambda-Lipschitz.""",
)
