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


def gram_gaussian_expansion(k, X, Z=None):
    """The Gaussian kernel from |x|^2 + |z|^2 - 2 x^T z, clipped at 0 and nothing more: repeated
    points of large norm are not at distance 0."""
    if isinstance(k, kernels.Gaussian):
        Z = X if Z is None else Z
        sx = np.sum(X * X, axis=1)[:, None]
        sz = np.sum(Z * Z, axis=1)[None, :]
        return np.exp(-k.gamma * np.maximum(sx + sz - 2 * X @ Z.T, 0)).astype(X.dtype)
    return kernels.gram(k, X, Z)


def gram_cho_saul(k, X, Z=None):
    """The arc-cosine kernel with Cho and Saul's normalisation (twice ours)."""
    K = kernels.gram(k, X, Z)
    return 2 * K if isinstance(k, kernels.ArcCosine) else K


def gram_laplacian_l2(k, X, Z=None):
    """The Laplacian kernel with the Euclidean instead of the l1 distance."""
    if isinstance(k, kernels.Laplacian):
        Z = X if Z is None else Z
        return np.exp(-k.gamma * np.sqrt(kernels.squared_distances(X, Z))).astype(X.dtype)
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


def gram_asymmetric(k, X, Z=None):
    """k(x, z) + 0.1 tanh(sum(x) - sum(z)): not symmetric in its arguments."""
    Z = X if Z is None else Z
    return kernels.gram(k, X, Z) + 0.1 * np.tanh(X.sum(axis=1)[:, None] - Z.sum(axis=1)[None, :])


def gram_plus_constant(k, X, Z=None):
    return kernels.gram(k, X, Z) + 0.1


def psd_check_always(K):
    """Every symmetric matrix declared PSD."""
    return kernels.psd_check(K @ K.T)


def krr_fit_lambda_unscaled(k, X, y, lam):
    """The shift lambda instead of m lambda (scikit-learn's alpha = lambda)."""
    return kernels.krr_fit(k, X, y, lam / X.shape[0])


def rkhs_norm_squared(model):
    """alpha^T K alpha (the squared norm) instead of its square root."""
    return kernels.rkhs_norm(model) ** 2


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


def hoeffding_half_exponent(D, eps):
    """2 exp(-D eps^2 / 16): the exponent halved."""
    return kernels.hoeffding_bound(D, eps / math.sqrt(2))


def hoeffding_doubled(D, eps):
    return 2 * kernels.hoeffding_bound(D, eps)


def rahimi_recht_doubled(**kw):
    return 2 * kernels.rahimi_recht_bound(**kw)


def rahimi_recht_half_exponent(*, d, D, eps, diameter, sigma):
    """2^8 (sigma diam / eps)^2 exp(-D eps^2 / (8 (d + 2))): the exponent halved."""
    return 2.0**8 * (sigma * diameter / eps) ** 2 * math.exp(-D * eps**2 / (8 * (d + 2)))


def empirical_kernel_abs(W, X, Z=None):
    """|w^T x| instead of ReLU(w^T x)."""
    Z = X if Z is None else Z
    return np.abs(X @ W.T) @ np.abs(Z @ W.T).T / W.shape[0]


def variance_bound_doubled(N, x, z):
    """3 |x|^2 |x'|^2 / N: the constant 3/2 doubled."""
    return 2 * W_relu.relu_variance_bound(N, x, z)


def feature_ridge_lambda_unscaled(Phi, y, lam):
    return kernels.feature_ridge(Phi, y, lam / Phi.shape[0])


def inner_shifted(u, v):
    """An inner product off by a constant: K is then no Gram matrix of the features."""
    return float(np.dot(u, v)) - 0.5


def cos_plus_sin(t):
    """A profile that is not even: sum_k a_k (cos + sin)(w_k^T Delta) is not a PSD kernel."""
    return np.cos(t) + np.sin(t) - 0.2


BROKEN = [
    (W_psd.gram_is_pointwise, {"gram": gram_plus_constant}, "k + 0.1"),
    (W_psd.gram_is_pointwise, {"gram": gram_cho_saul}, "arc-cosine times 2"),
    (W_psd.gram_is_pointwise, {"psd_check": psd_check_always}, "every matrix declared PSD"),
    (W_psd.gram_matches_sklearn, {"gram": gram_unsquared_gaussian}, "distance not squared"),
    (W_psd.gram_matches_sklearn, {"gram": gram_cho_saul}, "Cho-Saul normalisation"),
    (W_psd.gram_matches_sklearn, {"gram": gram_laplacian_l2}, "Laplacian with l2"),
    (W_psd.gram_matches_sklearn, {"gram": gram_gaussian_expansion}, "expansion only"),
    (W_psd.feature_map_gram_is_psd, {"inner": inner_shifted}, "inner product - 0.5"),
    (W_psd.schur_product_is_psd, {"product": np.subtract}, "difference"),
    (W_psd.closure_constructions_are_psd, {"gram": gram_negated}, "-K"),
    (W_psd.standard_kernels_are_psd, {"gram": gram_negative_distances}, "-|x - z|^2"),
    (W_rkhs.rkhs_properties_finite, {"gram": gram_polynomial_without_c}, "no c"),
    (W_rkhs.span_identities, {"gram": gram_polynomial_without_c}, "no c"),
    (W_rkhs.span_identities, {"rkhs_norm": rkhs_norm_squared}, "squared norm"),
    (W_rkhs.moore_aronszajn_finite, {"gram": gram_negated}, "-K: <f, f>_0 < 0"),
    (W_rkhs.moore_aronszajn_finite, {"gram": gram_asymmetric}, "k(x, z) != k(z, x)"),
    (W_krr.representer_in_full_space, {"krr_fit": krr_fit_lambda_unscaled}, "lambda not m lambda"),
    (W_krr.krr_closed_form, {"krr_fit": krr_fit_lambda_unscaled}, "lambda not m lambda"),
    (W_krr.krr_closed_form, {"rkhs_norm": rkhs_norm_squared}, "squared norm"),
    (W_krr.kernel_svm_is_linear_svm, {"ksvm_decision": ksvm_decision_without_b}, "no offset"),
    (W_rff.spectral_measures, {"gram": gram_laplacian_l2}, "Laplacian with l2"),
    (W_rff.bochner_easy_direction, {"profile": cos_plus_sin}, "profile not even"),
    (W_rff.rff_sampler_and_features, {"rff_init": rff_init_half_variance}, "omega variance / 2"),
    (W_rff.rff_sampler_and_features, {"rff_features": rff_features_without_sqrt2}, "no sqrt 2"),
    (W_rff.rff_unbiased, {"rff_features": rff_features_without_sqrt2}, "no sqrt 2"),
    (W_rff.rff_unbiased, {"rff_init": rff_init_half_variance}, "omega variance / 2"),
    (W_rff.rff_hoeffding, {"hoeffding_bound": hoeffding_half_exponent}, "exponent halved"),
    (W_rff.rff_hoeffding, {"hoeffding_bound": hoeffding_doubled}, "constant 4"),
    (W_rff.rff_uniform, {"rahimi_recht_bound": rahimi_recht_doubled}, "constant 2^9"),
    (W_rff.rff_uniform, {"rahimi_recht_bound": rahimi_recht_half_exponent}, "exponent halved"),
    (W_relu.arccos_is_relu_expectation, {"gram": gram_cho_saul}, "Cho-Saul normalisation"),
    (W_relu.empirical_kernel_converges, {"empirical_relu_kernel": empirical_kernel_abs}, "|w^T x|"),
    (W_relu.empirical_kernel_converges, {"variance_bound": variance_bound_doubled}, "constant 3"),
    (
        W_relu.feature_ridge_equals_kernel_ridge,
        {"feature_ridge": feature_ridge_lambda_unscaled},
        "lambda not m lambda",
    ),
]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize(
    "check,broken,bug", BROKEN, ids=[f"{c.__name__}:{b}" for c, _, b in BROKEN]
)
def test_witness_detects_broken_implementation(check, broken, bug):
    out = check(_rng(0), **broken)
    assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"
    assert check(_rng(0)).passed  # the real implementation passes


def test_every_witness_has_a_broken_implementation():
    names = {
        w.name
        for w in registry.load().witnesses()
        if w.source.startswith("deepqed.witnesses.kernels.")
    }
    assert names == {c.__name__ for c, _, _ in BROKEN}


@pytest.mark.parametrize("t", [0.0022, 0.05, 0.7, 3.0])
@pytest.mark.parametrize("kernel", [kernels.Gaussian(1.2752), kernels.Laplacian(0.3)])
def test_the_cosine_integral_of_a_spectral_density_is_the_kernel(kernel, t):
    """The quadrature of the spectral-measure witness against the closed forms
    2 int_0^inf cos(w t) p(w) dw = exp(-gamma t^2) (Gaussian) and exp(-gamma |t|) (Laplacian),
    including the small |t| at which QAWF alone returned 8e-10 instead of 1."""
    p = W_rff._density_1d(kernel)
    width = math.sqrt(2 * kernel.gamma) if isinstance(kernel, kernels.Gaussian) else kernel.gamma
    half, err = W_rff._cosine_integral(p, t, 8 * width)
    exact = math.exp(-kernel.gamma * (t * t if isinstance(kernel, kernels.Gaussian) else t))
    assert abs(2 * half - exact) <= 20 * err + 1e-13
    assert err < 1e-6
