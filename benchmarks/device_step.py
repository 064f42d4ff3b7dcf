r"""deepqed's calls on the tensors of one torch device (a GPU) against torch autograd there.

The other benchmarks time deepqed on NumPy arrays and on CPU tensors. This one takes the same
problems (each script's own ``make_problem`` and step functions, their ``--quick`` grids) to a
torch device and times two columns:

``ours@torch``  deepqed's public calls (``nn``, ``cnn``'s training step, ``rnn``, ``attention``) on
                tensors of that device, through the array API;
``torch``       the same step written with torch and autograd, on the same device.

Before timing, every configuration checks that the two return the same gradients (relative
tolerance 2e-4 in float32, 1e-10 in float64, against the largest entry, as the CPU scripts).

On a CUDA device every timed call ends with ``torch.cuda.synchronize()``, so that a sample counts
the kernels' completion rather than their launch. TF32 is off by default for both columns
(``torch.backends.cuda.matmul.allow_tf32`` and ``torch.backends.cudnn.allow_tf32``: deepqed's
matrix products and torch's convolutions then run in full float32); ``--tf32 on`` allows it for
both, and the header says which. Targets (ours@torch / torch, geometric mean): MLP and recurrent
networks <= 1.1, convolution <= 1.5, attention <= 1.2.

Usage::

    python benchmarks/device_step.py --device cuda --json gpu.json   # every model, both dtypes
    python benchmarks/device_step.py --device cuda --models conv lstm --dtype float32 --tf32 on
    python benchmarks/device_step.py --device cpu --dtype float32    # the same code on CPU tensors
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import attention_step  # noqa: E402
import conv_step  # noqa: E402
import mlp_step  # noqa: E402
import rnn_step  # noqa: E402
from _timing import compare, format_time, limit_threads, machine_info  # noqa: E402

from deepqed import nn  # noqa: E402

TOLERANCE = {"float32": 2e-4, "float64": 1e-10}  # relative to the largest entry
TARGET = {"mlp": 1.1, "conv": 1.5, "rnn": 1.1, "lstm": 1.1, "gru": 1.1, "attention": 1.2}
MODELS = tuple(TARGET)

#: One row: a label, deepqed's step, torch's step (both zero-argument callables), and two
#: callables returning the gradients to compare (sequences of tensors in the same order).
Row = tuple[str, Callable[[], Any], Callable[[], Any], Callable[[], list], Callable[[], list]]


def _to(device: str) -> Callable[[np.ndarray], torch.Tensor]:
    return lambda a: torch.from_numpy(a).to(device)


# --- the problems of each script, on the device ------------------------------------------------
def mlp_rows(dtype: str, device: str) -> Iterator[Row]:
    args = SimpleNamespace(dtype=dtype, widths=None, batches=None, quick=True, depth=3)
    for cfg in mlp_step.grid(args):
        theta, X, Y = mlp_step.make_problem(cfg)
        to = _to(device)
        theta_d, X_d, Y_d = theta.map(to), to(X), to(Y)

        def ours_grads(cfg=cfg, theta_d=theta_d, X_d=X_d, Y_d=Y_d):
            return nn.loss_and_gradient(cfg.arch, theta_d, X_d, Y_d, loss=cfg.loss)[1].arrays()

        def torch_grads(cfg=cfg, theta=theta, X_d=X_d, Y_d=Y_d):
            W = [torch.tensor(w, requires_grad=True, device=device) for w in theta.W]
            b = [torch.tensor(v, requires_grad=True, device=device) for v in theta.b]
            mlp_step.torch_loss(cfg, W, b, X_d, Y_d).backward()
            return [p.grad for pair in zip(W, b) for p in pair]

        label = f"{cfg.activation} {cfg.loss} w={cfg.width} m={cfg.batch}"
        yield (
            label,
            mlp_step.ours_step_fn(cfg, theta_d, X_d, Y_d),
            mlp_step.torch_step_fn(cfg, theta, X, Y, device=device),
            ours_grads,
            torch_grads,
        )


def conv_rows(dtype: str, device: str) -> Iterator[Row]:
    for cfg in conv_step.grid(SimpleNamespace(dtype=dtype, quick=True)):
        prob = conv_step.make_problem(cfg)
        ours = conv_step.ours_at_torch_fn(cfg, *prob, device=device)
        ref = conv_step.torch_fn(cfg, *prob, device=device)
        label = (
            f"N={cfg.batch} {cfg.c_in}->{cfg.c_out} {cfg.size}x{cfg.size} k={cfg.kernel} "
            f"s={cfg.stride}"
        )
        yield label, ours, ref, ours, ref


def recurrent_rows(model: str, dtype: str, device: str) -> Iterator[Row]:
    args = SimpleNamespace(dtype=dtype, quick=True, models=[model])
    for cfg in rnn_step.grid(args):
        theta, module, X, G = rnn_step.make_problem(cfg)
        module = module.to(device)
        ours = rnn_step.ours_fn(cfg, *rnn_step.at_torch(theta, X, G, device=device))
        ref = rnn_step.torch_fn(module, X, G)

        def ours_grads(ours=ours, cfg=cfg):
            arrays = list(ours().arrays())  # W, U, b (, c for the GRU)
            return arrays[:4] if cfg.model == "gru" else arrays[:3]

        def torch_grads(ref=ref, cfg=cfg):
            dW, dU, db, dbh = ref()  # weight_hh, weight_ih, bias_ih, bias_hh
            return [dW, dU, db] + ([dbh[2 * cfg.n :]] if cfg.model == "gru" else [])

        yield f"T={cfg.T} m={cfg.m} n={cfg.n}", ours, ref, ours_grads, torch_grads


def attention_rows(dtype: str, device: str) -> Iterator[Row]:
    for batch, seq, d, heads in attention_step.QUICK:
        cfg = attention_step.Config(dtype, batch, seq, d, heads, False)
        theta, X, dY = attention_step.make_problem(cfg)
        ours = attention_step.ours_step_fn(cfg, *attention_step.at_torch(theta, X, dY, device))
        ref = attention_step.torch_step_fn(cfg, theta, X, dY, device=device)
        yield f"B={batch} n={seq} d={d} h={heads}", ours, ref, ours, ref


def rows(model: str, dtype: str, device: str) -> Iterator[Row]:
    if model == "mlp":
        return mlp_rows(dtype, device)
    if model == "conv":
        return conv_rows(dtype, device)
    if model == "attention":
        return attention_rows(dtype, device)
    return recurrent_rows(model, dtype, device)


# --- checking and timing -------------------------------------------------------------------------
def check_same(label: str, dtype: str, ours: list, ref: list) -> None:
    """The gradients agree to ``TOLERANCE`` relative to the largest entry of torch's."""
    ours, ref = list(ours), list(ref)
    if len(ours) != len(ref):
        raise AssertionError(f"{label}: {len(ours)} gradients against torch's {len(ref)}")
    for k, (a, r) in enumerate(zip(ours, ref)):
        a, r = a.detach().cpu().numpy(), r.detach().cpu().numpy()
        if a.dtype != r.dtype or a.shape != r.shape:
            raise AssertionError(f"{label}, array {k}: {a.dtype}{a.shape} vs {r.dtype}{r.shape}")
        scale = float(np.max(np.abs(r))) or 1.0
        err = float(np.max(np.abs(a.astype(np.float64) - r))) / scale
        if not err <= TOLERANCE[dtype]:
            raise AssertionError(f"{label}, array {k}: relative difference {err:.2e}")


def synchronized(step: Callable[[], Any], device: torch.device) -> Callable[[], None]:
    """``step`` followed by waiting for the device's queued kernels (CUDA); ``step`` elsewhere."""
    if device.type != "cuda":
        return step

    def call() -> None:
        step()
        torch.cuda.synchronize(device)

    return call


def geomean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--device", default="cuda", help="a torch device (default cuda)")
    p.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    p.add_argument("--dtype", choices=["float32", "float64", "both"], default="both")
    p.add_argument("--tf32", choices=["off", "on"], default="off")
    p.add_argument("--threads", type=int, default=2, help="CPU threads (torch and NumPy's BLAS)")
    p.add_argument("--repeat", type=int, default=6, help="samples per timing")
    p.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = p.parse_args(argv)
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        p.error("--device cuda: torch sees no CUDA device on this machine")
    torch.backends.cuda.matmul.allow_tf32 = args.tf32 == "on"
    torch.backends.cudnn.allow_tf32 = args.tf32 == "on"
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "CPU tensors"
    info = machine_info(args.threads)
    print(
        f"# deepqed on torch tensors against torch autograd; device {device} ({name}); torch "
        f"{info['torch']}, numpy {info['numpy']}; TF32 {args.tf32} for both columns; median of "
        f"{args.repeat} samples"
    )
    dtypes = ["float32", "float64"] if args.dtype == "both" else [args.dtype]
    print(
        f"{'model':<9} {'dtype':<8} {'configuration':<38} {'ours@torch':>10} {'torch':>10} "
        f"{'ratio':>6} {'spread':>6}"
    )
    results: list[dict[str, Any]] = []
    start = time.perf_counter()
    with limit_threads(args.threads):
        for model in args.models:
            for dtype in dtypes:
                for label, ours, ref, ours_grads, torch_grads in rows(model, dtype, str(device)):
                    check_same(f"{model} {dtype} {label}", dtype, ours_grads(), torch_grads())
                    timings = compare(
                        {
                            "ours@torch": synchronized(ours, device),
                            "torch": synchronized(ref, device),
                        },
                        repeat=args.repeat,
                        rounds=3,
                        min_sample_s=0.01,
                        settle_s=0.02,
                        attempts=2,
                    )
                    t = {k: v.median for k, v in timings.items()}
                    spread = max(v.spread for v in timings.values())
                    ratio = t["ours@torch"] / t["torch"]
                    print(
                        f"{model:<9} {dtype:<8} {label:<38} {format_time(t['ours@torch']):>10} "
                        f"{format_time(t['torch']):>10} {ratio:>6.2f} {spread:>6.2f}",
                        flush=True,
                    )
                    results.append(
                        {"model": model, "dtype": dtype, "configuration": label, "seconds": t}
                        | {"ratio": ratio, "spread": spread}
                    )
    print()
    for model in args.models:
        for dtype in dtypes:
            rs = [r["ratio"] for r in results if r["model"] == model and r["dtype"] == dtype]
            if rs:
                print(
                    f"# {model:<9} {dtype}: ours@torch/torch geometric mean {geomean(rs):.2f}, "
                    f"max {max(rs):.2f} (target <= {TARGET[model]})"
                )
    print(f"# {len(results)} configurations in {time.perf_counter() - start:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"machine": info, "device": str(device), "name": name, "tf32": args.tf32}
                | {"results": results},
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
