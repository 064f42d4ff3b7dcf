"""What ``deepqed exercise check`` says of a wrong submission: how far off a computed answer is and
its likely cause, with the expected value only on ``--reveal``; a forgotten ``return``; integer
labels returned as floats; a file that does not exist."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from deepqed.cli import app
from deepqed.exercises import catalogue, check

runner = CliRunner()
COUNT = "ex-ff-cost-count"


@pytest.fixture(autouse=True)
def _data(tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPQED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "hypothesis"))


def _answers() -> dict[str, float]:
    (answer,) = [a for a in catalogue.get(COUNT).exercise.answers if a.name == "forward"]
    return {"forward": float(answer.value)}


def _submission(tmp_path, forward: float):
    path = tmp_path / "count.py"
    path.write_text(f"# deepqed-exercise: {COUNT}\nforward = {forward!r}\n")
    return path


def test_a_wrong_answer_says_how_far_off_it_is_and_hides_the_expected_value(tmp_path):
    right = _answers()["forward"]
    path = _submission(tmp_path, 2 * right)
    for args in ([], ["--json"]):
        res = runner.invoke(app, ["exercise", "check", str(path), *args])
        assert res.exit_code == 1, res.stdout
        assert f"{right:g}" not in res.stdout and str(int(right)) not in res.stdout, args
        assert "too large by about 100%" in res.stdout
        assert "a factor 2" in res.stdout
        if not args:
            assert f"deepqed exercise check {path} --reveal" in res.stdout
    revealed = runner.invoke(app, ["exercise", "check", str(path), "--reveal", "--json"])
    (forward,) = [c for c in json.loads(revealed.stdout)["checks"] if c["name"] == "answer forward"]
    assert float(forward["expected"]) == right
    assert forward["worst_error"] == pytest.approx(right)


@pytest.mark.parametrize(
    ("factor", "said", "cause"),
    [(-1.0, "wrong sign", "the sign"), (1e-3, "too small", "10^-3"), (1.37, "too large", "")],
)
def test_the_likely_cause_is_read_off_the_ratio(factor, said, cause):
    right = _answers()["forward"]
    result = check({"forward": factor * right}, COUNT)
    (forward,) = [c for c in result.checks if c.name == "answer forward"]
    assert forward.status == "failed" and said in forward.message
    assert forward.expected is None and forward.worst_error is None
    assert (cause in forward.diagnosis) if cause else forward.diagnosis == ""


def test_the_compared_quantity_names_statements_by_their_number(tmp_path):
    res = runner.invoke(app, ["exercise", "check", str(_submission(tmp_path, 1.0))])
    assert "Algorithm alg-" not in res.stdout and "Proposition prop-" not in res.stdout
    assert "(Algorithm 6." in res.stdout


def test_a_missing_file_is_named():
    res = runner.invoke(app, ["exercise", "check", "missing.py"])
    assert res.exit_code == 2
    first = res.stdout.splitlines()[0]
    assert first == "missing.py: UNUSABLE" and "no such file: missing.py" in res.stdout


def _bayes(x, priors, means, sds):
    G = np.log(priors) - 0.5 * ((x[:, None] - means) / sds) ** 2 - np.log(sds)
    return np.argmax(G, axis=1)


def test_a_function_that_returns_none_is_asked_about_return():
    def forgot(x, priors, means, sds):
        _bayes(x, priors, means, sds)

    result = check(forgot, "ex-learn-bayes-classifier")
    (failed,) = result.failed_checks
    assert failed.name == "output type"
    assert "returned None" in failed.message and "forget `return`" in failed.message


def test_integer_labels_returned_as_floats_get_integer_advice():
    def floats(x, priors, means, sds):
        return _bayes(x, priors, means, sds).astype(x.dtype)

    assert check(_bayes, "ex-learn-bayes-classifier").passed
    result = check(floats, "ex-learn-bayes-classifier")
    (failed,) = result.failed_checks
    assert failed.name == "dtype" and "return an integer array" in failed.message
    assert "precision" not in failed.message
