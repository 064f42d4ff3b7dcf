r"""Exercise ``ex-apx-depth-count`` (computation): pieces, depth and the square."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

EXERCISE = Compute(
    id="ex-apx-depth-count",
    title="Pieces, depth and the square",
    answers=(
        Answer("pieces", 32, "number of affine pieces of Delta^5 on [0, 1]"),
        Answer("bound", 243, "prod (n_l + 1) for the width-2 network of Delta^5"),
        Answer(
            "width",
            96,
            "least width of one hidden layer allowed by the theorem for L1 error <= 1/16 to Delta^8",
        ),
        Answer("error", 2.0**-12, "sup |f_5 - x^2| on [0, 1]", Tolerance(1e-12, 1e-15)),
    ),
    hint=r"""Proposition prop-apx-sawtooth counts the pieces; Theorem thm-apx-pieces gives the bound
for widths (2, 2, 2, 2, 2). For (c), one hidden layer of width n has t <= n + 1 pieces; solve
1/4 (1 - 2 (t - 1) / 2^8) <= 1/16 for t. For (d), Proposition prop-apx-square.""",
    solution=r"""(a) 2^5 = 32. (b) (2 + 1)^5 = 243. (c) The theorem needs
1/4 (1 - 2 (t - 1)/256) <= 1/16, i.e. (t - 1)/128 >= 3/4, t - 1 >= 96; with t <= n + 1 this forces
n >= 96. (d) 2^(-2*5 - 2) = 2^-12 = 2.44e-4.""",
    mistakes=(
        Mistake(
            "pieces", 31, "2^5 - 1 = 31 is the number of interior breakpoints; pieces are one more"
        ),
        Mistake("bound", 32, "that is the number of pieces; the bound is prod (n_l + 1) = 3^5"),
        Mistake("width", 192, "the bound has 2 (t - 1) / 2^k, not (t - 1) / 2^k"),
        Mistake(
            "width", 97, "a layer of width n has up to n + 1 pieces: t - 1 >= 96 gives n >= 96"
        ),
        Mistake("error", 2.0**-10, "the error is 2^(-2m-2), not 2^(-2m)"),
    ),
    wrong=(
        WrongAnswers(
            {"pieces": 31, "bound": 243, "width": 96, "error": 2.0**-12},
            "counts breakpoints",
            answer("pieces"),
            "breakpoints",
        ),
        WrongAnswers(
            {"pieces": 32, "bound": 243, "width": 192, "error": 2.0**-12},
            "drops the factor 2",
            answer("width"),
            "2 (t - 1)",
        ),
        WrongAnswers(
            {"pieces": 32, "bound": 243, "width": 96, "error": 2.0**-10},
            "wrong exponent",
            answer("error"),
            "2^(-2m-2)",
        ),
    ),
)
