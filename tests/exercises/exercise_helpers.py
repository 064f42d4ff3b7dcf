"""Helpers of the exercise tests: submissions written to files."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from deepqed.exercises import exercises
from deepqed.exercises.spec import Implement

IMPLEMENT = [e.exercise for e in exercises() if isinstance(e.exercise, Implement)]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def reference_submission(folder: Path, spec: Implement) -> Path:
    """A submission file holding the reference solution's own source."""
    source = inspect.getsource(spec.reference)
    return write(folder, f"{spec.function}.py",
                 f"# deepqed-exercise: {spec.id}\nimport numpy as np\n\n\n{source}")


def wrong_submission(folder: Path, spec: Implement, index: int) -> Path:
    """A submission whose function is the spec's ``wrong[index]``."""
    return write(folder, f"wrong_{index}.py",
                 f"# deepqed-exercise: {spec.id}\nfrom deepqed.exercises import get\n\n"
                 f"{spec.function} = get({spec.id!r}).exercise.wrong[{index}].function\n")


def parse(stdout: str) -> dict:
    return json.loads(stdout)
