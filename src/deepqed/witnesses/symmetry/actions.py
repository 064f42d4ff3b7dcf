r"""Witnesses of Sections "Groups acting on arrays" and "Invariance by pooling":
`def-sym-action`, `prop-sym-composition`, `prop-sym-pooling`.

Instances: random permutations of $[n]_0$, $n\le 6$, acting on tensors of order $k\le 3$ with
channels; random shifts of images; Deep Sets networks trained by Adam (torch, in the dtype under test) and
random circular CNNs; group averages of random multilayer perceptrons over $S_4$ and over cyclic
shifts. Equivariance of computed layers is compared with the rounding bound of the two
summation orders (Higham 2002, Section 3.1), layer by layer."""

from __future__ import annotations

import itertools

import numpy as np
import torch

from ... import symmetry as sym
from ...registry import Witness
from .._common import Evidence, equal, error, single_threaded
from ._common import gamma


def _compose(s: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The permutation $s\\circ t$, $i\\mapsto s(t(i))$."""
    return s[t]


@single_threaded
def actions_are_representations(
    rng: np.random.Generator,
    *,
    permute_tensor=sym.permute_tensor,
    permutation_representation=sym.permutation_representation,
    shift=sym.shift,
    shift_matrix=sym.shift_matrix,
) -> Evidence:
    r"""Definition `def-sym-action`: (a) $\rho_k(\sigma)$ of the library agrees entry by entry
    with the defining formula $X_{\sigma^{-1}(i_1)\dots\sigma^{-1}(i_k)}$ (loops), with its matrix
    $P_\sigma^{\otimes k}$, and satisfies $\rho_k(\sigma\tau) = \rho_k(\sigma)\rho_k(\tau)$;
    (b) $S_t$ agrees with $(S_tx)_u = x_{(u - t)\bmod n}$ (loops), with its matrix, and
    $S_{t + s} = S_tS_s$. Integer arrays: every comparison is exact (mismatches counted)."""
    bad_formula = bad_hom = bad_matrix = 0
    instances = 0
    for _ in range(6):
        n, k = int(rng.integers(1, 6)), int(rng.integers(0, 4))
        s, t = rng.permutation(n), rng.permutation(n)
        X = rng.integers(-9, 10, size=(n,) * k + (2,))
        out = permute_tensor(X, s, k)
        inv = np.argsort(s)
        loops = np.empty_like(X)
        for idx in np.ndindex(*X.shape):
            loops[idx] = X[tuple(inv[i] for i in idx[:k]) + idx[k:]]
        bad_formula += int(np.sum(out != loops))
        st = permute_tensor(X, _compose(s, t), k)
        bad_hom += int(np.sum(st != permute_tensor(permute_tensor(X, t, k), s, k)))
        R = permutation_representation(s, k)
        bad_matrix += int(np.sum(R @ X.reshape(n**k, 2) != out.reshape(n**k, 2)))
        Rst = permutation_representation(_compose(s, t), k)
        bad_hom += int(np.sum(Rst != R @ permutation_representation(t, k)))
        instances += 1
    for _ in range(6):
        n = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        t = (int(rng.integers(-7, 8)), int(rng.integers(-7, 8)))
        u = (int(rng.integers(-7, 8)), int(rng.integers(-7, 8)))
        x = rng.integers(-9, 10, size=(1, 2) + n)
        out = shift(x, t)
        loops = np.empty_like(x)
        for mu, c, i1, i2 in np.ndindex(*x.shape):
            loops[mu, c, i1, i2] = x[mu, c, (i1 - t[0]) % n[0], (i2 - t[1]) % n[1]]
        bad_formula += int(np.sum(out != loops))
        tu = (t[0] + u[0], t[1] + u[1])
        bad_hom += int(np.sum(shift(x, tu) != shift(shift(x, u), t)))
        M = shift_matrix(n, t)
        bad_matrix += int(np.sum(x.reshape(2, -1) @ M.T != out.reshape(2, -1)))
        bad_hom += int(np.sum(shift_matrix(n, tu) != M @ shift_matrix(n, u)))
        instances += 1
    return Evidence(
        instances,
        (
            equal("entries differing from the defining formulas (loops)", bad_formula, 0, 0),
            equal("entries where the matrix differs from the action", bad_matrix, 0, 0),
            equal(r"entries where $\rho(gh)\ne\rho(g)\rho(h)$ (homomorphism)", bad_hom, 0, 0),
        ),
    )


def _train_deepsets(
    rng: np.random.Generator, dtype: np.dtype, deepsets_layer, n: int, width: int, steps: int
):
    """A two-layer Deep Sets network $X\\mapsto L_2(\\mathrm{ReLU}(L_1X))$ trained by Adam on the
    equivariant target $y_i = |x_i - \\bar x|$ (torch, in ``dtype``)."""
    tdt = torch.float64 if dtype == np.float64 else torch.float32
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    shapes = [(1, width), (1, width), (width,), (width, 1), (width, 1), (1,)]
    params = [
        (torch.randn(s, generator=gen, dtype=tdt) / np.sqrt(s[0])).requires_grad_() for s in shapes
    ]
    X = torch.randn((32, n, 1), generator=gen, dtype=tdt)
    Y = (X - X.mean(dim=1, keepdim=True)).abs()
    opt = torch.optim.Adam(params, lr=1e-2)
    first = last = 0.0
    for step in range(steps):
        opt.zero_grad()
        H = torch.relu(deepsets_layer(X, *params[:3]))
        loss = ((deepsets_layer(H, *params[3:]) - Y) ** 2).mean()
        loss.backward()
        opt.step()
        if step == 0:
            first = float(loss.detach())
        last = float(loss.detach())
    return [p.detach().numpy() for p in params], first, last


@single_threaded
def trained_deepsets_layers_are_equivariant(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    deepsets_layer=sym.deepsets_layer,
    circular_correlation=sym.circular_correlation,
) -> Evidence:
    r"""Proposition `prop-sym-composition`, on trained networks: a two-layer Deep Sets network
    ($n = 6$ elements, width $8$) is trained by Adam (torch autograd through the library's
    layer) to $y_i = |x_i - \bar x|$. For fresh sets $X$ and random $\sigma$, each trained layer
    satisfies $L(P_\sigma X) = P_\sigma L(X)$ up to the rounding of two summation orders,
    $2\gamma_{n + C + 2}M$ with $M = |X||\Lambda| + \mathbf 1\mathbf 1^\top|X||\Gamma| + |b|$
    entrywise (the second layer is tested on the first layer's ReLU features). Item 3 end to
    end: the whole trained network satisfies $N(P_\sigma X) = P_\sigma N(X)$, and a random
    two-layer circular CNN ($2\to3\to2$ channels, $4\times5$ images, full-size kernels,
    per-channel biases) satisfies $N(S_tx) = S_tN(x)$, up to the rounding bound propagated
    through both layers (``_network_gap``). Item 2: ReLU and $z\mapsto z/(1 + z^2)$ commute
    with $P_\sigma$ and $S_t$ exactly (mismatches counted)."""
    n, width = 6, 8
    params, first, last = _train_deepsets(rng, dtype, deepsets_layer, n, width, 60)
    worst = [0.0, 0.0]
    for _ in range(8):
        X = rng.standard_normal((16, n, 1)).astype(dtype)
        s = rng.permutation(n)
        H = X
        for layer, (Lam, Gam, b) in enumerate((params[:3], params[3:])):
            Z = deepsets_layer(H, Lam, Gam, b)
            Zp = deepsets_layer(H[:, s], Lam, Gam, b)
            M = (
                np.abs(H) @ np.abs(Lam)
                + np.abs(H).sum(axis=1, keepdims=True) @ np.abs(Gam)
                + np.abs(b)
            )[:, s]  # rows in the order of H[:, s], as Zp and Z[:, s]
            worst[layer] = max(worst[layer], float(np.max(np.abs(Zp - Z[:, s]) / M)))
            H = np.maximum(Z, 0)
    tol = 2 * gamma(n + width + 2, dtype)
    # item 3, end to end: the trained network N = L_2 ReLU L_1 on permuted sets
    K = n + width + 2

    def ds(P):
        Lam, Gam, b = P
        absL, absG = np.abs(Lam).astype(np.float64), np.abs(Gam).astype(np.float64)
        return (
            lambda H: deepsets_layer(H, Lam, Gam, b),
            lambda E: E @ absL + E.sum(axis=1, keepdims=True) @ absG,
            np.abs(b).astype(np.float64),
            K,
        )

    net = 0.0
    for _ in range(8):
        X = rng.standard_normal((16, n, 1)).astype(dtype)
        s = rng.permutation(n)
        net = max(net, _network_gap((ds(params[:3]), ds(params[3:])), X, lambda Z: Z[:, s], dtype))
    # the shifts, end to end: a random circular CNN with per-channel (invariant) biases
    C0, C1, C2, sz = 2, 3, 2, (4, 5)
    N = sz[0] * sz[1]

    def conv(C_in, C_out):
        W = (rng.standard_normal((C_out, C_in) + sz) / np.sqrt(C_in * N)).astype(dtype)
        b = rng.standard_normal(C_out).astype(dtype)
        absW = np.abs(W).astype(np.float64)
        return (
            lambda H: circular_correlation(H, W) + b[:, None, None],
            lambda E: circular_correlation(E, absW),
            np.abs(b).astype(np.float64)[:, None, None],
            C_in * N + 2,
        )

    cnn_layers = (conv(C0, C1), conv(C1, C2))
    shift_gap = 0.0
    for _ in range(4):
        X = rng.standard_normal((4, C0) + sz).astype(dtype)
        t = (int(rng.integers(-6, 7)), int(rng.integers(-6, 7)))
        shift_gap = max(
            shift_gap,
            _network_gap(cnn_layers, X, lambda Z, t=t: np.roll(Z, t, axis=(2, 3)), dtype),
        )
    # item 2: entrywise maps (IEEE operations, correctly rounded: no position dependence)
    acts = (lambda Z: np.maximum(Z, 0), lambda Z: Z / (1 + Z * Z))
    moved = 0
    for sigma_ in acts:
        Z = rng.standard_normal((3, 6, 4)).astype(dtype)
        s = rng.permutation(6)
        moved += int(np.sum(sigma_(Z[:, s]) != sigma_(Z)[:, s]))
        Zi = rng.standard_normal((2, 2) + sz).astype(dtype)
        moved += int(
            np.sum(sigma_(np.roll(Zi, (1, 3), (2, 3))) != np.roll(sigma_(Zi), (1, 3), (2, 3)))
        )
    return Evidence(
        8 * 16 + 8 * 16 + 4 * 4,
        (
            error(
                r"trained layer 1: $|L(P_\sigma X) - P_\sigma L(X)|/M$",
                worst[0],
                tol,
                units="relative to M",
                at=f"loss {first:.3g} -> {last:.3g}",
            ),
            error(
                r"trained layer 2: $|L(P_\sigma H) - P_\sigma L(H)|/M$",
                worst[1],
                tol,
                units="relative to M",
            ),
            error(
                r"trained network: $|N(P_\sigma X) - P_\sigma N(X)|$ / propagated rounding bound",
                net,
                1.0,
                units="multiples of the rounding bound",
            ),
            error(
                r"circular CNN: $|N(S_tx) - S_tN(x)|$ / propagated rounding bound",
                shift_gap,
                1.0,
                units="multiples of the rounding bound",
            ),
            equal(
                r"entries where an entrywise map does not commute with $P_\sigma$ or $S_t$",
                moved,
                0,
                0,
            ),
        ),
    )


def _network_gap(layers, X: np.ndarray, act, dtype: np.dtype) -> float:
    r"""$\max|N(gX) - gN(X)|$ over the rounding bound, for the computed two-layer network
    $N(X) = L_2(\mathrm{ReLU}(L_1X))$ and an exact action ``act`` (a permutation or a roll).

    Each layer is ``(apply, lin_abs, b_abs, K)``: the computed affine map, the entrywise absolute
    linear part $E\mapsto|L|E$, $|b|$, and the length $K$ of the longest chain of roundings in
    one output entry, so that $|\hat L(H) - L(H)|\le\gamma_KM(H)$ with
    $M(H) = |L||H| + |b|$. ReLU is 1-Lipschitz, so $|\hat H - H|\le E_1 = \gamma_{K_1}M_1(X)$,
    and $|\hat N(X) - N(X)|\le\gamma_{K_2}M_2(\hat H) + |L_2|E_1$. As $N(gX) = gN(X)$ exactly
    (item 3), $|\hat N(gX) - g\hat N(X)|$ is at most the sum of the two bounds, for $gX$ and
    (moved by $g$) for $X$. The bound is evaluated in float64 from nonnegative terms, and enlarged
    by $1 + \gamma_{64}$ in float64 for that evaluation."""
    (f1, abs1, b1, K1), (f2, abs2, b2, K2) = layers
    Xg = act(X)
    H, Hg = np.maximum(f1(X), 0), np.maximum(f1(Xg), 0)
    Y, Yg = f2(H), f2(Hg)

    def a64(Z):
        return np.abs(Z).astype(np.float64)

    E1 = gamma(K1, dtype) * (abs1(a64(X)) + b1)
    E1g = gamma(K1, dtype) * (abs1(a64(Xg)) + b1)
    bound = (
        gamma(K2, dtype) * (abs2(a64(Hg)) + b2 + act(abs2(a64(H)) + b2)) + abs2(E1g) + act(abs2(E1))
    ) * (1 + gamma(64))
    gap = np.abs((Yg - act(Y)).astype(np.float64))
    return float(np.max(np.divide(gap, bound, out=np.where(gap > 0, np.inf, 0.0), where=bound > 0)))


def _mlp(rng: np.random.Generator, n: int, width: int):
    W1 = rng.standard_normal((width, n))
    b1 = rng.standard_normal(width)
    w2 = rng.standard_normal(width) / np.sqrt(width)

    def f(X: np.ndarray) -> np.ndarray:
        return np.tanh(X @ W1.T + b1) @ w2

    return f


def _group_average(f, X: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """$\\bar f(x) = \\frac1{|G|}\\sum_gf(gx)$, with $g$ acting by $(gx)_i = x_{g^{-1}(i)}$."""
    return np.mean([f(X[:, np.argsort(g)]) for g in perms], axis=0)


@single_threaded
def pooling_and_averaging_give_invariance(
    rng: np.random.Generator,
    *,
    deepsets_layer=sym.deepsets_layer,
    pool=None,
    group_average=_group_average,
) -> Evidence:
    r"""Proposition `prop-sym-pooling`: (a) sum, mean and max pooling of Deep Sets features
    $H\in\mathbb R^{n\times D}$ are invariant: $\max$ exactly, sum and mean up to the rounding of
    two summation orders $2\gamma_n\sum_i|H_i|$; (b) the group average $\bar f$ of a random
    tanh network $f$ over $G = S_4$ (24 elements) and over the cyclic shifts of $\mathbb R^7$ is
    invariant and idempotent, up to $2\gamma_{|G|}$ and $3\gamma_{|G|}$ times the mean of
    $|f(gx)|$, while $f$ itself is not invariant; (c) for $\mu$ uniform on the union of the
    orbits of 32 random points, $\mathbb E_\mu(f - \bar f)h = 0$ for the invariant
    $h(x) = \sum_i\tanh x_i$, up to the rounding bound of its evaluation."""
    pools = pool or {
        "sum": lambda H: H.sum(axis=1),
        "mean": lambda H: H.mean(axis=1),
        "max": lambda H: H.max(axis=1),
    }
    n, C, D = 7, 3, 5
    worst = dict.fromkeys(pools, 0.0)
    for _ in range(6):
        X = rng.standard_normal((8, n, C))
        Lam, Gam = rng.standard_normal((C, D)), rng.standard_normal((C, D)) / n
        H = np.maximum(deepsets_layer(X, Lam, Gam, rng.standard_normal(D)), 0)
        s = rng.permutation(n)
        scale = np.abs(H).sum(axis=1)
        for name, P in pools.items():
            d = np.abs(P(H[:, s]) - P(H))
            den = scale if name != "max" else np.ones_like(scale)
            ratio = np.divide(d, den, out=np.where(d > 0, np.inf, 0.0), where=den > 0)
            worst[name] = max(worst[name], float(np.max(ratio)))
    comps = [
        error(
            r"$\max$ pooling: $|\max_iH_{\sigma(i)} - \max_iH_i|$",
            worst["max"],
            0.0,
            units="absolute",
        ),
        error(
            r"sum pooling: $|\sum_iH_{\sigma(i)} - \sum_iH_i|/\sum_i|H_i|$",
            worst["sum"],
            2 * gamma(n),
        ),
        error(
            r"mean pooling: $|\mathrm{mean}_iH_{\sigma(i)} - \mathrm{mean}_iH_i|/\sum_i|H_i|$",
            worst["mean"],
            2 * gamma(n + 1) / n,
        ),
    ]
    groups = {
        "S_4": np.array(list(itertools.permutations(range(4)))),
        "C_7": np.array([np.roll(np.arange(7), t) for t in range(7)]),
    }
    for name, perms in groups.items():
        d = perms.shape[1]
        f = _mlp(rng, d, 16)
        X = rng.standard_normal((32, d))
        fbar = group_average(f, X, perms)
        h = perms[int(rng.integers(1, len(perms)))]
        scale = np.mean([np.abs(f(X[:, np.argsort(g)])) for g in perms], axis=0)
        inv = float(np.max(np.abs(group_average(f, X[:, np.argsort(h)], perms) - fbar) / scale))
        idem = float(
            np.max(
                np.abs(group_average(lambda Y: group_average(f, Y, perms), X, perms) - fbar) / scale
            )
        )
        moved = float(np.max(np.abs(f(X[:, np.argsort(h)]) - f(X))))
        G = len(perms)
        # item 3: mu uniform on the union of the orbits of the rows of X (a G-invariant measure)
        pts = np.concatenate([X[:, np.argsort(g)] for g in perms])
        fp = f(pts)
        fbar_p = group_average(f, pts, perms)
        hp = np.tanh(pts).sum(axis=1)  # an invariant function
        inner = float(np.mean((fp - fbar_p) * hp))
        Fabs = np.mean([np.abs(f(pts[:, np.argsort(g)])) for g in perms], axis=0)
        bound = (
            gamma(G + 1) * float(np.mean(Fabs * np.abs(hp)))
            + gamma(d) * float(np.mean(np.abs(fp - fbar_p) * np.abs(np.tanh(pts)).sum(axis=1)))
            + gamma(len(pts) + 2) * float(np.mean(np.abs((fp - fbar_p) * hp)))
        )
        comps += [
            error(
                f"${name}$: $|\\bar f(hx) - \\bar f(x)|$ / mean $|f(gx)|$", inv, 2 * gamma(G + 1)
            ),
            error(
                f"${name}$: $|\\bar{{\\bar f}}(x) - \\bar f(x)|$ / mean $|f(gx)|$",
                idem,
                3 * gamma(G + 1),
            ),
            error(
                f"${name}$: $|\\mathbb E_\\mu(f - \\bar f)h|$, $h$ invariant, / rounding bound",
                abs(inner) / bound,
                1.0,
                units="multiples of the rounding bound",
            ),
            equal(
                f"${name}$: $f$ itself is not invariant ($\\max|f(hx) - f(x)| > 10^{{-3}}$)",
                float(moved > 1e-3),
                1.0,
                0.0,
                units="indicator",
            ),
        ]
    return Evidence(6 * 8 + 2 * 32, tuple(comps))


CLAIMS = (
    Witness(
        "def-sym-action",
        actions_are_representations,
        "permutations of tensor indices and cyclic shifts: defining formulas, matrices, "
        "homomorphism property, exactly on integer arrays",
        strength="exact",
    ),
    Witness(
        "prop-sym-composition",
        trained_deepsets_layers_are_equivariant,
        "Deep Sets layers and the whole network trained by Adam commute with permutations, a "
        "two-layer circular CNN with shifts, up to propagated rounding bounds; entrywise maps "
        "exactly",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "prop-sym-pooling",
        pooling_and_averaging_give_invariance,
        "sum, mean, max pooling invariant; group averages over S_4 and C_7 invariant and "
        "idempotent to rounding",
        strength="exact",
    ),
)
