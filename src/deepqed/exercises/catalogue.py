"""The exercises of every chapter, loaded from the specification files beside the chapters.

Each chapter's folder ``<book>/<slug>/exercises`` holds one ``ex_*.py`` file per exercise
exporting ``EXERCISE``; the files are loaded by path (they are not a package). Exercises are
listed in book order: the order of the ``{exercise}`` directives in the chapter's text, then
specifications the text lacks (a consistency problem), in file-name order.
"""

from __future__ import annotations

import difflib
import importlib.util
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from .. import myst, registry
from ..registry import Book
from .spec import Compute, Exercise, Implement, Prove

__all__ = ["Entry", "exercises", "get", "spec", "statement_text", "UnknownExercise", "problems"]


class UnknownExercise(KeyError):
    """No exercise has this id."""

    def __init__(self, exercise_id: str, known: tuple[str, ...] = ()) -> None:
        super().__init__(exercise_id)
        self.known = known

    def __str__(self) -> str:
        close = difflib.get_close_matches(str(self.args[0]), self.known, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        return (
            f"no exercise has the id {self.args[0]!r}; {hint}`deepqed exercise list` shows "
            f"all {len(self.known)}"
        )


@dataclass(frozen=True)
class Entry:
    """An exercise with its chapter, the file that specifies it, and its statement in the book
    (``None`` when the text has no ``{exercise}`` directive with its label)."""

    exercise: Exercise
    chapter: registry.Chapter
    path: Path
    statement: registry.Statement | None = None

    @property
    def number(self) -> str:
        return self.statement.number if self.statement is not None else ""


def _load(path: Path, chapter: str) -> Exercise:
    name = f"deepqed_exercise_specs.{chapter}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ex = getattr(module, "EXERCISE", None)
    if not isinstance(ex, (Implement, Compute, Prove)):
        raise TypeError(f"{path} must define EXERCISE, an Implement, a Compute or a Prove")
    return ex


@cache
def _load_once(path: Path, chapter: str, mtime_ns: int) -> Exercise:
    """:func:`_load`, once per file and modification time (a grading process forked after the
    catalogue was loaded finds every specification already loaded)."""
    return _load(path, chapter)


def _spec_files(book: Book) -> tuple[tuple[str, Path, int], ...]:
    out = []
    for ch in book.chapters:
        for path in sorted((book.root / ch.exercises).glob("ex_*.py")):
            out.append((ch.slug, path, path.stat().st_mtime_ns))
    return tuple(out)


@lru_cache(maxsize=8)
def _exercises(book: Book, files: tuple[tuple[str, Path, int], ...]) -> tuple[Entry, ...]:
    chapters = {c.slug: c for c in book.chapters}
    texts = {s.label: s for s in book.statements if s.kind == "exercise"}
    order = {s.label: i for i, s in enumerate(book.statements)}
    seen: dict[str, Path] = {}
    out = []
    for slug, path, mtime_ns in files:
        ex = _load_once(path, slug, mtime_ns)
        if ex.id in seen:
            raise ValueError(f"exercise id {ex.id!r} is defined twice: {seen[ex.id]}, {path}")
        seen[ex.id] = path
        out.append(Entry(ex, chapters[slug], path, texts.get(ex.id)))
    number = {c.slug: c.number for c in book.chapters}
    out.sort(key=lambda e: (number[e.chapter.slug], order.get(e.exercise.id, len(order))))
    return tuple(out)


def exercises(book: Book | None = None) -> tuple[Entry, ...]:
    """Every exercise of the book (default: :func:`deepqed.registry.load`), in book order."""
    book = book or registry.load()
    return _exercises(book, _spec_files(book))


def get(exercise_id: str, book: Book | None = None) -> Entry:
    """The exercise with this id (its book label) or number (``"6.3"``); raises
    :class:`UnknownExercise`."""
    entries = exercises(book)
    for e in entries:
        if exercise_id in (e.exercise.id, e.number) and exercise_id:
            return e
    raise UnknownExercise(exercise_id, tuple(e.exercise.id for e in entries))


def spec(exercise_id: str, root: Path | None = None) -> Exercise:
    """The specification of the exercise with this id, loading only the file that defines it.

    A check needs nothing else: no chapter text is parsed and no other specification is imported
    (:func:`get` does both). The files of ``root`` (default: :func:`deepqed.registry.book_dir`)
    that quote the id are loaded; when exactly one defines it, that is the answer. Otherwise (an
    exercise number, an unknown id, an id defined twice) the answer is :func:`get`'s, or its
    :class:`UnknownExercise`."""
    root = root or registry.book_dir()
    quoted = (f'"{exercise_id}"', f"'{exercise_id}'")
    found = []
    for path in sorted(root.glob("*/exercises/ex_*.py")):
        if any(q in path.read_text(encoding="utf-8") for q in quoted):
            ex = _load_once(path, path.parent.parent.name, path.stat().st_mtime_ns)
            if ex.id == exercise_id:
                found.append(ex)
    if len(found) == 1:
        return found[0]
    return get(exercise_id, registry.load(root)).exercise


def statement_text(entry: Entry) -> str | None:
    """The body of the exercise's ``{exercise}`` directive (options removed, nested solutions
    included), or ``None`` when the text does not contain it."""
    if entry.statement is None:
        return None
    for d in myst.directives(entry.statement.path):
        if d.name == "exercise" and d.label == entry.exercise.id:
            return d.body
    return None


def problems(book: Book) -> list[str]:
    """Disagreements between the chapters' ``{exercise}`` directives and the specifications: a
    directive with no specification, or a specification whose label the text lacks."""
    out: list[str] = []
    entries = exercises(book)
    specs = {e.exercise.id for e in entries}
    for s in book.statements:
        if s.kind == "exercise" and s.label not in specs:
            ch = book.chapter(s.chapter)
            out.append(
                f"exercise {s.label!r} ({s.path}:{s.line}) has no specification in "
                f"{book.root / ch.exercises}"
            )
    for e in entries:
        if e.statement is None:
            out.append(
                f"the specification {e.path} has the id {e.exercise.id!r}, but no "
                f"{{exercise}} directive of {book.root / e.chapter.source} carries that "
                "label"
            )
    return out
