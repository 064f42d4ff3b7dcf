"""``deepqed exercise ...`` and ``deepqed progress`` through the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict

import pytest
from exercise_helpers import (
    CHECKED,
    IMPLEMENT,
    reference_submission,
    wrong_name,
    wrong_submission,
)

from deepqed import registry
from deepqed.exercises import catalogue, check, get
from deepqed.exercises.spec import Implement
from deepqed.exercises.stub import stub_filename

WRONG_SEED = 20261207


@pytest.mark.parametrize("spec", CHECKED, ids=lambda s: s.id)
def test_reference_passes_through_the_cli(spec, cli, tmp_path):
    result = cli("exercise", "check", reference_submission(tmp_path, spec))
    assert result.exit_code == 0, result.output
    assert "PASSED" in result.output


def _one_per_chapter() -> list:
    """The first checked exercise of every chapter: what goes through the command line and the
    sandbox for every wrong solution (every wrong solution is checked in-process below)."""
    chosen: dict[str, object] = {}
    for e in catalogue.exercises():
        if e.exercise in CHECKED:
            chosen.setdefault(e.chapter.slug, e.exercise)
    return list(chosen.values())


SAMPLE = _one_per_chapter()


def _assert_caught(spec, wrong, data: dict, output: str) -> None:
    failed = [c for c in data["checks"] if c["status"] == "failed"]
    assert asdict(wrong.check) in [c["check"] for c in failed], output
    name = wrong.check.label(getattr(spec, "outputs", ()))
    assert name in [c["name"] for c in failed]
    assert wrong.mentions.lower() in output.lower(), (data["seed"], output)


@pytest.mark.parametrize(
    ("spec", "index"),
    [(s, i) for s in SAMPLE for i in range(len(s.wrong))],
    ids=[f"{s.id}:{wrong_name(s, i)}" for s in SAMPLE for i in range(len(s.wrong))],
)
def test_wrong_solution_fails_through_the_cli(spec, index, cli, tmp_path):
    # A fixed seed: that every wrong solution is caught at every seed is the checkers' own
    # business (adversarial inputs), not the command line's.
    path = wrong_submission(tmp_path, spec, index)
    result = cli("exercise", "check", path, "--json", "--seed", str(WRONG_SEED))
    assert result.exit_code == 1, result.output
    _assert_caught(spec, spec.wrong[index], json.loads(result.stdout), result.stdout)


@pytest.mark.parametrize(
    ("spec", "index"),
    [(s, i) for s in IMPLEMENT for i in range(len(s.wrong))],
    ids=[f"{s.id}:{wrong_name(s, i)}" for s in IMPLEMENT for i in range(len(s.wrong))],
)
def test_wrong_solution_fails(spec, index):
    """Every wrong solution of every exercise, checked in this process as ``check`` does from
    Python (the compute exercises' wrong answers: ``test_exercise_specs.py``)."""
    wrong = spec.wrong[index]
    result = check(wrong.function, spec.id, seed=WRONG_SEED)
    assert result.verdict == "failed", str(result)
    _assert_caught(spec, wrong, json.loads(result.to_json()), str(result))


def test_json_output_parses(cli, tmp_path):
    spec = get("ex-ff-ce-grad").exercise
    out = cli("exercise", "check", wrong_submission(tmp_path, spec, 0), "--json")
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["verdict"] == "failed" and data["exercise"] == "ex-ff-ce-grad"
    failed = [c for c in data["checks"] if c["status"] == "failed"]
    assert [c["name"] for c in failed] == ["values of G"]
    assert [c["check"] for c in failed] == [{"kind": "values", "output": 0, "name": None}]
    assert failed[0]["input"]["A"] and failed[0]["expected"] and failed[0]["got"]
    assert "1/m" in failed[0]["diagnosis"]


def test_subprocess_python_m_deepqed(tmp_path, data_dir):
    spec = get("ex-ff-sigmoid-prime").exercise
    path = reference_submission(tmp_path, spec)
    env = {**os.environ, "DEEPQED_DATA_DIR": str(data_dir)}
    proc = subprocess.run(
        [sys.executable, "-m", "deepqed", "exercise", "check", str(path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "passed"
    assert not (tmp_path / ".hypothesis").exists(), "no .hypothesis folder in the reader's cwd"
    summary = subprocess.run(
        [sys.executable, "-m", "deepqed", "progress", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert json.loads(summary.stdout)["exercises"]["ex-ff-sigmoid-prime"] == "solved"


def test_start_writes_a_stub_and_never_overwrites(cli, tmp_path):
    out = cli("exercise", "start", "ex-ff-layer-backward", "--dir", tmp_path)
    assert out.exit_code == 0, out.output
    path = tmp_path / "ex_ff_layer_backward.py"
    text = path.read_text()
    assert text.startswith("# deepqed-exercise: ex-ff-layer-backward\n")
    assert "def layer_backward(Delta, W, A_prev):" in text
    assert "shape (m, n_l)" in text and "raise NotImplementedError" in text
    compile(text, str(path), "exec")

    path.write_text(text + "# my work\n")
    again = cli("exercise", "start", "ex-ff-layer-backward", "--dir", tmp_path)
    assert again.exit_code == 2 and "--force" in again.output
    assert path.read_text().endswith("# my work\n")
    forced = cli("exercise", "start", "ex-ff-layer-backward", "--dir", tmp_path, "--force")
    assert forced.exit_code == 0 and path.read_text() == text


@pytest.mark.parametrize("spec", CHECKED, ids=lambda s: s.id)
def test_every_stub_compiles(spec, tmp_path):
    from deepqed.exercises.stub import stub_source

    source = stub_source(spec)
    compile(source, stub_filename(spec), "exec")
    if isinstance(spec, Implement):
        assert f"def {spec.signature}:" in source
    else:
        assert all(f"\n{a.name} = ...  # " in source for a in spec.answers)


@pytest.mark.parametrize("spec", SAMPLE, ids=lambda s: s.id)
def test_a_stub_is_unusable_until_filled_in(spec, tmp_path):
    from deepqed.exercises import check_file
    from deepqed.exercises.stub import stub_source

    path = tmp_path / stub_filename(spec)
    path.write_text(stub_source(spec))
    compile(path.read_text(), str(path), "exec")
    result = check_file(path)
    assert result.verdict == "unusable"
    if isinstance(spec, Implement):
        assert "NotImplementedError" in result.message
        assert f"def {spec.signature}:" in path.read_text()
    else:
        assert "no answer filled in" in result.message
        assert all(f"\n{a.name} = ...  # " in path.read_text() for a in spec.answers)


def test_a_half_filled_compute_stub_names_the_missing_answers(cli, tmp_path):
    cli("exercise", "start", "ex-ff-cost-count", "--dir", tmp_path)
    path = tmp_path / "ex_ff_cost_count.py"
    path.write_text(path.read_text().replace("forward = ...", "forward = 64 * 268_800"))
    out = cli("exercise", "check", path, "--json")
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    status = {c["name"]: c["status"] for c in data["checks"]}
    assert status == {
        "answer forward": "passed",
        "answer backward": "failed",
        "answer ratio": "failed",
        "answer elementwise": "failed",
    }
    assert "still `Ellipsis`" in out.stdout


def test_compute_answers_may_be_arrays_or_expressions_but_not_strings(cli, tmp_path):
    from exercise_helpers import write

    path = write(
        tmp_path,
        "a.py",
        "# deepqed-exercise: ex-ff-cost-count\nimport numpy as np\n"
        "forward = np.int64(64) * (784*256 + 256*256 + 256*10)\n"
        "backward = 2 * forward - 64*256*784\nratio = backward / forward\n"
        "elementwise = '166518'\n",
    )
    out = cli("exercise", "check", path, "--json")
    data = json.loads(out.stdout)
    assert out.exit_code == 1
    (failed,) = [c for c in data["checks"] if c["status"] == "failed"]
    assert failed["name"] == "answer elementwise" and "expected a number" in failed["message"]


def test_a_fresh_stub_is_unusable_until_filled_in(cli, tmp_path):
    cli("exercise", "start", "ex-ff-sigmoid-prime", "--dir", tmp_path)
    out = cli("exercise", "check", tmp_path / stub_filename(get("ex-ff-sigmoid-prime").exercise))
    assert out.exit_code == 2
    assert "NotImplementedError" in out.output


def test_start_refuses_a_proof(cli, tmp_path):
    out = cli("exercise", "start", "ex-ff-softmax-rank", "--dir", tmp_path)
    assert out.exit_code == 2 and "proof" in out.output


def test_progress_counts(cli, tmp_path):
    ce = get("ex-ff-ce-grad").exercise
    sig = get("ex-ff-sigmoid-prime").exercise
    assert cli("exercise", "check", wrong_submission(tmp_path, ce, 0)).exit_code == 1
    assert cli("exercise", "check", reference_submission(tmp_path, sig)).exit_code == 0
    assert cli("exercise", "check", reference_submission(tmp_path, sig)).exit_code == 0
    assert cli("exercise", "mark", "ex-ff-tanh-sigmoid").exit_code == 0
    assert cli("exercise", "mark", "ex-ff-cost-count").exit_code == 2  # checked by the machine
    data = json.loads(cli("progress", "--json").stdout)
    total = len([e for e in catalogue.exercises() if e.chapter.slug == "feedforward"])
    rows = {row["chapter"]: row for row in data["chapters"]}
    assert list(rows) == [ch.slug for ch in registry.load().chapters]
    assert rows["feedforward"] == {
        "chapter": "feedforward",
        "title": "Feedforward networks and backpropagation",
        "solved": 1,
        "self_marked": 1,
        "attempted": 3,
        "total": total,
    }
    assert all(
        r["solved"] == r["self_marked"] == r["attempted"] == 0
        for slug, r in rows.items()
        if slug != "feedforward"
    )
    assert data["exercises"]["ex-ff-ce-grad"] == "attempted"
    assert data["exercises"]["ex-ff-sigmoid-prime"] == "solved"
    assert data["exercises"]["ex-ff-tanh-sigmoid"] == "self-marked"  # never counted as solved
    assert data["exercises"]["ex-ff-softmax-rank"] == "not started"
    listing = cli("exercise", "list", "--chapter", "feedforward")
    assert listing.exit_code == 0 and "solved" in listing.output and "self-marked" in listing.output
    assert "Feedforward" in cli("progress").output


def test_progress_database_schema(cli, data_dir, tmp_path):
    import sqlite3

    from deepqed.exercises.progress import SCHEMA_VERSION, Store, file_sha256

    sig = get("ex-ff-sigmoid-prime").exercise
    path = reference_submission(tmp_path, sig)
    cli("exercise", "check", path, "--data-dir", tmp_path / "elsewhere")
    assert not data_dir.exists()  # --data-dir wins over DEEPQED_DATA_DIR
    store = Store(tmp_path / "elsewhere")
    (attempt,) = store.attempts()
    assert attempt["exercise"] == sig.id and attempt["verdict"] == "passed"
    assert attempt["sha256"] == file_sha256(path)
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_hint_solution_show(cli):
    assert (
        "1/m" in cli("exercise", "hint", "ex-ff-ce-grad").output.replace("\n", " ")
        or "MEAN" in cli("exercise", "hint", "ex-ff-ce-grad").output
    )
    declined = cli("exercise", "solution", "ex-ff-ce-grad", input="n\n")
    assert declined.exit_code == 1 and "def ce_grad" not in declined.output
    shown = cli("exercise", "solution", "ex-ff-ce-grad", "--yes")
    assert shown.exit_code == 0 and "def ce_grad(A, Y):" in shown.output
    proof = cli("exercise", "solution", "ex-ff-relu-convention", "--yes")
    assert "c(1 - c)" in proof.output
    show = cli("exercise", "show", "ex-ff-softmax-jacobian")
    assert show.exit_code == 0 and "softmax_jacobian(z)" in show.output
    unknown = cli("exercise", "show", "ex-nope")
    assert unknown.exit_code == 2 and "no exercise" in unknown.output


def test_show_reads_the_directive_from_the_book(cli, tmp_path, monkeypatch):
    from deepqed import registry

    book = tmp_path / "book"
    (book / "feedforward").mkdir(parents=True)
    (book / "conf.py").write_text("")
    (book / "index.md").write_text("# B\n\n```{toctree}\n:numbered:\n\nfeedforward/index\n```\n")
    (book / "feedforward" / "index.md").write_text(
        "# Chapter\n\n:::{exercise} The Jacobian of softmax\n:label: ex-ff-softmax-jacobian\n\n"
        "Show that $J(z) = \\operatorname{diag}(s) - s s^\\top$.\n:::\n\n"
        "```{exercise} Other\n:label: ex-ff-ce-grad\n\nSomething else.\n```\n"
    )
    (book / "feedforward" / "exercises").symlink_to(
        registry.load().root / "feedforward" / "exercises"
    )
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book))
    out = cli("exercise", "show", "ex-ff-softmax-jacobian")
    assert out.exit_code == 0
    assert "J(z) = diag(s) - s s^⊤" in out.output and "Something else" not in out.output
    assert "does not contain" not in out.output


def test_an_unwritable_data_folder_does_not_change_the_verdict(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    spec = get("ex-ff-sigmoid-prime").exercise
    out = cli("exercise", "check", reference_submission(tmp_path, spec), "--data-dir", blocker)
    assert out.exit_code == 0
    assert "not recorded" in out.output


def test_list_by_chapter_number_and_show_a_compute_exercise(cli):
    number = registry.load().chapter("feedforward").number
    listing = cli("exercise", "list", "--chapter", str(number))
    assert listing.exit_code == 0
    assert "ex-ff-cost-count" in listing.output and "compute" in listing.output
    assert "ex-pre-vec" not in listing.output
    assert cli("exercise", "list", "--chapter", "99").exit_code == 2
    show = cli("exercise", "show", "ex-ff-cost-count")
    assert show.exit_code == 0 and "Answers asked for: forward" in show.output
    solution = cli("exercise", "solution", "ex-ff-cost-count", "--yes")
    assert "21 561 344" in solution.output


def test_show_reflows_hard_wrapped_paragraphs_but_keeps_lists_and_math():
    from deepqed.cli.exercise import _reflow

    text = "First line\nsecond line.\n\n- item one\n- item two\n  continued\n\n$$\na\n$$"
    assert _reflow(text) == (
        "First line second line.\n\n- item one\n- item two continued\n\n$$\na\n$$"
    )
