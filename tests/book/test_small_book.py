"""The Sphinx extension on a small throwaway book (seconds, not the full build): boxes with every
comparison and the trust tier, one numbering across the parts, a failing witness shown as failed
and failing the build, and a chapter added the README's way verified and built."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from deepqed import consistency, registry, verify


def _build(book: Path, out: Path, strict: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(book.parent / "pkg"), *sys.path]))
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "--keep-going",
        *(["-W"] if strict else []),
        str(book),
        str(out),
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_new_chapter_the_readme_way_is_verified_and_built(small_book, tmp_path):
    """Two chapters added as the README says (MyST file and toctree line, witness package,
    exercises): the registry agrees with the text, every witness passes, the build succeeds with
    warnings as errors, and each statement shows its box."""
    book = small_book()
    assert consistency.problems(book) == []
    assert [(c.number, c.part) for c in book.chapters] == [
        (1, "Part I Small"),
        (2, "Part II Smaller"),
    ]
    results = verify.run(book, seed=3)
    assert [r.status for r in results] == ["passed"] * 3
    out = tmp_path / "html"
    proc = _build(book.root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    alpha = _text((out / "alpha" / "index.html").read_text())
    beta = _text((out / "beta" / "index.html").read_text())
    assert "Theorem 1.1" in alpha and "Definition 1.1" in alpha
    assert "Lemma 2.1" in beta, "chapter numbers continue across the parts' toctrees"
    assert "✓ 1 witness · 50 instances · sharp" in alpha
    assert "✓ 1 witness · 8 instances · exact" in beta
    assert "Trust tier: sharp" in alpha and "Trust tier: exact" in beta
    assert "✓ Verified by bound_holds" in alpha and "ratio" in alpha and "attained" in alpha
    assert "float32" in beta and "float64" in beta
    index = _text((out / "index.html").read_text())
    assert "Part I Small" in index and "Part II Smaller" in index


def test_a_failing_witness_is_shown_as_failed_and_fails_the_build(small_book, tmp_path):
    book = small_book("failing")
    proc = _build(book.root, tmp_path / "strict")
    assert proc.returncode != 0
    assert re.search(
        r"alpha/index\.md:\d+: WARNING: deepqed: witness fails of theorem "
        r"'thm-alpha-bound' failed",
        proc.stderr,
    ), proc.stderr
    proc = _build(book.root, tmp_path / "lenient", strict=False)
    page = _text((tmp_path / "lenient" / "alpha" / "index.html").read_text())
    assert "✘ 1 of 2 witnesses failed" in page and "FAILED by fails" in page
    assert "deliberately wrong" in page


def test_the_registry_of_a_built_book_matches_the_html(small_book, tmp_path):
    """The numbers the registry computes (for the CLI and the exercises) are those Sphinx
    prints."""
    book = small_book()
    out = tmp_path / "html"
    assert _build(book.root, out).returncode == 0
    for s in book.statements:
        page = _text((out / s.chapter / "index.html").read_text())
        assert f"{s.kind.capitalize()} {s.number}" in page, s
    assert registry.load(book.root).statement("ex-alpha-prove").number == "1.1"


def test_badges_proofs_figures_index_search_and_downloads(small_book, tmp_path):
    """One collapsible badge per statement (HTML details), ∎ at the end of every proof, the
    statement index by number and title, statements in the search index by label, and each
    chapter as a notebook and as MyST source, linked from its page."""
    import json

    import nbformat

    book = small_book()
    out = tmp_path / "html"
    proc = _build(book.root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / "alpha" / "index.html").read_text()
    assert html.count('<details class="deepqed-verification passed">') == 2
    assert re.search(r"x\\le x\\\)</span>\. <span class=\"deepqed-qed\">∎</span>", html), html
    index = _text((out / "prf-prf.html").read_text())
    assert "Theorem 1.1 A bound" in index and "Lemma 2.1 Doubling" in index
    search = (out / "searchindex.js").read_text()
    objects = json.loads(search[search.index("(") + 1 : search.rindex(")")])["objects"]
    names = [f"{prefix}.{o[4]}" for prefix, rows in objects.items() for o in rows]
    assert any("thm-alpha-bound" in n and "Theorem 1.1" in n for n in names), names
    assert 'href="alpha.ipynb"' in html and 'href="alpha.md"' in html
    nb = nbformat.read(out / "alpha" / "alpha.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "**Theorem 1.1** (A bound)." in text and "<details><summary>Solution" in text
    assert ":::" not in text and "{prf:" not in text
    assert (out / "alpha" / "alpha.md").read_text() == (
        book.root / "alpha" / "index.md"
    ).read_text()


def test_a_broken_chapter_fails_with_file_and_line(small_book, tmp_path):
    """``deepqed book`` on a book whose chapter has a dangling reference and a failing code cell
    fails and reports each with file and line, in plain progress lines (also with ``CI=true``,
    set by CI runners, with which Sphinx would colour its output)."""
    book = small_book(notebooks=True)
    chapter = book.root / "alpha" / "index.md"
    lines = chapter.read_text().splitlines()
    lines += ["", "```{code-cell} ipython3", "x = 1", "```"]
    lines += ["", "See {ref}`sec-no-such-section`."]
    ref_line = len(lines)
    lines += ["", "```{code-cell} ipython3"]
    cell_line = len(lines)
    lines += ['raise ValueError("deliberately broken cell")', "```"]
    chapter.write_text("\n".join(lines) + "\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(book.root.parent / "pkg"), *sys.path]),
        "DEEPQED_BOOK_DIR": str(book.root),
        "COLUMNS": "60",
        "CI": "true",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "deepqed", "book", "--out", str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 1
    # not a terminal: progress in plain lines, one per step, with no terminal control sequences
    assert "\x1b[" not in proc.stderr
    assert "building the book: reading sources" in proc.stderr
    assert re.search(
        rf"alpha/index\.md:{ref_line}: WARNING: undefined label: 'sec-no-such-section'",
        proc.stderr,
    ), proc.stderr
    assert re.search(
        rf"alpha/index\.md:{cell_line}: WARNING: deepqed: a code cell failed: "
        r"ValueError: deliberately broken cell",
        proc.stderr,
    ), proc.stderr
