r"""A small convolutional network, its forward pass and its gradient (Section "The whole network"
of the chapter *Convolutional networks*; Definition `def-cnn-architecture`, Algorithm
`alg-cnn-backprop`, Theorem `thm-cnn-backprop`).

The network (input $X\in\mathbb R^{m\times C_0\times n\times n}$, one image per index $\mu\in[m]$ of
the first axis):

$$
\begin{aligned}
Z^1 &= K_{W^1}(X) + b^1, & A^1 &= \operatorname{ReLU}(Z^1), & P^1 &= \operatorname{maxpool}_q(A^1),\\
Z^2 &= K_{W^2}(P^1) + b^2, & A^2 &= \operatorname{ReLU}(Z^2), & P^2 &= \operatorname{maxpool}_q(A^2),\\
Z^3 &= \operatorname{vec}(P^2)(W^3)^\top + \mathbf 1_m(b^3)^\top &&&&
\end{aligned}
$$

(both convolutions with stride 1 and zero padding $p$), and the objective is the softmax
cross-entropy $\mathcal L = \frac1m\sum_\mu\ell_{\mathrm{CE}}(z^3_\mu, y_\mu)$ of ``deepqed.losses``.
$\operatorname{vec}$ flattens each image's $(c, u_1, u_2)$ entries in row-major order (as
``torch.flatten(P, 1)``).

The two convolutions run the products of the reference step :mod:`deepqed.cnn.conv` in the faster
layout of :mod:`deepqed.cnn._fast` (tested against it); the public functions validate their
arguments once and then call the unvalidated kernels. The parameters and images may come from any
library of the array API (NumPy, PyTorch on CPU or CUDA, ...), one library, device and dtype per
call; the results follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .. import losses
from .._validation import (
    Array,
    Constraint,
    Generator,
    Instance,
    Integer,
    Pair,
    check,
    fail,
    namespace,
    validate,
)
from ..nn import ACTIVATIONS
from ..nn.mlp import DTYPE, _unchecked
from . import _fast
from ._geometry import Geometry, output_size
from .pool import _max_pool_backward, _max_pool_forward

__all__ = [
    "CNNArchitecture",
    "CNNParameters",
    "CNNForward",
    "init_cnn_parameters",
    "cnn_forward",
    "cnn_loss_and_gradient",
    "cnn_predict",
    "cnn_counts",
]

_RELU = ACTIVATIONS["relu"]  # the kernels sigma, sigma' (ReLU'(0) = 0) on validated arrays
_CE = losses.LOSSES["cross_entropy"]  # the fused softmax cross-entropy and its gradient


@dataclass(frozen=True)
class CNNArchitecture:
    r"""Definition `def-cnn-architecture`: $C_0$ input channels, images $n\times n$, channels
    $(C_1, C_2)$, square kernels $k$ with zero padding $p$ (stride 1), max pooling $q\times q$
    with stride $q$, and $K$ classes."""

    in_channels: int = 1
    image_size: int = 8
    channels: tuple[int, int] = (16, 32)
    kernel_size: int = 3
    padding: int = 1
    pool: int = 2
    classes: int = 10

    __deepqed_constraints__ = {
        "in_channels": Integer(1),
        "image_size": Integer(1),
        "channels": Pair(Integer(1)),
        "kernel_size": Integer(1),
        "padding": Integer(0),
        "pool": Integer(1),
        "classes": Integer(1),
    }

    def __post_init__(self) -> None:
        for name, value in check(self.__deepqed_constraints__, vars(self)).items():
            object.__setattr__(self, name, value)
        n, k, p, q = self.image_size, self.kernel_size, self.padding, self.pool
        n1 = n + 2 * p - k + 1
        n2 = (n1 // q if n1 >= q else 0) + 2 * p - k + 1
        if n1 < q or n2 < q:
            fail(
                "image_size",
                f"leave each pooling a window: n_1 = n + 2p - k + 1 >= q and n_2 = "
                f"floor(n_1/q) + 2p - k + 1 >= q (k = {k}, p = {p}, q = {q})",
                f"{n} (n_1 = {n1}, n_2 = {n2})",
            )

    @property
    def sizes(self) -> tuple[int, int, int, int]:
        """Spatial sizes $(n_1, n_1^\\circ, n_2, n_2^\\circ)$ of $Z^1$, $P^1$, $Z^2$, $P^2$."""
        n1 = output_size(self.image_size, self.kernel_size, 1, self.padding)
        m1 = output_size(n1, self.pool, self.pool)
        n2 = output_size(m1, self.kernel_size, 1, self.padding)
        m2 = output_size(n2, self.pool, self.pool)
        return n1, m1, n2, m2

    @property
    def features(self) -> int:
        """$F = C_2 (n_2^\\circ)^2$, the length of $\\operatorname{vec}(P^2)$ per image."""
        return self.channels[1] * self.sizes[3] ** 2

    @property
    def num_parameters(self) -> int:
        """$C_1(C_0k^2+1) + C_2(C_1k^2+1) + K(F+1)$ (Proposition `prop-cnn-counts`)."""
        k2 = self.kernel_size**2
        C0, (C1, C2) = self.in_channels, self.channels
        return C1 * (C0 * k2 + 1) + C2 * (C1 * k2 + 1) + self.classes * (self.features + 1)


def _theta_constraints(finite: bool) -> dict[str, Constraint]:
    def a(*dims: str) -> Array:
        return Array(shape=dims, finite=finite)

    return {
        "W1": a("C_1", "C_0", "k", "k"),
        "b1": a("C_1"),
        "W2": a("C_2", "C_1", "k", "k"),
        "b2": a("C_2"),
        "W3": a("K", "F"),
        "b3": a("K"),
    }


@dataclass(frozen=True, eq=False)
class CNNParameters:
    """$\\theta = (W^1, b^1, W^2, b^2, W^3, b^3)$ with shapes $(C_1, C_0, k, k)$, $(C_1,)$,
    $(C_2, C_1, k, k)$, $(C_2,)$, $(K, F)$, $(K,)$ (one array library, device and dtype);
    gradients and Adam's
    moments use the same container (entries may then be NaN or infinite)."""

    W1: Any
    b1: Any
    W2: Any
    b2: Any
    W3: Any
    b3: Any

    __deepqed_constraints__ = _theta_constraints(finite=False)

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))

    def arrays(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f.name) for f in fields(self))

    def map(self, f: Callable[[Any], Any]) -> CNNParameters:
        return CNNParameters(*(f(a) for a in self.arrays()))

    @staticmethod
    def zip_map(f: Callable[..., Any], *Ps: CNNParameters) -> CNNParameters:
        return CNNParameters(*(f(*xs) for xs in zip(*(P.arrays() for P in Ps))))


def _shapes(arch: CNNArchitecture) -> tuple[tuple[int, ...], ...]:
    k, C0, (C1, C2), K = arch.kernel_size, arch.in_channels, arch.channels, arch.classes
    return ((C1, C0, k, k), (C1,), (C2, C1, k, k), (C2,), (K, arch.features), (K,))


@validate(arch=Instance(CNNArchitecture), rng=Generator(), dtype=DTYPE)
def init_cnn_parameters(
    arch: CNNArchitecture, *, rng: np.random.Generator, dtype: Any = np.float64
) -> CNNParameters:
    r"""He initialisation: weights independent $\mathcal N(0, 2/\text{fan-in})$ (fan-in $C k^2$ for
    a kernel with $C$ input channels, $F$ for $W^3$), biases $0$. NumPy arrays (``rng`` is
    NumPy's); convert with :meth:`CNNParameters.map`, e.g. ``theta.map(torch.from_numpy)``."""
    arrays = []
    for shape in _shapes(arch):
        if len(shape) == 1:
            arrays.append(np.zeros(shape, dtype=dtype))
        else:
            fan_in = int(np.prod(shape[1:]))
            arrays.append((rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype))
    return CNNParameters(*arrays)


def _check_network(arch: CNNArchitecture, theta: CNNParameters, X: Any, **others: Any) -> Any:
    """``theta`` has the shapes of ``arch`` with finite entries, and ``X`` (and ``others``, given
    as ``name=(value, shape)``) fit it, all of one library, device and dtype; errors name
    ``theta.W1``, ..., ``X``. Returns the namespace."""
    k, C0, (C1, C2), K = arch.kernel_size, arch.in_channels, arch.channels, arch.classes
    n = arch.image_size
    dims = {"k": k, "C_0": C0, "C_1": C1, "C_2": C2, "K": K, "F": arch.features}
    constraints: dict[str, Constraint] = {}
    values: dict[str, Any] = {}
    for name, c in _theta_constraints(finite=True).items():
        constraints[f"theta.{name}"] = Array(shape=tuple(dims[d] for d in c.shape))
        values[f"theta.{name}"] = getattr(theta, name)
    constraints["X"] = Array(shape=("m", C0, n, n))
    values["X"] = X
    for name, (value, shape) in others.items():
        constraints[name] = Array(shape=tuple(dims.get(d, d) for d in shape))
        values[name] = value
    check(constraints, values)
    return namespace(X)


@dataclass(frozen=True, eq=False)
class CNNForward:
    """The arrays of the forward pass that the backward pass needs (names as in the module
    docstring): the caches of the two convolutions (in the layout of the training path),
    $Z^1$, the selected maximisers of the first pooling, the same for the second layer,
    $V = \\operatorname{vec}(P^2)$ and ``output`` $= Z^3$, the logits, shape ``(m, K)``."""

    cache1: Any
    Z1: Any
    idx1: Any
    cache2: Any
    Z2: Any
    idx2: Any
    flat: Any
    output: Any

    __deepqed_constraints__ = {
        "cache1": Instance(_fast.Cache, "the cache of the first convolution of cnn_forward"),
        "Z1": Array(shape=("m", "C_1", "n_1", "n_1")),
        "idx1": Array(shape=("m", "C_1", "n_1o", "n_1o"), dtype="integer", low=0),
        "cache2": Instance(_fast.Cache, "the cache of the second convolution of cnn_forward"),
        "Z2": Array(shape=("m", "C_2", "n_2", "n_2")),
        "idx2": Array(shape=("m", "C_2", "n_2o", "n_2o"), dtype="integer", low=0),
        "flat": Array(shape=("m", "F")),
        "output": Array(shape=("m", "K")),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


_NETWORK = dict(arch=Instance(CNNArchitecture), theta=Instance(CNNParameters))
_IMAGES = Array(shape=("m", "C_0", "n", "n"))


@validate(**_NETWORK, X=_IMAGES)
def cnn_forward(arch: CNNArchitecture, theta: CNNParameters, X: Any) -> CNNForward:
    """The forward pass of Definition `def-cnn-architecture` on ``X`` of shape
    ``(m, C_0, n, n)``."""
    xp = _check_network(arch, theta, X)
    return _cnn_forward(xp, arch, theta, X)


def _cnn_forward(xp: Any, arch: CNNArchitecture, theta: CNNParameters, X: Any) -> CNNForward:
    g, q = Geometry(padding=arch.padding), arch.pool
    Z1, cache1 = _fast.conv2d_forward(xp, X, theta.W1, theta.b1, g)  # Z^1 = K_{W^1} X + b^1
    P1, idx1 = _max_pool_forward(xp, _RELU.sigma(xp, Z1), (q, q), None)  # P^1 = maxpool(ReLU Z^1)
    Z2, cache2 = _fast.conv2d_forward(xp, P1, theta.W2, theta.b2, g)  # Z^2 = K_{W^2} P^1 + b^2
    P2, idx2 = _max_pool_forward(xp, _RELU.sigma(xp, Z2), (q, q), None)  # P^2 = maxpool(ReLU Z^2)
    flat = xp.reshape(P2, (P2.shape[0], -1))  # V = vec(P^2), (m, F)
    Z3 = flat @ theta.W3.T + theta.b3  # Z^3 = V W^3^T + 1 b^3^T, (m, K)
    return _unchecked(
        CNNForward,
        cache1=cache1,
        Z1=Z1,
        idx1=idx1,
        cache2=cache2,
        Z2=Z2,
        idx2=idx2,
        flat=flat,
        output=Z3,
    )


@validate(**_NETWORK, X=_IMAGES, Y=Array(shape=("m", "K")))
def cnn_loss_and_gradient(
    arch: CNNArchitecture, theta: CNNParameters, X: Any, Y: Any
) -> tuple[float, CNNParameters]:
    r"""$\mathcal L(\theta)$ and $\nabla\mathcal L(\theta)$ by Algorithm `alg-cnn-backprop`.

    Arguments:
        X: images, shape ``(m, C_0, n, n)``; Y: targets (rows in the simplex, e.g. one-hot),
            shape ``(m, K)``.

    Returns:
        ``(loss, grad)`` with ``grad`` a :class:`CNNParameters` of the shapes of ``theta``.
    """
    xp = _check_network(arch, theta, X, Y=(Y, ("m", "K")))
    return _cnn_loss_and_gradient(xp, arch, theta, X, Y)


def _cnn_loss_and_gradient(
    xp: Any, arch: CNNArchitecture, theta: CNNParameters, X: Any, Y: Any
) -> tuple[float, CNNParameters]:
    fwd = _cnn_forward(xp, arch, theta, X)
    m, q = X.shape[0], (arch.pool, arch.pool)
    loss = float(_CE.value(xp, fwd.output, Y))  # step 1
    G3 = _CE.grad(xp, fwd.output, Y)  # step 2: (softmax(Z^3) - Y)/m
    dW3, db3 = G3.T @ fwd.flat, xp.sum(G3, axis=0)  # step 3 (Lemma lem-affine-layer)
    GP2 = xp.reshape(G3 @ theta.W3, (m, arch.channels[1], arch.sizes[3], arch.sizes[3]))
    GA2 = _max_pool_backward(xp, GP2, fwd.idx2, fwd.Z2.shape, q, None)  # step 4: route to pi^2
    Delta2 = GA2 * _RELU.sigma_prime(xp, fwd.Z2)  # dL/dZ^2
    GP1, dW2, db2 = _fast.conv2d_backward(xp, Delta2, theta.W2, fwd.cache2)  # step 5
    GA1 = _max_pool_backward(xp, GP1, fwd.idx1, fwd.Z1.shape, q, None)  # step 6
    Delta1 = GA1 * _RELU.sigma_prime(xp, fwd.Z1)  # dL/dZ^1
    _, dW1, db1 = _fast.conv2d_backward(xp, Delta1, theta.W1, fwd.cache1, need_dX=False)  # step 7
    grad = _unchecked(CNNParameters, W1=dW1, b1=db1, W2=dW2, b2=db2, W3=dW3, b3=db3)
    return loss, grad


@validate(**_NETWORK, X=_IMAGES)
def cnn_predict(arch: CNNArchitecture, theta: CNNParameters, X: Any) -> Any:
    """The predicted classes $\\arg\\max_k Z^3_{\\mu k}$ (the first maximiser), shape ``(m,)`` (int)."""
    xp = _check_network(arch, theta, X)
    return xp.argmax(_cnn_forward(xp, arch, theta, X).output, axis=1)


@validate(arch=Instance(CNNArchitecture), m=Integer(1))
def cnn_counts(arch: CNNArchitecture, m: int) -> dict[str, int]:
    r"""Parameters and multiply-adds of the matrix products of one forward pass and one backward
    pass of Algorithm `alg-cnn-backprop` on a batch of $m$ images (Proposition `prop-cnn-counts`):
    forward $M_1 + M_2 + mKF$, backward $M_1 + 2M_2 + 2mKF$, where
    $M_l = m C_l n_l^2 C_{l-1} k^2$ (the first layer needs no gradient with respect to $X$)."""
    from .conv import conv2d_counts

    n1, m1, n2, _ = arch.sizes
    k, p = arch.kernel_size, arch.padding
    c1 = conv2d_counts(
        m,
        arch.in_channels,
        arch.channels[0],
        arch.image_size,
        arch.image_size,
        k,
        padding=p,
        need_dX=False,
    )
    c2 = conv2d_counts(m, arch.channels[0], arch.channels[1], m1, m1, k, padding=p)
    lin = m * arch.classes * arch.features
    return {
        "parameters": arch.num_parameters,
        "forward": c1["forward"] + c2["forward"] + lin,
        "backward": c1["backward"] + c2["backward"] + 2 * lin,
    }
