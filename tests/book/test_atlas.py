"""The tightness atlas and the count of trust tiers (``deepqed.sphinxext.atlas``) on the small
throwaway book of ``tests/testbook.py``: the atlas lists every bound comparison with its ratio, its
parameters, the statement's number, title and tier, in a sortable table; the front page counts the
statements by tier, linked to the atlas and the witnesses page."""

from __future__ import annotations

import math
import re
from pathlib import Path

from test_small_book import _build, _text

from deepqed import verify
from deepqed.sphinxext.atlas import atlas_rows, tier_counts

ATLAS_PAGE = """\
# Tightness atlas

```{deepqed-atlas}
```
"""


def _with_atlas(book_root: Path) -> None:
    (book_root / "atlas.md").write_text(ATLAS_PAGE)
    index = (book_root / "index.md").read_text()
    index = index.replace("# A small book\n", "# A small book\n\n```{deepqed-tiers}\n```\n")
    index = index.replace("witnesses\n```", "witnesses\natlas\n```")
    (book_root / "index.md").write_text(index)


def test_rows_and_counts_from_the_results(small_book):
    book = small_book()
    results: dict[str, list[dict]] = {}
    for r in verify.run(book, seed=2):
        results.setdefault(r.label, []).append(r.to_json())
    rows = atlas_rows(results, book)
    # thm-alpha-bound's witness makes one upper comparison (and one equality, not listed)
    assert len(rows) == 1
    (row,) = rows
    assert row["label"] == "thm-alpha-bound" and row["number"] == "1.1"
    assert row["tier"] == "sharp" and row["kind"] == "upper" and row["bound"] == 1.0
    assert 0 < row["ratio"] <= 1 and math.isclose(row["tightness"], row["ratio"])
    counts = tier_counts(book)
    assert counts["exact"] == 2 and counts["sharp"] == 1
    assert sum(counts.values()) == 3


def test_lower_bounds_have_reciprocal_tightness(small_book):
    book = small_book()
    comp = dict(
        what="a lower bound",
        kind="lower",
        measured=4.0,
        reference=2.0,
        ratio=2.0,
        at="n = 3",
        dtype="",
        passed=True,
    )
    results = {
        "thm-alpha-bound": [
            dict(
                chapter="alpha",
                number="1.1",
                kind="theorem",
                title="A bound",
                strength="validity",
                witness="w",
                comparisons=[comp],
            )
        ]
    }
    (row,) = atlas_rows(results, book)
    assert row["tightness"] == 0.5 and row["at"] == "n = 3"


def test_atlas_and_tiers_render_in_the_built_book(small_book, tmp_path):
    book = small_book()
    _with_atlas(book.root)
    out = tmp_path / "html"
    proc = _build(book.root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / "atlas.html").read_text()
    assert 'class="deepqed-atlas' in html and "<script>" in html  # sortable table
    text = _text(html)
    assert "1 bound comparisons in 1 statements" in text
    assert "Theorem 1.1" in text and "A bound" in text and "sharp" in text
    assert re.search(r"Ratio .* Tightness", text)
    assert 'href="alpha/index.html#thm-alpha-bound"' in html
    index = _text((out / "index.html").read_text())
    assert "2 exact" in index and "1 sharp" in index and "0 validity" in index
    assert "0 cited" in index and "0 unwitnessed" in index
    index_html = (out / "index.html").read_text()
    assert 'href="atlas.html"' in index_html and 'href="witnesses.html"' in index_html


def test_tiers_without_an_atlas_page_render_plain_text(small_book, tmp_path):
    book = small_book()
    index = (book.root / "index.md").read_text()
    (book.root / "index.md").write_text(
        index.replace("# A small book\n", "# A small book\n\n```{deepqed-tiers}\n```\n")
    )
    out = tmp_path / "html"
    proc = _build(book.root, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (out / "index.html").read_text()
    assert "1 sharp" in _text(html) and 'href="atlas.html"' not in html
