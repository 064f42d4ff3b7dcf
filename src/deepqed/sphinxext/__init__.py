"""Sphinx extension: verification results beside every numbered statement, offline MathJax, and
the book as readers meet it.

* At the start of a build the extension checks that the book and the claims registry agree
  (:func:`deepqed.consistency.problems`) and runs every witness
  (:func:`deepqed.verify.run`) with the seed ``deepqed_seed``; results are cached under the output
  folder, keyed by a hash of deepqed's sources, so an unchanged book does not run them again.
  A disagreement, a failing witness or a witness that raises is a Sphinx warning at the
  statement's file and line, hence an error under ``-W``.
* After each document is read, every ``{prf:...}`` statement with a label receives its
  verification badge (:mod:`.badge`: one line, the details on click), every proof its ∎ and
  every figure its caption as alt text (:mod:`.statements`).
* After reading, a statement with results that received no badge (its node was not found) is a
  warning at the statement's file and line: no statement is skipped silently.
* The *Witnesses* page is a table per chapter (:mod:`.witness_table`); the statement index and
  the search list statements by number, title and label (:mod:`.statements`); each chapter is
  offered as a notebook and as MyST source (:mod:`.downloads`); the LaTeX builder places the
  solutions (:mod:`.pdf`).
* MathJax 3 is copied from the ``django-static-mathjax`` package into the build's ``_static``
  folder, so the mathematics renders with no network access; ``deepqed.css`` and ``deepqed.js``
  style the badges and repair the theme (navigation buttons, inline formulas cut off).
* The notebook kernels draw their figures at twice their displayed resolution.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from .. import consistency, registry
from ..registry import Book, Witness
from ..verify import Result, run, source_fingerprint
from . import downloads, pdf
from .badge import WRITERS, make_badge
from .statements import ProofDomainWithNumbers, StatementDomain, describe_figures, end_proofs
from .witness_table import WitnessIndex, docstring_to_rst

logger = logging.getLogger(__name__)

MATHJAX_ENTRY = "mathjax/tex-chtml-full.js"
_MATHJAX_PARTS = ("tex-chtml-full.js", "output/chtml", "input/tex", "ui", "a11y", "adaptors")
_STATIC = ("deepqed.css", "deepqed.js")


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
    for name in _STATIC:
        shutil.copy2(Path(__file__).with_name(name), staged / name)
    if str(staged) not in app.config.html_static_path:
        app.config.html_static_path.append(str(staged))


def _config_inited(app: Sphinx, config: Any) -> None:
    config.mathjax_path = MATHJAX_ENTRY
    app.add_css_file("deepqed.css")
    app.add_js_file("deepqed.js", loading_method="defer")


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


def _sharp_figures(app: Sphinx) -> None:
    """Figures drawn by the chapters' code at twice their displayed resolution: the notebook
    kernels that MyST-NB starts read an IPython configuration that asks matplotlib's inline
    backend for "retina" PNGs (the PNG carries its display size, so the page lays it out at 1x).
    """
    folder = Path(app.doctreedir) / "ipython"
    config = folder / "profile_default" / "ipython_kernel_config.py"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('c.InlineBackend.figure_formats = {"retina"}\n')
    os.environ["IPYTHONDIR"] = str(folder)


def _builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        _stage_static(app)
    _sharp_figures(app)
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
    """Re-read every document with numbered statements, and the Witnesses page, when the witness
    results changed."""
    key = getattr(env, "deepqed_key", None)
    if getattr(env, "deepqed_key_read", None) == key:
        return []
    env.deepqed_key_read = key
    docs = {v["docname"] for v in getattr(env, "proof_list", {}).values()}
    return sorted(docs | set(getattr(env, "deepqed_witness_docs", set())))


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
    book = book_of(app)
    for node in list(
        doctree.findall(lambda n: isinstance(n, nodes.Element) and "realtype" in n.attributes)
    ):
        label = node.get("label", "")
        if label in results:
            reasons = {
                getattr(e, "name", ""): getattr(e, "reason", "") or ""
                for e in book.entries_for(label)
                if isinstance(e, Witness)
            }
            node += make_badge(results[label], reasons)
            boxed.add(label)
    end_proofs(app, doctree)
    describe_figures(app, doctree)


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
    app.connect("autodoc-process-docstring", docstring_to_rst)
    for node, writers in WRITERS.items():
        app.add_node(node, override=True, **writers)
    app.add_domain(StatementDomain)
    app.add_domain(ProofDomainWithNumbers, override=True)
    downloads.setup(app)
    pdf.setup(app)
    return {
        "version": "0.1",
        "env_version": 5,  # 2: env.deepqed_boxed; 3: badges; 4, 5: witnesses page
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
