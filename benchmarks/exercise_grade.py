"""Course mode: grade 200 generated submissions, hostile ones included (run by hand).

Writes a class of 40 students x 5 exercises into a temporary folder: about 60% reference
solutions, 25% plausible wrong solutions (each spec's ``wrong``), 15% hostile files (endless
loops, ``os._exit``, a crash in native code, a flood of output, a memory hog, ``fork``,
``import deepqed``, syntax errors, reading the book's copy in site-packages, reading a
classmate's file, stopping the grader, a forged reply on the checker's channel), then times one
``python -m deepqed exercise grade DIR --workers 2 --out report.csv`` subprocess (each file in
the sandbox; ``--no-sandbox`` to compare) and prints the total and the count of each verdict.

    python benchmarks/exercise_grade.py                 # 200 files, 2 workers
    python benchmarks/exercise_grade.py --students 10 --workers 4 --keep /tmp/class
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from exercise_check import source_of

from deepqed.exercises import get

EXERCISES = (
    "ex-ff-sigmoid-prime",
    "ex-ff-softmax-jacobian",
    "ex-ff-ce-grad",
    "ex-ff-layer-backward",
    "ex-ff-cost-count",
)

HOSTILE = {
    "endless loop": "def {f}(*args):\n    while True:\n        pass\n",
    "os._exit": "import os\ndef {f}(*args):\n    os._exit(7)\n",
    "crash": "import ctypes\ndef {f}(*args):\n    return ctypes.string_at(0)\n",
    "output flood": "def {f}(*args):\n    while True:\n        print('spam' * 100)\n",
    "memory hog": "import numpy as np\ndef {f}(*args):\n    hoard = []\n    while True:\n"
    "        hoard.append(np.ones(2**24))\n",
    "fork": "import os\ndef {f}(*args):\n    os.fork()\n",
    "import deepqed": "from deepqed.exercises import get\n",
    "syntax error": "def {f}(*args):\n    return (\n",
    "reads the installed book": "import sysconfig\nopen(sysconfig.get_paths()['purelib']"
    " + '/deepqed/_book/conf.py').read()\n",
    "reads a classmate": "def {f}(*args):\n    return open('../student000/'"
    " + __import__('os').listdir('../student000')[0]).read()\n",
    "stops the grader": "import os, signal\ndef {f}(*args):\n"
    "    signal.pidfd_send_signal(os.pidfd_open(os.getppid()), signal.SIGSTOP)\n",
    "forged reply": "import json, os, sys\ndef {f}(*args):\n"
    "    os.write(json.loads(sys.argv[1])['replies'], b'\\x00\\x00\\x00\\x01T')\n"
    "    return args[0]\n",
}


def submission(exercise_id: str, rng: random.Random) -> tuple[str, str]:
    """(kind, file text) of one generated submission."""
    spec = get(exercise_id).exercise
    head = f"# deepqed-exercise: {spec.id}\n"
    roll = rng.random()
    if exercise_id == "ex-ff-cost-count":
        values = (
            {a.name: a.value for a in spec.answers}
            if roll < 0.7
            else dict(rng.choice(spec.wrong).values)
        )
        kind = "reference" if roll < 0.7 else "wrong"
        return kind, head + "".join(f"{k} = {v!r}\n" for k, v in values.items())
    if roll < 0.60:
        return "reference", head + "import numpy as np\n\n" + source_of(
            spec.reference, {spec.function}
        )
    if roll < 0.85:
        fn = rng.choice(spec.wrong).function
        return "wrong", (
            head
            + "import numpy as np\n\n"
            + source_of(fn, {fn.__name__})
            + f"\n{spec.function} = {fn.__name__}\n"
        )
    kind = rng.choice(sorted(HOSTILE))
    return kind, head + HOSTILE[kind].format(f=spec.function)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the class here and keep it")
    parser.add_argument("--no-sandbox", action="store_true", help="grade without the sandbox")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "class"
        kinds: Counter[str] = Counter()
        for s in range(args.students):
            folder = root / f"student{s:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            for exercise_id in EXERCISES:
                kind, text = submission(exercise_id, rng)
                kinds[kind] += 1
                (folder / (exercise_id.replace("-", "_") + ".py")).write_text(text)
        total = sum(kinds.values())
        print(f"{total} submissions: " + ", ".join(f"{n} {k}" for k, n in kinds.most_common()))
        report = Path(tmp) / "report.csv"
        env = {**os.environ, "DEEPQED_DATA_DIR": str(Path(tmp) / "data")}
        start = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "deepqed",
                "exercise",
                "grade",
                str(root),
                "--workers",
                str(args.workers),
                "--out",
                str(report),
                *(["--no-sandbox"] if args.no_sandbox else []),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp,
        )
        seconds = time.perf_counter() - start
        load = os.getloadavg()
        if proc.returncode != 0:
            sys.exit(f"grade exited {proc.returncode}\n{proc.stdout[-3000:]}{proc.stderr}")
        with report.open(newline="") as f:
            rows = list(csv.DictReader(f))
        verdicts = Counter(r["verdict"] for r in rows)
        slowest = max(rows, key=lambda r: float(r["seconds"]))
        print(
            f"graded {len(rows)} files with {args.workers} workers on {os.cpu_count()} CPUs "
            f"in {seconds:.1f} s ({seconds / len(rows):.2f} s per file): "
            + ", ".join(f"{n} {v}" for v, n in verdicts.most_common())
        )
        print(
            f"slowest file: {slowest['file']} {slowest['seconds']} s ({slowest['verdict']}: "
            f"{slowest['message'][:100]})"
        )
        print(f"load average over the last 1 / 5 minutes: {load[0]:.2f} / {load[1]:.2f}")


if __name__ == "__main__":
    main()
