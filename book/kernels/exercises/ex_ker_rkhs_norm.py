r"""Exercise ``ex-ker-rkhs-norm`` (computation): norm and evaluations of a finite combination."""

import math

from deepqed.exercises.spec import Answer, Compute, Mistake, Tolerance, WrongAnswers, answer

# f = 2 k(., 0) - k(., 1) for the Gaussian kernel k(x, z) = exp(-(x - z)^2) on R (gamma = 1).
_e = math.exp(-1.0)
NORM2 = 4 - 4 * _e + 1  # alpha^T K alpha = 4 k(0,0) - 4 k(0,1) + k(1,1) = 5 - 4/e
NORM = math.sqrt(NORM2)  # 1.8784...
VALUE = 2 * math.exp(-0.25) - math.exp(-0.25)  # f(1/2) = <f, k(., 1/2)> = e^{-1/4}
INNER = 2 * math.exp(-4.0) - math.exp(-1.0)  # <f, k(., 2)> = f(2) = 2e^{-4} - e^{-1}

_rel = Tolerance(1e-6, 1e-9)

EXERCISE = Compute(
    id="ex-ker-rkhs-norm",
    title="The RKHS norm of a finite combination",
    answers=(
        Answer(
            "norm", NORM, "||f||_H for f = 2 k(., 0) - k(., 1), Gaussian kernel, gamma = 1", _rel
        ),
        Answer("value", VALUE, "f(1/2), computed as <f, k(., 1/2)>_H", _rel),
        Answer("inner", INNER, "<f, k(., 2)>_H", _rel),
        Answer(
            "bound", NORM, "the Cauchy-Schwarz bound on sup_x |f(x)| (||f|| sqrt(k(x, x)))", _rel
        ),
    ),
    hint=r"""Lemma lem-rkhs-span-norm: ||f||^2 = alpha^T K alpha with alpha = (2, -1) and
K = [[k(0,0), k(0,1)], [k(1,0), k(1,1)]] = [[1, e^{-1}], [e^{-1}, 1]]. The reproducing property
turns inner products with k(., x) into evaluations; k(x, x) = 1 for the Gaussian kernel.""",
    solution=r"""alpha = (2, -1), K = [[1, 1/e], [1/e, 1]].
||f||^2 = 4 - 2*2*(1/e) + 1 = 5 - 4/e = 3.52848..., so ||f|| = 1.87842...
<f, k(., 1/2)> = f(1/2) = 2 e^{-1/4} - e^{-1/4} = e^{-1/4} = 0.77880...
<f, k(., 2)> = f(2) = 2 e^{-4} - e^{-1} = -0.33125...
|f(x)| <= ||f|| sqrt(k(x, x)) = ||f|| = 1.87842... for every x.""",
    mistakes=(
        Mistake("norm", NORM2, "this is ||f||^2; the norm is its square root"),
        Mistake("norm", math.sqrt(5.0), "the cross terms -2 alpha_1 alpha_2 k(0, 1) are missing"),
        Mistake(
            "norm", math.sqrt(5 + 4 * _e), "sign error in the cross term: alpha_1 alpha_2 = -2"
        ),
        Mistake(
            "value",
            2 * math.exp(-0.5) - math.exp(-0.5),
            "k(x, z) = exp(-(x - z)^2): at x = 1/2 the squared distances are 1/4",
        ),
    ),
    wrong=(
        WrongAnswers(
            {"norm": NORM2, "value": VALUE, "inner": INNER, "bound": NORM},
            "reports ||f||^2 as the norm",
            answer("norm"),
            "square root",
        ),
        WrongAnswers(
            {"norm": math.sqrt(5.0), "value": VALUE, "inner": INNER, "bound": math.sqrt(5.0)},
            "drops the cross terms",
            answer("norm"),
            "cross terms",
        ),
        WrongAnswers(
            {"norm": NORM, "value": math.exp(-0.5), "inner": INNER, "bound": NORM},
            "uses |x - z| instead of (x - z)^2",
            answer("value"),
            "squared",
        ),
    ),
)
