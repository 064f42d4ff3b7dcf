r"""Exercise ``ex-reg-drift`` (computation): the drift of an imbalance in one gradient step."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

ETA = 0.2
G_IN, G_B, G_OUT = (0.3, -0.4), -0.1, (0.5,)
Q_G = sum(g * g for g in G_IN) + G_B**2 - sum(g * g for g in G_OUT)  # 0.01
DRIFT = ETA**2 * Q_G  # 4e-4
NO_BIAS = ETA**2 * (sum(g * g for g in G_IN) - sum(g * g for g in G_OUT))
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-reg-drift",
    title="The drift of an imbalance",
    answers=(Answer("drift", DRIFT, "Q(theta^+) - Q(theta) for the hidden unit", _TOL),),
    hint=r"""Proposition prop-reg-balanced-gd: for ReLU units the change is exactly
eta^2 (||dW_in||^2 + db^2 - ||dW_out||^2); the terms linear in eta cancel by lem-reg-euler.""",
    solution=r"""Q(d theta) = 0.3^2 + 0.4^2 + 0.1^2 - 0.5^2 = 0.09 + 0.16 + 0.01 - 0.25 = 0.01, and the
drift is eta^2 * 0.01 = 0.04 * 0.01 = 4e-4.""",
    mistakes=(
        Mistake("drift", NO_BIAS, "the bias belongs to the incoming side: add (db)^2"),
        Mistake("drift", ETA * Q_G, "the change is quadratic in the step: eta^2, not eta"),
        Mistake("drift", -DRIFT, "Q is incoming (with the bias) minus outgoing, not the reverse"),
    ),
    wrong=(
        WrongAnswers({"drift": NO_BIAS}, "forgets the bias", answer("drift"), "bias"),
        WrongAnswers({"drift": ETA * Q_G}, "eta instead of eta^2", answer("drift"), "eta^2"),
        WrongAnswers({"drift": -DRIFT}, "outgoing minus incoming", answer("drift"), "incoming"),
    ),
)
