"""The tightness atlas and the count of trust tiers, generated from the verification results.

* ``{deepqed-atlas}`` lists every bound of the book: every comparison of kind ``upper`` or
  ``lower`` made by a witness (:mod:`deepqed.evidence`), with the statement's number and title (a
  link), its trust tier, what was compared, the measured value, the bound, the ratio
  measured/bound, the *tightness* (the ratio for an upper bound, its reciprocal for a lower one, so
  that 1 means attained and small means loose) and the parameters of the instance (``at``). Rows are
  in book order; a small script sorts the table by any column. Above it, a summary counts the
  bounds by tier and by tightness band.
* ``{deepqed-tiers}`` counts the book's numbered statements by trust tier (exact, sharp, validity,
  cited, unwitnessed, and those whose witnesses declare no tier yet), each count linked to the atlas
  (sharp, validity) or to the witnesses page (the others) when the book has those pages.

Both read what the main extension stored at ``builder-inited`` (``env.deepqed_results``) and the
claims registry; documents containing them are read again whenever the results change.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import registry

__all__ = ["AtlasDirective", "TiersDirective", "atlas_rows", "tier_counts", "setup"]

#: Documents the counts link to, if the book has them.
ATLAS_DOC = "atlas"
WITNESSES_DOC = "witnesses"

#: Tightness bands of the summary: (lower end, description).
BANDS = (
    (0.5, "tight (tightness at least 1/2)"),
    (0.1, "within a factor 10"),
    (0.01, "loose by one to two orders of magnitude"),
    (0.0, "vacuous by two orders of magnitude or more"),
)

_SORT_SCRIPT = """
<script>
(function () {
  function key(text) {
    var t = text.trim();
    if (/^\\d+(\\.\\d+)+$/.test(t)) { return t.split('.').map(Number); }
    var x = parseFloat(t);
    return isNaN(x) ? t.toLowerCase() : [x];
  }
  function cmp(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      for (var i = 0; i < Math.max(a.length, b.length); i++) {
        var u = a[i] === undefined ? -Infinity : a[i], v = b[i] === undefined ? -Infinity : b[i];
        if (u !== v) { return u < v ? -1 : 1; }
      }
      return 0;
    }
    if (Array.isArray(a)) { return -1; }
    if (Array.isArray(b)) { return 1; }
    return a < b ? -1 : (a > b ? 1 : 0);
  }
  document.querySelectorAll('table.deepqed-atlas').forEach(function (table) {
    var body = table.tBodies[0];
    table.querySelectorAll('thead th').forEach(function (th, col) {
      th.style.cursor = 'pointer';
      th.title = 'sort by this column';
      th.addEventListener('click', function () {
        var asc = th.dataset.order !== 'asc';
        th.dataset.order = asc ? 'asc' : 'desc';
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var c = cmp(key(r.cells[col].textContent), key(s.cells[col].textContent));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
</script>
"""


def _fmt(x: Any) -> str:
    if isinstance(x, str):  # "nan", "inf" from JSON
        return x
    return "—" if x is None else f"{x:.3g}"


def atlas_rows(results: dict[str, list[dict]], book: registry.Book) -> list[dict[str, Any]]:
    """One record per bound comparison of the results, in book order: chapter number and title,
    statement label, number, kind, title and tier, and the comparison's what, kind, measured,
    bound, ratio, tightness, at, dtype and whether it passed."""
    chapters = {c.slug: c for c in book.chapters}
    order = {s.label: i for i, s in enumerate(book.statements)}
    rows = []
    for label in sorted(results, key=lambda lab: order.get(lab, len(order))):
        for entry in results[label]:
            for c in entry.get("comparisons", []):
                if c.get("kind") not in ("upper", "lower"):
                    continue
                ratio = c.get("ratio")
                ratio = float(ratio) if isinstance(ratio, (int, float, str)) else float("nan")
                if c["kind"] == "upper":
                    tight = ratio
                else:
                    tight = 1 / ratio if ratio not in (0.0,) and ratio == ratio else float("nan")
                ch = chapters.get(entry["chapter"])
                rows.append(
                    dict(
                        chapter=ch.number if ch else 0,
                        chapter_title=ch.title if ch else entry["chapter"],
                        label=label,
                        number=entry.get("number", ""),
                        statement_kind=entry.get("kind", ""),
                        title=entry.get("title", ""),
                        tier=entry.get("strength") or "undeclared",
                        witness=entry.get("witness", ""),
                        what=c["what"],
                        kind=c["kind"],
                        measured=c["measured"],
                        bound=c["reference"],
                        ratio=ratio,
                        tightness=tight,
                        at=c.get("at", ""),
                        dtype=c.get("dtype", ""),
                        passed=bool(c.get("passed")),
                    )
                )
    return rows


def tier_counts(book: registry.Book) -> dict[str, int]:
    """The number of numbered statements (of the kinds that need a registry entry) in each trust
    tier, plus ``"undeclared"`` for those whose witnesses declare no tier and ``"missing"`` for those
    without any entry."""
    counts = {t: 0 for t in registry.STRENGTHS}
    counts["undeclared"] = 0
    counts["missing"] = 0
    for s in book.statements:
        if s.kind not in registry.ASSERTING_KINDS:
            continue
        if not book.entries_for(s.label):
            counts["missing"] += 1
            continue
        tier = book.strength(s.label)
        counts[tier if tier is not None else "undeclared"] += 1
    return counts


def _rich(text: str) -> list[nodes.Node]:
    from .badge import rich_text  # the boxes' own rendering of $...$

    return rich_text(text)


def _doc_link(env: Any, docname: str, text: str) -> nodes.Node:
    """A link to ``docname`` if the book has it, else plain text."""
    if docname not in env.found_docs:
        return nodes.Text(text)
    ref = addnodes.pending_xref(
        "",
        nodes.inline(text=text),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{docname}",
        refexplicit=True,
        refwarn=True,
    )
    return ref


def _track(env: Any) -> set[str]:
    if not hasattr(env, "deepqed_atlas_docs"):
        env.deepqed_atlas_docs = set()
    return env.deepqed_atlas_docs


class AtlasDirective(SphinxDirective):
    """``{deepqed-atlas}``: the table of every bound with its ratio (see the module docstring)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        _track(self.env).add(self.env.docname)
        from . import book_of

        book = book_of(self.env.app)
        rows = atlas_rows(getattr(self.env, "deepqed_results", {}), book)
        out: list[nodes.Node] = [self._summary(rows)]
        if not rows:
            out.append(nodes.paragraph(text="No witness of this book makes a bound comparison."))
            return out
        out.append(self._table(rows))
        out.append(nodes.raw("", _SORT_SCRIPT, format="html"))
        return out

    def _summary(self, rows: list[dict]) -> nodes.Node:
        container = nodes.container(classes=["deepqed-atlas-summary"])
        statements = {r["label"] for r in rows}
        para = nodes.paragraph()
        para += nodes.Text(
            f"{len(rows)} bound comparisons in {len(statements)} statements of "
            f"{len({r['chapter'] for r in rows})} chapters. By the tier of their statement: "
        )
        tiers = {}
        for r in rows:
            tiers[r["tier"]] = tiers.get(r["tier"], 0) + 1
        para += nodes.Text(
            ", ".join(f"{n} {t}" for t, n in sorted(tiers.items(), key=lambda kv: _tier_key(kv[0])))
            + ". By tightness: "
        )
        bands = []
        for i, (lo, text) in enumerate(BANDS):
            hi = BANDS[i - 1][0] if i else float("inf")
            n = sum(
                1 for r in rows if r["tightness"] == r["tightness"] and lo <= r["tightness"] < hi
            )
            bands.append(f"{n} {text}")
        undefined = sum(1 for r in rows if r["tightness"] != r["tightness"])
        if undefined:
            bands.append(f"{undefined} with no defined ratio (a bound of 0)")
        para += nodes.Text("; ".join(bands) + ".")
        container += para
        return container

    def _table(self, rows: list[dict]) -> nodes.table:
        headers = [
            "Chapter",
            "Statement",
            "Tier",
            "Bound compared",
            "Measured",
            "Bound",
            "Ratio",
            "Tightness",
            "At",
        ]
        widths = [4, 14, 6, 30, 7, 7, 6, 7, 19]
        table = nodes.table(classes=["deepqed-atlas"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        for w in widths:
            group += nodes.colspec(colwidth=w)
        head = nodes.thead()
        row = nodes.row()
        for h in headers:
            row += nodes.entry("", nodes.paragraph(text=h))
        head += row
        group += head
        body = nodes.tbody()
        for r in rows:
            tr = nodes.row(classes=["failed"] if not r["passed"] else [])
            tr += nodes.entry("", nodes.paragraph(text=str(r["chapter"])))
            stmt = nodes.paragraph()
            ref = addnodes.pending_xref(
                "",
                nodes.inline(text=f"{r['statement_kind'].capitalize()} {r['number']}".strip()),
                refdomain="prf",
                reftype="ref",
                reftarget=r["label"],
                refexplicit=True,
                refwarn=False,
            )
            stmt += ref
            if r["title"]:
                stmt += nodes.Text(": ")
                stmt += _rich(r["title"])
            tr += nodes.entry("", stmt)
            tr += nodes.entry("", nodes.paragraph(text=r["tier"]))
            what = nodes.paragraph()
            what += _rich(r["what"])
            what += nodes.Text(
                f" ({'upper' if r['kind'] == 'upper' else 'lower'} bound"
                + (f", {r['dtype']})" if r["dtype"] else ")")
            )
            tr += nodes.entry("", what)
            for key in ("measured", "bound", "ratio", "tightness"):
                tr += nodes.entry("", nodes.paragraph(text=_fmt(r[key])))
            tr += nodes.entry("", nodes.paragraph(text=r["at"]))
            body += tr
        group += body
        return table


def _tier_key(tier: str) -> int:
    order = [*registry.STRENGTHS, "undeclared", "missing"]
    return order.index(tier) if tier in order else len(order)


class TiersDirective(SphinxDirective):
    """``{deepqed-tiers}``: how many statements are in each trust tier (see the module docstring)."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        _track(self.env).add(self.env.docname)
        from . import book_of

        counts = tier_counts(book_of(self.env.app))
        total = sum(counts.values())
        bullets = nodes.bullet_list(classes=["deepqed-tiers"])
        meaning = {
            "exact": (
                "equalities checked to rounding or within a confidence interval",
                WITNESSES_DOC,
            ),
            "sharp": (
                "inequalities whose constant is pinned: the bound is attained or approached",
                ATLAS_DOC,
            ),
            "validity": (
                "inequalities checked, constant not pinned (the reason is given)",
                ATLAS_DOC,
            ),
            "cited": ("proofs cited from the literature; the witnesses still run", WITNESSES_DOC),
            "unwitnessed": ("no numerical test, with the reason", WITNESSES_DOC),
            "undeclared": ("checked by witnesses that do not declare a tier yet", WITNESSES_DOC),
            "missing": ("without a registry entry", WITNESSES_DOC),
        }
        for tier in [*registry.STRENGTHS, "undeclared", "missing"]:
            n = counts[tier]
            if n == 0 and tier in ("undeclared", "missing"):
                continue
            text, doc = meaning[tier]
            item = nodes.list_item()
            para = nodes.paragraph()
            para += nodes.strong(text=f"{n} {tier}")
            para += nodes.Text(f": {text} (")
            para += _doc_link(self.env, doc, "atlas" if doc == ATLAS_DOC else "witnesses")
            para += nodes.Text(").")
            item += para
            bullets += item
        lead = nodes.paragraph(
            text=f"The {total} numbered definitions, lemmas, propositions, theorems, corollaries "
            "and algorithms of the book, by the trust tier of their verification:"
        )
        return [lead, bullets]


def _env_get_outdated(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list:
    """Read the atlas and the tier counts again when the verification results changed."""
    key = getattr(env, "deepqed_key", None)
    if getattr(env, "deepqed_atlas_key_read", None) == key:
        return []
    env.deepqed_atlas_key_read = key
    return sorted(_track(env) & set(env.found_docs))


def _env_purge_doc(app: Sphinx, env: Any, docname: str) -> None:
    _track(env).discard(docname)


def _env_merge_info(app: Sphinx, env: Any, docnames: set, other: Any) -> None:
    _track(env).update(d for d in _track(other) if d in docnames)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the two directives and keep their documents up to date (loaded by
    :func:`deepqed.sphinxext.setup`)."""
    app.add_directive("deepqed-atlas", AtlasDirective)
    app.add_directive("deepqed-tiers", TiersDirective)
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("env-purge-doc", _env_purge_doc)
    app.connect("env-merge-info", _env_merge_info)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
