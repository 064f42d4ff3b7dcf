r"""Exercise ``ex-ff-cost-count`` (computation): multiply-adds of forward and backward passes."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-ff-cost-count",
    title="Counting the multiply-adds of backpropagation",
    hint=r"""Z^l = A^{l-1} (W^l)^T costs m n_l n_{l-1} multiply-adds. In the backward pass each layer has
(Delta^l)^T A^{l-1} (m n_l n_{l-1}) and, except for l = 1, Delta^l W^l (m n_l n_{l-1})
(Proposition prop-backprop-cost).""",
    solution=r"""Widths (784, 256, 256, 10), m = 64.
Forward: F = m (784·256 + 256·256 + 256·10) = 64 · 268 800 = 17 203 200 multiply-adds.
Backward: 2F - m n_1 n_0 = 34 406 400 - 64·256·784 = 34 406 400 - 12 845 056 = 21 561 344.
Total 38 764 544, that is 2.25 F <= 3F = 51 609 600.""",
)
