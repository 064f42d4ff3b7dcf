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
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .. import losses, nn
from .._validation import ShapeError, check_array
from ._geometry import output_size
from .conv import ConvCache, conv2d_backward, conv2d_forward
from .pool import max_pool2d_backward, max_pool2d_forward

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

    def __post_init__(self) -> None:
        for name in ("in_channels", "image_size", "kernel_size", "pool", "classes"):
            v = getattr(self, name)
            if not isinstance(v, int) or v < 1:
                raise ValueError(f"CNNArchitecture.{name} must be a positive int, got {v!r}")
        if not isinstance(self.padding, int) or self.padding < 0:
            raise ValueError(f"CNNArchitecture.padding must be an int >= 0, got {self.padding!r}")
        if len(self.channels) != 2 or any(not isinstance(c, int) or c < 1 for c in self.channels):
            raise ValueError(
                f"CNNArchitecture.channels must be two positive ints, got {self.channels!r}"
            )
        _ = self.sizes  # raises if an image becomes empty

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


@dataclass(frozen=True)
class CNNParameters:
    """$\\theta = (W^1, b^1, W^2, b^2, W^3, b^3)$ with shapes $(C_1, C_0, k, k)$, $(C_1,)$,
    $(C_2, C_1, k, k)$, $(C_2,)$, $(K, F)$, $(K,)$; gradients use the same container."""

    W1: Any
    b1: Any
    W2: Any
    b2: Any
    W3: Any
    b3: Any

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


def init_cnn_parameters(
    arch: CNNArchitecture, *, rng: np.random.Generator, dtype: Any = np.float64
) -> CNNParameters:
    r"""He initialisation: weights independent $\mathcal N(0, 2/\text{fan-in})$ (fan-in $C k^2$ for
    a kernel with $C$ input channels, $F$ for $W^3$), biases $0$."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"argument 'rng' must be a numpy.random.Generator, got {type(rng).__name__}"
        )
    arrays = []
    for shape in _shapes(arch):
        if len(shape) == 1:
            arrays.append(np.zeros(shape, dtype=dtype))
        else:
            fan_in = int(np.prod(shape[1:]))
            arrays.append((rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(dtype))
    return CNNParameters(*arrays)


def _check_theta(arch: CNNArchitecture, theta: CNNParameters, dtype: Any) -> None:
    if not isinstance(theta, CNNParameters):
        raise TypeError(f"argument 'theta' must be a CNNParameters, got {type(theta).__name__}")
    names = [f.name for f in fields(CNNParameters)]
    for name, a, shape in zip(names, theta.arrays(), _shapes(arch)):
        check_array(f"theta.{name}", a, shape=shape)
        if a.dtype != dtype:
            raise TypeError(
                f"argument 'theta.{name}' must have the dtype of 'X', {dtype}, got {a.dtype}"
            )


@dataclass(frozen=True)
class CNNForward:
    """The arrays of the forward pass that the backward pass needs (names as in the module
    docstring); ``output`` is $Z^3$, the logits, shape ``(m, K)``."""

    cache1: ConvCache
    Z1: np.ndarray
    idx1: np.ndarray
    cache2: ConvCache
    Z2: np.ndarray
    idx2: np.ndarray
    flat: np.ndarray
    output: np.ndarray


def cnn_forward(arch: CNNArchitecture, theta: CNNParameters, X: Any) -> CNNForward:
    """The forward pass of Definition `def-cnn-architecture` on ``X`` of shape
    ``(m, C_0, n, n)``."""
    check_array(
        "X", X, shape=(None, arch.in_channels, arch.image_size, arch.image_size), nonempty=True
    )
    if not isinstance(X, np.ndarray):
        raise TypeError(f"argument 'X' must be a numpy.ndarray, got {type(X).__name__}")
    _check_theta(arch, theta, X.dtype)
    p, q = arch.padding, arch.pool
    Z1, cache1 = conv2d_forward(X, theta.W1, theta.b1, padding=p)
    P1, idx1 = max_pool2d_forward(nn.relu(Z1), q)
    Z2, cache2 = conv2d_forward(P1, theta.W2, theta.b2, padding=p)
    P2, idx2 = max_pool2d_forward(nn.relu(Z2), q)
    flat = P2.reshape(P2.shape[0], -1)  # vec(P^2), (m, F)
    Z3 = flat @ theta.W3.T + theta.b3  # (m, K)
    return CNNForward(cache1, Z1, idx1, cache2, Z2, idx2, flat, Z3)


def cnn_loss_and_gradient(
    arch: CNNArchitecture, theta: CNNParameters, X: Any, Y: Any
) -> tuple[float, CNNParameters]:
    r"""$\mathcal L(\theta)$ and $\nabla\mathcal L(\theta)$ by Algorithm `alg-cnn-backprop`.

    Arguments:
        X: images, shape ``(m, C_0, n, n)``; Y: targets (one-hot rows), shape ``(m, K)``.

    Returns:
        ``(loss, grad)`` with ``grad`` a :class:`CNNParameters` of the shapes of ``theta``.
    """
    fwd = cnn_forward(arch, theta, X)
    if tuple(getattr(Y, "shape", ())) != fwd.output.shape:
        raise ShapeError(
            f"argument 'Y' must have shape {fwd.output.shape} = (m, K), "
            f"got {getattr(Y, 'shape', type(Y).__name__)}"
        )
    q = arch.pool
    loss = float(losses.softmax_cross_entropy(fwd.output, Y))
    G3 = losses.softmax_cross_entropy_grad(fwd.output, Y)  # dL/dZ^3, (m, K)
    dW3, db3 = G3.T @ fwd.flat, G3.sum(axis=0)  # Lemma lem-affine-layer
    GP2 = (G3 @ theta.W3).reshape(fwd.Z2.shape[0], arch.channels[1], *([arch.sizes[3]] * 2))
    GA2 = max_pool2d_backward(GP2, fwd.idx2, fwd.Z2.shape, q)  # route to the argmax
    Delta2 = GA2 * nn.relu_prime(fwd.Z2)  # dL/dZ^2
    GP1, dW2, db2 = conv2d_backward(Delta2, theta.W2, fwd.cache2)
    GA1 = max_pool2d_backward(GP1, fwd.idx1, fwd.Z1.shape, q)
    Delta1 = GA1 * nn.relu_prime(fwd.Z1)  # dL/dZ^1
    _, dW1, db1 = conv2d_backward(Delta1, theta.W1, fwd.cache1, need_dX=False)
    return loss, CNNParameters(dW1, db1, dW2, db2, dW3, db3)


def cnn_predict(arch: CNNArchitecture, theta: CNNParameters, X: Any) -> np.ndarray:
    """The predicted classes $\\arg\\max_k Z^3_{\\mu k}$ (the first maximiser), shape ``(m,)`` (int)."""
    return np.argmax(cnn_forward(arch, theta, X).output, axis=1)


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
