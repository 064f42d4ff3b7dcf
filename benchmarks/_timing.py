"""Timing helpers shared by the benchmarks (run by hand, never in CI's pass/fail).

The rules, so that two implementations are compared on equal terms:

* the same thread count for every library (:func:`limit_threads`: ``torch.set_num_threads`` and
  ``threadpoolctl.threadpool_limits``, which caps NumPy's BLAS and OpenMP);
* warm-up calls before any timing (first calls pay for allocation, lazy imports, BLAS start-up);
* ``timeit``-style measurement: each sample runs the statement ``number`` times, with ``number``
  chosen so that one sample lasts at least ``min_sample_s``; the reported time is the median
  over samples divided by ``number``;
* the implementations being compared take turns in blocks of samples (A, B, C, A, B, C), so that
  a slow patch of the machine (another process, frequency scaling) hits all of them alike and
  their ratio is measured in the same run; a short sleep before each block lets the previous
  library's idle worker threads stop spinning (see :func:`compare`).
"""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["limit_threads", "calibrate", "Timing", "compare", "machine_info", "format_time"]


@contextlib.contextmanager
def limit_threads(threads: int) -> Iterator[None]:
    """Run the block with ``threads`` threads in PyTorch, NumPy's BLAS and OpenMP."""
    import torch
    from threadpoolctl import threadpool_limits

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads):
            yield
    finally:
        torch.set_num_threads(before)


def calibrate(stmt: Callable[[], Any], min_sample_s: float) -> int:
    """The smallest ``number`` in 1, 2, 5, 10, 20, ... whose calls last ``min_sample_s`` in all."""
    number = 1
    while True:
        for k in (1, 2, 5):
            n = number * k
            t0 = time.perf_counter()
            for _ in range(n):
                stmt()
            if time.perf_counter() - t0 >= min_sample_s:
                return n
        number *= 10


@dataclass(frozen=True)
class Timing:
    """The samples of one statement (seconds per call), their median and their spread."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def spread(self) -> float:
        """Second-largest over second-smallest sample (one outlier at either end is ignored)."""
        s = sorted(self.samples)
        return s[-2] / s[1] if len(s) >= 4 else s[-1] / s[0]


def compare(
    stmts: Mapping[str, Callable[[], Any]],
    *,
    repeat: int = 8,
    rounds: int = 4,
    min_sample_s: float = 0.02,
    settle_s: float | Mapping[str, float] = 0.12,
    warmup: int = 3,
    attempts: int = 3,
    max_spread: float = 1.25,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Timing]:
    """Time each statement, sampled in interleaved blocks in one run.

    Each of ``rounds`` rounds runs, for every statement in turn, a block of
    ``ceil(repeat / rounds)`` samples; before each block the process sleeps ``settle_s`` seconds.
    The pause matters when the statements use different thread pools (NumPy's OpenBLAS, PyTorch's
    OpenMP): OpenBLAS worker threads keep spinning for about 0.1 s after a BLAS call, and on a
    machine with as many cores as threads they would steal cycles from the next statement's pool.

    If some statement's samples spread by more than ``max_spread`` (another process took the
    machine for a while), the whole comparison is run again, up to ``attempts`` times, and the
    attempt with the smallest worst spread is returned. The criterion looks at every statement
    alike, so it favours none of them.

    Arguments:
        stmts: name -> zero-argument callable (one call = the work being timed).
        repeat: samples per statement (at least); report the median.
        rounds: how many times the statements take turns.
        min_sample_s: the least duration of one sample (sets ``number`` per statement).
        settle_s: the pause before each block (seconds), or name -> the pause before that
            statement's blocks (a long pause is needed only after another library's block).
        warmup: untimed calls of each statement before calibration.
        attempts, max_spread: see above.
        clock: the clock of the samples: wall-clock time by default; ``time.thread_time`` (the
            CPU time of the calling thread) for single-threaded runs on a machine that other
            work shares, where it does not count the time the thread waited for a core.

    Returns:
        name -> :class:`Timing` (seconds per call).
    """
    pause = settle_s if isinstance(settle_s, Mapping) else dict.fromkeys(stmts, settle_s)
    numbers = {}
    for name, stmt in stmts.items():
        for _ in range(warmup):
            stmt()
        numbers[name] = calibrate(stmt, min_sample_s)
    best: dict[str, Timing] | None = None
    for _ in range(attempts):
        result = _sample(stmts, numbers, pause, -(-repeat // rounds), rounds, clock)
        worst = max(t.spread for t in result.values())
        if best is None or worst < max(t.spread for t in best.values()):
            best = result
        if worst <= max_spread:
            break
    assert best is not None
    return best


def _sample(
    stmts: Mapping[str, Callable[[], Any]],
    numbers: Mapping[str, int],
    pause: Mapping[str, float],
    per_block: int,
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Timing]:
    samples: dict[str, list[float]] = {name: [] for name in stmts}
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: no collection pauses inside a sample
    try:
        for _ in range(rounds):
            for name, stmt in stmts.items():
                n = numbers[name]
                time.sleep(pause[name])
                stmt()  # one untimed call after the pause
                for _ in range(per_block):
                    t0 = clock()
                    for _ in range(n):
                        stmt()
                    samples[name].append((clock() - t0) / n)
    finally:
        if gc_was_enabled:
            gc.enable()
    return {name: Timing(tuple(s)) for name, s in samples.items()}


def machine_info(threads: int) -> dict[str, Any]:
    """What the numbers depend on: CPU, library versions, BLAS back-ends, thread count."""
    import numpy as np
    import torch
    from threadpoolctl import threadpool_info

    blas = sorted(
        {
            f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')}"
            for p in threadpool_info()
            if p.get("user_api") == "blas"
        }
    )
    return {
        "machine": platform.machine(),
        "processor": _cpu_name(),
        "cpus": os.cpu_count(),
        "threads": threads,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "numpy_blas": blas,
        "numpy_simd": _numpy_simd(),
        "torch": torch.__version__,
        "torch_mkl": bool(torch.backends.mkl.is_available()),
        "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }


def _cpu_name() -> str:
    """The CPU's model name with its family, model and stepping: virtual machines often name only
    the vendor's line ("AMD EPYC"), which spans generations whose vector units differ (and with
    them NumPy's elementwise functions, several times over)."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if not line.strip():
                    break  # the first processor's block only
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        pass
    name = fields.get("model name") or platform.processor() or "unknown"
    ids = [f"{k} {fields[k]}" for k in ("cpu family", "model", "stepping") if k in fields]
    return f"{name} ({', '.join(ids)})" if ids else name


def _numpy_simd() -> list[str]:
    """The SIMD extensions NumPy found on this CPU (those its dispatched loops may use)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__  # NumPy >= 2
    except ImportError:  # NumPy 1.x
        from numpy.core._multiarray_umath import __cpu_features__
    return sorted(
        k for k, v in __cpu_features__.items() if v and k.startswith(("AVX", "X86", "FMA"))
    )


def format_time(seconds: float) -> str:
    """A time with three significant digits in a readable unit."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
