r"""Sequential minimal optimisation (SMO) for the support vector machine dual.

Implements {prf:ref}`alg-svm-smo`: minimise $f(\alpha) = \frac12(\alpha\odot y)^\top K(\alpha\odot y)
- \mathbf 1^\top\alpha$ over $\{0\le\alpha\le C,\ y^\top\alpha = 0\}$ by exact minimisation over two
coordinates at a time ({prf:ref}`thm-svm-two-variable`), with the second-order working-set selection
of Fan, Chen & Lin (JMLR 6, 2005, WSS 2, as in LIBSVM), until the maximal KKT violation
$\beta_{\mathrm{up}}(\alpha) - \beta_{\mathrm{low}}(\alpha)$ is at most ``tol``.

The gradient $G = \nabla f(\alpha)$ is kept up to date: an update of $(\alpha_i, \alpha_j)$ by
$(\Delta_i, \Delta_j)$ changes it by $y\odot(K_{:,i}y_i\Delta_i + K_{:,j}y_j\Delta_j)$, $O(m)$ work
per iteration. Before stopping, $G$ is recomputed from scratch and the test repeated, so the
reported violation does not carry accumulated rounding.

Hard margin: ``C = math.inf`` is allowed (the box becomes $\alpha\ge 0$). It has a solution exactly
when the data are linearly separable in the feature space of $K$; otherwise the dual is unbounded and
the solver either meets a two-variable subproblem without a minimiser (``ValueError``) or stops at
``max_iter`` with ``converged=False``.

The loop is sequential (one pair of coordinates per iteration, $O(m)$ work each) and runs in NumPy
on the host: :func:`smo`, :func:`two_variable_step` and :func:`select_working_set` copy arrays of
another namespace (PyTorch on CPU or CUDA, ...) to NumPy and return arrays in the namespace and
on the device of their arguments. :func:`decision_function` computes in the namespace of its
arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._host import from_numpy, labels_follow, to_numpy
from .._validation import Array, Boolean, Integer, Real, check, fail, namespace, validate
from ._common import ALPHA, C_HARD, GRAM, LABELS, OFFSET, both_labels, symmetric
from .dual import _masks, _offset, _violation

__all__ = ["DualSolution", "smo", "decision_function", "two_variable_step", "select_working_set"]

#: Curvature floor of WSS 2 for a non-positive $a_{it}$ (LIBSVM's TAU).
TAU = 1e-12


@dataclass(frozen=True)
class DualSolution:
    r"""Result of :func:`smo`.

    Attributes:
        alpha: the dual variables, float64 array of shape $(m,)$ (in the namespace and on the device
            of ``K``), $0\le\alpha_i\le C$, $y^\top\alpha=0$.
        b: the offset ({prf:ref}`prop-svm-offset`).
        iterations: number of two-variable updates performed.
        kkt_violation: $\operatorname{viol}(\alpha) = \max\{\beta_{\mathrm{up}}(\alpha) - \beta_{\mathrm{low}}(\alpha), 0\}$ at the returned ``alpha``.
        converged: whether ``kkt_violation <= tol`` was reached within ``max_iter`` updates.
    """

    alpha: Any
    b: float
    iterations: int
    kkt_violation: float
    converged: bool

    __deepqed_constraints__ = {
        "alpha": Array(ndim=1),
        "b": OFFSET,
        "iterations": Integer(0),
        "kkt_violation": Real(0, None),
        "converged": Boolean(),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


def _segment(
    alpha_i: float, alpha_j: float, y_i: float, y_j: float, C: float
) -> tuple[float, float, float, float]:
    r"""Bounds on $t$ from $0\le\alpha_i + y_it\le C$ (``lo_i, hi_i``) and $0\le\alpha_j - y_jt\le C$."""
    lo_i, hi_i = (-alpha_i, C - alpha_i) if y_i > 0 else (alpha_i - C, alpha_i)
    lo_j, hi_j = (alpha_j - C, alpha_j) if y_j > 0 else (-alpha_j, C - alpha_j)
    return lo_i, hi_i, lo_j, hi_j


def _minimise_on_segment(g: float, a: float, lo: float, hi: float) -> float:
    r"""$\operatorname{argmin}_{t\in[lo, hi]} \varphi(t) = gt + \frac12at^2$ (with $lo\le 0\le hi$).

    $a>0$: the clipped Newton step $\min\{\max\{-g/a, lo\}, hi\}$. $a\le0$: $\varphi$ is concave, its
    minimum on the segment is at an end (or $t = 0$ on ties); an infinite end with
    $\varphi\to-\infty$ means the subproblem has no minimiser.
    """
    if a > 0.0:
        return min(max(-g / a, lo), hi)
    best_t, best_v = 0.0, 0.0
    for t in (lo, hi):
        if math.isinf(t):
            if a < 0.0 or (t > 0 and g < 0.0) or (t < 0 and g > 0.0):
                raise ValueError(
                    "the two-variable subproblem is unbounded below (with C = inf this means the "
                    "data are not separable in the feature space of K)"
                )
            continue
        v = g * t + 0.5 * a * t * t
        if v < best_v:
            best_t, best_v = t, v
    return best_t


def _pair_values(
    a_i: float, a_j: float, y_i: float, y_j: float, g: float, a: float, C: float
) -> tuple[float, float]:
    """New ``(alpha_i, alpha_j)`` for slope ``g`` and curvature ``a`` (bounds reached set exactly)."""
    lo_i, hi_i, lo_j, hi_j = _segment(a_i, a_j, y_i, y_j, C)
    t = _minimise_on_segment(g, a, max(lo_i, lo_j), min(hi_i, hi_j))
    new_i, new_j = a_i + y_i * t, a_j - y_j * t
    if t == hi_i:
        new_i = C if y_i > 0 else 0.0
    elif t == lo_i:
        new_i = 0.0 if y_i > 0 else C
    if t == hi_j:
        new_j = 0.0 if y_j > 0 else C
    elif t == lo_j:
        new_j = C if y_j > 0 else 0.0
    return new_i, new_j


def _pair_update(
    alpha: np.ndarray, y: np.ndarray, G: np.ndarray, K: np.ndarray, C: float, i: int, j: int
) -> tuple[float, float]:
    """The new values of ``alpha[i], alpha[j]`` (bounds reached are set exactly)."""
    g = float(y[i] * G[i] - y[j] * G[j])
    a = float(K[i, i] + K[j, j] - 2.0 * K[i, j])
    return _pair_values(float(alpha[i]), float(alpha[j]), float(y[i]), float(y[j]), g, a, C)


def _indices(i: int, j: int, m: int) -> None:
    for name, k in (("i", i), ("j", j)):
        if k >= m:
            fail(name, f"be an index in [0, {m}) (m = len(y))", repr(k))
    if i == j:
        fail("j", "differ from 'i'", f"i = j = {i}")


@validate(alpha=ALPHA, y=LABELS, K=GRAM, C=C_HARD, i=Integer(0), j=Integer(0))
def two_variable_step(alpha: Any, y: Any, K: Any, C: float, i: int, j: int) -> Any:
    r"""Minimise $f$ exactly over $(\alpha_i, \alpha_j)$, the other coordinates fixed.

    Implements {prf:ref}`thm-svm-two-variable`: with $u = y_ie_i - y_je_j$,
    $g = y_iG_i - y_jG_j$, $a = K_{ii} + K_{jj} - 2K_{ij}$ and $[t_{\min}, t_{\max}]$ the values of $t$
    keeping $\alpha + tu$ in the box, the new point is $\alpha + t^\star u$ with
    $t^\star = \min\{\max\{-g/a, t_{\min}\}, t_{\max}\}$ if $a > 0$ (an end of the segment if $a\le 0$).

    Arguments: ``alpha`` $(m,)$ dual feasible, ``y`` $(m,)$, ``K`` $(m, m)$, $C\in(0,\infty]$,
    indices $i\ne j$. Returns the new ``alpha`` (a float64 copy, shape $(m,)$, in the namespace and
    on the device of ``alpha``; computed in NumPy).
    """
    _indices(i, j, K.shape[0])
    like = alpha
    alpha, y, K = to_numpy(alpha), to_numpy(y), to_numpy(K)
    K = symmetric(K)
    y = y.astype(np.float64)
    alpha = np.array(alpha, dtype=np.float64)
    if np.any(alpha < 0) or np.any(alpha > C):
        fail(
            "alpha",
            f"lie in the box [0, C] = [0, {C}]",
            f"entries in [{alpha.min()}, {alpha.max()}]",
        )
    G = y * (K @ (alpha * y)) - 1.0
    alpha[i], alpha[j] = _pair_update(alpha, y, G, K, C, i, j)
    return from_numpy(alpha, like, dtype=namespace(like).float64)


def _select(
    alpha: np.ndarray, y: np.ndarray, G: np.ndarray, K: np.ndarray, diag: np.ndarray, C: float
) -> tuple[int, int, float]:
    """WSS 2: ``(i, j, beta_up - beta_low)``; ``i = j = -1`` if no violating pair exists."""
    up, low = _masks(alpha, y, C)
    s = -y * G
    if not np.any(up) or not np.any(low):
        return -1, -1, 0.0
    s_up = np.where(up, s, -np.inf)
    i = int(np.argmax(s_up))
    beta_up = float(s_up[i])
    beta_low = float(np.min(np.where(low, s, np.inf)))
    candidates = low & (s < beta_up)
    if not np.any(candidates):
        return -1, -1, beta_up - beta_low
    kappa = beta_up - s
    a_it = K[i, i] + diag - 2.0 * K[i]
    a_bar = np.where(a_it > 0.0, a_it, TAU)
    score = np.where(candidates, -(kappa * kappa) / a_bar, np.inf)
    return i, int(np.argmin(score)), beta_up - beta_low


@validate(alpha=ALPHA, y=LABELS, K=GRAM, C=C_HARD)
def select_working_set(alpha: Any, y: Any, K: Any, C: float) -> tuple[int, int]:
    r"""The working set $\{i, j\}$ of WSS 2 (Fan, Chen & Lin 2005) at a feasible ``alpha``.

    $i\in\operatorname{argmax}_{t\in I_{\mathrm{up}}} -y_tG_t$ and
    $j\in\operatorname{argmin}\{-\kappa_{it}^2/\bar a_{it} : t\in I_{\mathrm{low}},\ -y_tG_t < -y_iG_i\}$ with
    $\kappa_{it} = -y_iG_i + y_tG_t$, $\bar a_{it} = a_{it}$ if $a_{it} > 0$ else $\tau$. Returns
    ``(-1, -1)`` if there is no violating pair (then ``alpha`` is optimal). Computed in NumPy.
    """
    alpha, y, K = to_numpy(alpha), to_numpy(y), to_numpy(K)
    K = symmetric(K)
    y = y.astype(np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    G = y * (K @ (alpha * y)) - 1.0
    i, j, _ = _select(alpha, y, G, K, np.diag(K).copy(), C)
    return i, j


@validate(K=GRAM, y=LABELS, C=C_HARD, tol=Real(0, None, closed="neither"), max_iter=Integer(0))
def smo(K: Any, y: Any, C: float, *, tol: float = 1e-6, max_iter: int = 100_000) -> DualSolution:
    r"""Solve the SVM dual by SMO ({prf:ref}`alg-svm-smo`).

    Arguments:
        K: Gram matrix, shape $(m, m)$, symmetric, float32 or float64 (computed in float64).
        y: labels, shape $(m,)$, entries in $\{-1, +1\}$, both present.
        C: box constant in $(0, \infty]$; ``math.inf`` gives the hard margin (separable data only).
        tol: stop when $\beta_{\mathrm{up}}(\alpha) - \beta_{\mathrm{low}}(\alpha)\le$ ``tol`` (LIBSVM's ``eps``), ``tol > 0``.
        max_iter: the most two-variable updates performed.

    Returns:
        :class:`DualSolution` with ``alpha`` of shape $(m,)$ (float64) and the offset ``b``; the
        decision function is $x\mapsto\sum_i\alpha_iy_ik(x_i, x) + b$ (:func:`decision_function`).

    Cost: $O(m)$ operations per iteration plus two rows of $K$. The number of iterations depends on
    the problem: a few times $m$ for a Gaussian kernel, but up to $10^4$–$10^5$ for a linear kernel
    with large $C$ on overlapping classes (LIBSVM needs as many there).

    The loop runs in NumPy on the host (``K`` and ``y`` of another namespace are copied there
    once); ``alpha`` is returned in float64 in the namespace and on the device of ``K``.
    """
    both_labels(y)
    like, K, y = K, to_numpy(K), to_numpy(y)
    K = symmetric(K)
    y = y.astype(np.float64)
    alpha, s, iterations = _solve(K, y, C, tol, max_iter)
    G = -y * s
    beta_up, beta_low = _violation(alpha, y, G, C)
    violation = max(beta_up - beta_low, 0.0) if not math.isinf(beta_up - beta_low) else 0.0
    return DualSolution(
        alpha=from_numpy(alpha, like, dtype=namespace(like).float64),
        b=_offset(alpha, y, G, C),
        iterations=iterations,
        kkt_violation=float(violation),
        converged=bool(violation <= tol),
    )


def _solve(
    K: np.ndarray, y: np.ndarray, C: float, tol: float, max_iter: int
) -> tuple[np.ndarray, np.ndarray, int]:
    r"""The loop of {prf:ref}`alg-svm-smo`; returns ``(alpha, s, iterations)`` with $s = -y\odot G$.

    It keeps $s = y - K(\alpha\odot y)$ (instead of $G$) and the masks of $I_{\mathrm{up}}$ and
    $I_{\mathrm{low}}$ up to date: an update changes two coordinates of $\alpha$, so $s$ changes by
    $-(K_{i,:}y_i\Delta\alpha_i + K_{j,:}y_j\Delta\alpha_j)$ (rows of the symmetric $K$, contiguous in memory)
    and two entries of each mask change. Selection and update are those of :func:`select_working_set`
    and :func:`two_variable_step`.
    """
    m = K.shape[0]
    pos = y > 0
    alpha = np.zeros(m)
    s = y.copy()  # s = -y * G with G = -1 at alpha = 0
    up, low = pos.copy(), ~pos  # I_up and I_low at alpha = 0
    diag = np.diag(K).copy()
    iterations = 0
    while True:
        s_up = np.where(up, s, -np.inf)
        i = int(np.argmax(s_up))
        beta_up = float(s_up[i])
        s_low = np.where(low, s, np.inf)
        if beta_up - float(np.min(s_low)) <= tol:
            s = y - K @ (alpha * y)  # drop accumulated rounding, then test again
            s_up = np.where(up, s, -np.inf)
            i = int(np.argmax(s_up))
            beta_up = float(s_up[i])
            s_low = np.where(low, s, np.inf)
            if beta_up - float(np.min(s_low)) <= tol:
                break
        if iterations >= max_iter:
            break
        K_i = K[i]
        kappa = beta_up - s_low  # > 0 exactly for the candidates t
        a_it = diag - 2.0 * K_i
        a_it += K_i[i]
        a_bar = np.where(a_it > 0.0, a_it, TAU)
        j = int(np.argmin(np.where(kappa > 0.0, -(kappa * kappa) / a_bar, np.inf)))
        y_i, y_j = float(y[i]), float(y[j])
        old_i, old_j = float(alpha[i]), float(alpha[j])
        new_i, new_j = _pair_values(old_i, old_j, y_i, y_j, float(s[j] - s[i]), float(a_it[j]), C)
        alpha[i], alpha[j] = new_i, new_j
        s -= K_i * ((new_i - old_i) * y_i) + K[j] * ((new_j - old_j) * y_j)
        for t, a_t in ((i, new_i), (j, new_j)):
            up[t] = a_t < C if pos[t] else a_t > 0.0
            low[t] = a_t > 0.0 if pos[t] else a_t < C
        iterations += 1
    return alpha, s, iterations


@labels_follow("K_test_train")
@validate(alpha=ALPHA, b=OFFSET, y=LABELS, K_test_train=Array(shape=("m_test", "m")))
def decision_function(alpha: Any, b: float, y: Any, K_test_train: Any) -> Any:
    r"""$f(x) = \sum_i\alpha_iy_ik(x_i, x) + b$ for each test point: ``K_test_train @ (alpha * y) + b``.

    Arguments: ``alpha`` $(m,)$, ``b`` a real number, ``y`` $(m,)$ labels, ``K_test_train``
    $(m_{\mathrm{test}}, m)$ with entries $k(x^{\mathrm{test}}_r, x_i)$. Returns shape
    $(m_{\mathrm{test}},)$ in the namespace, on the device and in the dtype of ``K_test_train``.
    """
    xp = namespace(K_test_train)
    dtype = K_test_train.dtype
    v = xp.astype(xp.astype(alpha, xp.float64) * xp.astype(y, xp.float64), dtype)
    return K_test_train @ v + b
