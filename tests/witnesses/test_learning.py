"""The witnesses of the chapter *The learning problem*, each handed deliberately broken
implementations (``BROKEN``; also run by ``test_witnesses.py``): wrong code, wrong conventions (ties,
offsets) and every bound with its constant weakened."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed import learning
from deepqed.witnesses.learning import decomposition as W_dec
from deepqed.witnesses.learning import excess as W_exc
from deepqed.witnesses.learning import finite as W_fin
from deepqed.witnesses.learning import setting as W_set


def _risk_times_half(yhat, y, *, loss="squared"):
    return 0.5 * learning.empirical_risk(yhat, y, loss=loss)


def _risk_as_sum(yhat, y, *, loss="squared"):
    return learning.empirical_risk(yhat, y, loss=loss) * np.shape(yhat)[-1]


def _shrunk_fit(x, y, degree, *, domain=(-1.0, 1.0)):
    return 0.9 * learning.fit_polynomial(x, y, degree, domain=domain)


def _posterior_without_priors(mix, x):
    flat = learning.GaussianMixture(tuple([1 / mix.K] * mix.K), mix.means, mix.sds)
    return learning.posterior(flat, x)


def _classifier_without_priors(mix, x):
    flat = learning.GaussianMixture(tuple([1 / mix.K] * mix.K), mix.means, mix.sds)
    return learning.bayes_classifier(flat, x)


def _biased_noise_sampler(model, n, *, rng, size=(), dtype=np.float64):
    x, y = learning.sample_regression(model, n, rng=rng, size=size, dtype=dtype)
    return x, y + 0.2


def _std_as_variance(F, f_star, noise):
    bv = learning.bias_variance_decomposition(F, f_star, noise)
    return learning.BiasVariance(bv.bias2, np.sqrt(bv.variance), bv.noise)


def _plug_in_bias(F, f_star, noise):
    bv = learning.bias_variance_decomposition(F, f_star, noise)
    return learning.BiasVariance((np.mean(F, axis=0) - f_star) ** 2, bv.variance, bv.noise)


def _no_variance(F, f_star, noise):
    bv = learning.bias_variance_decomposition(F, f_star, noise)
    return learning.BiasVariance(bv.bias2, 0 * bv.variance, bv.noise)


def _degree_minus_one(x, y, x_test, degree, *, domain=(-1.0, 1.0)):
    return learning.polynomial_regression(x, y, x_test, max(degree - 1, 0), domain=domain)


def _shrunk_predictions(x, y, x_test, degree, *, domain=(-1.0, 1.0)):
    return 0.9 * learning.polynomial_regression(x, y, x_test, degree, domain=domain)


def _knn_one_more(X, y, X_test, k):
    return learning.knn_regression(X, y, X_test, min(k + 1, X.shape[-2]))


def _swapped_excess(risk_output, risk_erm, risk_best, bayes_risk):
    e = learning.excess_risk_decomposition(risk_output, risk_erm, risk_best, bayes_risk)
    return learning.ExcessRisk(e.optimization, e.approximation, e.estimation)


def _projection_unnormalised(f, degree, *, domain=(-1.0, 1.0), nodes=128):
    c = learning.legendre_projection(f, degree, domain=domain, nodes=nodes)
    return c / (2 * np.arange(degree + 1) + 1)


def _ties_to_largest(mix, x):
    """argmax with ties broken towards the largest label."""
    G = learning.class_log_joint(mix, x)[:, ::-1]
    return (mix.K - 1 - np.argmax(G, axis=1)).astype(np.int64)


def _risk_without_noise(model, f, *, nodes=128):
    return learning.squared_risk(model, f, nodes=nodes) - float(
        learning.squared_risk(model, model.f_star, nodes=nodes)
    )


def _sum_of_squares_variance(F, f_star, noise):
    """The one-pass formula (sum F^2 - R Fbar^2) / (R - 1), which cancels under a common offset."""
    R = F.shape[0]
    f_bar = np.mean(F, axis=0)
    variance = (np.sum(F * F, axis=0) - R * f_bar * f_bar) / (R - 1)
    bias2 = (f_bar - f_star) ** 2 - variance / R
    return learning.BiasVariance(bias2, variance, noise.astype(F.dtype))


def _knn_ties_to_larger_index(X, y, X_test, k):
    Xb, yb = (X, y) if X.ndim == 3 else (X[None], y[None])
    D = np.sum((X_test[None, :, None, :] - Xb[:, None, :, :]) ** 2, axis=-1)
    n = D.shape[-1]
    idx = (n - 1 - np.argsort(D[..., ::-1], axis=-1, kind="stable"))[..., :k]
    Yn = np.take_along_axis(np.broadcast_to(yb[:, None, :], D.shape), idx, axis=-1)
    out = np.mean(Yn, axis=-1)
    return out if X.ndim == 3 else out[0]


BROKEN = [
    (W_set.risks_match_definitions, {"empirical_risk": _risk_times_half}, "factor 1/2"),
    (W_set.risks_match_definitions, {"empirical_risk": _risk_as_sum}, "sum instead of mean"),
    (W_set.least_squares_is_erm, {"fit_polynomial": _shrunk_fit}, "shrunk coefficients"),
    (
        W_set.bayes_is_the_infimum,
        {"bayes_classifier": _classifier_without_priors},
        "maximum likelihood instead of maximum posterior",
    ),
    (
        W_set.bayes_is_the_infimum,
        {"squared_risk": _risk_without_noise},
        "risk without the noise term",
    ),
    (
        W_set.regression_function_is_optimal,
        {"sample_regression": _biased_noise_sampler},
        "noise with mean 0.2",
    ),
    (
        W_set.bayes_classifier_is_optimal,
        {"bayes_classifier": _classifier_without_priors},
        "maximum likelihood instead of maximum posterior",
    ),
    (
        W_set.bayes_classifier_is_optimal,
        {"bayes_classifier": _ties_to_largest},
        "exact ties broken towards the largest label",
    ),
    (W_set.bayes_classifier_is_optimal, {"posterior": _posterior_without_priors}, "no priors"),
    (
        W_dec.shrinkage_bias_variance_closed_form,
        {"bias_variance_decomposition": _std_as_variance},
        "standard deviation as variance",
    ),
    (
        W_dec.mc_estimates_are_unbiased,
        {"bias_variance_decomposition": _plug_in_bias},
        "plug-in bias without the var / R correction",
    ),
    (
        W_dec.mc_estimates_are_unbiased,
        {"bias_variance_decomposition": _sum_of_squares_variance},
        "variance by the sum-of-squares formula",
    ),
    (
        W_dec.bias_variance_noise_sum_to_risk,
        {"bias_variance_decomposition": _no_variance},
        "variance term dropped",
    ),
    (
        W_dec.bias_variance_noise_sum_to_risk,
        {"bias_variance_decomposition": _std_as_variance},
        "standard deviation as variance",
    ),
    (W_dec.polyls_matches_references, {"polynomial_regression": _degree_minus_one}, "degree p - 1"),
    (W_dec.knn_matches_references, {"knn_regression": _knn_one_more}, "k + 1 neighbours"),
    (
        W_dec.knn_matches_references,
        {"knn_regression": _knn_ties_to_larger_index},
        "ties broken towards the larger index",
    ),
    (
        W_dec.linear_smoother_fixed_design,
        {"polynomial_regression": _shrunk_predictions},
        "shrunk predictions",
    ),
    (
        W_exc.excess_terms_are_risk_differences,
        {"excess_risk_decomposition": _swapped_excess},
        "estimation and approximation swapped",
    ),
    (
        W_exc.excess_terms_are_risk_differences,
        {"legendre_projection": _projection_unnormalised},
        "best predictor without 2j + 1",
    ),
    (
        W_exc.excess_terms_are_risk_differences,
        {"squared_risk": _risk_without_noise},
        "risks without the noise term",
    ),
    (W_exc.excess_signs_hold, {"fit_polynomial": _shrunk_fit}, "fit is not an ERM"),
    (
        W_exc.projection_matches_quadrature,
        {"legendre_projection": _projection_unnormalised},
        "missing 2j + 1",
    ),
    (
        W_fin.finite_class_bound_holds,
        {
            "uniform_deviation_bound": lambda n, M, delta: (
                learning.uniform_deviation_bound(n, M, delta) / 2
            )
        },
        "epsilon halved",
    ),
    (
        W_fin.finite_class_bound_holds,
        {"uniform_deviation_bound": lambda n, M, delta: math.sqrt(math.log(M / delta) / (2 * n))},
        "one-sided: log(M / delta)",
    ),
    (
        W_fin.finite_class_bound_holds,
        {"uniform_deviation_bound": lambda n, M, delta: math.sqrt(math.log(2 * M / delta) / n)},
        "weakened constant: epsilon sqrt(2) too large",
    ),
    (
        W_fin.finite_erm_guarantee,
        {
            "finite_class_sample_size": lambda eps, M, delta: max(
                1, learning.finite_class_sample_size(eps, M, delta) // 2
            )
        },
        "sample size halved",
    ),
    (
        W_fin.finite_erm_guarantee,
        {"uniform_deviation_bound": lambda n, M, delta: math.sqrt(math.log(2 * M / delta) / n)},
        "weakened constant: epsilon sqrt(2) too large",
    ),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "check,broken,bug", BROKEN, ids=[f"{c.__name__}:{b}" for c, _, b in BROKEN]
)
def test_witness_detects_broken_implementation(check, broken, bug):
    for seed in (0, 1):
        out = check(np.random.default_rng(seed), **broken)
        assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"
    assert check(np.random.default_rng(0)).passed  # the real implementation passes
