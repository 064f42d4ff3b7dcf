"""Course mode: ``deepqed exercise grade DIR`` over a folder with good, wrong and hostile files."""

from __future__ import annotations

import csv
import json

from exercise_helpers import reference_submission, write, wrong_submission

from deepqed.exercises import get

HEAD = "# deepqed-exercise: ex-ff-sigmoid-prime\nimport numpy as np\n"


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
        "exercise",
        "grade",
        root,
        "--workers",
        "2",
        "--timeout",
        "1",
        "--out",
        tmp_path / "report.csv",
    )
    assert out.exit_code == 0, out.output
    assert "7 files" in out.output
    with open(tmp_path / "report.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {(r["student"], r["exercise"]): r["verdict"] for r in rows} == expected
    assert list(rows[0]) == [
        "student",
        "exercise",
        "verdict",
        "checks_passed",
        "checks_total",
        "seconds",
        "file",
        "message",
    ]
    by = {(r["student"], r["exercise"]): r for r in rows}
    assert (
        int(by["ada", "ex-ff-sigmoid-prime"]["checks_passed"])
        == int(by["ada", "ex-ff-sigmoid-prime"]["checks_total"])
        > 0
    )
    assert "values of G" in by["bob", "ex-ff-ce-grad"]["message"]
    assert "did not finish within 1 s" in by["eve", "ex-ff-sigmoid-prime"]["message"]
    assert float(by["eve", "ex-ff-sigmoid-prime"]["seconds"]) < 8

    again = cli(
        "exercise",
        "grade",
        root,
        "--workers",
        "1",
        "--timeout",
        "1",
        "--out",
        tmp_path / "report.json",
    )
    assert again.exit_code == 0
    data = json.loads((tmp_path / "report.json").read_text())
    assert {(r["student"], r["exercise"]): r["verdict"] for r in data} == expected


def test_grade_rejects_a_bad_report_name(cli, tmp_path):
    out = cli("exercise", "grade", tmp_path, "--out", tmp_path / "report.txt")
    assert out.exit_code == 2 and ".csv or .json" in out.output
