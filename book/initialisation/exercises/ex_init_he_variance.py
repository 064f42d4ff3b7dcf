r"""Exercise ``ex-init-he-variance`` (computation): mean squared pre-activations under three schemes."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

WIDTHS = (10, 20, 40, 20)
X_SQ = 5.0


def _q3(gains):
    q = gains[0] * X_SQ / WIDTHS[0]
    for g in gains[1:]:
        q = g / 2 * q
    return q


HE = _q3([2.0, 2.0, 2.0])  # 1
LECUN = _q3([1.0, 1.0, 1.0])  # 0.125
GLOROT = _q3([2 * WIDTHS[l - 1] / (WIDTHS[l - 1] + WIDTHS[l]) for l in (1, 2, 3)])  # 2/27
FAN_OUT = _q3([2 * WIDTHS[l] / (WIDTHS[l - 1] + WIDTHS[l]) for l in (1, 2, 3)])  # 4/27
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-init-he-variance",
    title="Mean squared signals under three schemes",
    answers=(
        Answer("he", HE, "q^3 under He initialisation", _TOL),
        Answer("lecun", LECUN, "q^3 under LeCun initialisation", _TOL),
        Answer("glorot", GLOROT, "q^3 under Glorot initialisation", _TOL),
    ),
    hint=r"""Theorem thm-init-variance: q^1 = c_w^(1) ||x||^2 / n_0 (no ReLU before the first layer),
then q^{l+1} = c_w^(l+1) q^l / 2. Glorot's gain at layer l is 2 n_{l-1} / (n_{l-1} + n_l).""",
    solution=r"""He: q^1 = 2 * 5 / 10 = 1 and every later factor is 1: q^3 = 1.
LeCun: q^1 = 0.5, then halved twice: 0.125.
Glorot: gains 2/3, 2/3, 4/3; q^1 = 1/3, q^2 = 1/9, q^3 = (2/3)(1/9) = 2/27 = 0.0741.""",
    mistakes=(
        Mistake(
            "lecun",
            0.0625,
            "halved three times: the input x is not passed through a ReLU, "
            "so the first layer has no factor 1/2",
        ),
        Mistake("he", 2.0, "forgot the factor ||x||^2 / n_0 = 0.5 in q^1"),
        Mistake(
            "glorot",
            FAN_OUT,
            "used the fan-out gain 2 n_l / (n_{l-1} + n_l); Glorot's "
            "variance 2/(n_{l-1} + n_l) is the gain c_w = 2 n_{l-1}/(n_{l-1} + n_l)",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"he": HE, "lecun": 0.0625, "glorot": GLOROT},
            "halves at layer 1",
            answer("lecun"),
            "first layer",
        ),
        WrongAnswers(
            {"he": 2.0, "lecun": LECUN, "glorot": GLOROT},
            "forgets ||x||^2/n_0",
            answer("he"),
            "||x||^2",
        ),
        WrongAnswers(
            {"he": HE, "lecun": LECUN, "glorot": FAN_OUT},
            "fan-out gain",
            answer("glorot"),
            "fan-out",
        ),
    ),
)
