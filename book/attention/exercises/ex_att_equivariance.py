r"""Exercise ``ex-att-equivariance`` (proof): multi-head self-attention and the pre-LN block commute
with permutations of the sequence."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-att-equivariance",
    title="Multi-head self-attention is permutation equivariant",
    hint=r"""A permutation matrix satisfies Pi 1 = 1, so row-wise affine maps commute with Pi. Apply
Proposition prop-att-equivariance to each head, then follow the concatenation and the output
projection. For the block, check each stage: row-wise maps and residual sums commute with Pi.""",
    solution=r"""Q, K, V become Pi Q, Pi K, Pi V, since (Pi X) W^T + 1 b^T = Pi (X W^T + 1 b^T) as Pi 1 = 1.
Then (Pi Q) E_r = Pi (Q E_r), and by Proposition prop-att-equivariance (part 1 with no mask,
applied to the input [Q E_r, K E_r, V E_r] of width 3 d_h with the selection matrices
W_Q = [I, 0, 0], W_K = [0, I, 0], W_V = [0, 0, I] and zero biases) head r returns Pi O_r. So C = sum_r O_r E_r^T becomes Pi C, and the output
Pi C W_O^T + 1 b_O^T = Pi (C W_O^T + 1 b_O^T). In the block, layer norms, the feed-forward layer
and sigma act row by row, hence commute with Pi; the residual sums X + MHA(...) commute with Pi
since Pi is linear; a composition of maps that commute with Pi commutes with Pi.""",
)
