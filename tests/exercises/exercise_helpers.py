"""Helpers of the exercise tests: submissions written to files.

A submission cannot import ``deepqed`` (the checker's worker refuses it), so the files hold
source code: the reference's, or a wrong solution's with the helpers it calls from its spec file.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from types import FunctionType

from deepqed.exercises import exercises
from deepqed.exercises.spec import Compute, Implement

IMPLEMENT = [e.exercise for e in exercises() if isinstance(e.exercise, Implement)]
COMPUTE = [e.exercise for e in exercises() if isinstance(e.exercise, Compute)]
CHECKED = IMPLEMENT + COMPUTE


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _sources(fn: FunctionType, seen: set[str]) -> list[str]:
    """The source of ``fn`` and of the module-level functions it calls, helpers first."""
    out: list[str] = []
    for name in fn.__code__.co_names:
        helper = fn.__globals__.get(name)
        if (
            isinstance(helper, FunctionType)
            and helper.__module__ == fn.__module__
            and name not in seen
        ):
            seen.add(name)
            out += _sources(helper, seen)
    return out + [inspect.getsource(fn)]


def function_source(fn: FunctionType, name: str) -> str:
    """A module defining ``fn`` (and its helpers) under the name ``name``."""
    body = "\n\n".join(_sources(fn, {fn.__name__}))
    alias = f"\n{name} = {fn.__name__}\n" if fn.__name__ != name else ""
    return f"import numpy as np\n\n\n{body}{alias}"


def answers_source(spec: Compute, values: dict) -> str:
    return f"# deepqed-exercise: {spec.id}\n" + "".join(f"{k} = {v!r}\n" for k, v in values.items())


def reference_submission(folder: Path, spec: Implement | Compute) -> Path:
    """A submission file holding the reference solution's own source (or the right answers)."""
    if isinstance(spec, Compute):
        return write(
            folder, f"{spec.id}.py", answers_source(spec, {a.name: a.value for a in spec.answers})
        )
    return write(
        folder,
        f"{spec.function}.py",
        f"# deepqed-exercise: {spec.id}\n{function_source(spec.reference, spec.function)}",
    )


def wrong_submission(folder: Path, spec: Implement | Compute, index: int) -> Path:
    """A submission whose function is the spec's ``wrong[index]`` (or its wrong answers)."""
    if isinstance(spec, Compute):
        return write(
            folder, f"wrong_{index}.py", answers_source(spec, dict(spec.wrong[index].values))
        )
    fn = spec.wrong[index].function
    return write(
        folder,
        f"wrong_{index}.py",
        f"# deepqed-exercise: {spec.id}\n{function_source(fn, spec.function)}",
    )


def wrong_name(spec: Implement | Compute, index: int) -> str:
    w = spec.wrong[index]
    return w.function.__name__ if isinstance(spec, Implement) else w.mistake


def parse(stdout: str) -> dict:
    return json.loads(stdout)
