r"""Exercise ``ex-rnn-orthogonal`` (proof): orthogonal recurrent weights preserve norms."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-rnn-orthogonal",
    title="Orthogonal recurrent weights",
    hint=r"""An orthogonal matrix has all singular values equal to 1. Combine the upper bound of
Theorem thm-rnn-vanishing and the lower bound of Proposition prop-rnn-exploding.""",
    solution=r"""||W||_op = s_min(W) = 1. (a) dh_t/dh_s = W^(t-s) (Proposition prop-rnn-linear-spectral),
a product of orthogonal matrices, hence orthogonal and norm-preserving. (b) Theorem
thm-rnn-vanishing with kappa = 1 gives the upper bound ||v||; Proposition prop-rnn-exploding with
lambda = min (1 - h_{r,j}^2) = min tanh'(z_{r,j}) gives the lower bound.""",
)
