r"""Shift-equivariant linear maps are circular cross-correlations (Theorem `thm-sym-circulant`).

A linear map $A:\mathbb R^{C_{\mathrm{in}}\times\Lambda_n}\to\mathbb R^{C_{\mathrm{out}}\times
\Lambda_n}$ is stored as ``A`` of shape ``(C_out, n_1, n_2, C_in, n_1, n_2)``,
$(Ax)_{o,i} = \sum_{c,u}A_{o,i,c,u}x_{c,u}$. The full-size circular cross-correlation with
kernel $W\in\mathbb R^{C_{\mathrm{out}}\times C_{\mathrm{in}}\times n_1\times n_2}$ is
$(W\star x)_{o,i} = \sum_{c,a}W_{o,c,a}\,x_{c,(i + a)\bmod n}$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Array, validate

__all__ = ["circular_kernel", "circular_correlation", "circular_matrix"]


@validate(A=Array(shape=("C_out", "n_1", "n_2", "C_in", "n_1", "n_2"), numpy=True))
def circular_kernel(A: Any) -> np.ndarray:
    r"""The kernel of a shift-equivariant $A$ (Theorem `thm-sym-circulant`):
    $W_{o,c,a} = A_{o,0,c,a}$, the response at output position $0$. Shape
    ``(C_out, C_in, n_1, n_2)``. For $A$ that is not shift-equivariant this is still defined;
    $W\star x = Ax$ holds iff $A$ is."""
    return np.ascontiguousarray(A[:, 0, 0])


@validate(W=Array(shape=("C_out", "C_in", "n_1", "n_2"), numpy=True))
def circular_matrix(W: Any) -> np.ndarray:
    r"""The map $x\mapsto W\star x$ as an array of shape ``(C_out, n_1, n_2, C_in, n_1, n_2)``:
    $A_{o,i,c,u} = W_{o,c,(u - i)\bmod n}$."""
    C_out, C_in, n1, n2 = W.shape
    i1, i2 = np.arange(n1), np.arange(n2)
    a1 = (i1[None, :] - i1[:, None]) % n1  # [i, u] -> (u - i) mod n
    a2 = (i2[None, :] - i2[:, None]) % n2
    A = W[:, :, a1[:, None, :, None], a2[None, :, None, :]]  # (C_out, C_in, i1, i2, u1, u2)
    return np.ascontiguousarray(A.transpose(0, 2, 3, 1, 4, 5))


@validate(
    X=Array(shape=("m", "C_in", "n_1", "n_2"), numpy=True),
    W=Array(shape=("C_out", "C_in", "n_1", "n_2"), numpy=True),
)
def circular_correlation(X: Any, W: Any) -> np.ndarray:
    r"""$W\star x$ for every image of the batch, by direct summation over the offsets
    $a\in\Lambda_n$: $W\star x = \sum_aW_{\cdot,\cdot,a}\,S_{-a}x$ (channels contracted).
    ``X`` of shape ``(m, C_in, n_1, n_2)``, ``W`` of shape ``(C_out, C_in, n_1, n_2)``; returns
    shape ``(m, C_out, n_1, n_2)`` in the dtype of ``X``. Cost $O(mC_{\mathrm{out}}
    C_{\mathrm{in}}(n_1n_2)^2)$: a reference, not a fast path."""
    m, _, n1, n2 = X.shape
    Z = np.zeros((m, W.shape[0], n1, n2), dtype=X.dtype)
    for a1 in range(n1):
        for a2 in range(n2):
            shifted = np.roll(X, shift=(-a1, -a2), axis=(2, 3))  # x_{c,(i + a) mod n}
            Z += np.einsum("oc,mcuv->mouv", W[:, :, a1, a2], shifted)
    return Z
