"""Sphinx extension: verification results beside every numbered statement, offline MathJax.

* At the start of a build the extension checks that the book and the claims registry agree
  (:func:`deepqed.consistency.problems`) and runs every witness
  (:func:`deepqed.verify.run`) with the seed ``deepqed_seed``; results are cached under the output
  folder, keyed by a hash of deepqed's sources, so an unchanged book does not run them again.
  A disagreement, a failing witness or a witness that raises is a Sphinx warning at the
  statement's file and line, hence an error under ``-W``.
* After each document is read, every ``{prf:...}`` statement with a label receives a box with its
  results: its trust tier, each witness's status and instances, a link to the witness's source
  in the book's *Witnesses* appendix, and every comparison it made (what, measured against
  reference in its own units, tolerance or bound ratio).
* After reading, a statement with results that received no box (its node was not found) is a
  warning at the statement's file and line: no statement is skipped silently.
* MathJax 3 is copied from the ``django-static-mathjax`` package into the build's ``_static``
  folder, so the mathematics renders with no network access.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .. import consistency, registry
from ..registry import Book, Unwitnessed
from ..verify import Result, run, source_fingerprint

logger = logging.getLogger(__name__)

MATHJAX_ENTRY = "mathjax/tex-chtml-full.js"
_MATHJAX_PARTS = ("tex-chtml-full.js", "output/chtml", "input/tex", "ui", "a11y", "adaptors")
_CSS = Path(__file__).with_name("deepqed.css")


def _mathjax_source() -> Path:
    import mathjax  # the django-static-mathjax distribution

    root = Path(next(iter(mathjax.__path__))) / "static" / "mathjax" / "es5"
    if not (root / "tex-chtml-full.js").is_file():
        raise FileNotFoundError(f"MathJax files not found under {root}")
    return root


def _stage_static(app: Sphinx) -> None:
    """Copy the MathJax subset and the extension's CSS into a folder on ``html_static_path``."""
    staged = Path(app.doctreedir).parent / "_deepqed_static"
    target = staged / "mathjax"
    src = _mathjax_source()
    if not (target / "tex-chtml-full.js").is_file():
        for part in _MATHJAX_PARTS:
            s, t = src / part, target / part
            if s.is_dir():
                shutil.copytree(s, t, dirs_exist_ok=True)
            else:
                t.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(s, t)
    shutil.copy2(_CSS, staged / "deepqed.css")
    if str(staged) not in app.config.html_static_path:
        app.config.html_static_path.append(str(staged))


def _config_inited(app: Sphinx, config: Any) -> None:
    config.mathjax_path = MATHJAX_ENTRY
    app.add_css_file("deepqed.css")


def book_of(app: Sphinx) -> Book:
    """The book being built: its source folder and the configured witness package."""
    return registry.load(app.srcdir, witness_package=app.config.deepqed_witness_package or None)


def _load_results(app: Sphinx) -> tuple[str, dict[str, list[dict]]]:
    """The cache key (a hash of the sources and the seed) and the results stored under it."""
    seed = int(app.config.deepqed_seed)
    book = book_of(app)
    key = source_fingerprint(book, seed)
    cache = Path(app.outdir) / ".deepqed-verify.json"
    if cache.is_file():
        try:
            stored = json.loads(cache.read_text())
            if stored.get("key") == key:
                return key, stored["results"]
        except (ValueError, KeyError):
            pass
    logger.info("deepqed: running the witnesses (seed %d)", seed)

    def report(r: Result, done: int, total: int) -> None:
        logger.info("deepqed: [%d/%d] %s %s: %s", done, total, r.label, r.witness, r.status)

    results: dict[str, list[dict]] = {}
    for r in run(book, seed=seed, on_result=report):
        results.setdefault(r.label, []).append(r.to_json())
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "results": results}))
    return key, results


def _docname(app: Sphinx, path: str) -> str:
    """The Sphinx document name of a source path (for warning locations)."""
    return app.env.path2doc(path) or path


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        _stage_static(app)
    for problem in consistency.problems(book_of(app)):
        logger.warning("deepqed registry: %s", problem, type="deepqed", subtype="registry")
    key, results = _load_results(app)
    for entries in results.values():
        for r in entries:
            if r["status"] in ("failed", "error"):
                logger.warning(
                    "deepqed: witness %s of %s %r %s: %s (max error %s, tolerance %s)",
                    r["witness"],
                    r["kind"],
                    r["label"],
                    r["status"],
                    r["detail"],
                    r["max_error"],
                    r["tolerance"],
                    location=(_docname(app, r["path"]), r["line"]),
                    type="deepqed",
                    subtype="witness",
                )
    app.env.deepqed_results = results  # type: ignore[attr-defined]
    app.env.deepqed_key = key  # type: ignore[attr-defined]


def _env_get_outdated(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list:
    """Re-read every document with numbered statements when the witness results changed."""
    key = getattr(env, "deepqed_key", None)
    if getattr(env, "deepqed_key_read", None) == key:
        return []
    env.deepqed_key_read = key
    return sorted({v["docname"] for v in getattr(env, "proof_list", {}).values()})


def _fmt(x: Any) -> str:
    if isinstance(x, str):  # "nan", "inf" from JSON
        return x
    return "—" if x is None else f"{x:.3g}"


_MATH = re.compile(r"\$([^$]+)\$")


def _rich_text(text: str) -> list[nodes.Node]:
    """Text with ``$...$`` pieces as inline mathematics (typeset by MathJax)."""
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


def _comparison_line(c: dict) -> nodes.paragraph:
    """One comparison: what, measured vs reference in its units, tolerance or ratio."""
    para = nodes.paragraph(classes=["deepqed-comparison", "passed" if c["passed"] else "failed"])
    para += nodes.inline(text="✔ " if c["passed"] else "✘ ")
    para += _rich_text(c["what"])
    if c.get("dtype"):
        para += nodes.Text(f" [{c['dtype']}]")
    para += nodes.Text(": ")
    units = f" {c['units']}" if c.get("units") else ""
    kind = c["kind"]
    if kind == "equal":
        text = (
            f"{_fmt(c['measured'])}{units} (reference {_fmt(c['reference'])}, "
            f"tolerance {_fmt(c['tolerance'])})"
        )
    elif kind == "rate":
        text = (
            f"fitted rate {_fmt(c['measured'])} against the proved {_fmt(c['reference'])} "
            f"(tolerance {_fmt(c['tolerance'])})"
        )
    elif kind in ("upper", "lower"):
        sign = "≤" if kind == "upper" else "≥"
        text = (
            f"measured {_fmt(c['measured'])} {sign} bound {_fmt(c['reference'])}{units}, "
            f"ratio {_fmt(c['ratio'])}"
        )
    else:
        text = (
            f"{_fmt(c['reference'])} in the {100 * c['level']:g}% interval "
            f"[{_fmt(c['low'])}, {_fmt(c['high'])}]{units} (estimate {_fmt(c['measured'])})"
        )
    if c.get("attains"):
        text += "; attainment"
    if c.get("at"):
        text += f"; at {c['at']}"
    para += nodes.Text(text)
    return para


def _box(entries: list[dict]) -> nodes.container:
    ok = all(e["status"] in ("passed", "unwitnessed") for e in entries)
    box = nodes.container(classes=["deepqed-verification", "passed" if ok else "failed"])
    tier = entries[0].get("strength")
    if tier:
        box += nodes.paragraph(
            "", "", nodes.inline(text=f"Trust tier: {tier}", classes=["deepqed-tier", tier])
        )
    for e in entries:
        para = nodes.paragraph(classes=["deepqed-result", e["status"]])
        if e["status"] == "unwitnessed":
            lead = (
                "Proof cited: "
                if e.get("witness_strength") == "cited"
                else "Not tested numerically: "
            )
            para += nodes.strong(text=lead)
            para += _rich_text(e["detail"])
            box += para
            continue
        word = {"passed": "Verified", "failed": "FAILED", "error": "ERROR"}[e["status"]]
        para += nodes.strong(text=f"{'✔' if e['status'] == 'passed' else '✘'} {word}")
        para += nodes.Text(" by ")
        ref = addnodes.pending_xref(
            "",
            nodes.literal(text=e["witness"]),
            refdomain="py",
            reftype="func",
            reftarget=e["source"].replace(":", "."),
            refexplicit=True,
            refwarn=True,
        )
        para += ref
        para += nodes.Text(": ")
        para += _rich_text(e["summary"])
        if e["status"] == "error":
            para += nodes.Text(f". The witness raised {e['detail']}.")
        else:
            para += nodes.Text(f". {e['instances']} instances; {e['seconds']:.2f} s.")
        box += para
        for c in e.get("comparisons", []):
            box += _comparison_line(c)
    return box


def _failed_cell_line(source: Path, traceback_text: str) -> int | None:
    """The line of the ``{code-cell}`` fence whose source appears in nbclient's traceback."""
    parts = traceback_text.split("------------------")
    if len(parts) < 3:
        return None
    cell = parts[1].strip("\n")
    text = source.read_text(encoding="utf-8")
    at = text.find(cell)
    if not cell.strip() or at < 0:
        return None
    fence = text.rfind("{code-cell}", 0, at)
    return text.count("\n", 0, fence if fence >= 0 else at) + 1


def _report_failed_cells(app: Sphinx, doctree: nodes.document) -> None:
    """Name the file and line of a code cell whose execution failed (MyST-NB names the file only)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    data = NbMetadataCollector.get_exec_data(app.env, app.env.docname)
    if not data or not data.get("traceback"):
        return
    source = Path(app.env.doc2path(app.env.docname))
    tb = re.sub(r"\x1b\[[0-9;]*m", "", data["traceback"]).strip()  # drop ANSI colours
    last = tb.splitlines()[-1] if tb else "an error"
    logger.warning(
        "deepqed: a code cell failed: %s",
        last,
        location=(app.env.docname, _failed_cell_line(source, tb)),
        type="deepqed",
        subtype="cell",
    )


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    _report_failed_cells(app, doctree)
    results = getattr(app.env, "deepqed_results", {})
    boxed = _boxed(app.env).setdefault(app.env.docname, set())
    for node in list(
        doctree.findall(lambda n: isinstance(n, nodes.Element) and "realtype" in n.attributes)
    ):
        label = node.get("label", "")
        if label in results:
            node += _box(results[label])
            boxed.add(label)


def _boxed(env: Any) -> dict[str, set[str]]:
    """Per document, the labels whose statement received a verification box."""
    if not hasattr(env, "deepqed_boxed"):
        env.deepqed_boxed = {}
    return env.deepqed_boxed


def _env_purge_doc(app: Sphinx, env: Any, docname: str) -> None:
    _boxed(env).pop(docname, None)


def _env_merge_info(app: Sphinx, env: Any, docnames: set, other: Any) -> None:
    _boxed(env).update({d: v for d, v in _boxed(other).items() if d in docnames})


def _check_boxes(app: Sphinx, env: Any) -> None:
    """Every statement with results shows them: a statement the extension did not find (its node
    lacks the label sphinx-proof normally sets) is a warning, not a silently missing box."""
    boxed = set().union(*_boxed(env).values())
    for label, rows in getattr(env, "deepqed_results", {}).items():
        if label not in boxed:
            r = rows[0]
            logger.warning(
                "deepqed: %s %r has verification results, but no statement node "
                "carrying its label was found to show them",
                r["kind"],
                label,
                location=(_docname(app, r["path"]), r["line"]),
                type="deepqed",
                subtype="box",
            )


def _shift(number: Any, offset: int) -> Any:
    if not number:
        return number
    return type(number)([number[0] + offset, *number[1:]])


def _continue_numbering(app: Sphinx, env: Any) -> list[str]:
    """Number the chapters in one sequence across the parts.

    The book's table of contents has one numbered toctree per part (one sidebar caption each);
    Sphinx restarts the numbering in every numbered toctree, so after it has assigned section and
    figure numbers this handler gives each chapter its place in the book
    (:attr:`deepqed.registry.Chapter.number`): its section numbers are shifted, and its numbered
    statements, figures and exercises are counted from 1 within the chapter (Sphinx's counters,
    keyed by the restarted chapter number, ran on from another part's chapter of the same
    number). Each chapter is one document, so counting within the document is counting within
    the chapter. Returns the documents whose numbers it changed.
    """
    changed = []
    for ch in book_of(app).chapters:
        doc = ch.source.removesuffix(".md")
        secnums = env.toc_secnumbers.get(doc)
        if not secnums or not secnums.get(""):
            continue
        offset = ch.number - secnums[""][0]
        figs = env.toc_fignumbers.get(doc, {})
        renumbered = {}
        for figtype, ids in figs.items():
            order = sorted(ids, key=lambda k: ids[k])
            renumbered[figtype] = {k: (ch.number, i) for i, k in enumerate(order, start=1)}
        if offset == 0 and renumbered == figs:
            continue
        env.toc_secnumbers[doc] = {k: _shift(v, offset) for k, v in secnums.items()}
        env.toc_fignumbers[doc] = renumbered
        for toc in [env.tocs.get(doc), env.titles.get(doc)]:
            for node in toc.findall(nodes.Element) if toc is not None else ():
                if node.get("secnumber"):
                    node["secnumber"] = _shift(node["secnumber"], offset)
        changed.append(doc)
    return changed


class WitnessIndex(SphinxDirective):
    """``{deepqed-witnesses}``: every chapter's witnesses, statement by statement, with autodoc
    entries (docstring and a link to the source) generated from the registry.

    The generated text is reStructuredText inside a MyST ``eval-rst`` block, parsed in place.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        book = book_of(self.env.app)
        lines: list[str] = []
        documented: set[str] = set()  # a witness of several statements is documented once
        for ch in book.chapters:
            lines += [f".. rubric:: {ch.number}. {ch.title}", ""]
            for st in book.statements:
                entries = book.entries_for(st.label)
                if st.chapter != ch.slug or not entries:
                    continue
                lines += [f"*{st.kind.capitalize()}* :prf:ref:`{st.label}`", ""]
                for entry in entries:
                    if isinstance(entry, Unwitnessed):
                        lead = (
                            "Proof cited" if entry.strength == "cited" else "Not tested numerically"
                        )
                        lines += [f"{lead}: {entry.reason}", ""]
                    elif (target := entry.source.replace(":", ".")) in documented:
                        lines += [f"Also checked by :func:`{target}` (above).", ""]
                    else:
                        documented.add(target)
                        lines += [f".. autofunction:: {target}", "   :no-index-entry:", ""]
        # autodoc emits reStructuredText, so the generated text goes through an eval-rst block
        block = ["```{eval-rst}", *lines, "```"]
        container = nodes.container(classes=["deepqed-witness-index"])
        self.state.nested_parse(StringList(block, source="deepqed-witnesses"), 0, container)
        return [container]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("deepqed_seed", 0, "env", types=frozenset({int}))
    # Where the chapters' witness packages live (the registry reads the same value from conf.py)
    app.add_config_value("deepqed_witness_package", "", "env", types=frozenset({str}))
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("env-get-updated", _continue_numbering, priority=600)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-purge-doc", _env_purge_doc)
    app.connect("env-merge-info", _env_merge_info)
    app.connect("env-check-consistency", _check_boxes)
    app.add_directive("deepqed-witnesses", WitnessIndex)
    app.setup_extension("deepqed.sphinxext.atlas")  # the tightness atlas, the tier counts
    return {
        "version": "0.1",
        "env_version": 2,  # 2: env.deepqed_boxed
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
