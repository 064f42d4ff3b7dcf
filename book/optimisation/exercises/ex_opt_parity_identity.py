r"""Exercise ``ex-opt-parity-identity`` (proof): the exact variance of the gradient over parities."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-opt-parity-identity",
    title="The exact variance over parities",
    hint=r"""Stack the per-input gradients as the rows of G (2^n x P). The rows of 2^{-n} H G are the
hat g_v. Compute H^2 entrywise with sum_v chi_v(x) chi_v(x') = prod_i (1 + (-1)^{x_i + x'_i}).""",
    solution=r"""sum_v chi_v(x) chi_v(x') = prod_i (1 + (-1)^{x_i + x'_i}) = 2^n [x = x'], so H^2 = 2^n I
(H is symmetric). With hat G = 2^{-n} H G: ||hat G||_F^2 = 4^{-n} tr(G^T H^2 G) = 2^{-n} ||G||_F^2,
so the mean of ||hat g_v||^2 over v is 4^{-n} sum_x ||G_x||^2 = 2^{-n} E_x ||G_x||^2. The mean of
the rows is 2^{-2n} 1^T H G, and 1^T H = 2^n e_0^T (the column sums of H vanish except at x = 0),
so it is 2^{-n} G_0. Variance = mean of squares - square of the mean
= 2^{-n} E_x ||grad p_w(x)||^2 - 4^{-n} ||grad p_w(0)||^2; the h-independent part of grad F_h
does not change the variance.""",
)
