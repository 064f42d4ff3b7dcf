r"""Exercise ``ex-reg-correlated-noise`` (proof): noise with a covariance is a generalised ridge."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-reg-correlated-noise",
    title="Correlated input noise",
    hint=r"""Repeat the proof of prop-reg-input-noise with E[Xi^T Xi] = m Sigma for a symmetric positive
semidefinite Sigma.""",
    solution=r"""Expanding, E (1/2)||(X + Xi)w - y||^2 = (1/2)||Xw - y||^2 + (X w - y)^T E[Xi] w +
(1/2) w^T E[Xi^T Xi] w = (1/2)||Xw - y||^2 + (m/2) w^T Sigma w. If Sigma is positive definite the
minimiser is (X^T X + m Sigma)^{-1} X^T y (Tikhonov regularisation with the matrix Sigma); rows with
covariance Sigma independent of each other and centred give E[Xi^T Xi] = m Sigma. For one sign per
row, xi_i = s eps_i 1, Sigma = s^2 1 1^T and the penalty is (m s^2/2)(1^T w)^2: it penalises only the
sum of the weights.""",
)
