"""The built book: every statement carries its verification result and nothing comes from a CDN
(a broken chapter failing the build with its file and line: ``test_small_book.py``)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from deepqed import registry
from deepqed.registry import ASSERTING_KINDS

pytestmark = [pytest.mark.book]


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


class _VisibleText(HTMLParser):
    """The text a reader sees on a page, without code, scripts and typeset mathematics (whose
    TeX MathJax replaces)."""

    SKIP_TAGS = {"script", "style", "pre", "code", "head", "title", "svg"}
    SKIP_CLASSES = {"math", "highlight", "output", "cell_output", "sig"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "col", "area", "base"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skip = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def _visible_text(page: Path) -> str:
    parser = _VisibleText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


_RAW = re.compile(r"\\[A-Za-z]{2,}|\$[^$\s][^$]{0,80}\$|\{(prf:ref|numref|eq|ref|doc)\}`")


def _pages(built_book: Path) -> list[Path]:
    return sorted(p for p in built_book.rglob("*.html") if "_modules" not in p.parts)


def test_no_raw_tex_or_myst_in_the_visible_text_of_any_page(built_book):
    """Every page, chapters and appendices alike: no TeX macro, ``$...$`` or MyST role outside
    the mathematics that MathJax typesets and outside code."""
    problems = []
    for page in _pages(built_book):
        text = _visible_text(page)
        for m in _RAW.finditer(text):
            problems.append(
                f"{page.relative_to(built_book)}: …{text[max(0, m.start() - 60) : m.end() + 40]}…"
            )
    assert not problems, "\n".join(problems[:20])


def test_solutions_are_collapsed_dropdowns(built_book):
    """Every solution carries the ``dropdown`` class and the page loads sphinx-togglebutton,
    which collapses it (the browser test clicks one open)."""
    for ch in registry.load().chapters:
        html = _chapter_page(built_book, ch).read_text(encoding="utf-8")
        solutions = re.findall(r'<div class="solution([^"]*)"', html)
        assert solutions, ch.slug
        assert all("dropdown" in s.split() for s in solutions), (ch.slug, solutions)
        assert "togglebutton.js" in html


def test_figures_have_their_caption_as_alt_text_at_twice_their_size(built_book):
    import struct

    for ch in registry.load().chapters:
        page = _chapter_page(built_book, ch)
        html = page.read_text(encoding="utf-8")
        for img in re.findall(r"<img [^>]*>", html):
            alt = re.search(r'alt="([^"]*)"', img).group(1)
            src = re.search(r'src="([^"]*)"', img).group(1)
            assert alt and not re.fullmatch(r"[0-9a-f]{64}(\.png)?", alt), (ch.slug, img)
            width = re.search(r'width="(\d+)"', img)
            path = (page.parent / src).resolve()
            if width and path.suffix == ".png":
                png_width = struct.unpack(">I", path.read_bytes()[16:20])[0]
                assert png_width >= 2 * int(width.group(1)) - 1, (ch.slug, src, png_width)


def test_every_proof_ends_with_qed(built_book):
    book = registry.load()
    for ch in book.chapters:
        source = (book.root / ch.source).read_text(encoding="utf-8")
        proofs = len(re.findall(r"^:{3,}\{prf:proof\}", source, re.M))
        html = _chapter_page(built_book, ch).read_text(encoding="utf-8")
        assert html.count('class="deepqed-qed"') == proofs, ch.slug


def test_one_badge_per_statement_that_opens_on_click(built_book):
    """A ``<details>`` badge whose summary counts witnesses and instances and names the tier."""
    book = registry.load()
    stored = json.loads((built_book / ".deepqed-verify.json").read_text())["results"]
    for ch in book.chapters:
        html = _chapter_page(built_book, ch).read_text(encoding="utf-8")
        summaries = re.findall(
            r'<details class="deepqed-verification [a-z]+"><summary>(.*?)</summary>', html, re.S
        )
        labels = [
            s.label for s in book.statements if s.chapter == ch.slug and s.kind in ASSERTING_KINDS
        ]
        assert len(summaries) == len(labels), ch.slug
        for label, summary in zip(labels, summaries):
            text = re.sub(r"<[^>]+>", "", summary)
            run = [r for r in stored[label] if r["status"] != "unwitnessed"]
            if run:
                n = sum(r["instances"] for r in run)
                assert text.startswith(f"✓ {len(run)} witness"), (label, text)
                assert f"· {n} instances" in text, (label, text)
            else:
                assert text.startswith("○"), (label, text)


def test_witnesses_page_is_a_table_with_typeset_mathematics(built_book):
    page = built_book / "witnesses.html"
    html = page.read_text(encoding="utf-8")
    book = registry.load()
    rows = html.count('<tr class="row-') - html.count("<thead>")
    assert rows == sum(1 for c in book.claims if c.statement is not None)
    assert "mathjax" in html and 'class="math notranslate' in html
    text = _visible_text(page)
    for kind in ("Definition", "Theorem", "Lemma", "Proposition"):
        assert f"{kind} {kind}" not in text
    assert "deepqed-witness-table" in html


def test_statement_index_and_search_by_label(built_book):
    book = registry.load()
    index = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", (built_book / "prf-prf.html").read_text()))
    search = (built_book / "searchindex.js").read_text(encoding="utf-8")
    objects = json.loads(search[search.index("(") + 1 : search.rindex(")")])["objects"]
    anchors = {row[3] for rows in objects.values() for row in rows}
    for s in book.statements:
        if s.kind in ASSERTING_KINDS:
            assert f"{s.name} " in index, s.label
            assert s.label in anchors, s.label


def test_each_chapter_downloads_as_notebook_and_myst_source(built_book):
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    book = registry.load()
    for ch in book.chapters:
        page = _chapter_page(built_book, ch)
        html = page.read_text(encoding="utf-8")
        assert f'href="{ch.slug}.ipynb"' in html and f'href="{ch.slug}.md"' in html
        source = (book.root / ch.source).read_text(encoding="utf-8")
        assert (page.parent / f"{ch.slug}.md").read_text(encoding="utf-8") == source
        nb = nbformat.read(page.parent / f"{ch.slug}.ipynb", as_version=4)
        nbformat.validate(nb)
        code = [c.source for c in nb.cells if c.cell_type == "code"]
        expected = [
            c.source for c in read_myst_markdown_notebook(source).cells if c.cell_type == "code"
        ]
        assert code == expected, ch.slug
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert not re.search(r"\{[\w:-]+\}`|^:{3,}|^```\{", markdown, re.M), ch.slug


@pytest.mark.parametrize("slug", ["preliminaries", "feedforward"])
def test_a_chapter_notebook_runs_top_to_bottom(built_book, slug, tmp_path):
    """The downloaded notebook runs with the installed package, in a fresh kernel."""
    import nbformat
    from nbclient import NotebookClient

    ch = registry.load().chapter(slug)
    nb = nbformat.read(_chapter_page(built_book, ch).parent / f"{slug}.ipynb", as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
