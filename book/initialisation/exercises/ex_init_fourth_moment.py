r"""Exercise ``ex-init-fourth-moment`` (computation): the depth-to-width correction."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

N, LAYERS = 16, 10
FACTOR = (1 + 5 / N) ** LAYERS  # 15.17
REL_VAR = FACTOR - 1
FIRST = 5 * LAYERS / N  # 3.125
_TOL = Tolerance(1e-9, 1e-12)

EXERCISE = Compute(
    id="ex-init-fourth-moment",
    title="How Gaussian is a deep narrow network?",
    answers=(
        Answer("kurtosis_factor", FACTOR, "E z^4 / (3 (E z^2)^2) at layer 11", _TOL),
        Answer("rel_var", REL_VAR, "Var ||a^10||^2 / (E ||a^10||^2)^2", _TOL),
        Answer("first_order", FIRST, "5 sum_l 1/n_l", _TOL),
    ),
    hint=r"""Corollary cor-init-fluctuations: E X^2 / (E X)^2 = prod_l (1 + 5/n_l) over the ReLU layers;
Proposition prop-init-fourth-moment: the same product over the layers before the unit's layer.""",
    solution=r"""(1 + 5/16)^10 = (21/16)^10 = 15.17 is the kurtosis factor (ten ReLU layers precede layer
11); the relative variance is 15.17 - 1 = 14.17; 5 * 10/16 = 3.125 is its first-order value.""",
    mistakes=(
        Mistake(
            "kurtosis_factor",
            (1 + 5 / N) ** (LAYERS + 1),
            "counted eleven layers; only the ten ReLU layers before layer 11 contribute",
        ),
        Mistake("rel_var", FACTOR, "this is E X^2 / (E X)^2; the relative variance subtracts 1"),
        Mistake(
            "kurtosis_factor",
            (1 + 2 / N) ** LAYERS,
            "(1 + 2/n) is the factor of a linear "
            "layer (chi^2_n); ReLU layers give 1 + 5/n (binomial degrees of freedom)",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"kurtosis_factor": (1 + 5 / N) ** 11, "rel_var": REL_VAR, "first_order": FIRST},
            "eleven layers",
            answer("kurtosis_factor"),
            "ten ReLU layers",
        ),
        WrongAnswers(
            {"kurtosis_factor": FACTOR, "rel_var": FACTOR, "first_order": FIRST},
            "forgets -1",
            answer("rel_var"),
            "subtracts 1",
        ),
        WrongAnswers(
            {"kurtosis_factor": (1 + 2 / N) ** 10, "rel_var": REL_VAR, "first_order": FIRST},
            "linear-layer factor",
            answer("kurtosis_factor"),
            "binomial",
        ),
    ),
)
