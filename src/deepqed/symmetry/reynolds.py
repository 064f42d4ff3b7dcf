r"""The Reynolds projection onto equivariant linear maps, and the character formula for their
dimension.

Section "The Reynolds projection" of the chapter *Symmetry and equivariance* (Theorem
`thm-sym-reynolds`). A finite group $G$ is given by the list of its representing matrices:
``rho_in`` of shape ``(|G|, q, q)`` and ``rho_out`` of shape ``(|G|, p, p)``, orthogonal, with
``rho_in[g]`` and ``rho_out[g]`` representing the same element $g$.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .._validation import Array, validate

__all__ = ["reynolds", "character_dimension"]

_RHO_IN = Array(shape=("G", "q", "q"), dtype="real", numpy=True, same_dtype=False)
_RHO_OUT = Array(shape=("G", "p", "p"), dtype="real", numpy=True, same_dtype=False)


@validate(A=Array(shape=("p", "q"), numpy=True), rho_in=_RHO_IN, rho_out=_RHO_OUT)
def reynolds(A: Any, rho_in: Any, rho_out: Any) -> np.ndarray:
    r"""$\mathcal R(A) = \frac1{|G|}\sum_{g\in G}\rho_{\mathrm{out}}(g)^\top A\,
    \rho_{\mathrm{in}}(g)$ (Theorem `thm-sym-reynolds`; $\rho^\top = \rho^{-1}$ for orthogonal
    representations). ``A`` of shape ``(p, q)``; returns shape ``(p, q)`` in the dtype of ``A``."""
    dtype = A.dtype
    acc = np.einsum("gji,jk,gkl->il", rho_out.astype(dtype), A, rho_in.astype(dtype), optimize=True)
    return acc / dtype.type(rho_in.shape[0])


@validate(
    rho_in=Array(shape=("G", "q", "q"), dtype="integer", numpy=True),
    rho_out=Array(shape=("G", "p", "p"), dtype="integer", numpy=True),
)
def character_dimension(rho_in: Any, rho_out: Any) -> Fraction:
    r"""$\frac1{|G|}\sum_{g}\chi_{\mathrm{out}}(g)\chi_{\mathrm{in}}(g)$ with
    $\chi(g) = \operatorname{tr}\rho(g)$, in exact rational arithmetic: the trace of
    $\mathcal R$, which is $\dim\operatorname{Hom}_G$ (Theorem `thm-sym-reynolds`, part 4) for
    real orthogonal representations with integer matrices (permutation matrices)."""
    chi_in = np.trace(rho_in, axis1=1, axis2=2)
    chi_out = np.trace(rho_out, axis1=1, axis2=2)
    total = sum(int(a) * int(b) for a, b in zip(chi_out, chi_in, strict=True))
    return Fraction(total, rho_in.shape[0])
