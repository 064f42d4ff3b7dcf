r"""Exercise ``ex-sym-bell-count`` (computation): how many equivariant layers for graphs?"""

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

EXERCISE = Compute(
    id="ex-sym-bell-count",
    title="How many equivariant layers for graphs?",
    answers=(
        Answer("graph_n2", 8, "dim of S_2-equivariant maps R^{2x2} -> R^{2x2}"),
        Answer("graph_n3", 14, "dim of S_3-equivariant maps R^{3x3} -> R^{3x3}"),
        Answer("graph_n5", 15, "dim of S_5-equivariant maps R^{5x5} -> R^{5x5}"),
        Answer("set_to_graph_n5", 5, "dim of S_5-equivariant maps R^5 -> R^{5x5}"),
    ),
    hint=r"""Theorem thm-sym-bell: the dimension is the number of partitions of k + l positions into
at most n blocks, sum_{j <= min(n, k+l)} S(k + l, j). S(4, j) = 1, 7, 6, 1 for j = 1, 2, 3, 4.""",
    solution=r"""Graphs to graphs: k = l = 2, four positions. S(4, 1..4) = 1, 7, 6, 1 (B_4 = 15).
n = 2: 1 + 7 = 8. n = 3: 1 + 7 + 6 = 14. n = 5 >= 4: B_4 = 15. Sets to graphs: k = 1, l = 2,
three positions, n = 5 >= 3: B_3 = 5.""",
    mistakes=(
        Mistake(
            "graph_n2",
            15,
            "B_4 = 15 needs n >= 4: with n = 2 only partitions into at most 2 blocks occur",
        ),
        Mistake(
            "graph_n3",
            15,
            "B_4 = 15 needs n >= 4: with n = 3 the partition into 4 singletons does not occur",
        ),
        Mistake(
            "graph_n5",
            2,
            "2 = B_2 counts the invariant functionals of a graph (k = 2, l = 0); maps to graphs need k + l = 4",
        ),
        Mistake("set_to_graph_n5", 15, "k + l = 1 + 2 = 3 positions, not 4"),
    ),
    wrong=(
        WrongAnswers(
            {"graph_n2": 15, "graph_n3": 14, "graph_n5": 15, "set_to_graph_n5": 5},
            "Bell number regardless of n",
            answer("graph_n2"),
            "n >= 4",
        ),
        WrongAnswers(
            {"graph_n2": 8, "graph_n3": 15, "graph_n5": 15, "set_to_graph_n5": 5},
            "Bell number for n = 3",
            answer("graph_n3"),
            "singletons",
        ),
        WrongAnswers(
            {"graph_n2": 8, "graph_n3": 14, "graph_n5": 15, "set_to_graph_n5": 15},
            "four positions for sets to graphs",
            answer("set_to_graph_n5"),
            "3 positions",
        ),
    ),
)
