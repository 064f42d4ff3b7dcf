r"""Exercise ``ex-lin-ridge-augmented`` (proof): ridge as least squares on augmented data."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-lin-ridge-augmented",
    title="Ridge as least squares on augmented data",
    hint=r"""Compute ||X~ w - y~||^2 block by block, and X~^T X~.""",
    solution=r"""||X~ w - y~||^2 = ||Xw - y||^2 + lam ||w||^2 = 2 f_lam(w), so the least-squares
solutions of the augmented problem are the minimisers of f_lam: exactly one, w_lam (Theorem
thm-lin-ridge-solution). X~^T X~ = X^T X + lam I_n has eigenvalues s_i^2 + lam, so the singular
values of X~ are sqrt(s_i^2 + lam) and kappa_2(X~) = sqrt((s_1^2 + lam) / (s_n^2 + lam)). A QR or
SVD least-squares solver on X~ has error of order kappa_2(X~) u (small residual); a Cholesky solve
of X^T X + lam I_n has error of order kappa_2(X~)^2 u (Proposition prop-lin-normal-conditioning):
the difference matters for small lam and ill-conditioned X.""",
)
