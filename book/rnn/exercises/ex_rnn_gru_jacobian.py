r"""Exercise ``ex-rnn-gru-jacobian`` (proof): the state Jacobian of the GRU."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-rnn-gru-jacobian",
    title="The state Jacobian of the GRU",
    hint=r"""Write h_t = n_t + s * (h_{t-1} - n_t) and differentiate every factor in h_{t-1}: the
gates through W_r, W_s, the candidate through r and q = W_n h_{t-1} + c.""",
    solution=r"""Differentiating in h_{t-1} with the inputs fixed: dh = ds*(h_{t-1} - n) + s*dh_{t-1} +
(1 - s)*dn, with ds = s(1-s)*W_s dh_{t-1}, dr = r(1-r)*W_r dh_{t-1}, dq = W_n dh_{t-1} and
dn = (1 - n^2)*(dr*q + r*dq). Collecting terms: diag(s) + diag((h_{t-1} - n) s (1-s)) W_s +
diag((1 - s)(1 - n^2)) (diag(r) W_n + diag(q r (1-r)) W_r). With W = 0 only diag(s_t) remains,
and the product over t steps is diag(prod s_r).""",
)
