r"""The Lipschitz constant of a network through the spectral norms of its weights.

Section "Margins" of the chapter *Generalisation* ({prf:ref}`lem-gen-spectral-lipschitz`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._validation import Instance, Real, check_array, fail, validate

__all__ = ["spectral_lipschitz_bound", "spectral_complexity"]


@validate(W=Instance((tuple, list), "a tuple of weight matrices"))
def spectral_lipschitz_bound(W: Sequence[Any]) -> float:
    r"""$\prod_{l=1}^L\|W^l\|_{\mathrm{op}}$ (largest singular values): a Lipschitz constant of
    $x\mapsto W^L\sigma(W^{L-1}\cdots\sigma(W^1x + b^1)\cdots)$ for 1-Lipschitz $\sigma$
    ({prf:ref}`lem-gen-spectral-lipschitz`).

    Arguments:
        W: the matrices $W^1, \dots, W^L$ (NumPy, float32 or float64), $W^l$ of shape
            ``(n_l, n_{l-1})``, consecutive shapes matching.
    """
    if not W:
        fail("W", "hold at least one matrix", "an empty sequence")
    out = 1.0
    for l, M in enumerate(W):
        check_array(f"W[{l}]", M, ndim=2, nonempty=True)
        if not isinstance(M, np.ndarray):
            fail(f"W[{l}]", "be a numpy.ndarray", type(M).__name__, kind=TypeError)
        if l and M.shape[1] != W[l - 1].shape[0]:
            fail(
                f"W[{l}]",
                f"have {W[l - 1].shape[0]} columns (the rows of W[{l - 1}])",
                f"shape {M.shape}",
            )
        out *= float(np.linalg.norm(M.astype(np.float64), 2))
    return out


@validate(W=Instance((tuple, list), "a tuple of weight matrices"), rho=Real(0, None))
def spectral_complexity(W: Sequence[Any], rho: float = 1.0) -> float:
    r"""The spectral complexity $R_A = (\prod_l\rho\|A_l\|_{\mathrm{op}})
    (\sum_l\|A_l^\top\|_{2,1}^{2/3}/\|A_l\|_{\mathrm{op}}^{2/3})^{3/2}$ of Bartlett, Foster and
    Telgarsky with reference matrices $M_l = 0$ ({prf:ref}`thm-gen-spectral-margin`);
    $\|B\|_{2,1}$ is the sum of the Euclidean norms of the columns of $B$, so $\|A^\top\|_{2,1}$ is
    the sum of the norms of the rows of $A$.

    Arguments:
        W: the matrices $A_1, \dots, A_L$ (NumPy), consecutive shapes matching, none zero.
        rho: the Lipschitz constant of the activations, ``>= 0``.
    """
    lip = spectral_lipschitz_bound(W)
    total = 0.0
    for l, M in enumerate(W):
        op = float(np.linalg.norm(M.astype(np.float64), 2))
        if op == 0:
            fail(f"W[{l}]", "be nonzero", "a zero matrix")
        rows = float(np.sum(np.linalg.norm(M.astype(np.float64), axis=1)))
        total += (rows / op) ** (2 / 3)
    return rho ** len(W) * lip * total**1.5
