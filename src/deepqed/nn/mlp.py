r"""Multilayer perceptrons: architecture, parameters, realization and the forward pass.

Implements Definitions `def-architecture`, `def-parameters`, `def-realization` and
Algorithm `alg-forward` of the chapter *Feedforward networks and backpropagation*.

Notation (the book's notation table): depth $L$, widths $n_0,\dots,n_L$, weights
$W^l\in\mathbb R^{n_l\times n_{l-1}}$, biases $b^l\in\mathbb R^{n_l}$, activations $\sigma_l$,
batch size $m$. A batch is stored one sample per row: $A^0 = X\in\mathbb R^{m\times n_0}$ and

$$Z^l = A^{l-1}(W^l)^\top + \mathbf 1_m (b^l)^\top,\qquad A^l = \sigma_l(Z^l),\qquad l = 1,\dots,L.$$

Arguments are validated by declared constraints (:mod:`deepqed._validation`); inside a call the
arrays of $\theta$ are named by their symbols (``'W^2'``, ``'b^1'``) in error messages.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import (
    Array,
    Constraint,
    Generator,
    Instance,
    Options,
    check,
    fail,
    namespace,
    received,
    validate,
)
from .activations import ACTIVATIONS

__all__ = ["Architecture", "Parameters", "Forward", "init_parameters", "forward", "realization"]

#: float32 or float64, given as a NumPy type, a dtype or its name.
DTYPE = Options(
    np.float32, np.float64, np.dtype(np.float32), np.dtype(np.float64), "float32", "float64"
)

_SEQUENCE = "a tuple or list"


@dataclass(frozen=True)
class Architecture:
    r"""An MLP architecture $(L; n_0,\dots,n_L; \sigma_1,\dots,\sigma_L)$ (Definition `def-architecture`).

    Arguments:
        widths: $(n_0, \dots, n_L)$, positive integers, $L \ge 1$.
        activations: $(\sigma_1, \dots, \sigma_L)$, names from ``deepqed.nn.ACTIVATIONS``.
    """

    widths: tuple[int, ...]
    activations: tuple[str, ...]

    __deepqed_constraints__ = {
        "widths": Instance((tuple, list), _SEQUENCE + " of positive integers (n_0, ..., n_L)"),
        "activations": Instance((tuple, list), _SEQUENCE + " of activation names"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        widths, activations = tuple(self.widths), tuple(self.activations)
        if len(widths) < 2:
            fail("widths", "list n_0, ..., n_L with L >= 1", f"{widths}")
        for l, n in enumerate(widths):
            if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
                fail(f"widths[{l}]", f"be n_{l}, a positive integer", received(n))
        if len(activations) != len(widths) - 1:
            fail(
                "activations",
                f"name sigma_1, ..., sigma_L, one per layer: {len(widths) - 1} for widths {widths}",
                f"{len(activations)} names",
            )
        for l, name in enumerate(activations, start=1):
            if not isinstance(name, str) or name not in ACTIVATIONS:
                fail(
                    f"activations[{l - 1}]",
                    f"be sigma_{l}, one of {sorted(ACTIVATIONS)}",
                    received(name),
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


def _layers(name: str, value: Any, *, at_least: int) -> tuple[Any, ...]:
    """``value`` (a tuple or list, already checked) as a tuple of at least ``at_least`` items."""
    items = tuple(value)
    if len(items) < at_least:
        fail(name, f"hold at least {at_least} array(s) (one per layer)", f"{len(items)}")
    return items


@dataclass(frozen=True, eq=False)  # arrays have no truth value: compare entries explicitly
class Parameters:
    r"""A parameter $\theta = ((W^1, b^1), \dots, (W^L, b^L))\in\Theta$ (Definition `def-parameters`).

    ``W[l-1]`` is $W^l$, shape ``(n_l, n_{l-1})``; ``b[l-1]`` is $b^l$, shape ``(n_l,)``. The
    shapes must chain ($W^{l+1}$ has $n_l$ columns), and all arrays come from one array library,
    device and dtype. The same container holds gradients and directions in $\Theta$, whose
    entries may be NaN or infinite (a diverged gradient); the functions that compute with
    $\theta$ require finite entries.
    """

    W: tuple[Any, ...]
    b: tuple[Any, ...]

    __deepqed_constraints__ = {
        "W": Instance((tuple, list), _SEQUENCE + " of weight matrices W^1, ..., W^L"),
        "b": Instance((tuple, list), _SEQUENCE + " of bias vectors b^1, ..., b^L"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        W, b = _layers("W", self.W, at_least=1), _layers("b", self.b, at_least=1)
        if len(W) != len(b):
            fail("b", f"hold one bias vector per weight matrix ({len(W)})", f"{len(b)}")
        constraints: dict[str, Constraint] = {}
        values: dict[str, Any] = {}
        for l in range(1, len(W) + 1):
            constraints[f"W^{l}"] = Array(shape=(f"n_{l}", f"n_{l - 1}"), finite=False)
            constraints[f"b^{l}"] = Array(shape=(f"n_{l}",), finite=False)
            values[f"W^{l}"], values[f"b^{l}"] = W[l - 1], b[l - 1]
        check(constraints, values)
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "b", b)

    @property
    def widths(self) -> tuple[int, ...]:
        """$(n_0, \\dots, n_L)$, read from the shapes."""
        return (int(self.W[0].shape[1]), *(int(W.shape[0]) for W in self.W))

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
    $l = 1, \dots, L$; ``Z[0]`` is ``None`` so that indices match the book. $Z^l, A^l$ have shape
    ``(m, n_l)`` (entries may be infinite: an overflowing network still has a forward pass).
    """

    Z: tuple[Any, ...]
    A: tuple[Any, ...]

    __deepqed_constraints__ = {
        "Z": Instance((tuple, list), _SEQUENCE + " (None, Z^1, ..., Z^L)"),
        "A": Instance((tuple, list), _SEQUENCE + " (A^0, ..., A^L)"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))
        Z, A = _layers("Z", self.Z, at_least=2), _layers("A", self.A, at_least=2)
        if len(Z) != len(A):
            fail("Z", f"hold None, Z^1, ..., Z^L with L = {len(A) - 1} (as A)", f"{len(Z)} items")
        if Z[0] is not None:
            fail("Z", "start with None (there is no Z^0)", received(Z[0]))
        constraints: dict[str, Constraint] = {"A^0": Array(shape=("m", "n_0"))}
        values: dict[str, Any] = {"A^0": A[0]}
        for l in range(1, len(A)):
            for name, v in ((f"Z^{l}", Z[l]), (f"A^{l}", A[l])):
                constraints[name] = Array(shape=("m", f"n_{l}"), finite=False)
                values[name] = v
        check(constraints, values)
        object.__setattr__(self, "Z", Z)
        object.__setattr__(self, "A", A)

    @property
    def output(self) -> Any:
        """$A^L$, shape ``(m, n_L)``."""
        return self.A[-1]


@validate(arch=Instance(Architecture), rng=Generator(), dtype=DTYPE)
def init_parameters(
    arch: Architecture, *, rng: np.random.Generator, dtype: Any = np.float64
) -> Parameters:
    r"""Draw $W^l_{jk}\sim\mathcal N(0, 1/n_{l-1})$ independently and set $b^l = 0$.

    The variance $1/n_{l-1}$ keeps $\operatorname{Var} z^l_j$ of order one at initialisation
    (LeCun initialisation).

    Arguments:
        arch: the architecture.
        rng: the only source of randomness (keyword-only).
        dtype: ``numpy.float32`` or ``numpy.float64`` (or its name).

    Returns:
        NumPy arrays ``W[l-1]`` of shape ``(n_l, n_{l-1})`` and ``b[l-1]`` of shape ``(n_l,)``;
        convert with :meth:`Parameters.map`.
    """
    w = arch.widths
    W = tuple(
        (rng.standard_normal((w[l], w[l - 1])) / math.sqrt(w[l - 1])).astype(dtype)
        for l in range(1, len(w))
    )
    b = tuple(np.zeros(w[l], dtype=dtype) for l in range(1, len(w)))
    return Parameters(W, b)


def check_network(arch: Architecture, theta: Parameters, **arrays: tuple[Any, tuple]) -> Any:
    r"""Check that ``theta`` has the layers and shapes of ``arch`` with finite entries, and that
    the other arrays of a call agree with it; return the array namespace.

    ``arrays`` maps an argument name to ``(value, shape)``, the value already validated by the
    caller's declared constraints; ``shape`` may use ``"n_l"`` (bound to the width $n_l$ of
    ``arch``) and other names (``"m"``, unified across the arrays). Errors name ``W^l``, ``b^l``
    or the argument. All floating arrays must share library, device and dtype.
    """
    L, w = arch.depth, arch.widths
    if len(theta.W) != L:
        fail("theta", f"hold L = {L} layers for widths {w}", f"{len(theta.W)} layers")
    constraints: dict[str, Constraint] = {}
    values: dict[str, Any] = {}
    for l in range(1, L + 1):
        constraints[f"W^{l}"] = Array(shape=(w[l], w[l - 1]))
        constraints[f"b^{l}"] = Array(shape=(w[l],))
        values[f"W^{l}"], values[f"b^{l}"] = theta.W[l - 1], theta.b[l - 1]
    for name, (value, shape) in arrays.items():
        constraints[name] = Array(shape=tuple(_width(e, w) for e in shape), finite=False)
        values[name] = value
    check(constraints, values)
    return namespace(theta.W[0])


def _width(entry: Any, w: tuple[int, ...]) -> Any:
    """``"n_l"`` -> ``w[l]``; other entries unchanged."""
    if isinstance(entry, str) and entry.startswith("n_"):
        return w[int(entry[2:])]
    return entry


def check_like(name: str, P: Parameters, theta: Parameters) -> Any:
    r"""Check that ``P`` (a gradient or a direction in $\Theta$; NaN allowed) has ``theta``'s
    layers, shapes, library, device and dtype; return the namespace. Errors name ``name``."""
    if len(P.W) != len(theta.W):
        fail(name, f"hold {len(theta.W)} layers (as theta)", f"{len(P.W)} layers")
    if type(theta.W[0]) is np.ndarray:  # the common case, decided without the general machinery
        dtype = theta.W[0].dtype
        if all(
            type(a) is np.ndarray and a.dtype == dtype and a.shape == t.shape
            for a, t in zip(P.arrays(), theta.arrays())
        ):
            return namespace(theta.W[0])  # (the namespace the general check returns)
    constraints: dict[str, Constraint] = {}
    values: dict[str, Any] = {}
    for k, (a, t) in enumerate(zip(P.arrays(), theta.arrays())):
        constraints[f"{name}[{k}]"] = Array(shape=tuple(t.shape), finite=False)
        values[f"{name}[{k}]"] = a
    values["theta"] = theta.W[0]
    constraints["theta"] = Array(finite=False)
    check(constraints, values)
    return namespace(theta.W[0])


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
    return _unchecked(Forward, Z=tuple(Z), A=tuple(A))


def _unchecked(cls: type, **fields: Any) -> Any:
    """An instance of a frozen dataclass built from already validated fields (no
    ``__post_init__``): for containers that a function builds from its own results."""
    obj = object.__new__(cls)
    for k, v in fields.items():
        object.__setattr__(obj, k, v)
    return obj


@validate(arch=Instance(Architecture), theta=Instance(Parameters), X=Array(shape=("m", "n_0")))
def forward(arch: Architecture, theta: Parameters, X: Any) -> Forward:
    r"""The forward pass in matrix form for a batch (Algorithm `alg-forward`).

    Arguments:
        arch: the architecture.
        theta: parameters for ``arch``.
        X: inputs, shape ``(m, n_0)``, one sample per row; same namespace and dtype as ``theta``.

    Returns:
        all $Z^l$ (shape ``(m, n_l)``) and $A^l$ (shape ``(m, n_l)``); ``.output`` is $A^L$.
    """
    xp = check_network(arch, theta, X=(X, ("m", "n_0")))
    return _forward(xp, arch, theta, X)


@validate(arch=Instance(Architecture), theta=Instance(Parameters), x=Array(shape=("n_0",)))
def realization(arch: Architecture, theta: Parameters, x: Any) -> Any:
    r"""The realization $f_\theta(x) = \sigma_L(W^L\cdots\sigma_1(W^1x + b^1)\cdots + b^L)$ at one input.

    Computed by the single-input recursion of Definition `def-realization` (column vectors).

    Arguments:
        x: shape ``(n_0,)``.

    Returns:
        shape ``(n_L,)``.
    """
    xp = check_network(arch, theta, x=(x, ("n_0",)))
    a = x
    for l in range(1, arch.depth + 1):
        z = theta.W[l - 1] @ a + theta.b[l - 1]  # z^l = W^l a^{l-1} + b^l
        a = ACTIVATIONS[arch.activations[l - 1]].sigma(xp, z)  # a^l = sigma_l(z^l)
    return a
