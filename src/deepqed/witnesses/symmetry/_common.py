r"""Tools shared by the symmetry witnesses: rounding constants and exact ranks."""

from __future__ import annotations

import numpy as np
from sympy import ZZ
from sympy.polys.matrices import DomainMatrix


def gamma(k: int, dtype: np.dtype | type = np.float64) -> float:
    r"""$\gamma_k = ku/(1 - ku)$, $u$ the unit roundoff of ``dtype`` (Higham, *Accuracy and
    Stability of Numerical Algorithms*, 2nd ed., 2002, Section 3.1): a sum or dot product of $k$
    terms computed in floating point, in any order, is within $\gamma_k\sum|\text{terms}|$ of the
    exact one."""
    u = float(np.finfo(dtype).eps) / 2
    return k * u / (1 - k * u)


def exact_nullity(M: np.ndarray) -> int:
    """The dimension of the null space over the rationals of an integer matrix ``M`` (columns
    minus rank), by SymPy's exact fraction-free elimination over the integers."""
    rows = [[int(v) for v in row] for row in M.tolist()]
    return M.shape[1] - DomainMatrix([[ZZ(v) for v in r] for r in rows], M.shape, ZZ).rank()


def commutant_constraints(gens_in: list[np.ndarray], gens_out: list[np.ndarray]) -> np.ndarray:
    r"""The integer matrix whose null space is $\{A: A\rho_{\mathrm{in}}(g) =
    \rho_{\mathrm{out}}(g)A$ for the given generators$\}$, acting on the row-major $\operatorname{vec}A$:
    $\operatorname{vec}(AP) = (I\otimes P^\top)\operatorname{vec}A$,
    $\operatorname{vec}(QA) = (Q\otimes I)\operatorname{vec}A$."""
    p, q = gens_out[0].shape[0], gens_in[0].shape[0]
    blocks = [
        np.kron(np.eye(p, dtype=np.int64), P.T) - np.kron(Q, np.eye(q, dtype=np.int64))
        for P, Q in zip(gens_in, gens_out, strict=True)
    ]
    return np.vstack(blocks)


def transposition_and_cycle(n: int) -> list[np.ndarray]:
    """Generators of the symmetric group $S_n$: the transposition $(0\\,1)$ and the cycle
    $i\\mapsto i + 1 \\bmod n$ (as permutation arrays)."""
    swap = np.arange(n)
    if n > 1:
        swap[[0, 1]] = [1, 0]
    return [swap, np.roll(np.arange(n), -1)]
