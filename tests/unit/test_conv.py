"""Unit tests of ``deepqed.cnn.conv`` and ``deepqed.cnn.im2col``: values against loops written from
the definition and against torch, shapes, dtypes, validation, and Hypothesis properties."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from deepqed import cnn
from deepqed._validation import ShapeError


def loops_conv(X, W, b, s, p, d, mode="zeros"):
    """Equation (eq-cnn-xcorr) entry by entry (float64)."""
    m, C, n1, n2 = X.shape
    Co, _, k1, k2 = W.shape
    if mode == "zeros":
        Xp = np.pad(X, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])))
    else:
        Xp = np.pad(X, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), mode="wrap")
    o1 = (n1 + 2 * p[0] - d[0] * (k1 - 1) - 1) // s[0] + 1
    o2 = (n2 + 2 * p[1] - d[1] * (k2 - 1) - 1) // s[1] + 1
    Z = np.zeros((m, Co, o1, o2))
    for mu, o, i, j in np.ndindex(m, Co, o1, o2):
        Z[mu, o, i, j] = b[o] + sum(
            W[o, c, a, e] * Xp[mu, c, s[0] * i + d[0] * a, s[1] * j + d[1] * e]
            for c in range(C)
            for a in range(k1)
            for e in range(k2)
        )
    return Z


@st.composite
def conv_problems(draw, modes=("zeros", "circular")):
    k1, k2 = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    mode = draw(st.sampled_from(modes))
    lo1 = max(1, d[0] * (k1 - 1) + 1 - 2 * p[0], p[0] if mode == "circular" else 1)
    lo2 = max(1, d[1] * (k2 - 1) + 1 - 2 * p[1], p[1] if mode == "circular" else 1)
    n1, n2 = draw(st.integers(lo1, lo1 + 5)), draw(st.integers(lo2, lo2 + 5))
    m, C, Co = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    return (
        rng.standard_normal((m, C, n1, n2)),
        rng.standard_normal((Co, C, k1, k2)),
        rng.standard_normal(Co),
        s,
        p,
        d,
        mode,
    )


@settings(max_examples=30, deadline=None)
@given(conv_problems())
def test_conv2d_matches_loops(problem):
    X, W, b, s, p, d, mode = problem
    Z = cnn.conv2d(X, W, b, stride=s, padding=p, dilation=d, padding_mode=mode)
    np.testing.assert_allclose(Z, loops_conv(X, W, b, s, p, d, mode), rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(conv_problems())
def test_adjoint_identity_and_backward_consistency(problem):
    X, W, b, s, p, d, mode = problem
    kw = dict(stride=s, padding=p, dilation=d, padding_mode=mode)
    Z, cache = cnn.conv2d_forward(X, W, None, **kw)
    Y = np.random.default_rng(0).standard_normal(Z.shape)
    rho = tuple(
        (n + 2 * pp - dd * (k - 1) - 1) % ss
        for n, pp, dd, k, ss in zip(X.shape[2:], p, d, W.shape[2:], s)
    )
    KsY = cnn.conv_transpose2d(Y, W, output_padding=rho, **kw)
    assert np.isclose(np.sum(Z * Y), np.sum(X * KsY), rtol=1e-10, atol=1e-10)
    dX, dW, db = cnn.conv2d_backward(Y, W, cache)
    np.testing.assert_allclose(dX, KsY, rtol=1e-12, atol=1e-12)  # dX = K* Delta
    assert np.isclose(np.sum(dW * W), np.sum(Z * Y), rtol=1e-10, atol=1e-10)  # Z is linear in W


@settings(max_examples=40, deadline=None)
@given(conv_problems(modes=("zeros",)))
def test_im2col_col2im_adjoint(problem):
    X, W, _, s, p, d, _ = problem
    k = W.shape[2:]
    cols = cnn.im2col(X, k, stride=s, padding=p, dilation=d)
    M = np.random.default_rng(1).standard_normal(cols.shape)
    back = cnn.col2im(M, X.shape, k, stride=s, padding=p, dilation=d)
    assert np.isclose(np.sum(cols * M), np.sum(X * back), rtol=1e-10, atol=1e-10)


def test_pad_and_its_adjoint():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3, 4, 5))
    for mode, npmode in (("zeros", "constant"), ("circular", "wrap")):
        Xp = cnn.pad(X, (2, 3), mode)
        np.testing.assert_array_equal(Xp, np.pad(X, ((0, 0), (0, 0), (2, 2), (3, 3)), mode=npmode))
        G = rng.standard_normal(Xp.shape)
        assert np.isclose(np.sum(Xp * G), np.sum(X * cnn.pad_adjoint(G, (4, 5), (2, 3), mode)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtypes_are_kept(dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 3, 6, 6)).astype(dtype)
    W = rng.standard_normal((4, 3, 3, 3)).astype(dtype)
    b = rng.standard_normal(4).astype(dtype)
    Z, cache = cnn.conv2d_forward(X, W, b, padding=1)
    grads = cnn.conv2d_backward(np.ones_like(Z), W, cache)
    assert Z.dtype == dtype and all(g.dtype == dtype for g in grads)
    assert cnn.conv_transpose2d(Z, W, padding=1).dtype == dtype
    ref = F.conv2d(
        torch.tensor(X.astype(np.float64)),
        torch.tensor(W.astype(np.float64)),
        torch.tensor(b.astype(np.float64)),
        padding=1,
    ).numpy()
    np.testing.assert_allclose(Z, ref, rtol=1e-4 if dtype == np.float32 else 1e-12, atol=1e-4)


def test_need_dX_false_skips_the_input_gradient():
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    Z, cache = cnn.conv2d_forward(X, W)
    dX, dW, db = cnn.conv2d_backward(np.ones_like(Z), W, cache, need_dX=False)
    assert dX is None and dW.shape == W.shape and db.shape == (3,)


def test_output_size_formula_and_errors():
    assert cnn.output_size(32, 5, 2, 2, 1) == 16
    assert cnn.output_size(32, 5, 2, 2, 2) == 14
    assert cnn.output_size(7, 3) == 5
    with pytest.raises(ValueError, match="'k' must give a dilated kernel d\\(k-1\\)\\+1 no larger"):
        cnn.output_size(3, 3, 1, 0, 2)


def test_dynamic_checks_name_the_argument():
    """The checks that depend on several arguments (the generated test of test_public_api.py
    covers each argument alone)."""
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    with pytest.raises(ShapeError, match=r"'W'.*C_in = 2 \(from 'X'\)"):
        cnn.conv2d(X, rng.standard_normal((3, 4, 3, 3)))
    with pytest.raises(ShapeError, match=r"'b'.*C_out = 3 \(from 'W'\)"):
        cnn.conv2d(X, W, np.zeros(2))
    with pytest.raises(TypeError, match="'X' and 'W' have different dtypes"):
        cnn.conv2d(X.astype(np.float32), W)
    with pytest.raises(ValueError, match="'padding' must be at most the input size"):
        cnn.conv2d(X, W, padding=6, padding_mode="circular")
    with pytest.raises(ValueError, match="'W' must have a dilated kernel"):
        cnn.conv2d(X, W, dilation=3)
    with pytest.raises(
        TypeError, match="'stride' must be an integer >= 1 or a pair of them, got 2.5"
    ):
        cnn.conv2d(X, W, stride=2.5)
    Z, cache = cnn.conv2d_forward(X, W)
    with pytest.raises(ValueError, match=r"'G' must have the shape of Z.*\(1, 3, 3, 3\)"):
        cnn.conv2d_backward(np.ones((1, 3, 2, 2)), W, cache)
    with pytest.raises(ValueError, match="'W' must be the weights of the forward pass"):
        cnn.conv2d_backward(Z, rng.standard_normal((3, 2, 2, 2)), cache)
    with pytest.raises(TypeError, match="'G' must have the dtype of the forward pass"):
        cnn.conv2d_backward(Z.astype(np.float32), W.astype(np.float32), cache)
    with pytest.raises(ValueError, match="'output_padding' must lie in"):
        cnn.conv_transpose2d(Z, W, output_padding=1)
    with pytest.raises(ValueError, match="'cols' must have shape"):
        cnn.col2im(np.ones((18, 8)), (1, 2, 5, 5), 3)
    with pytest.raises(ValueError, match="'input_shape' must be a shape"):
        cnn.col2im(np.ones((18, 9)), (1, 2, 5), 3)


@settings(max_examples=60, deadline=None)
@given(conv_problems(), st.booleans(), st.sampled_from([None, False, True]))
def test_the_fast_path_computes_the_reference_step(problem, need_dX, by_rows):
    """cnn._fast (the training path: another memory layout, strided copies, a buffered col2im;
    im2col(X) or, for row dilation 1, X copied once per kernel column and read by output rows)
    against the reference step of cnn.conv, to rounding."""
    from deepqed.cnn import _fast

    X, W, b, s, p, d, mode = problem
    kw = dict(stride=s, padding=p, dilation=d, padding_mode=mode)
    Z, cache = cnn.conv2d_forward(X, W, b, **kw)
    if by_rows and d[0] != 1:  # the copy by rows needs a row dilation of 1, and says so
        with pytest.raises(ValueError, match="by_rows=True needs a row dilation of 1"):
            _fast.conv2d_forward(np, X, W, b, cnn.Geometry(**kw), by_rows=True)
        by_rows = None
    Zf, cache_f = _fast.conv2d_forward(np, X, W, b, cnn.Geometry(**kw), by_rows=by_rows)
    rule = d[0] == 1 and s[0] < W.shape[2]  # no row dilation, a copy smaller than im2col
    assert cache_f.by_rows is (rule if by_rows is None else by_rows)
    np.testing.assert_allclose(Zf, Z, rtol=1e-13, atol=1e-13)
    G = np.random.default_rng(2).standard_normal(Z.shape)
    ref = cnn.conv2d_backward(G, W, cache, need_dX=need_dX)
    fast = _fast.conv2d_backward(np, G, W, cache_f, need_dX=need_dX)
    for r, f in zip(ref, fast):
        if r is None:
            assert f is None
        else:
            assert f.shape == r.shape and f.dtype == r.dtype
            np.testing.assert_allclose(f, r, rtol=1e-12, atol=1e-12)


def test_counts():
    c = cnn.conv2d_counts(128, 3, 64, 32, 32, 5, stride=2, padding=2)
    assert c == {
        "parameters": 4864,
        "forward": 157_286_400,
        "backward": 314_572_800,
        "bias_adds": 128 * 64 * 16 * 16,
    }


@settings(max_examples=40, deadline=None)
@given(conv_problems(modes=("zeros",)))
def test_both_forms_of_the_input_gradient_agree_with_the_reference(problem):
    """For stride 1 and zero padding the fast path forms dX either by the buffered col2im or by
    the correlation of G with the kernel, whichever moves less memory: both against cnn.conv's
    reference col2im, whatever the shapes would choose."""
    from deepqed.cnn import _fast

    X, W, b, s, p, d, mode = problem
    g = cnn.Geometry(stride=1, padding=p, dilation=d)
    Z, cache = cnn.conv2d_forward(X, W, b, stride=1, padding=p, dilation=d)
    G = np.random.default_rng(3).standard_normal(Z.shape)
    dX, _, _ = cnn.conv2d_backward(G, W, cache)
    m, C, H, Wd = X.shape
    G2 = _fast._to_chwn(np, G).reshape(W.shape[0], -1)
    for form in (_fast._col2im_matmul, _fast._correlate_rows):
        got = _fast._from_chwn(np, form(np, W, G2, (C, H, Wd, m), g))
        np.testing.assert_allclose(got, dX, rtol=1e-12, atol=1e-12, err_msg=form.__name__)


def test_the_correlation_form_is_chosen_where_it_moves_less():
    from deepqed.cnn import _fast

    g = cnn.Geometry(padding=2)
    assert _fast._by_correlation(g, 16, 32, 8, 8, 5, 5)  # 3 * 32*12*8 <= 2 * 16*5*8*8
    assert not _fast._by_correlation(cnn.Geometry(padding=1), 16, 32, 8, 8, 3, 3)  # 7680 > 6144
    # it would move less (3*1*10*8 <= 2*64*3*36), but multiply the 64 - 36 border zeros of G
    assert not _fast._by_correlation(cnn.Geometry(), 64, 1, 8, 8, 3, 3)
    assert not _fast._by_correlation(g, 1, 16, 28, 28, 5, 5)  # one input channel: few additions
    assert not _fast._by_correlation(cnn.Geometry(stride=2, padding=2), 16, 32, 8, 8, 5, 5)
    circular = cnn.Geometry(padding=2, padding_mode="circular")
    assert not _fast._by_correlation(circular, 16, 32, 8, 8, 5, 5)


def test_the_copy_by_rows_replaces_im2col_where_it_is_smaller():
    """X copied once per kernel column, one block per padded image row, replaces im2col(X) where
    the row dilation is 1 and the row stride is below the kernel's height: it is
    k_1 n_1' / ((n_1' - 1) s_1 + k_1) times smaller, larger for s_1 > k_1."""
    from deepqed.cnn import _fast

    X = np.random.default_rng(0).standard_normal((4, 16, 32, 32)).astype(np.float32)
    W = np.ones((8, 16, 3, 3), dtype=np.float32)
    _, rows = _fast.conv2d_forward(np, X, W, None, cnn.Geometry(padding=1))
    _, full = _fast.conv2d_forward(np, X, W, None, cnn.Geometry(padding=1), by_rows=False)
    assert rows.by_rows and not full.by_rows
    assert rows.cols.shape == (34, 16 * 3 * 32 * 4) and full.cols.shape == (16 * 9, 32 * 32 * 4)
    _, strided = _fast.conv2d_forward(np, X, W, None, cnn.Geometry(stride=2, padding=1))
    assert strided.by_rows and strided.cols.shape == (15 * 2 + 3, 16 * 3 * 16 * 4)
    _, dilated = _fast.conv2d_forward(np, X, W, None, cnn.Geometry(dilation=(2, 1)))
    assert not dilated.by_rows and dilated.cols.shape == (16 * 9, 28 * 30 * 4)
    one = np.ones((8, 16, 1, 1), dtype=np.float32)  # s_1 = 2 > k_1 = 1: im2col is the smaller
    _, pointwise = _fast.conv2d_forward(np, X, one, None, cnn.Geometry(stride=2))
    assert not pointwise.by_rows and pointwise.cols.shape == (16, 16 * 16 * 4)
    _, forced = _fast.conv2d_forward(np, X, one, None, cnn.Geometry(stride=2), by_rows=True)
    assert forced.by_rows and forced.cols.size > pointwise.cols.size
    _, square = _fast.conv2d_forward(np, X, W, None, cnn.Geometry(stride=3))  # s_1 = k_1
    assert not square.by_rows
