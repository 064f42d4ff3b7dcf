"""Submission files: the header line naming the exercise, import in a fresh namespace, check.

A submission is a Python file whose first lines contain ``# deepqed-exercise: <id>``; it is
imported under a fresh module name (never left in ``sys.modules``), with what it prints captured
and ``SystemExit`` caught, and its function is then checked by :func:`.check.check_function`.
"""

from __future__ import annotations

import importlib.util
import inspect
import io
import re
import sys
import time
from pathlib import Path
from typing import Any

from . import catalogue
from .check import check_function, quiet
from .checks import trim_traceback
from .result import CheckResult
from .spec import Implement, Prove

__all__ = ["HEADER", "read_header", "check_file"]

HEADER = "# deepqed-exercise:"
_HEADER = re.compile(r"^#\s*deepqed-exercise:\s*(?P<id>\S+)\s*$")


def read_header(path: Path) -> str | None:
    """The exercise id of the ``# deepqed-exercise: <id>`` line (in the first 30 lines)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for _, line in zip(range(30), f):
                m = _HEADER.match(line.strip())
                if m:
                    return m.group("id")
    except OSError:
        return None
    return None


def _load_submission(path: Path, spec: Implement) -> tuple[Any, str, str]:
    """Import the file in a fresh namespace; returns (function or None, problem, printed)."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return None, f"cannot read {path}: {e}", ""
    try:
        compile(source, str(path), "exec")
    except SyntaxError as e:
        where = f"line {e.lineno}" + (f", column {e.offset}" if e.offset else "")
        text = (e.text or "").rstrip()
        return None, f"syntax error at {where}: {e.msg}" + (f"\n    {text}" if text else ""), ""
    name = f"deepqed_submission_{abs(hash(str(path.resolve())))}"
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    buffer = io.StringIO()
    try:
        with quiet(buffer):
            module_spec.loader.exec_module(module)
    except SystemExit as e:
        return None, f"the file called sys.exit({e.code!r}) while being imported", \
            buffer.getvalue()
    except ImportError as e:
        return None, f"import error: {e}\n{trim_traceback(e)}", buffer.getvalue()
    except Exception as e:
        return None, (f"the file raised {type(e).__name__} while being imported: {e}\n"
                      f"{trim_traceback(e)}"), buffer.getvalue()
    finally:
        sys.modules.pop(name, None)
    fn = getattr(module, spec.function, None)
    if fn is None:
        defined = sorted(k for k, v in vars(module).items()
                         if inspect.isfunction(v) and v.__module__ == name)
        also = f" (it defines: {', '.join(defined)})" if defined else ""
        return None, f"the file defines no function named {spec.function}{also}", \
            buffer.getvalue()
    return fn, "", buffer.getvalue()


def check_file(path: str | Path, *, timeout: float = 60.0) -> CheckResult:
    """Check a submission file whose header line names the exercise."""
    path = Path(path)
    start = time.perf_counter()
    if not path.is_file():
        return CheckResult("?", "", "unusable", f"no such file: {path}", file=str(path))
    exercise_id = read_header(path)
    if exercise_id is None:
        return CheckResult("?", "", "unusable",
                           f"{path} has no header line `{HEADER} <id>` naming the exercise "
                           "(`deepqed exercise start ID` writes a stub with it)", file=str(path))
    try:
        entry = catalogue.get(exercise_id)
    except catalogue.UnknownExercise as e:
        return CheckResult(exercise_id, "", "unusable", str(e), file=str(path))
    spec = entry.exercise
    if isinstance(spec, Prove):
        return CheckResult(spec.id, spec.title, "unusable",
                           f"{spec.id} is a proof exercise: there is nothing to run; mark it "
                           f"with `deepqed exercise mark {spec.id}`", file=str(path))
    fn, problem, printed = _load_submission(path, spec)
    if problem:
        result = CheckResult(spec.id, spec.title, "unusable", problem, file=str(path),
                             printed=printed[:4000])
    else:
        result = check_function(spec, fn, str(path), timeout)
        result.printed = (printed + result.printed)[:4000]
    result.seconds = time.perf_counter() - start
    return result
