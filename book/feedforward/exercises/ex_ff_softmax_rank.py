r"""Exercise ``ex-ff-softmax-rank`` (proof): kernel, rank and definiteness of the softmax Jacobian."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ff-softmax-rank",
    title="The kernel and rank of the softmax Jacobian",
    hint=r"""Compute u^T J u for J = diag(s) - s s^T: it is the variance of the values u_k under the
probability vector s. A variance vanishes exactly when the variable is constant on the support, and
every s_k > 0.""",
    solution=r"""Let s = softmax(z), so s_k > 0 and sum_k s_k = 1. For u in R^K,
u^T J u = sum_k s_k u_k^2 - (sum_k s_k u_k)^2 = sum_k s_k (u_k - ubar)^2 >= 0 with ubar = sum_k s_k u_k,
so J (symmetric) is positive semi-definite. J 1 = s - s (s^T 1) = s - s = 0, so span(1) is in ker J.
Conversely if J u = 0 then u^T J u = 0, so every u_k equals ubar (all s_k > 0): u is in span(1).
Hence ker J = span(1) and rank J = K - 1 by rank-nullity.""",
)
