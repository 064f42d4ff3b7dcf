"""Losses (deepqed.losses): values, gradients (Proposition prop-loss-gradients), stability."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import float_arrays

from deepqed import gradcheck, losses, nn
from deepqed._validation import ShapeError

PAIRS = [
    (losses.squared_error, losses.squared_error_grad),
    (losses.softmax_cross_entropy, losses.softmax_cross_entropy_grad),
]


@st.composite
def batches(draw, target="real"):
    m, K = draw(st.integers(1, 6)), draw(st.integers(2, 6))
    A = draw(float_arrays((m, K), bound=5.0))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if target == "onehot":
        Y = np.eye(K)[rng.integers(K, size=m)]
    elif target == "simplex":
        Y = rng.dirichlet(np.ones(K), size=m)
    else:
        Y = draw(float_arrays((m, K), bound=5.0))
    return A, Y


@pytest.mark.parametrize("value,grad", PAIRS, ids=["squared_error", "cross_entropy"])
@pytest.mark.parametrize("target", ["real", "onehot", "simplex"])
@given(data=st.data())
@settings(max_examples=25, deadline=None)
def test_gradient_is_adjoint_of_central_difference(value, grad, target, data):
    A, Y = data.draw(batches(target))
    U = data.draw(float_arrays(A.shape, bound=1.0))
    G = grad(A, Y)
    lhs, rhs = gradcheck.check_vjp(
        lambda B: np.reshape(value(B, Y), (1,)), lambda u: u[0] * G, A, np.ones(1), U, 1e-5
    )
    assert abs(lhs - rhs) <= 1e-7 * (1 + np.linalg.norm(U))


@given(batch=batches("simplex"))
@settings(max_examples=40, deadline=None)
def test_cross_entropy_gradient_for_probability_targets(batch):
    A, Y = batch
    m = A.shape[0]
    G = losses.softmax_cross_entropy_grad(A, Y)
    np.testing.assert_allclose(G, (nn.softmax(A) - Y) / m, atol=1e-15)
    np.testing.assert_allclose(G.sum(axis=1), 0.0, atol=1e-15)  # rows of softmax - y sum to 0


@given(batch=batches("onehot"))
@settings(max_examples=40, deadline=None)
def test_cross_entropy_one_hot_is_minus_log_probability(batch):
    A, Y = batch
    k = Y.argmax(axis=1)
    ref = -np.mean(np.log(nn.softmax(A)[np.arange(len(k)), k]))
    assert math.isclose(
        float(losses.softmax_cross_entropy(A, Y)), ref, rel_tol=1e-12, abs_tol=1e-12
    )
    assert float(losses.softmax_cross_entropy(A, Y)) >= 0.0


@given(batch=batches())
@settings(max_examples=40, deadline=None)
def test_squared_error_value_and_gradient(batch):
    A, Y = batch
    m = A.shape[0]
    assert math.isclose(
        float(losses.squared_error(A, Y)),
        0.5 * np.sum((A - Y) ** 2) / m,
        rel_tol=1e-13,
        abs_tol=1e-14,
    )
    np.testing.assert_array_equal(losses.squared_error_grad(A, Y), (A - Y) / m)
    assert float(losses.squared_error(A, A)) == 0.0


def test_cross_entropy_huge_logits_do_not_overflow():
    A = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4 + 1, -1e4]], dtype=np.float32)
    Y = np.array([[1.0, 0, 0], [0, 0, 1.0]], dtype=np.float32)
    with np.errstate(over="raise", invalid="raise"):
        v = float(losses.softmax_cross_entropy(A, Y))
    ref = 0.5 * (0.0 + (1.0 + math.log(1 + 2 * math.exp(-1))))  # row 2: lse - a_3
    assert math.isclose(v, ref, rel_tol=1e-5)


@pytest.mark.parametrize("f", [f for pair in PAIRS for f in pair])
def test_shape_mismatch_names_arguments(f):
    with pytest.raises(ShapeError, match=r"'Y'.*n_L = 2 \(from 'A'\).*\(3, 4\)"):
        f(np.zeros((3, 2)), np.zeros((3, 4)))
    with pytest.raises(ShapeError, match="'A'"):
        f(np.zeros(3), np.zeros(3))


def test_losses_table_matches_public_functions():
    rng = np.random.default_rng(0)
    A, Y = rng.standard_normal((4, 3)), rng.dirichlet(np.ones(3), size=4)
    for spec, (value, grad) in zip(losses.LOSSES.values(), PAIRS):
        assert spec.value(np, A, Y) == value(A, Y)
        np.testing.assert_array_equal(spec.grad(np, A, Y), grad(A, Y))


def test_the_loss_option_names_the_table():
    """``deepqed.nn`` writes out the names of ``losses.LOSSES`` for its ``loss`` argument."""
    from deepqed.nn.backprop import LOSS

    assert set(LOSS.values) == set(losses.LOSSES)
