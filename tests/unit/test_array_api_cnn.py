"""Every public function of ``deepqed.cnn`` runs on NumPy, array_api_strict and torch (CPU; CUDA
where available), in float32 and float64: results and gradients have the input's namespace, device
and dtype and agree with the NumPy float64 path; the fast convolution step of the training path
agrees with the reference step on every namespace and dtype.

Tolerances. Each result is a sum of products of the (rounded) inputs. For an entry that sums $N$
products, rounding the inputs to the working precision $u$ and computing in it changes the entry
by at most $\\gamma_{N+2}\\sum|\\text{terms}|$, $\\gamma_n = nu/(1 - nu)$ (Higham, *Accuracy and
Stability of Numerical Algorithms*, 2nd ed., 2002, Section 3.1, with one rounding per factor).
The sum of absolute values is the same function applied to the absolute values of the arguments
(all the functions here are multilinear), computed in float64 beside the reference; so each
comparison is ``|ours - reference| <= gamma_{N+2} * f(|args|)`` entry by entry, with ``N`` an
upper bound of the number of terms.
"""

from __future__ import annotations

import array_api_compat
import numpy as np
import pytest
import torch
from array_backends import BACKENDS, UNIT_ROUNDOFF, referenced, uncovered

from deepqed import cnn
from deepqed.cnn import _fast

UNIT = UNIT_ROUNDOFF
NAMESPACES = {ns: (cast, cls) for ns, (cast, _, cls) in BACKENDS.items()}
params = pytest.mark.parametrize("ns,dt", [(n, d) for n in NAMESPACES for d in UNIT])

# A geometry with everything at once: unequal strides, padding and dilation per axis.
GEOMETRIES = [
    dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2), padding_mode="zeros"),
    dict(stride=(1, 2), padding=(2, 1), dilation=(2, 1), padding_mode="circular"),
    dict(stride=1, padding=1, dilation=1, padding_mode="zeros"),
]


def to_numpy(r):
    """A float64 NumPy copy of a result of any namespace."""
    if isinstance(r, torch.Tensor):
        return r.detach().cpu().numpy().astype(np.float64)
    return np.asarray(r).astype(np.float64)


def make(ns, dt):
    return lambda a: NAMESPACES[ns][0](a, dt)


def gamma(n: int, dt: str) -> float:
    nu = n * UNIT[dt]
    return nu / (1 - nu)


def assert_close(result, reference, bound, terms, ns, dt):
    """``result`` has the namespace, device and dtype of the inputs and differs from the float64
    ``reference`` by at most ``gamma_{terms + 2}`` times ``bound`` (entrywise)."""
    assert isinstance(result, NAMESPACES[ns][1]), type(result)
    assert str(result.dtype).endswith(dt), result.dtype
    if ns.startswith("torch-"):
        assert result.device.type == ns.removeprefix("torch-")
    err = np.abs(to_numpy(result) - reference)
    tol = gamma(terms + 2, dt) * np.abs(bound)
    assert np.all(err <= tol), (float(np.max(err - tol)), ns, dt)


def conv_problem(seed, geometry):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((2, 3, 7, 6))
    W = rng.standard_normal((4, 3, 3, 2))
    b = rng.standard_normal(4)
    G = rng.standard_normal(cnn.conv2d(X, W, b, **geometry).shape)
    return X, W, b, G


@params
@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_convolution(ns, dt, geometry):
    X, W, b, G = conv_problem(0, geometry)
    a = make(ns, dt)
    Z, cache = cnn.conv2d_forward(a(X), a(W), a(b), **geometry)
    Z_ref, cache_ref = cnn.conv2d_forward(X, W, b, **geometry)
    Z_abs, cache_abs = cnn.conv2d_forward(np.abs(X), np.abs(W), np.abs(b), **geometry)
    K = W.shape[1] * W.shape[2] * W.shape[3] + 1  # products and the bias per entry
    assert_close(Z, Z_ref, Z_abs, K, ns, dt)
    assert_close(cnn.conv2d(a(X), a(W), a(b), **geometry), Z_ref, Z_abs, K, ns, dt)
    assert_close(cache.cols, cache_ref.cols, cache_ref.cols, 0, ns, dt)  # copies of X
    grads = cnn.conv2d_backward(a(G), a(W), cache)
    refs = cnn.conv2d_backward(G, W, cache_ref)
    bounds = cnn.conv2d_backward(np.abs(G), np.abs(W), cache_abs)
    N = max(G.shape[0] * G.shape[2] * G.shape[3], 9 * G.shape[1] * W.shape[2] * W.shape[3])
    for g, r, B in zip(grads, refs, bounds):  # dX, dW, db
        assert_close(g, r, B, N, ns, dt)
    dX, dW, db = cnn.conv2d_backward(a(G), a(W), cache, need_dX=False)
    assert dX is None
    assert_close(dW, refs[1], bounds[1], N, ns, dt)


@params
@pytest.mark.parametrize("geometry", GEOMETRIES[::2])
def test_transposed_convolution(ns, dt, geometry):
    X, W, _, G = conv_problem(1, geometry)
    a = make(ns, dt)
    kw = {k: v for k, v in geometry.items() if k != "padding_mode"}
    ref = cnn.conv_transpose2d(G, W, **kw)
    bound = cnn.conv_transpose2d(np.abs(G), np.abs(W), **kw)
    assert ref.shape == X.shape
    N = G.shape[1] * W.shape[2] * W.shape[3]
    assert_close(cnn.conv_transpose2d(a(G), a(W), **kw), ref, bound, N, ns, dt)


@params
@pytest.mark.parametrize("geometry", GEOMETRIES)
def test_im2col_col2im_and_padding(ns, dt, geometry):
    X, W, _, _ = conv_problem(2, geometry)
    a = make(ns, dt)
    k = W.shape[2:]
    cols = cnn.im2col(X, k, **geometry)
    assert_close(cnn.im2col(a(X), k, **geometry), cols, cols, 0, ns, dt)
    M = np.random.default_rng(3).standard_normal(cols.shape)
    back = cnn.col2im(M, X.shape, k, **geometry)
    bound = cnn.col2im(np.abs(M), X.shape, k, **geometry)
    N = 9 * k[0] * k[1]  # an input entry is read by at most k_1 k_2 offsets of 3 x 3 copies
    assert_close(cnn.col2im(a(M), X.shape, k, **geometry), back, bound, N, ns, dt)
    p, mode = geometry["padding"], geometry["padding_mode"]
    Xp = cnn.pad(X, p, mode)
    assert_close(cnn.pad(a(X), p, mode), Xp, Xp, 0, ns, dt)
    Gp = np.random.default_rng(4).standard_normal(Xp.shape)
    ref = cnn.pad_adjoint(Gp, X.shape[2:], p, mode)
    bound = cnn.pad_adjoint(np.abs(Gp), X.shape[2:], p, mode)
    assert_close(cnn.pad_adjoint(a(Gp), X.shape[2:], p, mode), ref, bound, 9, ns, dt)


@params
@pytest.mark.parametrize("k,s", [((2, 2), None), ((3, 2), (2, 1)), ((1, 1), None)])
def test_pooling(ns, dt, k, s):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 3, 7, 6))
    a = make(ns, dt)
    Z, idx = cnn.max_pool2d_forward(X, k, s)
    Zx, idx_x = cnn.max_pool2d_forward(a(X), k, s)
    assert_close(Zx, Z, Z, 0, ns, dt)  # a selection: exact up to the rounding of X
    assert isinstance(idx_x, NAMESPACES[ns][1])
    np.testing.assert_array_equal(to_numpy(idx_x), idx)  # float64 gaps >> float32 rounding here
    assert_close(cnn.max_pool2d(a(X), k, s), Z, Z, 0, ns, dt)
    G = rng.standard_normal(Z.shape)
    n = k[0] * k[1]
    dX = cnn.max_pool2d_backward(G, idx, X.shape, k, s)
    dX_abs = cnn.max_pool2d_backward(np.abs(G), idx, X.shape, k, s)
    assert_close(cnn.max_pool2d_backward(a(G), idx_x, X.shape, k, s), dX, dX_abs, n, ns, dt)
    avg = cnn.avg_pool2d(X, k, s)
    assert_close(cnn.avg_pool2d(a(X), k, s), avg, cnn.avg_pool2d(np.abs(X), k, s), n, ns, dt)
    ref = cnn.avg_pool2d_backward(G, X.shape, k, s)
    bound = cnn.avg_pool2d_backward(np.abs(G), X.shape, k, s)
    assert_close(cnn.avg_pool2d_backward(a(G), X.shape, k, s), ref, bound, n, ns, dt)


@pytest.mark.parametrize("ns", [n for n in NAMESPACES if n != "numpy"])
@pytest.mark.parametrize("dt", list(UNIT))
@pytest.mark.parametrize(
    ("geometry", "by_rows"),
    [(geometry, False) for geometry in GEOMETRIES]
    # the copy by rows needs a row dilation of 1 (test_conv checks the refusal)
    + [(geometry, True) for geometry in GEOMETRIES if cnn.Geometry(**geometry).dilation[0] == 1],
)
@pytest.mark.parametrize("need_dX", [True, False])
def test_the_fast_path_computes_the_reference_step(ns, dt, geometry, by_rows, need_dX):
    """cnn._fast (the training path; with im2col(X) or, for row dilation 1, X copied by rows)
    against the reference step of cnn.conv, both on the same namespace and dtype: the same
    products in another order, so the same bound twice."""
    g = cnn.Geometry(**geometry)
    X, W, b, G = conv_problem(6, geometry)
    a = make(ns, dt)
    xp = array_api_compat.array_namespace(a(X))
    Z, cache = cnn.conv2d_forward(a(X), a(W), a(b), **geometry)
    Zf, cache_f = _fast.conv2d_forward(xp, a(X), a(W), a(b), g, by_rows=by_rows)
    assert cache_f.by_rows is by_rows
    Z_abs, cache_abs = cnn.conv2d_forward(np.abs(X), np.abs(W), np.abs(b), **geometry)
    K = W.shape[1] * W.shape[2] * W.shape[3] + 1
    assert_close(Zf, to_numpy(Z), 2 * Z_abs, K, ns, dt)
    ref = cnn.conv2d_backward(a(G), a(W), cache, need_dX=need_dX)
    fast = _fast.conv2d_backward(xp, a(G), a(W), cache_f, need_dX=need_dX)
    bounds = cnn.conv2d_backward(np.abs(G), np.abs(W), cache_abs)
    N = max(G.shape[0] * G.shape[2] * G.shape[3], 9 * G.shape[1] * W.shape[2] * W.shape[3])
    for r, f, B in zip(ref, fast, bounds):
        if r is None:
            assert f is None
        else:
            assert f.shape == r.shape
            assert_close(f, to_numpy(r), 2 * B, N, ns, dt)


# (batch, channels in, channels out, image, kernel, geometry) where a reshape of the strided
# windows can be a view: one image, one channel, one-column kernels, width-1 images
AWKWARD = [
    (1, 1, 1, (4, 4), (1, 1), dict(stride=2)),
    (1, 1, 2, (4, 4), (1, 1), dict()),  # the windows are X itself
    (1, 2, 1, (3, 1), (2, 1), dict()),
    (1, 2, 2, (3, 1), (3, 1), dict()),
    (1, 1, 2, (5, 4), (3, 1), dict(stride=(1, 3), padding=(1, 0))),
    (1, 3, 2, (6, 5), (3, 2), dict(stride=(2, 2), padding=1, padding_mode="circular")),
    (2, 1, 3, (4, 7), (2, 3), dict(stride=(1, 2), dilation=(1, 2))),
]


@pytest.mark.parametrize("ns", list(NAMESPACES))
@pytest.mark.parametrize("dt", list(UNIT))
@pytest.mark.parametrize("shape", AWKWARD)
@pytest.mark.parametrize("by_rows", [True, False])
def test_the_copy_of_X_on_awkward_shapes(ns, dt, shape, by_rows):
    """The fast path with X copied by rows or into im2col (forced, whatever the rule would
    choose) against the reference step on every namespace, for shapes where the copy's memory
    layout is easy to get wrong, or the copy could share the input's memory; the same bound as
    above."""
    m, C, C_out, image, kernel, geometry = shape
    rng = np.random.default_rng(11)
    X, W = rng.standard_normal((m, C, *image)), rng.standard_normal((C_out, C, *kernel))
    b = rng.standard_normal(C_out)
    G = rng.standard_normal(cnn.conv2d(X, W, b, **geometry).shape)
    a = make(ns, dt)
    xp = array_api_compat.array_namespace(a(X))
    X_in = a(X.copy())  # a(X) may be X itself
    g = cnn.Geometry(**geometry)
    Zf, cache_f = _fast.conv2d_forward(xp, X_in, a(W), a(b), g, by_rows=by_rows)
    assert cache_f.by_rows is by_rows
    X_in[...] = 0  # the cache is a copy: an in-place change of the input leaves dW alone
    Z_ref, cache_ref = cnn.conv2d_forward(X, W, b, **geometry)
    Z_abs, cache_abs = cnn.conv2d_forward(np.abs(X), np.abs(W), np.abs(b), **geometry)
    assert_close(Zf, Z_ref, 2 * Z_abs, W[0].size + 1, ns, dt)
    fast = _fast.conv2d_backward(xp, a(G), a(W), cache_f)
    refs = cnn.conv2d_backward(G, W, cache_ref)
    bounds = cnn.conv2d_backward(np.abs(G), np.abs(W), cache_abs)
    N = max(G.shape[0] * G.shape[2] * G.shape[3], 9 * G.shape[1] * W.shape[2] * W.shape[3])
    for f, r, B in zip(fast, refs, bounds):
        assert f.shape == r.shape
        assert_close(f, r, 2 * B, N, ns, dt)


@pytest.mark.parametrize("ns", [n for n in NAMESPACES if n != "numpy"])
@pytest.mark.parametrize("dt", list(UNIT))
@pytest.mark.parametrize(
    "geometry", [dict(stride=1, padding=1), dict(stride=1, padding=(2, 0), dilation=(2, 1))]
)
def test_the_input_gradient_as_a_correlation(ns, dt, geometry):
    """The second form of the fast path's dX (stride 1, zero padding; chosen by shape, so called
    here directly) on every namespace, against the reference step: the same bound as above."""
    X, W, b, G = conv_problem(6, geometry)
    a = make(ns, dt)
    xp = array_api_compat.array_namespace(a(X))
    _, cache = cnn.conv2d_forward(a(X), a(W), a(b), **geometry)
    ref, _, _ = cnn.conv2d_backward(a(G), a(W), cache)
    _, cache_abs = cnn.conv2d_forward(np.abs(X), np.abs(W), np.abs(b), **geometry)
    B, _, _ = cnn.conv2d_backward(np.abs(G), np.abs(W), cache_abs)
    m, C, H, Wd = X.shape
    G2 = xp.reshape(_fast._to_chwn(xp, a(G)), (W.shape[0], -1))
    got = _fast._from_chwn(
        xp, _fast._correlate_rows(xp, a(W), G2, (C, H, Wd, m), cnn.Geometry(**geometry))
    )
    N = max(G.shape[0] * G.shape[2] * G.shape[3], 9 * G.shape[1] * W.shape[2] * W.shape[3])
    assert_close(got, to_numpy(ref), 2 * B, N, ns, dt)


ARCH = cnn.CNNArchitecture(
    in_channels=2, image_size=7, channels=(3, 4), kernel_size=3, padding=1, pool=2, classes=5
)


def network_problem(m=6, seed=0):
    rng = np.random.default_rng(seed)
    theta = cnn.init_cnn_parameters(ARCH, rng=rng)
    X = rng.standard_normal((m, 2, 7, 7))
    Y = np.eye(5)[rng.integers(5, size=m)]
    return theta, X, Y


def network_tolerance(dt: str) -> float:
    """The loss and gradient are compositions of sums of at most
    $N = C_0k^2 + C_1k^2 + F + K$ products along any path, each layer 1-Lipschitz up to the norms
    of the weights (He initialisation: of order one): a forward error of order $\\gamma_N$
    relative to the largest entry, doubled once for the backward pass."""
    k2, (C1, _) = ARCH.kernel_size**2, ARCH.channels
    N = ARCH.in_channels * k2 + C1 * k2 + ARCH.features + ARCH.classes
    return 2 * gamma(N + 2, dt)


@params
def test_network(ns, dt):
    theta, X, Y = network_problem()
    a = make(ns, dt)
    theta_x = theta.map(a)
    tol = network_tolerance(dt)
    fwd, fwd_ref = cnn.cnn_forward(ARCH, theta_x, a(X)), cnn.cnn_forward(ARCH, theta, X)
    scale = np.max(np.abs(fwd_ref.output))
    assert isinstance(fwd.output, NAMESPACES[ns][1]) and str(fwd.output.dtype).endswith(dt)
    np.testing.assert_allclose(to_numpy(fwd.output), fwd_ref.output, rtol=0, atol=tol * scale)
    pred = cnn.cnn_predict(ARCH, theta_x, a(X))
    assert isinstance(pred, NAMESPACES[ns][1])
    np.testing.assert_array_equal(to_numpy(pred), cnn.cnn_predict(ARCH, theta, X))
    value, grad = cnn.cnn_loss_and_gradient(ARCH, theta_x, a(X), a(Y))
    ref_value, ref = cnn.cnn_loss_and_gradient(ARCH, theta, X, Y)
    assert isinstance(value, float) and abs(value - ref_value) <= tol * abs(ref_value)
    for g, r in zip(grad.arrays(), ref.arrays()):
        assert isinstance(g, NAMESPACES[ns][1]) and str(g.dtype).endswith(dt)
        np.testing.assert_allclose(to_numpy(g), r, rtol=0, atol=tol * np.max(np.abs(r)))
    y = np.argmax(Y, axis=1)
    labels = make(ns, "int64")(y)
    assert cnn.accuracy(ARCH, theta_x, a(X), labels) == cnn.accuracy(ARCH, theta, X, y)


@params
def test_adam_and_training(ns, dt):
    theta, X, Y = network_problem(m=8, seed=1)
    a = make(ns, dt)
    theta_x = theta.map(a)
    grad = theta.map(lambda w: 0.1 * w + 1.0)
    state_x = cnn.adam_init(theta_x)
    assert all(isinstance(m, NAMESPACES[ns][1]) for m in state_x.m.arrays())
    stepped, state2 = cnn.adam_update(theta_x, grad.map(a), state_x, alpha=0.1)
    ref, _ = cnn.adam_update(theta, grad, cnn.adam_init(theta), alpha=0.1)
    for s, r, w in zip(stepped.arrays(), ref.arrays(), theta.arrays()):
        # the first step moves each entry by alpha g/(|g| + eps) ~ alpha: a few roundings of it
        assert isinstance(s, NAMESPACES[ns][1]) and str(s.dtype).endswith(dt)
        assert np.all(np.abs(to_numpy(s) - r) <= 8 * UNIT[dt] * (np.abs(w) + 1))
    y = np.argmax(Y, axis=1)
    trained, history = cnn.train(
        ARCH,
        theta_x,
        a(X),
        a(Y),
        epochs=2,
        batch_size=3,
        rng=np.random.default_rng(7),
        X_test=a(X),
        y_test=make(ns, "int64")(y),
    )
    assert all(
        isinstance(w, NAMESPACES[ns][1]) and str(w.dtype).endswith(dt) for w in trained.arrays()
    )
    assert len(history.loss) == 2 and len(history.test_accuracy) == 2
    assert all(np.isfinite(history.loss)) and all(0 <= t <= 1 for t in history.test_accuracy)
    if dt == "float64":  # the same minibatches and steps: the NumPy float64 path to rounding
        trained_ref, history_ref = cnn.train(
            ARCH,
            theta,
            X,
            Y,
            epochs=2,
            batch_size=3,
            rng=np.random.default_rng(7),
            X_test=X,
            y_test=y,
        )
        np.testing.assert_allclose(history.loss, history_ref.loss, rtol=1e-9)
        for w, r in zip(trained.arrays(), trained_ref.arrays()):
            np.testing.assert_allclose(to_numpy(w), r, rtol=1e-7, atol=1e-9)


def test_arguments_of_two_libraries_are_rejected():
    X, W, b, G = conv_problem(0, GEOMETRIES[2])
    with pytest.raises(TypeError, match="'X' and 'W' come from different array libraries"):
        cnn.conv2d(X, torch.tensor(W), None)
    _, cache = cnn.conv2d_forward(X, W, b, **GEOMETRIES[2])
    with pytest.raises(TypeError, match="'G' and 'cache' come from different array libraries"):
        cnn.conv2d_backward(torch.tensor(G), torch.tensor(W), cache)
    theta, X, Y = network_problem()
    with pytest.raises(TypeError, match="different array libraries"):
        cnn.cnn_forward(ARCH, theta, torch.tensor(X))


def test_every_public_function_is_covered():
    """Each public function of ``cnn`` that takes an array is named in this file, whose
    tests run on every backend: a guard against a new function without a backend test (the
    samplers and the containers take no array)."""
    assert uncovered(cnn, referenced(__file__, "cnn")) == []
