"""Neural networks: activations, multilayer perceptrons, backpropagation."""

from .activations import (
    ACTIVATIONS,
    Activation,
    gelu,
    gelu_prime,
    identity,
    identity_prime,
    leaky_relu,
    leaky_relu_prime,
    logsumexp,
    relu,
    relu_prime,
    sigmoid,
    sigmoid_prime,
    softmax,
    softmax_jacobian,
    softplus,
    softplus_prime,
    tanh,
    tanh_prime,
)
from .mlp import Architecture, Forward, Parameters, forward, init_parameters, realization
from .backprop import backprop, loss_and_gradient, sgd_step

__all__ = [
    "ACTIVATIONS", "Activation", "gelu", "gelu_prime", "identity", "identity_prime",
    "leaky_relu", "leaky_relu_prime", "logsumexp", "relu", "relu_prime", "sigmoid",
    "sigmoid_prime", "softmax", "softmax_jacobian", "softplus", "softplus_prime", "tanh",
    "tanh_prime", "Architecture", "Forward", "Parameters", "forward", "init_parameters",
    "realization", "backprop", "loss_and_gradient", "sgd_step",
]
