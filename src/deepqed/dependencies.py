"""How the chapters depend on each other, read from their cross-references.

Chapter ``a`` depends on chapter ``b`` when the text of ``a`` refers to something of ``b``: a
statement, figure, equation or section (``{prf:ref}``, ``{numref}``, ``{eq}``, ``{ref}``) or the
chapter itself (``{doc}``). The preface draws the result (:func:`draw`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from .registry import Book

__all__ = ["chapter_references", "draw"]

_ROLE = re.compile(r"\{(prf:ref|numref|eq|ref|doc)\}`([^`]*)`")
_EXPLICIT = re.compile(r"<([^<>]+)>\s*$")


def chapter_references(book: Book) -> dict[tuple[str, str], int]:
    """``(a, b) -> n``: chapter ``a`` refers ``n`` times to chapter ``b`` (``a != b``; slugs)."""
    from .plaintext import numbers

    pages = numbers(book).pages
    docs = {c.source.removesuffix(".md"): c.slug for c in book.chapters}
    owner = {label: page.split("/")[0] for label, page in pages.items() if "/" in page}
    counts: Counter[tuple[str, str]] = Counter()
    for ch in book.chapters:
        text = (book.root / ch.source).read_text(encoding="utf-8")
        for role, content in _ROLE.findall(text):
            explicit = _EXPLICIT.search(content)
            target = (explicit.group(1) if explicit else content).strip()
            if role == "doc":
                other = docs.get(target.replace("../", "").removesuffix(".md"))
            else:
                other = owner.get(target)
            if other and other != ch.slug:
                counts[ch.slug, other] += 1
    return dict(counts)


def draw(book: Book, ax: Any) -> None:
    """The chapters as boxes, one row per part, and an arrow from each chapter to every chapter
    that refers to it; an arrow's width grows with the number of references (printed on it)."""
    import numpy as np

    refs = chapter_references(book)
    parts = list(dict.fromkeys(c.part for c in book.chapters))
    pos: dict[str, tuple[float, float]] = {}
    for row, part in enumerate(parts):
        members = [c for c in book.chapters if c.part == part]
        for i, c in enumerate(members):
            x = (i - (len(members) - 1) / 2) * 2.2
            pos[c.slug] = (x, -row * 3.2)
    biggest = max(refs.values(), default=1)
    for (a, b), n in sorted(refs.items(), key=lambda kv: kv[1]):
        (xa, ya), (xb, yb) = pos[b], pos[a]  # from the chapter referred to, to the one using it
        bend = 0.25 if ya == yb else 0.08
        ax.annotate(
            "",
            xy=(xb, yb),
            xytext=(xa, ya),
            zorder=3,
            arrowprops={
                "arrowstyle": "-|>",
                "lw": 0.6 + 2.4 * n / biggest,
                "color": "0.35",
                "alpha": 0.75,
                "shrinkA": 22,
                "shrinkB": 26,
                "connectionstyle": f"arc3,rad={bend}",
            },
        )
        mid = np.array([(xa + xb) / 2, (ya + yb) / 2])
        normal = np.array([-(yb - ya), xb - xa])
        norm = np.linalg.norm(normal) or 1.0
        label = mid - bend * 0.5 * normal * (np.linalg.norm([xb - xa, yb - ya]) / norm)
        ax.text(
            *label,
            str(n),
            fontsize=7,
            ha="center",
            va="center",
            color="0.2",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
        )
    for c in book.chapters:
        x, y = pos[c.slug]
        words = c.title.split()
        lines, line = [], ""
        for w in words:
            if len(line) + len(w) > 16 and line:
                lines.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        lines.append(line)
        ax.text(
            x,
            y,
            f"{c.number}\n" + "\n".join(lines),
            ha="center",
            va="center",
            fontsize=8,
            zorder=2,
            bbox={"boxstyle": "round,pad=0.4", "fc": "#e8f0fe", "ec": "#3b6fb6"},
        )
    for row, part in enumerate(parts):
        ax.text(
            min(x for x, y in pos.values()) - 1.6,
            -row * 3.2,
            part,
            ha="right",
            va="center",
            fontsize=9,
            style="italic",
        )
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 4.2, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 1.2, max(ys) + 1.2)
    ax.axis("off")
