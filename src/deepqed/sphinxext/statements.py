"""The numbered statements as a reader looks them up, and the page details around them.

* :class:`StatementDomain` lists every labelled statement as a search object, so that searching
  ``thm-backprop`` (or "backprop") finds "Theorem 6.1 (thm-backprop)".
* :class:`StatementIndex` replaces sphinx-proof's proof index (the page ``prf-prf.html``): per
  chapter, every statement by number and title instead of bare labels.
* :func:`end_proofs` ends every proof with ∎ (in the HTML and in the PDF).
* :func:`describe_figures` gives every figure its caption as alt text (instead of the file name
  that MyST-NB leaves, a hash).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from docutils import nodes
from sphinx.domains import Domain, Index, IndexEntry, ObjType
from sphinx_proof.domain import ProofDomain

__all__ = ["StatementDomain", "ProofDomainWithNumbers", "end_proofs", "describe_figures"]


def _statements(env: Any) -> list[tuple[Any, str]]:
    """Every numbered statement of the book with the document that shows it, in book order."""
    from . import book_of

    proofs = getattr(env, "proof_list", {})
    out = []
    for s in book_of(env.app).statements:
        where = proofs.get(s.label)
        if where is not None:
            out.append((s, where["docname"]))
    return out


class StatementDomain(Domain):
    """Search objects for the book's statements (no roles or directives of its own)."""

    name = "deepqed"
    label = "Statements"
    object_types = {"statement": ObjType("statement", "ref")}
    initial_data: dict[str, Any] = {}

    def get_objects(self) -> Iterable[tuple[str, str, str, str, str, int]]:
        for s, docname in _statements(self.env):
            # Sphinx's search index keeps the display name, so the label goes into it
            shown = f"{s.name} ({s.label}) {s.title}".strip()
            # (and the object's own name differs from its anchor, which the index would then
            # leave out and the search page rebuild from the display name)
            yield f"{s.name} {s.label}", shown, "statement", docname, s.label, 1

    def merge_domaindata(self, docnames: Any, otherdata: dict) -> None:
        pass


class StatementIndex(Index):
    """Per chapter, the statements by number and title (sphinx-proof's index page)."""

    name = "prf"
    localname = "Index of statements"
    shortname = "Statements"

    def generate(self, docnames: Iterable[str] | None = None) -> tuple[list, bool]:
        from . import book_of

        book = book_of(self.domain.env.app)
        chapters = {c.slug: c for c in book.chapters}
        content: dict[str, list[IndexEntry]] = {}
        for s, docname in _statements(self.domain.env):
            if docnames is not None and docname not in docnames:
                continue
            ch = chapters[s.chapter]
            key = f"{ch.number}. {ch.title}"
            name = f"{s.name} {s.title}".strip() if s.title else s.name
            content.setdefault(key, []).append(IndexEntry(name, 0, docname, s.label, "", "", ""))
        order = {f"{c.number}. {c.title}": c.number for c in book.chapters}
        return sorted(content.items(), key=lambda kv: order.get(kv[0], 0)), False


class ProofDomainWithNumbers(ProofDomain):
    """sphinx-proof's domain with :class:`StatementIndex` as its index."""

    indices = [StatementIndex]


def end_proofs(app: Any, doctree: nodes.document) -> None:
    """Append ∎ to every proof (``{prf:proof}``): to its last paragraph, or on a line of its own
    after display mathematics."""
    from sphinx_proof.nodes import proof_node

    for proof in doctree.findall(proof_node):
        body = proof.children[-1] if proof.children else proof
        last = body.children[-1] if body.children else None
        qed = nodes.inline(text="∎", classes=["deepqed-qed"])
        paragraphs = list(last.findall(nodes.paragraph)) if last is not None else []
        if isinstance(last, (nodes.paragraph, nodes.Sequential)) and paragraphs:
            paragraphs[-1] += [nodes.Text(" "), qed]
        else:
            body += nodes.paragraph("", "", qed, classes=["deepqed-qed-line"])


def describe_figures(app: Any, doctree: nodes.document) -> None:
    """A figure's image gets its caption, as readable text, for alt text."""
    from ..plaintext import tex_to_text

    for figure in doctree.findall(nodes.figure):
        caption = next(iter(figure.findall(nodes.caption)), None)
        if caption is None:
            continue
        parts = []
        for child in caption.findall(lambda n: isinstance(n, (nodes.Text, nodes.math))):
            if isinstance(child, nodes.math):
                parts.append(tex_to_text(child.astext()))
            elif not isinstance(child.parent, nodes.math):
                parts.append(child.astext())
        alt = " ".join("".join(parts).split())
        for image in figure.findall(nodes.image):
            image["alt"] = alt
