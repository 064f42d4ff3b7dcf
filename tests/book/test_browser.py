"""Open the built chapter in headless Debian Chromium (Playwright, no browser download) with every
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
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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


@pytest.fixture(scope="module")
def page_report(server):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test installs it)"
    chapter = registry.CHAPTERS[0]
    url = f"{server}/{Path(chapter.source).with_suffix('.html').as_posix()}"
    report: dict = {"console_errors": [], "page_errors": [], "failed": [], "external": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()

        def route(r):
            if r.request.url.startswith(server):
                r.continue_()
            else:
                report["external"].append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and report["console_errors"].append(m.text))
        page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
        page.on("requestfailed", lambda r: report["failed"].append(r.url))
        page.goto(url, wait_until="networkidle")
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60000)
        page.evaluate("() => MathJax.startup.promise")
        report["math"] = page.evaluate("() => document.querySelectorAll('mjx-container').length")
        report["math_errors"] = page.evaluate(
            "() => document.querySelectorAll('mjx-merror, [data-mjx-error]').length")
        report["text"] = page.evaluate("""() => {
            const root = document.querySelector('main') || document.body;
            const clone = root.cloneNode(true);
            clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .output')
                 .forEach(e => e.remove());
            return clone.innerText;
        }""")
        report["titles"] = page.evaluate(
            "() => Array.from(document.querySelectorAll('div.proof p.admonition-title, "
            "div.proof .admonition-title')).map(e => e.innerText)")
        report["boxes"] = page.evaluate(
            "() => Array.from(document.querySelectorAll('.deepqed-verification'))"
            ".map(e => e.innerText)")
        report["images"] = page.evaluate(
            "() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth])")
        browser.close()
    return report


def test_mathematics_is_typeset(page_report):
    assert page_report["math"] > 50
    assert page_report["math_errors"] == 0
    text = page_report["text"]
    assert not re.search(r"\$[^$\n]{1,200}\$", text), "raw $...$ left in the text"
    assert "\\(" not in text and "\\[" not in text and "$$" not in text


def test_statements_are_numbered_and_show_results(page_report):
    numbered = [t for t in page_report["titles"]
                if re.match(r"(Definition|Lemma|Proposition|Theorem|Corollary|Algorithm) \d+(\.\d+)*",
                            t)]
    n = sum(1 for s in registry.statements() if s.kind in registry.ASSERTING_KINDS)
    assert len(numbered) == n, page_report["titles"]
    assert len(page_report["boxes"]) == n
    assert all("Verified" in b or "Not tested numerically" in b for b in page_report["boxes"])


def test_figures_load(page_report):
    images = page_report["images"]
    assert len(images) >= 2
    assert all(width and width > 0 for _, width in images), images


def test_no_errors_and_no_network(page_report):
    assert page_report["console_errors"] == []
    assert page_report["page_errors"] == []
    assert page_report["failed"] == []
    assert page_report["external"] == []
