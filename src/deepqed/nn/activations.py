r"""Activation functions and their derivatives (Section "Activation functions" of the chapter
*Feedforward networks and backpropagation*).

Every scalar activation :math:`\sigma:\mathbb R\to\mathbb R` is applied componentwise to an array
``Z`` of any shape; its derivative :math:`\sigma'` is returned with the same shape. Each forward
rule stands next to its derivative so that the two can be compared line by line with
Definition {prf:ref}`def-standard-activations` and Proposition {prf:ref}`prop-activation-derivatives`.

Convention at the kinks (Definition `def-standard-activations`): ``relu_prime(0) = 0`` and
``leaky_relu_prime(0) = alpha``; both are elements of the Clarke subdifferential and are what
PyTorch's autograd returns.

All functions accept NumPy arrays (the default, float64), PyTorch tensors (CPU or CUDA) and any
other array API namespace, in float32 or float64; the result has the input's namespace, device and
dtype.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from .._validation import Array, Function, Instance, Real, check, namespace, validate

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "LEAKY_RELU_ALPHA",
    "identity",
    "identity_prime",
    "sigmoid",
    "sigmoid_prime",
    "tanh",
    "tanh_prime",
    "relu",
    "relu_prime",
    "leaky_relu",
    "leaky_relu_prime",
    "softplus",
    "softplus_prime",
    "gelu",
    "gelu_prime",
    "softmax",
    "softmax_jacobian",
    "logsumexp",
]

#: Slope of leaky ReLU on the negative half-line (PyTorch's default ``negative_slope``).
LEAKY_RELU_ALPHA = 0.01

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _erf(xp: Any, x: Any) -> Any:
    """The error function, which the array API standard does not include."""
    if array_api_compat.is_torch_namespace(xp):
        import torch

        return torch.special.erf(x)
    if array_api_compat.is_numpy_namespace(xp):
        from scipy.special import erf

        return erf(x)
    # Any other namespace: compute with SciPy on the host, convert back.
    from scipy.special import erf

    host = np.from_dlpack(x)
    return xp.asarray(erf(host), dtype=x.dtype, device=array_api_compat.device(x))


# Each activation is a pair of *kernels* ``(xp, Z) -> array`` that do no validation (used in the
# hot loops of the forward and backward passes, whose entry points validate once), wrapped by the
# public functions below, which validate their argument.


# --- identity ---------------------------------------------------------------------------------
def _identity(xp: Any, Z: Any) -> Any:
    return Z  # sigma(z) = z


def _identity_prime(xp: Any, Z: Any) -> Any:
    return xp.ones_like(Z)  # sigma'(z) = 1


# --- logistic sigmoid -------------------------------------------------------------------------
def _sigmoid(xp: Any, Z: Any) -> Any:
    E = xp.exp(-xp.abs(Z))  # in (0, 1]: never overflows
    return xp.where(Z >= 0, 1.0 / (1.0 + E), E / (1.0 + E))  # 1/(1+e^{-z})


def _sigmoid_prime(xp: Any, Z: Any) -> Any:
    # sigma(z)(1 - sigma(z)) = e^{-|z|}/(1 + e^{-|z|})^2 (sigma' is even): no cancellation, so the
    # relative error is a few ulps wherever e^{-|z|} is a normal number
    E = xp.exp(-xp.abs(Z))
    return E / ((1.0 + E) * (1.0 + E))


# --- hyperbolic tangent -----------------------------------------------------------------------
def _tanh(xp: Any, Z: Any) -> Any:
    return xp.tanh(Z)


def _tanh_prime(xp: Any, Z: Any) -> Any:
    # 1 - tanh^2 z = 1/cosh^2 z = 4 e^{-2|z|}/(1 + e^{-2|z|})^2: the same value without the
    # cancellation of 1 - tanh^2 z for large |z| (relative error a few ulps)
    E = xp.exp(-2.0 * xp.abs(Z))
    return 4.0 * E / ((1.0 + E) * (1.0 + E))


# --- rectified linear unit --------------------------------------------------------------------
def _relu(xp: Any, Z: Any) -> Any:
    return xp.maximum(Z, 0.0)  # max(z, 0)


def _relu_prime(xp: Any, Z: Any) -> Any:
    return xp.astype(Z > 0, Z.dtype)  # 1[z > 0]; convention: 0 at 0


# --- leaky ReLU -------------------------------------------------------------------------------
def _leaky_relu(xp: Any, Z: Any, alpha: float = LEAKY_RELU_ALPHA) -> Any:
    return xp.where(Z > 0, Z, alpha * Z)  # z (z > 0), alpha z (z <= 0)


def _leaky_relu_prime(xp: Any, Z: Any, alpha: float = LEAKY_RELU_ALPHA) -> Any:
    return xp.where(Z > 0, xp.ones_like(Z), xp.full_like(Z, alpha))  # convention: alpha at 0


# --- softplus ---------------------------------------------------------------------------------
def _softplus(xp: Any, Z: Any) -> Any:
    return _relu(xp, Z) + xp.log1p(xp.exp(-xp.abs(Z)))  # log(1 + e^z), no overflow


def _softplus_prime(xp: Any, Z: Any) -> Any:
    return _sigmoid(xp, Z)  # zeta'(z) = sigma(z)


# --- GELU -------------------------------------------------------------------------------------
def _Phi(xp: Any, Z: Any) -> Any:
    return 0.5 * (1.0 + _erf(xp, Z / _SQRT2))  # standard normal cdf


def _gelu(xp: Any, Z: Any) -> Any:
    return Z * _Phi(xp, Z)  # z Phi(z)


def _gelu_prime(xp: Any, Z: Any) -> Any:
    return _Phi(xp, Z) + Z * (_INV_SQRT_2PI * xp.exp(-0.5 * Z * Z))  # Phi(z) + z phi(z)


# --- public, validated functions --------------------------------------------------------------
#: An array of any shape (elementwise functions; an empty array gives an empty result).
_ANY = Array(nonempty=False)


def _public(kernel: Callable[..., Any], doc: str) -> Callable[..., Any]:
    def f(Z: Any) -> Any:
        return kernel(namespace(Z), Z)

    f.__name__ = f.__qualname__ = kernel.__name__.lstrip("_")
    f.__doc__ = (
        doc
        + "\n\nArguments:\n    Z: any shape.\n\nReturns:\n    the same shape, dtype and namespace as ``Z``.\n"
    )
    return validate(Z=_ANY)(f)


identity = _public(_identity, r"$\sigma(z) = z$.")
identity_prime = _public(_identity_prime, r"$\sigma'(z) = 1$.")
sigmoid = _public(
    _sigmoid, r"$\sigma(z) = 1/(1+e^{-z})$, evaluated without overflow for either sign of $z$."
)
sigmoid_prime = _public(
    _sigmoid_prime,
    r"$\sigma'(z) = \sigma(z)(1-\sigma(z)) = e^{-|z|}/(1+e^{-|z|})^2$, with a relative error of a "
    r"few units in the last place for every $z$ (the product $\sigma(1-\sigma)$ would lose all "
    r"digits for large $z > 0$, where $1 - \sigma(z)$ cancels).",
)
tanh = _public(_tanh, r"$\tanh z = (e^z-e^{-z})/(e^z+e^{-z})$.")
tanh_prime = _public(
    _tanh_prime,
    r"$\tanh' z = 1 - \tanh^2 z = 4e^{-2|z|}/(1+e^{-2|z|})^2$, with a relative error of a few "
    r"units in the last place for every $z$.",
)
relu = _public(_relu, r"$\mathrm{ReLU}(z) = \max(z, 0)$.")
relu_prime = _public(
    _relu_prime,
    r"$\mathrm{ReLU}'(z) = \mathbf 1[z>0]$, with the convention $\mathrm{ReLU}'(0) = 0$.",
)

#: The slope of leaky ReLU: a real number in (0, 1).
_ALPHA = Real(0.0, 1.0, closed="neither")


@validate(Z=_ANY, alpha=_ALPHA)
def leaky_relu(Z: Any, alpha: float = LEAKY_RELU_ALPHA) -> Any:
    r"""$\operatorname{ReLU}_\alpha(z) = \max(z, \alpha z)$: $z$ for $z>0$, $\alpha z$ for $z\le 0$.

    Arguments:
        Z: any shape.
        alpha: the slope $\alpha\in(0, 1)$ on the negative half-line (default 0.01, PyTorch's).

    Returns:
        the same shape, dtype and namespace as ``Z``.
    """
    return _leaky_relu(namespace(Z), Z, alpha)


@validate(Z=_ANY, alpha=_ALPHA)
def leaky_relu_prime(Z: Any, alpha: float = LEAKY_RELU_ALPHA) -> Any:
    r"""$\operatorname{ReLU}_\alpha'(z) = 1$ for $z>0$, $\alpha$ for $z\le0$ (convention at 0:
    $\alpha$).

    Arguments:
        Z: any shape.
        alpha: the slope $\alpha\in(0, 1)$ (default 0.01).

    Returns:
        the same shape, dtype and namespace as ``Z``.
    """
    return _leaky_relu_prime(namespace(Z), Z, alpha)


softplus = _public(_softplus, r"$\zeta(z) = \log(1+e^z) = \max(z,0) + \log(1+e^{-|z|})$.")
softplus_prime = _public(_softplus_prime, r"$\zeta'(z) = \sigma(z)$, the logistic sigmoid.")
gelu = _public(
    _gelu, r"$\mathrm{GELU}(z) = z\Phi(z)$, $\Phi(z) = \frac12(1+\mathrm{erf}(z/\sqrt2))$."
)
gelu_prime = _public(
    _gelu_prime,
    r"$\mathrm{GELU}'(z) = \Phi(z) + z\varphi(z)$, $\varphi(z) = e^{-z^2/2}/\sqrt{2\pi}$.",
)


# --- softmax (vector-valued) ------------------------------------------------------------------
def _logsumexp(xp: Any, Z: Any) -> Any:
    c = xp.max(Z, axis=1, keepdims=True)
    return c[:, 0] + xp.log(xp.sum(xp.exp(Z - c), axis=1))


def _softmax(xp: Any, Z: Any) -> Any:
    E = xp.exp(Z - xp.max(Z, axis=1, keepdims=True))
    return E / xp.sum(E, axis=1, keepdims=True)


@validate(Z=Array(shape=("m", "K")))
def logsumexp(Z: Any) -> Any:
    r"""Row-wise $\operatorname{lse}(z) = c + \log\sum_k e^{z_k - c}$ with $c = \max_k z_k$.

    Arguments:
        Z: shape ``(m, K)``.

    Returns:
        shape ``(m,)``.
    """
    return _logsumexp(namespace(Z), Z)


@validate(Z=Array(shape=("m", "K")))
def softmax(Z: Any) -> Any:
    r"""Row-wise $\operatorname{softmax}(z)_k = e^{z_k - c}/\sum_j e^{z_j - c}$, $c = \max_j z_j$.

    Arguments:
        Z: shape ``(m, K)`` (a batch of logit vectors, one per row).

    Returns:
        shape ``(m, K)``; each row is a probability vector with positive entries.
    """
    return _softmax(namespace(Z), Z)


@validate(z=Array(shape=("K",)))
def softmax_jacobian(z: Any) -> Any:
    r"""Jacobian of softmax at one logit vector: $J(z) = \operatorname{diag}(s) - s s^\top$.

    Here $s = \operatorname{softmax}(z)$. Implements Proposition `prop-softmax-jacobian`.

    Arguments:
        z: shape ``(K,)``.

    Returns:
        shape ``(K, K)``, symmetric positive semi-definite, with $J\mathbf 1 = 0$.
    """
    xp = namespace(z)
    s = _softmax(xp, z[None, :])[0, :]
    K = s.shape[0]
    eye = xp.eye(K, dtype=z.dtype, device=array_api_compat.device(z))
    return eye * s[None, :] - s[:, None] * s[None, :]


# --- the table of scalar activations ----------------------------------------------------------
def _one_minus_square(A: Any) -> Any:
    r"""$1 - A\odot A$ as a new array; on NumPy in place on the one temporary $A\odot A$ (the same
    numbers, one fresh array instead of two: a fresh large array costs page faults)."""
    D = A * A
    if type(D) is np.ndarray:
        return np.subtract(1.0, D, out=D)
    return 1.0 - D


@dataclass(frozen=True)
class Activation:
    r"""A scalar activation $\sigma$ with its derivative $\sigma'$.

    The three callables are unvalidated kernels taking the array namespace ``xp`` first:
    ``sigma(xp, Z)``, ``sigma_prime(xp, Z)``, and ``derivative(xp, Z, A)``, which returns
    $\sigma'(Z)$ given both $Z$ and $A = \sigma(Z)$, using whichever is cheaper (for example
    $\sigma' = A(1-A)$ for the sigmoid, whose *absolute* error is a few units of $u$: what the
    backward sweep needs, where $\sigma'(Z)$ multiplies $G$); its result is a new array, which
    the caller may overwrite (the backward sweep multiplies $G$ into it). A witness checks that
    ``derivative`` agrees with ``sigma_prime`` to that absolute accuracy and that
    ``sigma_prime`` is the derivative of ``sigma``.
    """

    name: str
    sigma: Callable[..., Any]
    sigma_prime: Callable[..., Any]
    derivative: Callable[..., Any]
    formula: str

    __deepqed_constraints__ = {
        "name": Instance(str, "a str"),
        "sigma": Function(),
        "sigma_prime": Function(),
        "derivative": Function(),
        "formula": Instance(str, "a str (TeX)"),
    }

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("identity", _identity, _identity_prime, lambda xp, Z, A: xp.ones_like(Z), r"z"),
        Activation(
            "sigmoid", _sigmoid, _sigmoid_prime, lambda xp, Z, A: A * (1.0 - A), r"1/(1+e^{-z})"
        ),
        Activation("tanh", _tanh, _tanh_prime, lambda xp, Z, A: _one_minus_square(A), r"\tanh z"),
        Activation("relu", _relu, _relu_prime, lambda xp, Z, A: _relu_prime(xp, Z), r"\max(z,0)"),
        Activation(
            "leaky_relu",
            _leaky_relu,
            _leaky_relu_prime,
            lambda xp, Z, A: _leaky_relu_prime(xp, Z),
            r"\max(z,\alpha z)",
        ),
        Activation(
            "softplus", _softplus, _softplus_prime, lambda xp, Z, A: _sigmoid(xp, Z), r"\log(1+e^z)"
        ),
        Activation("gelu", _gelu, _gelu_prime, lambda xp, Z, A: _gelu_prime(xp, Z), r"z\,\Phi(z)"),
    )
}
"""The scalar activations of Definition `def-standard-activations`, by name."""
