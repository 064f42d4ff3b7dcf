r"""Exercise ``ex-reg-rank-one`` (proof): balanced linear networks with one output have rank-one
first layers."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-reg-rank-one",
    title="Balanced two-layer linear networks",
    hint=r"""By cor-reg-linear-balanced, a network without biases started at W^1 W^{1T} = W^{2T} W^2 keeps
this identity. What is the rank of W^{2T} W^2 when n_2 = 1?""",
    solution=r"""Along the flow W^1 W^{1T} = W^{2T} W^2 (the conserved matrix of a network without biases is zero at
the start, so it stays zero). With one output,
W^2 is a row vector v^T and W^{2T}W^2 = v v^T has rank at most 1, so W^1 W^{1T} has rank at most 1 and
so has W^1 (same kernel as W^1 W^{1T} on the left: ker W^{1T} = ker W^1 W^{1T}). Moreover the column
space of W^1 is spanned by v: W^1 = v u^T / ||v|| for some u with ||u|| = ||v||, and the end-to-end
map W^2 W^1 = ||v|| u^T. So a balanced network is a rescaled rank-one factorisation, and
||W^1||_F = ||W^2||_F = ||W^2 W^1||^{1/2}.""",
)
