r"""Exercise ``ex-gen-vc-intervals`` (proof): the VC dimension of intervals."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-gen-vc-intervals",
    title="The VC dimension of intervals",
    hint=r"""Two points: find an interval for each of the four labellings. Three points x1 < x2 < x3:
which labelling can an interval not produce?""",
    solution=r"""Intervals h(x) = 1{a < x <= b}. Two points x1 < x2 are shattered: (0,0) by an interval
away from both, (1,0) by (x1 - 1, x1], (0,1) by (x1, x2], (1,1) by (x1 - 1, x2]. For three points
x1 < x2 < x3 the labelling (1, 0, 1) is impossible: a < x1 and x3 <= b give a < x2 <= b, so h(x2) = 1.
Hence VC = 2 (Definition def-gen-growth), and by Lemma lem-gen-sauer the growth function is at most
1 + n + binom(n, 2), which is its exact value: a labelling by an interval is a block of consecutive
ones, determined by its two ends, or all zeros.""",
)
