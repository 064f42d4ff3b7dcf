r"""One SGD training step of an MLP: deepqed's explicit formulas against PyTorch autograd.

One step is: forward pass (Algorithm `alg-forward`), the loss, backpropagation (Algorithm
`alg-backprop`) and the update $\theta \leftarrow \theta - \eta\nabla_\theta\mathcal L$. Three
implementations of the same step on the same network, data, dtype and thread count:

``ours``        ``deepqed.nn.loss_and_gradient`` + ``deepqed.nn.sgd_step`` on NumPy arrays, the
                update in place as torch's (``out=theta, overwrite_grad=True``);
``torch``       the network written with ``torch.nn.functional``, tensors with ``requires_grad``,
                ``loss.backward()`` and an in-place update under ``torch.no_grad()``;
``ours@torch``  deepqed's code again, on torch tensors (it accepts them through the array API).

The ratios ``ours/torch`` and ``ours@torch/torch`` are measured in the same run (blocks of
samples interleaved; see ``_timing.py``); times are medians. ``spread`` is the worst, over the
three columns, of second-largest over second-smallest sample: near 1 the row is trustworthy, well
above 1 another process disturbed it (a row whose spread exceeds 1.25 is measured once more, and
the steadier attempt kept).
Before timing, every configuration checks that the three implementations return the same loss
and the same gradients, so that equivalent work is timed.

The network: widths $(w, w, \dots, w, 10)$ with ``--depth`` affine layers, hidden activation
``relu`` or ``tanh``, identity on the last layer; loss ``squared_error`` (random targets) or
``cross_entropy`` (softmax cross-entropy, one-hot targets).

Usage::

    python benchmarks/mlp_step.py                    # full grid, 2 threads, float32 and float64
    python benchmarks/mlp_step.py --quick            # a smaller grid, fewer samples
    python benchmarks/mlp_step.py --threads 1 --dtype float64 --json results.json
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

import array_api_compat
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import nn  # noqa: E402

OUTPUT_WIDTH = 10
ETA = 1e-3
TORCH_ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh}
# Pause before each block of samples (see _timing.compare): NumPy's OpenBLAS threads spin for
# ~0.1 s after the ``ours`` block and would slow ``torch`` down; OpenMP's spin is much shorter.
SETTLE_S = {"ours": 0.02, "torch": 0.15, "ours@torch": 0.02}
TOLERANCE = {"float32": 2e-4, "float64": 1e-10}  # relative to the largest gradient entry


@dataclass(frozen=True)
class Config:
    dtype: str
    activation: str
    loss: str
    width: int
    batch: int
    depth: int

    @property
    def arch(self) -> nn.Architecture:
        widths = (self.width,) * self.depth + (OUTPUT_WIDTH,)
        return nn.Architecture(widths, (self.activation,) * (self.depth - 1) + ("identity",))


def make_problem(cfg: Config, seed: int = 0) -> tuple[nn.Parameters, np.ndarray, np.ndarray]:
    """Parameters (LeCun initialisation, small random biases), inputs and targets, as NumPy."""
    rng = np.random.default_rng(seed)
    dtype = np.dtype(cfg.dtype)
    theta = nn.init_parameters(cfg.arch, rng=rng, dtype=dtype)
    theta = nn.Parameters(
        theta.W, tuple((0.1 * rng.standard_normal(b.shape)).astype(dtype) for b in theta.b)
    )
    X = rng.standard_normal((cfg.batch, cfg.width)).astype(dtype)
    if cfg.loss == "cross_entropy":
        Y = np.eye(OUTPUT_WIDTH, dtype=dtype)[rng.integers(0, OUTPUT_WIDTH, cfg.batch)]
    else:
        Y = rng.standard_normal((cfg.batch, OUTPUT_WIDTH)).astype(dtype)
    return theta, X, Y


# --- the three implementations of one step ----------------------------------------------------
def torch_loss(
    cfg: Config, W: list[torch.Tensor], b: list[torch.Tensor], X: torch.Tensor, Y: torch.Tensor
) -> torch.Tensor:
    """The same network and loss, written the usual way in PyTorch."""
    act = TORCH_ACTIVATIONS[cfg.activation]
    A = X
    for l in range(cfg.depth):
        A = F.linear(A, W[l], b[l])
        if l < cfg.depth - 1:
            A = act(A)
    if cfg.loss == "cross_entropy":
        return F.cross_entropy(A, Y)  # mean over the batch of -sum_k y_k log softmax(a)_k
    return 0.5 * F.mse_loss(A, Y, reduction="sum") / A.shape[0]


def torch_step_fn(
    cfg: Config, theta: nn.Parameters, X: np.ndarray, Y: np.ndarray, device: str = "cpu"
):
    W = [torch.tensor(w, requires_grad=True, device=device) for w in theta.W]
    b = [torch.tensor(v, requires_grad=True, device=device) for v in theta.b]
    Xt, Yt = torch.from_numpy(X).to(device), torch.from_numpy(Y).to(device)
    params = [p for pair in zip(W, b) for p in pair]

    def step() -> None:
        loss = torch_loss(cfg, W, b, Xt, Yt)
        loss.backward()
        with torch.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=ETA)
                p.grad = None

    return step


def ours_step_fn(cfg: Config, theta: nn.Parameters, X: Any, Y: Any):
    """deepqed's step on a copy of ``theta``, updated in place as torch's is (``out=theta``, and
    the gradient, which the step discards as torch's ``p.grad = None`` does, as scratch)."""
    arch = cfg.arch
    theta = theta.map(lambda a: array_api_compat.array_namespace(a).asarray(a, copy=True))

    def step() -> None:
        _, grad = nn.loss_and_gradient(arch, theta, X, Y, loss=cfg.loss)
        nn.sgd_step(theta, grad, ETA, out=theta, overwrite_grad=True)

    return step


# --- equivalence check ------------------------------------------------------------------------
def check_equivalent(cfg: Config, theta: nn.Parameters, X: np.ndarray, Y: np.ndarray) -> None:
    """Assert that ours (NumPy), ours (torch) and torch autograd agree on the loss and gradient."""
    arch = cfg.arch
    value, grad = nn.loss_and_gradient(arch, theta, X, Y, loss=cfg.loss)

    W = [torch.tensor(w, requires_grad=True) for w in theta.W]
    b = [torch.tensor(v, requires_grad=True) for v in theta.b]
    ref = torch_loss(cfg, W, b, torch.from_numpy(X), torch.from_numpy(Y))
    ref.backward()
    ref_grads = [p.grad.numpy() for pair in zip(W, b) for p in pair]

    theta_t = theta.map(torch.from_numpy)
    value_t, grad_t = nn.loss_and_gradient(
        arch, theta_t, torch.from_numpy(X), torch.from_numpy(Y), loss=cfg.loss
    )
    tol = TOLERANCE[cfg.dtype]
    for label, v, g in (
        ("ours", np.asarray(value), grad.arrays()),
        ("ours@torch", value_t.numpy(), [a.numpy() for a in grad_t.arrays()]),
    ):
        np.testing.assert_allclose(v, ref.item(), rtol=tol, err_msg=f"{label} loss, {cfg}")
        for k, (got, want) in enumerate(zip(g, ref_grads)):
            assert got.dtype == want.dtype, (label, cfg, got.dtype, want.dtype)
            scale = float(np.max(np.abs(want))) or 1.0
            np.testing.assert_allclose(
                got, want, rtol=tol, atol=tol * scale, err_msg=f"{label} gradient {k} ({cfg})"
            )


# --- the grid ---------------------------------------------------------------------------------
def grid(args: argparse.Namespace) -> list[Config]:
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    if args.widths:
        widths = args.widths
    else:
        widths = [64, 256, 1024] if args.quick else [64, 256, 512, 1024]
    batches = args.batches or ([256] if args.quick else [64, 256])
    return [
        Config(d, a, loss, w, m, args.depth)
        for d in dtypes
        for a in ("relu", "tanh")
        for loss in ("squared_error", "cross_entropy")
        for w in widths
        for m in batches
    ]


HEADER = (
    f"{'dtype':<8} {'act':<5} {'loss':<13} {'width':>5} {'batch':>5} "
    f"{'ours':>10} {'torch':>10} {'ours@torch':>10} {'ours/torch':>10} {'@torch/torch':>12} "
    f"{'spread':>6}"
)


def row(cfg: Config, t: dict[str, float], spread: float) -> str:
    return (
        f"{cfg.dtype:<8} {cfg.activation:<5} {cfg.loss:<13} {cfg.width:>5} {cfg.batch:>5} "
        f"{format_time(t['ours']):>10} {format_time(t['torch']):>10} "
        f"{format_time(t['ours@torch']):>10} {t['ours'] / t['torch']:>10.2f} "
        f"{t['ours@torch'] / t['torch']:>12.2f} {spread:>6.2f}"
    )


def geomean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="smaller grid (batch 256), fewer samples")
    p.add_argument("--threads", type=int, default=2, help="threads for torch and NumPy's BLAS")
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--depth", type=int, default=3, help="number of affine layers L (default 3)")
    p.add_argument("--widths", type=int, nargs="+", help="override the hidden widths")
    p.add_argument("--batches", type=int, nargs="+", help="override the batch sizes")
    p.add_argument("--repeat", type=int, help="samples per timing (default 6, quick 4)")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args(argv)
    repeat = args.repeat or (4 if args.quick else 6)
    rounds = 2 if args.quick else 3
    min_sample_s = 0.01

    configs = grid(args)
    info = machine_info(args.threads)
    print(
        f"# one SGD step (forward, loss, backprop, update); {info['processor']}, "
        f"{args.threads} thread(s); numpy {info['numpy']} ({', '.join(info['numpy_blas'])}), "
        f"torch {info['torch']}; median of {repeat} samples in {rounds} rounds; "
        f"depth {args.depth}"
    )
    results = []
    start = time.perf_counter()
    with limit_threads(args.threads):
        for cfg in configs:  # every configuration is checked before it is timed
            theta, X, Y = make_problem(cfg)
            check_equivalent(cfg, theta, X, Y)
        print(
            f"# gradients agree (ours, ours@torch vs torch autograd) on all {len(configs)} "
            "configurations\n"
        )
        print(HEADER)
        for cfg in configs:
            theta, X, Y = make_problem(cfg)
            stmts = {
                "ours": ours_step_fn(cfg, theta, X, Y),
                "torch": torch_step_fn(cfg, theta, X, Y),
                "ours@torch": ours_step_fn(
                    cfg, theta.map(torch.from_numpy), torch.from_numpy(X), torch.from_numpy(Y)
                ),
            }
            timings = compare(
                stmts,
                repeat=repeat,
                rounds=rounds,
                min_sample_s=min_sample_s,
                settle_s=SETTLE_S,
                attempts=1 if args.quick else 2,
            )
            t = {name: timing.median for name, timing in timings.items()}
            print(row(cfg, t, max(timing.spread for timing in timings.values())), flush=True)
            results.append(
                {
                    **cfg.__dict__,
                    "seconds": t,
                    "samples": {k: v.samples for k, v in timings.items()},
                    "ratio_ours_torch": t["ours"] / t["torch"],
                    "ratio_ours_at_torch_torch": t["ours@torch"] / t["torch"],
                }
            )
    elapsed = time.perf_counter() - start

    print()
    for label, key in (
        ("ours/torch", "ratio_ours_torch"),
        ("ours@torch/torch", "ratio_ours_at_torch_torch"),
    ):
        for name, sel in (("width >= 256", lambda r: r["width"] >= 256), ("all", lambda r: True)):
            rs = [r[key] for r in results if sel(r)]
            if rs:
                print(
                    f"# {label:<17} {name:<13} geometric mean {geomean(rs):.2f}, max {max(rs):.2f}"
                )
    print(f"# {len(results)} configurations in {elapsed:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "depth": args.depth, "repeat": repeat, "results": results},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
