"""The reader's progress: every attempt, kept in a small SQLite database.

The database lives in ``platformdirs.user_data_dir("deepqed")``, or in the folder named by
``--data-dir`` or the environment variable ``DEEPQED_DATA_DIR``. One table, ``attempts`` (time,
exercise id, verdict, SHA-256 of the submitted file); the schema version is ``PRAGMA
user_version``; the journal is in WAL mode and every write is one transaction.

An exercise is *solved* once some attempt passed (for proofs: once the reader marked it), and
*attempted* once it has any attempt.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

__all__ = ["SCHEMA_VERSION", "ENV_VAR", "data_dir", "Store", "ChapterProgress", "file_sha256"]

SCHEMA_VERSION = 1
ENV_VAR = "DEEPQED_DATA_DIR"
SOLVING = ("passed", "self-marked")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS attempts ("
    " id INTEGER PRIMARY KEY,"
    " time TEXT NOT NULL,"  # ISO 8601, UTC
    " exercise TEXT NOT NULL,"  # the exercise id (the book label)
    " verdict TEXT NOT NULL"
    " CHECK (verdict IN ('passed', 'failed', 'unusable', 'self-marked')),"
    " sha256 TEXT)",  # of the submitted file; NULL for a self-marked proof
    "CREATE INDEX IF NOT EXISTS attempts_exercise ON attempts (exercise)",
)


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
    chapter: str
    title: str
    solved: int
    attempted: int
    total: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class Store:
    """The attempts database in ``folder`` (created on first use)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = data_dir(folder)
        self.path = self.folder / "progress.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            with _transaction(con):
                for statement in _SCHEMA:
                    con.execute(statement)
                con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif version > SCHEMA_VERSION:
            con.close()
            raise RuntimeError(f"{self.path} has schema version {version}; this deepqed knows "
                               f"up to {SCHEMA_VERSION}: upgrade deepqed")
        return con

    def record(self, exercise: str, verdict: str, sha256: str | None = None,
               when: datetime | None = None) -> None:
        """Add one attempt (one transaction)."""
        when = when or datetime.now(timezone.utc)
        con = self._connect()
        try:
            with _transaction(con):
                con.execute("INSERT INTO attempts (time, exercise, verdict, sha256) "
                            "VALUES (?, ?, ?, ?)", (when.isoformat(), exercise, verdict, sha256))
        finally:
            con.close()

    def attempts(self, exercise: str | None = None) -> list[dict[str, object]]:
        """Every attempt (oldest first), optionally of one exercise."""
        if not self.path.exists():
            return []
        con = self._connect()
        try:
            con.row_factory = sqlite3.Row
            sql = "SELECT time, exercise, verdict, sha256 FROM attempts"
            rows = (con.execute(sql + " WHERE exercise = ? ORDER BY id", (exercise,))
                    if exercise else con.execute(sql + " ORDER BY id"))
            return [dict(r) for r in rows]
        finally:
            con.close()

    def status(self) -> dict[str, str]:
        """Exercise id -> ``"solved"`` or ``"attempted"`` (absent: never tried)."""
        out: dict[str, str] = {}
        for a in self.attempts():
            ex = str(a["exercise"])
            if a["verdict"] in SOLVING:
                out[ex] = "solved"
            else:
                out.setdefault(ex, "attempted")
        return out

    def summary(self, entries: Iterable[object]) -> list[ChapterProgress]:
        """Per chapter: solved / attempted / total, over the exercise entries given."""
        status = self.status()
        chapters: dict[str, list[str]] = {}
        titles: dict[str, str] = {}
        for e in entries:
            ch = e.chapter  # type: ignore[attr-defined]
            chapters.setdefault(ch.slug, []).append(e.exercise.id)  # type: ignore[attr-defined]
            titles[ch.slug] = ch.title
        return [
            ChapterProgress(slug, titles[slug],
                            solved=sum(status.get(i) == "solved" for i in ids),
                            attempted=sum(i in status for i in ids), total=len(ids))
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
