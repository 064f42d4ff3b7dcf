r"""The Reynolds projection onto equivariant linear maps, and the character formula for their
dimension.

Section "The Reynolds projection" of the chapter *Symmetry and equivariance* (Theorem
`thm-sym-reynolds`). A finite group $G$ is given by the list of its representing matrices:
``rho_in`` of shape ``(|G|, q, q)`` and ``rho_out`` of shape ``(|G|, p, p)``, invertible, with
``rho_in[g]`` and ``rho_out[g]`` representing the same element $g$.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from .._validation import Array, fail, validate

__all__ = ["reynolds", "character_dimension"]

_RHO_IN = Array(shape=("G", "q", "q"), dtype="real", numpy=True, same_dtype=False)
_RHO_OUT = Array(shape=("G", "p", "p"), dtype="real", numpy=True, same_dtype=False)


def _inverses(rho: np.ndarray) -> np.ndarray:
    r"""$\rho(g)^{-1}$ for every $g$: the transpose where $\rho(g)^\top\rho(g) = I$ holds exactly
    (permutation matrices: no rounding); for integer matrices whose inverses are integer
    (unimodular), the rounded inverse, kept only if $\rho(g)\rho(g)^{-1} = I$ exactly in integer
    arithmetic; otherwise ``numpy.linalg.inv`` in float64."""
    p = rho.shape[1]
    eye = np.broadcast_to(np.eye(p, dtype=np.int64), rho.shape)
    transpose = np.swapaxes(rho, 1, 2)
    if np.array_equal(transpose @ rho, eye):
        return transpose
    try:
        inv = np.linalg.inv(rho.astype(np.float64))
    except np.linalg.LinAlgError:
        fail("rho_out", "consist of invertible matrices (a representation)", "a singular matrix")
    if rho.dtype.kind in "iu" and np.all(np.abs(inv) < 2.0**52):
        rounded = np.rint(inv).astype(np.int64)
        if np.array_equal(rho.astype(np.int64) @ rounded, eye):
            return rounded
    return inv


@validate(A=Array(shape=("p", "q"), numpy=True), rho_in=_RHO_IN, rho_out=_RHO_OUT)
def reynolds(A: Any, rho_in: Any, rho_out: Any) -> np.ndarray:
    r"""$\mathcal R(A) = \frac1{|G|}\sum_{g\in G}\rho_{\mathrm{out}}(g)^{-1}A\,
    \rho_{\mathrm{in}}(g)$ (Theorem `thm-sym-reynolds`), for any representations, orthogonal
    or not. The inverses are exact transposes for orthogonal integer matrices (permutation
    representations) and exact integer inverses for unimodular integer matrices; otherwise they
    are computed by ``numpy.linalg.inv``. ``A`` of shape ``(p, q)``; returns shape ``(p, q)`` in
    the dtype of ``A``."""
    dtype = A.dtype
    out_inv = _inverses(rho_out).astype(dtype)
    acc = np.einsum("gij,jk,gkl->il", out_inv, A, rho_in.astype(dtype), optimize=True)
    return acc / dtype.type(rho_in.shape[0])


@validate(
    rho_in=Array(shape=("G", "q", "q"), dtype="integer", numpy=True),
    rho_out=Array(shape=("G", "p", "p"), dtype="integer", numpy=True),
)
def character_dimension(rho_in: Any, rho_out: Any) -> Fraction:
    r"""$\frac1{|G|}\sum_{g}\chi_{\mathrm{out}}(g)\chi_{\mathrm{in}}(g)$ with
    $\chi(g) = \operatorname{tr}\rho(g)$, in exact rational arithmetic: the trace of
    $\mathcal R$, which is $\dim\operatorname{Hom}_G$ (Theorem `thm-sym-reynolds`, item 3), for
    representations by integer matrices ($\chi_{\mathrm{out}}(g^{-1}) = \chi_{\mathrm{out}}(g)$
    there: a real representation of a finite group has real character, and
    $\chi(g^{-1}) = \overline{\chi(g)}$)."""
    chi_in = np.trace(rho_in, axis1=1, axis2=2)
    chi_out = np.trace(rho_out, axis1=1, axis2=2)
    total = sum(int(a) * int(b) for a, b in zip(chi_out, chi_in, strict=True))
    return Fraction(total, rho_in.shape[0])
