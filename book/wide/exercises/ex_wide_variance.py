r"""Exercise ``ex-wide-variance`` (computation): the exact fluctuation of H(0)."""

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

M = 100
P12 = 1 / 3  # (pi - pi/3) / (2 pi)
V12 = 0.25 * P12 * (1 - P12)  # 1/18
VAR12 = V12 / M  # 1/1800
FROB = (2 * 0.25 * 0.5 * 0.5 + 2 * V12) / M  # 11/1800
_OFF_ONLY = 2 * V12 / M  # forgets the diagonal
_BERNOULLI_SQ = 0.25 * P12**2 / M  # p^2 instead of p (1 - p)
_NO_M = FROB * M  # forgets 1/m
_TOL = Tolerance(1e-9, 1e-15)

EXERCISE = Compute(
    id="ex-wide-variance",
    title="The exact fluctuation of H(0)",
    answers=(
        Answer("var12", VAR12, "Var H(0)_12", _TOL),
        Answer("frob", FROB, "E ||H(0) - H^inf||_F^2", _TOL),
    ),
    hint=r"""Proposition prop-wide-hinf: Var H(0)_ij = (x_i^T x_j)^2 p_ij (1 - p_ij) / m with
p_ij = (pi - theta_ij) / (2 pi). The Frobenius norm sums over all four entries, the diagonal
(p = 1/2) included.""",
    solution=r"""p_12 = 1/3, V_12 = (1/4)(1/3)(2/3) = 1/18, Var H(0)_12 = 1/1800 = 5.56e-4.
Diagonal: V_ii = 1 (1/2)(1/2) = 1/4. E||H(0) - H^inf||_F^2 = (1/4 + 1/4 + 1/18 + 1/18)/100
= 11/1800 = 6.11e-3.""",
    mistakes=(
        Mistake("frob", _NO_M, "forgot the factor 1/m: H(0) is a mean of m neurons"),
        Mistake("frob", _OFF_ONLY, "forgot the diagonal entries, which fluctuate most (p = 1/2)"),
        Mistake("var12", _BERNOULLI_SQ, "p^2 instead of the Bernoulli variance p (1 - p)"),
    ),
    wrong=(
        WrongAnswers({"var12": VAR12, "frob": _NO_M}, "no 1/m", answer("frob"), "1/m"),
        WrongAnswers(
            {"var12": VAR12, "frob": _OFF_ONLY}, "no diagonal", answer("frob"), "diagonal"
        ),
        WrongAnswers({"var12": _BERNOULLI_SQ, "frob": FROB}, "p^2", answer("var12"), "p (1 - p)"),
    ),
)
