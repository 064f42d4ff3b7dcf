"""The book is built once per test session, from scratch, with warnings as errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import book_builds
import pytest


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Run ``deepqed book --out DIR`` on a fresh folder; return DIR.

    ``DEEPQED_TEST_BUILT_BOOK=DIR`` reuses an existing build instead (for working on these tests;
    ``scripts/test`` and CI always build afresh). When the session started its builds in the
    background (``tests/book_builds.py``), this waits for the HTML one.
    """
    reuse = os.environ.get("DEEPQED_TEST_BUILT_BOOK")
    if reuse:
        return Path(reuse)
    built = book_builds.wait("html")  # the session's build, started beside the tests
    if built is not None:
        assert built.returncode == 0, f"book build failed:\n{built.stdout}\n{built.stderr}"
        out = book_builds.folder_of("html")
        assert Path(built.stdout.strip().splitlines()[-1]) == out.resolve() / "index.html"
        return out
    out = tmp_path_factory.mktemp("book") / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "deepqed", "book", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert proc.returncode == 0, f"book build failed:\n{proc.stdout}\n{proc.stderr}"
    index = Path(proc.stdout.strip().splitlines()[-1])
    assert index == out.resolve() / "index.html" and index.is_file()
    return out
