r"""The claims registry: one table linking the book's labels, code, witnesses and exercises.

The *book* is the source of truth for what a statement says: its kind (definition, theorem, ...),
its title and its label are read from the MyST sources (``{prf:kind}`` directives with a
``:label:``). The *witness modules* say how each label is checked: each exports ``CLAIMS``, a tuple
of :class:`Witness` (a function that tests the statement on random instances against something
independent) and :class:`Unwitnessed` (an explicit reason why no numerical test exists). Exercises
are read from the ``{exercise}`` directives and the exercise specifications beside each chapter.

The book's Sphinx extension, ``deepqed verify`` and the test suite all read this module; nothing
about a claim is written twice.
"""

from __future__ import annotations

import importlib
import os
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

__all__ = [
    "Figures",
    "Witness",
    "Unwitnessed",
    "Chapter",
    "Statement",
    "CHAPTERS",
    "ASSERTING_KINDS",
    "book_dir",
    "statements",
    "parse_statements",
    "unlabelled_statements",
    "claims",
    "witnesses_for",
    "consistency_problems",
    "witness_rng",
]

#: Kinds of numbered statement that must have a registry entry (a witness or a stated reason).
ASSERTING_KINDS = ("definition", "lemma", "proposition", "theorem", "corollary", "algorithm")


@dataclass(frozen=True)
class Figures:
    """What a witness measured: ``instances`` random instances, the worst error, the tolerance.

    The witness passes when ``max_error <= tolerance`` (a NaN error fails). ``detail`` says in one
    line what was compared with what (for example "relative error of backprop vs torch.autograd,
    float64").
    """

    instances: int
    max_error: float
    tolerance: float
    detail: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.max_error <= self.tolerance) and self.instances > 0


@dataclass(frozen=True)
class Witness:
    """A test of the statement ``label`` on random instances.

    ``check(rng)`` must draw all randomness from ``rng`` and return :class:`Figures`; it must be
    able to fail, that is, compare against something independent of the code it checks.
    """

    label: str
    check: Callable[[np.random.Generator], Figures]
    summary: str

    @property
    def name(self) -> str:
        return self.check.__name__

    @property
    def source(self) -> str:
        """``module:function`` of the check, for links to its source."""
        return f"{self.check.__module__}:{self.check.__qualname__}"


@dataclass(frozen=True)
class Unwitnessed:
    """A statement that cannot be tested numerically, with the reason why."""

    label: str
    reason: str


@dataclass(frozen=True)
class Chapter:
    """A chapter of the book: where its text lives and which module holds its witnesses."""

    slug: str
    title: str
    part: str
    source: str  # path of the MyST file, relative to the book directory
    witnesses: str  # dotted module exporting CLAIMS
    exercises: str = ""  # folder of exercise specifications, relative to the book directory


#: The chapters in book order (the book's numbered table of contents follows this order).
CHAPTERS: tuple[Chapter, ...] = (
    Chapter(
        slug="preliminaries",
        title="Mathematical preliminaries and notation",
        part="I Foundations",
        source="preliminaries/index.md",
        witnesses="deepqed.witnesses.preliminaries",
        exercises="preliminaries/exercises",
    ),
    Chapter(
        slug="learning",
        title="The learning problem",
        part="I Foundations",
        source="learning/index.md",
        witnesses="deepqed.witnesses.learning",
        exercises="learning/exercises",
    ),
    Chapter(
        slug="linear",
        title="Linear models",
        part="I Foundations",
        source="linear/index.md",
        witnesses="deepqed.witnesses.linear",
        exercises="linear/exercises",
    ),
    Chapter(
        slug="svm",
        title="Support vector machines",
        part="I Foundations",
        source="svm/index.md",
        witnesses="deepqed.witnesses.svm",
        exercises="svm/exercises",
    ),
    Chapter(
        slug="kernels",
        title="Kernel methods",
        part="I Foundations",
        source="kernels/index.md",
        witnesses="deepqed.witnesses.kernels",
        exercises="kernels/exercises",
    ),
    Chapter(
        slug="feedforward",
        title="Feedforward networks and backpropagation",
        part="II Networks",
        source="feedforward/index.md",
        witnesses="deepqed.witnesses.feedforward",
        exercises="feedforward/exercises",
    ),
    Chapter(
        slug="cnn",
        title="Convolutional networks",
        part="II Networks",
        source="cnn/index.md",
        witnesses="deepqed.witnesses.cnn",
        exercises="cnn/exercises",
    ),
    Chapter(
        slug="rnn",
        title="Recurrent networks",
        part="II Networks",
        source="rnn/index.md",
        witnesses="deepqed.witnesses.rnn",
        exercises="rnn/exercises",
    ),
    Chapter(
        slug="attention",
        title="Attention and transformers",
        part="II Networks",
        source="attention/index.md",
        witnesses="deepqed.witnesses.attention",
        exercises="attention/exercises",
    ),
)


@dataclass(frozen=True)
class Statement:
    """A numbered statement as the book writes it."""

    label: str
    kind: str  # definition, theorem, ..., or "exercise"
    title: str
    chapter: str  # chapter slug
    path: Path
    line: int


def book_dir() -> Path:
    """The book sources: the repository's ``book/`` or, in an installed wheel, ``deepqed/_book``.

    The environment variable ``DEEPQED_BOOK_DIR`` overrides both (used for test books).
    """
    override = os.environ.get("DEEPQED_BOOK_DIR")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve().parent
    for candidate in (here.parents[1] / "book", here / "_book"):
        if (candidate / "conf.py").is_file():
            return candidate
    raise FileNotFoundError("the book sources (book/conf.py) were not found next to deepqed")


_DIRECTIVE = re.compile(
    r"^(?P<fence>`{3,}|:{3,})\{(?P<name>prf:[a-z]+|exercise)\}\s*(?P<title>.*)$"
)
_OPTION = re.compile(r"^:(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")  # :label: thm-x
_YAML_OPTION = re.compile(r"^(?P<key>[\w-]+):\s*(?P<value>.*?)\s*$")  # label: thm-x (in ---)


def _directive_label(lines: list[str]) -> str | None:
    """The ``label`` option of a directive whose body is ``lines``, or ``None``.

    MyST writes options either as ``:key: value`` lines at the top of the body or as a YAML block
    between two ``---`` lines; both are read, however many options precede the label.
    """
    body = [line.strip() for line in lines]
    if body and body[0] == "---":
        for line in body[1:]:
            if line == "---":
                break
            m = _YAML_OPTION.match(line)
            if m and m.group("key") == "label":
                return m.group("value").strip("'\"") or None
        return None
    for line in body:
        m = _OPTION.match(line)
        if not m:
            break  # the options end at the first other line
        if m.group("key") == "label":
            return m.group("value") or None
    return None


def _directives(path: Path) -> list[tuple[str, str, int, str | None]]:
    """``(kind, title, line, label or None)`` for every ``{prf:*}`` and ``{exercise}`` directive."""
    out = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = _DIRECTIVE.match(line.strip())
        if not m:
            continue
        name = m.group("name")
        kind = name.split(":")[1] if name.startswith("prf:") else "exercise"
        out.append((kind, m.group("title").strip(), i + 1, _directive_label(lines[i + 1 :])))
    return out


def parse_statements(path: Path, chapter: str) -> list[Statement]:
    """Read the labelled ``{prf:*}`` and ``{exercise}`` directives of one MyST file."""
    return [
        Statement(label, kind, title, chapter, path, line)
        for kind, title, line, label in _directives(path)
        if label is not None
    ]


def unlabelled_statements(path: Path) -> list[tuple[str, int]]:
    """``(kind, line)`` of the directives of an asserting kind that carry no label (these could not
    be matched with the registry, so they are consistency problems)."""
    return [
        (kind, line)
        for kind, _, line, label in _directives(path)
        if label is None and kind in ASSERTING_KINDS
    ]


@cache
def statements() -> tuple[Statement, ...]:
    """Every labelled statement and exercise of the written chapters, in book order."""
    root = book_dir()
    out: list[Statement] = []
    for ch in CHAPTERS:
        if (root / ch.source).is_file():  # a missing source is a consistency problem
            out.extend(parse_statements(root / ch.source, ch.slug))
    return tuple(out)


@cache
def claims() -> tuple[tuple[Chapter, Witness | Unwitnessed], ...]:
    """Every registry entry, with its chapter, from the chapters' witness modules."""
    out = []
    for ch in CHAPTERS:
        module = importlib.import_module(ch.witnesses)
        out.extend((ch, c) for c in module.CLAIMS)
    return tuple(out)


def witnesses_for(label: str) -> list[Witness | Unwitnessed]:
    return [c for _, c in claims() if c.label == label]


def consistency_problems() -> list[str]:
    """Disagreements between the text and the registry; empty when they agree.

    Reports statements of an asserting kind without a label or outside the chapters' sources,
    duplicated labels, labelled statements of an asserting kind with no registry entry, registry
    entries for labels the book does not contain, entries filed under the wrong chapter, and
    exercises of the text without a specification (or the reverse).
    """
    problems: list[str] = []
    for ch in CHAPTERS:
        source = book_dir() / ch.source
        if not source.is_file():
            problems.append(f"chapter {ch.slug!r}: its source {source} is missing")
            continue
        for kind, line in unlabelled_statements(source):
            problems.append(
                f"{kind} at {source}:{line} has no label, so the registry cannot "
                "check it (add ':label: ...')"
            )
    sources = {(book_dir() / ch.source).resolve() for ch in CHAPTERS}
    for path in sorted(book_dir().rglob("*.md")):
        if path.resolve() in sources or any(
            part.startswith(("_", ".")) for part in path.relative_to(book_dir()).parts
        ):
            continue  # a chapter, or _build/, .ipynb_checkpoints
        for kind, _, line, _ in _directives(path):
            if kind in ASSERTING_KINDS:
                problems.append(
                    f"{kind} at {path}:{line} is in no chapter of the registry "
                    "(registry.CHAPTERS), so it is never checked"
                )
    seen: dict[str, Statement] = {}
    for s in statements():
        if s.label in seen:
            o = seen[s.label]
            problems.append(f"duplicate label {s.label!r}: {s.path}:{s.line} and {o.path}:{o.line}")
        seen[s.label] = s
    entries: dict[str, list[tuple[Chapter, Witness | Unwitnessed]]] = {}
    for ch, c in claims():
        entries.setdefault(c.label, []).append((ch, c))
    for s in statements():
        if s.kind in ASSERTING_KINDS and s.label not in entries:
            problems.append(
                f"{s.kind} {s.label!r} ({s.path}:{s.line}) has neither a witness nor a stated "
                "reason in the registry"
            )
    for label, items in entries.items():
        if label not in seen:
            problems.append(
                f"the registry has an entry for {label!r} ({items[0][1].__class__.__name__} in "
                f"{items[0][0].witnesses}), but no statement of the book carries that label"
            )
            continue
        st = seen[label]
        if st.kind not in ASSERTING_KINDS:
            problems.append(f"the registry has an entry for {label!r}, which is a {st.kind}")
        for ch, _ in items:
            if ch.slug != st.chapter:
                problems.append(
                    f"{label!r} is registered under chapter {ch.slug!r} but written in "
                    f"{st.chapter!r}"
                )
    from .exercises.catalogue import problems as exercise_problems  # imports this module

    return problems + exercise_problems()


def witness_rng(seed: int, witness: Witness) -> np.random.Generator:
    """The generator a witness receives: fixed by ``seed`` and the witness, not by run order."""
    key = zlib.crc32(f"{witness.label}/{witness.name}".encode())
    return np.random.default_rng([seed, key])
