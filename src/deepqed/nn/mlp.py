r"""Multilayer perceptrons: architecture, parameters, realization and the forward pass.

Implements Definitions `def-architecture`, `def-parameters`, `def-realization` and
Algorithm `alg-forward` of the chapter *Feedforward networks and backpropagation*.

Notation (the book's notation table): depth $L$, widths $n_0,\dots,n_L$, weights
$W^l\in\mathbb R^{n_l\times n_{l-1}}$, biases $b^l\in\mathbb R^{n_l}$, activations $\sigma_l$,
batch size $m$. A batch is stored one sample per row: $A^0 = X\in\mathbb R^{m\times n_0}$ and

$$Z^l = A^{l-1}(W^l)^\top + \mathbf 1_m (b^l)^\top,\qquad A^l = \sigma_l(Z^l),\qquad l = 1,\dots,L.$$
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import ShapeError, check_array, check_same_namespace
from .activations import ACTIVATIONS

__all__ = ["Architecture", "Parameters", "Forward", "init_parameters", "forward", "realization"]


@dataclass(frozen=True)
class Architecture:
    r"""An MLP architecture $(L; n_0,\dots,n_L; \sigma_1,\dots,\sigma_L)$ (Definition `def-architecture`).

    Arguments:
        widths: $(n_0, \dots, n_L)$, positive integers, $L \ge 1$.
        activations: $(\sigma_1, \dots, \sigma_L)$, names from ``deepqed.nn.ACTIVATIONS``.
    """

    widths: tuple[int, ...]
    activations: tuple[str, ...]

    def __post_init__(self) -> None:
        for field in ("widths", "activations"):
            value = getattr(self, field)
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise TypeError(f"{field!r} must be a tuple or list, got {value!r}")
        widths = tuple(self.widths)
        activations = tuple(self.activations)
        if len(widths) < 2:
            raise ValueError(f"'widths' must list n_0, ..., n_L with L >= 1, got {widths}")
        for l, n in enumerate(widths):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"'widths[{l}]' (n_{l}) must be a positive integer, got {n!r}")
        if len(activations) != len(widths) - 1:
            raise ValueError(
                f"'activations' must name sigma_1, ..., sigma_L: expected {len(widths) - 1} "
                f"names for widths {widths}, got {len(activations)}"
            )
        for l, name in enumerate(activations, start=1):
            if not isinstance(name, str) or name not in ACTIVATIONS:
                raise ValueError(
                    f"'activations[{l - 1}]' (sigma_{l}) must be one of "
                    f"{sorted(ACTIVATIONS)}, got {name!r}"
                )
        object.__setattr__(self, "widths", tuple(int(n) for n in widths))
        object.__setattr__(self, "activations", activations)

    @property
    def depth(self) -> int:
        """$L$, the number of affine layers."""
        return len(self.widths) - 1

    @property
    def num_parameters(self) -> int:
        r"""$\dim\Theta = \sum_{l=1}^L n_l(n_{l-1} + 1)$."""
        w = self.widths
        return sum(w[l] * (w[l - 1] + 1) for l in range(1, len(w)))


@dataclass(frozen=True, eq=False)  # arrays have no truth value: compare entries explicitly
class Parameters:
    r"""A parameter $\theta = ((W^1, b^1), \dots, (W^L, b^L))\in\Theta$ (Definition `def-parameters`).

    ``W[l-1]`` is $W^l$, shape ``(n_l, n_{l-1})``; ``b[l-1]`` is $b^l$, shape ``(n_l,)``.
    The same container holds gradients, whose entries have the same shapes.
    """

    W: tuple[Any, ...]
    b: tuple[Any, ...]

    def map(self, f: Callable[[Any], Any]) -> Parameters:
        """Apply ``f`` to every array (for example to convert to another namespace)."""
        return Parameters(tuple(f(W) for W in self.W), tuple(f(b) for b in self.b))

    def arrays(self) -> list[Any]:
        """The arrays in the order $W^1, b^1, \\dots, W^L, b^L$."""
        return [a for pair in zip(self.W, self.b) for a in pair]


@dataclass(frozen=True, eq=False)
class Forward:
    r"""The intermediate values of a forward pass (Algorithm `alg-forward`).

    ``A[l]`` is $A^l$ for $l = 0, \dots, L$ (``A[0]`` is the input $X$) and ``Z[l]`` is $Z^l$ for
    $l = 1, \dots, L$; ``Z[0]`` is ``None`` so that indices match the book.
    """

    Z: tuple[Any, ...]
    A: tuple[Any, ...]

    @property
    def output(self) -> Any:
        """$A^L$, shape ``(m, n_L)``."""
        return self.A[-1]


def init_parameters(
    arch: Architecture, *, rng: np.random.Generator, dtype: Any = np.float64
) -> Parameters:
    r"""Draw $W^l_{jk}\sim\mathcal N(0, 1/n_{l-1})$ independently and set $b^l = 0$.

    The variance $1/n_{l-1}$ keeps $\operatorname{Var} z^l_j$ of order one at initialisation
    (LeCun initialisation).

    Arguments:
        arch: the architecture.
        rng: the only source of randomness (keyword-only).
        dtype: ``numpy.float32`` or ``numpy.float64``.

    Returns:
        NumPy arrays ``W[l-1]`` of shape ``(n_l, n_{l-1})`` and ``b[l-1]`` of shape ``(n_l,)``;
        convert with :meth:`Parameters.map`.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"'rng' must be a numpy.random.Generator, got {type(rng).__name__}")
    try:
        ok = np.dtype(dtype) in (np.float32, np.float64)
    except TypeError:
        ok = False
    if not ok:
        raise TypeError(f"'dtype' must be numpy.float32 or numpy.float64, got {dtype!r}")
    w = arch.widths
    W = tuple(
        (rng.standard_normal((w[l], w[l - 1])) / math.sqrt(w[l - 1])).astype(dtype)
        for l in range(1, len(w))
    )
    b = tuple(np.zeros(w[l], dtype=dtype) for l in range(1, len(w)))
    return Parameters(W, b)


def check_parameters(arch: Architecture, theta: Parameters) -> Any:
    """Validate ``theta`` against ``arch``; return the array namespace. Errors name $W^l$/$b^l$."""
    if not isinstance(theta, Parameters):
        raise TypeError(f"'theta' must be deepqed.nn.Parameters, got {type(theta).__name__}")
    L, w = arch.depth, arch.widths
    for field in ("W", "b"):
        if not isinstance(getattr(theta, field), (tuple, list)):
            raise TypeError(
                f"'theta.{field}' must be a tuple of arrays (one per layer), "
                f"got {type(getattr(theta, field)).__name__}"
            )
    if len(theta.W) != L or len(theta.b) != L:
        raise ValueError(
            f"'theta' must hold L = {L} weight matrices and bias vectors, "
            f"got {len(theta.W)} and {len(theta.b)}"
        )
    named = {}
    for l in range(1, L + 1):
        named[f"W^{l}"] = check_array(
            f"theta.W[{l - 1}] (W^{l})", theta.W[l - 1], shape=(w[l], w[l - 1])
        )
        named[f"b^{l}"] = check_array(f"theta.b[{l - 1}] (b^{l})", theta.b[l - 1], shape=(w[l],))
    return check_same_namespace(**named)


def check_container(name: str, P: Any, *, allow_nonfinite: bool = False) -> Any:
    """Validate that ``P`` is a :class:`Parameters` of arrays (no architecture to compare with):
    as many $W$ as $b$, at least one layer, one namespace and dtype; return the namespace."""
    if not isinstance(P, Parameters):
        raise TypeError(f"argument {name!r} must be deepqed.nn.Parameters, got {type(P).__name__}")
    for field in ("W", "b"):
        if not isinstance(getattr(P, field), (tuple, list)):
            raise TypeError(
                f"'{name}.{field}' must be a tuple of arrays (one per layer), "
                f"got {type(getattr(P, field)).__name__}"
            )
    if not P.W or len(P.W) != len(P.b):
        raise ValueError(
            f"argument {name!r} must hold as many weight matrices as bias vectors "
            f"(at least one), got {len(P.W)} and {len(P.b)}"
        )
    named = {
        f"{name}[{k}]": check_array(f"{name}[{k}]", a, allow_nonfinite=allow_nonfinite)
        for k, a in enumerate(P.arrays())
    }
    return check_same_namespace(**named)


def check_like(name: str, P: Any, theta: Parameters, *, allow_nonfinite: bool = False) -> Any:
    r"""Validate that ``P`` is a :class:`Parameters` with ``theta``'s layers, shapes, namespace and
    dtype (a gradient or a direction in $\Theta$); return the namespace. ``theta`` need only be a
    :class:`Parameters`: its arrays are compared with those of ``P``, which are validated."""
    if not isinstance(P, Parameters):
        raise TypeError(f"argument {name!r} must be deepqed.nn.Parameters, got {type(P).__name__}")
    if len(theta.W) != len(theta.b):
        raise ValueError(
            f"argument 'theta' must hold as many weight matrices as bias vectors, "
            f"got {len(theta.W)} and {len(theta.b)}"
        )
    if len(P.W) != len(theta.W) or len(P.b) != len(theta.b):
        raise ValueError(
            f"argument {name!r} must hold {len(theta.W)} weight matrices and bias "
            f"vectors (as theta), got {len(P.W)} and {len(P.b)}"
        )
    named = {}
    for k, (a, t) in enumerate(zip(P.arrays(), theta.arrays())):
        named[f"{name}[{k}]"] = check_array(
            f"{name}[{k}]", a, shape=tuple(t.shape), allow_nonfinite=allow_nonfinite
        )
        named[f"theta[{k}]"] = t
    return check_same_namespace(**named)


def _check_input(arch: Architecture, X: Any) -> None:
    check_array("X", X, ndim=2)
    if X.shape[0] == 0:
        raise ShapeError(
            f"argument 'X' must have at least one row (m >= 1), got shape {tuple(X.shape)}"
        )
    if X.shape[1] != arch.widths[0]:
        raise ShapeError(
            f"argument 'X' must have shape (m, n_0) = (m, {arch.widths[0]}), "
            f"got shape {tuple(X.shape)}"
        )


def _product(xp: Any, P: Any, Q: Any) -> Any:
    r"""The matrix product $PQ$, computed as $(Q^\top P^\top)^\top$ for NumPy arrays.

    Same numbers, other orientation: NumPy's OpenBLAS multiplies a batch $P$ (shape
    ``(m, n)``, $m \le n$) by a square $Q$ about 15-25% faster this way round (float64,
    ``m = 64, n = 1024``: 1.1 ms against 1.35 ms); the result is then stored column-major.
    PyTorch's MKL prefers $PQ$ as written (and is several times slower the other way in float64).
    """
    if array_api_compat.is_numpy_namespace(xp):
        return (Q.T @ P.T).T
    return P @ Q


def _forward(xp: Any, arch: Architecture, theta: Parameters, X: Any) -> Forward:
    Z: list[Any] = [None]
    A: list[Any] = [X]
    for l in range(1, arch.depth + 1):
        Zl = _product(xp, A[l - 1], theta.W[l - 1].T)  # Z^l = A^{l-1} W^l^T ...
        Zl += theta.b[l - 1]  #       + 1 b^l^T (in place)
        Z.append(Zl)
        A.append(ACTIVATIONS[arch.activations[l - 1]].sigma(xp, Zl))  # A^l = sigma_l(Z^l)
    return Forward(tuple(Z), tuple(A))


def forward(arch: Architecture, theta: Parameters, X: Any) -> Forward:
    r"""The forward pass in matrix form for a batch (Algorithm `alg-forward`).

    Arguments:
        arch: the architecture.
        theta: parameters for ``arch``.
        X: inputs, shape ``(m, n_0)``, one sample per row; same namespace and dtype as ``theta``.

    Returns:
        all $Z^l$ (shape ``(m, n_l)``) and $A^l$ (shape ``(m, n_l)``); ``.output`` is $A^L$.
    """
    xp = check_parameters(arch, theta)
    _check_input(arch, X)
    check_same_namespace(X=X, W1=theta.W[0])
    return _forward(xp, arch, theta, X)


def realization(arch: Architecture, theta: Parameters, x: Any) -> Any:
    r"""The realization $f_\theta(x) = \sigma_L(W^L\cdots\sigma_1(W^1x + b^1)\cdots + b^L)$ at one input.

    Computed by the single-input recursion of Definition `def-realization` (column vectors).

    Arguments:
        x: shape ``(n_0,)``.

    Returns:
        shape ``(n_L,)``.
    """
    xp = check_parameters(arch, theta)
    check_array("x", x, ndim=1)
    if x.shape[0] != arch.widths[0]:
        raise ShapeError(
            f"argument 'x' must have shape (n_0,) = ({arch.widths[0]},), got shape {tuple(x.shape)}"
        )
    check_same_namespace(x=x, W1=theta.W[0])
    a = x
    for l in range(1, arch.depth + 1):
        z = theta.W[l - 1] @ a + theta.b[l - 1]  # z^l = W^l a^{l-1} + b^l
        a = ACTIVATIONS[arch.activations[l - 1]].sigma(xp, z)  # a^l = sigma_l(z^l)
    return a
