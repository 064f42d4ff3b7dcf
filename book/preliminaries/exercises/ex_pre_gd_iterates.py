r"""Exercise ``ex-pre-gd-iterates`` (proof): linear convergence of the iterates."""

from deepqed.exercises.spec import Prove

EXERCISE = Prove(
    id="ex-pre-gd-iterates",
    title="Gradient descent iterates converge linearly",
    hint=r"""Iterate Proposition prop-gd-step-progress and use the second inequality of
Proposition prop-strong-convexity-pl.""",
    solution=r"""Let x_{k+1} = x_k - grad f(x_k) / L. By Proposition prop-gd-step-progress,
f(x_{k+1}) - f* <= (1 - mu/L)(f(x_k) - f*); by induction f(x_k) - f* <= (1 - mu/L)^k (f(x_0) - f*).
By Proposition prop-strong-convexity-pl, (mu/2) |x_k - x*|^2 <= f(x_k) - f*. Hence
|x_k - x*|^2 <= (2/mu)(1 - mu/L)^k (f(x_0) - f*), and since 0 <= 1 - mu/L < 1 the iterates
converge to x* at a linear rate (1 - mu/L)^{1/2} per step.""",
)
