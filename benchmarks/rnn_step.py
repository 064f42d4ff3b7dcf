r"""Forward + backward over a sequence: deepqed's recurrent layers against PyTorch autograd.

One timed call is: the forward pass over $T$ steps and backpropagation through time for the
objective $\sum_t\langle G_t, H_t\rangle$ with fixed random $G_t$ (every objective's gradient is
that of this one with $G_t = \partial\mathcal L/\partial H_t$), returning the gradients with
respect to all weights and biases. Three implementations of the same work:

``ours``        ``deepqed.rnn``: ``rnn_forward`` + ``rnn_backward`` (tanh Elman network, Algorithm
                `alg-rnn-bptt`), ``lstm_forward`` + ``lstm_backward``, ``gru_forward`` +
                ``gru_backward`` on NumPy arrays;
``torch``       ``torch.nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` (torch's fused CPU kernels) with the
                same weights, ``out = module(X)``, ``torch.autograd.grad((out * G).sum(), ...)``;
``ours@torch``  deepqed's code again, on torch tensors (through the array API).

For float32 on CPU, ``nn.LSTM`` and ``nn.GRU`` run oneDNN's fused recurrent kernels (GEMMs with the
gate arithmetic fused in); ``--no-onednn`` times torch with ``torch.backends.mkldnn.flags(enabled=
False)`` instead, its ATen kernels with autograd. Both use the same dtype and thread count (``torch.set_num_threads`` and
``threadpoolctl.threadpool_limits`` for NumPy's BLAS; see ``_timing.limit_threads``). Inputs have
dimension $d = n$. Before timing, every configuration checks that the three return the same
gradients.

Run with the two OpenBLAS variables of the project's machines unset, so that NumPy's BLAS picks
its kernels for the CPU as on a reader's machine (the header records which kernel ran)::

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/rnn_step.py

Usage::

    python benchmarks/rnn_step.py                        # full grid, 2 threads, both dtypes
    python benchmarks/rnn_step.py --quick                # fewer configurations and samples
    python benchmarks/rnn_step.py --models lstm --dtype float32 --threads 1
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import rnn  # noqa: E402

SETTLE_S = {"ours": 0.02, "torch": 0.15, "ours@torch": 0.02}
TOLERANCE = {"float32": 2e-4, "float64": 1e-10}  # relative to the largest gradient entry
HEADER = (
    f"{'model':<5} {'dtype':<8} {'T':>4} {'m':>4} {'n':>5} {'ours':>10} {'torch':>10} "
    f"{'ours@torch':>10} {'ours/torch':>10} {'@torch/torch':>12} {'spread':>6}"
)


@dataclass(frozen=True)
class Config:
    model: str
    dtype: str
    T: int
    m: int
    n: int


def make_problem(cfg: Config, seed: int = 0) -> tuple[Any, torch.nn.Module, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    dt = np.dtype(cfg.dtype)
    d, n = cfg.n, cfg.n
    X = rng.standard_normal((cfg.T, cfg.m, d)).astype(dt)
    G = rng.standard_normal((cfg.T, cfg.m, n)).astype(dt)
    if cfg.model == "rnn":
        theta = rnn.init_rnn(d, n, rng=rng, dtype=dt)
        module, bias_hh = torch.nn.RNN(d, n, nonlinearity="tanh"), np.zeros(n, dtype=dt)
    elif cfg.model == "lstm":
        theta = rnn.init_lstm(d, n, rng=rng, dtype=dt)
        module, bias_hh = torch.nn.LSTM(d, n), np.zeros(4 * n, dtype=dt)
    else:
        theta = rnn.init_gru(d, n, rng=rng, dtype=dt)
        module, bias_hh = torch.nn.GRU(d, n), np.zeros(3 * n, dtype=dt)
        bias_hh[2 * n :] = theta.c
    module = module.to(torch.float32 if dt == np.float32 else torch.float64)
    with torch.no_grad():
        module.weight_hh_l0.copy_(torch.from_numpy(theta.W))
        module.weight_ih_l0.copy_(torch.from_numpy(theta.U))
        module.bias_ih_l0.copy_(torch.from_numpy(theta.b))
        module.bias_hh_l0.copy_(torch.from_numpy(bias_hh))
    return theta, module, X, G


def ours_fn(cfg: Config, theta: Any, X: np.ndarray, G: np.ndarray):
    forward, backward = {
        "rnn": (rnn.rnn_forward, rnn.rnn_backward),
        "lstm": (rnn.lstm_forward, rnn.lstm_backward),
        "gru": (rnn.gru_forward, rnn.gru_backward),
    }[cfg.model]

    def step():
        return backward(theta, forward(theta, X), X, G)

    return step


def torch_fn(module: torch.nn.Module, X: np.ndarray, G: np.ndarray, onednn: bool = True):
    """Autograd through ``module`` on the device of its parameters."""
    device = module.weight_hh_l0.device
    Xt, Gt = torch.from_numpy(X).to(device), torch.from_numpy(G).to(device)
    params = [module.weight_hh_l0, module.weight_ih_l0, module.bias_ih_l0, module.bias_hh_l0]

    def step():
        with torch.backends.mkldnn.flags(enabled=onednn):
            out, _ = module(Xt)
            return torch.autograd.grad((out * Gt).sum(), params)

    return step


def at_torch(theta: Any, X: np.ndarray, G: np.ndarray, device: str = "cpu") -> tuple[Any, Any, Any]:
    """The same problem as torch tensors on ``device``, for ``ours@torch``."""

    def to(a: np.ndarray) -> torch.Tensor:
        return torch.from_numpy(a).to(device)

    return theta.map(to), to(X), to(G)


def check_equivalent(cfg: Config) -> None:
    theta, module, X, G = make_problem(cfg)
    ref = [g.numpy() for g in torch_fn(module, X, G)()]
    for label, grads in (
        ("ours", ours_fn(cfg, theta, X, G)()),
        ("ours@torch", ours_fn(cfg, *at_torch(theta, X, G))()),
    ):
        arrays = [np.asarray(a) for a in grads.arrays()]
        pairs = [(arrays[0], ref[0]), (arrays[1], ref[1]), (arrays[2], ref[2])]
        if cfg.model == "gru":
            pairs.append((arrays[3], ref[3][2 * cfg.n :]))
        scale = max(float(np.max(np.abs(r))) for _, r in pairs)
        err = max(float(np.max(np.abs(a.astype(np.float64) - r))) for a, r in pairs) / scale
        if not err <= TOLERANCE[cfg.dtype] or any(a.dtype != r.dtype for a, r in pairs):
            raise AssertionError(f"{cfg}: {label} differs from torch autograd ({err:.2e})")


def grid(args: argparse.Namespace) -> list[Config]:
    if args.quick:
        shapes = [(50, 64, 128), (50, 64, 256)]
    else:
        shapes = [(50, 32, 64), (50, 64, 128), (100, 64, 128), (50, 128, 256), (50, 64, 512)]
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    return [
        Config(model, dt, T, m, n) for model in args.models for dt in dtypes for (T, m, n) in shapes
    ]


def geomean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def summary(rows: list[dict[str, Any]]) -> str:
    """Geometric mean and max of ours/torch and ours@torch/torch over ``rows``."""
    parts = []
    for label, key in (("ours/torch", "ratio"), ("@torch/torch", "ratio_ours_at_torch_torch")):
        rs = [r[key] for r in rows]
        parts.append(f"{label} geometric mean {geomean(rs):.2f}, max {max(rs):.2f}")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="two shapes, fewer samples")
    p.add_argument("--threads", type=int, default=2, help="threads for torch and NumPy's BLAS")
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument(
        "--models", nargs="+", choices=["rnn", "lstm", "gru"], default=["rnn", "lstm", "gru"]
    )
    p.add_argument("--repeat", type=int, help="samples per timing (default 6, quick 4)")
    p.add_argument(
        "--no-onednn",
        action="store_true",
        help="time torch with oneDNN disabled (its ATen kernels)",
    )
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args(argv)
    repeat = args.repeat or (4 if args.quick else 6)
    rounds = 2 if args.quick else 3

    configs = grid(args)
    info = machine_info(args.threads)
    print(
        f"# forward + BPTT over a sequence; {info['processor']}, {args.threads} thread(s); "
        f"numpy {info['numpy']} ({', '.join(info['numpy_blas'])}), torch {info['torch']}; "
        f"median of {repeat} samples in {rounds} rounds; d = n; torch oneDNN "
        f"{'off' if args.no_onednn else 'on'}"
    )
    results = []
    start = time.perf_counter()
    with limit_threads(args.threads):
        for cfg in configs:
            check_equivalent(cfg)
        print(f"# gradients agree with torch autograd on all {len(configs)} configurations\n")
        print(HEADER)
        for cfg in configs:
            theta, module, X, G = make_problem(cfg)
            timings = compare(
                {
                    "ours": ours_fn(cfg, theta, X, G),
                    "torch": torch_fn(module, X, G, not args.no_onednn),
                    "ours@torch": ours_fn(cfg, *at_torch(theta, X, G)),
                },
                repeat=repeat,
                rounds=rounds,
                min_sample_s=0.02,
                settle_s=SETTLE_S,
                attempts=1 if args.quick else 2,
            )
            t = {k: v.median for k, v in timings.items()}
            spread = max(v.spread for v in timings.values())
            ratio, ratio_t = t["ours"] / t["torch"], t["ours@torch"] / t["torch"]
            print(
                f"{cfg.model:<5} {cfg.dtype:<8} {cfg.T:>4} {cfg.m:>4} {cfg.n:>5} "
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
    for model in args.models:
        for dt in ("float32", "float64"):
            sel = [r for r in results if r["model"] == model and r["dtype"] == dt]
            if sel:
                print(f"# {model:<5} {dt:<8} " + summary(sel))
    print(f"# all            {summary(results)}; {len(results)} configurations in {elapsed:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": info, "repeat": repeat, "results": results}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
