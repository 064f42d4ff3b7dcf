r"""Exercise ``ex-lin-pinv-full-rank`` (proof): the pseudo-inverse of a matrix of full rank."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-lin-pinv-full-rank",
    title="The pseudo-inverse of a matrix of full rank",
    hint=r"""Check the four Penrose conditions for Z = (X^T X)^{-1} X^T: ZX = I_n makes three of
them immediate. Then use uniqueness (Proposition prop-lin-penrose).""",
    solution=r"""If rank X = n, X^T X is invertible and Z = (X^T X)^{-1} X^T has ZX = I_n: so
XZX = X, ZXZ = Z, (ZX)^T = ZX, and XZ = X (X^T X)^{-1} X^T is symmetric. By uniqueness Z = X^+. If
rank X = m, Z = X^T (X X^T)^{-1} has XZ = I_m, which gives P1-P3, and ZX = X^T (X X^T)^{-1} X is
symmetric. In the first case ker X = {0}: the least-squares solution is unique (Theorem
thm-lin-normal-equations) and equals X^+ y (Theorem thm-lin-min-norm). In the second,
ran X = R^m, so min f = 0, the minimisers are the solutions of Xw = y, and X^+ y is the one of
minimal norm.""",
)
