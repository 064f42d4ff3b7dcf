r"""Exercise ``ex-att-mha-cost`` (computation): parameters and arithmetic of multi-head attention."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

d, h, B, n = 512, 8, 4, 1024

PARAMETERS = 4 * d * d + 4 * d  # 1 050 624
FORWARD = 4 * B * n * d * d + 2 * B * n * n * d  # 8 589 934 592
QUADRATIC = 2 * B * n * n * d / FORWARD  # 0.5
WEIGHTS = B * h * n * n  # 33 554 432

EXERCISE = Compute(
    id="ex-att-mha-cost",
    title="The cost of a multi-head attention layer",
    answers=(
        Answer("parameters", PARAMETERS, "number of parameters of the layer (weights and biases)"),
        Answer("forward", FORWARD, "multiply-adds in the matrix products of the forward pass"),
        Answer(
            "quadratic_fraction",
            QUADRATIC,
            "fraction of the forward multiply-adds spent on the scores and on P V",
            Tolerance(1e-3, 0.0),
        ),
        Answer(
            "weights",
            WEIGHTS,
            "entries of the attention weights P of all heads and "
            "sequences, kept for the backward pass",
        ),
    ),
    hint=r"""Proposition prop-att-mha-cost: 4d^2 + 4d parameters; 4 B n d^2 multiply-adds for the
four projections and 2 B n^2 d for the scores and the weighted sums (h heads of width d/h). Each
head has an n x n weight matrix per sequence.""",
    solution=r"""d = 512, h = 8, B = 4, n = 1024.
parameters = 4·512^2 + 4·512 = 1 050 624.
forward = 4 B n d^2 + 2 B n^2 d = 4 294 967 296 + 4 294 967 296 = 8 589 934 592.
quadratic_fraction = 0.5 (n = 2d makes the two terms equal).
weights = B h n^2 = 4·8·1 048 576 = 33 554 432.""",
    mistakes=(
        Mistake("parameters", 4 * d * d, "got 4d^2: the four bias vectors add 4d"),
        Mistake(
            "parameters",
            3 * d * d + 3 * d,
            "got 3d^2 + 3d: the output projection W_O, b_O is missing",
        ),
        Mistake(
            "forward",
            4 * B * n * d * d + 2 * B * n * n * d * h,
            "the n^2 terms were multiplied by h: each head has width d/h, so all heads "
            "together cost 2 B n^2 d",
        ),
        Mistake("weights", B * n * n, "got B n^2: each of the h heads has its own weights"),
    ),
    wrong=(
        WrongAnswers(
            {
                "parameters": 4 * d * d,
                "forward": FORWARD,
                "quadratic_fraction": QUADRATIC,
                "weights": WEIGHTS,
            },
            "forgets the biases",
            answer("parameters"),
            "bias",
        ),
        WrongAnswers(
            {
                "parameters": PARAMETERS,
                "forward": 4 * B * n * d * d + 2 * B * n * n * d * h,
                "quadratic_fraction": 2 * h / (2 * h + 2),
                "weights": WEIGHTS,
            },
            "counts the n^2 terms once per head at full width",
            answer("forward"),
            "d/h",
        ),
        WrongAnswers(
            {
                "parameters": PARAMETERS,
                "forward": FORWARD,
                "quadratic_fraction": QUADRATIC,
                "weights": B * n * n,
            },
            "one weight matrix for all heads",
            answer("weights"),
            "h heads",
        ),
    ),
)
