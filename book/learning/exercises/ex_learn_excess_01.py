r"""Exercise ``ex-learn-excess-01`` (proof): the excess 0-1 risk formula."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-learn-excess-01",
    title="The excess 0-1 risk",
    hint=r"""1{f(X) != Y} = 1{f(X) = 0} 1{Y = 1} + 1{f(X) = 1} 1{Y = 0}. Condition on X (taking out
what is known), then compare the integrands of f and f* pointwise, separately where they agree and
where they differ.""",
    solution=r"""Taking expectations of 1{f(X) != Y} = 1{f(X) = 0} 1{Y = 1} + 1{f(X) = 1} 1{Y = 0}
and applying (C2) with h = 1{f = 0}, Z = 1{Y = 1} and with h = 1{f = 1}, Z = 1{Y = 0}
(E[1{Y = 0} | X] = 1 - eta(X)) gives R(f) = E c_f(X), c_f(x) = eta(x) if f(x) = 0 and
1 - eta(x) if f(x) = 1. So R(f) - R(f*) = E[c_f(X) - c_{f*}(X)]. Where f = f* the integrand is 0.
Where f(x) != f*(x): if f*(x) = 1 then eta(x) > 1/2, f(x) = 0 and the integrand is
eta - (1 - eta) = 2 eta - 1 > 0; if f*(x) = 0 then eta(x) <= 1/2, f(x) = 1 and it is
1 - 2 eta >= 0. In both cases it equals |2 eta(x) - 1|, hence
R(f) - R(f*) = E[|2 eta(X) - 1| 1{f(X) != f*(X)}] >= 0.""",
)
