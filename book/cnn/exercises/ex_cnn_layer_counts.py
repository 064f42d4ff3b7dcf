r"""Exercise ``ex-cnn-layer-counts`` (computation): output size, parameters and multiply-adds of a
convolutional layer."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

#: The layer of the exercise's text.
m, C_in, C_out, n, k, s, p = 128, 3, 64, 32, 5, 2, 2

OUT = (n + 2 * p - (k - 1) - 1) // s + 1  # 16
OUT_DILATED = (n + 2 * p - 2 * (k - 1) - 1) // s + 1  # 14
PARAMETERS = C_out * (C_in * k * k + 1)  # 4864
FORWARD = m * C_out * OUT * OUT * C_in * k * k  # 157 286 400
BACKWARD = 2 * FORWARD  # 314 572 800

_right = {
    "out": OUT,
    "out_dilated": OUT_DILATED,
    "parameters": PARAMETERS,
    "forward": FORWARD,
    "backward": BACKWARD,
}

EXERCISE = Compute(
    id="ex-cnn-layer-counts",
    title="Sizes and costs of a layer",
    answers=(
        Answer(
            "out",
            OUT,
            "output side n' for dilation 1 (Proposition prop-cnn-output-size)",
            Tolerance(0.0, 0.25),
        ),
        Answer("out_dilated", OUT_DILATED, "output side with dilation 2", Tolerance(0.0, 0.25)),
        Answer("parameters", PARAMETERS, "number of parameters (weights and biases)"),
        Answer("forward", FORWARD, "multiply-adds of the forward product, dilation 1, batch 128"),
        Answer(
            "backward",
            BACKWARD,
            "multiply-adds of the backward products (dW and dX), dilation 1, batch 128",
        ),
    ),
    hint=r"""n' = floor((n + 2p - d(k-1) - 1)/s) + 1. Parameters: C_out (C_in k^2 + 1). The forward
product W_2 im2col(X) is (C_out x C_in k^2)(C_in k^2 x m n'^2); the backward pass has two products of
the same size (Proposition prop-cnn-counts).""",
    solution=r"""n' = floor((32 + 4 - 4 - 1)/2) + 1 = 16; with d = 2: floor((32 + 4 - 8 - 1)/2) + 1 = 14.
parameters = 64 (3·25 + 1) = 4864.
forward = 128 · 64 · 16^2 · 3 · 25 = 157 286 400; backward = 2 · forward = 314 572 800.""",
    mistakes=(
        Mistake(
            "out",
            (n + 2 * p - k) // s,
            "forgot the + 1 of the formula (count the positions i = 0, 1, ..., floor(q/s))",
        ),
        Mistake("out", (n + 2 * p - k) / s + 1, "no floor: output sizes are integers"),
        Mistake("out_dilated", OUT, "dilation 2 spreads the 5 taps over d(k-1) + 1 = 9 pixels"),
        Mistake("parameters", C_out * C_in * k * k, "forgot the C_out biases"),
        Mistake("forward", FORWARD // m, "the count for one image: multiply by the batch size m"),
        Mistake("backward", FORWARD, "the backward pass has two products: dW and dX"),
    ),
    wrong=(
        WrongAnswers(
            {**_right, "out": (n + 2 * p - k) // s}, "forgets the + 1", answer("out"), "+ 1"
        ),
        WrongAnswers(
            {**_right, "parameters": C_out * C_in * k * k},
            "forgets the biases",
            answer("parameters"),
            "biases",
        ),
        WrongAnswers({**_right, "backward": FORWARD}, "counts only dW", answer("backward"), "dX"),
    ),
)
