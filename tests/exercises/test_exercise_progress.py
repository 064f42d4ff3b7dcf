"""The progress database survives concurrent writers, writers killed mid-write, old schemas."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exercise_helpers import reference_submission

from deepqed.exercises import exercises, get
from deepqed.exercises.progress import (
    ATTEMPTED,
    MIGRATIONS,
    SCHEMA_VERSION,
    SELF_MARKED,
    SOLVED,
    STATES,
    Store,
)

PROGRESS = Path(__import__("deepqed.exercises.progress").exercises.progress.__file__)

#: A writer process: loads progress.py by path (fast: no NumPy, no Hypothesis) and records
#: attempts, printing the index of each one after its transaction committed.
WRITER = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location("progress", {str(PROGRESS)!r})
progress = sys.modules["progress"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(progress)
store = progress.Store(sys.argv[1])
tag, count = sys.argv[2], int(sys.argv[3])
i = 0
while count < 0 or i < count:
    store.record(f"{{tag}}-{{i}}", "failed", "ab" * 32, checks_passed=1, checks_total=7,
                 seconds=0.1)
    print(i, flush=True)
    i += 1
"""


def writer(folder: Path, tag: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), tag, str(count)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(store: Store) -> str:
    con = sqlite3.connect(store.path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def make_v1(store: Store, rows: int) -> None:
    """A database as the first version of deepqed wrote it."""
    store.folder.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(store.path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    for statement in MIGRATIONS[1]:
        con.execute(statement)
    for i in range(rows):
        con.execute(
            "INSERT INTO attempts (time, exercise, verdict, sha256) VALUES (?, ?, ?, ?)",
            (f"2026-01-01T00:00:{i:02d}+00:00", "ex-ff-ce-grad", "failed", "00" * 32),
        )
    con.execute("PRAGMA user_version = 1")
    con.close()


def test_a_version_1_database_is_migrated_without_losing_attempts(data_dir):
    store = Store()
    make_v1(store, 3)
    store.record("ex-ff-ce-grad", "passed", "11" * 32, checks_passed=7, checks_total=7, seconds=0.5)
    attempts = store.attempts()
    assert [a["verdict"] for a in attempts] == ["failed"] * 3 + ["passed"]
    assert attempts[0]["checks_passed"] is None and attempts[-1]["checks_passed"] == 7
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert store.status() == {"ex-ff-ce-grad": "solved"}


def test_a_newer_database_is_refused_and_left_alone(cli, data_dir, tmp_path):
    store = Store()
    make_v1(store, 1)
    con = sqlite3.connect(store.path)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    with pytest.raises(RuntimeError, match="upgrade deepqed"):
        store.record("ex-ff-ce-grad", "passed")
    out = cli("exercise", "check", reference_submission(tmp_path, get("ex-ff-ce-grad").exercise))
    assert out.exit_code == 0 and "not recorded" in out.output  # the verdict stands
    con = sqlite3.connect(store.path)
    assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1


def test_concurrent_writers_migrating_an_old_database_lose_nothing(data_dir):
    store = Store()
    make_v1(store, 5)
    procs = [writer(data_dir, f"w{k}", 40) for k in range(4)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert out.split() == [str(i) for i in range(40)]
    attempts = store.attempts()
    assert len(attempts) == 5 + 4 * 40
    for k in range(4):
        assert {a["exercise"] for a in attempts if str(a["exercise"]).startswith(f"w{k}-")} == {
            f"w{k}-{i}" for i in range(40)
        }
    assert integrity(store) == "ok"


def test_kill_9_during_writes_never_corrupts_or_loses_committed_attempts(data_dir):
    store = Store()
    store.record("ex-ff-ce-grad", "passed", "22" * 32)  # an earlier attempt
    committed: dict[str, int] = {}
    for round_ in range(6):
        p = writer(data_dir, f"r{round_}", -1)  # writes until killed
        assert p.stdout is not None
        first = p.stdout.readline()  # it is writing now
        assert first.strip() == "0", p.stderr.read() if p.stderr else ""
        time.sleep(0.05 + 0.04 * round_)
        os.kill(p.pid, signal.SIGKILL)
        rest, _ = p.communicate(timeout=30)
        assert p.returncode == -signal.SIGKILL
        committed[f"r{round_}"] = 1 + len(rest.split())
    assert integrity(store) == "ok"
    attempts = store.attempts()
    assert attempts[0]["exercise"] == "ex-ff-ce-grad" and attempts[0]["verdict"] == "passed"
    for tag, n in committed.items():
        ids = sorted(
            int(str(a["exercise"]).split("-")[1])
            for a in attempts
            if str(a["exercise"]).startswith(tag + "-")
        )
        # every attempt reported as committed is there; at most one more (killed between the
        # commit and the print), and none half-written
        assert ids[:n] == list(range(n)) and len(ids) in (n, n + 1), (tag, n, len(ids))
    store.record("ex-ff-sigmoid-prime", "passed")  # still writable
    assert store.status()["ex-ff-sigmoid-prime"] == "solved"


def test_two_checkers_at_once(tmp_path, data_dir):
    env = {**os.environ, "DEEPQED_DATA_DIR": str(data_dir)}
    specs = [get("ex-ff-sigmoid-prime").exercise, get("ex-ff-ce-grad").exercise]
    paths = []
    for k, spec in enumerate(specs):
        folder = tmp_path / f"s{k}"
        folder.mkdir()
        paths.append(reference_submission(folder, spec))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "deepqed", "exercise", "check", str(p), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        for p in paths
    ]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert json.loads(out)["verdict"] == "passed"
    assert sorted(a["exercise"] for a in Store().attempts()) == sorted(s.id for s in specs)
    assert all(a["checks_passed"] == a["checks_total"] > 0 for a in Store().attempts())


def test_a_self_marked_proof_is_kept_apart_from_a_machine_checked_pass(data_dir):
    store = Store()
    store.record("ex-ff-tanh-sigmoid", "self-marked")
    store.record("ex-ff-ce-grad", "failed", "aa" * 32)
    store.record("ex-ff-ce-grad", "passed", "bb" * 32)
    store.record("ex-ff-ce-grad", "failed", "cc" * 32)  # a later failure keeps the pass
    store.record("ex-ff-sigmoid-prime", "unusable", "dd" * 32)
    assert STATES == (SOLVED, SELF_MARKED, ATTEMPTED)
    assert store.status() == {
        "ex-ff-tanh-sigmoid": SELF_MARKED,
        "ex-ff-ce-grad": SOLVED,
        "ex-ff-sigmoid-prime": ATTEMPTED,
    }
    (row,) = [r for r in store.summary(exercises()) if r.chapter == "feedforward"]
    assert (row.solved, row.self_marked, row.attempted) == (1, 1, 3)
    assert row.to_dict()["self_marked"] == 1
