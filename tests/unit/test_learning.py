"""deepqed.learning: risks, data distributions (Section "Data, predictors, risk" and "Bayes
predictors" of the chapter The learning problem)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import mean_squared_error, zero_one_loss
from strategies import float_arrays

from deepqed import learning
from deepqed._validation import ShapeError


@given(data=st.data())
@settings(max_examples=40, deadline=None)
def test_empirical_squared_risk_is_sklearn_mse(data):
    M, n = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 8))
    yhat = data.draw(float_arrays((M, n), bound=50.0))
    y = data.draw(float_arrays((n,), bound=50.0))
    got = learning.empirical_risk(yhat, y)
    ref = [mean_squared_error(y, yhat[m]) for m in range(M)]
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


def test_empirical_zero_one_risk_is_sklearn_zero_one_loss():
    rng = np.random.default_rng(0)
    yhat, y = rng.integers(3, size=(5, 40)), rng.integers(3, size=40)
    got = learning.empirical_risk(yhat, y, loss="zero_one")
    np.testing.assert_allclose(got, [zero_one_loss(y, yhat[m]) for m in range(5)], atol=1e-15)
    assert got.dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_squared_loss_keeps_dtype_and_broadcasts(dtype):
    yhat = np.arange(6, dtype=dtype).reshape(2, 3)
    y = np.ones(3, dtype=dtype)
    L = learning.squared_loss(yhat, y)
    assert L.dtype == dtype and L.shape == (2, 3)
    np.testing.assert_array_equal(L, (yhat - 1) ** 2)
    assert learning.empirical_risk(yhat, y).dtype == dtype


def test_risk_dynamic_checks():
    """What the declared constraints cannot say (the generated bad input covers the rest)."""
    with pytest.raises(ShapeError, match="'y'"):
        learning.squared_loss(np.zeros((2, 3)), np.zeros(4))
    with pytest.raises(TypeError, match="'yhat'.*loss='zero_one'"):
        learning.empirical_risk(np.zeros(3), np.zeros(3), loss="zero_one")
    with pytest.raises(TypeError, match="'y'.*loss='squared'"):
        learning.empirical_risk(np.zeros(3), np.zeros(3, dtype=np.int64))


def test_sine_model_moments():
    rng = np.random.default_rng(1)
    model = learning.sine_model(0.5)
    x, y = learning.sample_regression(model, 200_000, rng=rng)
    assert x.min() >= -1 and x.max() <= 1
    resid = y - np.sin(np.pi * x)
    assert abs(resid.mean()) < 5 * 0.5 / math.sqrt(len(x))
    assert abs(resid.var() - 0.25) < 0.01
    assert stats.kstest(x, "uniform", args=(-1, 2)).pvalue > 1e-4
    np.testing.assert_array_equal(learning.noise_variance(model, x[:5]), np.full(5, 0.25))


def test_sample_regression_shapes_dtype_and_reproducibility():
    model = learning.sine_model()
    x1, y1 = learning.sample_regression(
        model, 7, rng=np.random.default_rng(3), size=(4,), dtype=np.float32
    )
    x2, y2 = learning.sample_regression(
        model, 7, rng=np.random.default_rng(3), size=(4,), dtype=np.float32
    )
    assert x1.shape == y1.shape == (4, 7) and x1.dtype == np.float32
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    with pytest.raises(ValueError, match="'high'"):
        learning.RegressionModel(np.sin, np.cos, low=1.0, high=0.0)
    with pytest.raises(ValueError, match="'size'"):
        learning.sample_regression(model, 3, rng=np.random.default_rng(0), size=(2, 0))


def test_mixture_validation():
    with pytest.raises(ValueError, match="'priors' must sum to 1"):
        learning.GaussianMixture((0.5, 0.6), (0.0, 1.0), (1.0, 1.0))
    with pytest.raises(ValueError, match="'means' must have the length K = 2"):
        learning.GaussianMixture((0.5, 0.5), (0.0,), (1.0, 1.0))
    with pytest.raises(ValueError, match="'sds'"):
        learning.GaussianMixture((0.5, 0.5), (0.0, 1.0), (1.0, 0.0))
    with pytest.raises(ValueError, match="'means'"):
        learning.GaussianMixture((0.5, 0.5), (0.0, math.inf), (1.0, 1.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_posterior_is_bayes_rule_and_stable(dtype):
    mix = learning.GaussianMixture((0.2, 0.3, 0.5), (-1.0, 0.0, 2.0), (0.5, 1.0, 2.0))
    x = np.linspace(-5, 5, 41)
    joint = np.array(mix.priors) * stats.norm.pdf(x[:, None], mix.means, mix.sds)
    eta = learning.posterior(mix, x.astype(dtype))
    assert eta.dtype == dtype and eta.shape == (41, 3)
    np.testing.assert_allclose(
        eta, joint / joint.sum(1, keepdims=True), atol=1e-12 if dtype == np.float64 else 1e-5
    )
    far = learning.posterior(mix, np.array([-1e4, 1e4], dtype=dtype))  # densities underflow
    assert np.all(np.isfinite(far))
    np.testing.assert_array_equal(learning.bayes_classifier(mix, np.array([-1e4, 1e4])), [2, 2])


def test_bayes_classifier_on_symmetric_two_class_mixture():
    mix = learning.GaussianMixture((0.5, 0.5), (-1.0, 1.0), (1.0, 1.0))
    x = np.array([-3.0, -0.1, 0.1, 3.0, 0.0])
    np.testing.assert_array_equal(learning.bayes_classifier(mix, x), [0, 0, 1, 1, 0])  # tie -> 0
    rng = np.random.default_rng(4)
    xs, ys = learning.sample_mixture(mix, 100_000, rng=rng)
    risk = learning.empirical_risk(learning.bayes_classifier(mix, xs), ys, loss="zero_one")
    exact = stats.norm.cdf(-1.0)  # Phi(-Delta/2), Delta = 2
    assert abs(risk - exact) < 5 * math.sqrt(exact * (1 - exact) / 100_000)
    assert ys.dtype == np.int64 and set(np.unique(ys)) == {0, 1}
