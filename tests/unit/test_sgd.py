"""The gradient step (deepqed.nn.sgd_step): a new container, in place (``out``) and with the
gradient as scratch (``overwrite_grad``), the same numbers on every backend, and the arrays it
refuses to write."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from deepqed import nn
from deepqed._validation import ShapeError


def test_sgd_step():
    arch = nn.Architecture((2, 3, 1), ("sigmoid", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0))
    X, Y = np.random.default_rng(1).standard_normal((8, 2)), np.ones((8, 1))
    value, grad = nn.loss_and_gradient(arch, theta, X, Y)
    new = nn.sgd_step(theta, grad, 0.1)
    for t, g, n in zip(theta.arrays(), grad.arrays(), new.arrays()):
        np.testing.assert_array_equal(n, t - 0.1 * g)
    smaller, _ = nn.loss_and_gradient(arch, nn.sgd_step(theta, grad, 1e-3), X, Y)
    assert float(smaller) < float(value)  # a descent direction
    with pytest.raises(ValueError, match="'eta'"):
        nn.sgd_step(theta, grad, 0.0)


def _step_problem(dtype, order="C"):
    arch = nn.Architecture((4, 6, 3), ("tanh", "identity"))
    theta = nn.init_parameters(arch, rng=np.random.default_rng(0), dtype=dtype)
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((9, 4)).astype(dtype), rng.standard_normal((9, 3)).astype(dtype)
    _, grad = nn.loss_and_gradient(arch, theta, X, Y)
    return theta.map(lambda a: np.array(a, order=order)), grad


def _assert_step(got, theta, grad, eta):
    """``got`` equals theta - eta grad as NumPy evaluates it to the rounding of either order of
    evaluation: NumPy rounds eta dw and then the difference, torch's kernel may fuse the two (one
    rounding), so the two differ by at most u |eta dw| + u |w - eta dw| <= 2u (|w| + |eta dw|)."""
    for g, w, dw in zip(got.arrays(), theta.arrays(), grad.arrays()):
        g = g.detach().numpy() if isinstance(g, torch.Tensor) else np.asarray(g)
        u = np.finfo(w.dtype).eps / 2
        bound = 2 * u * (np.abs(w) + eta * np.abs(dw))
        assert g.dtype == w.dtype
        assert np.all(np.abs(g - (w - eta * dw)) <= bound)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("theta_order,grad_order", [("C", "C"), ("F", "F"), ("C", "F")])
def test_sgd_step_in_place(dtype, theta_order, grad_order):
    theta, grad = _step_problem(dtype, theta_order)
    grad = grad.map(lambda a: np.array(a, order=grad_order))
    before = theta.map(np.copy)
    arrays = theta.arrays()
    assert nn.sgd_step(theta, grad, 0.3, out=theta) is theta
    assert all(a is b for a, b in zip(arrays, theta.arrays()))  # the same arrays, overwritten
    for a, b in zip(theta.arrays(), nn.sgd_step(before, grad, 0.3).arrays()):
        np.testing.assert_array_equal(a, b)  # the same numbers as the new container
    _assert_step(theta, before, grad, 0.3)


def test_sgd_step_into_another_container_and_through_nan():
    theta, grad = _step_problem(np.float64)
    before = theta.map(np.copy)
    out = theta.map(lambda a: np.full_like(a, 7.0))
    assert nn.sgd_step(theta, grad, 0.1, out=out) is out
    _assert_step(out, theta, grad, 0.1)
    for a, b in zip(theta.arrays(), before.arrays()):
        np.testing.assert_array_equal(a, b)  # theta untouched
    grad.W[0][0, 0] = np.nan
    nn.sgd_step(theta, grad, 0.1, out=theta)
    assert np.isnan(theta.W[0][0, 0]) and np.isfinite(theta.W[0][0, 1])


def test_sgd_step_in_place_on_torch_leaves():
    """Parameters of a torch model (leaves that require grad) are updated as torch's own
    ``p.sub_(p.grad, alpha=eta)``, under ``no_grad``."""
    theta, grad = _step_problem(np.float64)
    tt = theta.map(lambda a: torch.tensor(a, requires_grad=True))
    gt = grad.map(torch.from_numpy)
    assert nn.sgd_step(tt, gt, 0.2, out=tt) is tt
    assert all(t.requires_grad for t in tt.arrays())
    _assert_step(tt, theta, grad, 0.2)
    for a, b in zip(tt.arrays(), nn.sgd_step(theta.map(torch.from_numpy), gt, 0.2).arrays()):
        torch.testing.assert_close(a.detach(), b, rtol=0, atol=0)  # as the new container
    out = theta.map(lambda a: torch.zeros(a.shape, dtype=torch.float64))
    nn.sgd_step(theta.map(torch.from_numpy), gt, 0.2, out=out)
    _assert_step(out, theta, grad, 0.2)


def test_sgd_step_refuses_an_out_it_cannot_write():
    theta, grad = _step_problem(np.float64)
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with grad\[0\]"):
        nn.sgd_step(theta, grad, 0.1, out=grad)
    with pytest.raises(ValueError, match=r"'out\[0\]' must be a writeable array"):
        nn.sgd_step(theta, grad, 0.1, out=theta.map(lambda a: np.broadcast_to(a, a.shape)))
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with theta\[0\]"):
        nn.sgd_step(theta, grad, 0.1, out=theta.map(lambda a: a[...]))
    with pytest.raises(ValueError, match=r"'out\[1\]' must not share memory with grad\[2\]"):
        nn.sgd_step(theta, grad, 0.1, out=nn.Parameters(theta.W, (grad.W[1][0, :6],) + theta.b[1:]))
    swapped = nn.Parameters(theta.W, (theta.W[1][0, :6],) + theta.b[1:])
    # (out[2] is theta[2], so out[1] overlaps both)
    with pytest.raises(ValueError, match=r"'out\[1\]' must not share memory with out\[2\]"):
        nn.sgd_step(theta, grad, 0.1, out=swapped)
    buf = np.zeros(6)
    shared = nn.Parameters(tuple(np.zeros_like(w) for w in theta.W), (buf, buf[3:]))
    with pytest.raises(ValueError, match=r"'out\[1\]' must not share memory with out\[3\]"):
        nn.sgd_step(theta, grad, 0.1, out=shared)
    with pytest.raises(ShapeError, match=r"'out\[0\]'"):
        other = nn.Architecture((4, 5, 3), ("tanh", "identity"))
        nn.sgd_step(theta, grad, 0.1, out=nn.init_parameters(other, rng=np.random.default_rng(0)))
    with pytest.raises(TypeError, match=r"'out\[0\]'.*float32"):
        nn.sgd_step(theta, grad, 0.1, out=theta.map(lambda a: a.astype(np.float32)))
    tt, gt = theta.map(torch.from_numpy), grad.map(torch.from_numpy)
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with grad\[0\]"):
        nn.sgd_step(tt, gt, 0.1, out=gt.map(lambda a: a.view(a.shape)))
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with theta\[0\]"):
        nn.sgd_step(tt, gt, 0.1, out=tt.map(lambda a: a.view(a.shape)))
    for a, b in zip(theta.arrays(), _step_problem(np.float64)[0].arrays()):
        np.testing.assert_array_equal(a, b)  # nothing was written before the refusals


@pytest.mark.parametrize("in_place", [False, True])
def test_sgd_step_overwriting_the_gradient(in_place):
    """``overwrite_grad`` gives the same numbers; on NumPy the gradient's arrays are used (and,
    without ``out``, returned), on torch the gradient is left as it was."""
    theta, grad = _step_problem(np.float64)
    expected = nn.sgd_step(theta, grad, 0.1)
    dws = grad.arrays()
    got = nn.sgd_step(theta, grad, 0.1, out=theta if in_place else None, overwrite_grad=True)
    assert (got is theta) if in_place else all(a is dw for a, dw in zip(got.arrays(), dws))
    for a, b in zip(got.arrays(), expected.arrays()):
        np.testing.assert_array_equal(a, b)
    theta, grad = _step_problem(np.float64)
    tt, gt = theta.map(torch.from_numpy), grad.map(lambda a: torch.from_numpy(a.copy()))
    got = nn.sgd_step(tt, gt, 0.1, out=tt if in_place else None, overwrite_grad=True)
    for a, b in zip(gt.arrays(), grad.arrays()):
        np.testing.assert_array_equal(a.numpy(), b)  # torch: grad untouched
    _assert_step(got, _step_problem(np.float64)[0], grad, 0.1)


def test_sgd_step_refuses_a_gradient_it_cannot_overwrite():
    theta, grad = _step_problem(np.float64)
    with pytest.raises(ValueError, match=r"'grad\[0\]' must be a writeable array"):
        read_only = grad.map(lambda a: np.broadcast_to(a, a.shape))
        nn.sgd_step(theta, read_only, 0.1, overwrite_grad=True)
    with pytest.raises(ValueError, match=r"'grad\[0\]' must not share memory with theta\[0\]"):
        nn.sgd_step(theta, theta.map(lambda a: a[...]), 0.1, overwrite_grad=True)
    with pytest.raises(ValueError, match=r"'grad\[2\]' must not share memory with out\[2\]"):
        nn.sgd_step(
            theta,
            nn.Parameters((grad.W[0], theta.W[1]), grad.b),
            0.1,
            out=theta,
            overwrite_grad=True,
        )
    # without overwrite_grad the same gradient is only read, and theta is not written
    nn.sgd_step(theta, theta.map(lambda a: a[...]), 0.1)


def test_sgd_step_in_place_on_one_flat_buffer():
    """Parameters carved out of one flat buffer (disjoint views of one array or storage) are
    updated in place: sharing a base is not an overlap."""
    theta, grad = _step_problem(np.float64)
    expected = nn.sgd_step(theta, grad, 0.1)
    n = sum(a.size for a in theta.arrays())
    for flat, g in (
        (np.empty(n), grad),
        (torch.empty(n, dtype=torch.float64), grad.map(torch.from_numpy)),
    ):
        views, start = [], 0
        for a in theta.arrays():
            views.append(flat[start : start + a.size].reshape(a.shape))
            views[-1][...] = a if isinstance(flat, np.ndarray) else torch.from_numpy(a)
            start += a.size
        P = nn.Parameters(tuple(views[0::2]), tuple(views[1::2]))
        assert nn.sgd_step(P, g, 0.1, out=P) is P
        for got, want in zip(P.arrays(), expected.arrays()):
            np.testing.assert_allclose(np.asarray(got), want, rtol=4e-16, atol=1e-300)


def test_sgd_step_sees_memory_shared_through_any_owner():
    """Overlap is decided by the bytes arrays span, not by which object owns them: views made by
    ``as_strided`` or ``frombuffer``, and tensors over NumPy memory, are caught as well."""
    from numpy.lib.stride_tricks import as_strided

    theta, grad = _step_problem(np.float64)
    zeros = theta.map(np.zeros_like)
    W0 = grad.W[0]
    strided = nn.Parameters((as_strided(W0, W0.shape, W0.strides),) + zeros.W[1:], zeros.b)
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with grad\[0\]"):
        nn.sgd_step(theta, grad, 0.1, out=strided)
    memory = bytearray(8 * 200)
    g0 = np.frombuffer(memory, dtype=np.float64, count=24).reshape(6, 4)
    o0 = np.frombuffer(memory, dtype=np.float64, count=24, offset=8).reshape(6, 4)
    g0[...] = grad.W[0]
    G = nn.Parameters((g0,) + grad.W[1:], grad.b)
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with grad\[0\]"):
        nn.sgd_step(theta, G, 0.1, out=nn.Parameters((o0,) + zeros.W[1:], zeros.b))
    flat = np.zeros(200)
    gv, ov = flat[:24].reshape(6, 4), flat[1:25].reshape(6, 4)
    gv[...] = grad.W[0]
    gt = nn.Parameters((gv,) + grad.W[1:], grad.b).map(torch.from_numpy)
    zt = zeros.map(torch.from_numpy)
    ot = nn.Parameters((torch.from_numpy(ov),) + zt.W[1:], zt.b)  # another storage, same bytes
    with pytest.raises(ValueError, match=r"'out\[0\]' must not share memory with grad\[0\]"):
        nn.sgd_step(theta.map(torch.from_numpy), gt, 0.1, out=ot)


def test_sgd_step_refuses_arrays_that_overlap_themselves():
    """A written array with a stride 0 would receive several results in one place: refused before
    anything is written (also on torch, whose own error would come after earlier layers)."""
    from numpy.lib.stride_tricks import as_strided

    theta, grad = _step_problem(np.float64)
    out = theta.map(np.zeros_like)
    out = nn.Parameters(out.W, (out.b[0], as_strided(np.zeros(1), (3,), (0,))))
    with pytest.raises(ValueError, match=r"'out\[3\]' must hold each entry in memory of its own"):
        nn.sgd_step(theta, grad, 0.1, out=out)
    assert not np.any(out.W[0])  # nothing written
    G = nn.Parameters(grad.W, (grad.b[0], as_strided(np.array([0.5]), (3,), (0,))))
    with pytest.raises(ValueError, match=r"'grad\[3\]' must hold each entry in memory of its own"):
        nn.sgd_step(theta, G, 0.1, overwrite_grad=True)
    nn.sgd_step(theta, G, 0.1)  # only read: fine
    tt = theta.map(torch.from_numpy)
    ot = theta.map(lambda a: torch.zeros(a.shape, dtype=torch.float64))
    ot = nn.Parameters(ot.W, (ot.b[0], torch.zeros(1, dtype=torch.float64).expand(3)))
    with pytest.raises(ValueError, match=r"'out\[3\]' must hold each entry in memory of its own"):
        nn.sgd_step(tt, grad.map(torch.from_numpy), 0.1, out=ot)
    assert not torch.any(ot.W[0])


def test_sgd_step_refuses_a_step_size_the_dtype_cannot_hold():
    theta, grad = _step_problem(np.float32)
    with pytest.raises(ValueError, match=r"'eta' must be at most the largest float32"):
        nn.sgd_step(theta, grad, 1e39)
    with pytest.raises(ValueError, match=r"'eta' must be at most the largest torch.float32"):
        nn.sgd_step(theta.map(torch.from_numpy), grad.map(torch.from_numpy), 1e39)
    nn.sgd_step(
        theta.map(lambda a: a.astype(np.float64)), grad.map(lambda a: a.astype(np.float64)), 1e39
    )
