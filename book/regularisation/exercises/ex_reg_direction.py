r"""Exercise ``ex-reg-direction`` (proof): a bounded residual gives the rate 1/log t."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-reg-direction",
    title="From the residual to the rate",
    hint=r"""For vectors a != 0 and a + r, ||(a + r)/||a + r|| - a/||a|| || <= 2||r||/||a||. Apply it with
a = w_hat log t.""",
    solution=r"""Let a != 0, b = a + r. Then ||b/||b|| - a/||a|| || <= ||b/||b|| - b/||a|| || +
||(b - a)/||a|| || = | ||a|| - ||b|| | / ||a|| + ||r||/||a|| <= 2||r||/||a||. With a = w_hat log t,
r = rho_t and R = sup_t ||rho_t||: the direction error is at most 2R/(||w_hat|| log t) for t > 1. The
rate cannot be better in general: if rho_t converges to a vector with a nonzero component orthogonal
to w_hat, the angle between w_t and w_hat is asymptotic to ||rho^perp||/(||w_hat|| log t).""",
)
