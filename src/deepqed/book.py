"""Build the verified book with Sphinx.

The build runs ``sphinx-build`` in a child process (so a crash inside a notebook kernel or an
extension cannot take the caller with it), streams its progress, and fails with the file and line
of every warning or error when ``strict`` is set (warnings are errors: a broken chapter is never a
silent gap).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from .registry import book_dir

__all__ = ["build", "build_pdf", "sphinx_command", "LATEX_PACKAGES"]

#: Debian's packages that ``deepqed book --pdf`` needs (pdflatex, the LaTeX packages Sphinx's
#: LaTeX writer loads, Times/Helvetica/Courier, latexmk).
LATEX_PACKAGES = (
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "latexmk",
)

_PHASE = re.compile(
    r"^(reading sources|writing output|executing|copying|building|loading|"
    r"checking consistency|looking for|pickling|highlighting|dumping|"
    r"deepqed|latexmk: applying|run number)",
    re.IGNORECASE,
)
#: A terminal control sequence (colour): removed from the child's lines before they are read.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def sphinx_command(
    out: Path,
    *,
    seed: int = 0,
    strict: bool = True,
    fresh: bool = False,
    source: Path | None = None,
    builder: str = "html",
    solutions: str = "appendix",
) -> list[str]:
    """The ``sphinx-build`` command line that :func:`build` runs (``builder`` ``"latex"`` for
    the PDF's sources, with the solutions placed as ``solutions`` says)."""
    src = source or book_dir()
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        builder,
        "-j",
        "1",
        "--keep-going",
        "--no-color",  # progress lines are matched as text (FORCE_COLOR would colour them)
        "-d",
        str(out / ".doctrees"),
        "-D",
        f"deepqed_seed={seed}",
    ]
    if builder == "latex":
        cmd += ["-D", f"deepqed_solutions={solutions}"]
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


def _run(cmd: list[str], console: Console, what: str, cwd: Path | None = None) -> list[str]:
    """Run ``cmd``, showing its progress (a status line in a terminal, plain progress lines
    otherwise); return the lines that report a problem, or raise with them if it fails."""
    problems: list[str] = []
    log: list[str] = []
    live = console.is_terminal
    status = console.status(f"[bold]{what}[/]") if live else None
    if status is not None:
        status.start()
    else:
        console.print(f"{what}: {' '.join(cmd[:4])} ...", highlight=False, soft_wrap=True)
    try:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",  # pdflatex writes its log in the input's 8-bit encodings
            bufsize=1,
            cwd=cwd,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert proc.stdout is not None
        last_phase = ""
        for line in proc.stdout:
            line = _ANSI.sub("", line).rstrip()
            log.append(line)
            if line.startswith("[IPKernelApp]"):  # the notebook kernel's own start-up notice
                continue
            if "WARNING" in line or "ERROR" in line or "Traceback" in line:
                problems.append(line)
                console.print(escape(line), style="red", soft_wrap=True)
            elif _PHASE.match(line):
                if status is not None:
                    status.update(f"[bold]{what}:[/] {escape(line[:100])}")
                else:
                    # one line per phase and per tenth of it, so that a log shows progress
                    phase = re.sub(r"\[\s*(\d)\d?%\].*", r"[\1]", line)
                    if phase != last_phase:
                        console.print(f"{what}: {line}", highlight=False, soft_wrap=True)
                        last_phase = phase
        code = proc.wait()
    finally:
        if status is not None:
            status.stop()
    if code != 0:
        detail = "\n".join(problems) if problems else "\n".join(log[-30:])
        name = "latexmk" if cmd[0] == "latexmk" else "sphinx-build"
        raise RuntimeError(f"{name} exited with status {code}\n{detail}")
    return problems


def _prepare(out: Path, fresh: bool) -> Path:
    out = Path(out).resolve()
    if fresh and out.exists():
        _check_is_build_output(out)
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


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
    out = _prepare(out, fresh)
    cmd = sphinx_command(out, seed=seed, strict=strict, fresh=fresh, source=source)
    _run(cmd, console, "building the book")
    index = out / "index.html"
    if not index.is_file():
        raise RuntimeError(f"sphinx-build wrote no {index}")
    return index


def build_pdf(
    out: Path,
    *,
    seed: int = 0,
    strict: bool = True,
    fresh: bool = False,
    solutions: str = "appendix",
    console: Console | None = None,
    source: Path | None = None,
) -> Path:
    """Build the PDF book into ``out`` (Sphinx's LaTeX builder, then latexmk with pdflatex) and
    return the path of ``deepqed.pdf``. ``solutions``: ``"appendix"``, ``"none"`` or
    ``"inline"``.

    Raises ``RuntimeError`` when latexmk is missing (naming the Debian packages to install) or
    a step fails.
    """
    console = console or Console(stderr=True)
    if shutil.which("latexmk") is None or shutil.which("pdflatex") is None:
        raise RuntimeError(
            "building the PDF needs pdflatex and latexmk; on Debian or Ubuntu: "
            f"apt-get install {' '.join(LATEX_PACKAGES)}"
        )
    out = _prepare(out, fresh)
    cmd = sphinx_command(
        out,
        seed=seed,
        strict=strict,
        fresh=fresh,
        source=source,
        builder="latex",
        solutions=solutions,
    )
    _run(cmd, console, "writing the LaTeX")
    latexmk = [
        "latexmk",
        "-r",
        "latexmkrc",
        "-pdf",
        "-g",  # always typeset: latexmk otherwise trusts the record of an earlier failed run
        "-dvi-",
        "-ps-",
        "-interaction=nonstopmode",
        "-halt-on-error",
        "deepqed.tex",
    ]
    if not (out / "deepqed.pdf").is_file():  # an interrupted run may have left a broken .aux
        for stale in ("deepqed.aux", "deepqed.toc", "deepqed.out", "deepqed.fdb_latexmk"):
            (out / stale).unlink(missing_ok=True)
    _run(latexmk, console, "typesetting the PDF", cwd=out)
    pdf = out / "deepqed.pdf"
    if not pdf.is_file():
        raise RuntimeError(f"latexmk wrote no {pdf}")
    return pdf
