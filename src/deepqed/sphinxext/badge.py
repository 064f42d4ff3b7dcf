"""The verification badge under each numbered statement.

One badge per statement: a line that says how the statement was checked ("✓ 3 witnesses · 520
instances · sharp"), and, when the reader opens it (an HTML ``<details>`` element, no script
needed), each witness with a link to its entry on the *Witnesses* page and a table of every
comparison it made, typeset (``what`` may contain TeX between ``$...$``). The LaTeX builder
prints the line alone.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx import addnodes

__all__ = ["badge", "badge_summary", "make_badge", "summary_text", "rich_text", "fmt"]


class badge(nodes.General, nodes.Element):
    """The collapsible badge (HTML ``<details>``)."""


class badge_summary(nodes.General, nodes.TextElement):
    """The badge's always visible line (HTML ``<summary>``)."""


_MATH = re.compile(r"\$([^$]+)\$")

TIERS = {
    "exact": "an equality checked against an independent reference",
    "sharp": "an inequality checked, its constant shown to be attained",
    "validity": "an inequality checked, its constant not pinned",
    "cited": "the proof is cited; the witness checks what can be computed",
    "unwitnessed": "no numerical test; the reason is stated",
}


def fmt(x: Any) -> str:
    """A number in three significant digits (``"—"`` for none; ``"nan"``, ``"inf"`` as given)."""
    if isinstance(x, str):
        return x
    return "—" if x is None else f"{x:.3g}"


def rich_text(text: str) -> list[nodes.Node]:
    """Text with ``$...$`` pieces as inline mathematics (typeset by MathJax, or LaTeX)."""
    out: list[nodes.Node] = []
    at = 0
    for m in _MATH.finditer(text):
        if m.start() > at:
            out.append(nodes.Text(text[at : m.start()]))
        out.append(nodes.math(m.group(1), m.group(1)))
        at = m.end()
    if at < len(text):
        out.append(nodes.Text(text[at:]))
    return out


def _ok(entries: list[dict]) -> bool:
    return all(e["status"] in ("passed", "unwitnessed") for e in entries)


def summary_text(entries: list[dict]) -> tuple[str, str]:
    """The badge's line and the statement's tier: ``("✓ 3 witnesses · 520 instances", "sharp")``."""
    run = [e for e in entries if e["status"] != "unwitnessed"]
    tier = entries[0].get("strength") or ("" if run else "unwitnessed")
    if not run:
        lead = "proof cited" if tier == "cited" else "not tested numerically"
        return f"○ {lead}", tier
    n = len(run)
    failed = sum(e["status"] in ("failed", "error") for e in run)
    witnesses = f"{n} witness" + ("es" if n != 1 else "")
    instances = sum(int(e.get("instances") or 0) for e in run)
    if failed:
        return f"✘ {failed} of {witnesses} failed · {instances} instances", tier
    return f"✓ {witnesses} · {instances} instances", tier


def _witness_ref(e: dict) -> nodes.Node:
    return addnodes.pending_xref(
        "",
        nodes.literal(text=e["witness"]),
        refdomain="py",
        reftype="func",
        reftarget=e["source"].replace(":", "."),
        refexplicit=True,
        refwarn=True,
    )


def _comparison_cells(c: dict) -> list[list[nodes.Node]]:
    """What · measured · against · margin, for one comparison."""
    what: list[nodes.Node] = [*rich_text(c["what"])]
    if c.get("dtype"):
        what.append(nodes.inline(text=f" {c['dtype']}", classes=["deepqed-dtype"]))
    units = f" {c['units']}" if c.get("units") else ""
    kind = c["kind"]
    if kind == "equal":
        measured = f"{fmt(c['measured'])}{units}"
        against = f"reference {fmt(c['reference'])}"
        margin = f"tolerance {fmt(c['tolerance'])}"
    elif kind == "rate":
        measured = f"fitted rate {fmt(c['measured'])}"
        against = f"proved {fmt(c['reference'])}"
        margin = f"tolerance {fmt(c['tolerance'])}"
    elif kind in ("upper", "lower"):
        sign = "≤" if kind == "upper" else "≥"
        measured = f"{fmt(c['measured'])}{units}"
        against = f"{sign} bound {fmt(c['reference'])}"
        margin = f"ratio {fmt(c['ratio'])}"
    else:
        measured = f"estimate {fmt(c['measured'])}{units}"
        against = f"reference {fmt(c['reference'])}"
        margin = f"{100 * c['level']:g}% interval [{fmt(c['low'])}, {fmt(c['high'])}]"
    if c.get("attains"):
        margin += " · attained"
    if c.get("at"):
        margin += f" · at {c['at']}"
    mark = nodes.inline(text="✓" if c["passed"] else "✘", classes=["deepqed-mark"])
    return [[mark], what, [nodes.Text(measured)], [nodes.Text(against)], [nodes.Text(margin)]]


def _table(rows: list[list[list[nodes.Node]]], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    ncols = len(rows[0])
    group = nodes.tgroup(cols=ncols)
    table += group
    for _ in range(ncols):
        group += nodes.colspec(colwidth=1)
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        for content in cells:
            entry = nodes.entry()
            para = nodes.paragraph()
            para.extend(content)
            entry += para
            row += entry
        body += row
    return table


def _witness_block(e: dict, reason: str = "") -> list[nodes.Node]:
    para = nodes.paragraph(classes=["deepqed-result", e["status"]])
    if e["status"] == "unwitnessed":
        lead = (
            "Proof cited: " if e.get("witness_strength") == "cited" else "Not tested numerically: "
        )
        para += nodes.strong(text=lead)
        para += rich_text(e["detail"])
        return [para]
    word = {"passed": "✓ Verified", "failed": "✘ FAILED", "error": "✘ ERROR"}[e["status"]]
    para += nodes.strong(text=word)
    para += nodes.Text(" by ")
    para += _witness_ref(e)
    para += nodes.Text(": ")
    para += rich_text(e["summary"])
    if e["status"] == "error":
        para += nodes.Text(f". The witness raised {e['detail']}.")
    else:
        para += nodes.Text(f". {e['instances']} instances, {e['seconds']:.2f} s.")
    if reason:
        para += nodes.Text(" Tier: ")
        para += rich_text(reason)
    out: list[nodes.Node] = [para]
    comparisons = e.get("comparisons") or []
    if comparisons:
        wrap = nodes.container(classes=["deepqed-scroll"])
        wrap += _table([_comparison_cells(c) for c in comparisons], ["deepqed-comparisons"])
        out.append(wrap)
    return out


def make_badge(entries: list[dict], reasons: dict[str, str] | None = None) -> badge:
    """The badge of one statement from its results (as stored by the build); ``reasons`` gives,
    per witness name, why its tier is what it is (``Witness.reason``)."""
    ok = _ok(entries)
    line, tier = summary_text(entries)
    node = badge(classes=["deepqed-verification", "passed" if ok else "failed"])
    summary = badge_summary()
    summary += nodes.inline(text=line, classes=["deepqed-line"])
    body = nodes.container(classes=["deepqed-details"])
    if tier:
        summary += nodes.inline(text=" · ", classes=["deepqed-sep"])
        summary += nodes.inline(text=tier, classes=["deepqed-tier", tier])
        tier_note = nodes.paragraph(classes=["deepqed-tier-note"])
        tier_note += nodes.Text(f"Trust tier: {tier} ({TIERS.get(tier, tier)}).")
        body += tier_note
    node += summary
    for e in entries:
        body.extend(_witness_block(e, (reasons or {}).get(e.get("witness") or "", "")))
    node += body
    return node


# --- writers ---------------------------------------------------------------------------------


def visit_badge_html(self: Any, node: badge) -> None:
    self.body.append(self.starttag(node, "details", ""))


def depart_badge_html(self: Any, node: badge) -> None:
    self.body.append("</details>\n")


def visit_summary_html(self: Any, node: badge_summary) -> None:
    self.body.append(self.starttag(node, "summary", ""))


def depart_summary_html(self: Any, node: badge_summary) -> None:
    self.body.append("</summary>\n")


def visit_badge_latex(self: Any, node: badge) -> None:
    """The line alone, small, after the statement: "Verified: 3 witnesses, 520 instances (sharp)"."""
    from sphinx.util.texescape import escape

    line = node.next_node(badge_summary).astext().replace("✓", "Verified:").replace("✘", "FAILED:")
    line = line.replace("○", "").replace(" · ", ", ").strip()
    self.body.append("\n\n{\\small\\itshape " + escape(line) + "}\n\n")
    raise nodes.SkipNode


def visit_badge_text(self: Any, node: badge) -> None:
    self.add_text(node.next_node(badge_summary).astext())
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Node) -> None:
    pass


WRITERS = {
    badge: {
        "html": (visit_badge_html, depart_badge_html),
        "latex": (visit_badge_latex, _pass),
        "text": (visit_badge_text, _pass),
        "man": (_skip, _pass),
        "texinfo": (_skip, _pass),
    },
    badge_summary: {
        "html": (visit_summary_html, depart_summary_html),
        "latex": (_skip, _pass),
        "text": (_skip, _pass),
        "man": (_skip, _pass),
        "texinfo": (_skip, _pass),
    },
}
