r"""The chapter's bounds as formulas: concentration, generalisation, margins, covering.

Each function is the right-hand side of a numbered statement of the chapter *Generalisation*, so
that the witnesses check the statement with the library's formula and a test can weaken its
constant.
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import Array, Integer, Real, fail, validate

__all__ = [
    "mcdiarmid_bound",
    "rademacher_bound",
    "empirical_rademacher_bound",
    "margin_bound",
    "ramp_loss",
    "sauer_bound",
    "cover_count",
    "vc_rademacher_bound",
    "ball_covering_bound",
    "two_layer_lipschitz",
    "threshold_covering_number",
    "dudley_bound",
]


@validate(t=Array(ndim=None, numpy=True), c=Array(ndim=1, numpy=True))
def mcdiarmid_bound(t: np.ndarray, c: np.ndarray) -> np.ndarray:
    r"""$\exp\bigl(-2t^2/\sum_ic_i^2\bigr)$ ({prf:ref}`thm-gen-mcdiarmid`), elementwise in ``t``.

    Arguments:
        t: deviations $t\ge0$, any shape; c: bounded differences $c_i\ge0$, shape ``(n,)``, not all
            zero.
    """
    D = float(np.sum(c.astype(np.float64) ** 2))
    if D <= 0:
        fail("c", "have a positive entry", "all entries zero")
    return np.exp(-2 * t.astype(np.float64) ** 2 / D)


@validate(complexity=Real(0, None), n=Integer(1), delta=Real(0, 1, closed="neither"))
def rademacher_bound(complexity: float, n: int, delta: float) -> float:
    r"""$2\mathfrak R_n + \sqrt{\log(1/\delta)/(2n)}$: with probability at least $1 - \delta$,
    $\mathbb Eg\le\frac1n\sum_ig(Z_i)$ plus this, for all $g$ of a class with values in $[0, 1]$
    ({prf:ref}`thm-gen-rademacher-bound`)."""
    return 2 * complexity + math.sqrt(math.log(1 / delta) / (2 * n))


@validate(empirical=Real(0, None), n=Integer(1), delta=Real(0, 1, closed="neither"))
def empirical_rademacher_bound(empirical: float, n: int, delta: float) -> float:
    r"""$2\hat{\mathfrak R}_S + 3\sqrt{\log(2/\delta)/(2n)}$, the data-dependent form of
    {prf:ref}`thm-gen-rademacher-bound`."""
    return 2 * empirical + 3 * math.sqrt(math.log(2 / delta) / (2 * n))


@validate(
    complexity=Real(0, None),
    n=Integer(1),
    delta=Real(0, 1, closed="neither"),
    gamma=Real(0, None, closed="neither"),
)
def margin_bound(complexity: float, n: int, delta: float, gamma: float) -> float:
    r"""$\frac2\gamma\mathfrak R_n(\mathcal F) + \sqrt{\log(1/\delta)/(2n)}$, the term added to the
    empirical margin loss in {prf:ref}`thm-gen-margin`."""
    return 2 * complexity / gamma + math.sqrt(math.log(1 / delta) / (2 * n))


@validate(u=Array(ndim=None, numpy=True), gamma=Real(0, None, closed="neither"))
def ramp_loss(u: np.ndarray, gamma: float) -> np.ndarray:
    r"""$\psi_\gamma(u) = \min(1, \max(0, 1 - u/\gamma))$: $1$ for $u\le0$, $0$ for $u\ge\gamma$, linear
    in between ({prf:ref}`thm-gen-margin`); the shape and dtype of ``u``."""
    return np.clip(1 - u / np.asarray(gamma, dtype=u.dtype), 0, 1).astype(u.dtype, copy=False)


@validate(n=Integer(0), d=Integer(0))
def sauer_bound(n: int, d: int) -> int:
    r"""$\sum_{i=0}^{d}\binom ni$, the Sauer–Shelah bound on the growth function of a class of VC
    dimension $d$ at $n$ points ({prf:ref}`lem-gen-sauer`)."""
    return sum(math.comb(n, i) for i in range(min(d, n) + 1))


@validate(n=Integer(1), d=Integer(1))
def cover_count(n: int, d: int) -> int:
    r"""$C(n, d) = 2\sum_{k=0}^{d-1}\binom{n-1}k$, the number of dichotomies of $n$ points of
    $\mathbb R^d$ in general position by homogeneous halfspaces ({prf:ref}`thm-gen-cover`)."""
    return 2 * sum(math.comb(n - 1, k) for k in range(d))


@validate(n=Integer(1), d=Integer(1))
def vc_rademacher_bound(n: int, d: int) -> float:
    r"""$\sqrt{2d\log(en/d)/n}$ for $n\ge d$, the bound of {prf:ref}`cor-gen-vc-rademacher` on
    $\hat{\mathfrak R}_S$ of a class with values in $[-1, 1]$ and VC dimension $d$."""
    if n < d:
        fail("n", f"be at least d = {d}", f"{n}")
    return math.sqrt(2 * d * math.log(math.e * n / d) / n)


@validate(R=Real(0, None), eps=Real(0, None, closed="neither"), P=Integer(1))
def ball_covering_bound(R: float, eps: float, P: int) -> float:
    r"""$(1 + 2R/\varepsilon)^P$, the bound of {prf:ref}`lem-gen-param-covering` on the covering and
    packing numbers of the Euclidean ball of radius $R$ in $\mathbb R^P$."""
    return (1 + 2 * R / eps) ** P


@validate(R=Real(0, None), r=Real(0, None))
def two_layer_lipschitz(R: float, r: float) -> float:
    r"""$\Lambda = R\sqrt{1 + r^2}$: the Lipschitz constant of $\theta\mapsto f_\theta(x) =
    v^\top\operatorname{ReLU}(Wx + b)$ on $\{\|\theta\|\le R\}$, uniformly over $\|x\|\le r$
    ({prf:ref}`prop-gen-lipschitz-param`)."""
    return R * math.sqrt(1 + r * r)


@validate(n=Integer(1), t=Real(0, None, closed="neither"))
def threshold_covering_number(n: int, t: float) -> int:
    r"""$N(t)$ of the thresholds $\{(\mathbf 1\{x_i > \theta\})_{i\le n}\}$ on $n$ distinct points in
    the empirical norm $\|a\|_S = (\frac1n\sum_ia_i^2)^{1/2}$, with centres in the class
    ({prf:ref}`def-gen-covering`): the $n + 1$ staircases are at distance $\sqrt{\lvert k -
    k'\rvert/n}$, so a ball of radius $t$ around one covers $2\lfloor nt^2\rfloor + 1$ consecutive
    ones and $N(t) = \lceil(n + 1)/(2\lfloor nt^2\rfloor + 1)\rceil$."""
    r = math.floor(n * t * t + 1e-12 * n * t * t)
    return math.ceil((n + 1) / (2 * r + 1))


@validate(
    radii=Array(shape=("K",), numpy=True),
    log_counts=Array(shape=("K",), numpy=True),
    n=Integer(1),
    alpha=Real(0, None, closed="neither"),
)
def dudley_bound(radii: np.ndarray, log_counts: np.ndarray, n: int, alpha: float) -> float:
    r"""$4\alpha + \frac{12}{\sqrt n}\int_\alpha^D\sqrt{\log N(t)}\,\mathrm dt$
    ({prf:ref}`thm-gen-dudley`) for a step function $\log N$: equal to ``log_counts[k]`` on
    $[\mathrm{radii}_k, \mathrm{radii}_{k+1})$, with $D = \mathrm{radii}_{K-1}$; the integral over
    $[\alpha, D]$ is empty when $\alpha\ge D$.

    Arguments:
        radii: strictly increasing, $\mathrm{radii}_0\le\alpha$, shape ``(K,)``.
        log_counts: $\log N$ on each step (the last entry is unused), non-negative, shape ``(K,)``.
        n: the sample size; alpha: the cut-off $\alpha > 0$.
    """
    if not bool(np.all(np.diff(radii) > 0)):
        fail("radii", "be strictly increasing", "an array with a non-increasing step")
    if float(radii[0]) > alpha:
        fail("alpha", f"be at least radii[0] = {float(radii[0]):g}", f"{alpha:g}")
    if bool(np.any(log_counts < 0)):
        fail("log_counts", "be non-negative", "a negative entry")
    lo = np.maximum(radii[:-1].astype(np.float64), alpha)
    hi = np.maximum(radii[1:].astype(np.float64), alpha)
    integral = float(np.sum((hi - lo) * np.sqrt(log_counts[:-1].astype(np.float64))))
    return 4 * alpha + 12 * integral / math.sqrt(n)
