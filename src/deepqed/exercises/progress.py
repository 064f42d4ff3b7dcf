"""The reader's progress: every attempt, kept in a small SQLite database.

The database lives in ``platformdirs.user_data_dir("deepqed")``, or in the folder named by
``--data-dir`` or the environment variable ``DEEPQED_DATA_DIR``. One table, ``attempts`` (time,
exercise id, verdict, SHA-256 of the submitted file, checks passed / total, seconds).

Robustness: the journal is in WAL mode with ``synchronous = FULL``; every write is one
``BEGIN IMMEDIATE`` transaction, so a process killed mid-write leaves the database as it was
before that attempt (earlier attempts are never lost), and concurrent writers wait for each other
(``busy_timeout``) instead of failing. The schema version is ``PRAGMA user_version``; opening an
older database migrates it in one transaction (:data:`MIGRATIONS`), a newer one is refused.

The state of an exercise (:meth:`Store.status`, and the counts of :meth:`Store.summary`) is one
of :data:`STATES`, the best of its attempts:

* ``"solved"`` (:data:`SOLVED`): some attempt passed the checker (``deepqed exercise check``);
* ``"self-marked"`` (:data:`SELF_MARKED`): a proof the reader marked as done
  (``deepqed exercise mark``): nothing checked it, and it is never counted as solved;
* ``"attempted"`` (:data:`ATTEMPTED`): attempts, none of them passed;

an exercise without attempts is absent. In the database, an attempt's ``verdict`` is the
checker's (``passed``, ``failed``, ``unusable``) or ``self-marked``.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

__all__ = [
    "SOLVED",
    "SELF_MARKED",
    "ATTEMPTED",
    "STATES",
    "SCHEMA_VERSION",
    "MIGRATIONS",
    "ENV_VAR",
    "data_dir",
    "Store",
    "ChapterProgress",
    "file_sha256",
]

ENV_VAR = "DEEPQED_DATA_DIR"

SOLVED = "solved"
"""Some attempt passed the checker."""
SELF_MARKED = "self-marked"
"""A proof the reader marked as done; not checked by the machine."""
ATTEMPTED = "attempted"
"""Attempts, none passed."""
STATES = (SOLVED, SELF_MARKED, ATTEMPTED)
"""The states of an exercise, best first."""

#: version -> the statements that bring a database from the previous version to it.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE IF NOT EXISTS attempts ("
        " id INTEGER PRIMARY KEY,"
        " time TEXT NOT NULL,"  # ISO 8601, UTC
        " exercise TEXT NOT NULL,"  # the exercise id (the book label)
        " verdict TEXT NOT NULL"
        " CHECK (verdict IN ('passed', 'failed', 'unusable', 'self-marked')),"
        " sha256 TEXT)",  # of the submitted file; NULL for a self-marked proof
        "CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (exercise)",
    ),
    2: (  # what a check found, for the report of course mode and `progress --json`
        "ALTER TABLE attempts ADD COLUMN checks_passed INTEGER",
        "ALTER TABLE attempts ADD COLUMN checks_total INTEGER",
        "ALTER TABLE attempts ADD COLUMN seconds REAL",
    ),
}
SCHEMA_VERSION = max(MIGRATIONS)
_BUSY_MS = 30_000

T = TypeVar("T")


def _retry(action: Callable[[], T], seconds: float = 30.0) -> T:
    """``action()``, retried while another process holds the database's lock."""
    until = time.monotonic() + seconds
    while True:
        try:
            return action()
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e) or time.monotonic() > until:
                raise
            time.sleep(0.01)


def data_dir(override: str | Path | None = None) -> Path:
    """``override``, else ``$DEEPQED_DATA_DIR``, else the platform's user data folder."""
    if override:
        return Path(override)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("deepqed"))


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class ChapterProgress:
    """One chapter's counts: ``solved`` (passed the checker), ``self_marked`` (proofs marked by
    the reader, not among the solved), ``attempted`` (every exercise with an attempt, the solved
    and self-marked ones included) and ``total``."""

    chapter: str
    title: str
    solved: int
    attempted: int
    total: int
    self_marked: int = 0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class Store:
    """The attempts database in ``folder`` (created on first use)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = data_dir(folder)
        self.path = self.folder / "progress.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=_BUSY_MS / 1000, isolation_level=None)
        try:
            con.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            _retry(lambda: con.execute("PRAGMA journal_mode=WAL").fetchone())
            con.execute("PRAGMA synchronous=FULL")
            if self._version(con) < SCHEMA_VERSION:
                _retry(lambda: self._migrate(con))
            version = self._version(con)
            if version > SCHEMA_VERSION:
                raise RuntimeError(
                    f"{self.path} has schema version {version}; this deepqed "
                    f"knows up to {SCHEMA_VERSION}: upgrade deepqed"
                )
        except BaseException:
            con.close()
            raise
        return con

    @staticmethod
    def _version(con: sqlite3.Connection) -> int:
        return int(con.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, con: sqlite3.Connection) -> None:
        """Bring the schema to :data:`SCHEMA_VERSION` in one transaction (another process may
        have done it meanwhile: the version is read again under the lock)."""
        with _transaction(con):
            version = self._version(con)
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[v]:
                    con.execute(statement)
            if version < SCHEMA_VERSION:
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def record(
        self,
        exercise: str,
        verdict: str,
        sha256: str | None = None,
        when: datetime | None = None,
        *,
        checks_passed: int | None = None,
        checks_total: int | None = None,
        seconds: float | None = None,
    ) -> None:
        """Add one attempt (one transaction)."""
        when = when or datetime.now(UTC)
        con = self._connect()
        try:

            def write() -> None:
                with _transaction(con):
                    con.execute(
                        "INSERT INTO attempts (time, exercise, verdict, sha256, checks_passed, "
                        "checks_total, seconds) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (
                            when.isoformat(),
                            exercise,
                            verdict,
                            sha256,
                            checks_passed,
                            checks_total,
                            seconds,
                        ),
                    )

            _retry(write)
        finally:
            con.close()

    def attempts(self, exercise: str | None = None) -> list[dict[str, object]]:
        """Every attempt (oldest first), optionally of one exercise."""
        if not self.path.exists():
            return []
        con = self._connect()
        try:
            con.row_factory = sqlite3.Row
            sql = (
                "SELECT time, exercise, verdict, sha256, checks_passed, checks_total, seconds "
                "FROM attempts"
            )
            rows = (
                con.execute(sql + " WHERE exercise = ? ORDER BY id", (exercise,))
                if exercise
                else con.execute(sql + " ORDER BY id")
            )
            return [dict(r) for r in rows]
        finally:
            con.close()

    def status(self) -> dict[str, str]:
        """Exercise id -> its state, one of :data:`STATES` (the best of its attempts: a check
        that passed, else a proof marked by the reader, else an attempt); absent: never tried."""
        out: dict[str, str] = {}
        rank = {state: i for i, state in enumerate(STATES)}
        for a in self.attempts():
            ex = str(a["exercise"])
            state = {"passed": SOLVED, "self-marked": SELF_MARKED}.get(str(a["verdict"]), ATTEMPTED)
            if ex not in out or rank[state] < rank[out[ex]]:
                out[ex] = state
        return out

    def summary(self, entries: Iterable[object]) -> list[ChapterProgress]:
        """Per chapter: solved / self-marked / attempted / total, over the exercise entries
        given."""
        status = self.status()
        chapters: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for e in entries:
            ch = e.chapter  # type: ignore[attr-defined]
            chapters.setdefault(ch.slug, []).append(e.exercise.id)  # type: ignore[attr-defined]
            titles[ch.slug] = ch.title
        return [
            ChapterProgress(
                slug,
                titles[slug],
                solved=sum(status.get(i) == SOLVED for i in ids),
                attempted=sum(i in status for i in ids),
                total=len(ids),
                self_marked=sum(status.get(i) == SELF_MARKED for i in ids),
            )
            for slug, ids in chapters.items()
        ]


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con

    def __enter__(self) -> sqlite3.Connection:
        self.con.execute("BEGIN IMMEDIATE")
        return self.con

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.con.execute("ROLLBACK" if exc_type else "COMMIT")
