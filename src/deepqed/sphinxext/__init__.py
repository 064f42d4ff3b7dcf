"""Sphinx extension: verification results beside every numbered statement, offline MathJax.

* At the start of a build the extension checks that the book and the claims registry agree
  (:func:`deepqed.registry.consistency_problems`) and runs every witness
  (:func:`deepqed.verify.run`) with the seed ``deepqed_seed``; results are cached under the output
  folder, keyed by a hash of deepqed's sources, so an unchanged book does not run them again.
  A disagreement, a failing witness or a witness that raises is a Sphinx warning at the
  statement's file and line, hence an error under ``-W``.
* After each document is read, every ``{prf:...}`` statement with a label receives a box with its
  results: status, instances, worst error, tolerance, what was compared, and a link to the
  witness's source in the book's *Witnesses* appendix.
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

from .. import registry
from ..registry import Unwitnessed
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


def _load_results(app: Sphinx) -> tuple[str, dict[str, list[dict]]]:
    """The cache key (a hash of the sources and the seed) and the results stored under it."""
    seed = int(app.config.deepqed_seed)
    key = source_fingerprint(seed)
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
    for r in run(seed=seed, on_result=report):
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
    for problem in registry.consistency_problems():
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
    return f"{x:.1e}" if isinstance(x, (int, float)) else str(x)


def _box(entries: list[dict]) -> nodes.container:
    ok = all(e["status"] in ("passed", "unwitnessed") for e in entries)
    box = nodes.container(classes=["deepqed-verification", "passed" if ok else "failed"])
    for e in entries:
        para = nodes.paragraph(classes=["deepqed-result", e["status"]])
        if e["status"] == "unwitnessed":
            para += nodes.strong(text="Not tested numerically: ")
            para += nodes.Text(e["detail"])
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
        para += nodes.Text(f": {e['summary']}. ")
        if e["status"] == "error":
            para += nodes.Text(f"The witness raised {e['detail']}.")
        else:
            para += nodes.Text(
                f"{e['instances']} instances, worst error {_fmt(e['max_error'])} "
                f"{'≤' if e['status'] == 'passed' else '>'} tolerance {_fmt(e['tolerance'])}"
            )
            para += nodes.Text(f"; {e['seconds']:.2f} s.")
            if e["detail"]:
                para += nodes.inline(text=f" Measured: {e['detail']}.", classes=["deepqed-detail"])
        box += para
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


class WitnessIndex(SphinxDirective):
    """``{deepqed-witnesses}``: every chapter's witnesses, statement by statement, with autodoc
    entries (docstring and a link to the source) generated from the registry.

    The generated text is reStructuredText inside a MyST ``eval-rst`` block, parsed in place.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        documented: set[str] = set()  # a witness of several statements is documented once
        by_label: dict[str, list] = {}
        for _, entry in registry.claims():
            by_label.setdefault(entry.label, []).append(entry)
        for ch in registry.CHAPTERS:
            lines += [f".. rubric:: {ch.title}", ""]
            for st in registry.statements():
                if st.chapter != ch.slug or st.label not in by_label:
                    continue
                lines += [f"*{st.kind.capitalize()}* :prf:ref:`{st.label}`", ""]
                for entry in by_label[st.label]:
                    if isinstance(entry, Unwitnessed):
                        lines += [f"Not tested numerically: {entry.reason}", ""]
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
    app.connect("config-inited", _config_inited)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", _env_get_outdated)
    app.connect("doctree-read", _doctree_read)
    app.connect("env-purge-doc", _env_purge_doc)
    app.connect("env-merge-info", _env_merge_info)
    app.connect("env-check-consistency", _check_boxes)
    app.add_directive("deepqed-witnesses", WitnessIndex)
    return {
        "version": "0.1",
        "env_version": 2,  # 2: env.deepqed_boxed
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
