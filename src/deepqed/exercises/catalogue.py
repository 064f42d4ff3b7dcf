"""The exercises of every chapter, loaded from the specification files beside the chapters.

Each chapter's folder ``book_dir() / chapter.exercises`` holds one ``ex_*.py`` file per exercise
exporting ``EXERCISE``; the files are loaded by path (they are not a package), in name order.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import registry
from .spec import Compute, Exercise, Implement, Prove

__all__ = ["Entry", "exercises", "get", "statement_text", "UnknownExercise", "problems"]


class UnknownExercise(KeyError):
    """No exercise has this id."""

    def __str__(self) -> str:
        ids = [e.exercise.id for e in exercises()]
        close = difflib.get_close_matches(str(self.args[0]), ids, n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(close)}? " if close else ""
        return (
            f"no exercise has the id {self.args[0]!r}; {hint}`deepqed exercise list` shows "
            f"all {len(ids)}"
        )


@dataclass(frozen=True)
class Entry:
    """An exercise with its chapter and the file that specifies it."""

    exercise: Exercise
    chapter: registry.Chapter
    path: Path


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
def exercises() -> tuple[Entry, ...]:
    """Every exercise of every chapter, in chapter order then file-name order."""
    root = registry.book_dir()
    out: list[Entry] = []
    seen: dict[str, Path] = {}
    for ch in registry.CHAPTERS:
        if not ch.exercises:
            continue
        folder = root / ch.exercises
        chapter: list[Entry] = []
        for path in sorted(folder.glob("ex_*.py")):
            ex = _load(path, ch.slug)
            if ex.id in seen:
                raise ValueError(f"exercise id {ex.id!r} is defined twice: {seen[ex.id]}, {path}")
            seen[ex.id] = path
            chapter.append(Entry(ex, ch, path))
        # Book order where the text has the directive; the others after, in file-name order.
        source = root / ch.source
        order = {}
        if source.is_file():
            labels = [
                s.label for s in registry.parse_statements(source, ch.slug) if s.kind == "exercise"
            ]
            order = {label: i for i, label in enumerate(labels)}
        chapter.sort(key=lambda e: order.get(e.exercise.id, len(order)))
        out.extend(chapter)
    return tuple(out)


def get(exercise_id: str) -> Entry:
    """The exercise with this id (the book label); raises :class:`UnknownExercise`."""
    for e in exercises():
        if e.exercise.id == exercise_id:
            return e
    raise UnknownExercise(exercise_id)


_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{exercise\}\s*(?P<title>.*)$")
_OPTION = re.compile(r"^:[a-zA-Z-]+:")


def statement_text(entry: Entry) -> str | None:
    """The body of the ``{exercise}`` directive labelled ``entry.exercise.id`` in the chapter's
    MyST source (options removed), or ``None`` when the text does not contain it (yet)."""
    source = registry.book_dir() / entry.chapter.source
    if not source.is_file():
        return None
    lines = source.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = _OPEN.match(line.strip())
        if not m:
            continue
        fence = m.group("fence")
        body: list[str] = []
        label = None
        j = i + 1
        while j < len(lines) and _OPTION.match(lines[j].strip()):
            opt = lines[j].strip()
            if opt.startswith(":label:"):
                label = opt.split(":", 2)[2].strip()
            j += 1
        while j < len(lines) and lines[j].strip() != fence:
            body.append(lines[j])
            j += 1
        if label == entry.exercise.id:
            return "\n".join(body).strip("\n")
    return None


def problems() -> list[str]:
    """Disagreements between the chapters' ``{exercise}`` directives and the specifications: a
    directive with no specification, or a specification whose label the text lacks. Chapters
    whose text is not written yet are skipped."""
    root = registry.book_dir()
    out: list[str] = []
    for ch in registry.CHAPTERS:
        source = root / ch.source
        if not ch.exercises or not source.is_file():
            continue
        text = {
            s.label: s for s in registry.parse_statements(source, ch.slug) if s.kind == "exercise"
        }
        specs = {e.exercise.id: e for e in exercises() if e.chapter.slug == ch.slug}
        for label, s in text.items():
            if label not in specs:
                out.append(
                    f"exercise {label!r} ({s.path}:{s.line}) has no specification in "
                    f"{root / ch.exercises}"
                )
        for label, e in specs.items():
            if label not in text:
                out.append(
                    f"the specification {e.path} has the id {label!r}, but no "
                    f"{{exercise}} directive of {source} carries that label"
                )
    return out
