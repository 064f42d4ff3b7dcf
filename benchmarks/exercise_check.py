"""Median wall-clock time of one ``deepqed exercise check FILE`` (run by hand, never in CI).

Each sample is a fresh ``python -m deepqed exercise check`` subprocess, so the time includes
Python's start, the imports, loading the exercises, starting the sandbox (bubblewrap) and the
submission's worker process in it, the Hypothesis search (100 inputs) and recording the attempt.
The submission is the reference solution of each exercise (a passing check runs every check on
every input: the typical and the longest case), in a temporary folder with a temporary progress
database. With ``--compare``, every sample is paired with one of ``--no-sandbox`` (a plain worker
process), run just after it, so that the cost of the sandbox is measured under the same load.

    python benchmarks/exercise_check.py              # 7 samples per exercise
    python benchmarks/exercise_check.py --repeat 15 --exercise ex-ff-sigmoid-prime --compare
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FunctionType

from deepqed.exercises import exercises
from deepqed.exercises.spec import Compute, Implement


def source_of(fn: FunctionType, seen: set[str]) -> str:
    """``fn``'s source with the module-level helpers it calls (a file cannot import deepqed)."""
    parts = []
    for name in fn.__code__.co_names:
        helper = fn.__globals__.get(name)
        if (
            isinstance(helper, FunctionType)
            and helper.__module__ == fn.__module__
            and name not in seen
        ):
            seen.add(name)
            parts.append(source_of(helper, seen))
    return "\n\n".join(parts + [inspect.getsource(fn)])


def reference_file(spec: Implement | Compute, folder: Path) -> Path:
    path = folder / (spec.id.replace("-", "_") + ".py")
    if isinstance(spec, Compute):
        body = "".join(f"{a.name} = {a.value!r}\n" for a in spec.answers)
    else:
        body = "import numpy as np\n\n\n" + source_of(spec.reference, {spec.function})
    path.write_text(f"# deepqed-exercise: {spec.id}\n{body}", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--exercise", action="append", help="only this id (repeatable)")
    parser.add_argument(
        "--compare", action="store_true", help="pair each sample with one without the sandbox"
    )
    args = parser.parse_args()
    specs = [
        e.exercise
        for e in exercises()
        if isinstance(e.exercise, (Implement, Compute))
        and (not args.exercise or e.exercise.id in args.exercise)
    ]
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.2f} at the start"
    )
    modes = [[]] + ([["--no-sandbox"]] if args.compare else [])
    all_times: dict[str, list[float]] = {" ".join(m) or "sandbox": [] for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "DEEPQED_DATA_DIR": str(folder / "data")}
        for spec in specs:
            path = reference_file(spec, folder)
            times: dict[str, list[float]] = {k: [] for k in all_times}
            for _ in range(args.repeat):
                for mode in modes:
                    start = time.perf_counter()
                    proc = subprocess.run(
                        [sys.executable, "-m", "deepqed", "exercise", "check", str(path), *mode],
                        capture_output=True,
                        text=True,
                        env=env,
                        cwd=folder,
                    )
                    times[" ".join(mode) or "sandbox"].append(time.perf_counter() - start)
                    if proc.returncode != 0:
                        sys.exit(f"{spec.id}: exit {proc.returncode}\n{proc.stdout}{proc.stderr}")
            for key, ts in times.items():
                all_times[key] += ts
                print(
                    f"{spec.id:28} {key:12} median {statistics.median(ts):.2f} s  "
                    f"(min {min(ts):.2f}, max {max(ts):.2f}, {len(ts)} runs)"
                )
    for key, ts in all_times.items():
        print(f"{'all exercises':28} {key:12} median {statistics.median(ts):.2f} s")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
