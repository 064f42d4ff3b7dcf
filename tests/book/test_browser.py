"""Open every built chapter in headless Debian Chromium (Playwright, no browser download) with every
request outside localhost refused, at a phone's width (400 px) and a desktop's (1400 px), and check
what a reader sees and can do: typeset mathematics, none of it cut off, no raw TeX; numbered
statements with a verification badge that opens; solutions hidden until clicked and shown after;
navigation that opens; figures that load; no errors in the console.

Each chapter is loaded once, at the phone's width, and then seen at the desktop's after a resize:
typesetting is most of a load's time, and MathJax 3's output does not depend on the width (it
breaks no lines by itself); ``deepqed.js`` marks the formulas wider than their line again on a
resize, and the layout and the navigation, which do depend on the width, are measured at each."""

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
PHONE, DESKTOP = 400, 1400
BOOK = registry.load()


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


#: Inline or display formulas whose box is cut: wider than their own box without scrolling, or
#: reaching past an ancestor that hides what overflows, or past the window with nothing to scroll.
CLIPPED = """() => {
  const out = [];
  const scrolls = (s) => s.overflowX === 'auto' || s.overflowX === 'scroll';
  document.querySelectorAll('mjx-container').forEach((c) => {
    const r = c.getBoundingClientRect();
    if (r.width === 0) return;  // in a collapsed block
    const own = getComputedStyle(c);
    if (c.scrollWidth > c.clientWidth + 1 && !scrolls(own)) {
      out.push('cut inside: ' + c.textContent.slice(0, 60)); return;
    }
    let scroller = scrolls(own);
    for (let a = c.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (scrolls(s)) { scroller = true; break; }
      if (s.overflowX !== 'visible') {
        const ar = a.getBoundingClientRect();
        if (r.right > ar.right + 1 || r.left < ar.left - 1) {
          out.push('cut by ' + a.tagName + '.' + a.className + ': ' + c.textContent.slice(0, 60));
          return;
        }
      }
    }
    if (!scroller && r.right > document.documentElement.clientWidth + 1) {
      out.push('past the window: ' + c.textContent.slice(0, 60));
    }
  });
  return out;
}"""

VISIBLE_TEXT = """() => {
  const root = document.querySelector('main') || document.body;
  const clone = root.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight, .output')
       .forEach(e => e.remove());
  return clone.innerText;
}"""


def _typeset(page) -> None:
    if page.evaluate("() => !!document.querySelector('script[src*=\"mathjax\"]')"):
        page.wait_for_function(
            "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=60000
        )
        page.evaluate("() => MathJax.startup.promise")
        page.wait_for_timeout(200)  # deepqed.js marks the wide formulas after typesetting


def _visible(page, selector: str) -> list[bool]:
    return page.evaluate(
        "(s) => Array.from(document.querySelectorAll(s)).map(e => e.offsetHeight > 0)", selector
    )


def _report(page, url: str) -> dict:
    """What a reader of ``url`` sees and what happens when they click (loaded at the phone's
    width; ``layout``: what depends on the width, at each of the two)."""
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto(url, wait_until="networkidle")
    _typeset(page)
    r: dict = {}
    r["math"] = page.evaluate("() => document.querySelectorAll('mjx-container').length")
    r["math_errors"] = page.evaluate(
        "() => document.querySelectorAll('mjx-merror, [data-mjx-error]').length"
    )
    r["text"] = page.evaluate(VISIBLE_TEXT)
    r["titles"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('div.proof > .admonition-title'))"
        ".map(e => e.innerText)"
    )
    r["number"] = page.evaluate(
        "() => (document.querySelector('h1 .section-number') || {innerText: ''}).innerText.trim()"
    )
    r["images"] = page.evaluate(
        "() => Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth])"
    )
    # badges: closed on load, open on a click, typeset inside
    r["badges"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('details.deepqed-verification'))"
        ".map(d => [d.open, d.querySelector('summary').innerText])"
    )
    badge = page.locator("details.deepqed-verification > summary").first
    badge.scroll_into_view_if_needed()
    badge.click()
    r["badge_opened"] = page.evaluate(
        "() => { const d = document.querySelector('details.deepqed-verification');"
        " const body = d.querySelector('.deepqed-details');"
        " return [d.open, body.offsetHeight > 0, body.innerText]; }"
    )
    # solutions: hidden until their toggle is clicked
    r["solutions_hidden"] = _visible(page, "div.solution section, div.solution .solution-content")
    toggle = page.locator("div.solution button.toggle-button").first
    toggle.scroll_into_view_if_needed()
    toggle.click()
    page.wait_for_timeout(300)
    r["solution_shown"] = _visible(page, "div.solution section, div.solution .solution-content")
    r["layout"] = {width: _layout(page, width) for width in (PHONE, DESKTOP)}
    return r


def _layout(page, width: int) -> dict:
    """At ``width`` px: the formulas cut off, the page's width, and the navigation before and
    after a click on the visible ☰ button (a dialog on a phone; on a desktop the sidebar is open
    to start with, and the button hides it)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(300)  # deepqed.js marks the wide formulas again on the resize
    r: dict = {}
    r["clipped"] = page.evaluate(CLIPPED)
    r["page_width"] = page.evaluate("() => document.documentElement.scrollWidth")
    page.evaluate("() => window.scrollTo(0, 0)")
    sidebar = (
        "() => { const s = document.querySelector('#pst-primary-sidebar'); "
        "return [s.getBoundingClientRect().width, s.className, "
        "document.querySelector('#pst-primary-sidebar-modal').open]; }"
    )
    r["nav_before"] = page.evaluate(sidebar)
    page.locator(".primary-toggle:visible").first.click()
    page.wait_for_timeout(300)
    r["nav_after"] = page.evaluate(sidebar)
    r["nav_links"] = page.evaluate(
        "() => Array.from(document.querySelectorAll('#pst-primary-sidebar-modal a.reference'))"
        ".filter(a => a.offsetHeight > 0).length"
    )
    page.keyboard.press("Escape")
    return r


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium, launched once per test process through Playwright."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is not installed (scripts/test installs it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def _offline_page(chromium, server, errors: list[str], **options):
    """A new page on which every request outside the book's server is refused; console errors,
    page errors, failed and refused requests are appended to ``errors``."""
    page = chromium.new_page(**options)

    def route(r):
        if r.request.url.startswith(server):
            r.continue_()
        else:
            errors.append(f"request outside the book: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed request: {r.url}"))
    return page


@pytest.fixture(scope="module")
def browser_page(chromium, server):
    """One page for the chapters, reused by the tests of this process, and its error list."""
    errors: list[str] = []
    page = _offline_page(chromium, server, errors)
    yield page, errors
    page.close()


def _mathematics_is_typeset_and_none_is_cut_off(seen, chapter):
    assert seen["math"] > 50
    assert seen["math_errors"] == 0
    for width, layout in seen["layout"].items():
        assert layout["clipped"] == [], (width, layout["clipped"][:10])
        assert layout["page_width"] <= width + 1, f"the page scrolls sideways at {width} px"


def _no_raw_tex(seen, chapter):
    text = seen["text"]
    assert not re.search(r"\$[^$\n]{1,200}\$", text), "raw $...$ left in the text"
    for delimiter in ("\\(", "\\[", "$$"):
        at = text.find(delimiter)
        assert at < 0, f"{delimiter} left in the text: {text[max(0, at - 120) : at + 80]}"
    leftover = re.search(r"\\[A-Za-z]{2,}", text)
    assert not leftover, (
        f"untypeset TeX: {text[max(0, leftover.start() - 80) : leftover.end() + 80]}"
    )
    assert not re.search(r"\{(prf:ref|numref|eq|ref|doc)\}`", text)


def _statements_are_numbered_and_their_badges_open(seen, chapter):
    """Chapters are numbered in one sequence across the parts, and so are their statements; each
    statement has one badge, closed until clicked, which then shows its witnesses."""
    assert seen["number"] == f"{chapter.number}.", seen["number"]
    kinds = r"(Definition|Lemma|Proposition|Theorem|Corollary|Algorithm)"
    numbered = [t for t in seen["titles"] if re.match(kinds + r" \d+(\.\d+)*", t)]
    assert all(re.match(kinds + rf" {chapter.number}\.\d+", t) for t in numbered), numbered
    n = sum(
        1
        for s in BOOK.statements
        if s.kind in registry.ASSERTING_KINDS and s.chapter == chapter.slug
    )
    assert len(numbered) == n, seen["titles"]
    assert len(seen["badges"]) == n
    assert not any(is_open for is_open, _ in seen["badges"]), "a badge is open on load"
    assert all(re.match(r"(✓ \d+ witness(es)? · \d+ instances|○ )", s) for _, s in seen["badges"])
    is_open, shown, body = seen["badge_opened"]
    assert is_open and shown and ("Verified by" in body or "Not tested" in body or "cited" in body)


def _solutions_are_hidden_until_clicked(seen, chapter):
    assert seen["solutions_hidden"] and not any(seen["solutions_hidden"])
    assert seen["solution_shown"][0] and sum(seen["solution_shown"]) == 1


def _the_navigation_opens(seen, chapter):
    phone, desktop = seen["layout"][PHONE], seen["layout"][DESKTOP]
    # a phone: the sidebar opens as a dialog with the table of contents
    assert not phone["nav_before"][2] and phone["nav_after"][2], "no dialog on a phone"
    assert phone["nav_links"] >= len(BOOK.chapters)
    # a desktop: the sidebar is shown, and the button hides it
    before_width, before_class, _ = desktop["nav_before"]
    assert before_width > 0 and "pst-sidebar-hidden" not in before_class
    assert "pst-sidebar-hidden" in desktop["nav_after"][1]


def _figures_load(seen, chapter):
    images = seen["images"]
    assert len(images) >= 2
    assert all(w and w > 0 for _, w in images), images


def _no_errors_and_no_network(seen, chapter):
    assert seen["errors"] == []


#: What every chapter page must show its reader, each a function of the page's report.
CHECKS = (
    _mathematics_is_typeset_and_none_is_cut_off,
    _no_raw_tex,
    _statements_are_numbered_and_their_badges_open,
    _solutions_are_hidden_until_clicked,
    _the_navigation_opens,
    _figures_load,
    _no_errors_and_no_network,
)


@pytest.mark.parametrize("chapter", BOOK.chapters, ids=[c.slug for c in BOOK.chapters])
def test_what_a_reader_sees_and_can_do(browser_page, server, chapter):
    """One page load per chapter (the parametrised tests spread over the test processes); every
    check runs on its report, and the failure names each check that failed."""
    page, errors = browser_page
    del errors[:]
    url = f"{server}/{Path(chapter.source).with_suffix('.html').as_posix()}"
    seen = _report(page, url)
    seen["errors"] = list(errors)
    failed = []
    for check in CHECKS:
        try:
            check(seen, chapter)
        except AssertionError as exc:
            failed.append(f"{check.__name__.strip('_').replace('_', ' ')}: {exc}")
    assert not failed, "\n\n".join(failed)


def test_the_witnesses_page_fits_a_phone(chromium, server):
    """At 400 px the Witnesses tables become cards: nothing widens the page, mathematics typeset."""
    errors: list[str] = []
    page = _offline_page(chromium, server, errors, viewport={"width": 400, "height": 900})
    page.goto(f"{server}/witnesses.html", wait_until="networkidle")
    _typeset(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    math = page.evaluate("() => document.querySelectorAll('mjx-container').length")
    text = page.evaluate(VISIBLE_TEXT)
    page.close()
    assert errors == []
    assert width <= 401
    assert math > 50
    assert not re.search(r"\\[A-Za-z]{2,}|\$[^$\n]{1,200}\$", text)


def test_search_finds_a_statement_by_its_label(chromium, server):
    """Searching a label (``thm-...``) lists the statement with its number first."""
    statement = next(s for s in BOOK.statements if s.kind == "theorem")
    errors: list[str] = []
    page = _offline_page(chromium, server, errors)
    page.goto(f"{server}/search.html?q={statement.label}", wait_until="networkidle")
    page.wait_for_selector("#search-results ul.search li", timeout=30000)
    first = page.locator("#search-results ul.search li").first
    text, href = first.inner_text(), first.locator("a").first.get_attribute("href")
    page.close()
    assert errors == []
    assert statement.name in text and statement.label in text, text
    assert href.endswith(f"#{statement.label}"), href
