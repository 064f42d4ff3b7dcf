r"""Does the book agree with its registry and its exercise specifications?

:func:`problems` lists every disagreement, each naming the file and line to fix; an empty list
means the text, the registry (:mod:`deepqed.registry`) and the exercise specifications
(:mod:`deepqed.exercises.catalogue`) agree. The book build turns each problem into a warning (an
error under ``-W``); ``deepqed verify`` prints them and fails; a test asserts there are none.
"""

from __future__ import annotations

from . import myst
from .registry import ASSERTING_KINDS, Book, Unwitnessed, Witness

__all__ = ["problems", "registry_problems"]


def _statement_problems(book: Book) -> list[str]:
    out: list[str] = []
    sources = {(book.root / ch.source).resolve() for ch in book.chapters}
    for ch in book.chapters:
        path = book.root / ch.source
        for d in myst.directives(path):
            kind = d.name.removeprefix("prf:")
            if d.name.startswith("prf:") and kind in ASSERTING_KINDS and d.label is None:
                out.append(
                    f"{kind} at {path}:{d.line} has no label, so the registry cannot "
                    "check it (add ':label: ...')"
                )
    for path in sorted(book.root.rglob("*.md")):
        rel = path.relative_to(book.root)
        if path.resolve() in sources or any(p.startswith(("_", ".")) for p in rel.parts):
            continue  # a chapter, or _build/, checkpoints
        for d in myst.directives(path):
            if d.name.removeprefix("prf:") in ASSERTING_KINDS and d.name.startswith("prf:"):
                out.append(
                    f"{d.name.removeprefix('prf:')} at {path}:{d.line} is in no chapter "
                    f"of the book's numbered table of contents ({book.root / 'index.md'}),"
                    " so it is never checked"
                )
    return out


def _math_problems(book: Book) -> list[str]:
    """A ``$`` that MyST reads as text (:func:`deepqed.myst.stray_dollars`), in any Markdown file
    of the book: the reader would see the TeX source instead of the formula."""
    out = []
    for path in sorted(book.root.rglob("*.md")):
        if any(p.startswith(("_", ".")) for p in path.relative_to(book.root).parts):
            continue
        for line in myst.stray_dollars(path.read_text(encoding="utf-8")):
            out.append(
                f"{path}:{line}: a '$' in this paragraph is not read as mathematics, so the "
                "reader sees raw TeX (display math '$$' inside a paragraph or list item needs a "
                "blank line before and after it)"
            )
    return out


def registry_problems(book: Book) -> list[str]:
    """Disagreements between the text and the registry (exercises aside)."""
    out = list(book.problems_reading) + _statement_problems(book) + _math_problems(book)
    seen: dict[str, object] = {}
    for s in book.statements:
        if s.label in seen:
            o = seen[s.label]
            out.append(f"duplicate label {s.label!r}: {s.path}:{s.line} and {o.path}:{o.line}")  # type: ignore[attr-defined]
        seen[s.label] = s
    for ch in book.chapters:
        if book.claims_module(ch) is None:
            out.append(
                f"chapter {ch.number} ({ch.slug}) has no witness package "
                f"{ch.witnesses} (a module exporting CLAIMS)"
            )
    labelled = {c.entry.label for c in book.claims}
    for s in book.statements:
        if s.kind in ASSERTING_KINDS and s.label not in labelled:
            out.append(
                f"{s.kind} {s.label!r} ({s.path}:{s.line}) has neither a witness nor a "
                "stated reason in the registry"
            )
    for c in book.claims:
        entry, st = c.entry, c.statement
        if not isinstance(entry, (Witness, Unwitnessed)):
            out.append(
                f"{c.chapter.witnesses}.CLAIMS holds {entry!r}, which is neither a "
                "Witness nor an Unwitnessed"
            )
            continue
        if st is None:
            out.append(
                f"the registry has an entry for {entry.label!r} "
                f"({type(entry).__name__} in {c.chapter.witnesses}), but no statement "
                "of the book carries that label"
            )
            continue
        if st.kind not in ASSERTING_KINDS:
            out.append(f"the registry has an entry for {entry.label!r}, which is a {st.kind}")
        if c.chapter.slug != st.chapter:
            out.append(
                f"{entry.label!r} is registered under chapter {c.chapter.slug!r} but "
                f"written in {st.chapter!r}"
            )
    return out


def problems(book: Book) -> list[str]:
    """Every disagreement between the book's text, its registry and its exercises."""
    from .exercises.catalogue import problems as exercise_problems

    return registry_problems(book) + exercise_problems(book)
