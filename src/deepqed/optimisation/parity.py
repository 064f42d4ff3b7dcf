r"""Parities and the Walsh–Hadamard transform: gradients that carry no signal.

Section "Why some functions are hard to learn by gradients" of the chapter *Optimisation and
trainability*. On the cube $\{0, 1\}^n$ with the uniform law, the parities
$\chi_v(x) = (-1)^{\langle v, x\rangle}$, $v\in\{0, 1\}^n$, are an orthonormal basis of
$L^2(\{0,1\}^n)$. A point $x$ is stored at row $\sum_i x_i2^{i-1}$ (bit $i - 1$ of the row
number is $x_i$), and so is $v$. For a model $p_w$ with per-input gradients
$G_x = \nabla_w p_w(x)$ and the square loss $F_h(w) = \mathbb E_x\frac12(p_w(x) - h(x))^2$,

$$\nabla F_{\chi_v}(w) = \mathbb E_x[p_w(x)\nabla p_w(x)] - \hat G_v,\qquad
\hat G_v = \mathbb E_x[\chi_v(x)G_x],$$

and Theorem `thm-opt-parity` bounds the variance of $\nabla F_{\chi_v}(w)$ over $v$ by
$\mathbb E_x\|G_x\|^2/2^n$.
"""

from __future__ import annotations

import numpy as np

from .._validation import Array, Integer, fail, validate

__all__ = ["boolean_cube", "parity_matrix", "walsh_hadamard", "parity_gradient_variance"]


@validate(n=Integer(1, 24))
def boolean_cube(n: int) -> np.ndarray:
    r"""The points of $\{0, 1\}^n$, shape ``(2**n, n)``, int8: row $r$ is $x$ with
    $x_i$ = bit $i - 1$ of $r$."""
    r = np.arange(2**n)
    return ((r[:, None] >> np.arange(n)[None, :]) & 1).astype(np.int8)


@validate(n=Integer(1, 14))
def parity_matrix(n: int) -> np.ndarray:
    r"""$H_{vx} = \chi_v(x) = (-1)^{\langle v, x\rangle}$, shape ``(2**n, 2**n)``, float64 (the
    Sylvester–Hadamard matrix; symmetric, $H^2 = 2^nI$)."""
    C = boolean_cube(n).astype(np.int64)
    return np.where((C @ C.T) % 2 == 0, 1.0, -1.0)


@validate(Y=Array(numpy=True))
def walsh_hadamard(Y: np.ndarray) -> np.ndarray:
    r"""$\hat Y_v = \sum_{x\in\{0,1\}^n}(-1)^{\langle v, x\rangle}Y_x$ along axis 0 (length
    $2^n$), by the fast transform: $n$ butterfly passes, $n2^n$ additions per column, no
    matrix. Returns a new array of the shape and dtype of ``Y``."""
    N = Y.shape[0]
    if N & (N - 1):
        fail("Y", "have a power of two rows (2**n)", f"{N} rows")
    out = Y.copy()
    h = 1
    while h < N:
        V = out.reshape(N // (2 * h), 2, h, *Y.shape[1:])
        a, b = V[:, 0].copy(), V[:, 1]
        V[:, 0] = a + b
        V[:, 1] = a - b
        h *= 2
    return out


@validate(G=Array(ndim=2, numpy=True))
def parity_gradient_variance(G: np.ndarray) -> tuple[float, float]:
    r"""For per-input gradients $G\in\mathbb R^{2^n\times P}$ (row $x$ is $\nabla_wp_w(x)$), the
    variance over the $2^n$ parities of the loss gradient and its bound:

    $$\operatorname{Var}_v\nabla F_{\chi_v} = \frac1{2^n}\sum_v\bigl\|\hat G_v - \bar G\bigr\|^2,
    \qquad \frac{\mathbb E_x\|G_x\|^2}{2^n},$$

    with $\hat G = 2^{-n}\,\mathrm{WHT}(G)$ and $\bar G = 2^{-n}\sum_v\hat G_v$ (Theorem
    `thm-opt-parity`). Computed in float64; returns ``(variance, bound)``."""
    N = G.shape[0]
    G64 = G.astype(np.float64)
    Ghat = walsh_hadamard(G64) / N
    var = float(np.mean(np.sum((Ghat - Ghat.mean(axis=0)) ** 2, axis=1)))
    return var, float(np.mean(np.sum(G64**2, axis=1))) / N
