r"""Forward and backward of one convolution layer: deepqed's explicit formulas against PyTorch autograd.

One timed call is: the forward pass $Z = K_W(X) + b$ (Definition `def-cnn-cross-correlation`)
and the backward pass $(\mathrm dX, \mathrm dW, \mathrm db)$ for a given upstream gradient
$G = \partial\mathcal L/\partial Z$ (Theorem `thm-cnn-conv-backward`). Implementations on the
same data, dtype and thread count:

``ours``        deepqed's convolution step as the network trains with it
                (``deepqed.cnn._fast``, the step of ``cnn_loss_and_gradient`` and ``train``: the
                batch index innermost; im2col, or where the row stride is below the kernel's
                height X copied once per kernel column and read by output rows; dX a kernel row at
                a time or as a correlation), on NumPy arrays;
``ours@torch``  the same code on torch tensors (it is written in the array API: torch's GEMM and
                copy kernels do the work);
``torch``       ``torch.nn.functional.conv2d`` on tensors with ``requires_grad`` and
                ``Z.backward(G)`` (the gradients are reset to ``None`` after each call);
``reference``   the reference step that the book shows, ``deepqed.cnn.conv2d_forward`` +
                ``deepqed.cnn.conv2d_backward`` (one slice per kernel offset, batch index first;
                arguments validated), on NumPy arrays.

Threads: ``torch.set_num_threads(T)`` and ``threadpoolctl.threadpool_limits(T)`` (NumPy's BLAS) for
the whole run (``_timing.limit_threads``). Ratios come from interleaved samples of the same run
(``_timing.compare``). Before timing, each configuration checks that all four return the same
dX, dW, db (relative tolerance 1e-10 in float64, 1e-4 in float32, relative to the largest entry).

The header names the BLAS kernels that NumPy's OpenBLAS selected (threadpoolctl's
``internal_api`` and ``architecture``, for example "openblas Haswell"), torch's BLAS and CPU
capability, and the OpenBLAS variables of the environment. Some machines set
``OPENBLAS_CORETYPE`` (forcing a kernel family) and ``OPENBLAS_L2_SIZE`` for old OpenBLAS builds;
a reader's machine does not, so run the benchmark with both unset.

Usage::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/conv_step.py
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/conv_step.py --quick
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/conv_step.py \
        --threads 1 --dtype float32 --json results.json
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/conv_step.py \
        --threads 1 --cpu-time     # a busy machine: the thread's CPU time, not wall-clock
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import array_api_compat
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import cnn  # noqa: E402
from deepqed.cnn import _fast  # noqa: E402

COLUMNS = ("ours", "ours@torch", "torch", "reference")
# Pause before each block (see _timing.compare): OpenBLAS's threads spin for ~0.1 s after a NumPy
# block and would slow the next torch block down.
SETTLE_S = {"ours": 0.02, "ours@torch": 0.15, "torch": 0.02, "reference": 0.02}
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
    """The training path's step on the arrays given (NumPy or torch)."""
    xp = array_api_compat.array_namespace(X)
    g = cnn.Geometry(stride=cfg.stride, padding=cfg.padding)

    def step():
        _, cache = _fast.conv2d_forward(xp, X, W, b, g)
        return _fast.conv2d_backward(xp, G, W, cache)

    return step


def ours_at_torch_fn(cfg: Config, X, W, b, G, device: str = "cpu"):
    return ours_fn(cfg, *(torch.from_numpy(a).to(device) for a in (X, W, b, G)))


def reference_fn(cfg: Config, X, W, b, G):
    def step():
        _, cache = cnn.conv2d_forward(X, W, b, stride=cfg.stride, padding=cfg.padding)
        return cnn.conv2d_backward(G, W, cache)

    return step


def torch_fn(cfg: Config, X, W, b, G, device: str = "cpu"):
    Xt, Wt, bt = (torch.tensor(a, requires_grad=True, device=device) for a in (X, W, b))
    Gt = torch.from_numpy(G).to(device)

    def step():
        Z = F.conv2d(Xt, Wt, bt, stride=cfg.stride, padding=cfg.padding)
        Z.backward(Gt)
        out = (Xt.grad, Wt.grad, bt.grad)
        Xt.grad = Wt.grad = bt.grad = None
        return out

    return step


FUNCTIONS = {
    "ours": ours_fn,
    "ours@torch": ours_at_torch_fn,
    "torch": torch_fn,
    "reference": reference_fn,
}


def check_equivalent(cfg: Config, X, W, b, G) -> None:
    ref = [t.numpy() for t in torch_fn(cfg, X, W, b, G)()]
    tol = TOLERANCE[cfg.dtype]
    for label in ("ours", "ours@torch", "reference"):
        got = FUNCTIONS[label](cfg, X, W, b, G)()
        for name, g, want in zip(("dX", "dW", "db"), got, ref):
            g = g.numpy() if isinstance(g, torch.Tensor) else g
            assert g.dtype == want.dtype, (label, cfg, name, g.dtype)
            scale = float(np.max(np.abs(want))) or 1.0
            np.testing.assert_allclose(
                g, want, rtol=tol, atol=tol * scale, err_msg=f"{label} {name} {cfg}"
            )


def blas_description() -> str:
    """NumPy's BLAS kernels (threadpoolctl), torch's BLAS and CPU capability, the OpenBLAS
    variables of the environment."""
    from threadpoolctl import threadpool_info

    kernels = sorted(
        {
            f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')}"
            for p in threadpool_info()
            if p.get("user_api") == "blas"
        }
    )
    config = torch.__config__.show()
    torch_blas = next(
        (
            w[len("BLAS_INFO=") :]
            for w in config.replace(",", " ").split()
            if w.startswith("BLAS_INFO=")
        ),
        "?",
    )
    capability = torch.backends.cpu.get_cpu_capability()
    env = ", ".join(f"{k}={os.environ.get(k, 'unset')}" for k in OPENBLAS_VARIABLES)
    return (
        f"numpy BLAS {'; '.join(kernels)}; torch BLAS {torch_blas}, CPU capability "
        f"{capability}, mkldnn {torch.backends.mkldnn.is_available()}; {env}"
    )


OPENBLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


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
    + " ".join(f"{c:>10}" for c in COLUMNS)
    + f" {'ours/torch':>10} {'@torch/torch':>12} {'ref/torch':>9} {'spread':>6}"
)
RATIOS = (
    ("ours", "ratio_ours_torch"),
    ("ours@torch", "ratio_ours_at_torch_torch"),
    ("reference", "ratio_reference_torch"),
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
    p.add_argument(
        "--cpu-time",
        action="store_true",
        help="time samples by the CPU time of the calling thread (requires --threads 1)",
    )
    args = p.parse_args(argv)
    if args.cpu_time and args.threads != 1:
        p.error("--cpu-time counts the calling thread only: use it with --threads 1")
    repeat = args.repeat or (4 if args.quick else 6)
    rounds = 2 if args.quick else 3
    configs = grid(args)
    info = machine_info(args.threads)
    blas = blas_description()
    print(
        f"# conv forward + backward; {info['processor']}, {args.threads} thread(s); numpy "
        f"{info['numpy']}, torch {info['torch']}; median of {repeat} samples"
        f"{' (CPU time of the thread)' if args.cpu_time else ''}\n# {blas}"
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
                {name: FUNCTIONS[name](cfg, *prob) for name in COLUMNS},
                repeat=repeat,
                rounds=rounds,
                min_sample_s=0.01,
                settle_s=SETTLE_S,
                attempts=1 if args.quick else 2,
                clock=time.thread_time if args.cpu_time else time.perf_counter,
            )
            t = {k: v.median for k, v in timings.items()}
            spread = max(v.spread for v in timings.values())
            ratios = {key: t[name] / t["torch"] for name, key in RATIOS}
            print(
                f"{cfg.dtype:<8} {cfg.batch:>4} {cfg.c_in:>4} {cfg.c_out:>5} "
                f"{cfg.size:>5} {cfg.kernel:>2} {cfg.stride:>2} {cfg.padding:>2} "
                + " ".join(f"{format_time(t[c]):>10}" for c in COLUMNS)
                + f" {ratios['ratio_ours_torch']:>10.2f} "
                f"{ratios['ratio_ours_at_torch_torch']:>12.2f} "
                f"{ratios['ratio_reference_torch']:>9.2f} {spread:>6.2f}",
                flush=True,
            )
            results.append(
                {
                    **cfg.__dict__,
                    "seconds": t,
                    "samples": {k: v.samples for k, v in timings.items()},
                    **ratios,
                }
            )
    print()
    for name, key in RATIOS:
        for d in ("float32", "float64"):
            rs = [r[key] for r in results if r["dtype"] == d]
            if rs:
                print(
                    f"# {name + '/torch':<16} {d}: geometric mean {geomean(rs):.2f}, "
                    f"max {max(rs):.2f}"
                )
    for d in ("float32", "float64"):
        rs = [
            min(r["ratio_ours_torch"], r["ratio_ours_at_torch_torch"])
            for r in results
            if r["dtype"] == d
        ]
        if rs:
            print(
                f"# min(ours, ours@torch)/torch {d}: geometric mean {geomean(rs):.2f}, "
                f"max {max(rs):.2f}"
            )
    print(f"# {len(results)} configurations in {time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "blas": blas, "results": results}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
