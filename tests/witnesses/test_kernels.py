"""The witnesses of the chapter *Kernel methods* fail when handed deliberately broken code."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed import kernels, registry
from deepqed.witnesses.kernels import krr as W_krr
from deepqed.witnesses.kernels import psd as W_psd
from deepqed.witnesses.kernels import relu as W_relu
from deepqed.witnesses.kernels import rff as W_rff
from deepqed.witnesses.kernels import rkhs as W_rkhs


def _rng(seed=0):
    return np.random.default_rng(seed)


# --- broken implementations -------------------------------------------------------------------
def gram_unsquared_gaussian(k, X, Z=None):
    """The Gaussian kernel with exp(-gamma |x - z|) (distance not squared)."""
    if isinstance(k, kernels.Gaussian):
        Z = X if Z is None else Z
        return np.exp(-k.gamma * np.sqrt(kernels.squared_distances(X, Z))).astype(X.dtype)
    return kernels.gram(k, X, Z)


def gram_cho_saul(k, X, Z=None):
    """The arc-cosine kernel with Cho and Saul's normalisation (twice ours)."""
    K = kernels.gram(k, X, Z)
    return 2 * K if isinstance(k, kernels.ArcCosine) else K


def gram_laplacian_l2(k, X, Z=None):
    """The Laplacian kernel with the Euclidean instead of the l1 distance."""
    if isinstance(k, kernels.Laplacian):
        Z = X if Z is None else Z
        return np.exp(-k.gamma * np.sqrt(kernels.squared_distances(X, Z)))
    return kernels.gram(k, X, Z)


def gram_negated(k, X, Z=None):
    return -kernels.gram(k, X, Z)


def gram_negative_distances(k, X, Z=None):
    """-|x - z|^2: zero diagonal, trace 0, not PSD."""
    return -kernels.squared_distances(X, X if Z is None else Z)


def gram_polynomial_without_c(k, X, Z=None):
    if isinstance(k, kernels.Polynomial):
        Z = X if Z is None else Z
        return (k.gamma * X @ Z.T) ** k.degree
    return kernels.gram(k, X, Z)


def gram_plus_constant(k, X, Z=None):
    return kernels.gram(k, X, Z) + 0.1


def krr_fit_lambda_unscaled(k, X, y, lam):
    """The shift lambda instead of m lambda (scikit-learn's alpha = lambda)."""
    return kernels.krr_fit(k, X, y, lam / X.shape[0])


def ksvm_decision_without_b(model, X_test):
    return kernels.ksvm_decision(model, X_test) - model.b


def rff_init_half_variance(k, d, D, *, rng, dtype=np.float64):
    """omega ~ N(0, gamma I) instead of N(0, 2 gamma I)."""
    p = kernels.rff_init(k, d, D, rng=rng, dtype=dtype)
    return kernels.RFFParams(p.omega / math.sqrt(2), p.b)


def rff_features_without_sqrt2(params, X):
    return kernels.rff_features(params, X) / math.sqrt(2)


def spectral_sample_half_variance(k, d, D, *, rng, dtype=np.float64):
    return kernels.spectral_sample(k, d, D, rng=rng, dtype=dtype) / math.sqrt(2)


def empirical_kernel_abs(W, X, Z=None):
    """|w^T x| instead of ReLU(w^T x)."""
    Z = X if Z is None else Z
    return np.abs(X @ W.T) @ np.abs(Z @ W.T).T / W.shape[0]


def feature_ridge_lambda_unscaled(Phi, y, lam):
    return kernels.feature_ridge(Phi, y, lam / Phi.shape[0])


def inner_shifted(u, v):
    """An inner product off by a constant: K is then no Gram matrix of the features."""
    return float(np.dot(u, v)) - 0.5


def cos_plus_sin(t):
    """A profile that is not even: sum_k a_k (cos + sin)(w_k^T Delta) is not a PSD kernel."""
    return np.cos(t) + np.sin(t) - 0.2


BROKEN = [
    (W_psd.gram_matches_sklearn, {"gram": gram_unsquared_gaussian}),
    (W_psd.feature_map_gram_is_psd, {"inner": inner_shifted}),
    (W_rff.bochner_measures_give_psd, {"profile": cos_plus_sin}),
    (W_psd.gram_matches_sklearn, {"gram": gram_cho_saul}),
    (W_psd.gram_matches_sklearn, {"gram": gram_laplacian_l2}),
    (W_psd.schur_product_is_psd, {"product": np.subtract}),
    (W_psd.closure_constructions_are_psd, {"gram": gram_negated}),
    (W_psd.standard_kernels_are_psd, {"gram": gram_negative_distances}),
    (W_rkhs.rkhs_properties_finite_dimensional, {"gram": gram_polynomial_without_c}),
    (W_rkhs.span_inner_product_matches_features, {"gram": gram_polynomial_without_c}),
    (W_rkhs.moore_aronszajn_on_spans, {"gram": gram_plus_constant}),
    (W_krr.representer_span_suffices, {"krr_fit": krr_fit_lambda_unscaled}),
    (W_krr.krr_matches_sklearn, {"krr_fit": krr_fit_lambda_unscaled}),
    (W_krr.kernel_svm_matches_sklearn, {"ksvm_decision": ksvm_decision_without_b}),
    (W_rff.bochner_by_quadrature, {"gram": gram_laplacian_l2}),
    (W_rff.rff_sampler_and_features, {"rff_init": rff_init_half_variance}),
    (W_rff.rff_sampler_and_features, {"rff_features": rff_features_without_sqrt2}),
    (W_rff.rff_unbiased_monte_carlo, {"rff_features": rff_features_without_sqrt2}),
    (W_rff.rff_unbiased_monte_carlo, {"rff_init": rff_init_half_variance}),
    (W_rff.rff_hoeffding_frequency, {"rff_features": rff_features_without_sqrt2}),
    (W_rff.rff_uniform_bound, {"spectral_sample": spectral_sample_half_variance}),
    (W_relu.arccos_formula_monte_carlo, {"gram": gram_cho_saul}),
    (W_relu.empirical_kernel_converges, {"empirical_relu_kernel": empirical_kernel_abs}),
    (W_relu.feature_ridge_equals_kernel_ridge, {"feature_ridge": feature_ridge_lambda_unscaled}),
]


@pytest.mark.parametrize(
    ("witness", "broken"),
    BROKEN,
    ids=[f"{w.__name__}-{next(iter(b.values())).__name__}" for w, b in BROKEN],
)
def test_witness_fails_on_broken_implementation(witness, broken):
    for seed in (0, 1):
        figures = witness(_rng(seed), **broken)
        assert not figures.passed, (seed, figures)


def test_every_comparing_witness_is_registered():
    names = {
        w.name
        for w in registry.load().witnesses()
        if w.source.startswith("deepqed.witnesses.kernels.")
    }
    assert {w.__name__ for w, _ in BROKEN} <= names
