r"""Memorisation: a one-hidden-layer ReLU network through any $n$ labelled points.

Section "Memorisation" of the chapter *Approximation* ({prf:ref}`thm-apx-memorisation`). Project
the distinct points $x_1, \dots, x_n\in\mathbb R^d$ on a direction $a$ with distinct values
$z_i = \langle a, x_i\rangle$, sort them, put a ReLU breakpoint between consecutive values and
solve the lower triangular system for the output weights.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .._validation import Array, Generator, fail, validate
from ..nn import Architecture, Parameters

__all__ = ["interpolating_network"]


@validate(
    X=Array(shape=("n", "d"), numpy=True),
    y=Array(shape=("n",), numpy=True),
    rng=Generator(),
)
def interpolating_network(
    X: np.ndarray, y: np.ndarray, *, rng: np.random.Generator
) -> tuple[Architecture, Parameters]:
    r"""A network of architecture $(d, n - 1, 1)$ (ReLU, identity) with $f(x_i) = y_i$ for all $i$
    ({prf:ref}`thm-apx-memorisation`); $n\ge2$ distinct rows of ``X``.

    A unit vector $a$ is drawn from ``rng`` (uniform on the sphere) until the projections
    $z_i = \langle a, x_i\rangle$ are distinct (almost surely at the first draw). With the sorted
    values $z_{(0)} < \dots < z_{(n-1)}$ and $\beta_j = (z_{(j-1)} + z_{(j)})/2$,

    $$
    f(x) = y_{(0)} + \sum_{j=1}^{n-1}v_j\operatorname{ReLU}(\langle a, x\rangle - \beta_j),\qquad
    y_{(i)} - y_{(0)} = \sum_{j=1}^{i}v_j(z_{(i)} - \beta_j),\quad i = 1, \dots, n-1,
    $$

    a lower triangular system with positive diagonal $z_{(i)} - \beta_i$.

    Arguments:
        X: shape ``(n, d)``, distinct rows; y: shape ``(n,)``; float32 or float64.
        rng: draws the direction $a$ (keyword-only).

    Returns:
        ``(arch, theta)``: $W^1 = \mathbf 1_{n-1}a^\top$, $b^1 = -\beta$, $W^2 = v^\top$,
        $b^2 = y_{(0)}$ (for $n = 1$, width 1 with $W^1 = 0$, $W^2 = 0$, $b^2 = y_1$).
    """
    n, d = X.shape
    dt = X.dtype
    if n == 1:
        arch = Architecture((d, 1, 1), ("relu", "identity"))
        zeros = (np.zeros((1, d), dtype=dt), np.zeros((1, 1), dtype=dt))
        return arch, Parameters(zeros, (np.zeros(1, dtype=dt), y.copy()))
    X64 = X.astype(np.float64)
    for _ in range(100):
        a = rng.standard_normal(d)
        a /= np.linalg.norm(a)
        z = X64 @ a
        order = np.argsort(z, kind="stable")
        zs = z[order]
        gaps = np.diff(zs)
        if np.all(gaps > 1e-12 * max(1.0, float(np.max(np.abs(zs))))):
            break
    else:
        fail("X", "have distinct rows", "rows whose projections coincide in 100 random directions")
    beta = (zs[:-1] + zs[1:]) / 2  # beta_1, ..., beta_{n-1}
    ys = y.astype(np.float64)[order]
    T = np.maximum(zs[1:, None] - beta[None, :], 0)  # T_ij = ReLU(z_(i) - beta_j), lower triangular
    v = scipy.linalg.solve_triangular(T, ys[1:] - ys[0], lower=True)
    arch = Architecture((d, n - 1, 1), ("relu", "identity"))
    theta = Parameters(
        (np.outer(np.ones(n - 1), a).astype(dt), v[None, :].astype(dt)),
        ((-beta).astype(dt), np.array([ys[0]], dtype=dt)),
    )
    return arch, theta
