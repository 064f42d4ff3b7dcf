"""Run the registry's witnesses and collect their results.

Used by ``deepqed verify``, by the book's Sphinx extension (to show each result beside its
statement) and by the test suite. Results are deterministic for a given seed: each witness receives
a generator derived from the seed and its own name (:func:`deepqed.registry.witness_rng`).

Witnesses run in a worker process, one at a time per worker, each under its time limit
(:attr:`deepqed.registry.Witness.timeout`, seconds of processor time, so that a loaded machine
does not fail a witness; a witness blocked without computing is stopped after :data:`WALL_FACTOR`
times its limit of wall-clock time): a witness that hangs (a reference solver that never stops,
say) is killed with its worker and reported as an error naming it; the next witness gets a
fresh worker. A witness that raises is reported as an error too; nothing a witness does stops the
run.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import multiprocessing
import os
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from . import registry
from .evidence import Evidence, worst
from .registry import Book, Statement, Unwitnessed, Witness

__all__ = ["Result", "select", "run", "run_one", "evaluate", "source_fingerprint", "STATUSES"]

#: ``passed``/``failed``/``error`` for witnesses; ``unwitnessed`` for a statement whose registry
#: entry is a stated reason or a cited source (it counts as success: the reason is shown with it).
STATUSES = ("passed", "failed", "error", "unwitnessed")


@dataclass(frozen=True)
class Result:
    """One witness's outcome, or a stated reason, for one labelled statement.

    ``max_error`` and ``tolerance`` are those of the comparison closest to failing (its
    deviation from the reference in the direction that matters, and its tolerance);
    ``comparisons`` lists every comparison (:meth:`deepqed.evidence.Comparison.to_json`).
    ``strength`` is the statement's trust tier, ``witness_strength`` this entry's.
    """

    label: str
    kind: str
    title: str
    chapter: str
    number: str
    witness: str
    summary: str
    status: str
    strength: str | None
    witness_strength: str | None
    instances: int
    max_error: float | None
    tolerance: float | None
    seconds: float
    detail: str
    source: str
    path: str
    line: int
    comparisons: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("passed", "unwitnessed")

    def to_json(self) -> dict:
        d = asdict(self)
        for k in ("max_error", "tolerance"):  # JSON has no NaN/inf
            v = d[k]
            if v is not None and not math.isfinite(v):
                d[k] = str(v)
        return d


def select(
    book: Book, labels: Iterable[str] | None = None, chapter: str | int | None = None
) -> list[tuple[Statement, Witness | Unwitnessed]]:
    """The registry entries to run, in book order, filtered by labels and/or chapter (slug or
    number).

    Raises ``ValueError`` naming an unknown label or chapter, or a label that selects no entry
    (an exercise, a remark, or a statement of another chapter than ``chapter``).
    """
    by_label = book.by_label()
    slug = book.chapter(chapter).slug if chapter is not None else None
    wanted = None if labels is None else list(labels)
    for lab in wanted or ():
        if lab not in by_label:
            raise ValueError(f"unknown label {lab!r}: no numbered statement carries it")
    entries = [(c.statement, c.entry) for c in book.claims if c.statement is not None]
    if wanted is not None:
        entries = [e for e in entries if e[0].label in wanted]
    if slug is not None:
        entries = [e for e in entries if e[0].chapter == slug]
    for lab in wanted or ():  # a selected label must run something: never an empty success
        if not any(s.label == lab for s, _ in entries):
            s = by_label[lab]
            where = (
                f"it is in chapter {s.chapter!r}, not {slug!r}"
                if slug is not None and s.chapter != slug
                else f"the {s.kind} has no registry entry"
            )
            raise ValueError(f"label {lab!r} selects nothing to verify: {where}")
    return entries


def evaluate(witness: Witness, seed: int) -> Evidence:
    """Run one witness at ``seed`` (over its dtypes, if it has any) in this process and return its
    evidence. Exceptions propagate."""
    if not witness.dtypes:
        return _as_evidence(witness.check(registry.witness_rng(seed, witness)))
    parts = []
    for name in witness.dtypes:
        ev = _as_evidence(
            witness.check(registry.witness_rng(seed, witness, name), dtype=np.dtype(name))
        )
        parts.append(ev.with_dtype(name))
    return Evidence(
        sum(p.instances for p in parts),
        tuple(c for p in parts for c in p.comparisons),
        "; ".join(p.note for p in parts if p.note),
    )


def _as_evidence(out: Any) -> Evidence:
    if isinstance(out, registry.Figures):
        return out.evidence()
    if not isinstance(out, Evidence):
        raise TypeError(f"witness returned {type(out).__name__}, not Evidence")
    return out


def _tier_problem(witness: Witness, ev: Evidence) -> str:
    """Why the declared tier does not match the evidence ('' when it does)."""
    bounds = [c for c in ev.comparisons if c.kind in ("upper", "lower")]
    if witness.strength == "exact" and bounds:
        return (
            f"declared 'exact' but makes {len(bounds)} bound comparison(s); an exact witness "
            "compares equalities (declare 'sharp' or 'validity')"
        )
    if witness.strength == "sharp" and not (bounds and any(c.attains for c in ev.comparisons)):
        return (
            "declared 'sharp' but does not make both a bound comparison and an attaining "
            "one (attains=True)"
        )
    return ""


def _outcome(witness: Witness, seed: int) -> dict[str, Any]:
    """Run a witness and summarise it as plain data (what a worker sends back)."""
    start = time.perf_counter()
    try:
        ev = evaluate(witness, seed)
    except Exception as exc:  # a witness that crashes is reported, not propagated
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return dict(status="error", detail=tb, seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    comps = [c.to_json() for c in ev.comparisons]
    w = worst(ev.comparisons)
    detail = "; ".join(c.describe() for c in ev.comparisons)
    if ev.note:
        detail = f"{ev.note}. {detail}" if detail else ev.note
    problem = _tier_problem(witness, ev)
    if not ev.comparisons:
        status, detail = "error", "the witness made no comparison"
    elif ev.instances <= 0:
        status, detail = "error", "the witness drew no instance"
    elif problem:
        status, detail = "error", problem
    else:
        status = "passed" if ev.passed else "failed"
    return dict(
        status=status,
        detail=detail,
        seconds=seconds,
        instances=ev.instances,
        max_error=w.deviation if w else None,
        tolerance=w.tolerance if w else None,
        comparisons=comps,
    )


def _result(
    book: Book, statement: Statement, entry: Witness | Unwitnessed, outcome: dict[str, Any]
) -> Result:
    common = dict(
        label=statement.label,
        kind=statement.kind,
        title=statement.title,
        chapter=statement.chapter,
        number=statement.number,
        path=str(statement.path),
        line=statement.line,
        strength=book.strength(statement.label),
        witness_strength=entry.strength,
    )
    if isinstance(entry, Unwitnessed):
        return Result(
            **common,
            witness="",
            summary=entry.reason,
            status="unwitnessed",
            instances=0,
            max_error=None,
            tolerance=None,
            seconds=0.0,
            detail=entry.reason,
            source="",
        )
    return Result(
        **common,
        witness=entry.name,
        summary=entry.summary,
        status=outcome["status"],
        instances=outcome.get("instances", 0),
        max_error=outcome.get("max_error"),
        tolerance=outcome.get("tolerance"),
        seconds=outcome["seconds"],
        detail=outcome["detail"],
        source=entry.source,
        comparisons=outcome.get("comparisons", []),
    )


def run_one(book: Book, statement: Statement, entry: Witness | Unwitnessed, seed: int) -> Result:
    """Run one registry entry in this process (no time limit)."""
    outcome = {} if isinstance(entry, Unwitnessed) else _outcome(entry, seed)
    return _result(book, statement, entry, outcome)


# --- the worker process ------------------------------------------------------------------------
#: A witness's time limit counts the processor time of its process (a loaded machine does not make
#: a witness fail); one that is blocked without computing is stopped after this many times its
#: limit in wall-clock time.
WALL_FACTOR = 10.0


def _cpu_seconds(pid: int | None) -> float | None:
    """Processor time used by process ``pid`` and its waited-for children (user and system), from
    ``/proc``; ``None`` where that cannot be read (the limit then counts wall-clock time)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields 14-17 of proc(5), counted from the state (field 3) here: utime, stime, cutime, cstime
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _worker(conn: Any, root: str, package: str) -> None:
    """Receive ``(index, seed)``, run the book's ``index``-th witness, send its outcome back."""
    book = registry.load(root, witness_package=package)
    witnesses = book.witnesses()
    conn.send("ready")  # the imports above must not count against the first witness's limit
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        index, seed = job
        conn.send(_outcome(witnesses[index], seed))


class _Worker:
    def __init__(self, book: Book) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=_worker, args=(child, str(book.root), book.witness_package), daemon=True
        )
        self.proc.start()
        child.close()
        # wait for the worker's imports (seconds; minutes on a loaded machine) before any witness
        # is timed; a worker that never gets ready is reported by the first ask
        if self.conn.poll(600):
            try:
                self.conn.recv()
            except (EOFError, OSError):
                pass

    def ask(self, index: int, seed: int, timeout: float) -> dict[str, Any] | str:
        """The outcome, or why there is none: the witness used more than ``timeout`` seconds of
        processor time, or more than :data:`WALL_FACTOR` times as many seconds of wall-clock
        time, or its process died (the worker is then unusable)."""
        start_wall = time.monotonic()
        start_cpu = _cpu_seconds(self.proc.pid)
        try:
            self.conn.send((index, seed))
            while True:
                waited = time.monotonic() - start_wall
                if waited > WALL_FACTOR * timeout:
                    return (
                        f"the witness did not finish within {WALL_FACTOR * timeout:g} s of "
                        f"wall-clock time ({WALL_FACTOR:g} times its time limit of {timeout:g} s; "
                        "it was waiting, not computing) and was stopped"
                    )
                if self.conn.poll(min(0.25, WALL_FACTOR * timeout - waited)):
                    return self.conn.recv()
                cpu = _cpu_seconds(self.proc.pid)
                used = cpu - start_cpu if cpu is not None and start_cpu is not None else waited
                if used > timeout:
                    kind = "processor" if cpu is not None else "wall-clock"
                    return (
                        f"the witness did not finish within {timeout:g} s of {kind} time (its "
                        "time limit) and was stopped"
                    )
        except (EOFError, OSError):
            self.proc.join(5)  # it died: collect its exit code
            return f"the witness process died (exit code {self.proc.exitcode})"

    def close(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def run(
    book: Book | None = None,
    labels: Iterable[str] | None = None,
    chapter: str | int | None = None,
    seed: int = 0,
    on_result: Callable[[Result, int, int], None] | None = None,
    *,
    timeout: float | None = None,
    isolate: bool = True,
) -> list[Result]:
    """Run the selected witnesses; ``on_result(result, done, total)`` is called after each.

    With ``isolate`` (the default) they run in a worker process under their time limits
    (``timeout`` overrides every witness's own); without it, in this process with no limit.
    """
    book = book or registry.load()
    entries = select(book, labels, chapter)
    index = {id(w): i for i, w in enumerate(book.witnesses())}
    results: list[Result] = []
    worker: _Worker | None = None
    try:
        for i, (statement, entry) in enumerate(entries, start=1):
            if isinstance(entry, Unwitnessed):
                r = _result(book, statement, entry, {})
            elif not isolate:
                r = run_one(book, statement, entry, seed)
            else:
                worker = worker or _Worker(book)
                limit = entry.timeout if timeout is None else timeout
                start = time.perf_counter()
                outcome = worker.ask(index[id(entry)], seed, limit)
                if isinstance(outcome, str):
                    worker.close(kill=True)
                    worker = None
                    outcome = dict(
                        status="error", detail=outcome, seconds=time.perf_counter() - start
                    )
                r = _result(book, statement, entry, outcome)
            results.append(r)
            if on_result is not None:
                on_result(r, i, len(entries))
    finally:
        if worker is not None:
            worker.close()
    return results


def _dependencies() -> list[str]:
    """The distributions deepqed depends on (its witnesses compare with them)."""
    try:
        reqs = importlib.metadata.requires("deepqed") or []
    except importlib.metadata.PackageNotFoundError:
        return []
    names = []
    for r in reqs:
        if "extra ==" in r:
            continue
        m = re.match(r"[A-Za-z0-9._-]+", r)
        if m:
            names.append(m.group(0))
    return sorted(set(names))


#: Subpackages that present results and never compute them: a change there (the book's styling,
#: the command line) does not make stored witness results stale.
_PRESENTATION = frozenset({"sphinxext", "cli", "book.py", "plaintext.py", "dependencies.py"})


def source_fingerprint(book: Book, seed: int) -> str:
    """A hash of deepqed's sources, the book's statements, the seed and the versions of every
    library deepqed depends on (the witnesses compare with them: torch, SciPy, scikit-learn,
    SymPy, ...).

    Results stored under this key stay valid while none of them changes (the book build uses it
    to avoid running the witnesses again when nothing they depend on changed).
    """
    from pathlib import Path

    h = hashlib.sha256(f"seed={seed};package={book.witness_package}".encode())
    for dist in _dependencies():
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist}=absent".encode())
    pkg = Path(__file__).resolve().parent
    roots = [pkg]
    top = book.witness_package.split(".")[0]
    if top != "deepqed":
        mod = __import__(top)
        roots += [Path(p) for p in getattr(mod, "__path__", [])]
    for root in roots:
        for p in sorted(root.rglob("*.py")):
            if root == pkg and p.relative_to(root).parts[0] in _PRESENTATION:
                continue
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    for s in book.statements:
        h.update(json.dumps([s.label, s.kind, s.title, s.chapter, s.number]).encode())
    return h.hexdigest()
