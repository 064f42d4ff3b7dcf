r"""Exercise ``ex-opt-morse-index`` (computation): value and Hessian inertia at a critical point of
the linear autoencoder."""

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

N, K = 6, 3
LAM = (6, 5, 4, 3, 2, 1)
I = (2, 4, 5)  # 1-based
VALUE = sum(LAM[j - 1] for j in range(1, N + 1) if j not in I)  # 11
NEGATIVE = sum(1 for i in I for j in range(1, N + 1) if j not in I and j < i)  # 5
ZERO = K * K  # 9
POSITIVE = 2 * N * K - ZERO - NEGATIVE  # 22
_REVERSED = sum(1 for i in I for j in range(1, N + 1) if j not in I and j > i)  # 4

EXERCISE = Compute(
    id="ex-opt-morse-index",
    title="Counting descent directions",
    answers=(
        Answer("value", VALUE, "the reconstruction error at the critical subspace I = {2, 4, 5}"),
        Answer("negative", NEGATIVE, "the number of negative Hessian eigenvalues"),
        Answer("zero", ZERO, "the number of zero Hessian eigenvalues"),
        Answer("positive", POSITIVE, "the number of positive Hessian eigenvalues"),
    ),
    hint=r"""Theorem thm-opt-autoencoder: E = sum of the eigenvalues not in I; a negative eigenvalue for
each pair (i in I, j not in I) with lambda_j > lambda_i; k^2 zero eigenvalues (the GL_k symmetry);
the Hessian is 2nk x 2nk.""",
    solution=r"""E = lambda_1 + lambda_3 + lambda_6 = 11. Pairs (i, j), i in I, j not in I, j < i:
(2, 1), (4, 1), (4, 3), (5, 1), (5, 3): 5 negative. k^2 = 9 zero. 36 - 9 - 5 = 22 positive.""",
    mistakes=(
        Mistake(
            "value",
            sum(LAM[i - 1] for i in I),
            "summed the eigenvalues in I; the error is "
            "the variance left out, the sum over j not in I",
        ),
        Mistake(
            "negative",
            _REVERSED,
            "counted pairs with j > i: descent needs a direction u_j "
            "with a larger eigenvalue (smaller index) than the u_i it replaces",
        ),
        Mistake("zero", 0, "the k^2 directions (A C, C^{-1} B) with C near I leave AB unchanged"),
        Mistake("zero", K, "the symmetry group GL_k has dimension k^2, not k"),
    ),
    wrong=(
        WrongAnswers(
            {
                "value": VALUE,
                "negative": _REVERSED,
                "zero": ZERO,
                "positive": 2 * N * K - ZERO - _REVERSED,
            },
            "reversed order",
            answer("negative"),
            "larger eigenvalue",
        ),
        WrongAnswers(
            {"value": VALUE, "negative": NEGATIVE, "zero": 0, "positive": 2 * N * K - NEGATIVE},
            "no flat directions",
            answer("zero"),
            "k^2",
        ),
        WrongAnswers(
            {
                "value": sum(LAM[i - 1] for i in I),
                "negative": NEGATIVE,
                "zero": ZERO,
                "positive": POSITIVE,
            },
            "sum over I",
            answer("value"),
            "left out",
        ),
    ),
)
