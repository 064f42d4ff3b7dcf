"""A corpus of bad and hostile submissions, each with the verdict and exit code it must get.

Exit 2 (unusable): the file cannot be checked at all, or it reached a limit (time, output, the
process died). Exit 1 (failed): the function runs, but some check fails on some input; the
report names the check. Every check runs through the CLI with a per-call limit of 1 s; none may
take much longer than its limit, and every attempt of a known exercise is recorded.
"""

from __future__ import annotations

import json
import time

import pytest
from exercise_helpers import write

from deepqed import registry
from deepqed.exercises.progress import Store

SPEC_FILE = registry.load().root / "feedforward" / "exercises" / "ex_ff_sigmoid_prime.py"

HEAD = "# deepqed-exercise: ex-ff-sigmoid-prime\nimport numpy as np\n"
GOOD = "    s = 1 / (1 + np.exp(-Z))\n    return s * (1 - s)\n"

#: name -> (file text, exit code, check that fails or None, text the report must contain)
CORPUS = {
    "no header": ("import numpy as np\ndef sigmoid_prime(Z):\n" + GOOD, 2, None, "no header line"),
    "unknown id": (
        "# deepqed-exercise: ex-ff-nothing\ndef f(Z):\n    return Z\n",
        2,
        None,
        "no exercise has the id",
    ),
    "proof id": ("# deepqed-exercise: ex-ff-softmax-rank\n", 2, None, "proof exercise"),
    "syntax error": (HEAD + "def sigmoid_prime(Z):\n    return (Z +\n", 2, None, "line 4"),
    "import error": (
        HEAD + "import numpy_does_not_exist\ndef sigmoid_prime(Z):\n" + GOOD,
        2,
        None,
        "numpy_does_not_exist",
    ),
    "raises at import": (HEAD + "1 / 0\n", 2, None, "ZeroDivisionError"),
    "sys.exit at import": (HEAD + "import sys\nsys.exit(0)\n", 2, None, "sys.exit(0)"),
    "missing function": (
        HEAD + "def sigmoid_derivative(Z):\n" + GOOD,
        2,
        None,
        "it defines: sigmoid_derivative",
    ),
    "not a function": (HEAD + "sigmoid_prime = 0.25\n", 2, None, "not a function"),
    "wrong signature": (HEAD + "def sigmoid_prime(Z, W):\n" + GOOD, 2, None, "wrong signature"),
    "raises": (
        HEAD + "def sigmoid_prime(Z):\n    raise ValueError('boom')\n",
        1,
        "runs",
        "ValueError: boom",
    ),
    "raises on some inputs": (
        HEAD + "def sigmoid_prime(Z):\n    assert Z.ndim == 1, 'only vectors'\n" + GOOD,
        1,
        "runs",
        "only vectors",
    ),
    "sys.exit when called": (
        HEAD + "import sys\ndef sigmoid_prime(Z):\n    sys.exit(0)\n",
        1,
        "runs",
        "sys.exit(0)",
    ),
    "returns a list": (
        HEAD + "def sigmoid_prime(Z):\n" + GOOD.replace("s * (1 - s)", "(s * (1 - s)).tolist()"),
        1,
        "output type",
        "list",
    ),
    "wrong shape": (
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z))\n"
        "    return (s * (1 - s)).ravel()\n",
        1,
        "output shape",
        "shape",
    ),
    "wrong dtype": (
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z.astype(float)))"
        "\n    return s * (1 - s)\n",
        1,
        "dtype",
        "float32",
    ),
    "NaN": (HEAD + "def sigmoid_prime(Z):\n    return Z * np.nan\n", 1, "finite", "nan"),
    "wrong values": (
        HEAD + "def sigmoid_prime(Z):\n    return 0.25 + 0 * Z\n",
        1,
        "values of sigmoid_prime(Z)",
        "differs from the reference",
    ),
    "modifies its input": (
        HEAD + "def sigmoid_prime(Z):\n    Z *= 0\n    return Z + 0.25\n",
        1,
        "inputs unchanged",
        "in place",
    ),
    "huge source file": (HEAD + "#" * (5 * 2**20) + "\n", 2, None, "not a submission"),
    "not UTF-8": (HEAD + "# \udcff\n", 2, None, "cannot read"),
    # -- limits ----------------------------------------------------------------------------
    "endless loop": (
        HEAD + "def sigmoid_prime(Z):\n    while True:\n        pass\n",
        2,
        None,
        "did not finish within 1 s",
    ),
    "endless loop at import": (
        HEAD + "while True:\n    pass\n",
        2,
        None,
        "did not finish within 1 s while the file was being imported",
    ),
    "reads stdin": (
        HEAD + "import os\ndef sigmoid_prime(Z):\n    os.read(0, 1)\n"
        "    while True:\n        pass\n",
        2,
        None,
        "did not finish",
    ),
    "memory exhaustion": (
        HEAD + "def sigmoid_prime(Z):\n    return bytearray(3 * 2**30)\n",
        2,
        None,
        "memory limit is 2 GiB",
    ),
    "huge output": (
        HEAD + "def sigmoid_prime(Z):\n    while True:\n        print('x' * 999)\n",
        2,
        None,
        "output limit",
    ),
    "huge output at import": (
        HEAD + "while True:\n    print('y' * 999)\n",
        2,
        None,
        "output limit",
    ),
    "huge file": (
        HEAD + "def sigmoid_prime(Z):\n    with open('big', 'wb') as f:\n"
        "        f.write(b'x' * 2**25)\n",
        1,
        "runs",
        "file too large",
    ),
    "os._exit at import": (HEAD + "import os\nos._exit(0)\n", 2, None, "exit code 0"),
    "os._exit when called": (
        HEAD + "import os\ndef sigmoid_prime(Z):\n    os._exit(3)\n",
        2,
        None,
        "exit code 3",
    ),
    "crash in native code": (
        HEAD + "import ctypes\ndef sigmoid_prime(Z):\n    return ctypes.string_at(0)\n",
        2,
        None,
        "SIGSEGV",
    ),
    "endless recursion": (
        HEAD + "def sigmoid_prime(Z):\n    return sigmoid_prime(Z)\n",
        1,
        "runs",
        "RecursionError",
    ),
    "exception whose str fails": (
        HEAD + "class Evil(Exception):\n    def __str__(self):\n"
        "        raise RuntimeError\n"
        "def sigmoid_prime(Z):\n    raise Evil()\n",
        1,
        "runs",
        "Evil",
    ),
    # -- the reference and the checker are out of reach ------------------------------------
    "imports the reference": (
        HEAD + "from deepqed.exercises import get\nsigmoid_prime = "
        "get('ex-ff-sigmoid-prime').exercise.reference\n",
        2,
        None,
        "cannot be imported by a submission",
    ),
    "imports the library": (
        HEAD + "from deepqed.nn import sigmoid_prime\n",
        2,
        None,
        "cannot be imported by a submission",
    ),
    "reads the spec file": (
        HEAD + f"source = open({str(SPEC_FILE)!r}).read()\n",
        2,
        None,
        "may not read",
    ),
    "loads the spec by path": (
        HEAD + "import runpy\nsigmoid_prime = runpy.run_path("
        f"{str(SPEC_FILE)!r})['sigmoid_prime']\n",
        2,
        None,
        "may not read",
    ),
    "patches numpy's comparisons": (
        HEAD + "np.allclose = np.array_equal = lambda *a, **k: True"
        "\nnp.isfinite = lambda x: np.ones(np.shape(x), bool)\n"
        "def sigmoid_prime(Z):\n    return np.zeros_like(Z)\n",
        1,
        "values of sigmoid_prime(Z)",
        "differs from the reference",
    ),
    "returns a liar": (
        HEAD + "class Liar:\n    def __eq__(self, other):\n        return True\n"
        "    __array_priority__ = 1e9\n"
        "def sigmoid_prime(Z):\n    return Liar()\n",
        1,
        "output type",
        "Liar",
    ),
    "returns a matrix": (
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z))\n"
        "    return np.asmatrix(s * (1 - s))\n",
        1,
        "output type",
        "matrix",
    ),
    "forges a pickle": (
        HEAD + "import pickle, os\nclass Boom:\n    def __reduce__(self):\n"
        "        return (os.system, ('touch pwned',))\n"
        "pickle.dumps = lambda *a, **k: pickle._dumps(Boom(), protocol=4)\n"
        "def sigmoid_prime(Z):\n    return Z\n",
        2,
        None,
        "malformed reply",
    ),
    "writes to every descriptor": (
        HEAD + "import os\ndef sigmoid_prime(Z):\n"
        "    for fd in range(3, 64):\n        try:\n"
        "            os.write(fd, b'\\x00\\x00\\x00\\x05passed')\n"
        "        except OSError:\n            pass\n"
        "    return Z\n",
        2,
        None,
        "malformed reply",
    ),
    "kills the checker": (
        HEAD + "import os, signal\ndef sigmoid_prime(Z):\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\n",
        1,
        "runs",
        "may not send signals",
    ),
    # -- no processes -----------------------------------------------------------------------
    "subprocess when called": (
        HEAD + "import subprocess\ndef sigmoid_prime(Z):\n    subprocess.run(['true'])\n",
        1,
        "runs",
        "may not start processes",
    ),
    "os.system at import": (
        HEAD + "import os\nos.system('true')\n",
        2,
        None,
        "may not start processes",
    ),
    "fork": (
        HEAD + "import os\ndef sigmoid_prime(Z):\n    os.fork()\n",
        1,
        "runs",
        "may not start processes",
    ),
    "multiprocessing": (
        HEAD + "import multiprocessing as mp\ndef sigmoid_prime(Z):\n"
        "    mp.Process(target=print).start()\n",
        1,
        "runs",
        "may not start processes",
    ),
}

#: Seconds a corpus entry may take at most (a limit of 1 s per call, plus process start).
SLOWEST = 8.0


@pytest.mark.parametrize("name", CORPUS)
def test_bad_submission(name, cli, tmp_path, monkeypatch):
    text, code, check, needle = CORPUS[name]
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "submission.py"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    start = time.perf_counter()
    out = cli("exercise", "check", path, "--json", "--timeout", "1")
    assert time.perf_counter() - start < SLOWEST
    assert out.exit_code == code, out.output
    data = json.loads(out.stdout)
    assert needle.lower() in json.dumps(data, ensure_ascii=False).lower(), out.stdout
    assert data["verdict"] == {1: "failed", 2: "unusable"}[code]
    assert "Traceback (most recent call last)" not in out.output  # never deepqed's own
    if check is not None:
        assert check in [c["name"] for c in data["checks"] if c["status"] == "failed"]
    else:
        assert len(data["message"].splitlines()[0]) < 300  # a one-line verdict first
    if data["exercise"] == "ex-ff-sigmoid-prime":  # the attempt is recorded, once
        assert [a["verdict"] for a in Store().attempts()] == [data["verdict"]]
    assert not (tmp_path / "pwned").exists()


def test_the_worker_is_gone_after_a_hostile_check(cli, tmp_path):
    import os

    marker = tmp_path / "alive"
    path = write(
        tmp_path,
        "submission.py",
        HEAD + "import threading, time\n"
        "def spin():\n    while True:\n        open("
        + repr(str(marker))
        + ", 'w').close()\n        time.sleep(0.05)\n"
        "threading.Thread(target=spin, daemon=False).start()\n"
        "def sigmoid_prime(Z):\n    return 0.25 + 0 * Z\n",
    )
    out = cli("exercise", "check", path, "--json", "--timeout", "1")
    assert out.exit_code == 1
    assert marker.exists()
    os.remove(marker)
    time.sleep(0.3)
    assert not marker.exists(), "the submission's process outlived the check"


def test_memory_is_limited_by_the_worker(tmp_path):
    from deepqed.exercises import Limits, check_file

    path = write(
        tmp_path,
        "s.py",
        HEAD + "def sigmoid_prime(Z):\n    hoard = []\n"
        "    while True:\n        hoard.append(np.ones(2**24))\n",
    )
    start = time.perf_counter()
    result = check_file(path, limits=Limits(memory_bytes=2**29, call_seconds=20))
    assert result.verdict == "unusable" and result.checks == []
    assert "ran out of memory" in result.message and "0.5 GiB" in result.message
    assert time.perf_counter() - start < 10  # stopped at the first input, not at every one


def test_traceback_is_the_submissions_own(cli, tmp_path):
    path = write(
        tmp_path,
        "submission.py",
        HEAD + "def helper(Z):\n    return Z[5]\n\ndef sigmoid_prime(Z):\n    return helper(Z)\n",
    )
    out = cli("exercise", "check", path)
    assert out.exit_code == 1
    assert "IndexError" in out.output and "in helper" in out.output and "line 4" in out.output
    assert "deepqed/exercises/" not in out.output
    assert "hypothesis" not in out.output.lower().replace("(shrunk)", "")


def test_output_of_the_submission_does_not_break_json(cli, tmp_path):
    path = write(
        tmp_path,
        "submission.py",
        HEAD + "print('at import')\ndef sigmoid_prime(Z):\n    print('called')\n" + GOOD,
    )
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
