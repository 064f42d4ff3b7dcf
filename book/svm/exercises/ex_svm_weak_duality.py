r"""Exercise ``ex-svm-weak-duality`` (proof): weak duality for the SVM by completing a square."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-svm-weak-duality",
    title="Weak duality for the soft margin, directly",
    hint=r"""Use the constraints to bound sum_i alpha_i (1 - xi_i) from above by
sum_i alpha_i y_i(<w, x_i> + b); the b-term vanishes because y^T alpha = 0. Then complete the square
in w: 1/2||w||^2 - <w, v> >= -1/2||v||^2 for v = sum_i alpha_i y_i x_i.""",
    solution=r"""Let (w, b, xi) be feasible and alpha in [0, C]^m with y^T alpha = 0; put
v = sum_i alpha_i y_i x_i. Since alpha_i >= 0 and y_i(<w, x_i> + b) >= 1 - xi_i,
sum_i alpha_i (1 - xi_i) <= sum_i alpha_i y_i <w, x_i> + b y^T alpha = <w, v>. Since C - alpha_i >= 0
and xi_i >= 0, C sum_i xi_i >= sum_i alpha_i xi_i. Hence
1/2||w||^2 + C sum xi >= 1/2||w||^2 + sum alpha_i xi_i >= 1/2||w||^2 - <w, v> + sum_i alpha_i
= 1/2||w - v||^2 - 1/2||v||^2 + 1^T alpha >= 1^T alpha - 1/2||v||^2 = D(alpha).
Equality holds iff w = v, alpha_i (y_i f(x_i) - 1 + xi_i) = 0 and (C - alpha_i) xi_i = 0 for all i:
the KKT conditions of Theorem thm-svm-kkt.""",
)
