"""The built book: every statement carries its verification result, nothing comes from a CDN,
and a broken chapter fails the build with its file and line."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deepqed import registry
from deepqed.registry import ASSERTING_KINDS

pytestmark = pytest.mark.book


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.boxes: list[str] = []  # class attribute of each verification box
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.imgs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        cls = a.get("class") or ""
        if "deepqed-verification" in cls.split():
            self.boxes.append(cls)
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        if tag == "link" and a.get("href"):
            self.links.append(a["href"])
        if tag == "img":
            self.imgs.append(a.get("src", ""))


def _parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def _chapter_page(built_book: Path, chapter: registry.Chapter) -> Path:
    return built_book / (str(Path(chapter.source).with_suffix(".html")))


def test_every_statement_has_a_passed_verification_box(built_book):
    for ch in registry.load().chapters:
        page = _parse(_chapter_page(built_book, ch))
        labels = [
            s.label
            for s in registry.load().statements
            if s.chapter == ch.slug and s.kind in ASSERTING_KINDS
        ]
        for label in labels:
            assert label in page.ids, f"{label} missing from {ch.source}"
        assert len(page.boxes) == len(labels)
        assert all("passed" in b.split() for b in page.boxes), page.boxes


def test_verification_results_match_the_registry_run(built_book):
    stored = json.loads((built_book / ".deepqed-verify.json").read_text())["results"]
    labels = {s.label for s in registry.load().statements if s.kind in ASSERTING_KINDS}
    assert set(stored) == labels
    for rows in stored.values():
        for r in rows:
            assert r["status"] in ("passed", "unwitnessed")


def test_no_asset_is_loaded_from_the_network(built_book):
    for page in built_book.rglob("*.html"):
        c = _parse(page)
        for url in c.scripts + c.links + c.imgs:
            assert not re.match(r"^(https?:)?//", url), f"{page.name} loads {url}"
    assert (built_book / "_static" / "mathjax" / "tex-chtml-full.js").is_file()
    assert list((built_book / "_static" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))


def test_chapter_has_figures_drawn_by_code(built_book):
    """Every chapter shows at least two figures drawn by its own code cells."""
    for ch in registry.load().chapters:
        imgs = [i for i in _parse(_chapter_page(built_book, ch)).imgs if i.endswith(".png")]
        assert len(imgs) >= 2, (ch.slug, imgs)
        for src in imgs:
            assert (_chapter_page(built_book, ch).parent / src).resolve().is_file(), src


def test_witness_links_resolve(built_book):
    page = (_chapter_page(built_book, registry.load().chapters[0])).read_text()
    targets = re.findall(
        r'<a class="reference internal" href="([^"#]*witnesses\.html)#([^"]+)"', page
    )
    assert targets, "no links from verification boxes to the witnesses appendix"
    appendix = _parse(built_book / "witnesses.html")
    for _, anchor in targets:
        assert anchor in appendix.ids, anchor


def test_a_broken_chapter_fails_with_file_and_line(built_book, tmp_path):
    """A dangling reference and a failing code cell are each reported with file and line."""
    book = tmp_path / "book"
    shutil.copytree(registry.load().root, book)
    chapter = book / registry.load().chapters[0].source
    lines = chapter.read_text().splitlines()
    lines += ["", "See {ref}`sec-no-such-section`."]
    ref_line = len(lines)
    lines += ["", "```{code-cell} ipython3"]
    cell_line = len(lines)
    lines += ['raise ValueError("deliberately broken cell")', "```"]
    chapter.write_text("\n".join(lines) + "\n")
    out = tmp_path / "html"
    out.mkdir()
    # reuse the witness results of the session build (same sources, same seed)
    shutil.copy(built_book / ".deepqed-verify.json", out / ".deepqed-verify.json")
    proc = subprocess.run(
        [sys.executable, "-m", "deepqed", "book", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "DEEPQED_BOOK_DIR": str(book), "COLUMNS": "60"},
    )
    assert proc.returncode == 1
    source = re.escape(registry.load().chapters[0].source)
    assert re.search(
        rf"{source}:{ref_line}: WARNING: undefined label: 'sec-no-such-section'", proc.stderr
    ), proc.stderr
    assert re.search(
        rf"{source}:{cell_line}: WARNING: deepqed: a code cell failed: "
        r"ValueError: deliberately broken cell",
        proc.stderr,
    ), proc.stderr


def test_fresh_refuses_to_delete_a_folder_that_is_not_a_build(tmp_path):
    """``deepqed book --out . --fresh`` must not erase the working directory."""
    from typer.testing import CliRunner

    from deepqed.cli import app

    (tmp_path / "notes.txt").write_text("keep me")
    res = CliRunner().invoke(app, ["book", "--out", str(tmp_path), "--fresh"])
    assert res.exit_code == 1 and "not a book build" in res.output
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_statement_numbers_are_those_of_the_registry(built_book):
    """The HTML prints every statement and exercise with the number the registry gives it (one
    sequence of chapters across the parts' toctrees, one counter per kind and chapter)."""
    book = registry.load()
    for ch in book.chapters:
        html = _chapter_page(built_book, ch).read_text(encoding="utf-8")
        printed = re.findall(r'caption-number">(\w+) ([\d.]+) ', html)
        expected = [
            (s.kind.capitalize(), s.number) for s in book.statements if s.chapter == ch.slug
        ]
        kinds = {k for k, _ in expected}
        assert sorted(p for p in printed if p[0] in kinds) == sorted(expected), ch.slug
