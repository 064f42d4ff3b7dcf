"""Witnesses of the chapter *Wide networks*: each detects a broken implementation (``BROKEN`` is
read by ``test_witnesses.py``). Every bound's witness is also shown rejecting the bound with its
constant weakened (strengthened claims: a smaller bound)."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import wide
from deepqed.witnesses.wide import gram as W_gram
from deepqed.witnesses.wide import lazy as W_lazy
from deepqed.witnesses.wide import tangent as W_tan
from deepqed.witnesses.wide import training as W_train


def _jacobian_sqrt_m(X, W, a, gamma=0.5):
    return wide.two_layer_jacobian(X, W, a, gamma) * math.sqrt(W.shape[0]) ** (2 * gamma - 1)


def _gram_without_a_squared(X, W, a, gamma=0.5):
    S = (X @ W.T > 0).astype(X.dtype)
    return (X @ X.T) * ((S * a) @ S.T) / X.dtype.type(W.shape[0] ** (2 * gamma))


def _hinf_theta(X):
    G = X @ X.T
    return G / 2 - wide.h_infinity(X)  # G theta / (2 pi)


def _variance_p_squared(X):
    V = wide.h0_variance(X)
    H = wide.h_infinity(X)
    G = X @ X.T
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(G != 0, H / np.where(G != 0, G, 1), 0.5)
    return np.where(G != 0, G * G * p * p, V)


def _ntk_without_first_layer(X, Ws, c_w=2.0):
    J = wide.mlp_jacobian(X, Ws, c_w)
    return sum(Jl.reshape(X.shape[0], -1) @ Jl.reshape(X.shape[0], -1).T for Jl in J[1:])


def _jacobian_relu_prime_one(X, Ws, c_w=2.0):
    # backpropagates through ReLU'(z) = 1 everywhere (a linear network's derivative)
    A, Z, s = [X], [], []
    for l, W in enumerate(Ws):
        sl = math.sqrt(c_w / W.shape[1])
        z = sl * (A[-1] @ W.T)
        s.append(sl)
        Z.append(z)
        if l < len(Ws) - 1:
            A.append(np.maximum(z, 0))
    D = [np.ones_like(Z[-1])]
    for l in range(len(Ws) - 1, 0, -1):
        D.insert(0, D[0] @ (s[l] * Ws[l]))
    return [s[l] * D[l][:, :, None] * A[l][:, None, :] for l in range(len(Ws))]


def _ntk_limit_without_derivative_term(X, depth, c_w=2.0):
    if depth == 1:
        return wide.ntk_limit(X, 1, c_w)
    from deepqed.wide.tangent import _arccos_of

    S = c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth - 1):
        S = c_w * _arccos_of(S)[0]
    return S


BROKEN = [
    (
        W_gram.two_layer_kernel_matches_autograd,
        {"two_layer_jacobian": _jacobian_sqrt_m},
        "Jacobian scaled by m^(-1/2) whatever gamma is",
    ),
    (
        W_gram.two_layer_kernel_matches_autograd,
        {"two_layer_gram": _gram_without_a_squared},
        "a_r instead of a_r^2 in the Gram matrix",
    ),
    (
        W_gram.hinf_closed_form_and_fluctuations,
        {"h_infinity": _hinf_theta},
        "theta instead of pi - theta in H^inf",
    ),
    (
        W_gram.hinf_closed_form_and_fluctuations,
        {"h0_variance": _variance_p_squared},
        "p^2 instead of p (1 - p) in the variance",
    ),
    (
        W_gram.hinf_is_positive_definite,
        {"h_infinity": lambda X: X @ X.T / 2},
        "the linear kernel X X^T / 2 (singular for n > d)",
    ),
    (
        W_gram.h0_concentrates,
        {"h0_deviation_radius": lambda X, m, delta: wide.h0_deviation_radius(X, m, delta) / 2},
        "Hoeffding's radius halved (weakened constant)",
    ),
    (
        W_tan.deep_tangent_kernel_matches_autograd,
        {"mlp_jacobian": _jacobian_relu_prime_one},
        "ReLU' = 1 in backpropagation",
    ),
    (
        W_tan.deep_tangent_kernel_matches_autograd,
        {"mlp_ntk": _ntk_without_first_layer},
        "tangent kernel without the first layer's term",
    ),
    (
        W_tan.function_space_step,
        {"mlp_ntk": lambda X, Ws, c_w=2.0: 2 * wide.mlp_ntk(X, Ws, c_w)},
        "kernel doubled (function-space step off by a factor 2)",
    ),
    (
        W_tan.tangent_kernel_converges,
        {"ntk_limit": _ntk_limit_without_derivative_term},
        "the Gaussian-process kernel Sigma^L instead of Theta^L",
    ),
    (
        W_train.kernel_lower_bound_gives_linear_convergence,
        {
            "flow_bounds": lambda r0, lam, t, beta: (
                math.exp(-1.1 * lam * t) * r0,
                wide.flow_bounds(r0, lam, t, beta)[1],
            )
        },
        "rate 1.1 lambda instead of lambda (weakened constant)",
    ),
    (
        W_train.kernel_lower_bound_gives_linear_convergence,
        {
            "flow_bounds": lambda r0, lam, t, beta: (
                wide.flow_bounds(r0, lam, t, beta)[0],
                wide.flow_bounds(r0, lam, t, beta)[1] / 4,
            )
        },
        "movement bound divided by 4 (weakened constant)",
    ),
    (
        W_train.wide_two_layer_gd_converges,
        {"du_movement_bound": lambda n, m, r0, lambda0: 4 * math.sqrt(n) * r0 / (m * lambda0)},
        "movement bound O(1/m) instead of O(m^(-1/2))",
    ),
    (
        W_train.linearised_training_closed_form,
        {
            "linearised_residuals": lambda Theta, r0, eta, steps: wide.linearised_residuals(
                Theta, r0, eta, steps + 1
            )[1:]
        },
        "one step ahead: (I - eta Theta)^(k+1)",
    ),
    (
        W_train.linearised_training_closed_form,
        {
            "kernel_regression_limit": lambda Theta_test, Theta, f0, r0: (
                f0 - Theta_test @ np.linalg.solve(Theta + 1e-3 * np.eye(len(r0)), r0)
            )
        },
        "ridge instead of interpolation in the limit",
    ),
    (
        W_lazy.lazy_training_rates,
        {
            "lazy_bounds": lambda M, Lam, t, y, alpha: (
                M * t * y / alpha**2,
                M * M * Lam * t * t * y * y / alpha**2,
            )
        },
        "bounds O(1/alpha^2) instead of O(1/alpha) (weakened constant)",
    ),
    (
        W_lazy.lazy_training_rates,
        {
            "lazy_flow": lambda X, y, W0, a, alpha, T, steps, centred=True: wide.lazy_flow(
                X, y, W0, a, alpha, T, steps, centred=False
            )
        },
        "the model not centred",
    ),
    (
        W_lazy.wide_networks_are_lazy,
        {
            "lazy_constants": lambda X, m: (
                wide.lazy_constants(X, m)[0] / 8,
                wide.lazy_constants(X, m)[1],
            )
        },
        "bound M on the Jacobian divided by 8 (weakened constant)",
    ),
    (
        W_lazy.mean_field_neurons_move,
        {
            "two_layer_gd": lambda X, y, W, a, eta, steps, gamma=0.5: wide.two_layer_gd(
                X, y, W, a, eta * W.shape[0] ** (1 - 2 * gamma), steps, gamma
            )
        },
        "learning rate not scaled by m^(2 gamma - 1)",
    ),
    (
        W_lazy.mean_field_neurons_move,
        {
            "mean_movement_lower_bound": lambda m, gamma, du, x_norms: (
                1.1 * wide.mean_movement_lower_bound(m, gamma, du, x_norms)
            )
        },
        "lower bound of part 3 multiplied by 1.1 (weakened constant)",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
