"""Run the registry's witnesses and collect their results.

Used by ``deepqed verify``, by the book's Sphinx extension (to print each result beside its
statement) and by the test suite. Results are deterministic for a given seed: each witness receives
a generator derived from the seed and its own name (:func:`deepqed.registry.witness_rng`).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import math
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from . import registry
from .registry import Unwitnessed, Witness

__all__ = ["Result", "select", "run", "run_one", "source_fingerprint", "STATUSES"]

#: ``passed``/``failed``/``error`` for witnesses; ``unwitnessed`` for a statement whose registry
#: entry is a stated reason (it counts as success: the reason is printed with it).
STATUSES = ("passed", "failed", "error", "unwitnessed")

_WITNESS_DEPENDENCIES = ("numpy", "scipy", "torch", "sympy", "mpmath", "array-api-compat")


@dataclass(frozen=True)
class Result:
    """One witness's outcome, or a stated reason, for one labelled statement."""

    label: str
    kind: str
    title: str
    chapter: str
    witness: str
    summary: str
    status: str
    instances: int
    max_error: float | None
    tolerance: float | None
    seconds: float
    detail: str
    source: str
    path: str
    line: int

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
    labels: Iterable[str] | None = None, chapter: str | None = None
) -> list[tuple[registry.Statement, Witness | Unwitnessed]]:
    """The registry entries to run, in book order, filtered by labels and/or chapter slug.

    Raises ``ValueError`` naming an unknown label or chapter, or a label that selects no entry
    (an exercise, a remark, or a statement of another chapter than ``chapter``).
    """
    by_label = {s.label: s for s in registry.statements()}
    if chapter is not None and chapter not in {c.slug for c in registry.CHAPTERS}:
        known = ", ".join(c.slug for c in registry.CHAPTERS)
        raise ValueError(f"unknown chapter {chapter!r}; the book has: {known}")
    wanted = None if labels is None else list(labels)
    if wanted is not None:
        for lab in wanted:
            if lab not in by_label:
                raise ValueError(f"unknown label {lab!r}: no numbered statement carries it")
    entries = [(by_label[c.label], c) for _, c in registry.claims() if c.label in by_label]
    order = {s.label: i for i, s in enumerate(registry.statements())}
    entries.sort(key=lambda e: order[e[0].label])
    if wanted is not None:
        entries = [e for e in entries if e[0].label in wanted]
    if chapter is not None:
        entries = [e for e in entries if e[0].chapter == chapter]
    for lab in wanted or ():  # a selected label must run something: never an empty success
        if not any(s.label == lab for s, _ in entries):
            s = by_label[lab]
            where = (
                f"it is in chapter {s.chapter!r}, not {chapter!r}"
                if chapter is not None and s.chapter != chapter
                else f"the {s.kind} has no registry entry"
            )
            raise ValueError(f"label {lab!r} selects nothing to verify: {where}")
    return entries


def run_one(statement: registry.Statement, entry: Witness | Unwitnessed, seed: int) -> Result:
    """Run one registry entry; an exception inside the witness gives status ``error``."""
    common = dict(
        label=statement.label,
        kind=statement.kind,
        title=statement.title,
        chapter=statement.chapter,
        path=str(statement.path),
        line=statement.line,
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
    start = time.perf_counter()
    try:
        fig = entry.check(registry.witness_rng(seed, entry))
        if isinstance(fig, registry.Figures):  # malformed figures are the witness's error too
            instances, max_error = int(fig.instances), float(fig.max_error)
            tolerance, passed = float(fig.tolerance), fig.passed
    except Exception as exc:  # a witness that crashes is reported, not propagated
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        return Result(
            **common,
            witness=entry.name,
            summary=entry.summary,
            status="error",
            instances=0,
            max_error=None,
            tolerance=None,
            seconds=time.perf_counter() - start,
            detail=tb,
            source=entry.source,
        )
    if not isinstance(fig, registry.Figures):
        return Result(
            **common,
            witness=entry.name,
            summary=entry.summary,
            status="error",
            instances=0,
            max_error=None,
            tolerance=None,
            seconds=time.perf_counter() - start,
            detail=f"witness returned {type(fig).__name__}, not Figures",
            source=entry.source,
        )
    return Result(
        **common,
        witness=entry.name,
        summary=entry.summary,
        status="passed" if passed else "failed",
        instances=instances,
        max_error=max_error,
        tolerance=tolerance,
        seconds=time.perf_counter() - start,
        detail=fig.detail,
        source=entry.source,
    )


def run(
    labels: Iterable[str] | None = None,
    chapter: str | None = None,
    seed: int = 0,
    on_result: Callable[[Result, int, int], None] | None = None,
) -> list[Result]:
    """Run the selected witnesses; ``on_result(result, done, total)`` is called after each."""
    entries = select(labels, chapter)
    results = []
    for i, (statement, entry) in enumerate(entries, start=1):
        r = run_one(statement, entry, seed)
        results.append(r)
        if on_result is not None:
            on_result(r, i, len(entries))
    return results


def source_fingerprint(seed: int) -> str:
    """A hash of deepqed's sources, the book's statements, the seed and the versions of the
    libraries the witnesses compare with.

    Results stored under this key stay valid while none of them changes (the book build uses it
    to avoid running the witnesses again when nothing they depend on changed).
    """
    h = hashlib.sha256(f"seed={seed}".encode())
    for dist in _WITNESS_DEPENDENCIES:  # the references the witnesses compare with
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist}=absent".encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*.py")):
        h.update(str(p.relative_to(pkg)).encode())
        h.update(p.read_bytes())
    for s in registry.statements():
        h.update(json.dumps([s.label, s.kind, s.title, s.chapter]).encode())
    return h.hexdigest()
