r"""The bounds of the chapter *Wide networks* as formulas, so that witnesses and exercises compute
them in one place: convergence while the kernel stays positive definite (Lemma `lem-wide-flow`),
lazy training (Theorem `thm-wide-lazy`) and gradient descent on wide two-layer networks (Theorem
`thm-wide-du`), and the per-neuron movement under the two scalings (Proposition
`prop-wide-scaling`)."""

from __future__ import annotations

import math

import numpy as np

from .._validation import Array, Integer, Real, validate

__all__ = ["flow_bounds", "lazy_bounds", "du_movement_bound", "mean_movement_lower_bound"]

_NONNEG = Real(0, None)
_POS = Real(0, None, closed="neither")


@validate(r0=_NONNEG, lam=_POS, t=_NONNEG, beta=_NONNEG)
def flow_bounds(r0: float, lam: float, t: float, beta: float) -> tuple[float, float]:
    r"""$\bigl(e^{-\lambda t}\|r(0)\|,\ \beta(1 - e^{-\lambda t})\|r(0)\|/\lambda\bigr)$: the residual
    and the movement of a block with $\|J_k\|\le\beta$ at time $t$ (Lemma `lem-wide-flow`);
    ``r0`` $= \|r(0)\|$."""
    return math.exp(-lam * t) * r0, beta * (-math.expm1(-lam * t)) * r0 / lam


@validate(M=_NONNEG, Lam=_NONNEG, t=_NONNEG, y=_NONNEG, alpha=_POS)
def lazy_bounds(M: float, Lam: float, t: float, y: float, alpha: float) -> tuple[float, float]:
    r"""$\bigl(Mt\|y\|/\alpha,\ M^2\Lambda t^2\|y\|^2/\alpha\bigr)$: the parameter movement and the
    distance to the linearised model at time $t$ (Theorem `thm-wide-lazy`); ``y`` $= \|y\|$."""
    return M * t * y / alpha, M * M * Lam * t * t * y * y / alpha


@validate(n=Integer(1), m=Integer(1), r0=_NONNEG, lambda0=_POS)
def du_movement_bound(n: int, m: int, r0: float, lambda0: float) -> float:
    r"""$4\sqrt n\,\|u(0) - y\|/(\sqrt m\,\lambda_0)$, the per-neuron movement of Theorem
    `thm-wide-du`; ``r0`` $= \|u(0) - y\|$."""
    return 4 * math.sqrt(n) * r0 / (math.sqrt(m) * lambda0)


@validate(
    m=Integer(1),
    gamma=_NONNEG,
    du=Array(shape=("n",), numpy=True),
    x_norms=Array(shape=("n",), numpy=True),
)
def mean_movement_lower_bound(m: int, gamma: float, du: np.ndarray, x_norms: np.ndarray) -> float:
    r"""$m^{\gamma - 1}\max_i|u_i(K) - u_i(0)|/\|x_i\|$: the lower bound of part 3 of Proposition
    `prop-wide-scaling` on the mean per-neuron movement $\frac1m\sum_r\|w_r(K) - w_r(0)\|$;
    ``du`` $= u(K) - u(0)$, ``x_norms`` $= (\|x_i\|)_i$ (inputs $x_i = 0$, which have
    $u_i(K) = u_i(0)$, are skipped)."""
    du = np.abs(np.asarray(du, dtype=np.float64))
    nz = np.asarray(x_norms, dtype=np.float64) > 0
    if not np.any(nz):
        return 0.0
    return float(m ** (gamma - 1) * np.max(du[nz] / np.asarray(x_norms, dtype=np.float64)[nz]))
