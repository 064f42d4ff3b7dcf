"""Unit tests of ``deepqed.cnn.model`` and ``deepqed.cnn.train``: the gradient against torch and
central differences, counts, Adam against torch.optim.Adam, validation, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepqed import cnn
from deepqed.witnesses.cnn.backprop import torch_cnn_loss

ARCH = cnn.CNNArchitecture(
    in_channels=2, image_size=7, channels=(3, 4), kernel_size=3, padding=1, pool=2, classes=5
)


def _problem(dtype=np.float64, m=6, seed=0):
    rng = np.random.default_rng(seed)
    theta = cnn.init_cnn_parameters(ARCH, rng=rng, dtype=dtype)
    X = rng.standard_normal((m, 2, 7, 7)).astype(dtype)
    Y = np.eye(5, dtype=dtype)[rng.integers(5, size=m)]
    return theta, X, Y


def test_sizes_and_parameter_count():
    assert ARCH.sizes == (7, 3, 3, 1) and ARCH.features == 4
    theta, _, _ = _problem()
    assert sum(a.size for a in theta.arrays()) == ARCH.num_parameters
    assert cnn.CNNArchitecture().num_parameters == 16 * 10 + 32 * 145 + 10 * 129


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_matches_torch(dtype):
    theta, X, Y = _problem(dtype)
    value, grad = cnn.cnn_loss_and_gradient(ARCH, theta, X, Y)
    params = [torch.tensor(a.astype(np.float64), requires_grad=True) for a in theta.arrays()]
    loss = torch_cnn_loss(
        ARCH, params, torch.tensor(X.astype(np.float64)), torch.tensor(Y.astype(np.float64))
    )
    loss.backward()
    tol = 1e-4 if dtype == np.float32 else 1e-10
    assert abs(value - loss.item()) <= tol * abs(loss.item())
    for g, p in zip(grad.arrays(), params):
        assert g.dtype == dtype
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=tol, atol=tol)


def test_counts_of_the_default_network():
    c = cnn.cnn_counts(cnn.CNNArchitecture(), 1)
    M1, M2, lin = 16 * 64 * 9, 32 * 16 * 16 * 9, 10 * 128
    assert c == {"parameters": 6090, "forward": M1 + M2 + lin, "backward": M1 + 2 * M2 + 2 * lin}


def test_adam_matches_torch():
    theta, X, Y = _problem()
    state = cnn.adam_init(theta)
    params = [torch.tensor(a.copy(), requires_grad=True) for a in theta.arrays()]
    opt = torch.optim.Adam(params, lr=1e-2)
    for _ in range(3):
        _, grad = cnn.cnn_loss_and_gradient(ARCH, theta, X, Y)
        theta, state = cnn.adam_update(theta, grad, state, alpha=1e-2)
        opt.zero_grad()
        torch_cnn_loss(ARCH, params, torch.tensor(X), torch.tensor(Y)).backward()
        opt.step()
    for a, p in zip(theta.arrays(), params):
        np.testing.assert_allclose(a, p.detach().numpy(), rtol=1e-9, atol=1e-9)


def test_training_is_deterministic_and_decreases_the_loss():
    theta, X, Y = _problem(m=24)
    runs = [
        cnn.train(
            ARCH, theta, X, Y, epochs=5, batch_size=8, alpha=1e-2, rng=np.random.default_rng(3)
        )
        for _ in range(2)
    ]
    assert runs[0][1] == runs[1][1]
    assert runs[0][1].loss[-1] < runs[0][1].loss[0]


def test_dynamic_checks_name_the_argument():
    theta, X, Y = _problem()
    with pytest.raises(ValueError, match="'image_size' must leave each pooling a window"):
        cnn.CNNArchitecture(image_size=2, padding=0)
    with pytest.raises(ValueError, match="'X'.*\\(m, 2, 7, 7\\)"):
        cnn.cnn_forward(ARCH, theta, X[:, :1])
    with pytest.raises(TypeError, match="'theta.W1' and 'X' have different dtypes"):
        cnn.cnn_forward(ARCH, theta.map(lambda a: a.astype(np.float32)), X)
    with pytest.raises(ValueError, match="'Y'.*\\(m, 5\\)"):
        cnn.cnn_loss_and_gradient(ARCH, theta, X, Y[:, :3])
    with pytest.raises(ValueError, match="'C_1'|'W2'"):
        cnn.CNNParameters(theta.W1, theta.b1, theta.W2[:, :2], theta.b2, theta.W3, theta.b3)
    with pytest.raises(ValueError, match="'y' must hold class labels in \\[0, K\\) = \\[0, 5\\)"):
        cnn.accuracy(ARCH, theta, X, np.full(X.shape[0], 5))
    with pytest.raises(ValueError, match="'y_test' must be given together with X_test"):
        cnn.train(
            ARCH,
            theta,
            X,
            Y,
            epochs=1,
            batch_size=2,
            rng=np.random.default_rng(0),
            y_test=np.zeros(6, dtype=int),
        )
