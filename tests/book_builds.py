"""The book builds of a test session, run once, beside the tests.

``python tests/book_builds.py DIR`` builds the HTML book into ``DIR/html`` and then the PDF
into ``DIR/pdf`` (sharing the HTML build's executed notebooks and witness results), exactly as a
reader would (``deepqed book``, ``deepqed book --pdf``). For each build ``NAME`` it writes
``NAME.out`` and ``NAME.err`` (the command's output) and, last, ``NAME.rc`` (its exit status):
a test waits for ``NAME.rc`` (:func:`wait`).

The session's first process starts it (``tests/conftest.py``), so the builds run while the test
processes run everything else, and the two test processes do not each build the same book.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

#: The environment variable naming the folder of the session's background builds.
ENV = "DEEPQED_TEST_BOOK_BUILDS"
#: The longest a test waits for a build (seconds; a full build takes minutes on 2 cores).
WAIT = 2400.0


@dataclass(frozen=True)
class Built:
    """What a build command printed and returned."""

    returncode: int
    stdout: str
    stderr: str


def _run(folder: Path, name: str, args: list[str]) -> int:
    with open(folder / f"{name}.out", "w") as out, open(folder / f"{name}.err", "w") as err:
        code = subprocess.run(
            [sys.executable, "-m", "deepqed", "book", *args],
            stdout=out,
            stderr=err,
            env={**os.environ, "COLUMNS": "200"},
        ).returncode
    (folder / f"{name}.rc").write_text(str(code))
    return code


def main(folder: Path) -> None:
    html = folder / "html"
    if _run(folder, "html", ["--out", str(html)]) != 0:
        (folder / "pdf.err").write_text("the HTML build failed, so the PDF was not built\n")
        (folder / "pdf.rc").write_text("-1")
        return
    (folder / "pdf").mkdir()
    # the witnesses of the HTML build (same sources, same seed) are not run again
    shutil.copy(html / ".deepqed-verify.json", folder / "pdf" / ".deepqed-verify.json")
    _run(folder, "pdf", ["--pdf", "--out", str(folder / "pdf")])


def start(folder: Path) -> subprocess.Popen:
    """Start :func:`main` on ``folder`` in a new process."""
    with open(folder / "background.err", "w") as err:
        proc = subprocess.Popen(
            [sys.executable, __file__, str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,  # stopped as a group at the end of the session
        )
    (folder / "pid").write_text(str(proc.pid))
    return proc


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait(name: str) -> Built | None:
    """The result of the session's build ``name`` (``"html"`` or ``"pdf"``), once it is done;
    ``None`` when no background build was started (the caller builds)."""
    folder = os.environ.get(ENV)
    if not folder:
        return None
    folder = Path(folder)
    rc = folder / f"{name}.rc"
    deadline = time.monotonic() + WAIT
    pid = int((folder / "pid").read_text())
    while not rc.is_file():
        if not _alive(pid) and not rc.is_file():
            problem = (folder / "background.err").read_text(errors="replace")
            raise AssertionError(f"the background book builds stopped before {name}:\n{problem}")
        if time.monotonic() > deadline:
            raise AssertionError(f"the {name} build did not finish within {WAIT:g} s")
        time.sleep(1.0)
    return Built(
        int(rc.read_text()),
        (folder / f"{name}.out").read_text(errors="replace"),
        (folder / f"{name}.err").read_text(errors="replace"),
    )


def folder_of(name: str) -> Path:
    """Where the session's build ``name`` wrote the book."""
    return Path(os.environ[ENV]) / name


if __name__ == "__main__":
    main(Path(sys.argv[1]))
