r"""The tangent kernel of a deep ReLU network in the tangent-kernel parameterisation, at finite
width and in the infinite-width limit.

Sections "The tangent kernel" and "The infinite-width limit" of the chapter *Wide networks*.
Widths $n_0, \dots, n_L$ with $n_L = 1$, matrices $W^l\in\mathbb R^{n_l\times n_{l-1}}$ with
i.i.d. $N(0, 1)$ entries at initialisation, a gain $c_w > 0$, and for an input $x = a^0$

$$z^l = \sqrt{c_w/n_{l-1}}\,W^la^{l-1},\qquad a^l = \operatorname{ReLU}(z^l)\ (l < L),\qquad
f(x; \theta) = z^L$$

(Definition `def-wide-ntk`; $\theta = (W^1, \dots, W^L)$). The empirical tangent kernel is
$\Theta_\theta(x, x') = \sum_l\langle\partial f(x)/\partial W^l, \partial f(x')/\partial W^l\rangle$;
its limit $\Theta^\infty$ (Theorem `thm-wide-ntk-limit`) is computed with chapter 5's arc-cosine
kernel (:class:`deepqed.kernels.ArcCosine`).
"""

from __future__ import annotations

import math

import numpy as np

from .._validation import Array, Generator, Instance, Integer, Real, fail, received, validate
from ..kernels import ArcCosine
from .two_layer import _angles

__all__ = ["mlp_init", "mlp_output", "mlp_jacobian", "mlp_ntk", "ntk_limit"]

_WIDTHS = Array(ndim=1, dtype="integer", low=1, numpy=True)
_X = Array(shape=("n", None), numpy=True)
_CW = Real(0, None, closed="neither")
_WS = Instance((list, tuple), "a list of weight matrices")


@validate(widths=_WIDTHS, rng=Generator())
def mlp_init(widths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    r"""$W^l$ with i.i.d. $N(0, 1)$ entries, shapes ``(n_l, n_{l-1})``, $l = 1, \dots, L$;
    ``widths`` $= (n_0, \dots, n_L)$ with $L\ge1$ and $n_L = 1$."""
    if widths.shape[0] < 2 or int(widths[-1]) != 1:
        fail("widths", "have length >= 2 and last entry 1 (a scalar output)", received(widths))
    return [
        rng.standard_normal((int(widths[l]), int(widths[l - 1]))) for l in range(1, len(widths))
    ]


def _check(X: np.ndarray, Ws: list[np.ndarray]) -> None:
    if not isinstance(Ws, (list, tuple)) or not Ws:
        fail("Ws", "be a nonempty list of matrices", received(Ws), kind=TypeError)
    prev = X.shape[1]
    for l, W in enumerate(Ws):
        if not isinstance(W, np.ndarray) or W.ndim != 2 or W.shape[1] != prev:
            fail("Ws", f"have a matrix with {prev} columns at position {l}", received(W))
        if W.dtype != X.dtype or not np.all(np.isfinite(W)):
            fail("Ws", f"have finite matrices of dtype {X.dtype}", received(W))
        prev = W.shape[0]
    if prev != 1:
        fail("Ws", "end with a matrix of one row (a scalar output)", received(Ws[-1]))


def _forward(X, Ws, c_w):
    """Activations a^0..a^{L-1} (rows: inputs), pre-activations z^1..z^L, scales s_l."""
    A, Z, s = [X], [], []
    for l, W in enumerate(Ws):
        sl = X.dtype.type(math.sqrt(c_w / W.shape[1]))
        z = sl * (A[-1] @ W.T)  # (n, n_l)
        s.append(sl)
        Z.append(z)
        if l < len(Ws) - 1:
            A.append(np.maximum(z, 0))
    return A, Z, s


def _deltas(Z, Ws, s):
    """delta^l = d f / d z^l, shape (n, n_l), with ReLU'(0) = 0."""
    D = [np.ones_like(Z[-1])]
    for l in range(len(Ws) - 1, 0, -1):
        D.insert(0, (D[0] @ (s[l] * Ws[l])) * (Z[l - 1] > 0))
    return D


@validate(X=_X, Ws=_WS, c_w=_CW)
def mlp_output(X: np.ndarray, Ws: list[np.ndarray], c_w: float = 2.0) -> np.ndarray:
    r"""$f(x_i; \theta)$ for the rows $x_i$ of ``X`` (shape ``(n, n_0)``), shape ``(n,)``."""
    _check(X, Ws)
    return _forward(X, Ws, c_w)[1][-1][:, 0]


@validate(X=_X, Ws=_WS, c_w=_CW)
def mlp_jacobian(X: np.ndarray, Ws: list[np.ndarray], c_w: float = 2.0) -> list[np.ndarray]:
    r"""$\partial f(x_i)/\partial W^l = \sqrt{c_w/n_{l-1}}\,\delta^l_i(a^{l-1}_i)^\top$ with
    $\delta^l = \partial f/\partial z^l$ by backpropagation ($\delta^L = 1$,
    $\delta^l = \operatorname{ReLU}'(z^l)\odot(\sqrt{c_w/n_l}\,W^{l+1})^\top\delta^{l+1}$): a list
    of arrays of shapes ``(n, n_l, n_{l-1})``."""
    _check(X, Ws)
    A, Z, s = _forward(X, Ws, c_w)
    D = _deltas(Z, Ws, s)
    return [s[l] * D[l][:, :, None] * A[l][:, None, :] for l in range(len(Ws))]


@validate(X=_X, Ws=_WS, c_w=_CW)
def mlp_ntk(X: np.ndarray, Ws: list[np.ndarray], c_w: float = 2.0) -> np.ndarray:
    r"""The empirical tangent kernel $\Theta_\theta(x_i, x_j)$ (Definition `def-wide-ntk`), shape
    ``(n, n)``, without forming the Jacobian:

    $$\Theta_\theta(x_i, x_j) = \sum_{l=1}^L\frac{c_w}{n_{l-1}}\,
    \langle\delta^l_i, \delta^l_j\rangle\,\langle a^{l-1}_i, a^{l-1}_j\rangle .$$"""
    _check(X, Ws)
    A, Z, s = _forward(X, Ws, c_w)
    D = _deltas(Z, Ws, s)
    return sum((s[l] * s[l]) * (D[l] @ D[l].T) * (A[l] @ A[l].T) for l in range(len(Ws)))


def _arccos_of(S: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[relu(u) relu(v)] and P(u > 0, v > 0) for (u, v) ~ N(0, S), entrywise over pairs: chapter
    5's arc-cosine kernel of the rows of F with F F^T = S, and (pi - angle) / (2 pi) with the
    angles of those rows computed stably (as in `h_infinity`)."""
    lam, Q = np.linalg.eigh(S)
    F = Q * np.sqrt(np.maximum(lam, 0))  # F F^T = S (up to rounding): rows are feature vectors
    K = ArcCosine().matrix(F, F)
    _, theta = _angles(F)
    live = np.diag(S) > 0  # P(g_i > 0, g_j > 0) = 0 when g_i = 0 almost surely
    return K, np.where(np.outer(live, live), (np.pi - theta) / (2 * np.pi), 0.0)


@validate(X=_X, depth=Integer(1), c_w=_CW)
def ntk_limit(X: np.ndarray, depth: int, c_w: float = 2.0) -> np.ndarray:
    r"""The limiting tangent kernel $\Theta^\infty$ of depth $L$ = ``depth`` (Theorem
    `thm-wide-ntk-limit`), shape ``(n, n)``: $\Sigma^1 = c_wXX^\top/n_0$, $\Theta^1 = \Sigma^1$ and
    for $l = 2, \dots, L$

    $$\Sigma^l = c_w\,k_{\arccos}(\Sigma^{l-1}),\qquad
    \Theta^l = \Theta^{l-1}\odot c_w\kappa_0(\Sigma^{l-1}) + \Sigma^l,$$

    where $k_{\arccos}(\Sigma)_{ij} = \mathbb E[\operatorname{ReLU}(g_i)\operatorname{ReLU}(g_j)]$
    for $g\sim N(0, \Sigma)$ is chapter 5's arc-cosine kernel of the rows of any $F$ with
    $FF^\top = \Sigma$ (here from the eigendecomposition), and
    $\kappa_0(\Sigma)_{ij} = \mathbb P(g_i > 0, g_j > 0) = (\pi - \vartheta_{ij})/(2\pi)$ with
    $\vartheta_{ij}$ the angle between rows $i$ and $j$ of that $F$, computed as in `h_infinity`
    ($\kappa_0(\Sigma)_{ij} = 0$ if $\Sigma_{ii}\Sigma_{jj} = 0$). Computed in float64."""
    X64 = X.astype(np.float64)
    S = c_w * (X64 @ X64.T) / X.shape[1]
    T = S.copy()
    for _ in range(depth - 1):
        K, kappa0 = _arccos_of(S)
        S = c_w * K
        T = T * (c_w * kappa0) + S
    return T
