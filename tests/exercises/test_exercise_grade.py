"""Course mode: ``deepqed exercise grade DIR`` over a folder with good, wrong and hostile files.

Run this file as root and as an ordinary user: both must pass.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import signal
import threading
import time

import pytest
from exercise_helpers import reference_submission, write, wrong_submission
from hostile import GOOD, HEAD, WRONG, assert_no_process_left, attack

from deepqed.exercises import Limits, get
from deepqed.exercises import sandbox as box
from deepqed.exercises.grade import csv_cell, grade, submissions, write_report
from deepqed.exercises.isolation import sandbox_problem

COLUMNS = [
    "student",
    "exercise",
    "verdict",
    "checks_passed",
    "checks_total",
    "seconds",
    "seed",
    "file",
    "message",
]


@pytest.fixture(scope="module", autouse=True)
def sandbox_available():
    problem = sandbox_problem()
    assert not problem, f"the sandbox must work where the tests run: {problem}"


def make_class(root):
    """Three students; (student, exercise) -> the verdict each file must get."""
    sig, ce, cost = (
        get(i).exercise for i in ("ex-ff-sigmoid-prime", "ex-ff-ce-grad", "ex-ff-cost-count")
    )
    for name in ("ada", "bob", "eve"):
        (root / name).mkdir()
    reference_submission(root / "ada", sig)
    reference_submission(root / "ada", cost)
    wrong_submission(root / "bob", ce, 0)
    write(root / "bob", "sig.py", HEAD + "def sigmoid_prime(Z):\n    return (Z +\n")
    write(root / "eve", "sig.py", HEAD + "def sigmoid_prime(Z):\n    while True:\n        pass\n")
    write(root / "eve", "ce.py", "# deepqed-exercise: ex-ff-ce-grad\nimport os\nos._exit(1)\n")
    write(root, "zoe_sigmoid.py", HEAD + "def sigmoid_prime(Z):\n    print('x' * 10**7)\n")
    return {
        ("ada", "ex-ff-sigmoid-prime"): "passed",
        ("ada", "ex-ff-cost-count"): "passed",
        ("bob", "ex-ff-ce-grad"): "failed",
        ("bob", "ex-ff-sigmoid-prime"): "unusable",
        ("eve", "ex-ff-sigmoid-prime"): "unusable",
        ("eve", "ex-ff-ce-grad"): "unusable",
        ("zoe", "ex-ff-sigmoid-prime"): "unusable",
    }


def test_grade_a_folder_to_csv_and_json(cli, tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    expected = make_class(root)
    out = cli(
        "exercise", "grade", root, "--workers", "2", "--timeout", "1", "--seed", "5",
        "--out", tmp_path / "report.csv",
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "7 files" in out.output and "seed 5" in out.output
    with open(tmp_path / "report.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(r["student"], r["exercise"]): r["verdict"] for r in rows} == expected
    assert list(rows[0]) == COLUMNS
    assert {r["seed"] for r in rows} == {"5"}
    by = {(r["student"], r["exercise"]): r for r in rows}
    assert (
        int(by["ada", "ex-ff-sigmoid-prime"]["checks_passed"])
        == int(by["ada", "ex-ff-sigmoid-prime"]["checks_total"])
        > 0
    )
    assert "values of G" in by["bob", "ex-ff-ce-grad"]["message"]
    assert "did not finish within 1 s" in by["eve", "ex-ff-sigmoid-prime"]["message"]

    again = cli(
        "exercise", "grade", root, "--workers", "1", "--timeout", "1",
        "--out", tmp_path / "report.json",
    )  # fmt: skip
    assert again.exit_code == 0
    data = json.loads((tmp_path / "report.json").read_text())
    assert {(r["student"], r["exercise"]): r["verdict"] for r in data} == expected
    assert_no_process_left(str(root))


def test_grade_rejects_a_bad_report_name(cli, tmp_path):
    out = cli("exercise", "grade", tmp_path, "--out", tmp_path / "report.txt")
    assert out.exit_code == 2 and ".csv or .json" in out.output


# -- hostile classmates -----------------------------------------------------------------------


def hostile_class(root):
    """A class where mallory attacks ada's file, the report and the grader; (student, file) ->
    the verdict each row must get."""
    (root / "ada").mkdir()
    (root / "mallory").mkdir()
    ada = write(root / "ada", "sigmoid.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    report = root.parent / "report.csv"
    write(
        root / "mallory",
        "steal.py",
        attack(
            "import os\n"
            f"attempt('read ada', lambda: open({str(ada)!r}).read())\n"
            "attempt('read ada relative', lambda: open('../ada/sigmoid.py').read())\n"
            f"attempt('overwrite ada', lambda: open({str(ada)!r}, 'w').write('1/0'))\n"
            f"attempt('exec ada', lambda: exec(open({str(ada)!r}).read()))\n"
            "attempt('grader fds', lambda: os.listdir(f'/proc/{os.getppid()}/fd'))\n"
            f"attempt('grader pipe', lambda: open('/proc/{os.getpid()}/fd/3', 'w'))\n"
        ),
    )
    write(
        root / "mallory",
        "linger.py",
        attack(
            "import os, threading, time\n"
            "def rewrite():\n"
            "    while True:\n"
            f"        try:\n            open({str(report)!r}, 'w').write('forged')\n"
            "        except OSError:\n            pass\n"
            "        time.sleep(0.05)\n"
            "try:\n    threading.Thread(target=rewrite).start()\n"
            "except RuntimeError:  # no thread for an ordinary user (no processes)\n    pass\n"
            "attempt('fork', lambda: os.fork() or None)\n"
        ),
    )
    (root / "mallory" / "link.py").symlink_to(ada)
    (root / "mallory" / "folder").symlink_to(root / "ada")
    os.mkfifo(root / "mallory" / "fifo.py")
    write(
        root,
        "eve_formula.py",
        '# deepqed-exercise: =HYPERLINK("http://x","ok")\n',
    )
    write(
        root / "mallory",
        "inject.py",
        HEAD + "def sigmoid_prime(Z):\n    raise ValueError('\\x1b[32mPASSED\\x1b[0m\\r')\n",
    )
    return {
        "ada/sigmoid.py": "passed",
        "mallory/steal.py": "failed",
        "mallory/linger.py": "failed",
        "mallory/link.py": "unusable",
        "mallory/folder": "unusable",
        "mallory/fifo.py": "unusable",
        "mallory/inject.py": "failed",
        "eve_formula.py": "unusable",
    }


def test_hostile_classmates(cli, tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    expected = hostile_class(root)
    ada = (root / "ada" / "sigmoid.py").read_text()
    report = tmp_path / "report.csv"
    out = cli("exercise", "grade", root, "--timeout", "2", "--out", report)
    assert out.exit_code == 0, out.output
    with open(report, newline="") as f:
        rows = {r["file"]: r for r in csv.DictReader(f)}
    assert {k: r["verdict"] for k, r in rows.items()} == expected
    assert (root / "ada" / "sigmoid.py").read_text() == ada  # not overwritten
    assert "symbolic link: refused" in rows["mallory/link.py"]["message"]
    assert "symbolic link: refused" in rows["mallory/folder"]["message"]
    assert "not a regular file" in rows["mallory/fifo.py"]["message"]
    # the formula is escaped in the cell, control characters in every cell and on screen
    assert rows["eve_formula.py"]["exercise"].startswith("'=HYPERLINK")
    assert "\x1b" not in report.read_text() and "\\x1b[32m" in rows["mallory/inject.py"]["message"]
    assert "\x1b" not in out.output and "\r" not in out.output
    # nothing mallory started outlives the grading; the report stays as written
    before = report.read_text()
    time.sleep(1.0)
    assert report.read_text() == before and "forged" not in before
    assert_no_process_left(str(root))


def test_every_attempt_of_the_hostile_files_was_blocked(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    hostile_class(root)
    from deepqed.exercises import check_file

    for name in ("steal.py", "linger.py"):
        result = check_file(root / "mallory" / name, limits=Limits(call_seconds=2))
        assert "blocked" in result.printed and "SUCCEEDED" not in result.printed, result.printed


def test_csv_cells_are_never_formulas():
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("+cmd") == "'+cmd" and csv_cell("-2") == "'-2" and csv_cell("@x") == "'@x"
    assert not csv_cell("\tx").startswith("\t") and not csv_cell("\r=1").startswith("\r")
    assert csv_cell("ok") == "ok" and csv_cell(3) == 3


# -- a grader that survives -------------------------------------------------------------------


def _grading(pid: int) -> bool:
    """Whether ``pid`` runs a grading process (not multiprocessing's resource tracker)."""
    try:
        return b"resource_tracker" not in open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        return False


def _children() -> list[int]:
    me = str(os.getpid())
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me:
                out.append(int(entry))
    return out


def test_the_grader_survives_killed_and_stopped_grading_processes(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    for name in ("a", "b", "c", "d"):
        write(
            root, f"{name}_loop.py", HEAD + "def sigmoid_prime(Z):\n    while True:\n        pass\n"
        )
    write(root, "z_good.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    done = []
    signalled: list[str] = []
    # children this process had before grading (a multiprocessing resource tracker started by
    # an earlier test, say) are not grading processes
    before = set(_children())

    def meddle() -> None:  # as someone would: kill one grading process, stop another
        while len(signalled) < 2 and not done:
            kids = [
                p for p in _children() if p not in signalled and p not in before and _grading(p)
            ]
            for pid, sig in zip(kids, (signal.SIGKILL, signal.SIGSTOP)[len(signalled) :]):
                os.kill(pid, sig)
                signalled.append(pid)
            time.sleep(0.05)

    thread = threading.Thread(target=meddle)
    thread.start()
    # the good file's whole check must fit in check_seconds even on a loaded machine (a stopped
    # grading process is killed start_seconds + check_seconds + grace_seconds after it began)
    limits = Limits(call_seconds=1, check_seconds=15, start_seconds=5)
    try:
        rows = grade(root, workers=2, limits=limits, seed=1, grace_seconds=1)
    finally:
        done.append(True)
        thread.join()
    by = {r.file: r for r in rows}
    assert len(rows) == 5 and by["z_good.py"].verdict == "passed"
    errors = [r for r in rows if r.verdict == "error"]
    messages = " ".join(r.message for r in errors)
    assert len(errors) == 2, rows
    assert "killed (SIGKILL)" in messages and "did not finish within" in messages
    assert_no_process_left(str(root))


def test_an_interrupted_grading_still_gives_every_row(tmp_path):
    root = tmp_path / "class"
    root.mkdir()
    for name in "abcde":
        write(root, f"{name}_s.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    seen = []

    def progress(row):
        seen.append(row)
        raise KeyboardInterrupt

    rows = grade(root, workers=1, progress=progress)
    assert [r.file for r in rows] == [f"{n}_s.py" for n in "abcde"]
    assert rows[0].verdict == "passed"
    assert all(r.verdict == "error" and "interrupted" in r.message for r in rows[1:])
    write_report(rows, tmp_path / "report.csv")
    assert len((tmp_path / "report.csv").read_text().splitlines()) == 6


def test_submissions_are_listed_without_following_links(tmp_path):
    (tmp_path / "a").mkdir()
    write(tmp_path / "a", "s.py", "x = 1\n")
    write(tmp_path, ".hidden.py", "x = 1\n")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    found = {f.rel: f.problem for f in submissions(tmp_path)}
    assert found["a/s.py"] == "" and "symbolic link" in found["b"]
    assert ".hidden.py" not in found and "b/s.py" not in found


# -- without the sandbox ----------------------------------------------------------------------


@pytest.fixture
def no_namespaces(monkeypatch, tmp_path):
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "bubblewrap 0.8.0"; exit 0; fi\n'
        'echo "bwrap: No permissions to create new namespace" >&2\nexit 1\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    box.unavailable.cache_clear()
    yield
    box.unavailable.cache_clear()


def test_grade_refuses_without_the_sandbox_unless_told(cli, tmp_path, no_namespaces):
    root = tmp_path / "class"
    root.mkdir()
    write(root, "ada_s.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    write(root, "bob_s.py", HEAD + WRONG)
    refused = cli("exercise", "grade", root, "--out", tmp_path / "r.csv")
    assert refused.exit_code == 2
    assert "the sandbox cannot run here" in refused.output and "--no-sandbox" in refused.output
    assert not (tmp_path / "r.csv").exists()
    told = cli("exercise", "grade", root, "--no-sandbox", "--out", tmp_path / "r.csv")
    assert told.exit_code == 0 and "warning: --no-sandbox" in told.output
    with open(tmp_path / "r.csv", newline="") as f:
        assert [r["verdict"] for r in csv.DictReader(f)] == ["passed", "failed"]


def test_the_inputs_of_an_exercise_are_drawn_once_for_every_file(tmp_path, monkeypatch):
    """The grader draws each implement exercise's inputs once, before it forks the grading
    processes, which check every file of that exercise on them: draws are logged with the
    drawing process's id, and only the grader draws, once per exercise."""
    # the module (the package's `check` is the function of the same name)
    check_module = importlib.import_module("deepqed.exercises.check")
    submission_module = importlib.import_module("deepqed.exercises.submission")

    log = tmp_path / "draws.log"
    original = check_module.draw_inputs

    def logged(spec, seed):
        with open(log, "a") as f:
            f.write(f"{os.getpid()} {spec.id}\n")
        return original(spec, seed)

    monkeypatch.setattr(check_module, "draw_inputs", logged)
    monkeypatch.setattr(submission_module, "draw_inputs", logged)
    sig, ce = (get(i).exercise for i in ("ex-ff-sigmoid-prime", "ex-ff-ce-grad"))
    for name in ("ada", "bob", "cy"):
        (tmp_path / "class" / name).mkdir(parents=True)
        reference_submission(tmp_path / "class" / name, sig)
    wrong_submission(tmp_path / "class" / "ada", ce, 0)
    reference_submission(tmp_path / "class" / "bob", ce)
    rows = grade(tmp_path / "class", workers=2, seed=5)
    verdicts = sorted((r.student, r.exercise, r.verdict) for r in rows)
    assert verdicts == [
        ("ada", "ex-ff-ce-grad", "failed"),
        ("ada", "ex-ff-sigmoid-prime", "passed"),
        ("bob", "ex-ff-ce-grad", "passed"),
        ("bob", "ex-ff-sigmoid-prime", "passed"),
        ("cy", "ex-ff-sigmoid-prime", "passed"),
    ]
    draws = log.read_text().split("\n")[:-1]
    assert sorted(draws) == [f"{os.getpid()} ex-ff-ce-grad", f"{os.getpid()} ex-ff-sigmoid-prime"]
