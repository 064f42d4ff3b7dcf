r"""Witnesses of Section "Variance-preserving initialisation": `def-init-schemes`,
`thm-init-variance`.

Instances: the library's weights (sample variances against chi-square intervals, orthogonality,
the Haar law of one entry by a Kolmogorov–Smirnov test); random ReLU networks simulated with their
full weight matrices (``initialisation.random_networks``), $400$ networks per case, at every
layer to depth $50$. Confidence intervals are simultaneous over the layers (Bonferroni) at level
$1 - 10^{-6}$ in all."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ... import initialisation as ini
from ...registry import Witness
from .._common import Evidence, error, interval, single_threaded

U64 = np.finfo(np.float64).eps
LEVEL = 1 - 1e-6
RUNS = 400


def _z(k: int) -> float:
    return float(stats.norm.ppf(1 - (1 - LEVEL) / (2 * k)))


def _ks(sample: np.ndarray, cdf) -> float:
    """The Kolmogorov–Smirnov distance between the empirical law of ``sample`` and ``cdf``."""
    x = np.sort(sample)
    F = cdf(x)
    n = len(x)
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


def _ks_critical(n: int, alpha: float = 1e-6) -> float:
    """Dvoretzky–Kiefer–Wolfowitz–Massart: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2)."""
    return math.sqrt(math.log(2 / alpha) / (2 * n))


@single_threaded
def schemes_have_their_variances(
    rng: np.random.Generator,
    *,
    init_weights=ini.init_weights,
    haar_orthogonal=ini.haar_orthogonal,
) -> Evidence:
    r"""Definition `def-init-schemes`: for LeCun, He and Glorot weights of random widths, the sum of
    squares of the entries of $W^l$ divided by the variance $c_w^{(l)}/n_{l-1}$ lies in the
    central $\chi^2_{n_ln_{l-1}}$ interval (simultaneous level $1 - 10^{-6}$); orthogonal weights
    have orthonormal rows or columns to rounding; and the entry $Q_{11}$ of $n\times n$ Haar
    matrices has the law of a coordinate of a uniform unit vector,
    $(Q_{11} + 1)/2\sim\mathrm{Beta}(\frac{n-1}2, \frac{n-1}2)$ (Kolmogorov–Smirnov, 4000 draws,
    $n\in\{3, 6\}$)."""
    comps = []
    k_int = 3 * 3 * 4
    lo_q, hi_q = (1 - LEVEL) / (2 * k_int), 1 - (1 - LEVEL) / (2 * k_int)
    for scheme, gain_of in (
        ("lecun", lambda a, b: 1.0),
        ("he", lambda a, b: 2.0),
        ("glorot", lambda a, b: 2 * a / (a + b)),
    ):
        worst = None
        for _ in range(3):
            widths = rng.integers(2, 40, size=5)
            Ws = init_weights(widths, scheme, rng)
            for l, W in enumerate(Ws, start=1):
                var = gain_of(widths[l - 1], widths[l]) / widths[l - 1]
                df = W.size
                stat = float(np.sum(W * W) / var)
                lo, hi = stats.chi2.ppf(lo_q, df), stats.chi2.ppf(hi_q, df)
                dev = max(lo - stat, stat - hi, 0.0) / df
                if (
                    worst is None
                    or dev > worst[0]
                    or (dev == worst[0] and abs(stat / df - 1) > abs(worst[1] - 1))
                ):
                    worst = (
                        dev,
                        stat / df,
                        lo / df,
                        hi / df,
                        f"layer {l}, widths {tuple(int(n) for n in widths)}",
                    )
        comps.append(
            interval(
                f"{scheme}: sum of squares / (variance x count), worst layer",
                worst[1],
                worst[2],
                worst[3],
                1.0,
                level=LEVEL,
                at=worst[4],
            )
        )
    ortho = 0.0
    for _ in range(6):
        widths = rng.integers(2, 30, size=4)
        for W in init_weights(widths, "orthogonal", rng):
            G = W @ W.T if W.shape[0] <= W.shape[1] else W.T @ W
            ortho = max(ortho, float(np.abs(G - np.eye(G.shape[0])).max()))
    comps.append(
        error("orthogonal: max |W W^T - I| (or W^T W)", ortho, 64 * 30 * U64, units="absolute")
    )
    for n in (3, 6):
        q11 = haar_orthogonal(n, n, rng, size=4000)[:, 0, 0]
        beta = stats.beta((n - 1) / 2, (n - 1) / 2)
        D = _ks((q11 + 1) / 2, beta.cdf)
        comps.append(
            error(
                f"Haar: KS distance of $(Q_{{11}} + 1)/2$ to Beta, $n = {n}$",
                D,
                _ks_critical(4000, 1e-6 / 2),
                units="KS distance",
            )
        )
    return Evidence(9 + 6 + 8000, tuple(comps))


def _layer_ratios(sample, c_b: float, widths: np.ndarray, tangent: bool = False):
    """For l = 1..L-1: the statistic (|v^{l+1}|^2/n_{l+1} - c_b) / (|v^l|^2/n_l) with v = z (or t,
    c_b = 0), over the networks with v^l != 0; list of arrays."""
    V = sample.T if tangent else sample.Z
    out = []
    for l in range(len(V) - 1):
        a = np.sum(V[l].astype(np.float64) ** 2, axis=1) / widths[l + 1]
        b = np.sum(V[l + 1].astype(np.float64) ** 2, axis=1) / widths[l + 2]
        keep = a > 0
        out.append((b[keep] - (0.0 if tangent else c_b)) / a[keep])
    return out


def _definition_gain(scheme: str, widths: np.ndarray, l: int) -> float:
    """c_w^(l) from Definition def-init-schemes (independent of the library's weight_gains)."""
    if scheme == "he":
        return 2.0
    if scheme == "glorot":
        return 2.0 * widths[l - 1] / (widths[l - 1] + widths[l])
    return 1.0


@single_threaded
def variance_is_preserved_at_every_layer(
    rng: np.random.Generator,
    *,
    random_networks=ini.random_networks,
    weight_gains=ini.weight_gains,
) -> Evidence:
    r"""Theorem `thm-init-variance` at every layer to depth 50, on ReLU networks simulated with
    their full weight matrices (float32, 400 networks per case): the statistic
    $R_l = (\|z^{l+1}\|^2/n_{l+1} - c_b)/(\|z^l\|^2/n_l)$ has mean $c_w^{(l+1)}/2$ exactly
    (its conditional mean given the first $l - 1$ layers is $c_w^{(l+1)}/2$): $1$ for He (widths
    16, also with $c_b = 0.1$), $\frac12$ for LeCun (the failure of variance preservation),
    $n_l/(n_l + n_{l+1})$ for Glorot (widths alternating 12 and 24); the same for the tangents
    $t^l = Dz^l(x)[u]$ under He. Each comparison shows the layer farthest from its mean,
    with the interval simultaneous over the 49 layers and 5 runs."""
    depth = 50
    comps = []
    z = _z(5 * (depth - 1))
    cases = (
        ("He", np.full(depth + 1, 16), "he", 0.0, True),
        ("He, c_b = 0.1", np.full(depth + 1, 12), "he", 0.1, False),
        ("LeCun", np.full(depth + 1, 12), "lecun", 0.0, False),
        (
            "Glorot",
            np.array([12 if l % 2 == 0 else 24 for l in range(depth + 1)]),
            "glorot",
            0.0,
            False,
        ),
    )
    n_inst = 0
    for name, widths, scheme, c_b, tangents in cases:
        gains = weight_gains(widths, scheme)
        x = rng.standard_normal(int(widths[0])).astype(np.float32)
        u = rng.standard_normal(int(widths[0])).astype(np.float32) if tangents else None
        sample = random_networks(widths, x, gains, c_b, "relu", RUNS, rng, u)
        n_inst += RUNS
        series = [("", _layer_ratios(sample, c_b, widths))]
        if tangents:
            series.append((" (tangents)", _layer_ratios(sample, c_b, widths, tangent=True)))
        for suffix, ratios in series:
            worst = None
            for l, r in enumerate(ratios, start=1):
                ref = _definition_gain(scheme, widths, l + 1) / 2
                est, se = float(r.mean()), float(r.std(ddof=1)) / math.sqrt(len(r))
                score = abs(est - ref) / se
                if worst is None or score > worst[0]:
                    worst = (score, est, se, ref, l)
            _, est, se, ref, l = worst
            comps.append(
                interval(
                    f"{name}{suffix}: mean of $R_l$, layer farthest from $c_w/2$",
                    est,
                    est - z * se,
                    est + z * se,
                    ref,
                    level=LEVEL,
                    at=f"l = {l}",
                )
            )
    return Evidence(n_inst, tuple(comps))


CLAIMS = (
    Witness(
        "def-init-schemes",
        schemes_have_their_variances,
        "LeCun, He, Glorot weights: sums of squares in chi-square intervals; orthogonal weights "
        "orthonormal; the Haar law of Q_11 by a Kolmogorov-Smirnov test",
        strength="exact",
    ),
    Witness(
        "thm-init-variance",
        variance_is_preserved_at_every_layer,
        "ReLU networks with full weight matrices, every layer to depth 50: the layer-to-layer "
        "ratio of mean squared pre-activations is c_w/2 (He 1, LeCun 1/2, Glorot n_l/(n_l + "
        "n_{l+1})), for pre-activations and tangents",
        strength="exact",
    ),
)
