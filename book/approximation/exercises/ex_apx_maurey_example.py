r"""Exercise ``ex-apx-maurey-example`` (computation): Maurey's identity for sign-weighted units."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

N_UNITS = 10
EXACT = (0.5 - 1 / (4 * math.pi)) / N_UNITS  # 0.0420423
BOUND = 0.5 / N_UNITS

EXERCISE = Compute(
    id="ex-apx-maurey-example",
    title="Maurey's identity for sign-weighted ReLU units",
    answers=(
        Answer("expected_error", EXACT, "E ||f - f_10||^2 in L^2(nu)", Tolerance(1e-6, 1e-9)),
        Answer(
            "bound",
            BOUND,
            "the bound A^2 int ||x||^2 dnu / (2n) of the corollary",
            Tolerance(1e-9, 1e-12),
        ),
    ),
    hint=r"""f(x) = <x, x_0> / (||x_0|| sqrt(2 pi)) (the example after Corollary
cor-apx-relu-barron), and E[a(w)^2 ReLU(w^T x)^2] = ||x||^2 / 2 because a^2 = 1. Then apply
Lemma lem-apx-maurey with nu uniform on {e_1, e_2}.""",
    solution=r"""With a(w) = sign(w_1), f(e_1) = 1/sqrt(2 pi), f(e_2) = 0, and the second moment is
||x||^2/2 = 1/2 at both points. Maurey's identity: E||f - f_n||^2 = (1/n)(1/2 - (1/2)(1/(2 pi)))
= (1/10)(1/2 - 1/(4 pi)) = 0.042042. The bound is (1/2)/10 = 0.05: it drops ||f||^2 = 1/(4 pi).""",
    mistakes=(
        Mistake("expected_error", BOUND, "this is the bound: Maurey's identity subtracts ||f||^2"),
        Mistake(
            "expected_error",
            (1 - 1 / (4 * math.pi)) / N_UNITS,
            "E ReLU(w^T x)^2 = ||x||^2 / 2, not ||x||^2",
        ),
        Mistake("expected_error", 0.5 - 1 / (4 * math.pi), "the identity divides by n = 10"),
    ),
    wrong=(
        WrongAnswers(
            {"expected_error": BOUND, "bound": BOUND},
            "forgets ||f||^2",
            answer("expected_error"),
            "||f||^2",
        ),
        WrongAnswers(
            {"expected_error": (1 - 1 / (4 * math.pi)) / N_UNITS, "bound": BOUND},
            "second moment ||x||^2",
            answer("expected_error"),
            "||x||^2 / 2",
        ),
        WrongAnswers(
            {"expected_error": 0.5 - 1 / (4 * math.pi), "bound": BOUND},
            "forgets 1/n",
            answer("expected_error"),
            "divides by n",
        ),
    ),
)
