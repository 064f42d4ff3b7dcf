r"""The exact risk of minimum-norm least squares with Gaussian inputs, on both sides of the
interpolation threshold.

Section "Double descent" of the chapter *Generalisation* ({prf:ref}`thm-gen-double-descent`). The
inputs $x\sim N(0, I_p)$, responses $y = \langle x, \beta\rangle + \xi$ with $\xi\sim N(0, \sigma^2)$
independent; $\hat w = X^+y$ is the minimum-norm least-squares solution of the chapter *Linear
models* (``linear.min_norm_least_squares``), and its excess risk is $\|\hat w - \beta\|^2$.
"""

from __future__ import annotations

import math

from .._validation import Integer, Real, validate

__all__ = ["min_norm_risk", "min_norm_risk_limit"]


@validate(n=Integer(1), p=Integer(1), sigma2=Real(0, None), beta_norm2=Real(0, None))
def min_norm_risk(n: int, p: int, sigma2: float, beta_norm2: float) -> float:
    r"""$\mathbb E\|\hat w - \beta\|^2$ for $n$ samples in dimension $p$
    ({prf:ref}`thm-gen-double-descent`):

    $$
    \frac{\sigma^2p}{n - p - 1}\ (p\le n - 2),\qquad
    \|\beta\|^2\Bigl(1 - \frac np\Bigr) + \frac{\sigma^2n}{p - n - 1}\ (p\ge n + 2),
    $$

    and $+\infty$ for $\lvert p - n\rvert\le1$ when $\sigma^2 > 0$ (where the first formula's
    denominator vanishes or the expectation diverges)."""
    if p <= n - 2:
        return sigma2 * p / (n - p - 1)
    if p >= n + 2:
        return beta_norm2 * (1 - n / p) + sigma2 * n / (p - n - 1)
    if sigma2 == 0:
        return beta_norm2 * max(0.0, 1 - n / p)
    return math.inf


@validate(gamma=Real(0, None, closed="neither"), sigma2=Real(0, None), beta_norm2=Real(0, None))
def min_norm_risk_limit(gamma: float, sigma2: float, beta_norm2: float) -> float:
    r"""The limit of :func:`min_norm_risk` as $n, p\to\infty$ with $p/n\to\gamma$:
    $\sigma^2\gamma/(1 - \gamma)$ for $\gamma < 1$ and $\|\beta\|^2(1 - 1/\gamma) + \sigma^2/(\gamma - 1)$
    for $\gamma > 1$ (Hastie, Montanari, Rosset and Tibshirani 2022); $+\infty$ at $\gamma = 1$."""
    if gamma < 1:
        return sigma2 * gamma / (1 - gamma)
    if gamma > 1:
        return beta_norm2 * (1 - 1 / gamma) + sigma2 / (gamma - 1)
    return math.inf if sigma2 > 0 else 0.0
