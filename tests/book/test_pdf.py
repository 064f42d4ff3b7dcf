"""``deepqed book --pdf``: built with Sphinx's LaTeX builder and latexmk, then read back with
poppler's ``pdftotext`` and ``pdfimages``: every statement numbered as in the HTML, no unresolved
reference, a verification line per statement, the figures, the solutions in an appendix.

Needs Debian's texlive packages, latexmk and poppler-utils (``scripts/test`` installs them)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import book_builds
import pytest

from deepqed import registry
from deepqed.registry import ASSERTING_KINDS

pytestmark = [pytest.mark.book]


@pytest.fixture(scope="module")
def pdf_text(built_book, tmp_path_factory) -> tuple[Path, str]:
    for tool in ("latexmk", "pdflatex", "pdftotext", "pdfimages"):
        assert shutil.which(tool), f"{tool} is missing (scripts/test installs it)"
    reused = os.environ.get("DEEPQED_TEST_BUILT_BOOK")
    proc = None if reused else book_builds.wait("pdf")  # the session's, built beside the tests
    if proc is not None:
        out = book_builds.folder_of("pdf")
    else:
        # beside the HTML build, the PDF build shares its cache of executed notebooks
        out = (tmp_path_factory.mktemp("pdf") if reused else built_book.parent) / "pdf"
        out.mkdir()
        # the witnesses of the HTML build (same sources, same seed) are not run again
        shutil.copy(built_book / ".deepqed-verify.json", out / ".deepqed-verify.json")
        proc = subprocess.run(
            [sys.executable, "-m", "deepqed", "book", "--pdf", "--out", str(out)],
            capture_output=True,
            text=True,
            timeout=1500,
            env={**os.environ, "COLUMNS": "200"},
        )
    assert proc.returncode == 0, f"PDF build failed:\n{proc.stdout}\n{proc.stderr[-5000:]}"
    pdf = Path(proc.stdout.strip().splitlines()[-1])
    assert pdf == out.resolve() / "deepqed.pdf" and pdf.is_file()
    # not a terminal: the build reported its progress in plain lines
    assert "writing the LaTeX: reading sources" in proc.stderr
    assert "typesetting the PDF:" in proc.stderr
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pdf, text


def test_no_unresolved_reference(pdf_text):
    _, text = pdf_text
    at = text.find("??")
    assert at < 0, text[max(0, at - 200) : at + 100]


def test_statement_numbers_equal_the_html(pdf_text, built_book):
    """Every statement the HTML numbers k.j appears in the PDF as "Kind k.j (Title)"."""
    _, text = pdf_text
    flat = " ".join(text.split())
    book = registry.load()
    for ch in book.chapters:
        html = (built_book / Path(ch.source).with_suffix(".html")).read_text(encoding="utf-8")
        printed = re.findall(r'caption-number">(\w+) ([\d.]+) ', html)
        kinds = {s.kind.capitalize() for s in book.statements if s.chapter == ch.slug}
        for kind, number in printed:
            if kind in kinds:
                assert f"{kind} {number}" in flat, (ch.slug, kind, number)


def test_one_verification_line_per_statement(pdf_text):
    _, text = pdf_text
    flat = " ".join(text.split())
    lines = re.findall(
        r"(Verified: \d+ witness(?:es)?, \d+ instances|not tested numerically|proof cited)", flat
    )
    n = sum(1 for s in registry.load().statements if s.kind in ASSERTING_KINDS)
    assert len(lines) >= n
    assert "FAILED" not in flat


def test_figures_are_included(pdf_text, built_book):
    pdf, _ = pdf_text
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    figures = sum(
        len(re.findall(r"<img ", (built_book / Path(c.source).with_suffix(".html")).read_text()))
        for c in registry.load().chapters
    )
    assert len(listing) >= figures


def test_solutions_in_an_appendix(pdf_text):
    _, text = pdf_text
    flat = " ".join(text.split())
    exercises = [s for s in registry.load().statements if s.kind == "exercise"]
    assert flat.count("Solution to Exercise") == len(exercises)
    last = flat.find(f"Exercise {exercises[-1].number} ")
    first = flat.find(f"Solution to Exercise {exercises[0].number} ")
    assert 0 <= last < first, "the solutions come after the last chapter's exercises"
    assert "Solutions" in flat[:first]
