"""Build the verified book with Sphinx.

The build runs ``sphinx-build`` in a child process (so a crash inside a notebook kernel or an
extension cannot take the caller with it), streams its progress, and fails with the file and line
of every warning or error when ``strict`` is set (warnings are errors: a broken chapter is never a
silent gap).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .registry import book_dir

__all__ = ["build", "sphinx_command"]

_PHASE = re.compile(
    r"^(reading sources|writing output|executing|copying|building|loading|"
    r"checking consistency|looking for|pickling|highlighting|dumping|"
    r"deepqed)",
    re.IGNORECASE,
)


def sphinx_command(
    out: Path,
    *,
    seed: int = 0,
    strict: bool = True,
    fresh: bool = False,
    source: Path | None = None,
) -> list[str]:
    """The ``sphinx-build`` command line that :func:`build` runs."""
    src = source or book_dir()
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-j",
        "1",
        "--keep-going",
        "-d",
        str(out / ".doctrees"),
        "-D",
        f"deepqed_seed={seed}",
    ]
    if strict:
        cmd.append("-W")
    if fresh:
        cmd += ["-E", "-a"]
    return cmd + [str(src), str(out)]


def _check_is_build_output(out: Path) -> None:
    """Refuse to delete a folder that is not an earlier build (``--out . --fresh`` must not erase
    the reader's working directory)."""
    if (
        out.is_dir()
        and any(out.iterdir())
        and not (out / ".doctrees").is_dir()
        and not (out / ".buildinfo").is_file()
    ):
        raise RuntimeError(
            f"--fresh would delete {out}, which is not a book build (no .doctrees "
            "or .buildinfo inside); choose another --out folder"
        )
    if not out.is_dir():
        raise RuntimeError(f"--out {out} exists and is not a folder")


def build(
    out: Path,
    *,
    seed: int = 0,
    strict: bool = True,
    fresh: bool = False,
    console: Console | None = None,
    source: Path | None = None,
) -> Path:
    """Build the HTML book into ``out`` and return the path of its ``index.html``.

    Raises ``RuntimeError`` listing the warnings and errors (with file and line) when the build
    fails.
    """
    console = console or Console(stderr=True)
    out = Path(out).resolve()
    if fresh and out.exists():
        _check_is_build_output(out)
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    cmd = sphinx_command(out, seed=seed, strict=strict, fresh=fresh, source=source)
    problems: list[str] = []
    log: list[str] = []
    with console.status("[bold]building the book[/]") as status:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
        )
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.rstrip()
            log.append(line)
            if line.startswith("[IPKernelApp]"):  # the notebook kernel's own start-up notice
                continue
            if "WARNING" in line or "ERROR" in line or "Traceback" in line:
                problems.append(line)
                console.print(escape(line), style="red", soft_wrap=True)
            elif _PHASE.match(line):
                status.update(f"[bold]building the book:[/] {line[:100]}")
        code = proc.wait()
    index = out / "index.html"
    if code != 0 or not index.is_file():
        detail = "\n".join(problems) if problems else "\n".join(log[-30:])
        raise RuntimeError(f"sphinx-build exited with status {code}\n{detail}")
    return index
