r"""Exercise ``ex-wide-du-width`` (computation): the widths the theorems ask for."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

N, LAMBDA0, DELTA = 100, 0.1, 0.1
DU = N**6 / (LAMBDA0**4 * DELTA**3)  # 1e19
INIT = 2 * N**2 * math.log(2 * N**2 / DELTA) / LAMBDA0**2  # 2.44e7
_NO_SQUARE = 2 * N**2 * math.log(2 * N / DELTA) / LAMBDA0**2  # union over n pairs only
_LAMBDA_NOT_SQUARED = 2 * N**2 * math.log(2 * N**2 / DELTA) / LAMBDA0
_DELTA_SQUARED = N**6 / (LAMBDA0**4 * DELTA**2)
_TOL = Tolerance(1e-6, 0.0)

EXERCISE = Compute(
    id="ex-wide-du-width",
    title="How wide is wide?",
    answers=(
        Answer("du", DU, "n^6 / (lambda_0^4 delta^3)", _TOL),
        Answer("init", INIT, "2 n^2 log(2 n^2 / delta) / lambda_0^2", _TOL),
    ),
    hint=r"""Corollary cor-wide-h0-concentration: with unit inputs ||R||_F <= n sqrt(log(2 n^2/delta)/(2m)),
and this is at most lambda_0 / 2 when m >= 2 n^2 log(2 n^2 / delta) / lambda_0^2. The union bound
runs over the n^2 entries.""",
    solution=r"""du = 10^12 / (10^-4 10^-3) = 10^19. init = 2 10^4 log(2 10^5) / 10^-2 = 2.44 10^7.""",
    mistakes=(
        Mistake("du", _DELTA_SQUARED, "delta^2 instead of delta^3 in the denominator"),
        Mistake(
            "init", _NO_SQUARE, "union bound over n instead of n^2 entries: log(2 n^2 / delta)"
        ),
        Mistake("init", _LAMBDA_NOT_SQUARED, "lambda_0 instead of lambda_0^2 in the denominator"),
    ),
    wrong=(
        WrongAnswers(
            {"du": _DELTA_SQUARED, "init": INIT}, "delta squared", answer("du"), "delta^3"
        ),
        WrongAnswers({"du": DU, "init": _NO_SQUARE}, "union over n", answer("init"), "n^2"),
        WrongAnswers(
            {"du": DU, "init": _LAMBDA_NOT_SQUARED},
            "lambda_0 not squared",
            answer("init"),
            "lambda_0^2",
        ),
    ),
)
