"""Helpers of the hostile tests: the processes a check leaves, and the pieces of attack files.

An attack file tries something at import (``attempt(name, action)`` prints ``<name> SUCCEEDED`` or
``<name> blocked: <exception>``) and then defines a *wrong* ``sigmoid_prime``: blocked, it gets the
verdict ``failed`` on the values, and its printed lines say how each attempt was stopped.

``UNHOOK`` first disables the worker's audit hook and import refusal (they give clear messages
for honest mistakes, and are not a boundary): the attempts that follow it meet the sandbox and
the seccomp filter alone.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

HEAD = "# deepqed-exercise: ex-ff-sigmoid-prime\nimport numpy as np\n"
# a right answer (stable: sigma(1 - sigma) loses its digits where sigma saturates)
GOOD = "    e = np.exp(-np.abs(Z))\n    return e / (1 + e) ** 2\n"
WRONG = "def sigmoid_prime(Z):\n    return 0.25 + 0 * Z\n"

ATTEMPT = """
def attempt(name, action):
    try:
        action()
        print(name, 'SUCCEEDED')
    except BaseException as e:
        print(name, 'blocked:', type(e).__name__, e)
"""

UNHOOK = """
import gc, sys
for _f in gc.get_objects():
    if type(_f).__name__ == 'function' and _f.__name__ == 'hook' and _f.__closure__:
        for _cell in _f.__closure__:
            if isinstance(_cell.cell_contents, frozenset):
                _cell.cell_contents = frozenset()
            elif isinstance(_cell.cell_contents, tuple):
                _cell.cell_contents = ()
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != '_Refuse']
"""


def attack(body: str, *, unhook: bool = True) -> str:
    """An attack file: the prelude, ``body`` (calls of ``attempt``), then a wrong function."""
    return HEAD + (UNHOOK if unhook else "") + ATTEMPT + body + "\n" + WRONG


def raw_reply(payload: str) -> str:
    """A file whose function writes ``payload`` (a Python expression of bytes: a whole framed
    message) to the checker's reply channel itself, then waits."""
    return (
        HEAD
        + "import json, os, struct, sys, time\n"
        + "def sigmoid_prime(Z):\n"
        + "    fd = json.loads(sys.argv[1])['replies']\n"
        + f"    data = {payload}\n"
        + "    while data:\n"
        + "        data = data[os.write(fd, data):]\n"
        + "    time.sleep(30)\n"
    )


def processes_mentioning(texts: list[str]) -> list[int]:
    """Live processes whose command line contains one of ``texts``."""
    out = []
    needles = [t.encode() for t in texts]
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if any(n in cmdline for n in needles):
            out.append(int(entry))
    return out


def assert_no_process_left(*paths: object, seconds: float = 5.0) -> None:
    """No worker process of the submissions ``paths`` (files, or folders of them) is alive: a
    worker's configuration carries a label derived from its file's path. The sandbox's
    processes end with its namespace, which takes a moment after the kill."""
    from deepqed.exercises.isolation import worker_label

    files: list[str] = []
    for p in map(Path, paths):
        files += [str(f) for f in p.rglob("*.py")] if p.is_dir() else [str(p)]
    labels = [worker_label(f) for f in files]
    until = time.monotonic() + seconds
    left = processes_mentioning(labels)
    while left and time.monotonic() < until:
        time.sleep(0.05)
        left = processes_mentioning(labels)
    assert not left, f"processes left behind: {left}"
