r"""Witnesses of Sections "Scaled dot-product attention" and "Masks": `def-att-sdpa`,
`lem-att-softmax-backward`, `thm-att-sdpa-backward`, `prop-att-equivariance`, `prop-att-masking`.

Masks are drawn of every kind the definition allows: none, boolean, additive with finite entries
and $-\infty$, causal, and with fully masked rows (a query that may attend to no key)."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from ... import attention
from ...registry import Witness
from .._common import Evidence, error
from .._tolerances import adjoint_check
from ._common import (
    as64,
    reference_tolerance,
    relative_error,
    single_threaded,
    torch_attention,
    unit_roundoff,
    worst_error,
)

KINDS = ("none", "bool", "additive", "causal", "fully masked bool", "fully masked additive")


def _qkv(rng, dtype, *, heads=True):
    lead = (int(rng.integers(1, 3)),) + ((int(rng.integers(1, 4)),) if heads else ())
    n_q, n_k, d_k, d_v = (int(v) for v in rng.integers(1, 7, size=4))
    Q = rng.standard_normal(lead + (n_q, d_k)).astype(dtype)
    K = rng.standard_normal(lead + (n_k, d_k)).astype(dtype)
    V = rng.standard_normal(lead + (n_k, d_v)).astype(dtype)
    return Q, K, V


def _mask(rng, kind, n_q, n_k, dtype):
    """``(mask, causal, M)``: the library's arguments and the additive mask $M$ (float64, or
    ``None``) of Definition `def-att-sdpa` that they stand for."""
    if kind == "none":
        return None, False, None
    if kind == "causal":
        return None, True, np.where(np.tri(n_q, n_k, dtype=bool), 0.0, -np.inf)
    keep = rng.random((n_q, n_k)) < 0.7
    if kind.startswith("fully masked"):
        keep[int(rng.integers(n_q))] = False
    M = np.where(keep, 0.0 if "bool" in kind else rng.standard_normal((n_q, n_k)), -np.inf)
    if "bool" in kind:
        return keep, False, M
    return M.astype(dtype), False, M.astype(dtype).astype(np.float64)


def _depth(Q, K, V) -> int:
    return Q.shape[-1] + K.shape[-2] + V.shape[-1] + 8


def _at(Q, K, V, kind) -> str:
    return f"shape {Q.shape[:-2]}, n_q = {Q.shape[-2]}, n_k = {K.shape[-2]}, {kind}"


@single_threaded
def sdpa_matches_torch(
    rng: np.random.Generator, *, dtype: np.dtype, forward=attention.sdpa_forward
) -> Evidence:
    """The output against ``torch.nn.functional.scaled_dot_product_attention`` in float64 on the
    same numbers (masks of every kind; a fully masked row gives 0 in both), and the weights $P$
    against the definition evaluated directly, $P_{ij} = e^{S_{ij}}/\\sum_{l\\in\\Omega_i}
    e^{S_{il}}$ in float64 (no shift; the scores here are of order 10), 0 outside $\\Omega_i$.
    The output's tolerance is that of $P$ times $\\max(1, \\||P||V|\\|/\\|O\\|)$: the error of
    $O = PV$ is bounded relative to $|P||V|$, which matters where the sums over the keys cancel."""
    outputs, weights = [], []
    for kind in KINDS:
        for _ in range(3):
            Q, K, V = _qkv(rng, dtype, heads=bool(rng.integers(2)))
            mask, causal, M = _mask(rng, kind, Q.shape[-2], K.shape[-2], dtype)
            O, P = forward(Q, K, V, mask=mask, causal=causal)

            def ref(a, M=M):
                Mt = None if M is None else torch.from_numpy(M)
                return F.scaled_dot_product_attention(*as64(*a), attn_mask=Mt).numpy()

            tol = reference_tolerance(ref, (Q, K, V), _depth(Q, K, V), dtype, rng)
            S = np.asarray(Q, np.float64) @ np.swapaxes(np.asarray(K, np.float64), -1, -2)
            S = S / np.sqrt(Q.shape[-1]) + (0.0 if M is None else M)
            E = np.exp(S)  # exp(-inf) = 0
            Z = E.sum(axis=-1, keepdims=True)
            P_def = E / np.where(Z > 0, Z, 1.0)
            weights.append((relative_error(P, P_def), tol, _at(Q, K, V, kind)))
            # O = PV: with P accurate to a relative tol (the comparison above), the error of O,
            # ours and torch's alike, is at most tol |P||V| (the rounding of the sums over the
            # keys included), which is not small against O where the sums cancel; perturbing
            # the inputs need not reveal it (a few random signs can cancel too)
            O_ref = ref((Q, K, V))
            absPV = float(np.linalg.norm(P_def @ np.abs(np.asarray(V, np.float64))))
            kappa = absPV / max(float(np.linalg.norm(O_ref)), np.finfo(np.float64).tiny)
            tol_O = tol * max(1.0, kappa)
            outputs.append((relative_error(O, O_ref), tol_O, _at(Q, K, V, kind)))
    return Evidence(
        len(outputs),
        (
            worst_error("$O$ against torch's scaled_dot_product_attention (float64)", outputs),
            worst_error("$P$ against the definition's quotient of exponentials", weights),
        ),
    )


@single_threaded
def softmax_backward_matches_autograd(
    rng: np.random.Generator, *, dtype: np.dtype, backward=attention.softmax_rows_backward
) -> Evidence:
    """$dS = P\\odot(dP - \\operatorname{rowsum}(dP\\odot P))$ against torch autograd of
    ``torch.softmax`` and against the explicit product $J(s_i)\\,dP_i$ with
    $J(s) = \\operatorname{diag}(s) - ss^\\top$ row by row, in float64 on the same numbers."""
    autograd, explicit = [], []
    for _ in range(10):
        shape = tuple(int(v) for v in rng.integers(1, 6, size=3))
        S = (3 * rng.standard_normal(shape)).astype(dtype)
        dP = rng.standard_normal(shape).astype(dtype)
        P = attention.softmax_rows(S)
        dS = backward(dP, P)

        def ref(a):
            St = torch.tensor(a[0], requires_grad=True)
            (torch.softmax(St, dim=-1) * torch.from_numpy(a[1])).sum().backward()
            return St.grad.numpy()

        tol = reference_tolerance(ref, (S, dP), 2 * shape[-1] + 8, dtype, rng)
        rows = np.asarray(P, np.float64).reshape(-1, shape[-1])
        g = np.asarray(dP, np.float64).reshape(rows.shape)
        prod = np.stack([(np.diag(s) - np.outer(s, s)) @ gi for s, gi in zip(rows, g)])
        # the terms' absolute values: the rounding of P (softmax in dtype) and of
        # P * (dP - r) is at most (K + 4) u times them, in ours and in torch alike; it is
        # not small against dS where a row of P is nearly one-hot (dP - r cancels), which
        # perturbing the inputs does not reveal
        A = rows * (np.abs(g) + np.sum(rows * np.abs(g), axis=1, keepdims=True))
        norm = float(np.linalg.norm(prod))
        u = unit_roundoff(dtype)
        cancel = 4 * (shape[-1] + 4) * u * float(np.linalg.norm(A)) / norm if norm > 0 else 0.0
        autograd.append((relative_error(dS, ref([S, dP])), max(tol, cancel), f"shape {shape}"))
        explicit.append(
            (relative_error(dS, prod.reshape(shape)), max(tol, cancel), f"shape {shape}")
        )
    return Evidence(
        10,
        (
            worst_error("$\\mathrm dS$ against autograd of torch.softmax", autograd),
            worst_error(
                "$\\mathrm dS$ against $(\\operatorname{diag}(s) - ss^\\top)\\,\\mathrm dP$ by rows",
                explicit,
            ),
        ),
    )


@single_threaded
def sdpa_backward_matches_autograd(
    rng: np.random.Generator, *, dtype: np.dtype, backward=attention.sdpa_backward
) -> Evidence:
    """$(\\mathrm dQ, \\mathrm dK, \\mathrm dV)$ against torch autograd through attention written
    with torch from the definition (float64, masks of every kind: general additive masks, causal,
    fully masked rows), and, in float64, against central differences of $\\langle U, O\\rangle$
    in each of $Q$, $K$, $V$ (the adjoint identity)."""
    records, fd = [], []
    for kind in KINDS:
        for _ in range(2):
            Q, K, V = _qkv(rng, dtype)
            mask, causal, M = _mask(rng, kind, Q.shape[-2], K.shape[-2], dtype)
            O, P = attention.sdpa_forward(Q, K, V, mask=mask, causal=causal)
            dO = rng.standard_normal(O.shape).astype(dtype)
            ours = backward(dO, Q, K, V, P)

            def ref(a, M=M):
                t = [x.requires_grad_() for x in as64(*a[:3])]
                Mt = None if M is None else torch.from_numpy(M)
                out = torch_attention(*t, Mt)
                return [g.numpy() for g in torch.autograd.grad(out, t, torch.from_numpy(a[3]))]

            tol = reference_tolerance(ref, (Q, K, V, dO), 2 * _depth(Q, K, V), dtype, rng)
            records.append(
                (relative_error(list(ours), ref([Q, K, V, dO])), tol, _at(Q, K, V, kind))
            )
            if dtype != np.float64:
                continue
            for j, (x, g) in enumerate(zip((Q, K, V), ours)):

                def f(Z, j=j, mask=mask, causal=causal):
                    args = [Q, K, V]
                    args[j] = Z
                    return attention.sdpa_forward(*args, mask=mask, causal=causal)[0]

                v = rng.standard_normal(x.shape)
                # an output entry is a P-weighted mean of values: terms of size max |V|
                size = float(np.max(np.abs(V)))
                err, tol_fd = adjoint_check(
                    f, lambda u, g=g: g, x, dO, v, 1e-4, _depth(Q, K, V), size
                )
                fd.append((err, tol_fd, _at(Q, K, V, kind) + f", d{'QKV'[j]}"))
    comparisons = [
        worst_error("$(\\mathrm dQ, \\mathrm dK, \\mathrm dV)$ against autograd (float64)", records)
    ]
    if fd:
        comparisons.append(
            worst_error(
                "$\\langle U, \\mathrm D\\operatorname{Attn}[H]\\rangle$ (central differences) against the backward",
                fd,
                units="relative discrepancy",
            )
        )
    return Evidence(len(records), tuple(comparisons))


@single_threaded
def attention_permutation_equivariance(
    rng: np.random.Generator, *, forward=attention.sdpa_forward
) -> Evidence:
    """$\\operatorname{SA}_{\\Pi M\\Pi^\\top}(\\Pi X) = \\Pi\\operatorname{SA}_M(X)$ for random
    permutations (no mask; a boolean mask, some rows fully masked), and cross-attention unchanged
    when keys and values are permuted jointly (no mask; mask $M\\Pi^\\top$), float64; the two
    sides differ only by the order of summations."""
    self_, cross = [], []
    for _ in range(6):
        B, n, d = int(rng.integers(1, 3)), int(rng.integers(2, 8)), int(rng.integers(1, 6))
        X = rng.standard_normal((B, n, d))
        W_Q, W_K, W_V = (rng.standard_normal((d, d)) for _ in range(3))
        perm = rng.permutation(n)
        tol = 4 * (2 * d + n + 8) * unit_roundoff(np.float64)
        Xp = X[:, perm]
        for keep in (None, rng.random((n, n)) < 0.6):
            O, _ = forward(X @ W_Q.T, X @ W_K.T, X @ W_V.T, mask=keep)
            keep_p = None if keep is None else keep[perm][:, perm]
            Op, _ = forward(Xp @ W_Q.T, Xp @ W_K.T, Xp @ W_V.T, mask=keep_p)
            scale = float(np.abs(X @ W_V.T).max()) / max(float(np.abs(O).max()), 1e-300)
            self_.append((relative_error(Op, O[:, perm]), tol * scale, f"n = {n}, d = {d}"))
        n_q = int(rng.integers(1, 5))
        Q = rng.standard_normal((B, n_q, d))
        K, V = rng.standard_normal((B, n, d)), rng.standard_normal((B, n, 3))
        for keep in (None, rng.random((n_q, n)) < 0.6):
            O1, _ = forward(Q, K, V, mask=keep)
            O2, _ = forward(Q, K[:, perm], V[:, perm], mask=None if keep is None else keep[:, perm])
            scale = float(np.abs(V).max()) / max(float(np.abs(O1).max()), 1e-300)
            cross.append((relative_error(O2, O1), tol * scale, f"n_q = {n_q}, n_k = {n}"))
    return Evidence(
        6,
        (
            worst_error(
                "$\\operatorname{SA}(\\Pi X)$ against $\\Pi\\operatorname{SA}(X)$ (masks $\\Pi M\\Pi^\\top$)",
                self_,
            ),
            worst_error(
                "cross-attention with jointly permuted keys and values against the original", cross
            ),
        ),
    )


@single_threaded
def masked_positions_get_no_weight_or_gradient(
    rng: np.random.Generator, *, forward=attention.sdpa_forward
) -> Evidence:
    """Part 1: masked weights are exactly 0, unmasked ones positive, rows with an allowed key sum to
    1, a fully masked row gives output 0. Part 2: a key masked for every query gets $dK = dV = 0$
    (ours, and torch autograd through ``F.scaled_dot_product_attention``), and a fully masked query
    gets $dQ = 0$. Part 3: with the causal mask, changing the inputs after position $t$ leaves the
    outputs up to $t$ unchanged (and changes a later output)."""
    zero_weights, positive, sums, zero_rows, zero_grads, torch_grads, causal, later = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    for _ in range(6):
        Q, K, V = _qkv(rng, np.float64)
        n_q, n_k = Q.shape[-2], K.shape[-2]
        keep = rng.random((n_q, n_k)) < 0.6
        keep[:, -1] = False  # the last key is masked for every query
        if n_q > 1:
            keep[0] = False  # the first query: a fully masked row
        O, P = forward(Q, K, V, mask=keep)
        zero_weights.append(float(np.max(np.abs(P[..., ~keep]), initial=0.0)))
        allowed = keep & keep.any(axis=1, keepdims=True)
        positive.append(float(np.sum(P[..., allowed] <= 0)))
        rows = keep.any(axis=1)
        sums.append(float(np.max(np.abs(P.sum(axis=-1)[..., rows] - 1.0), initial=0.0)))
        zero_rows.append(float(np.max(np.abs(O[..., ~rows, :]), initial=0.0)))
        U = rng.standard_normal(O.shape)
        dQ, dK, dV = attention.sdpa_backward(U, Q, K, V, P)
        zero_grads.append(
            max(
                float(np.max(np.abs(dK[..., -1, :]))),
                float(np.max(np.abs(dV[..., -1, :]))),
                float(np.max(np.abs(dQ[..., ~rows, :]), initial=0.0)),
            )
        )
        Kt, Vt = (torch.from_numpy(a).requires_grad_() for a in (K, V))
        ref = F.scaled_dot_product_attention(
            torch.from_numpy(Q), Kt, Vt, attn_mask=torch.from_numpy(keep)
        )
        gK, gV = torch.autograd.grad(ref, (Kt, Vt), torch.from_numpy(U))
        torch_grads.append(
            max(float(gK[..., -1, :].abs().max()), float(gV[..., -1, :].abs().max()))
        )
        n = int(rng.integers(2, 8))
        t = int(rng.integers(0, n - 1))
        X = rng.standard_normal((2, n, 4))
        X2 = X.copy()
        X2[:, t + 1 :] += rng.standard_normal((2, n - t - 1, 4))
        O1, _ = forward(X, X, X, causal=True)
        O2, _ = forward(X2, X2, X2, causal=True)
        causal.append(float(np.max(np.abs(O1[:, : t + 1] - O2[:, : t + 1]))))
        later.append(float(np.max(np.abs(O1[:, t + 1 :] - O2[:, t + 1 :])) == 0))
    u = unit_roundoff(np.float64)
    return Evidence(
        6,
        (
            error(
                "largest masked weight $|P_{ij}|$, $j\\notin\\Omega_i$",
                max(zero_weights),
                0.0,
                units="absolute",
            ),
            error("unmasked weights $P_{ij}\\le 0$", sum(positive), 0.0, units="count"),
            error(
                "$|\\sum_jP_{ij} - 1|$ on rows with an allowed key",
                max(sums),
                16 * 8 * u,
                units="absolute",
            ),
            error(
                "largest output entry of a fully masked row", max(zero_rows), 0.0, units="absolute"
            ),
            error(
                "largest $dK$, $dV$ row of a never-attended key, $dQ$ row of a fully masked query",
                max(zero_grads),
                0.0,
                units="absolute",
            ),
            error(
                "the same $dK$, $dV$ rows by torch autograd",
                max(torch_grads),
                0.0,
                units="absolute",
            ),
            error(
                "causal: change of the outputs up to $t$ under changes after $t$",
                max(causal),
                0.0,
                units="absolute",
            ),
            error(
                "causal: instances where no later output changed", sum(later), 0.0, units="count"
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-att-sdpa",
        sdpa_matches_torch,
        "attention with masks of every kind equals torch's and the definition's weights",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "lem-att-softmax-backward",
        softmax_backward_matches_autograd,
        "the row-wise softmax backward equals torch autograd and J(s) dP row by row",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-att-sdpa-backward",
        sdpa_backward_matches_autograd,
        "dQ, dK, dV equal torch autograd and central differences, with general additive masks "
        "and fully masked rows",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-att-equivariance",
        attention_permutation_equivariance,
        "self-attention is permutation equivariant; cross-attention invariant under joint "
        "permutations of keys and values",
        strength="exact",
    ),
    Witness(
        "prop-att-masking",
        masked_positions_get_no_weight_or_gradient,
        "masked pairs get weight 0 and gradient 0; causal outputs ignore the future",
        strength="exact",
    ),
)
