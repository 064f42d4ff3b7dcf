r"""Exercise ``ex-cnn-boundary`` (proof): with zero padding, a 3-tap kernel commutes with the
zero-fill shifts by +1 and -1 only if it is a multiple of the identity."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-cnn-boundary",
    title="Zero padding breaks equivariance at the boundary",
    hint=r"""Test the identity on x = e_{n-1} with t = 1 and on x = e_0 with t = -1: the shift pushes
the only nonzero entry out of the image, so one side is 0. Compute the other side at the boundary
position.""",
    solution=r"""(K x)_i = w_0 xp_i + w_1 xp_{i+1} + w_2 xp_{i+2}, xp_v = x_{v-1} for 1 <= v <= n, else 0.
If w_0 = w_2 = 0 then K = w_1 id commutes with everything. Conversely: t = 1, x = e_{n-1}: T_1 x = 0,
so K T_1 x = 0, but (T_1 K x)_{n-1} = (K x)_{n-2} = w_2; hence w_2 = 0. t = -1, x = e_0: T_{-1} x = 0,
but (T_{-1} K x)_0 = (K x)_1 = w_0; hence w_0 = 0.""",
)
