r"""Exercise ``ex-wide-antiparallel`` (proof): antiparallel inputs can make H^infinity singular."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-wide-antiparallel",
    title="Antiparallel inputs",
    hint=r"""With phi_x(w) = x [w^T x > 0], compute phi_x - phi_{-x}: it does not depend on w (almost
everywhere). Three vectors of R^2 are linearly dependent.""",
    solution=r"""phi_x - phi_{-x} = x ([w^T x > 0] + [w^T x < 0]) = x almost everywhere. If
c_1 x_1 + c_2 x_2 + c_3 x_3 = 0 with c != 0, then sum_k c_k (phi_{x_k} - phi_{-x_k}) = 0 almost
everywhere: the six functions are linearly dependent in L^2, and their Gram matrix H^inf is
singular. For x_1, -x_1 the angle is pi, p = 0, and H^inf = (||x_1||^2 / 2) I.""",
)
