"""The *Witnesses* page: per chapter, one table row per witness of a numbered statement.

Columns: statement (number and title, linked), witness (linked to its documentation below the
tables), what it is compared with, instances, the worst measurement against its tolerance (or
bound), the trust tier, and a link to the witness's source code. Below the tables, each witness's
docstring (autodoc, its signature reduced to the name by the stylesheet), whose ``$...$`` and
MyST roles are turned into reStructuredText mathematics and references so that they typeset.
"""

from __future__ import annotations

import math
import re
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..registry import Unwitnessed
from .badge import fmt, rich_text

__all__ = ["WitnessIndex", "docstring_to_rst"]

_HEADER = (
    "Statement",
    "Witness",
    "Compared with",
    "Instances",
    "Measured vs tolerance",
    "Tier",
    "Source",
)


def _statement_ref(label: str, name: str, title: str) -> list[nodes.Node]:
    ref = addnodes.pending_xref(
        "",
        nodes.inline(text=name),
        refdomain="prf",
        reftype="ref",
        reftarget=label,
        refexplicit=True,
        refwarn=True,
    )
    out: list[nodes.Node] = [ref]
    if title:
        out += [nodes.Text(" "), *rich_text(title)]
    return out


def _measured(r: dict | None) -> list[nodes.Node]:
    if r is None or r["status"] == "unwitnessed":
        return [nodes.Text("—")]
    if r["status"] == "error":
        return [nodes.Text("error")]
    cs = r.get("comparisons") or []
    bounds = [c for c in cs if c["kind"] in ("upper", "lower") and c.get("ratio") is not None]
    parts = []
    if bounds:
        # JSON writes an infinite or undefined ratio as a string ("inf", "nan"): the worst
        ratios = [float(c["ratio"]) for c in bounds]
        worst = max((math.inf if math.isnan(q) else q) for q in ratios)
        parts.append(f"ratio to bound ≤ {fmt(worst)}")
    errors = [c for c in cs if c["kind"] in ("equal", "rate")]
    if errors or not parts:
        parts.append(f"{fmt(r.get('max_error'))} ≤ {fmt(r.get('tolerance'))}")
    return [nodes.Text("; ".join(parts))]


def _source_ref(target: str, docname: str) -> nodes.Node:
    """A link to the witness's highlighted source (the page ``sphinx.ext.viewcode`` writes for
    its module, anchored at the function)."""
    module, _, name = target.rpartition(".")
    up = "../" * docname.count("/")
    uri = f"{up}_modules/{module.replace('.', '/')}.html#{name}"
    return nodes.reference("", "source", refuri=uri, internal=True)


def _row(cells: list[list[nodes.Node]]) -> nodes.row:
    row = nodes.row()
    for content in cells:
        entry = nodes.entry()
        para = nodes.paragraph()
        para.extend(content)
        entry += para
        row += entry
    return row


def _table(rows: list[nodes.row]) -> nodes.container:
    # given column widths (the PDF wraps cells instead of running past the margin), and a
    # table that may break across pages
    table = nodes.table(classes=["deepqed-witness-table", "colwidths-given", "longtable"])
    group = nodes.tgroup(cols=len(_HEADER))
    table += group
    for width in (22, 18, 22, 8, 14, 7, 7):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row([[nodes.Text(h)] for h in _HEADER])
    group += head
    body = nodes.tbody()
    body.extend(rows)
    group += body
    wrap = nodes.container(classes=["deepqed-scroll"])
    wrap += table
    return wrap


def _lines(rows: list[list[list[nodes.Node]]]) -> nodes.bullet_list:
    """The rows as a list, one paragraph each, for a page of paper: a seven-column table of long
    witness names does not fit its width."""
    out = nodes.bullet_list()
    for statement, witness, compared, instances, measured, tier, _ in rows:
        para = nodes.paragraph()
        para += statement
        para += nodes.Text(". Witness ")
        para += witness
        para += nodes.Text(", compared with: ")
        para += compared
        para += nodes.Text(f"; {instances[0].astext()} instances; ")
        para += measured
        para += nodes.Text(f"; tier {tier[0].astext()}.")
        item = nodes.list_item()
        item += para
        out += item
    return out


class WitnessIndex(SphinxDirective):
    """``{deepqed-witnesses}``: the tables, then every witness's documentation."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from . import book_of

        book = book_of(self.env.app)
        # the page shows witness results: it is read again when they change
        if not hasattr(self.env, "deepqed_witness_docs"):
            self.env.deepqed_witness_docs = set()
        self.env.deepqed_witness_docs.add(self.env.docname)
        html = (
            self.env.app.builder.format == "html"
            and "sphinx.ext.viewcode" in self.env.app.extensions
        )
        results = getattr(self.env, "deepqed_results", {})
        out: list[nodes.Node] = []
        documented: list[str] = []
        for ch in book.chapters:
            rows = []
            for st in book.statements:
                entries = book.entries_for(st.label)
                if st.chapter != ch.slug or not entries:
                    continue
                stored = {r.get("witness"): r for r in results.get(st.label, [])}
                for entry in entries:
                    statement = _statement_ref(st.label, st.name, st.title)
                    if isinstance(entry, Unwitnessed):
                        lead = "cited" if entry.strength == "cited" else "not tested"
                        rows.append(
                            [
                                statement,
                                [nodes.emphasis(text=lead)],
                                rich_text(entry.reason),
                                [nodes.Text("—")],
                                [nodes.Text("—")],
                                [nodes.Text(entry.strength)],
                                [nodes.Text("")],
                            ]
                        )
                        continue
                    target = entry.source.replace(":", ".")
                    r = stored.get(entry.name)
                    if target not in documented:
                        documented.append(target)
                    witness = addnodes.pending_xref(
                        "",
                        nodes.literal(text=entry.name),
                        refdomain="py",
                        reftype="func",
                        reftarget=target,
                        refexplicit=True,
                        refwarn=True,
                    )
                    rows.append(
                        [
                            statement,
                            [witness],
                            rich_text(entry.summary),
                            [nodes.Text(str(r["instances"]) if r else "—")],
                            _measured(r),
                            [nodes.Text(entry.strength or "—")],
                            [_source_ref(target, self.env.docname)] if html else [],
                        ]
                    )
            if not rows:
                continue
            section_id = f"witnesses-{ch.slug}"
            rubric = nodes.rubric(text=f"{ch.number}. {ch.title}", ids=[section_id])
            on_screen = self.env.app.builder.format == "html"
            out += [rubric, _table([_row(r) for r in rows]) if on_screen else _lines(rows)]
        lines = ["```{eval-rst}", ".. rubric:: The witnesses' documentation", ""]
        for target in documented:
            lines += [f".. autofunction:: {target}", "   :no-index-entry:", ""]
        lines.append("```")
        docs = nodes.container(classes=["deepqed-witness-index"])
        self.state.nested_parse(StringList(lines, source="deepqed-witnesses"), 0, docs)
        out.append(docs)
        return out


_DOLLAR = re.compile(r"(?<![\\$])\$((?:[^$\n]|\n(?!\s*\n))+?)\$")
_MYST_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]+)`")


def docstring_to_rst(app: Any, what: str, name: str, obj: Any, options: Any, lines: list) -> None:
    """``autodoc-process-docstring``: a witness's docstring is written in the book's notation
    (``$...$``, possibly across lines, and MyST roles); turn them into reStructuredText roles so
    that they typeset."""
    if not name.startswith(_witness_package(app)):
        return
    text = _MYST_ROLE.sub(lambda m: f":{m.group(1)}:`{m.group(2)}`", "\n".join(lines))
    text = _DOLLAR.sub(lambda m: _math_role(m, text), text)
    lines[:] = text.split("\n")


def _math_role(m: re.Match, text: str) -> str:
    """``:math:`...``` with escaped spaces where a word touches it (``$x$-th``, ``-$rounding``)."""
    before = "\\ " if m.start() > 0 and text[m.start() - 1].isalnum() else ""
    after = "\\ " if m.end() < len(text) and text[m.end()].isalnum() else ""
    body = " ".join(m.group(1).split())
    return f"{before}:math:`{body}`{after}"


def _witness_package(app: Any) -> str:
    return app.config.deepqed_witness_package or "deepqed.witnesses"
