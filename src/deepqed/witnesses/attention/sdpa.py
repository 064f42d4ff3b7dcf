r"""Witnesses of Sections "Scaled dot-product attention" and "Masks": `def-att-sdpa`,
`lem-att-softmax-backward`, `thm-att-sdpa-backward`, `prop-att-equivariance`, `prop-att-masking`."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ... import attention
from ...registry import Figures, Witness
from ._common import TOL, adjoint_error, nan_max, relative_error, single_threaded


def _qkv(rng, dtype, *, heads=True):
    lead = (int(rng.integers(1, 3)),) + ((int(rng.integers(1, 4)),) if heads else ())
    n_q, n_k, d_k, d_v = (int(v) for v in rng.integers(1, 7, size=4))
    Q = rng.standard_normal(lead + (n_q, d_k)).astype(dtype)
    K = rng.standard_normal(lead + (n_k, d_k)).astype(dtype)
    V = rng.standard_normal(lead + (n_k, d_v)).astype(dtype)
    return Q, K, V


def _random_mask(rng, kind, n_q, n_k, dtype):
    """None, a boolean mask (True = attend) or an additive mask with -inf and finite entries."""
    if kind == "none":
        return None
    keep = rng.random((n_q, n_k)) < 0.7
    if kind == "bool":
        return keep
    return np.where(keep, rng.standard_normal((n_q, n_k)), -np.inf).astype(dtype)


@single_threaded
def sdpa_matches_torch(rng: np.random.Generator, *, forward=attention.sdpa_forward) -> Figures:
    """SDPA vs ``torch.nn.functional.scaled_dot_product_attention``: no mask, boolean, additive and
    causal masks, 3-D and 4-D arrays, float32 and float64."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for kind in ("none", "bool", "additive"):
            for causal in (False, True):
                Q, K, V = _qkv(rng, dtype, heads=bool(rng.integers(2)))
                n_q, n_k = Q.shape[-2], K.shape[-2]
                mask = _random_mask(rng, kind, n_q, n_k, dtype)
                O, _ = forward(Q, K, V, mask=mask, causal=causal)
                tm = None if mask is None else torch.from_numpy(mask)
                if causal:  # torch's is_causal forbids attn_mask; combine by hand
                    tri = torch.from_numpy(np.tri(n_q, n_k, dtype=bool))
                    tm = (
                        tri
                        if tm is None
                        else (tm & tri if kind == "bool" else tm.masked_fill(~tri, -np.inf))
                    )
                ref = F.scaled_dot_product_attention(
                    *(torch.from_numpy(a) for a in (Q, K, V)), attn_mask=tm
                ).numpy()
                # a fully masked row: torch returns 0, as Definition def-att-sdpa does
                errors.append(relative_error([O], [ref.astype(np.float64)]) / TOL[dtype])
                count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "relative error of sdpa_forward vs torch scaled_dot_product_attention, divided "
        "by the dtype's tolerance (2e-5 float32, 1e-12 float64), masks of three kinds",
    )


@single_threaded
def softmax_backward_matches_autograd(
    rng: np.random.Generator, *, backward=attention.softmax_rows_backward
) -> Figures:
    """dS = P * (dP - rowsum(dP * P)) vs torch autograd of ``torch.softmax`` and vs the explicit
    product J(s_i) dP_i with J from the feedforward chapter's formula (NumPy, row by row)."""
    errors = []
    for _ in range(8):
        shape = tuple(int(v) for v in rng.integers(1, 6, size=3))
        S = 3 * rng.standard_normal(shape)
        dP = rng.standard_normal(shape)
        P = attention.softmax_rows(S)
        dS = backward(dP, P)
        St = torch.from_numpy(S).requires_grad_()
        (torch.softmax(St, dim=-1) * torch.from_numpy(dP)).sum().backward()
        errors.append(relative_error([dS], [St.grad.numpy()]))
        rows = P.reshape(-1, shape[-1])
        explicit = np.stack(
            [(np.diag(s) - np.outer(s, s)) @ g for s, g in zip(rows, dP.reshape(rows.shape))]
        ).reshape(shape)
        errors.append(relative_error([dS], [explicit]))
    return Figures(
        8,
        nan_max(errors),
        1e-12,
        "relative error of softmax_rows_backward vs torch autograd and vs "
        "(diag(s) - s s^T) dP row by row, float64",
    )


@single_threaded
def sdpa_backward_matches_autograd(
    rng: np.random.Generator, *, backward=attention.sdpa_backward
) -> Figures:
    """dQ, dK, dV vs torch autograd through ``F.scaled_dot_product_attention`` (float32, float64,
    with and without a causal mask), and central differences of <U, O> (float64, adjoint check)."""
    errors, count = [], 0
    for dtype in (np.float64, np.float32):
        for causal in (False, True):
            Q, K, V = _qkv(rng, dtype)
            O, P = attention.sdpa_forward(Q, K, V, causal=causal)
            dO = rng.standard_normal(O.shape).astype(dtype)
            ours = backward(dO, Q, K, V, P)
            t = [torch.from_numpy(a).requires_grad_() for a in (Q, K, V)]
            tm = torch.from_numpy(np.tri(Q.shape[-2], K.shape[-2], dtype=bool)) if causal else None
            ref = F.scaled_dot_product_attention(*t, attn_mask=tm)
            grads = torch.autograd.grad(ref, t, torch.from_numpy(dO))
            # a fully masked row (causal with n_q > n_k never happens: row 0 keeps key 0)
            errors.append(
                relative_error(ours, [g.numpy().astype(np.float64) for g in grads]) / TOL[dtype]
            )
            count += 1
    for causal in (False, True):  # central differences, float64
        Q, K, V = _qkv(rng, np.float64)
        O, P = attention.sdpa_forward(Q, K, V, causal=causal)
        U = rng.standard_normal(O.shape)
        dQ, dK, dV = backward(U, Q, K, V, P)
        for x, g, f in (
            (Q, dQ, lambda Z: attention.sdpa_forward(Z, K, V, causal=causal)[0]),
            (K, dK, lambda Z: attention.sdpa_forward(Q, Z, V, causal=causal)[0]),
            (V, dV, lambda Z: attention.sdpa_forward(Q, K, Z, causal=causal)[0]),
        ):
            errors.append(adjoint_error(f, x, g, U, rng) / 1e-8)
        count += 1
    return Figures(
        count,
        nan_max(errors),
        1.0,
        "relative error of sdpa_backward vs torch autograd (divided by 2e-5 float32, "
        "1e-12 float64) and vs central differences (divided by 1e-8)",
    )


@single_threaded
def attention_permutation_equivariance(
    rng: np.random.Generator, *, forward=attention.sdpa_forward
) -> Figures:
    """Attn(PX W_Q, PX W_K, PX W_V) = P Attn(X ...) for random permutations P (self-attention),
    without mask and with a boolean mask M replaced by P M P^T; cross-attention output unchanged
    when keys and values are permuted jointly (without mask, and with M replaced by M P^T)
    (float64)."""
    errors = []
    for _ in range(6):
        B, n, d = int(rng.integers(1, 3)), int(rng.integers(2, 8)), int(rng.integers(1, 6))
        X = rng.standard_normal((B, n, d))
        W_Q, W_K, W_V = (rng.standard_normal((d, d)) for _ in range(3))
        perm = rng.permutation(n)
        O, _ = forward(X @ W_Q.T, X @ W_K.T, X @ W_V.T)
        Xp = X[:, perm]
        Op, _ = forward(Xp @ W_Q.T, Xp @ W_K.T, Xp @ W_V.T)
        errors.append(relative_error([Op], [O[:, perm]]))
        keep = rng.random((n, n)) < 0.6  # a mask, some rows possibly fully masked
        O, _ = forward(X @ W_Q.T, X @ W_K.T, X @ W_V.T, mask=keep)
        Op, _ = forward(Xp @ W_Q.T, Xp @ W_K.T, Xp @ W_V.T, mask=keep[perm][:, perm])
        errors.append(relative_error([Op], [O[:, perm]]))
        n_q = int(rng.integers(1, 5))
        Q = rng.standard_normal((B, n_q, d))
        K, V = rng.standard_normal((B, n, d)), rng.standard_normal((B, n, 3))
        O1, _ = forward(Q, K, V)
        O2, _ = forward(Q, K[:, perm], V[:, perm])
        errors.append(relative_error([O2], [O1]))
        keep = rng.random((n_q, n)) < 0.6
        O1, _ = forward(Q, K, V, mask=keep)
        O2, _ = forward(Q, K[:, perm], V[:, perm], mask=keep[:, perm])
        errors.append(relative_error([O2], [O1]))
    return Figures(
        6,
        nan_max(errors),
        1e-13,
        "relative error between Attn(PX) and P Attn(X) (no mask; mask P M P^T), and "
        "between cross-attention with jointly permuted and original keys/values (no "
        "mask; mask M P^T), float64",
    )


@single_threaded
def masked_positions_get_no_weight_or_gradient(
    rng: np.random.Generator, *, forward=attention.sdpa_forward
) -> Figures:
    """Masked weights are exactly 0; a key masked for every query gets dK = dV = 0 (ours and torch
    autograd through ``F.scaled_dot_product_attention``); a fully masked row gives output 0 and
    dQ row 0;
    causal: perturbing inputs at positions > t leaves outputs <= t unchanged."""
    errors = []
    for _ in range(5):
        Q, K, V = _qkv(rng, np.float64)
        n_q, n_k = Q.shape[-2], K.shape[-2]
        keep = rng.random((n_q, n_k)) < 0.6
        keep[:, -1] = False  # the last key is masked for every query
        if n_q > 1:
            keep[0] = False  # the first query: a fully masked row
        O, P = forward(Q, K, V, mask=keep)
        errors.append(float(np.max(np.abs(P[..., ~keep]), initial=0.0)))  # zero weight
        errors.append(float(np.max(np.abs(O[..., 0, :]))) if n_q > 1 else 0.0)
        U = rng.standard_normal(O.shape)
        dQ, dK, dV = attention.sdpa_backward(U, Q, K, V, P)
        errors.append(float(np.max(np.abs(dK[..., -1, :]))))  # zero gradient
        errors.append(float(np.max(np.abs(dV[..., -1, :]))))
        errors.append(float(np.max(np.abs(dQ[..., 0, :]))) if n_q > 1 else 0.0)  # masked query
        Kt = torch.from_numpy(K).requires_grad_()
        Vt = torch.from_numpy(V).requires_grad_()
        ref = F.scaled_dot_product_attention(
            torch.from_numpy(Q), Kt, Vt, attn_mask=torch.from_numpy(keep)
        )
        gK, gV = torch.autograd.grad(ref, (Kt, Vt), torch.from_numpy(U))
        errors.append(float(torch.max(torch.abs(gK[..., -1, :]))))  # torch agrees
        errors.append(float(torch.max(torch.abs(gV[..., -1, :]))))
        # causal: outputs at positions <= t do not depend on inputs at positions > t
        n = int(rng.integers(2, 8))
        t = int(rng.integers(0, n - 1))
        X = rng.standard_normal((2, n, 4))
        X2 = X.copy()
        X2[:, t + 1 :] += rng.standard_normal((2, n - t - 1, 4))
        O1, _ = forward(X, X, X, causal=True)
        O2, _ = forward(X2, X2, X2, causal=True)
        errors.append(float(np.max(np.abs(O1[:, : t + 1] - O2[:, : t + 1]))))
        errors.append(0.0 if float(np.max(np.abs(O1[:, t + 1 :] - O2[:, t + 1 :]))) > 0 else 1.0)
    return Figures(
        5,
        nan_max(errors),
        0.0,
        "exact zeros: masked weights, fully masked output and dQ rows, dK and dV of a "
        "never-attended key (ours and torch autograd), causal outputs <= t under "
        "changes after t (and a change after t does change later outputs)",
    )


CLAIMS = (
    Witness(
        "def-att-sdpa",
        sdpa_matches_torch,
        "SDPA with no, boolean, additive and causal masks equals torch's, float32 and float64",
    ),
    Witness(
        "lem-att-softmax-backward",
        softmax_backward_matches_autograd,
        "the row-wise softmax backward equals torch autograd and J(s) dP row by row",
    ),
    Witness(
        "thm-att-sdpa-backward",
        sdpa_backward_matches_autograd,
        "dQ, dK, dV equal torch autograd and central differences",
    ),
    Witness(
        "prop-att-equivariance",
        attention_permutation_equivariance,
        "self-attention is permutation equivariant; cross-attention invariant under joint "
        "permutations of keys and values",
    ),
    Witness(
        "prop-att-masking",
        masked_positions_get_no_weight_or_gradient,
        "masked pairs get weight 0 and gradient 0; causal outputs ignore the future",
    ),
)
