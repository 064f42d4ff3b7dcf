r"""Exercise ``ex-gen-vc-numbers`` (computation): a VC bound and Cover's fractions."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

d, n, delta = 11, 10_000, 0.01
VC = math.sqrt(2 * d * math.log(math.e * n / d) / n)
CONF = math.sqrt(math.log(1 / delta) / (2 * n))
HALF = 0.5  # C(20, 10) / 2^20 = P(Bin(19, 1/2) <= 9)
F30 = 2 * sum(math.comb(29, k) for k in range(10)) / 2**30

EXERCISE = Compute(
    id="ex-gen-vc-numbers",
    title="A VC bound and Cover's fractions",
    answers=(
        Answer(
            "vc_term",
            VC,
            "sqrt(2 d log(e n / d) / n) for affine halfspaces of R^10, n = 10000",
            Tolerance(1e-6, 1e-9),
        ),
        Answer(
            "confidence_term",
            CONF,
            "sqrt(log(1/delta) / (2n)), delta = 0.01",
            Tolerance(1e-6, 1e-9),
        ),
        Answer("fraction_20", HALF, "C(20, 10) / 2^20", Tolerance(1e-9, 1e-12)),
        Answer("fraction_30", F30, "C(30, 10) / 2^30", Tolerance(1e-6, 1e-9)),
    ),
    hint=r"""Affine halfspaces of R^10 have VC dimension d = 11 (Corollary cor-gen-vc-halfspaces).
C(n, d)/2^n = P(Bin(n - 1, 1/2) <= d - 1); at n = 2d the binomial law is symmetric about d - 1/2.""",
    solution=r"""d = 11: sqrt(2 * 11 * log(e * 10000 / 11) / 10000) = 0.1311; sqrt(log(100)/20000) = 0.01517.
C(20, 10)/2^20 = P(Bin(19, 1/2) <= 9) = 1/2 by symmetry; C(30, 10)/2^30 = P(Bin(29, 1/2) <= 9) = 0.0307.""",
    mistakes=(
        Mistake(
            "vc_term",
            math.sqrt(2 * 10 * math.log(math.e * n / 10) / n),
            "affine halfspaces of R^10 have VC dimension 11, not 10",
        ),
        Mistake(
            "confidence_term",
            math.sqrt(math.log(1 / delta) / n),
            "the term is sqrt(log(1/delta) / (2n))",
        ),
        Mistake(
            "fraction_20",
            2 * sum(math.comb(20, k) for k in range(10)) / 2**20,
            "Cover's count uses binom(n - 1, k)",
        ),
    ),
    wrong=(
        WrongAnswers(
            {
                "vc_term": math.sqrt(2 * 10 * math.log(math.e * n / 10) / n),
                "confidence_term": CONF,
                "fraction_20": HALF,
                "fraction_30": F30,
            },
            "VC dimension 10",
            answer("vc_term"),
            "11",
        ),
        WrongAnswers(
            {
                "vc_term": VC,
                "confidence_term": math.sqrt(math.log(1 / delta) / n),
                "fraction_20": HALF,
                "fraction_30": F30,
            },
            "forgets the 2",
            answer("confidence_term"),
            "2n",
        ),
        WrongAnswers(
            {
                "vc_term": VC,
                "confidence_term": CONF,
                "fraction_20": 2 * sum(math.comb(20, k) for k in range(10)) / 2**20,
                "fraction_30": F30,
            },
            "binom(n, k)",
            answer("fraction_20"),
            "binom(n - 1, k)",
        ),
    ),
)
