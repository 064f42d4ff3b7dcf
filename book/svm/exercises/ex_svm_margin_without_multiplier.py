r"""Exercise ``ex-svm-margin-without-multiplier`` (proof): the converse of the support-vector
implications, and its failure on the margin."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-svm-margin-without-multiplier",
    title="Strict inequalities determine alpha; equality does not",
    hint=r"""Take contrapositives of the implications of Corollary cor-svm-support-vectors. For the
example, the data are symmetric under (x_1, x_2) -> (x_1, -x_2); find (w*, b*) by the method of
Exercise ex-svm-margin-compute, then exhibit a feasible alpha with D(alpha) = P(w*, b*).""",
    solution=r"""(a) If y_i f(x_i) > 1: alpha_i = C would give y_i f(x_i) <= 1 and 0 < alpha_i < C would
give y_i f(x_i) = 1 (Corollary cor-svm-support-vectors), so alpha_i = 0.
If y_i f(x_i) < 1, then alpha_i = 0 would give y_i f(x_i) >= 1 and 0 < alpha_i < C would give
equality, so alpha_i = C.
(b) Data x_1 = (1, 1), x_2 = (1, 0), x_3 = (1, -1) with label +1, x_4 = (-1, 0) with label -1.
(w, b) = ((1, 0), 0) is feasible for the hard-margin problem with all four constraints active, and
P = 1/2. alpha = (1/4, 0, 1/4, 1/2) satisfies alpha >= 0, y^T alpha = 1/4 + 1/4 - 1/2 = 0, and
sum_i alpha_i y_i x_i = (1/4)(1, 1) + (1/4)(1, -1) + (1/2)(1, 0) = (1, 0). D(alpha) = 1 - 1/2 = 1/2.
By weak duality (Theorem thm-svm-weak-duality, whose proof applies verbatim to the hard margin,
C = infinity), (w, b) is primal optimal and alpha dual optimal, so alpha_2 = 0 while
y_2 f(x_2) = 1. (The dual solution is not unique here: alpha = (0, 1/2, 0, 1/2) is optimal too.)
Thus the first implication of the corollary cannot be reversed.""",
)
