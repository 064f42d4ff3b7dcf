"""Witnesses of the regularisation chapter: each detects a broken implementation (``BROKEN`` is
read by ``test_witnesses.py``). The bounds of ``prop-reg-regimes`` and ``prop-reg-igr-quadratic``
are also shown with their constants weakened."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import linear, nn
from deepqed import regularisation as reg
from deepqed.regularisation.margin import MaxMargin
from deepqed.witnesses.regularisation import balance as W_bal
from deepqed.witnesses.regularisation import diagonal as W_diag
from deepqed.witnesses.regularisation import implicit as W_imp
from deepqed.witnesses.regularisation import margin as W_mar
from deepqed.witnesses.regularisation import noise as W_noise


def _imbalances_without_bias(theta):
    return tuple(
        (theta.W[l] ** 2).sum(axis=1) - (theta.W[l + 1] ** 2).sum(axis=0)
        for l in range(len(theta.W) - 1)
    )


def _offset_max_margin(X, y):
    """The SVM with offset on the original data (not the homogeneous problem)."""
    from deepqed import svm

    s = 2 * y - 1
    sol = svm.smo(X @ X.T, s, math.inf, tol=1e-10)
    return (sol.alpha * s) @ X


def _offset_max_margin_dual(X, y, tol=1e-10):
    mm = reg.max_margin_dual(X, y, tol)
    return MaxMargin(_offset_max_margin(X, y), mm.alpha, 0.3)


def _half_bias_gradient(arch, theta, X, Y, loss="squared_error"):
    value, grad = nn.loss_and_gradient(arch, theta, X, Y, loss)
    return value, nn.Parameters(grad.W, tuple(0.5 * b for b in grad.b))


BROKEN = [
    (
        W_bal.euler_identity_holds,
        {"loss_and_gradient": _half_bias_gradient},
        "backpropagation with half the bias gradient",
    ),
    (
        W_bal.linear_networks_conserve_a_matrix,
        {"loss_and_gradient": _half_bias_gradient},
        "backpropagation with half the bias gradient (matrix identity)",
    ),
    (
        W_noise.input_noise_is_ridge,
        {"input_noise_objective": lambda w, X, y, s: reg.input_noise_objective(w, X, y, s / 2)},
        "noise level s/2: the penalty a factor 4 too small",
    ),
    (
        W_noise.input_noise_is_ridge,
        {"input_noise_ridge": lambda X, y, s: linear.ridge(X, y, s * s)},
        "ridge with lambda = s^2 (forgets the factor m)",
    ),
    (
        W_noise.dropout_is_weighted_ridge,
        {"dropout_objective": lambda w, X, y, p: reg.dropout_objective(w, X, y, math.sqrt(p))},
        "penalty with (1 - sqrt p)/sqrt p",
    ),
    (
        W_noise.dropout_is_weighted_ridge,
        {
            "dropout_ridge": lambda X, y, p: linear.ridge(
                X, y, (1 - p) / p * float(np.mean(np.sum(X * X, axis=0)))
            )
        },
        "plain ridge with the mean column energy",
    ),
    (
        W_imp.modified_gradient_is_the_chain_rule,
        {"modified_gradient": lambda g, H, h: g + h / 4 * (H @ g)},
        "h/4 H g (forgets that the gradient of ||g||^2 is 2 H g)",
    ),
    (
        W_imp.gradient_descent_follows_the_modified_flow,
        {"logistic_flow": lambda X, y, t0, T, h, rtol=1e-12: reg.logistic_flow(X, y, t0, T, 2 * h)},
        "modified flow with h/2 instead of h/4",
    ),
    (
        W_imp.quadratic_errors_have_their_constants,
        {
            "quadratic_leading_terms": lambda A, t0, T: tuple(
                1.1 * v for v in reg.quadratic_leading_terms(A, t0, T)
            )
        },
        "leading constants 10% too large",
    ),
    (
        W_imp.quadratic_errors_have_their_constants,
        {
            "quadratic_flows": lambda A, t0, T, h: reg.quadratic_flows(A, t0, T, 0.9 * h),
        },
        "modified flow with 0.9 h",
    ),
    (
        W_bal.gradient_flow_conserves_imbalances,
        {"imbalances": _imbalances_without_bias},
        "imbalance without the bias term",
    ),
    (
        W_bal.gradient_step_drift_is_exact,
        {"imbalances": _imbalances_without_bias},
        "imbalance without the bias term (one step)",
    ),
    (
        W_mar.max_margin_is_the_best_direction,
        {"max_margin": _offset_max_margin},
        "SVM with offset instead of the homogeneous problem",
    ),
    (
        W_mar.mirrored_svm_is_homogeneous,
        {"max_margin_dual": _offset_max_margin_dual},
        "offset solution reported as homogeneous",
    ),
    (
        W_mar.gradient_descent_converges_to_max_margin,
        {"max_margin": _offset_max_margin},
        "SVM with offset as the limit direction",
    ),
    (
        W_mar.gradient_descent_converges_to_max_margin,
        {"residual_limit": lambda X, y, eta: reg.residual_limit(X, y, eta * X.shape[0])},
        "residual limit with the summed loss's step (eta instead of eta/m)",
    ),
    (
        W_diag.diagonal_network_definition,
        {
            "diagonal_gradient": lambda u, v, X, y: tuple(
                g / 2 for g in reg.diagonal_gradient(u, v, X, y)
            )
        },
        "gradient without the factor 2",
    ),
    (
        W_diag.diagonal_network_definition,
        {"potential": lambda w, alpha: reg.potential(w, alpha) * 1.001},
        "potential 0.1% off",
    ),
    (
        W_diag.flow_converges_to_the_potential_minimiser,
        {"diagonal_limit": lambda X, y, alpha: reg.diagonal_limit(X, y, alpha * 1.05)},
        "limit at scale 1.05 alpha",
    ),
    (
        W_diag.kernel_and_rich_regimes,
        {"kernel_bound": lambda w, alpha: np.sum(w**4) / (48 * alpha**4) / 60},
        "kernel bound with constant 1/2880 instead of 1/48",
    ),
    (
        W_diag.kernel_and_rich_regimes,
        {
            "rich_bound": lambda chi1, n, alpha: (
                (chi1 + n + 2 * n * alpha**2) / math.log(1 / alpha**2) / 200
            )
        },
        "rich bound divided by 200",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
