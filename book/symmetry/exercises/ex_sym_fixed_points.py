r"""Exercise ``ex-sym-fixed-points`` (computation): moments of the number of fixed points."""

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

EXERCISE = Compute(
    id="ex-sym-fixed-points",
    title="Moments of the number of fixed points",
    answers=(
        Answer("m3_n2", 4, "E fix(sigma)^3 for sigma uniform on S_2"),
        Answer("m3_n5", 5, "E fix(sigma)^3 for sigma uniform on S_5"),
        Answer("m4_n3", 14, "E fix(sigma)^4 for sigma uniform on S_3"),
    ),
    hint=r"""Corollary cor-sym-fixed-points; or count directly: S_2 has the identity (2 fixed points)
and one transposition (none).""",
    solution=r"""S_2: (2^3 + 0^3)/2 = 4 = S(3, 1) + S(3, 2) = 1 + 3. S_5, m = 3 <= 5: B_3 = 5.
S_3: the identity has 3 fixed points, the three transpositions 1, the two 3-cycles 0:
(81 + 3)/6 = 14 = 1 + 7 + 6, one less than B_4 = 15.""",
    mistakes=(
        Mistake(
            "m3_n2",
            5,
            "B_3 = 5 holds only for n >= 3; for n = 2 the partition into 3 blocks is missing",
        ),
        Mistake("m4_n3", 15, "B_4 = 15 holds only for n >= 4"),
        Mistake("m3_n5", 1, "1 is the mean of fix (m = 1); the third moment is B_3"),
    ),
    wrong=(
        WrongAnswers(
            {"m3_n2": 5, "m3_n5": 5, "m4_n3": 14}, "Bell for n = 2", answer("m3_n2"), "n >= 3"
        ),
        WrongAnswers(
            {"m3_n2": 4, "m3_n5": 5, "m4_n3": 15}, "Bell for n = 3", answer("m4_n3"), "n >= 4"
        ),
        WrongAnswers(
            {"m3_n2": 4, "m3_n5": 1, "m4_n3": 14},
            "the first moment",
            answer("m3_n5"),
            "mean of fix",
        ),
    ),
)
