"""Open every built chapter in headless Debian Chromium (Playwright, no browser download) with every
request outside localhost refused, and check what a reader sees: typeset mathematics, numbered
statements with their verification results, figures that load, no errors in the console."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from deepqed import registry

pytestmark = [pytest.mark.book, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server(built_book):
    handler = functools.partial(_Quiet, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _report(page, url: str) -> dict:
    """What a reader of ``url`` sees: mathematics, statement titles, result boxes, images."""
    page.goto(url, wait_until="networkidle")
    has_math = page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')")
    if has_math:  # Sphinx loads MathJax only on pages with mathematics
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60000
        )
        page.evaluate("() => MathJax.startup.promise")
    report: dict = {}
    report["math"] = page.evaluate("() => document.querySelectorAll('mjx-container').length")
    report["math_errors"] = page.evaluate(
        "() => document.querySelectorAll('mjx-merror, [data-mjx-error]').length"
    )
    report["text"] = page.evaluate("""() => {
        const root = document.querySelector('main') || document.body;
        const clone = root.cloneNode(true);
        clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .output')
             .forEach(e => e.remove());
        return clone.innerText;
    }""")
    report["titles"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('div.proof p.admonition-title, "
        "div.proof .admonition-title')).map(e => e.innerText)"
    )
    report["boxes"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('.deepqed-verification')).map(e => e.innerText)"
    )
    report["images"] = page.evaluate(
        "() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth])"
    )
    report["number"] = page.evaluate(
        "() => (document.querySelector('h1 .section-number') || {innerText: ''}).innerText.trim()"
    )
    return report


@pytest.fixture(scope="module")
def reports(server):
    """One report per chapter (in book order) and the requests/errors of the whole session."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test installs it)"
    session: dict = {"console_errors": [], "page_errors": [], "failed": [], "external": []}
    out: dict = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()

        def route(r):
            if r.request.url.startswith(server):
                r.continue_()
            else:
                session["external"].append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and session["console_errors"].append(m.text))
        page.on("pageerror", lambda e: session["page_errors"].append(str(e)))
        page.on("requestfailed", lambda r: session["failed"].append(r.url))
        for chapter in registry.load().chapters:
            url = f"{server}/{Path(chapter.source).with_suffix('.html').as_posix()}"
            out[chapter.slug] = _report(page, url)
        browser.close()
    return out, session


CHAPTERS = pytest.mark.parametrize(
    "number,chapter",
    list(enumerate(registry.load().chapters, start=1)),
    ids=[c.slug for c in registry.load().chapters],
)


@pytest.fixture
def page_report(reports, chapter):
    return reports[0][chapter.slug]


@CHAPTERS
def test_mathematics_is_typeset(page_report, number, chapter):
    assert page_report["math"] > 50
    assert page_report["math_errors"] == 0
    text = page_report["text"]
    assert not re.search(r"\$[^$\n]{1,200}\$", text), "raw $...$ left in the text"
    for delimiter in ("\\(", "\\[", "$$"):
        at = text.find(delimiter)
        assert at < 0, (
            f"math delimiter {delimiter} left in the text: {text[max(0, at - 120) : at + 80]}"
        )
    leftover = re.search(r"\\(frac|mathbb|mathcal|operatorname|varepsilon|sum|int|le|ge)\b", text)
    assert not leftover, (
        f"untypeset TeX: {text[max(0, leftover.start() - 80) : leftover.end() + 80]}"
    )


@CHAPTERS
def test_statements_are_numbered_and_show_results(page_report, number, chapter):
    """Chapters are numbered in one sequence across the parts, and so are their statements:
    every statement of chapter k is numbered k.j."""
    assert page_report["number"] == f"{number}.", page_report["number"]
    kinds = r"(Definition|Lemma|Proposition|Theorem|Corollary|Algorithm)"
    numbered = [t for t in page_report["titles"] if re.match(kinds + r" \d+(\.\d+)*", t)]
    assert all(re.match(kinds + rf" {number}\.\d+", t) for t in numbered), numbered
    n = sum(
        1
        for s in registry.load().statements
        if s.kind in registry.ASSERTING_KINDS and s.chapter == chapter.slug
    )
    assert len(numbered) == n, page_report["titles"]
    assert len(page_report["boxes"]) == n
    assert all("Verified" in b or "Not tested numerically" in b for b in page_report["boxes"])


@CHAPTERS
def test_figures_load(page_report, number, chapter):
    images = page_report["images"]
    assert len(images) >= 2
    assert all(width and width > 0 for _, width in images), images


def test_no_errors_and_no_network(reports):
    session = reports[1]
    assert session["console_errors"] == []
    assert session["page_errors"] == []
    assert session["failed"] == []
    assert session["external"] == []
