r"""Exercise ``ex-learn-sample-size`` (computation): sample sizes from the finite-class bound."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, WrongAnswers, answer

M, delta, eps = 1000, 0.01, 0.05

N_UNIFORM = math.ceil(math.log(2 * M / delta) / (2 * eps**2))  # 2442
N_ERM = math.ceil(math.log(2 * M / delta) / (2 * (eps / 2) ** 2))  # 9765
_N_ONE_SIDED = math.ceil(math.log(M / delta) / (2 * eps**2))  # without the factor 2
_N_FLOOR = math.floor(math.log(2 * M / delta) / (2 * eps**2))

EXERCISE = Compute(
    id="ex-learn-sample-size",
    title="Sample size for a finite class",
    answers=(
        Answer("n_uniform", N_UNIFORM, "least n with 2 M exp(-2 n eps^2) <= delta, eps = 0.05"),
        Answer(
            "n_erm",
            N_ERM,
            "least n with 2 eps(n, M, delta) <= 0.05 (Corollary cor-learn-finite-erm)",
        ),
    ),
    hint=r"""delta = 0.01. Solve 2 M exp(-2 n eps^2) <= delta for n and round up. For (b), the
corollary bounds the estimation error by 2 eps(n, M, delta): you need eps(n, M, delta) <= 0.025.""",
    solution=r"""log(2M/delta) = log(200000) = 12.206. (a) n >= 12.206 / (2 * 0.05^2) = 2441.2, so
n_uniform = 2442. (b) 2 eps(n, M, delta) <= 0.05 iff eps(n, M, delta) <= 0.025 iff
n >= 12.206 / (2 * 0.025^2) = 9764.8, so n_erm = 9765.""",
    mistakes=(
        Mistake("n_uniform", _N_FLOOR, "rounded down: n must be at least 2441.2, so 2442"),
        Mistake(
            "n_uniform",
            _N_ONE_SIDED,
            "got log(M/delta): the two-sided Hoeffding bound has the factor 2, log(2M/delta)",
        ),
        Mistake(
            "n_erm",
            N_UNIFORM,
            "this is (a): the corollary loses a factor 2, R(f_S) <= min R + 2 eps",
        ),
        Mistake(
            "n_erm",
            math.ceil(math.log(2 * M / delta) / (2 * (2 * eps) ** 2)),
            "used eps = 0.1: the excess is 2 eps, so eps must be 0.025",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"n_uniform": _N_FLOOR, "n_erm": N_ERM},
            "rounds down",
            answer("n_uniform"),
            "rounded down",
        ),
        WrongAnswers(
            {"n_uniform": _N_ONE_SIDED, "n_erm": N_ERM},
            "one-sided bound",
            answer("n_uniform"),
            "factor 2",
        ),
        WrongAnswers(
            {"n_uniform": N_UNIFORM, "n_erm": N_UNIFORM},
            "forgets the factor 2 of the corollary",
            answer("n_erm"),
            "2 eps",
        ),
    ),
)
