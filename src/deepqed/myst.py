r"""Reading the book's MyST sources: directives with their options, headings, table of contents.

This is the project's one parser of the book's text. It tokenises a file with the very
markdown-it-py configuration that MyST uses to build the book (``colon_fence``, ``dollarmath``,
``amsmath``), so a directive is found exactly when Sphinx would find it: not inside a code block,
not inside display mathematics, and at any depth of nesting (a solution inside an exercise). The
options of a directive are read in both forms that MyST accepts,

```text
:::{prf:theorem} Title            :::{prf:theorem} Title
:label: thm-x                     ---
:class: dropdown                  label: thm-x
                                  class: dropdown
Body ...                          ---
:::                               Body ...
                                  :::
```

and every directive carries the 1-based line of its opening fence in the file, for messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Directive",
    "Heading",
    "Toctree",
    "directives",
    "headings",
    "iter_directives",
    "parse",
    "stray_dollars",
    "title",
    "toctrees",
]


@dataclass(frozen=True)
class Directive:
    """One ``{name}`` directive of a MyST file.

    Attributes:
        name: the directive's name, e.g. ``"prf:theorem"``, ``"exercise"``, ``"toctree"``.
        argument: the text after ``{name}`` on the fence line (a statement's title).
        options: the option block, as strings (YAML values are converted with ``str``; a flag
            such as ``:numbered:`` has the value ``""``).
        body: the content after the option block.
        line: the 1-based line of the opening fence in the file.
        body_line: the 1-based line of the first line of ``body``.
        children: the directives nested in ``body``, in order.
    """

    name: str
    argument: str
    options: dict[str, str]
    body: str
    line: int
    body_line: int
    children: tuple[Directive, ...] = field(default=())

    @property
    def label(self) -> str | None:
        return self.options.get("label") or None


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: its level (1 for ``#``), its plain text and its 1-based line."""

    level: int
    text: str
    line: int


@dataclass(frozen=True)
class Toctree:
    """A ``{toctree}`` directive: its caption, whether it is numbered, and its entries (document
    names relative to the file, e.g. ``"svm/index"``)."""

    caption: str
    numbered: bool
    entries: tuple[str, ...]
    line: int


@cache
def _parser() -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    # The extensions of book/conf.py that change where blocks begin and end.
    config = MdParserConfig(enable_extensions={"colon_fence", "dollarmath", "amsmath"})
    return create_md_parser(config, RendererHTML)


def _split_options(content: str) -> tuple[dict[str, str], list[str], int]:
    """The option block at the top of a directive's content, the remaining lines, and how many
    lines the option block took (MyST's two forms: ``:key: value`` lines or a ``---`` YAML
    block)."""
    lines = content.split("\n")
    options: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() == "---":
                data = yaml.safe_load("\n".join(lines[1:end])) or {}
                if isinstance(data, dict):
                    options = {str(k): "" if v is None else str(v) for k, v in data.items()}
                return options, lines[end + 1 :], end + 1
        return options, lines, 0
    used = 0
    for line in lines:
        s = line.strip()
        if not (s.startswith(":") and s.count(":") >= 2) or s.startswith("::"):
            break
        key, _, value = s[1:].partition(":")
        if not key or " " in key:
            break
        options[key] = value.strip()
        used += 1
    return options, lines[used:], used


def _directive_tokens(text: str) -> Iterator[Any]:
    for tok in _parser().parse(text):
        if (
            tok.type in ("fence", "colon_fence")
            and tok.info.strip().startswith("{")
            and "}" in tok.info
        ):
            yield tok


def _parse(text: str, offset: int) -> tuple[Directive, ...]:
    out = []
    for tok in _directive_tokens(text):
        info = tok.info.strip()
        name, _, argument = info[1:].partition("}")
        options, rest, used = _split_options(tok.content)
        line = offset + tok.map[0] + 1
        while rest and not rest[0].strip():  # blank lines between options and body
            rest = rest[1:]
            used += 1
        body_line = line + 1 + used
        body = "\n".join(rest).rstrip("\n")
        children = _parse(body, body_line - 1)
        out.append(
            Directive(name.strip(), argument.strip(), options, body, line, body_line, children)
        )
    return tuple(out)


def parse(text: str) -> tuple[Directive, ...]:
    """The top-level directives of a MyST text, each with its nested directives."""
    return _parse(text, 0)


def iter_directives(items: tuple[Directive, ...]) -> Iterator[Directive]:
    """Every directive of ``items`` and of their bodies, depth first, in document order."""
    for d in items:
        yield d
        yield from iter_directives(d.children)


def _stray_dollars(text: str, offset: int) -> Iterator[int]:
    for tok in _parser().parse(text):
        if tok.type in ("fence", "colon_fence") and tok.info.strip().startswith("{"):
            options, rest, used = _split_options(tok.content)
            yield from _stray_dollars("\n".join(rest), offset + tok.map[0] + 1 + used)
        elif tok.type == "inline" and any(
            c.type == "text" and "$" in c.content for c in tok.children or ()
        ):
            yield offset + tok.map[0] + 1


def stray_dollars(text: str) -> list[int]:
    r"""The 1-based lines of the paragraphs (or headings, table cells) of a MyST text in which a
    ``$`` is left as text: MyST did not read it as mathematics, and the reader would see raw TeX.

    The classic case is display mathematics that interrupts a paragraph of a list item without a
    blank line before it: ``$$`` is then read as an empty inline formula, and the TeX between
    the two ``$$`` lines as inline mathematics between two stray dollars. Code blocks and inline
    code are not text, so a ``$`` there is not reported.
    """
    return sorted(set(_stray_dollars(text, 0)))


def directives(path: Path) -> list[Directive]:
    """Every directive of the file ``path`` at any depth, in document order."""
    return list(iter_directives(parse(Path(path).read_text(encoding="utf-8"))))


def headings(path: Path) -> list[Heading]:
    """The Markdown headings of ``path`` outside directives, in order."""
    toks = _parser().parse(Path(path).read_text(encoding="utf-8"))
    out = []
    for i, tok in enumerate(toks):
        if tok.type == "heading_open":
            inline = toks[i + 1]
            text = (
                "".join(
                    c.content
                    for c in (inline.children or [])
                    if c.type in ("text", "code_inline", "math_inline")
                )
                or inline.content
            )
            out.append(Heading(int(tok.tag[1:]), text.strip(), tok.map[0] + 1))
    return out


def title(path: Path) -> str:
    """The text of the first level-1 heading of ``path``; ``ValueError`` if there is none."""
    for h in headings(path):
        if h.level == 1:
            return h.text
    raise ValueError(f"{path} has no level-1 heading (# Title), so its chapter has no title")


def toctrees(path: Path) -> list[Toctree]:
    """The ``{toctree}`` directives of ``path`` in order (entries without comments or blanks; an
    entry ``Title <doc>`` gives ``doc``)."""
    out = []
    for d in directives(path):
        if d.name != "toctree":
            continue
        entries = []
        for raw in d.body.splitlines():
            s = raw.strip()
            if not s or s.startswith("#"):
                continue
            if s.endswith(">") and "<" in s:
                s = s[s.rindex("<") + 1 : -1].strip()
            entries.append(s)
        out.append(
            Toctree(
                d.options.get("caption", ""),
                "numbered" in d.options,
                tuple(entries),
                d.line,
            )
        )
    return out
