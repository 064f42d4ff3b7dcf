"""The book's MyST source as a reader reads it, outside the browser.

The command line (``deepqed exercise show``, ``hint``, ``solution``), the figures' alt text and
the downloadable notebooks need the book's text without building it:

* :func:`references` resolves the cross-reference roles (``{prf:ref}`thm-backprop``` becomes
  "Theorem 6.1", ``{numref}`fig-ff-activations``` "Figure 6.1", ``{eq}`eq-ff-tail``` "(6.1)",
  ``{ref}`sec-ff-kinks``` the section's title), numbered as the built book numbers them;
* :func:`tex_to_text` turns TeX into readable Unicode (``\\mathbb R^{n\\times d}`` becomes
  "ℝ^(n×d)") with pylatexenc's LaTeX-to-text converter;
* :func:`to_text` does both and removes the remaining MyST markup (directive fences and options,
  emphasis marks, code backticks), which is what a terminal shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import _diskcache, myst, registry
from .registry import Book

__all__ = [
    "Numbers",
    "inline",
    "numbers",
    "references",
    "tex_to_text",
    "to_text",
    "page_url",
]

_ROLE = re.compile(r"\{(prf:ref|numref|eq|ref|doc|math|code|term|download)\}`([^`]*)`")
_EXPLICIT = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
_FIGURE_NAME = re.compile(r"^\s*(?::name:|name:)\s*(fig-[\w-]+)\s*$", re.M)
_EQ_LABEL = re.compile(r"^\$\$\s*\(([\w-]+)\)\s*$|^:label:\s*(eq-[\w-]+)\s*$", re.M)
_TARGET = re.compile(r"^\(([\w-]+)\)=\s*\n+#+\s+(.+)$", re.M)


@dataclass(frozen=True)
class Numbers:
    """What the book's cross-references resolve to: statements (``"Theorem 6.1"``), figures
    (``"Figure 6.1"``), equations (``"(6.1)"``), sections (their title) and chapter documents
    (``"Chapter 6"``), each keyed by label or document name."""

    labels: dict[str, str]
    docs: dict[str, str]
    pages: dict[str, str]  # label -> chapter page (``feedforward/index.html``) and anchor


def _chapter_numbers(book: Book, chapter: registry.Chapter) -> tuple[dict, dict]:
    """Figures, equations and section targets of one chapter, numbered in document order (the
    order in which Sphinx numbers them within a chapter)."""
    text = (book.root / chapter.source).read_text(encoding="utf-8")
    page = str(Path(chapter.source).with_suffix(".html"))
    labels: dict[str, str] = {}
    pages: dict[str, str] = {}
    for i, m in enumerate(_FIGURE_NAME.finditer(text), start=1):
        labels[m.group(1)] = f"Figure {chapter.number}.{i}"
        pages[m.group(1)] = f"{page}#{m.group(1)}"
    for i, m in enumerate(_EQ_LABEL.finditer(text), start=1):
        label = m.group(1) or m.group(2)
        labels[label] = f"({chapter.number}.{i})"
        pages[label] = f"{page}#equation-{label}"
    for m in _TARGET.finditer(text):
        labels.setdefault(m.group(1), m.group(2).strip())
        pages.setdefault(m.group(1), f"{page}#{m.group(1)}")
    return labels, pages


@lru_cache(maxsize=4)
def _numbers(book: Book) -> Numbers:
    return _diskcache.cached(
        "numbers",
        (repr(book), registry._stamp(book.root)),
        lambda: _read_numbers(book),
        modules=(__name__, myst.__name__, registry.__name__),
    )


def _read_numbers(book: Book) -> Numbers:
    labels: dict[str, str] = {}
    pages: dict[str, str] = {}
    docs: dict[str, str] = {}
    for ch in book.chapters:
        more, where = _chapter_numbers(book, ch)
        labels.update(more)
        pages.update(where)
        docs[ch.source.removesuffix(".md")] = f"Chapter {ch.number}"
    for s in book.statements:
        labels[s.label] = s.name
        page = book.chapter(s.chapter).source.removesuffix(".md") + ".html"
        pages[s.label] = f"{page}#{s.label}"
    for path in sorted(book.root.glob("*.md")):
        try:
            docs.setdefault(path.stem, myst.title(path))
        except ValueError:
            continue
    return Numbers(labels, docs, pages)


def numbers(book: Book | None = None) -> Numbers:
    """The cross-reference table of ``book`` (default: :func:`deepqed.registry.load`)."""
    return _numbers(book or registry.load())


def _resolve(role: str, content: str, table: Numbers) -> str:
    explicit = _EXPLICIT.match(content)
    if role in ("math", "code", "term"):
        return f"${content}$" if role == "math" else content
    if explicit and role != "eq":
        text, target = explicit.group(1), explicit.group(2)
        return text.replace("{number}", table.labels.get(target, "")).replace(
            "%s", table.labels.get(target, "")
        )
    if role == "doc":
        key = content.strip().lstrip("./").replace("../", "").removesuffix(".md")
        return table.docs.get(key, content)
    return table.labels.get(content.strip(), content)


_KINDS = "Definition|Lemma|Proposition|Theorem|Corollary|Algorithm|Exercise|Remark|Example"
_BARE = re.compile(rf"\b(?:(?:{_KINDS})\s+)?((?:[a-z]+-)+[a-z0-9]+)\b(?![-`])", re.I)


def references(text: str, book: Book | None = None) -> str:
    """``text`` with every cross-reference role, and every bare label of a statement, figure or
    equation ("Proposition prop-loss-gradients"), replaced by what the built book prints
    ("Proposition 6.4")."""
    if not _ROLE.search(text) and not _BARE.search(text):
        return text  # nothing to resolve: the table is not read (a check's report is quick)
    table = numbers(book)
    text = _ROLE.sub(lambda m: _resolve(m.group(1), m.group(2), table), text)

    def bare(m: re.Match) -> str:
        label = m.group(1)
        if label not in table.labels or label.startswith(("sec-", "ch-")):
            return m.group(0)
        return table.labels[label]

    return _BARE.sub(bare, text)


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text
    from pylatexenc.latexwalker import LatexGroupNode, get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec, std_macro

    M = latex2text.MacroTextSpec
    text_db = latex2text.get_default_latex_context_db()
    text_db.add_context_category(
        "deepqed",
        prepend=True,
        macros=[
            M("|", "‖"),
            M("Pr", "Pr"),
            M("lVert", "‖"),
            M("rVert", "‖"),
            M("lvert", "|"),
            M("rvert", "|"),
            M("top", "⊤"),
            M("intercal", "⊤"),
            M("ldots", "…"),
            M("cdots", "⋯"),
            M("dots", "…"),
            M("colon", ":"),
            M("coloneqq", "≔"),
            M("lesssim", "≲"),
            M("gtrsim", "≳"),
            M("mid", " | "),
            M("qquad", "  "),
            M("quad", " "),
            M(",", " "),
            M(";", " "),
            M("!", ""),
            M("operatorname", "%(1)s"),
            M("mathrm", "%(1)s"),
            M("mathsf", "%(1)s"),
            M("mathbf", "%(1)s"),
            M("boldsymbol", "%(1)s"),
            M("bm", "%(1)s"),
            M("text", "%(1)s"),
            M("textrm", "%(1)s"),
            M("displaystyle", ""),
            M("left", ""),
            M("right", ""),
            M("big", ""),
            M("Big", ""),
            M("bigg", ""),
            M("Bigg", ""),
            M("label", ""),
            M("nonumber", ""),
            M("notag", ""),
        ],
    )
    parse_db = get_default_latex_context_db()
    parse_db.add_context_category(
        "deepqed",
        prepend=True,
        macros=[
            std_macro("operatorname", False, 1),
            MacroSpec("label", "{"),
            std_macro("bm", False, 1),
            std_macro("boldsymbol", False, 1),
        ],
    )

    class Converter(latex2text.LatexNodes2Text):
        """Groups after ``^`` and ``_`` keep parentheses when they hold more than one character
        (``x^{n+1}`` reads "x^(n+1)", not "x^n+1")."""

        def nodelist_to_text(self, nodelist):
            out = []
            for node in nodelist or []:
                text = self.node_to_text(node)
                if node is not None and node.isNodeType(LatexGroupNode):
                    before = "".join(out).rstrip()
                    if before.endswith(("^", "_")) and len(text.strip()) > 1:
                        text = f"({text.strip()})"
                out.append(text)
            return "".join(out)

    return Converter(
        latex_context=text_db,
        math_mode="text",
        strict_latex_spaces="based-on-source",
        keep_comments=False,
    ), parse_db


def tex_to_text(tex: str) -> str:
    """TeX (text with ``$...$`` and ``$$...$$``, or bare mathematics) as readable Unicode."""
    from pylatexenc.latexwalker import LatexWalker

    converter, parse_db = _converter()
    tex = tex.replace("\\operatorname*", "\\operatorname")
    try:
        nodes, _, _ = LatexWalker(
            tex, latex_context=parse_db, tolerant_parsing=True
        ).get_latex_nodes()
        out = converter.nodelist_to_text(nodes)
    except Exception:  # pylatexenc is tolerant; a failure leaves the source readable
        return tex
    out = re.sub(r"[ \t]*([=≤≥≠≈∈∉⊂⊆→↦≔<>])[ \t]*", r" \1 ", out)
    out = re.sub(r"[ \t]{2,}", " ", out)
    return re.sub(r"\s+([,.;:)])", r"\1", out).replace("( ", "(")


_MATH = re.compile(r"\$\$(.+?)\$\$(\s*\([\w-]+\))?|\$([^$\n]+(?:\n[^$\n]+)*?)\$", re.S)
_FENCE = re.compile(r"^\s*(`{3,}|:{3,})\s*(?:\{([\w:-]+)\}\s*(.*)|[\w+-]*)\s*$")


def _math(m: re.Match) -> str:
    if m.group(1) is not None:
        body = " ".join(tex_to_text(m.group(1)).split())
        return f"\n\n    {body}\n\n"
    return tex_to_text(m.group(3)).replace("\n", " ").strip()


_KIND = {
    "exercise": "Exercise",
    "solution": "Solution",
    "hint": "Hint",
    "note": "Note",
    "warning": "Warning",
    "important": "Important",
    "tip": "Tip",
    "admonition": "",
}


def _directive_heading(name: str, argument: str) -> str | None:
    """The line a directive's fence becomes (``Theorem (Title).``), ``""`` for none, ``None``
    for a code block (kept as it is)."""
    if name in ("code-cell", "code-block", "code"):
        return None
    kind = name.split(":")[-1]
    word = _KIND.get(kind, kind.capitalize())
    if name == "solution":
        return "Solution."
    if argument and word:
        return f"{word} ({argument.strip()})."
    return f"{word}." if word else argument.strip()


def _strip_directives(text: str) -> str:
    """Fences become a heading line (or nothing); option lines go; code blocks stay, indented."""
    out: list[str] = []
    open_fences: list[str] = []  # the fences of the directives we are inside
    in_code: str | None = None
    in_options = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_code is not None:
            if stripped == in_code:
                in_code = None
            else:
                out.append("    " + line)
            continue
        m = _FENCE.match(line)
        if m and m.group(2):
            heading = _directive_heading(m.group(2), m.group(3) or "")
            if heading is None:
                in_code = m.group(1)
                in_options = False
                continue
            open_fences.append(m.group(1))
            if heading:
                out.append(heading)
            in_options = True
            continue
        if m and open_fences and stripped == open_fences[-1]:
            open_fences.pop()
            in_options = False
            continue
        if m and m.group(1).startswith("`"):
            in_code = m.group(1)
            continue
        if in_options:
            if re.match(r"^:[\w-]+:", stripped) or stripped == "---":
                continue
            in_options = False
        out.append(line)
    return "\n".join(out)


def inline(text: str, book: Book | None = None) -> str:
    """One line of a report (what a check compared, why it failed): references read as the book
    numbers them and TeX in Unicode; code between backticks is left as it is."""
    return _MATH.sub(_math, references(text, book))


def to_text(text: str, book: Book | None = None) -> str:
    """MyST source as plain, readable text: references resolved, TeX in Unicode, no MyST markup
    (directive fences become "Theorem (Title)." lines, code blocks are indented)."""
    text = references(text, book)
    text = _strip_directives(text)
    text = _MATH.sub(_math, text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text, flags=re.S)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    text = re.sub(r"``?([^`\n]+)``?", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"\1 (\2)", text)
    text = re.sub(r"\\([*_$`#\\])", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def page_url(label: str, book: Book | None = None, base: Path | str | None = None) -> str | None:
    """The address of ``label`` in the built book: ``base`` (a folder of the HTML build; default
    ``_build/html`` if it exists) joined with the chapter page and anchor; ``None`` for an
    unknown label."""
    where = numbers(book).pages.get(label)
    if where is None:
        return None
    root = Path(base) if base is not None else Path("_build/html")
    page, _, anchor = where.partition("#")
    path = (root / page).resolve()
    return f"{path.as_uri()}#{anchor}" if anchor else path.as_uri()
