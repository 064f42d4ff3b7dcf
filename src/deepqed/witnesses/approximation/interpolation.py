r"""Witness of Section "One variable": `thm-apx-interpolation`.

References: NumPy's ``interp`` (the interpolant computed directly), closed-form second derivatives,
and quadratics, for which the error of linear interpolation is $h^2\lvert f''\rvert/8$ at every midpoint."""

from __future__ import annotations

import math

import numpy as np

from ... import approximation, nn
from ...registry import Witness
from ._common import Evidence, equal, error, gamma, rate, single_threaded, slope, upper


@single_threaded
def interpolant_network_and_bound(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    relu_interpolant=approximation.relu_interpolant,
    interpolation_error_bound=approximation.interpolation_error_bound,
) -> Evidence:
    r"""(1) The network of ``relu_interpolant`` (evaluated by ``nn.forward``) against NumPy's
    ``interp`` at 400 points, relative to $\lvert y_0\rvert + \sum_j\lvert c_j\rvert\lvert x -
    t_j\rvert$, tolerance
    $4\gamma_{N+4}$; knots uniform or random. (2) $\max\lvert f - I f\rvert$ over the points and all
    midpoints against $h^2M/8$ (slack $8u$ times the scale above plus $\lvert f\rvert$) for $f(x) = a\sin(\omega x + \phi) + qx^2$ with
    $M = \lvert a\rvert\omega^2 + 2\lvert q\rvert\ge\|f''\|_\infty$ (validity, any knots of
    spacing $\le h$); equality
    for quadratics at the midpoints (attainment). (3) The fitted slope of the error of
    $f(x) = \sin 3x$ on $[0, 2]$ against $N\in\{16, \dots, 256\}$: $-2$ (tolerance 0.05: the
    relative deviation of $\max_{\text{midpoints}}\lvert f''\rvert$ from $\|f''\|_\infty$ is $O(h^2)$)."""
    eps = float(np.finfo(dtype).eps)
    rel_err, ratios, att, n = 0.0, [], [], 8
    for inst in range(n):
        N = int(rng.integers(2, 65))
        lo = float(rng.uniform(-2, 1))
        hi = lo + float(rng.uniform(0.5, 3))
        if inst % 2:
            t = np.sort(np.concatenate([[lo, hi], rng.uniform(lo, hi, N - 1)]))
        else:
            t = np.linspace(lo, hi, N + 1)
        t = t.astype(dtype)
        h = float(np.max(np.diff(t.astype(np.float64))))
        quad = inst % 4 == 2  # uniform knots (inst even)
        a = 0.0 if quad else float(rng.uniform(-1.5, 1.5))
        om, ph = float(rng.uniform(0.5, 4)), float(rng.uniform(0, 2 * math.pi))
        q = float(rng.uniform(-1, 1))
        p1, p0 = float(rng.standard_normal()), float(rng.standard_normal())

        def f(x, a=a, om=om, ph=ph, q=q, p1=p1, p0=p0):
            return a * np.sin(om * x + ph) + q * x * x + p1 * x + p0

        y = f(t.astype(np.float64)).astype(dtype)
        arch, theta = relu_interpolant(t, y)
        mids = (t[:-1].astype(np.float64) + t[1:]) / 2
        x = np.sort(np.concatenate([rng.uniform(lo, hi, 400), mids])).astype(dtype)
        x = np.clip(x, t[0], t[-1])
        net = np.asarray(nn.forward(arch, theta, x[:, None]).output[:, 0], dtype=np.float64)
        ref = np.interp(x.astype(np.float64), t.astype(np.float64), y.astype(np.float64))
        c = theta.W[1][0].astype(np.float64)
        scale = abs(float(y[0])) + np.abs(x[:, None].astype(np.float64) - t[None, :-1]) @ np.abs(c)
        rel_err = max(rel_err, float(np.max(np.abs(net - ref) / scale)))
        if dtype == np.float64:
            M = abs(a) * om * om + 2 * abs(q)
            e = np.abs(net - f(x.astype(np.float64)))
            i = int(np.argmax(e))
            ratios.append((float(e[i]), float(interpolation_error_bound(h, M)), float(scale[i])))
            if quad:
                hq = float(t[1] - t[0])  # uniform knots: every midpoint attains
                em = np.abs(
                    np.asarray(nn.forward(arch, theta, mids[:, None]).output[:, 0]) - f(mids)
                )
                sc = abs(float(y[0])) + np.abs(mids[:, None] - t[None, :-1]) @ np.abs(c)
                sc = float(np.max(sc + np.abs(f(mids))))
                att.append(
                    (float(np.max(em)), float(interpolation_error_bound(hq, 2 * abs(q))), sc)
                )
    comps = [
        error(
            r"network against $\texttt{np.interp}$, relative to $|y_0| + \sum_j|c_j||x - t_j|$",
            rel_err,
            4 * gamma(68, dtype),
        )
    ]
    if ratios:
        k = int(np.argmax([e / b for e, b, _ in ratios]))
        e, b, sc = ratios[k]
        comps.append(
            upper(r"$\|f - I_hf\|_\infty$ against $h^2\|f''\|_\infty/8$", e, b, slack=8 * eps * sc)
        )
        k = int(np.argmax([abs(e - b) / sc for e, b, sc in att]))
        e, b, sc = att[k]
        comps.append(
            equal(
                r"quadratic $f$: $\max_{\text{midpoints}}|f - I_hf|$ against $h^2|f''|/8$",
                e,
                b,
                8 * eps * sc,
                attains=True,
            )
        )
        Ns = np.array([16, 32, 64, 128, 256])
        errs = []
        for N in Ns:
            t = np.linspace(0.0, 2.0, N + 1)
            arch, theta = relu_interpolant(t, np.sin(3 * t))
            xs = np.linspace(0, 2, 20 * N + 1)
            errs.append(
                float(
                    np.max(
                        np.abs(nn.forward(arch, theta, xs[:, None]).output[:, 0] - np.sin(3 * xs))
                    )
                )
            )
        comps.append(
            rate("error of $I_h\\sin 3x$ against $N$ (log-log)", slope(Ns, errs), -2.0, 0.05)
        )
    return Evidence(n, tuple(comps))


CLAIMS = (
    Witness(
        "thm-apx-interpolation",
        interpolant_network_and_bound,
        "the ReLU interpolant against np.interp; its error against h^2 |f''| / 8, equal for quadratics",
        strength="sharp",
        dtypes=("float32", "float64"),
    ),
)
