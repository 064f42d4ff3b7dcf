r"""Exercise ``ex-reg-noise-lambda`` (computation): the ridge parameters of input noise and dropout."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

M, S, P = 50, 0.2, 0.8
LAM = M * S * S  # 2.0
FACTOR = (1 - P) / P  # 0.25
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-reg-noise-lambda",
    title="The ridge parameters of noise and dropout",
    answers=(
        Answer("lam", LAM, "lambda of the ridge problem equivalent to input noise", _TOL),
        Answer("dropout_factor", FACTOR, "the factor c in the dropout penalty (c/2) w^T D w", _TOL),
    ),
    hint=r"""Proposition prop-reg-input-noise: E[Xi^T Xi] = m s^2 I, so lambda = m s^2 for the
objective (1/2)||Xw - y||^2. Proposition prop-reg-dropout: the penalty is (1-p)/(2p) w^T D w.""",
    solution=r"""lambda = m s^2 = 50 * 0.04 = 2. The dropout penalty is ((1 - p)/p)/2 w^T D w with
(1 - p)/p = 0.2/0.8 = 0.25.""",
    mistakes=(
        Mistake(
            "lam", S * S, "lambda = s^2 forgets the sum over the m samples: E[Xi^T Xi] = m s^2 I"
        ),
        Mistake("lam", M * S, "s is the standard deviation: the penalty involves its square"),
        Mistake(
            "dropout_factor", 1 - P, "the inverted-dropout scaling 1/p contributes a factor 1/p"
        ),
        Mistake("dropout_factor", P / (1 - P), "the factor is (1 - p)/p, the odds of dropping"),
    ),
    wrong=(
        WrongAnswers({"lam": S * S, "dropout_factor": FACTOR}, "forgets m", answer("lam"), "m s^2"),
        WrongAnswers(
            {"lam": LAM, "dropout_factor": 1 - P}, "forgets 1/p", answer("dropout_factor"), "1/p"
        ),
        WrongAnswers(
            {"lam": M * S, "dropout_factor": FACTOR}, "s not squared", answer("lam"), "square"
        ),
    ),
)
