"""The command line reads like the book: numbers instead of labels, Unicode instead of TeX, no
MyST markup, nothing cut short, tab-separated lines when piped, ``--version`` and ``-h``."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from deepqed import registry
from deepqed.cli import app
from deepqed.exercises import catalogue

runner = CliRunner()
BOOK = registry.load()
EXERCISES = [e.exercise.id for e in catalogue.exercises()]

#: What must never reach a reader's terminal: a MyST role or directive fence, a TeX macro, a
#: dollar sign opening mathematics.
SOURCE = re.compile(r"\{[\w:-]+\}`|^\s*(:::|```)\{|\\[A-Za-z]+|\$[^\s$]")


@pytest.fixture(autouse=True)
def _data(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPQED_DATA_DIR", str(tmp_path / "data"))


def _source_left(text: str) -> str | None:
    m = SOURCE.search(text, re.M)
    return None if m is None else text[max(0, m.start() - 60) : m.end() + 40]


def test_version_and_short_help():
    from importlib.metadata import version

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.stdout.strip() == f"deepqed {version('deepqed')}"
    for args in (["-h"], ["exercise", "-h"], ["verify", "-h"], ["book", "-h"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 0 and "Usage" in res.stdout, args


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_show_and_hint_print_the_book_not_its_source(exercise_id):
    entry = catalogue.get(exercise_id)
    for command in ("show", "hint"):
        res = runner.invoke(app, ["exercise", command, exercise_id])
        assert res.exit_code == 0, res.output
        assert _source_left(res.output) is None, (command, _source_left(res.output))
        assert f"Exercise {entry.number}" in res.output and exercise_id in res.output
    show = runner.invoke(app, ["exercise", "show", exercise_id]).output
    assert f"{entry.chapter.source.removesuffix('.md')}.html#{exercise_id}" in show


def test_labels_become_numbers_and_tex_becomes_unicode():
    """The hint of the cross-entropy exercise names a proposition by label in its source."""
    entry = catalogue.get("ex-ff-ce-grad")
    assert "prop-loss-gradients" in entry.exercise.hint
    hint = runner.invoke(app, ["exercise", "hint", "ex-ff-ce-grad"]).output
    assert BOOK.statement("prop-loss-gradients").name in hint
    assert "prop-loss-gradients" not in hint
    assert "\\varepsilon" in catalogue.statement_text(catalogue.get("ex-pre-hoeffding-n"))
    show = runner.invoke(app, ["exercise", "show", "ex-pre-hoeffding-n"]).output
    assert "ε = 0.01" in show and BOOK.statement("thm-hoeffding-inequality").name in show


def test_an_exercise_by_number():
    entry = catalogue.get("ex-ff-ce-grad")
    shown = runner.invoke(app, ["exercise", "show", entry.number])
    assert shown.exit_code == 0 and "ex-ff-ce-grad" in shown.output


def test_start_by_number(tmp_path):
    entry = catalogue.get("ex-ff-ce-grad")
    res = runner.invoke(app, ["exercise", "start", entry.number, "--dir", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert (
        (tmp_path / "ex_ff_ce_grad.py")
        .read_text()
        .startswith("# deepqed-exercise: ex-ff-ce-grad\n")
    )


def test_list_is_tab_separated_when_piped_and_never_cut():
    res = runner.invoke(app, ["exercise", "list"])
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].split("\t") == ["exercise", "id", "title", "kind", "status"]
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[1] for r in rows] == EXERCISES
    assert all(len(r) == 5 and r[4] == "not started" for r in rows)
    for r in rows:
        assert _source_left(r[2]) is None, r
        assert "…" not in "".join(r)


def test_list_in_a_terminal_never_cuts_an_id(monkeypatch):
    import deepqed.cli.exercise as module

    monkeypatch.setattr(module, "is_terminal", lambda: True)
    res = runner.invoke(app, ["exercise", "list"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    for ex_id in EXERCISES:
        assert ex_id in res.stdout, ex_id


def test_self_marked_proofs_are_shown_apart_from_checked_passes():
    proof = next(e for e in catalogue.exercises() if e.exercise.kind == "prove")
    assert runner.invoke(app, ["exercise", "mark", proof.exercise.id]).exit_code == 0
    rows = {
        line.split("\t")[1]: line.split("\t")[4]
        for line in runner.invoke(app, ["exercise", "list"]).stdout.splitlines()[1:]
    }
    assert rows[proof.exercise.id] == "self-marked"
    progress = runner.invoke(app, ["progress"]).stdout.splitlines()
    assert progress[0].split("\t") == [
        "chapter",
        "title",
        "solved (checked)",
        "self-marked",
        "attempted",
        "total",
    ]
    row = next(
        line.split("\t") for line in progress[1:] if line.split("\t")[1] == proof.chapter.title
    )
    assert row[2] == "0" and row[3] == "1"


def _fake_results():
    """A result row for every witnessed statement (the table's text, without running them)."""
    from deepqed.verify import Result

    out = []
    for claim in BOOK.claims:
        s = claim.statement
        if s is None:
            continue
        out.append(
            Result(
                label=s.label,
                kind=s.kind,
                title=s.title,
                chapter=s.chapter,
                number=s.number,
                witness=getattr(claim.entry, "name", ""),
                summary="",
                status="passed",
                strength="exact",
                witness_strength="exact",
                instances=10,
                max_error=1e-12,
                tolerance=1e-10,
                seconds=0.1,
                detail="",
                source="",
                path=str(s.path),
                line=s.line,
            )
        )
    return out


def test_verify_rows_read_like_the_book():
    from deepqed.cli.verify import _HEADER, _rows

    rows = _rows(_fake_results())
    assert len(rows[0]) == len(_HEADER)
    for row in rows:
        assert _source_left("\t".join(row)) is None, row
        assert re.fullmatch(
            r"(Definition|Lemma|Proposition|Theorem|Corollary|Algorithm) \d+\.\d+", row[0]
        )


def test_verify_is_tab_separated_when_piped(small_book, monkeypatch):
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(small_book().root))
    label = "def-alpha-square"
    res = runner.invoke(app, ["verify", "--label", label])
    assert res.exit_code == 0, res.output
    lines = [line for line in res.stdout.splitlines() if "\t" in line]
    assert lines[0].startswith("statement\ttitle\tlabel\twitness\tstatus")
    assert all(line.split("\t")[2] == label for line in lines[1:]) and len(lines) >= 2


def test_verify_table_in_a_terminal_keeps_labels_whole(small_book, monkeypatch):
    """A narrow terminal (40 columns, less than the table's width) wraps other columns, never a
    label."""
    import importlib

    module = importlib.import_module("deepqed.cli.verify")  # the package's `verify` is the command
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(small_book().root))
    label = "thm-alpha-bound"
    monkeypatch.setattr(module, "is_terminal", lambda: True)
    res = runner.invoke(app, ["verify", "--label", label], env={"COLUMNS": "40"})
    assert res.exit_code == 0, res.output
    assert label in res.stdout
