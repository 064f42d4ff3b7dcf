r"""Exercise ``ex-svm-squared-hinge`` (proof): the squared hinge loss and its dual."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-svm-squared-hinge",
    title="The squared hinge loss and its dual",
    hint=r"""(a) As in Theorem thm-svm-hinge, minimise over each xi_i separately; now xi_i may be
negative, but a negative xi_i is never better than 0. (b) The Lagrangian has a term
C xi_i^2 - alpha_i xi_i, minimised at xi_i = alpha_i / (2C).""",
    solution=r"""(a) Let r_i = 1 - y_i(<w, x_i> + b). The constraint is xi_i >= r_i, and the objective
contains C xi_i^2. If r_i <= 0, xi_i = 0 is feasible and minimises xi_i^2; if r_i > 0, xi_i^2 is
increasing on [r_i, infinity), minimal at xi_i = r_i. So the minimum over xi is
1/2||w||^2 + C sum_i (r_i)_+^2 = 1/2||w||^2 + C sum_i hinge(y_i f(x_i))^2, attained at
xi_i = (r_i)_+; the sign constraint xi >= 0 would change nothing.
(b) With multipliers alpha_i >= 0 for the constraints 1 - xi_i - y_i(<w, x_i> + b) <= 0,
L = 1/2||w||^2 - <w, v> - b y^T alpha + sum_i (C xi_i^2 - alpha_i xi_i) + 1^T alpha,
v = sum_i alpha_i y_i x_i. The infimum over b is -infinity unless y^T alpha = 0; over w it is
attained at w = v with value -1/2||v||^2; over xi_i at xi_i = alpha_i/(2C), value -alpha_i^2/(4C).
So the dual is max 1^T alpha - 1/2 (alpha*y)^T (K + I/(2C)) (alpha*y) over alpha >= 0,
y^T alpha = 0 (using (alpha*y)^T (alpha*y) = |alpha|^2): a hard-margin dual with the Gram matrix
K + I/(2C), which is positive definite, without an upper bound on alpha.""",
)
