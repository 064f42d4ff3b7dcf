"""The witnesses of the chapter *Linear models* fail when handed deliberately broken
implementations (each broken function is plausible: a transposition, a missing factor, a wrong
cut-off), so their passing is evidence."""

from __future__ import annotations

import numpy as np
import pytest

from deepqed import linear
from deepqed.witnesses.linear import gd as W_gd
from deepqed.witnesses.linear import least_squares as W_ls
from deepqed.witnesses.linear import logistic as W_log
from deepqed.witnesses.linear import ridge as W_ridge


def _pinv_no_cutoff(X, rcond=None):
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    with np.errstate(divide="ignore"):
        return (Vt.T / s) @ U.T


def _pinv_transposed(X, rcond=None):
    return linear.pinv(X).T.reshape(X.shape[1], X.shape[0])


def _min_norm_plus_kernel(X, y, rcond=None):
    w = linear.min_norm_least_squares(X, y)
    _, s, Vt = np.linalg.svd(X)
    r = int(np.sum(s > 1e-10 * s[0]))
    return w + Vt[r:].sum(axis=0)


def _ridge_half(X, y, lam):
    return linear.ridge(X, y, lam / 2)


def _ridge_bias_sign(X, w_star, lam):
    return -linear.ridge_bias(X, w_star, lam)


def _ridge_cov_squared_sigma(X, sigma, lam):
    return linear.ridge_covariance(X, sigma**2, lam)


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


def _ridge_filter_squared(s, lam):
    return s / (s * s + lam**2)


def _losses_cancelling(w, X, y):
    z = X @ w
    return np.logaddexp(0, z) - y * z


def _gradient_no_mean(w, X, y):
    return linear.logistic_gradient(w, X, y) * X.shape[0]


def _hessian_without_weights(w, X, y):
    return X.T @ X / (4 * X.shape[0])


def _loss_sum(w, X, y):
    return linear.logistic_loss(w, X, y) * X.shape[0]


def _newton_early(X, y, **kw):
    return linear.logistic_newton(X, y, tol=1e-2)


def _logistic_gd_ascent(X, y, eta, steps, w0=None):
    return linear.logistic_gd(X, y, -eta if eta < 0 else eta, steps, w0) * np.array(-1.0)


def _objective_no_half(w, X, y):
    return 2 * linear.least_squares_objective(w, X, y)


def _ridge_objective_no_half(w, X, y, lam):
    return linear.ridge_objective(w, X, y, lam) + 0.5 * lam * np.sum(w * w)


def _condition_number_squared(X):
    return linear.condition_number(X) ** 2


def _normal_equations_lstsq_gelsy(X, y):
    return np.linalg.lstsq(X[:, ::-1], y, rcond=None)[0]


def _bias_variance_swapped(X, w_star, sigma, lam):
    b, v = linear.ridge_bias_variance(X, w_star, sigma, lam)
    return b, v * (1 + lam)


BROKEN = [
    (W_ls.objective_vs_torch, "least_squares_objective", _objective_no_half),
    (
        W_ls.normal_equations_characterise_minimisers,
        "normal_equations",
        _normal_equations_lstsq_gelsy,
    ),
    (W_ls.conditioning_squares, "condition_number", _condition_number_squared),
    (W_ls.pinv_vs_numpy, "pinv", _pinv_transposed),
    (W_ls.penrose_conditions, "pinv", _pinv_no_cutoff),
    (W_ls.min_norm_solution, "min_norm_least_squares", _min_norm_plus_kernel),
    (W_ridge.ridge_objective_vs_torch, "ridge_objective", _ridge_objective_no_half),
    (W_ridge.ridge_vs_sklearn, "ridge", _ridge_half),
    (W_ridge.bias_covariance_monte_carlo, "ridge_bias", _ridge_bias_sign),
    (W_ridge.bias_covariance_monte_carlo, "ridge_covariance", _ridge_cov_squared_sigma),
    (W_ridge.tradeoff_monotone, "ridge_bias_variance", _bias_variance_swapped),
    (W_gd.gd_vs_torch_autograd, "gd_least_squares", _gd_mean_gradient),
    (W_gd.gd_rate, "gd_least_squares", _gd_half_step),
    (W_gd.gd_converges, "gd_least_squares", _gd_ignores_w0),
    (W_gd.gd_implicit_bias, "gd_least_squares", _gd_mean_gradient),
    (W_gd.gd_spectral_filter, "gd_least_squares", _gd_late),
    (W_gd.gd_spectral_filter, "gd_filter", _gd_filter_off_by_one),
    (W_gd.early_stopping_sandwich, "gd_filter", _gd_filter_off_by_one),
    (W_gd.early_stopping_sandwich, "ridge_filter", _ridge_filter_squared),
    (W_log.loss_vs_torch, "logistic_losses", _losses_cancelling),
    (W_log.mle_is_loss, "logistic_loss", _loss_sum),
    (W_log.derivatives_vs_autograd, "logistic_gradient", _gradient_no_mean),
    (W_log.derivatives_vs_autograd, "logistic_hessian", _hessian_without_weights),
    (W_log.convex_and_smooth, "logistic_gradient", _gradient_no_mean),
    (W_log.newton_vs_sklearn, "logistic_newton", _newton_early),
    (W_log.convex_gd_bound, "logistic_gd", _logistic_gd_ascent),
    (W_log.separable_divergence, "logistic_loss", _loss_sum),
]


@pytest.mark.parametrize(
    ("witness", "argument", "broken"),
    BROKEN,
    ids=[f"{w.__name__}-{b.__name__}" for w, _, b in BROKEN],
)
def test_witness_fails_on_broken_implementation(witness, argument, broken):
    figures = witness(np.random.default_rng(0), **{argument: broken})
    assert not figures.passed, figures


def test_gd_rate_fails_with_a_slower_step():
    def slow(X, y, eta, steps, w0=None):
        return linear.gd_least_squares(X, y, 0.5 * eta, steps, w0)

    assert not W_gd.gd_rate(np.random.default_rng(0), gd_least_squares=slow).passed


def test_conditioning_warning_is_checked():
    def silent(X, y):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return linear.normal_equations(X, y)

    assert not W_ls.conditioning_squares(np.random.default_rng(0), normal_equations=silent).passed
