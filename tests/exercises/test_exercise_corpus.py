"""A corpus of bad submissions, each with the verdict and exit code it must get.

Exit 2 (unusable): the file cannot be checked at all. Exit 1 (failed): the function runs, but some
check fails on some input; the report names the check.
"""

from __future__ import annotations

import json

import pytest
from exercise_helpers import write

HEAD = "# deepqed-exercise: ex-ff-sigmoid-prime\nimport numpy as np\n"
GOOD = "    s = 1 / (1 + np.exp(-Z))\n    return s * (1 - s)\n"

#: name -> (file text, exit code, check that fails or None, text the report must contain)
CORPUS = {
    "no header": ("import numpy as np\ndef sigmoid_prime(Z):\n" + GOOD, 2, None,
                  "no header line"),
    "unknown id": ("# deepqed-exercise: ex-ff-nothing\ndef f(Z):\n    return Z\n", 2, None,
                   "no exercise has the id"),
    "proof id": ("# deepqed-exercise: ex-ff-softmax-rank\n", 2, None, "proof exercise"),
    "syntax error": (HEAD + "def sigmoid_prime(Z):\n    return (Z +\n", 2, None, "line 4"),
    "import error": (HEAD + "import numpy_does_not_exist\ndef sigmoid_prime(Z):\n" + GOOD, 2,
                     None, "numpy_does_not_exist"),
    "raises at import": (HEAD + "1 / 0\n", 2, None, "ZeroDivisionError"),
    "sys.exit at import": (HEAD + "import sys\nsys.exit(0)\n", 2, None, "sys.exit(0)"),
    "missing function": (HEAD + "def sigmoid_derivative(Z):\n" + GOOD, 2, None,
                         "it defines: sigmoid_derivative"),
    "not a function": (HEAD + "sigmoid_prime = 0.25\n", 2, None, "not a function"),
    "wrong signature": (HEAD + "def sigmoid_prime(Z, W):\n" + GOOD, 2, None,
                        "wrong signature"),
    "raises": (HEAD + "def sigmoid_prime(Z):\n    raise ValueError('boom')\n", 1, "runs",
               "ValueError: boom"),
    "raises on some inputs": (HEAD + "def sigmoid_prime(Z):\n    assert Z.ndim == 1, 'only "
                              "vectors'\n" + GOOD, 1, "runs", "only vectors"),
    "sys.exit when called": (HEAD + "import sys\ndef sigmoid_prime(Z):\n    sys.exit(0)\n", 1,
                             "runs", "sys.exit(0)"),
    "returns a list": (HEAD + "def sigmoid_prime(Z):\n" + GOOD.replace("s * (1 - s)",
                       "(s * (1 - s)).tolist()"), 1, "output type", "list"),
    "wrong shape": (HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z))\n"
                    "    return (s * (1 - s)).ravel()\n", 1, "output shape", "shape"),
    "wrong dtype": (HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z.astype(float)))"
                    "\n    return s * (1 - s)\n", 1, "dtype", "float32"),
    "NaN": (HEAD + "def sigmoid_prime(Z):\n    return Z * np.nan\n", 1, "finite", "nan"),
    "wrong values": (HEAD + "def sigmoid_prime(Z):\n    return 0.25 + 0 * Z\n", 1,
                     "values of sigmoid_prime(Z)", "differs from the reference"),
    "modifies its input": (HEAD + "def sigmoid_prime(Z):\n    Z *= 0\n    return Z + 0.25\n", 1,
                           "inputs unchanged", "in place"),
}


@pytest.mark.parametrize("name", CORPUS)
def test_bad_submission(name, cli, tmp_path):
    text, code, check, needle = CORPUS[name]
    path = write(tmp_path, "submission.py", text)
    out = cli("exercise", "check", path, "--json")
    assert out.exit_code == code, out.output
    data = json.loads(out.stdout)
    assert needle.lower() in json.dumps(data, ensure_ascii=False).lower(), out.stdout
    assert data["verdict"] == {1: "failed", 2: "unusable"}[code]
    if check is not None:
        assert check in [c["name"] for c in data["checks"] if c["status"] == "failed"]


def test_traceback_is_the_submissions_own(cli, tmp_path):
    path = write(tmp_path, "submission.py", HEAD + "def helper(Z):\n    return Z[5]\n\n"
                 "def sigmoid_prime(Z):\n    return helper(Z)\n")
    out = cli("exercise", "check", path)
    assert out.exit_code == 1
    assert "IndexError" in out.output and "in helper" in out.output and "line 4" in out.output
    assert "deepqed/exercises/check.py" not in out.output
    assert "hypothesis" not in out.output.lower().replace("(shrunk)", "")


def test_output_of_the_submission_does_not_break_json(cli, tmp_path):
    path = write(tmp_path, "submission.py", HEAD + "print('at import')\n"
                 "def sigmoid_prime(Z):\n    print('called')\n" + GOOD)
    out = cli("exercise", "check", path, "--json")
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert data["verdict"] == "passed" and "at import" in data["printed"]


def test_missing_file_is_a_usage_error(cli, tmp_path):
    out = cli("exercise", "check", tmp_path / "absent.py")
    assert out.exit_code == 2


def test_attempts_on_unusable_files_of_known_exercises_are_recorded(cli, tmp_path):
    from deepqed.exercises.progress import Store

    cli("exercise", "check", write(tmp_path, "a.py", CORPUS["syntax error"][0]))
    cli("exercise", "check", write(tmp_path, "b.py", CORPUS["unknown id"][0]))
    assert [a["verdict"] for a in Store().attempts()] == ["unusable"]
