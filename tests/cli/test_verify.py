"""``deepqed verify``: JSON fields, exit codes, selection, determinism, and what it does with
witnesses that fail, raise, hang or die (on a small throwaway book)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from deepqed import registry
from deepqed.cli import app

runner = CliRunner()
FIELDS = {
    "label",
    "kind",
    "title",
    "chapter",
    "number",
    "status",
    "strength",
    "instances",
    "max_error",
    "tolerance",
    "seconds",
    "comparisons",
}
BOOK = registry.load()


def _fast_labels(n: int = 3) -> list[str]:
    """A few definitions (their witnesses are quick)."""
    return [s.label for s in BOOK.statements if s.kind == "definition"][:n]


def test_json_lists_selected_statements_with_required_fields(small_book, monkeypatch):
    book = small_book()
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book.root))
    labels = ["def-alpha-square", "lem-beta-double"]
    args = ["verify", "--json", "--seed", "3"] + [a for lab in labels for a in ("--label", lab)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["label"] for r in rows} == set(labels)
    for r in rows:
        assert FIELDS <= r.keys()
        assert r["status"] == "passed" and r["instances"] > 0 and r["comparisons"]
        written = book.statement(r["label"])
        assert (r["chapter"], r["kind"]) == (written.chapter, written.kind)
        assert r["number"] == written.number
        assert r["max_error"] <= r["tolerance"]
        for c in r["comparisons"]:
            assert (
                c["passed"]
                and c["what"]
                and c["kind"] in ("equal", "upper", "lower", "rate", "interval")
            )


def test_seed_makes_runs_deterministic(small_book, monkeypatch):
    """Two runs at one seed give the same comparisons; another seed gives others (the small
    book's witnesses draw their points from the seed)."""
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(small_book().root))

    def run(seed: int) -> list:
        rows = json.loads(runner.invoke(app, ["verify", "--json", "--seed", str(seed)]).stdout)
        return [(r["label"], r["witness"], r["comparisons"], r["instances"]) for r in rows]

    first = run(11)
    assert run(11) == first
    assert run(12) != first


def test_unknown_label_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--label", "thm-does-not-exist"])
    assert res.exit_code == 2
    assert "thm-does-not-exist" in res.output


def test_unknown_chapter_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--chapter", "nope"])
    assert res.exit_code == 2 and "nope" in res.output


def test_chapter_by_number_or_slug(small_book, monkeypatch):
    book = small_book()
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book.root))
    by_number = json.loads(runner.invoke(app, ["verify", "--json", "--chapter", "2"]).stdout)
    by_slug = json.loads(runner.invoke(app, ["verify", "--json", "--chapter", "beta"]).stdout)
    assert [r["label"] for r in by_number] == [r["label"] for r in by_slug] == ["lem-beta-double"]
    assert by_number[0]["number"] == "2.1"


def test_table_output_for_one_label(small_book, monkeypatch):
    book = small_book()
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book.root))
    res = runner.invoke(app, ["verify", "--label", "thm-alpha-bound"], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "thm-alpha-bound" in res.stdout and "passed" in res.stdout


@pytest.mark.parametrize(
    "kind,status,words",
    [
        ("failing", "failed", "deliberately wrong"),
        ("raising", "error", "boom"),
        ("hanging", "error", "did not finish within 2 s of processor time"),
        ("blocked", "error", "did not finish within 2 s of wall-clock time"),
        ("dying", "error", "process died (exit code 3)"),
        ("mistiered", "error", "declared 'exact' but makes 1 bound comparison"),
        ("malformed", "error", "not Evidence"),
    ],
)
def test_a_misbehaving_witness_is_reported_and_the_rest_still_run(
    small_book, monkeypatch, kind, status, words
):
    book = small_book(kind)
    monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book.root))
    res = runner.invoke(app, ["verify", "--json"])
    assert res.exit_code == 1, res.output
    rows = json.loads(res.stdout)
    assert [r["label"] for r in rows] == [
        "def-alpha-square",
        "thm-alpha-bound",
        "thm-alpha-bound",
        "lem-beta-double",
    ]
    bad = rows[2]
    assert bad["status"] == status and words in bad["detail"], bad
    assert [r["status"] for r in rows if r is not bad] == ["passed"] * 3


def test_a_label_with_nothing_to_run_is_a_usage_error():
    """An exercise's label is known to the book but has no witness: not an empty success."""
    exercise = next(s.label for s in BOOK.statements if s.kind == "exercise")
    res = runner.invoke(app, ["verify", "--label", exercise])
    assert res.exit_code == 2 and exercise in res.output and "nothing to verify" in res.output


def test_a_negative_seed_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--seed", "-1", "--label", _fast_labels(1)[0]])
    assert res.exit_code == 2 and "seed" in res.output.lower()
