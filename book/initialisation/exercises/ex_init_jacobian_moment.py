r"""Exercise ``ex-init-jacobian-moment`` (computation): exact finite-width moments of a deep linear
Jacobian."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

N, L = 4, 3
SECOND = ((N + 2) * (1 + 2 / N) ** L - (N - 1) * (1 - 1 / N) ** L) / 3  # 6.328125
FOURTH = (1 + 2 / N) ** L  # 3.375
LIMIT = L + 1
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-init-jacobian-moment",
    title="Finite-width moments of a deep linear Jacobian",
    answers=(
        Answer("second", SECOND, "E (1/n) tr M^2 at n = 4, L = 3", _TOL),
        Answer("fourth", FOURTH, "E ||J u||^4 for a unit vector u", _TOL),
        Answer("limit", LIMIT, "the limit of E (1/n) tr M^2 as n -> infinity", _TOL),
    ),
    hint=r"""Theorem thm-init-gaussian-jacobian with c_w = 1.""",
    solution=r"""second = ((6)(1.5)^3 - 3 (0.75)^3)/3 = (20.25 - 1.265625)/3 = 6.328125;
fourth = 1.5^3 = 3.375; limit = L + 1 = 4 (the Fuss-Catalan number).""",
    mistakes=(
        Mistake(
            "second", LIMIT, "L + 1 is the limit n -> infinity; at n = 4 the exact value is larger"
        ),
        Mistake("second", FOURTH, "(1 + 2/n)^L is E ||J u||^4, not E (1/n) tr M^2"),
        Mistake("fourth", 1.0, "E ||J u||^2 = 1, but the fourth moment grows like (1 + 2/n)^L"),
    ),
    wrong=(
        WrongAnswers(
            {"second": LIMIT, "fourth": FOURTH, "limit": LIMIT},
            "uses the limit",
            answer("second"),
            "exact value",
        ),
        WrongAnswers(
            {"second": FOURTH, "fourth": FOURTH, "limit": LIMIT},
            "confuses moments",
            answer("second"),
            "not E (1/n) tr M^2",
        ),
        WrongAnswers(
            {"second": SECOND, "fourth": 1.0, "limit": LIMIT},
            "fourth moment 1",
            answer("fourth"),
            "fourth moment",
        ),
    ),
)
