"""``deepqed.attention`` on every array backend: each public function runs on NumPy,
array_api_strict and torch (CPU; CUDA where available), in float32 and float64, returns arrays of
the input's namespace, device and dtype, and agrees with the NumPy float64 path (which runs the
fused kernels of ``attention._sdpa_fast``; the other namespaces run the plain kernels the book
shows).

Tolerances: every compared quantity is a composition of at most ``L = 6`` stages (projections,
scores, softmax, weighted sums, layer norms, the feed-forward layer and their backward maps),
each a sum of at most ``K = n + d + d_ff`` products or an elementwise map with a bounded
derivative on these well-conditioned random instances (layer norms of rows with standard
deviation of order 1), so its first-order rounding error relative to the largest entry is a
small multiple of ``L K u`` (``u`` the unit roundoff); we allow ``8 L K u``.
"""

from __future__ import annotations

import array_api_strict as xs
import numpy as np
import pytest
import torch
from array_backends import BACKENDS, UNIT_ROUNDOFF, assert_same, referenced, uncovered

from deepqed import attention

B, N, N_K, D, HEADS, D_FF = 2, 5, 4, 8, 2, 12
NAMESPACES = BACKENDS
params = pytest.mark.parametrize(
    "ns,dt", [(n, d) for n in NAMESPACES for d in UNIT_ROUNDOFF], ids=lambda v: str(v)
)


def tol(dt: str) -> float:
    return 8 * 6 * (N + D + D_FF) * UNIT_ROUNDOFF[dt]


def same(result, reference, ns, dt):
    """``result`` has the namespace and dtype of the inputs and equals ``reference`` (NumPy
    float64) to ``tol(dt)`` relative to the largest entry of ``reference``."""
    assert_same(result, reference, ns, dt, tol(dt))


RNG = np.random.default_rng(0)
Q, K, V = (RNG.standard_normal((B, HEADS, n, D)) for n in (N, N_K, N_K))
dO = RNG.standard_normal((B, HEADS, N, D))
X, X_KV = RNG.standard_normal((B, N, D)), RNG.standard_normal((B, N_K, D))
dY = RNG.standard_normal((B, N, D))
BOOL_MASK = RNG.random((B, N, N_K)) < 0.7
BOOL_MASK[:, :, 0] = True
BOOL_MASK[0, 1, :] = False  # one fully masked row: weights 0
ADDITIVE = np.where(RNG.random((N, N_K)) < 0.8, RNG.standard_normal((N, N_K)), -np.inf)


def mask_in(ns, mask):
    """The mask in the namespace ``ns`` (boolean stays boolean, additive float64)."""
    if ns == "numpy":
        return mask
    if ns == "array_api_strict":
        return xs.asarray(mask)
    return torch.tensor(mask, device=ns.split("-", 1)[1])


@params
@pytest.mark.parametrize("masking", ["none", "bool", "additive", "causal"])
def test_sdpa(ns, dt, masking):
    make = NAMESPACES[ns][0]
    mask = {"bool": BOOL_MASK[:, None], "additive": ADDITIVE}.get(masking)
    kw = {"mask": None if mask is None else mask_in(ns, mask), "causal": masking == "causal"}
    ref_kw = {"mask": mask, "causal": masking == "causal"}
    Qx, Kx, Vx, dOx = (make(a, dt) for a in (Q, K, V, dO))
    S = attention.attention_scores(Qx, Kx, **kw)
    S_ref = attention.attention_scores(Q, K, **ref_kw)
    finite = np.isfinite(S_ref)  # the masked entries are -inf in both
    got = NAMESPACES[ns][1](S).astype(np.float64)
    assert isinstance(S, NAMESPACES[ns][2]) and str(S.dtype).endswith(dt)
    assert np.array_equal(np.isfinite(got), finite)
    np.testing.assert_allclose(got[finite], S_ref[finite], rtol=0, atol=tol(dt) * 10)
    P = attention.softmax_rows(S)
    P_ref = attention.softmax_rows(S_ref)
    same(P, P_ref, ns, dt)
    same(
        attention.softmax_rows_backward(dOx[..., :N_K], P),
        attention.softmax_rows_backward(dO[..., :N_K], P_ref),
        ns,
        dt,
    )
    O, P2 = attention.sdpa_forward(Qx, Kx, Vx, **kw)
    O_ref, P2_ref = attention.sdpa_forward(Q, K, V, **ref_kw)
    same(O, O_ref, ns, dt)
    same(P2, P2_ref, ns, dt)
    for a, b in zip(
        attention.sdpa_backward(dOx, Qx, Kx, Vx, P2), attention.sdpa_backward(dO, Q, K, V, P2_ref)
    ):
        same(a, b, ns, dt)


def test_causal_mask():
    assert np.array_equal(attention.causal_mask(3, 4), np.tri(3, 4, dtype=bool))


@params
@pytest.mark.parametrize("cross", [False, True])
@pytest.mark.parametrize("masking", ["none", "bool", "causal"])
def test_mha(ns, dt, cross, masking):
    make = NAMESPACES[ns][0]
    theta = attention.init_mha(D, HEADS, rng=np.random.default_rng(1))
    n_k = N_K if cross else N
    mask = BOOL_MASK[:, :, :n_k] if cross else np.tri(N, dtype=bool)[None].repeat(B, 0)
    mask = {"bool": mask}.get(masking)
    kv, kv_ref = (make(X_KV, dt), X_KV) if cross else (None, None)
    causal = masking == "causal" and not cross
    Y, cache = attention.mha_forward(
        theta.map(lambda a: make(a, dt)),
        make(X, dt),
        kv,
        mask=None if mask is None else mask_in(ns, mask),
        causal=causal,
    )
    Y_ref, cache_ref = attention.mha_forward(theta, X, kv_ref, mask=mask, causal=causal)
    same(Y, Y_ref, ns, dt)
    dtheta, dX, dX_kv = attention.mha_backward(
        theta.map(lambda a: make(a, dt)), cache, make(dY, dt)
    )
    ref, dX_ref, dX_kv_ref = attention.mha_backward(theta, cache_ref, dY)
    for a, b in zip((*dtheta.arrays(), dX), (*ref.arrays(), dX_ref)):
        same(a, b, ns, dt)
    assert (dX_kv is None) == (dX_kv_ref is None)
    if dX_kv is not None:
        same(dX_kv, dX_kv_ref, ns, dt)
    assert attention.mha_num_parameters(D, HEADS) == sum(
        int(np.prod(a.shape)) for a in dtheta.arrays()
    )


@params
def test_layernorm(ns, dt):
    make = NAMESPACES[ns][0]
    rng = np.random.default_rng(2)
    gamma, beta = 1 + 0.1 * rng.standard_normal(D), 0.1 * rng.standard_normal(D)
    g, b = make(gamma, dt), make(beta, dt)
    Y, cache = attention.layernorm_forward(make(X, dt), g, b)
    Y_ref, cache_ref = attention.layernorm_forward(X, gamma, beta)
    same(Y, Y_ref, ns, dt)
    for a, r in zip(
        attention.layernorm_backward(make(dY, dt), g, cache),
        attention.layernorm_backward(dY, gamma, cache_ref),
    ):
        same(a, r, ns, dt)
    same(
        attention.layernorm_jacobian(make(X[0, 0], dt), g),
        attention.layernorm_jacobian(X[0, 0], gamma),
        ns,
        dt,
    )


@params
@pytest.mark.parametrize("residual", [False, True])
def test_stack_jacobian(ns, dt, residual):
    make = NAMESPACES[ns][0]
    Ws, bs = attention.random_stack(D, [0.5, 1.0, 0.8], rng=np.random.default_rng(3))
    x = X[0, 0]
    got = attention.stack_jacobian(
        [make(W, dt) for W in Ws], [make(b, dt) for b in bs], make(x, dt), residual=residual
    )
    for a, r in zip(got, attention.stack_jacobian(Ws, bs, x, residual=residual)):
        same(a, r, ns, dt)


@params
@pytest.mark.parametrize("activation", ["gelu", "relu"])
def test_block(ns, dt, activation):
    make = NAMESPACES[ns][0]
    theta = attention.init_block(D, HEADS, D_FF, rng=np.random.default_rng(4))
    theta_x = theta.map(lambda a: make(a, dt))
    Y, cache = attention.block_forward(theta_x, make(X, dt), activation=activation, causal=True)
    Y_ref, cache_ref = attention.block_forward(theta, X, activation=activation, causal=True)
    same(Y, Y_ref, ns, dt)
    dtheta, dX = attention.block_backward(theta_x, cache, make(dY, dt), activation=activation)
    ref, dX_ref = attention.block_backward(theta, cache_ref, dY, activation=activation)
    for a, b in zip((*dtheta.arrays(), dX), (*ref.arrays(), dX_ref)):
        same(a, b, ns, dt)


def test_mask_from_another_library():
    """A mask must come from the queries' library (the error names it)."""
    with pytest.raises(TypeError, match="'mask'"):
        attention.sdpa_forward(
            torch.tensor(Q), torch.tensor(K), torch.tensor(V), mask=np.ones((N, N_K), dtype=bool)
        )


def test_every_public_function_is_covered():
    """Each public function of ``attention`` that takes an array is named in this file, whose
    tests run on every backend: a guard against a new function without a backend test (the
    samplers and the containers take no array)."""
    assert uncovered(attention, referenced(__file__, "attention")) == []
