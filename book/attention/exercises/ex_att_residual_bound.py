r"""Exercise ``ex-att-residual-bound`` (proof): conditioning of a product of perturbed identities."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-att-residual-bound",
    title="Conditioning of a residual stack",
    hint=r"""Use Lemma lem-att-residual-sv: singular values of I + E_l lie in [1 - eps, 1 + eps], and
s_min, s_max are super- and submultiplicative. For the second part, 1 + u <= e^u and Bernoulli's
inequality (1 - u)^L >= 1 - L u.""",
    solution=r"""By Lemma lem-att-residual-sv (parts 2 and 3), s_max <= (1 + eps)^L and
s_min >= (1 - eps)^L > 0, so the condition number s_max / s_min <= ((1 + eps)/(1 - eps))^L. For
eps <= 1/(2L): (1 + eps)^L <= e^{L eps} <= e^{1/2} since 1 + u <= e^u, and
(1 - eps)^L >= 1 - L eps >= 1/2 by Bernoulli's inequality, proved by induction:
(1 - u)^{L+1} >= (1 - L u)(1 - u) = 1 - (L + 1) u + L u^2 >= 1 - (L + 1) u.""",
)
