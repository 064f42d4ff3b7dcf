r"""Forward and backward of one convolution layer: deepqed's explicit formulas against PyTorch autograd.

One timed call is: the forward pass $Z = K_W(X) + b$ (Definition `def-cnn-cross-correlation`)
and the backward pass $(\mathrm dX, \mathrm dW, \mathrm db)$ for a given upstream gradient
$G = \partial\mathcal L/\partial Z$ (Theorem `thm-cnn-conv-backward`). Two implementations on the
same data, dtype and thread count:

``ours``    ``deepqed.cnn.conv2d_forward`` + ``deepqed.cnn.conv2d_backward``: the reference step
            that the book shows (im2col, one matrix product per rule, col2im for dX; arguments
            validated), NumPy arrays;
``fast``    the same products in the training path's layout, ``deepqed.cnn._fast`` (batch index
            innermost, one strided copy for im2col, dX a kernel row at a time; no validation);
``torch``   ``torch.nn.functional.conv2d`` on tensors with ``requires_grad`` and
            ``Z.backward(G)`` (the gradients are reset to ``None`` after each call).

Threads: ``torch.set_num_threads(T)`` and ``threadpoolctl.threadpool_limits(T)`` (NumPy's BLAS) for
the whole run (``_timing.limit_threads``). Ratios come from interleaved samples of the same run
(``_timing.compare``). Before timing, each configuration checks that both return the same Z, dX,
dW, db (relative tolerance 1e-10 in float64, 1e-4 in float32, relative to the largest entry).

The header names the BLAS kernels NumPy's OpenBLAS selected (for example "Haswell", AVX2). On a
processor with AVX-512, PyTorch's float32 convolutions (oneDNN) use AVX-512 while OpenBLAS may not;
``OPENBLAS_CORETYPE=SkylakeX`` (set before Python starts) makes OpenBLAS use its AVX-512 kernels.

Usage::

    python benchmarks/conv_step.py                 # full grid, 2 threads, float32 and float64
    python benchmarks/conv_step.py --quick         # fewer configurations and samples
    python benchmarks/conv_step.py --threads 1 --dtype float32 --json results.json
    OPENBLAS_CORETYPE=SkylakeX python benchmarks/conv_step.py --threads 1
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import cnn  # noqa: E402
from deepqed.cnn import _fast  # noqa: E402

SETTLE_S = {"ours": 0.15, "fast": 0.15, "torch": 0.15}
TOLERANCE = {"float32": 1e-4, "float64": 1e-10}


@dataclass(frozen=True)
class Config:
    dtype: str
    batch: int
    c_in: int
    c_out: int
    size: int
    kernel: int
    stride: int
    padding: int


def make_problem(cfg: Config, seed: int = 0):
    rng = np.random.default_rng(seed)
    dt = np.dtype(cfg.dtype)
    X = rng.standard_normal((cfg.batch, cfg.c_in, cfg.size, cfg.size)).astype(dt)
    W = (
        rng.standard_normal((cfg.c_out, cfg.c_in, cfg.kernel, cfg.kernel))
        / math.sqrt(cfg.c_in * cfg.kernel**2)
    ).astype(dt)
    b = rng.standard_normal(cfg.c_out).astype(dt)
    Z = cnn.conv2d(X, W, b, stride=cfg.stride, padding=cfg.padding)
    G = rng.standard_normal(Z.shape).astype(dt)
    return X, W, b, G


def ours_fn(cfg: Config, X, W, b, G):
    def step():
        _, cache = cnn.conv2d_forward(X, W, b, stride=cfg.stride, padding=cfg.padding)
        return cnn.conv2d_backward(G, W, cache)

    return step


def fast_fn(cfg: Config, X, W, b, G):
    g = cnn.Geometry(stride=cfg.stride, padding=cfg.padding)

    def step():
        _, cache = _fast.conv2d_forward(X, W, b, g)
        return _fast.conv2d_backward(G, W, cache)

    return step


def torch_fn(cfg: Config, X, W, b, G):
    Xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (X, W, b))
    Gt = torch.from_numpy(G)

    def step():
        Z = F.conv2d(Xt, Wt, bt, stride=cfg.stride, padding=cfg.padding)
        Z.backward(Gt)
        out = (Xt.grad, Wt.grad, bt.grad)
        Xt.grad = Wt.grad = bt.grad = None
        return out

    return step


def check_equivalent(cfg: Config, X, W, b, G) -> None:
    ref = torch_fn(cfg, X, W, b, G)()
    tol = TOLERANCE[cfg.dtype]
    for fn in (ours_fn, fast_fn):
        for name, got, want in zip(("dX", "dW", "db"), fn(cfg, X, W, b, G)(), ref):
            want = want.numpy()
            assert got.dtype == want.dtype, (cfg, name, got.dtype)
            scale = float(np.max(np.abs(want))) or 1.0
            np.testing.assert_allclose(
                got, want, rtol=tol, atol=tol * scale, err_msg=f"{fn.__name__} {name} {cfg}"
            )


def grid(args: argparse.Namespace) -> list[Config]:
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    shapes = (
        [(32, 16, 32, 16), (64, 32, 64, 16)]
        if args.quick
        else [
            (64, 1, 16, 28),
            (32, 16, 32, 16),
            (64, 32, 64, 16),
            (16, 64, 64, 32),
            (128, 16, 32, 8),
        ]
    )
    out = []
    for d in dtypes:
        for n, ci, co, size in shapes:
            for k in (3, 5):
                for s in (1, 2):
                    out.append(Config(d, n, ci, co, size, k, s, k // 2))
    return out


HEADER = (
    f"{'dtype':<8} {'N':>4} {'C_in':>4} {'C_out':>5} {'HxW':>5} {'k':>2} {'s':>2} {'p':>2} "
    f"{'ours':>9} {'fast':>9} {'torch':>9} {'ours/torch':>10} {'fast/torch':>10} {'spread':>6}"
)


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--repeat", type=int)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    repeat = args.repeat or (4 if args.quick else 6)
    rounds = 2 if args.quick else 3
    configs = grid(args)
    info = machine_info(args.threads)
    from threadpoolctl import threadpool_info

    arch = sorted(
        {str(p.get("architecture")) for p in threadpool_info() if p.get("user_api") == "blas"}
    )
    print(
        f"# conv forward + backward; {info['processor']}, {args.threads} thread(s); numpy "
        f"{info['numpy']} ({', '.join(info['numpy_blas'])}, kernels {', '.join(arch)}), "
        f"torch {info['torch']} (mkldnn {torch.backends.mkldnn.is_available()}); "
        f"median of {repeat} samples"
    )
    results = []
    start = time.perf_counter()
    with limit_threads(args.threads):
        for cfg in configs:
            check_equivalent(cfg, *make_problem(cfg))
        print(f"# dX, dW, db agree with torch autograd on all {len(configs)} configurations\n")
        print(HEADER)
        for cfg in configs:
            prob = make_problem(cfg)
            timings = compare(
                {
                    "ours": ours_fn(cfg, *prob),
                    "fast": fast_fn(cfg, *prob),
                    "torch": torch_fn(cfg, *prob),
                },
                repeat=repeat,
                rounds=rounds,
                min_sample_s=0.01,
                settle_s=SETTLE_S,
                attempts=1 if args.quick else 2,
            )
            t = {k: v.median for k, v in timings.items()}
            spread = max(v.spread for v in timings.values())
            ratio, fast_ratio = t["ours"] / t["torch"], t["fast"] / t["torch"]
            print(
                f"{cfg.dtype:<8} {cfg.batch:>4} {cfg.c_in:>4} {cfg.c_out:>5} "
                f"{cfg.size:>5} {cfg.kernel:>2} {cfg.stride:>2} {cfg.padding:>2} "
                f"{format_time(t['ours']):>9} {format_time(t['fast']):>9} "
                f"{format_time(t['torch']):>9} {ratio:>10.2f} {fast_ratio:>10.2f} {spread:>6.2f}",
                flush=True,
            )
            results.append({**cfg.__dict__, "seconds": t, "ratio": ratio, "fast_ratio": fast_ratio})
    print()
    for key, name in (("ratio", "ours"), ("fast_ratio", "fast")):
        for d in ("float32", "float64"):
            rs = [r[key] for r in results if r["dtype"] == d]
            if rs:
                print(f"# {name}/torch {d}: geometric mean {geomean(rs):.2f}, max {max(rs):.2f}")
    rs = [r["ratio"] for r in results]
    print(
        f"# ours/torch all: geometric mean {geomean(rs):.2f}, max {max(rs):.2f}; "
        f"{len(results)} configurations in {time.perf_counter() - start:.0f} s"
    )
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
