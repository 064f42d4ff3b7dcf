r"""Exercise ``ex-init-glorot`` (proof): Glorot's compromise between forward and backward variance."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-init-glorot",
    title="Glorot's compromise",
    hint=r"""For W with i.i.d. entries of variance v, E ||W y||^2 = n_l v ||y||^2 and
E ||W^T y'||^2 = n_{l-1} v ||y'||^2. Then use the arithmetic-geometric mean inequality.""",
    solution=r"""E ||W y||^2 = sum_j E (w_j^T y)^2 = n_l v ||y||^2 and E ||W^T y'||^2 = n_{l-1} v ||y'||^2.
Per unit, the forward factor is n_l v n_{l-1} / n_l = 2 n_{l-1}/(n_{l-1} + n_l) and the backward
factor 2 n_l/(n_{l-1} + n_l) for v = 2/(n_{l-1} + n_l). Their product is
4 n_{l-1} n_l / (n_{l-1} + n_l)^2 <= 1 with equality iff n_{l-1} = n_l (AM-GM); the products over
the layers follow.""",
)
