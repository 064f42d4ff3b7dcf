"""Each chapter as a Jupyter notebook and as its MyST source, linked from its page.

The notebook has the chapter's code cells as they are (so it runs top to bottom with the
installed ``deepqed``) and its text as Jupyter Markdown: statements become bold headings with
their numbers ("**Theorem 6.1** (Backpropagation computes the gradient)."), references read as
the book prints them ("Theorem 6.1", "(6.1)"), solutions sit in collapsed ``<details>`` blocks,
included solution code is copied in. Mathematics stays TeX between ``$``, which Jupyter typesets.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes

__all__ = ["notebook", "myst_to_markdown", "setup"]

_FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\s*\{([\w:-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")
_TARGET = re.compile(r"^\([\w-]+\)=\s*$")
_EQ_LABEL = re.compile(r"^(\$\$)\s*\([\w-]+\)\s*$")


def _include(source: Path, options: dict[str, str]) -> str:
    """The text of a ``{literalinclude}``: the file, or the one function ``:pyobject:`` names."""
    text = source.read_text(encoding="utf-8")
    name = options.get("pyobject")
    if not name:
        return text.rstrip("\n")
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name:
            return ast.get_source_segment(text, node) or text
    return text.rstrip("\n")


def myst_to_markdown(text: str, chapter_dir: Path, book: Any) -> str:
    """One Markdown cell's MyST as Jupyter Markdown (see the module's docstring)."""
    from ..plaintext import references

    labels = {s.label: s for s in book.statements}
    out: list[str] = []
    closers: list[tuple[str, str]] = []  # open directives: (fence, what its closing becomes)
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            indent, fence, name, argument = m.groups()
            options: dict[str, str] = {}
            i += 1
            while i < len(lines) and (o := _OPTION.match(lines[i])):
                options[o.group(1)] = o.group(2)
                i += 1
            if name == "literalinclude":
                language = options.get("language", "")
                code = _include(chapter_dir / argument.strip(), options)
                out += [f"```{language}", code, "```"]
                while i < len(lines) and lines[i].strip() != fence:
                    i += 1
                i += 1
                continue
            kind = name.split(":")[-1]
            label = options.get("label", "")
            statement = labels.get(label)
            title = f" ({argument.strip()})" if argument.strip() else ""
            if name == "solution" or "dropdown" in options.get("class", ""):
                out.append("<details><summary>Solution</summary>\n")
                closers.append((fence, "\n</details>"))
            elif kind == "proof":
                out.append("*Proof.*")
                closers.append((fence, "∎"))
            else:
                heading = statement.name if statement is not None else kind.capitalize()
                out.append(f"**{heading}**{title}.")
                closers.append((fence, ""))
            continue
        if closers and line.strip() == closers[-1][0]:
            _, tail = closers.pop()
            out += [tail, ""] if tail else [""]
            i += 1
            continue
        if _TARGET.match(line):
            i += 1
            continue
        if _EQ_LABEL.match(line.strip()):
            out.append("$$")
            i += 1
            continue
        out.append(line)
        i += 1
    return references("\n".join(out), book)


def notebook(source: Path, chapter_dir: Path, book: Any) -> Any:
    """The chapter at ``source`` as an nbformat notebook (version 4)."""
    import nbformat
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(source.read_text(encoding="utf-8"))
    for cell in nb.cells:
        cell.metadata.pop("mystnb", None)
        if cell.cell_type == "markdown":
            cell.source = myst_to_markdown(cell.source, chapter_dir, book)
    nb.metadata.setdefault(
        "kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"}
    )
    nb.metadata.pop("jupytext", None)
    nbformat.validate(nb)
    return nb


def _names(chapter: Any) -> tuple[str, str]:
    return f"{chapter.slug}.ipynb", f"{chapter.slug}.md"


def _link_downloads(app: Any, doctree: nodes.document) -> None:
    """Under a chapter's title: "Download: notebook (.ipynb) · MyST source (.md)"."""
    from . import book_of

    if app.builder.format != "html":
        return
    for ch in book_of(app).chapters:
        if ch.source.removesuffix(".md") != app.env.docname:
            continue
        title = next(iter(doctree.findall(nodes.title)), None)
        if title is None:
            return
        ipynb, md = _names(ch)
        para = nodes.paragraph(classes=["deepqed-downloads"])
        para += nodes.Text("Download this chapter: ")
        para += nodes.reference("", "notebook (.ipynb)", refuri=ipynb, internal=False)
        para += nodes.Text(" · ")
        para += nodes.reference("", "MyST source (.md)", refuri=md, internal=False)
        section = title.parent
        section.insert(section.index(title) + 1, para)


def _write_downloads(app: Any, exception: Exception | None) -> None:
    import nbformat

    from . import book_of

    if exception is not None or app.builder.format != "html":
        return
    book = book_of(app)
    for ch in book.chapters:
        source = book.root / ch.source
        folder = Path(app.outdir) / Path(ch.source).parent
        folder.mkdir(parents=True, exist_ok=True)
        ipynb, md = _names(ch)
        nbformat.write(notebook(source, source.parent, book), folder / ipynb)
        shutil.copy2(source, folder / md)


def setup(app: Any) -> None:
    app.connect("doctree-read", _link_downloads)
    app.connect("build-finished", _write_downloads)
