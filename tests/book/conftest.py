"""The book is built once per test session, from scratch, with warnings as errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Run ``deepqed book --out DIR`` on a fresh folder; return DIR.

    ``DEEPQED_TEST_BUILT_BOOK=DIR`` reuses an existing build instead (for working on these tests;
    ``scripts/test`` and CI always build afresh).
    """
    reuse = os.environ.get("DEEPQED_TEST_BUILT_BOOK")
    if reuse:
        return Path(reuse)
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
