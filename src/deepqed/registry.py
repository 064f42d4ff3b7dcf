r"""The claims registry: one table linking the book's labels, code, witnesses and exercises.

Everything here is a pure function of an explicit book folder (:func:`load`):

* the **chapters** (slug, title, number, part) come from the book's own table of contents: the
  numbered ``{toctree}`` directives of ``index.md`` in order, each caption naming a part, each
  entry ``<slug>/index`` a chapter whose title is the first heading of its file;
* the **statements** (kind, title, label, number, file and line) come from the chapters'
  ``{prf:*}`` and ``{exercise}`` directives (:mod:`deepqed.myst`, the project's one parser);
* the **claims** say how each label is checked: the chapter's witness package
  ``<witness package>.<slug>`` exports ``CLAIMS``, a tuple of :class:`Witness` (a function that
  tests the statement on random instances against something independent) and
  :class:`Unwitnessed` (an explicit reason why no numerical test exists, or the source of a
  result the book cites without proof).

The book's Sphinx extension, ``deepqed verify``, the exercise catalogue and the test suite all
read this module; nothing about a claim is written twice. It imports nothing from
:mod:`deepqed.exercises`; the agreement between the text, the registry and the exercise
specifications is checked in :mod:`deepqed.consistency`.
"""

from __future__ import annotations

import ast
import importlib
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import _diskcache, myst
from .evidence import Evidence, error

__all__ = [
    "ASSERTING_KINDS",
    "STRENGTHS",
    "DEFAULT_WITNESS_PACKAGE",
    "Figures",
    "Witness",
    "Unwitnessed",
    "Chapter",
    "Statement",
    "Claim",
    "Book",
    "book_dir",
    "load",
    "configured_witness_package",
    "witness_rng",
    "statement_strength",
]

#: Kinds of numbered statement that must have a registry entry (a witness or a stated reason).
ASSERTING_KINDS = ("definition", "lemma", "proposition", "theorem", "corollary", "algorithm")

#: Trust tiers, strongest first. *exact*: equality to rounding (or within a confidence interval)
#: against an independent reference; *sharp*: an inequality whose constant is pinned (the bound is
#: attained or approached on the instances where the text says so); *validity*: an inequality
#: checked, its constant not pinned (with the reason); *cited*: the book cites the proof (the
#: source is given), whatever numerical evidence it shows; *unwitnessed*: no numerical test (with
#: the reason).
STRENGTHS = ("exact", "sharp", "validity", "cited", "unwitnessed")

#: Where the chapters' witness packages live: ``deepqed.witnesses.<slug>``.
DEFAULT_WITNESS_PACKAGE = "deepqed.witnesses"


@dataclass(frozen=True)
class Figures:
    """Legacy result of a witness (one worst error against one tolerance); new witnesses return
    :class:`deepqed.evidence.Evidence`. Converted with :meth:`evidence`."""

    instances: int
    max_error: float
    tolerance: float
    detail: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.max_error <= self.tolerance) and self.instances > 0

    def evidence(self) -> Evidence:
        return Evidence(
            int(self.instances),
            (error(self.detail or "worst error", self.max_error, self.tolerance, units=""),),
        )


@dataclass(frozen=True)
class Witness:
    """A test of the statement ``label`` on random instances.

    ``check(rng)`` draws all randomness from ``rng`` and returns :class:`~deepqed.evidence.Evidence`;
    it must be able to fail, that is, compare against something independent of the code it
    checks. With ``dtypes`` (for example ``("float32", "float64")``) it is called once per dtype
    as ``check(rng, dtype=numpy.dtype(name))``, and its comparisons are tagged with the dtype.

    ``strength`` is the trust tier of what the witness shows (:data:`STRENGTHS`, not
    ``"unwitnessed"``); ``reason`` is required for ``"validity"`` (why the constant is not
    pinned) and for ``"cited"`` (the source of the proof). :mod:`deepqed.verify` checks the tier
    against the evidence: an *exact* witness makes no bound comparison, a *sharp* one makes a
    bound comparison and an attaining one. ``timeout`` is the witness's time limit in seconds of
    processor time (:func:`deepqed.verify.run`).
    """

    label: str
    check: Callable[..., Any]
    summary: str
    strength: str | None = None
    reason: str = ""
    dtypes: tuple[str, ...] = ()
    timeout: float = 60.0

    def __post_init__(self) -> None:
        if self.strength is not None and self.strength not in STRENGTHS[:-1]:
            raise ValueError(
                f"witness {self.name} of {self.label!r}: strength must be one of "
                f"{STRENGTHS[:-1]}, got {self.strength!r}"
            )
        if self.strength in ("validity", "cited") and not self.reason.strip():
            raise ValueError(
                f"witness {self.name} of {self.label!r}: strength {self.strength!r} needs a reason"
            )
        for d in self.dtypes:
            if d not in ("float32", "float64"):
                raise ValueError(f"witness {self.name}: dtypes must be float32/float64, got {d!r}")

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def source(self) -> str:
        """``module:function`` of the check, for links to its source."""
        return f"{self.check.__module__}:{self.check.__qualname__}"


@dataclass(frozen=True)
class Unwitnessed:
    """A statement that is not tested numerically, with the reason why (``strength``
    ``"unwitnessed"``), or a result whose proof the book cites (``strength="cited"``, ``reason``
    the source)."""

    label: str
    reason: str
    strength: str = "unwitnessed"

    def __post_init__(self) -> None:
        if self.strength not in ("unwitnessed", "cited"):
            raise ValueError(
                f"Unwitnessed({self.label!r}): strength must be 'unwitnessed' or "
                f"'cited', got {self.strength!r}"
            )


@dataclass(frozen=True)
class Chapter:
    """A chapter: its slug (folder), title, number in the book, part (the caption of its
    toctree), source file and exercise folder (relative to the book folder), witness package."""

    slug: str
    title: str
    number: int
    part: str
    source: str
    witnesses: str
    exercises: str


@dataclass(frozen=True)
class Statement:
    """A labelled statement (or exercise) as the book writes it; ``number`` as the built book
    prints it (``"6.4"``: chapter 6, the fourth of its kind), ``""`` if unnumbered."""

    label: str
    kind: str  # definition, theorem, ..., or "exercise"
    title: str
    chapter: str  # chapter slug
    path: Path
    line: int
    number: str = ""

    @property
    def name(self) -> str:
        """``"Theorem 6.1"`` (the kind and number), or the kind alone when unnumbered."""
        kind = self.kind.capitalize()
        return f"{kind} {self.number}" if self.number else kind


@dataclass(frozen=True)
class Claim:
    """A registry entry with its chapter and the statement it checks (``None`` when the book has
    no statement with that label: a consistency problem)."""

    chapter: Chapter
    entry: Witness | Unwitnessed
    statement: Statement | None


def book_dir() -> Path:
    """The default book folder: ``DEEPQED_BOOK_DIR`` if set, else the repository's ``book/``, else
    (in an installed wheel) ``deepqed/_book``."""
    override = os.environ.get("DEEPQED_BOOK_DIR")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "book", here / "_book"):
        if (candidate / "conf.py").is_file():
            return candidate
    raise FileNotFoundError("the book sources (book/conf.py) were not found next to deepqed")


def _module_name(slug: str) -> str:
    return slug.replace("-", "_")


@dataclass(frozen=True)
class Book:
    """The book at ``root``: chapters, statements and (imported on first use) claims."""

    root: Path
    witness_package: str
    chapters: tuple[Chapter, ...]
    statements: tuple[Statement, ...]
    problems_reading: tuple[str, ...] = field(default=())

    # --- lookups ---------------------------------------------------------------------------
    def chapter(self, key: str | int) -> Chapter:
        """The chapter with this slug or number (``6``, ``"6"``, ``"feedforward"``)."""
        text = str(key).strip()
        for ch in self.chapters:
            if text in (ch.slug, str(ch.number)):
                return ch
        known = ", ".join(f"{c.number} {c.slug}" for c in self.chapters)
        raise ValueError(f"unknown chapter {key!r}; the book has: {known}")

    def statement(self, label: str) -> Statement:
        for s in self.statements:
            if s.label == label:
                return s
        raise KeyError(label)

    def by_label(self) -> dict[str, Statement]:
        return {s.label: s for s in self.statements}

    @cached_property
    def claims(self) -> tuple[Claim, ...]:
        """Every registry entry in book order (statement order; a statement's entries in the order
        of its chapter's ``CLAIMS``); entries for unknown labels last, in ``CLAIMS`` order."""
        order = {s.label: i for i, s in enumerate(self.statements)}
        labels = self.by_label()
        out = []
        for ch in self.chapters:
            module = self.claims_module(ch)
            for entry in getattr(module, "CLAIMS", ()) if module is not None else ():
                out.append(Claim(ch, entry, labels.get(entry.label)))
        keyed = sorted(
            enumerate(out), key=lambda ic: (order.get(ic[1].entry.label, len(order)), ic[0])
        )
        return tuple(c for _, c in keyed)

    def claims_module(self, chapter: Chapter) -> Any:
        """The chapter's witness package, or ``None`` if it does not exist."""
        try:
            return importlib.import_module(chapter.witnesses)
        except ModuleNotFoundError as exc:
            if exc.name and chapter.witnesses.startswith(exc.name):
                return None
            raise

    def entries_for(self, label: str) -> list[Witness | Unwitnessed]:
        return [c.entry for c in self.claims if c.entry.label == label]

    def witnesses(self) -> list[Witness]:
        return [c.entry for c in self.claims if isinstance(c.entry, Witness)]

    def strength(self, label: str) -> str | None:
        """The statement's trust tier (:func:`statement_strength` of its entries)."""
        return statement_strength(self.entries_for(label))


def statement_strength(entries: list[Witness | Unwitnessed]) -> str | None:
    """A statement's tier: the weakest tier among its registry entries (each witness checks one
    part of the statement; the whole is only as well checked as its least checked part).
    ``None`` when an entry has not declared its tier, or there is no entry."""
    tiers = [e.strength for e in entries]
    if not tiers or any(t is None for t in tiers):
        return None
    return max(tiers, key=STRENGTHS.index)


def _numbering(directives: list[myst.Directive], chapter_number: int) -> dict[int, str]:
    """Statement numbers as sphinx-proof and sphinx-exercise print them: one counter per kind
    and chapter, unnumbered (``:nonumber:``) directives skipped; keyed by line."""
    counters: dict[str, int] = {}
    out = {}
    for d in directives:
        if not (d.name.startswith("prf:") or d.name == "exercise") or d.name == "prf:proof":
            continue
        if "nonumber" in d.options:
            continue
        counters[d.name] = counters.get(d.name, 0) + 1
        out[d.line] = f"{chapter_number}.{counters[d.name]}"
    return out


def _read(root: Path, witness_package: str) -> Book:
    index = root / "index.md"
    problems: list[str] = []
    chapters: list[Chapter] = []
    statements: list[Statement] = []
    if not index.is_file():
        problems.append(f"the book has no table of contents: {index} is missing")
        return Book(root, witness_package, (), (), tuple(problems))
    for toc in myst.toctrees(index):
        if not toc.numbered:
            continue
        for entry in toc.entries:
            slug = entry.split("/")[0]
            source = f"{entry}.md"
            number = len(chapters) + 1
            path = root / source
            if not path.is_file():
                problems.append(
                    f"chapter {number} ({entry}) in the toctree of {index}:"
                    f"{toc.line} has no source {path}"
                )
                continue
            try:
                ch_title = myst.title(path)
            except ValueError as exc:
                problems.append(str(exc))
                ch_title = slug
            ch = Chapter(
                slug,
                ch_title,
                number,
                toc.caption,
                source,
                f"{witness_package}.{_module_name(slug)}",
                f"{slug}/exercises",
            )
            chapters.append(ch)
            found = myst.directives(path)
            numbers = _numbering(found, number)
            for d in found:
                if d.label is None or not (d.name.startswith("prf:") or d.name == "exercise"):
                    continue
                kind = d.name.split(":")[1] if d.name.startswith("prf:") else "exercise"
                statements.append(
                    Statement(
                        d.label, kind, d.argument, slug, path, d.line, numbers.get(d.line, "")
                    )
                )
    return Book(root, witness_package, tuple(chapters), tuple(statements), tuple(problems))


def _stamp(root: Path) -> tuple:
    """What :func:`load` depends on: the names, sizes and modification times of the book's
    Markdown files (not under ``_build`` or hidden folders)."""
    items = []
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root)
        if any(part.startswith(("_", ".")) for part in rel.parts[:-1]):
            continue
        st = p.stat()
        items.append((str(rel), st.st_size, st.st_mtime_ns))
    return tuple(items)


@lru_cache(maxsize=8)
def _load(root: Path, witness_package: str, stamp: tuple) -> Book:
    return _diskcache.cached(
        "registry",
        (str(root), witness_package, stamp),
        lambda: _read(root, witness_package),
        modules=(__name__, myst.__name__),
    )


def configured_witness_package(root: Path) -> str:
    """The witness package a book names in its ``conf.py`` (the Sphinx configuration value
    ``deepqed_witness_package``, a string literal), else :data:`DEFAULT_WITNESS_PACKAGE`."""
    conf = root / "conf.py"
    if conf.is_file():
        try:
            tree = ast.parse(conf.read_text(encoding="utf-8"))
        except SyntaxError:
            return DEFAULT_WITNESS_PACKAGE
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and any(
                    isinstance(t, ast.Name) and t.id == "deepqed_witness_package"
                    for t in node.targets
                )
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                return node.value.value
    return DEFAULT_WITNESS_PACKAGE


def load(root: Path | str | None = None, *, witness_package: str | None = None) -> Book:
    """The book at ``root`` (default :func:`book_dir`), its witnesses in ``witness_package``
    (default: the one its ``conf.py`` names, see :func:`configured_witness_package`).

    Reading is cached (in memory and on disk, :mod:`deepqed._diskcache`) under the folder, the
    witness package and the state of the book's Markdown files, so an edited book is read again."""
    path = Path(root).resolve() if root is not None else book_dir()
    package = witness_package or configured_witness_package(path)
    return _load(path, package, _stamp(path))


def witness_rng(seed: int, witness: Witness, dtype: str = "") -> np.random.Generator:
    """The generator a witness receives: fixed by ``seed``, the witness and the dtype of the run,
    not by run order."""
    key = zlib.crc32(f"{witness.label}/{witness.name}{'/' + dtype if dtype else ''}".encode())
    return np.random.default_rng([seed, key])
