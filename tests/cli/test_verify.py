"""``deepqed verify``: JSON fields, exit codes, selection, determinism."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from deepqed import registry
from deepqed.cli import app

runner = CliRunner()
FIELDS = {
    "label",
    "kind",
    "title",
    "chapter",
    "status",
    "instances",
    "max_error",
    "tolerance",
    "seconds",
}


def _fast_labels(n: int = 3) -> list[str]:
    """A few definitions (their witnesses are quick)."""
    return [s.label for s in registry.statements() if s.kind == "definition"][:n]


def test_json_lists_selected_statements_with_required_fields():
    labels = _fast_labels()
    args = ["verify", "--json", "--seed", "3"] + [a for lab in labels for a in ("--label", lab)]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["label"] for r in rows} == set(labels)
    for r in rows:
        assert FIELDS <= r.keys()
        assert r["status"] == "passed" and r["instances"] > 0
        written = next(st for st in registry.statements() if st.label == r["label"])
        assert r["chapter"] == written.chapter and r["kind"] == "definition"
        assert r["max_error"] <= r["tolerance"]


def test_seed_makes_runs_deterministic():
    labels = _fast_labels(2)
    args = ["verify", "--json", "--seed", "11"] + [a for lab in labels for a in ("--label", lab)]
    first = json.loads(runner.invoke(app, args).stdout)
    second = json.loads(runner.invoke(app, args).stdout)
    key = lambda rows: [(r["label"], r["witness"], r["max_error"], r["instances"]) for r in rows]
    assert key(first) == key(second)


def test_unknown_label_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--label", "thm-does-not-exist"])
    assert res.exit_code == 2
    assert "thm-does-not-exist" in res.output


def test_unknown_chapter_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--chapter", "nope"])
    assert res.exit_code == 2 and "nope" in res.output


def test_table_output_for_one_label():
    label = _fast_labels(1)[0]
    res = runner.invoke(app, ["verify", "--label", label], env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert label in res.stdout and "passed" in res.stdout


def test_a_failing_witness_gives_exit_code_1(monkeypatch):
    from deepqed import verify as verify_mod
    from deepqed.registry import Figures, Witness

    statement = next(s for s in registry.statements() if s.label == "thm-backprop")

    def broken(rng):
        return Figures(instances=1, max_error=1.0, tolerance=1e-10, detail="deliberately wrong")

    monkeypatch.setattr(
        verify_mod,
        "select",
        lambda labels, chapter: [(statement, Witness("thm-backprop", broken, "x"))],
    )
    res = runner.invoke(app, ["verify", "--json"])
    assert res.exit_code == 1
    row = json.loads(res.stdout)[0]
    assert row["status"] == "failed" and row["label"] == "thm-backprop"


def test_a_raising_witness_is_reported_as_error(monkeypatch):
    from deepqed import verify as verify_mod
    from deepqed.registry import Witness

    statement = next(s for s in registry.statements() if s.label == "thm-backprop")

    def crashes(rng):
        raise RuntimeError("boom")

    monkeypatch.setattr(
        verify_mod,
        "select",
        lambda labels, chapter: [(statement, Witness("thm-backprop", crashes, "x"))],
    )
    res = runner.invoke(app, ["verify", "--json"])
    assert res.exit_code == 1
    row = json.loads(res.stdout)[0]
    assert row["status"] == "error" and "boom" in row["detail"]


def test_a_label_with_nothing_to_run_is_a_usage_error():
    """An exercise's label is known to the book but has no witness: not an empty success."""
    exercise = next(s.label for s in registry.statements() if s.kind == "exercise")
    res = runner.invoke(app, ["verify", "--label", exercise])
    assert res.exit_code == 2 and exercise in res.output and "nothing to verify" in res.output


def test_malformed_figures_are_an_error_not_a_crash():
    from deepqed import verify as verify_mod
    from deepqed.registry import Figures, Witness

    statement = next(s for s in registry.statements() if s.label == "thm-backprop")
    bad = Witness("thm-backprop", lambda rng: Figures(1, None, 1e-10), "x")  # no max error
    nan = Witness("thm-backprop", lambda rng: Figures(1, float("nan"), 1e-10), "x")
    assert verify_mod.run_one(statement, bad, 0).status == "error"
    assert verify_mod.run_one(statement, nan, 0).status == "failed"


def test_a_negative_seed_is_a_usage_error():
    res = runner.invoke(app, ["verify", "--seed", "-1", "--label", _fast_labels(1)[0]])
    assert res.exit_code == 2 and "seed" in res.output.lower()
