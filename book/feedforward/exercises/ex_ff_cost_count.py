r"""Exercise ``ex-ff-cost-count`` (computation): multiply-adds of forward and backward passes."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

#: Widths (n_0, n_1, n_2, n_3) and batch size m of the exercise's text.
WIDTHS = (784, 256, 256, 10)
m = 64

_products = sum(a * b for a, b in zip(WIDTHS[1:], WIDTHS[:-1]))  # sum_l n_l n_{l-1} = 268 800
FORWARD = m * _products  # F = 17 203 200
BACKWARD = 2 * FORWARD - m * WIDTHS[1] * WIDTHS[0]  # 21 561 344: no G^0 for the first layer
_units = sum(WIDTHS[1:])  # sum_{l >= 1} n_l = 522
ELEMENTWISE = 2 * m * _units + m * _units + m * _units + (m - 1) * _units  # 166 518
#: The m n_L multiplications of step 2 (G^L scaled by 1/m): part of the loss, not counted.
SCALING = m * WIDTHS[-1]

EXERCISE = Compute(
    id="ex-ff-cost-count",
    title="Counting the multiply-adds of backpropagation",
    answers=(
        Answer(
            "forward",
            FORWARD,
            "multiply-adds in the matrix products of the forward pass (Algorithm alg-forward)",
        ),
        Answer(
            "backward",
            BACKWARD,
            "multiply-adds in the matrix products of the backward sweep (Algorithm alg-backprop)",
        ),
        Answer("ratio", BACKWARD / FORWARD, "backward / forward", Tolerance(1e-3, 0.0)),
        Answer(
            "elementwise",
            ELEMENTWISE,
            "other elementwise operations of Proposition prop-backprop-cost, forward and "
            "backward, excluding the loss (its values and gradients on the m rows, the "
            "averaging, and the scaling of G^L by 1/m)",
        ),
    ),
    hint=r"""Z^l = A^{l-1} (W^l)^T costs m n_l n_{l-1} multiply-adds. In the backward
pass each layer has (Delta^l)^T A^{l-1} (m n_l n_{l-1}) and, except for l = 1, Delta^l W^l
(m n_l n_{l-1}) (Proposition prop-backprop-cost).""",
    solution=r"""Widths (784, 256, 256, 10), m = 64.
forward = m (784·256 + 256·256 + 256·10) = 64 · 268 800 = 17 203 200 multiply-adds.
backward = 2F - m n_1 n_0 = 34 406 400 - 64·256·784 = 34 406 400 - 12 845 056 = 21 561 344
(the first layer needs no G^0).
ratio = backward / forward = 1.2533...; the total 38 764 544 is 2.25 F <= 3F = 51 609 600.
elementwise, with sum_{l>=1} n_l = 522: forward 2m·522 = 66 816, backward
m·522 + m·522 + (m-1)·522 = 99 702, in all 166 518 (about 0.43% of the matrix products). The
m n_3 = 640 multiplications that scale G^L by 1/m are part of the loss (step 2) and excluded.""",
    mistakes=(
        Mistake(
            "forward",
            _products,
            "got sum_l n_l n_{l-1} for one example: multiply by the batch size m",
        ),
        Mistake(
            "backward",
            2 * FORWARD,
            "got 2F: the first layer needs no G^0 = Delta^1 W^1 (subtract m n_1 n_0)",
        ),
        Mistake(
            "backward", BACKWARD // m, "got the count for one example: multiply by the batch size m"
        ),
        Mistake(
            "ratio",
            (FORWARD + BACKWARD) / FORWARD,
            "got (forward + backward) / forward; the ratio asked is backward / forward",
        ),
        Mistake(
            "elementwise",
            ELEMENTWISE + SCALING,
            "counted the m n_L multiplications that scale G^L by 1/m (step 2): they belong to "
            "the loss, which is excluded",
        ),
        Mistake(
            "ratio",
            FORWARD / BACKWARD,
            "got forward / backward; the ratio asked is backward / forward",
        ),
    ),
    wrong=(
        WrongAnswers(
            {
                "forward": _products,
                "backward": BACKWARD,
                "ratio": BACKWARD / FORWARD,
                "elementwise": ELEMENTWISE,
            },
            "forgets m in the forward count",
            answer("forward"),
            "batch size m",
        ),
        WrongAnswers(
            {"forward": FORWARD, "backward": 2 * FORWARD, "ratio": 2.0, "elementwise": ELEMENTWISE},
            "counts G^0 in the backward sweep",
            answer("backward"),
            "G^0",
        ),
        WrongAnswers(
            {
                "forward": FORWARD,
                "backward": BACKWARD,
                "ratio": (FORWARD + BACKWARD) / FORWARD,
                "elementwise": ELEMENTWISE,
            },
            "total / forward instead of backward / forward",
            answer("ratio"),
            "backward / forward",
        ),
        WrongAnswers(
            {
                "forward": FORWARD,
                "backward": BACKWARD,
                "ratio": BACKWARD / FORWARD,
                "elementwise": ELEMENTWISE + SCALING,
            },
            "counts the 1/m scaling of G^L",
            answer("elementwise"),
            "1/m",
        ),
    ),
)
