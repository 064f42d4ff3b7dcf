"""The witnesses of the chapter *Linear models*, each handed deliberately broken implementations
and bounds with weakened constants (``BROKEN``; also read by ``test_witnesses.py``). Each broken
function is plausible: a transposition, a missing factor, a cut-off that is absolute instead of
relative, a cancellation, a bound twice too large."""

from __future__ import annotations

import math
import warnings

import numpy as np
import scipy.optimize
from broken_implementations import detects_broken

from deepqed import linear
from deepqed.witnesses.linear import gd as W_gd
from deepqed.witnesses.linear import least_squares as W_ls
from deepqed.witnesses.linear import logistic as W_log
from deepqed.witnesses.linear import ridge as W_ridge


# --- least squares ------------------------------------------------------------------------------
def _objective_no_half(w, X, y):
    return 2 * linear.least_squares_objective(w, X, y)


def _normal_equations_reversed(X, y):
    return np.linalg.lstsq(X[:, ::-1], y, rcond=None)[0]


def _condition_number_squared(X):
    return linear.condition_number(X) ** 2


def _silent_normal_equations(X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return linear.normal_equations(X, y)


def _pinv_transposed(X, rcond=None):
    return linear.pinv(X).T.reshape(X.shape[1], X.shape[0])


def _pinv_absolute_cutoff(X, rcond=None):
    """Singular values below rcond (not rcond * s_1) treated as zero."""
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    rc = max(X.shape) * np.finfo(X.dtype).eps if rcond is None else rcond
    keep = s > rc
    return ((Vt[keep].T / s[keep]) @ U[:, keep].T).astype(X.dtype)


def _pinv_no_cutoff(X, rcond=None):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    with np.errstate(divide="ignore"):
        return (Vt.T / s) @ U.T


def _min_norm_plus_kernel(X, y, rcond=None):
    w = linear.min_norm_least_squares(X, y, rcond)
    _, s, Vt = np.linalg.svd(X)
    r = int(np.sum(s > 1e-10 * s[0]))
    return w + Vt[r:].sum(axis=0).astype(X.dtype)


def _min_norm_absolute_cutoff(X, y, rcond=None):
    return _pinv_absolute_cutoff(X, rcond) @ y


# --- ridge --------------------------------------------------------------------------------------
def _ridge_objective_no_half(w, X, y, lam):
    return linear.ridge_objective(w, X, y, lam) + 0.5 * lam * np.sum(w * w)


def _ridge_half(X, y, lam):
    return linear.ridge(X, y, lam / 2)


def _ridge_bound_doubled(lam, y_norm, s_r):
    return 2 * lam * y_norm / (s_r * (s_r * s_r + lam))


def _ridge_bias_sign(X, w_star, lam):
    return -linear.ridge_bias(X, w_star, lam)


def _ridge_cov_squared_sigma(X, sigma, lam):
    return linear.ridge_covariance(X, sigma**2, lam)


def _bias_variance_inflated(X, w_star, sigma, lam):
    b, v = linear.ridge_bias_variance(X, w_star, sigma, lam)
    return b, v * (1 + lam)


# --- gradient descent ---------------------------------------------------------------------------
def _gd_mean_gradient(X, y, eta, steps, w0=None):
    return linear.gd_least_squares(X, y, eta / X.shape[0], steps, w0)


def _gd_half_step(X, y, eta, steps, w0=None):
    return linear.gd_least_squares(X, y, 0.5 * eta, steps, w0)


def _gd_late(X, y, eta, steps, w0=None):
    """Returns w_1, ..., w_{T+1} labelled as w_0, ..., w_T (an off-by-one)."""
    return linear.gd_least_squares(X, y, eta, steps + 1, w0)[1:]


def _gd_ignores_w0(X, y, eta, steps, w0=None):
    return linear.gd_least_squares(X, y, eta, steps)


def _gd_filter_off_by_one(s, eta, t):
    return linear.gd_filter(s, eta, t + 1)


def _gd_filter_cancelling(s, eta, t):
    """(1 - (1 - eta s^2)^t) / s as written: cancellation for small eta s^2."""
    return (1 - (1 - eta * s * s) ** t) / s


def _ridge_filter_squared(s, lam):
    return s / (s * s + lam**2)


def _contraction_halved_exponent(eta, s):
    return math.sqrt(float(np.max(np.abs(1 - eta * s**2))))


def _rate_factor_weakened(kappa):
    return 1 - 1 / (2 * kappa)


def _sandwich_upper_doubled(r):
    return r, 4 * r


def _sandwich_lower_halved(r):
    return r / 2, 2 * r


# --- logistic regression ------------------------------------------------------------------------
def _losses_cancelling(w, X, y):
    z = X @ w
    return np.logaddexp(0, z) - y * z


def _loss_sum(w, X, y):
    return linear.logistic_loss(w, X, y) * X.shape[0]


def _gradient_no_mean(w, X, y):
    return linear.logistic_gradient(w, X, y) * X.shape[0]


def _hessian_without_weights(w, X, y):
    return X.T @ X / (4 * X.shape[0])


def _smoothness_doubled(X):
    return 2 * np.linalg.norm(X, 2) ** 2 / (4 * X.shape[0])


def _separability_strict_test(X, y):
    """The test of strict separation only: a direction iff some w has ytilde x^T w >= 1."""
    A = (2.0 * y - 1)[:, None] * X
    res = scipy.optimize.linprog(
        np.zeros(X.shape[1]), A_ub=-A, b_ub=-np.ones(len(y)), bounds=[(None, None)] * X.shape[1]
    )
    return linear.Separability(0.0, X.shape[1], res.x if res.status == 0 else None)


def _newton_early(X, y, **kw):
    return linear.logistic_newton(X, y, tol=1e-2)


def _newton_damped(X, y, w0=None, tol=None, max_iter=100):
    """Gradient steps of length 4m/beta instead of Newton steps."""
    eta = 4 * X.shape[0] / np.linalg.norm(X, 2) ** 2
    W = linear.logistic_gd(X, y, eta, min(max_iter, 200))
    g = linear.logistic_gradient(W[-1], X, y)
    return linear.LogisticFit(W[-1], min(max_iter, 200), True, float(np.max(np.abs(g))))


def _hessian_lipschitz_doubled(X):
    return 2 * linear.hessian_lipschitz(X)


def _logistic_gd_ascent(X, y, eta, steps, w0=None):
    return -linear.logistic_gd(X, y, eta, steps, w0)


def _gd_bound_doubled(R2, eta, T):
    return R2 / (eta * T)


def _part1_doubled(c, gamma_):
    return 2 * math.exp(-c * gamma_)


def _part3_halved(L, R):
    return 0.5 * math.log(1 / math.expm1(L)) / R


BROKEN = [
    (W_ls.objective_vs_torch, {"least_squares_objective": _objective_no_half}, "no 1/2"),
    (
        W_ls.normal_equations_characterise_minimisers,
        {"normal_equations": _normal_equations_reversed},
        "columns reversed",
    ),
    (
        W_ls.normal_equations_characterise_minimisers,
        {"least_squares_objective": _objective_no_half},
        "objective without 1/2",
    ),
    (W_ls.conditioning_squares, {"condition_number": _condition_number_squared}, "kappa squared"),
    (W_ls.conditioning_squares, {"normal_equations": _silent_normal_equations}, "no warning"),
    (W_ls.pinv_from_factors, {"pinv": _pinv_transposed}, "transposed"),
    (W_ls.pinv_from_factors, {"pinv": _pinv_absolute_cutoff}, "absolute cut-off"),
    (W_ls.penrose_conditions, {"pinv": _pinv_no_cutoff}, "no cut-off"),
    (W_ls.min_norm_solution, {"min_norm_least_squares": _min_norm_plus_kernel}, "kernel vector"),
    (
        W_ls.min_norm_solution,
        {"min_norm_least_squares": _min_norm_absolute_cutoff},
        "absolute cut-off",
    ),
    (W_ridge.ridge_objective_vs_torch, {"ridge_objective": _ridge_objective_no_half}, "no 1/2"),
    (W_ridge.ridge_solution_forms, {"ridge": _ridge_half}, "lambda / 2"),
    (W_ridge.ridge_solution_forms, {"bound": _ridge_bound_doubled}, "part 4 bound doubled"),
    (W_ridge.bias_covariance_monte_carlo, {"ridge_bias": _ridge_bias_sign}, "sign of the bias"),
    (
        W_ridge.bias_covariance_monte_carlo,
        {"ridge_covariance": _ridge_cov_squared_sigma},
        "sigma^2 for sigma",
    ),
    (W_ridge.tradeoff_monotone, {"ridge_bias_variance": _bias_variance_inflated}, "variance"),
    (W_gd.gd_vs_torch_autograd, {"gd_least_squares": _gd_mean_gradient}, "gradient / m"),
    (W_gd.gd_converges, {"gd_least_squares": _gd_ignores_w0}, "w0 ignored"),
    (W_gd.gd_converges, {"contraction": _contraction_halved_exponent}, "rho^(t/2)"),
    (W_gd.gd_rate, {"gd_least_squares": _gd_half_step}, "half step"),
    (W_gd.gd_rate, {"factor": _rate_factor_weakened}, "1 - 1/(2 kappa)"),
    (W_gd.gd_implicit_bias, {"gd_least_squares": _gd_mean_gradient}, "gradient / m"),
    (W_gd.gd_spectral_filter, {"gd_least_squares": _gd_late}, "off by one step"),
    (W_gd.gd_spectral_filter, {"gd_filter": _gd_filter_off_by_one}, "filter t + 1"),
    (W_gd.gd_spectral_filter, {"gd_filter": _gd_filter_cancelling}, "cancellation"),
    (W_gd.early_stopping_sandwich, {"gd_filter": _gd_filter_off_by_one}, "filter t + 1"),
    (W_gd.early_stopping_sandwich, {"ridge_filter": _ridge_filter_squared}, "lambda^2"),
    (W_gd.early_stopping_sandwich, {"sandwich": _sandwich_upper_doubled}, "4 r"),
    (W_gd.early_stopping_sandwich, {"sandwich": _sandwich_lower_halved}, "r / 2"),
    (W_log.loss_vs_definition, {"logistic_losses": _losses_cancelling}, "cancellation"),
    (W_log.mle_is_loss, {"logistic_loss": _loss_sum}, "sum for mean"),
    (W_log.derivatives_vs_autograd, {"logistic_gradient": _gradient_no_mean}, "no 1/m"),
    (W_log.derivatives_vs_autograd, {"logistic_hessian": _hessian_without_weights}, "D = I/4"),
    (W_log.convex_and_smooth, {"logistic_gradient": _gradient_no_mean}, "no 1/m"),
    (W_log.convex_and_smooth, {"smoothness": _smoothness_doubled}, "beta / (2m)"),
    (
        W_log.minimiser_certificate,
        {"separability": _separability_strict_test},
        "strict separation only",
    ),
    (W_log.newton_vs_sklearn, {"logistic_newton": _newton_early}, "stops at 1e-2"),
    (
        W_log.newton_quadratic_step,
        {"hessian_lipschitz": _hessian_lipschitz_doubled},
        "2 M",
    ),
    (W_log.newton_quadratic_step, {"logistic_newton": _newton_damped}, "gradient steps"),
    (W_log.convex_gd_bound, {"logistic_gd": _logistic_gd_ascent}, "ascent"),
    (W_log.convex_gd_bound, {"bound": _gd_bound_doubled}, "R^2 / (eta T)"),
    (W_log.separable_divergence, {"logistic_loss": _loss_sum}, "sum for mean"),
    (W_log.separable_divergence, {"part1": _part1_doubled}, "2 exp(-c gamma)"),
    (W_log.separable_divergence, {"part3": _part3_halved}, "half the lower bound"),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
