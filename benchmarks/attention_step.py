r"""Forward and backward pass of a multi-head self-attention layer: deepqed against PyTorch.

One timed call is: $Y = \operatorname{MHA}(X, X)$ (Definition `def-att-mha`) and the gradients
of $\langle dY, Y\rangle$ with respect to all parameters and to $X$ (Proposition
`prop-att-mha-backward`), for a fixed upstream gradient ``dY``. Three implementations of the
same work, on the same data, dtype and thread count:

``ours``        ``deepqed.attention.mha_forward`` + ``mha_backward`` on NumPy arrays;
``torch``       ``torch.nn.MultiheadAttention`` (batch first, same weights), ``need_weights=False``
                (so that PyTorch uses ``F.scaled_dot_product_attention``), ``Y.backward(dY)``
                with ``X.requires_grad``, parameter gradients reset to ``None`` after each call;
``ours@torch``  deepqed's code again, on torch tensors (through the array API).

Threads: ``torch.set_num_threads(T)`` and ``threadpoolctl.threadpool_limits(T)`` (NumPy's
OpenBLAS and OpenMP) for the whole run (``--threads``, default 2). Before timing, every
configuration checks that the three return the same output and gradients. Timing as in
``mlp_step.py`` (``_timing.compare``: interleaved blocks, medians, a pause before each block).

Run with the two OpenBLAS variables of the project's machines unset, so that NumPy's BLAS picks
its kernels for the CPU as on a reader's machine (the header records which kernel ran)::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/attention_step.py

Usage::

    python benchmarks/attention_step.py                 # the grid, float32 and float64, 2 threads
    python benchmarks/attention_step.py --quick         # three configurations, fewer samples
    python benchmarks/attention_step.py --causal --dtype float32 --json results.json
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import attention  # noqa: E402

SETTLE_S = {"ours": 0.02, "torch": 0.15, "ours@torch": 0.02}
TOLERANCE = {"float32": 2e-4, "float64": 1e-10}  # relative to the largest entry

#: (batch, sequence length, d_model, heads)
GRID = [
    (32, 32, 64, 4),
    (16, 64, 128, 4),
    (8, 128, 256, 8),
    (4, 256, 256, 8),
    (2, 512, 512, 8),
    (1, 1024, 256, 4),
]
QUICK = [(16, 64, 128, 4), (4, 256, 256, 8), (2, 512, 512, 8)]


@dataclass(frozen=True)
class Config:
    dtype: str
    batch: int
    seq: int
    d_model: int
    heads: int
    causal: bool


def make_problem(cfg: Config, seed: int = 0):
    rng = np.random.default_rng(seed)
    theta = attention.init_mha(cfg.d_model, cfg.heads, rng=rng, dtype=np.dtype(cfg.dtype))
    X = rng.standard_normal((cfg.batch, cfg.seq, cfg.d_model)).astype(cfg.dtype)
    dY = rng.standard_normal(X.shape).astype(cfg.dtype)
    return theta, X, dY


def torch_module(theta: attention.MHAParameters) -> torch.nn.MultiheadAttention:
    d = theta.d_model
    dtype = torch.float32 if theta.W_O.dtype == np.float32 else torch.float64
    mha = torch.nn.MultiheadAttention(d, theta.heads, batch_first=True, dtype=dtype)
    with torch.no_grad():
        for p, a in zip(
            (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias),
            theta.arrays(),
        ):
            p.copy_(torch.from_numpy(a))
    return mha


def torch_step_fn(cfg: Config, theta, X, dY, device: str = "cpu"):
    mha = torch_module(theta).to(device)
    Xt = torch.from_numpy(X).to(device).requires_grad_()
    dYt = torch.from_numpy(dY).to(device)
    mask = (
        torch.triu(torch.ones(cfg.seq, cfg.seq, dtype=torch.bool, device=device), 1)
        if cfg.causal
        else None
    )

    def step():
        Y = mha(Xt, Xt, Xt, need_weights=False, attn_mask=mask, is_causal=cfg.causal)[0]
        Y.backward(dYt)
        grads = [p.grad for p in mha.parameters()] + [Xt.grad]
        for p in mha.parameters():
            p.grad = None
        Xt.grad = None
        return grads

    return step


def ours_step_fn(cfg: Config, theta, X, dY):
    def step():
        Y, cache = attention.mha_forward(theta, X, causal=cfg.causal)
        dtheta, dX, _ = attention.mha_backward(theta, cache, dY)
        return list(dtheta.arrays()) + [dX]

    return step


def at_torch(theta, X, dY, device: str = "cpu"):
    """The same problem as torch tensors on ``device``, for ``ours@torch``."""

    def to(a):
        return torch.from_numpy(a).to(device)

    return theta.map(to), to(X), to(dY)


def check_equivalent(cfg: Config, theta, X, dY) -> None:
    ref = torch_step_fn(cfg, theta, X, dY)()
    tol = TOLERANCE[cfg.dtype]
    for label, ours in (
        ("ours", ours_step_fn(cfg, theta, X, dY)()),
        ("ours@torch", [a.numpy() for a in ours_step_fn(cfg, *at_torch(theta, X, dY))()]),
    ):
        for k, (a, r) in enumerate(zip(ours, ref)):
            r = r.numpy()
            assert a.dtype == r.dtype, (label, cfg, k, a.dtype, r.dtype)
            scale = float(np.max(np.abs(r))) or 1.0
            np.testing.assert_allclose(
                a, r, rtol=tol, atol=tol * scale, err_msg=f"{label}, {cfg}, array {k}"
            )


HEADER = (
    f"{'dtype':<8} {'batch':>5} {'seq':>5} {'d':>5} {'heads':>5} {'ours':>10} "
    f"{'torch':>10} {'ours@torch':>10} {'ours/torch':>10} {'@torch/torch':>12} {'spread':>6}"
)


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="three configurations, fewer samples")
    p.add_argument("--threads", type=int, default=2, help="threads for torch and NumPy's BLAS")
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--causal", action="store_true", help="use the causal mask")
    p.add_argument("--repeat", type=int, help="samples per timing (default 6, quick 4)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args(argv)
    repeat = args.repeat or (4 if args.quick else 6)
    rounds = 2 if args.quick else 3
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    configs = [
        Config(dt, *shape, args.causal)
        for dt in dtypes
        for shape in (QUICK if args.quick else GRID)
    ]
    info = machine_info(args.threads)
    print(
        f"# MHA forward + backward (self-attention{', causal' if args.causal else ''}); "
        f"{info['processor']}, {args.threads} thread(s) (torch.set_num_threads and "
        f"threadpoolctl); numpy {info['numpy']} ({', '.join(info['numpy_blas'])}), "
        f"torch {info['torch']}; median of {repeat} samples in {rounds} rounds"
    )
    results = []
    start = time.perf_counter()
    with limit_threads(args.threads):
        for cfg in configs:
            check_equivalent(cfg, *make_problem(cfg))
        print(f"# outputs and gradients agree with torch on all {len(configs)} configurations\n")
        print(HEADER)
        for cfg in configs:
            theta, X, dY = make_problem(cfg)
            stmts = {
                "ours": ours_step_fn(cfg, theta, X, dY),
                "torch": torch_step_fn(cfg, theta, X, dY),
                "ours@torch": ours_step_fn(cfg, *at_torch(theta, X, dY)),
            }
            timings = compare(
                stmts,
                repeat=repeat,
                rounds=rounds,
                min_sample_s=0.01,
                settle_s=SETTLE_S,
                attempts=1 if args.quick else 2,
            )
            t = {k: v.median for k, v in timings.items()}
            spread = max(v.spread for v in timings.values())
            ratio, ratio_t = t["ours"] / t["torch"], t["ours@torch"] / t["torch"]
            print(
                f"{cfg.dtype:<8} {cfg.batch:>5} {cfg.seq:>5} {cfg.d_model:>5} {cfg.heads:>5} "
                f"{format_time(t['ours']):>10} {format_time(t['torch']):>10} "
                f"{format_time(t['ours@torch']):>10} {ratio:>10.2f} {ratio_t:>12.2f} "
                f"{spread:>6.2f}",
                flush=True,
            )
            results.append(
                {
                    **cfg.__dict__,
                    "seconds": t,
                    "ratio": ratio,
                    "ratio_ours_at_torch_torch": ratio_t,
                    "spread": spread,
                }
            )
    elapsed = time.perf_counter() - start
    print()
    for dt in dtypes + ["all"]:
        for label, key in (("ours/torch", "ratio"), ("@torch/torch", "ratio_ours_at_torch_torch")):
            rs = [r[key] for r in results if dt in ("all", r["dtype"])]
            print(f"# {label:<12} {dt:<8} geometric mean {geomean(rs):.2f}, max {max(rs):.2f}")
    print(f"# {len(results)} configurations in {elapsed:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
