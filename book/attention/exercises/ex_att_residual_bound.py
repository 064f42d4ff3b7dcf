r"""Exercise ``ex-att-residual-bound`` (proof): the residual stack's bound is attained."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-att-residual-bound",
    title="Conditioning of a residual stack",
    hint=r"""A diagonal matrix's singular values are the absolute values of its entries. At x = 0 with
b_l = 0 every state stays at 0, and tanh'(0) = 1.""",
    solution=r"""(a) (I + eps Sigma)^L is diagonal with entries (1 + eps)^L and (1 - eps)^L (both occur
since n >= 2), all positive, so s_max = (1 + eps)^L, s_min = (1 - eps)^L and the condition number
is ((1 + eps)/(1 - eps))^L. (b) The states are x^l = x^{l-1} + tanh(eps Sigma x^{l-1}), so x^0 = 0
gives x^l = 0 for all l; DF_l(0) = diag(tanh'(0)) eps Sigma = eps Sigma, of operator norm eps, and
Theorem thm-att-residual-stack gives D Phi(0) = (I + eps Sigma)^L. (c) This stack satisfies
||DF_l|| <= eps and its condition number ((1 + eps)/(1 - eps))^L exceeds C^L for every
C < (1 + eps)/(1 - eps).""",
)
