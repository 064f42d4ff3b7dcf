"""Architectures, parameters, realization and the forward pass (deepqed.nn.mlp)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import architectures, networks

from deepqed import nn
from deepqed._validation import ShapeError


@pytest.mark.parametrize(
    "widths,acts,match",
    [
        ((3,), (), "L >= 1"),
        ((3, 0), ("relu",), r"widths\[1\]"),
        ((3, -2, 1), ("relu", "relu"), r"widths\[1\]"),
        ((3, 2.0), ("relu",), r"widths\[1\]"),
        ((3, True), ("relu",), r"widths\[1\]"),
        ((3, 2), ("relu", "relu"), "one per layer: 1"),
        ((3, 2), ("swish",), r"activations\[0\]"),
    ],
)
def test_invalid_architectures_are_rejected(widths, acts, match):
    with pytest.raises(ValueError, match=match):
        nn.Architecture(widths, acts)


@given(arch=architectures(max_depth=6, max_width=20))
@settings(max_examples=50, deadline=None)
def test_parameter_count_and_shapes(arch):
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    assert arch.depth == len(arch.widths) - 1 == len(theta.W) == len(theta.b)
    assert arch.num_parameters == sum(a.size for a in theta.arrays())
    for l in range(1, arch.depth + 1):
        assert theta.W[l - 1].shape == (arch.widths[l], arch.widths[l - 1])
        assert theta.b[l - 1].shape == (arch.widths[l],)
    assert [a.shape for a in theta.arrays()][::2] == [W.shape for W in theta.W]


def test_init_is_lecun_and_deterministic():
    arch = nn.Architecture((400, 300, 1), ("tanh", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(1))
    again = nn.init_parameters(arch, rng=np.random.default_rng(1))
    assert all(np.array_equal(a, b) for a, b in zip(theta.arrays(), again.arrays()))
    assert abs(theta.W[0].var() * 400 - 1) < 0.02  # Var W^1_jk = 1/n_0
    assert np.all(theta.b[0] == 0)
    assert (
        nn.init_parameters(arch, rng=np.random.default_rng(1), dtype=np.float32).W[0].dtype
        == np.float32
    )
    with pytest.raises(TypeError, match="'rng'"):
        nn.init_parameters(arch, rng=1)


@given(net=networks(max_depth=5, max_width=10, max_batch=8))
@settings(max_examples=50, deadline=None)
def test_batch_rows_are_realizations(net):
    arch, theta, X, _ = net
    fwd = nn.forward(arch, theta, X)
    assert fwd.Z[0] is None and fwd.A[0] is X and len(fwd.A) == arch.depth + 1
    for l in range(1, arch.depth + 1):
        assert fwd.Z[l].shape == fwd.A[l].shape == (X.shape[0], arch.widths[l])
        np.testing.assert_allclose(
            fwd.Z[l], fwd.A[l - 1] @ theta.W[l - 1].T + theta.b[l - 1], atol=0
        )
    for x, row in zip(X, fwd.output):
        np.testing.assert_allclose(nn.realization(arch, theta, x), row, rtol=1e-12, atol=1e-12)


@given(net=networks(max_depth=3), perm_seed=st.integers(0, 1000))
@settings(max_examples=30, deadline=None)
def test_forward_is_row_equivariant(net, perm_seed):
    arch, theta, X, _ = net
    P = np.random.default_rng(perm_seed).permutation(X.shape[0])
    np.testing.assert_allclose(
        nn.forward(arch, theta, X[P]).output,
        nn.forward(arch, theta, X).output[P],
        rtol=1e-13,
        atol=1e-13,
    )


def test_parameters_map_and_order():
    theta = nn.Parameters((np.ones((2, 3)), 2 * np.ones((1, 2))), (np.zeros(2), np.ones(1)))
    assert [a.shape for a in theta.arrays()] == [(2, 3), (2,), (1, 2), (1,)]
    doubled = theta.map(lambda a: 2 * a)
    assert np.all(doubled.W[1] == 4) and np.all(doubled.b[1] == 2)


def test_forward_rejects_wrong_input_width():
    arch = nn.Architecture((3, 2), ("relu",))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    with pytest.raises(ShapeError, match=r"'X'.*\(m, 3\).*\(5, 4\)"):
        nn.forward(arch, theta, np.zeros((5, 4)))
    with pytest.raises(ShapeError, match=r"'x'.*\(3,\).*\(4,\)"):
        nn.realization(arch, theta, np.zeros(4))
    wrong = nn.Parameters((np.zeros((3, 2)),), (np.zeros(3),))
    with pytest.raises(ShapeError, match=r"'W\^1' must have shape \(2, 3\), got shape \(3, 2\)"):
        nn.forward(arch, wrong, np.zeros((5, 3)))


def test_parameters_shapes_must_chain():
    with pytest.raises(ShapeError, match=r"'b\^1'.*n_1 = 3 \(from 'W\^1'\).*\(2,\)"):
        nn.Parameters((np.zeros((3, 2)),), (np.zeros(2),))
    with pytest.raises(ShapeError, match=r"'W\^2'.*n_1 = 3"):
        nn.Parameters((np.zeros((3, 2)), np.zeros((1, 4))), (np.zeros(3), np.zeros(1)))
    with pytest.raises(ValueError, match="'b' must hold one bias vector per weight matrix"):
        nn.Parameters((np.zeros((3, 2)),), (np.zeros(3), np.zeros(1)))
    nan = nn.Parameters((np.full((3, 2), np.nan),), (np.zeros(3),))  # a diverged gradient
    with pytest.raises(ValueError, match=r"'W\^1' must be finite"):
        nn.forward(nn.Architecture((2, 3), ("relu",)), nan, np.zeros((1, 2)))
