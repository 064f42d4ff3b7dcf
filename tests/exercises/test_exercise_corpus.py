"""A corpus of bad and hostile submissions, each with the verdict it must get, in the sandbox.

Exit 2 (unusable): the file cannot be checked at all, or it reached a limit (time, output, the
process died, a malformed reply). Exit 1 (failed): the function runs, but some check fails on
some input; the report names the check. Every check runs through the CLI with a per-call limit
of 1 s; every attempt of a known exercise is recorded, and no process of the check outlives it.

The classes of attack (each entry names its class): passing without solving, reading a file
outside the sandbox, seeing host processes, signalling the checker, writing outside, starting
processes, forging results, hanging or crashing the checker, output injection. An attack entry
(:func:`hostile.attack`) tries at import and then defines a wrong function: its verdict is
``failed`` and its printed lines must show every attempt blocked (``needle``), none succeeding.
Run this file as root and as an ordinary user: both must pass.
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from dataclasses import asdict, dataclass
from pathlib import Path

import pytest
from hostile import GOOD, HEAD, WRONG, assert_no_process_left, attack, raw_reply

import deepqed
from deepqed import registry
from deepqed.exercises.isolation import sandbox_problem
from deepqed.exercises.progress import Store
from deepqed.exercises.spec import (
    DTYPE,
    FINITE,
    INPUTS_UNCHANGED,
    OUTPUT_SHAPE,
    OUTPUT_TYPE,
    RUNS,
    CheckId,
    values,
)

BOOK = registry.load().root
SPEC_FILE = BOOK / "feedforward" / "exercises" / "ex_ff_sigmoid_prime.py"
SRC = Path(deepqed.__file__).resolve().parent.parent
SITE_BOOK = Path(sysconfig.get_paths()["purelib"]) / "deepqed" / "_book"


@dataclass(frozen=True)
class Case:
    """``text`` (or a function of the test's ``tmp_path`` giving it), the verdict, the check
    that fails (``None``: unusable), a text the report contains, texts it must not contain."""

    kind: str
    text: object
    verdict: str
    check: CheckId | None
    needle: str
    absent: tuple[str, ...] = ("SUCCEEDED",)


def _p(path: object) -> str:
    return repr(str(path))


CORPUS: dict[str, Case] = {
    # -- files that cannot be checked, and ordinary mistakes -----------------------------------
    "no header": Case(
        "mistake",
        "import numpy as np\ndef sigmoid_prime(Z):\n" + GOOD,
        "unusable",
        None,
        "no header line",
    ),
    "unknown id": Case(
        "mistake",
        "# deepqed-exercise: ex-ff-nothing\ndef f(Z):\n    return Z\n",
        "unusable",
        None,
        "no exercise has the id",
    ),
    "proof id": Case(
        "mistake", "# deepqed-exercise: ex-ff-softmax-rank\n", "unusable", None, "proof exercise"
    ),
    "syntax error": Case(
        "mistake", HEAD + "def sigmoid_prime(Z):\n    return (Z +\n", "unusable", None, "line 4"
    ),
    "import error": Case(
        "mistake",
        HEAD + "import numpy_does_not_exist\ndef sigmoid_prime(Z):\n" + GOOD,
        "unusable",
        None,
        "numpy_does_not_exist",
    ),
    "raises at import": Case("mistake", HEAD + "1 / 0\n", "unusable", None, "ZeroDivisionError"),
    "sys.exit at import": Case(
        "mistake", HEAD + "import sys\nsys.exit(0)\n", "unusable", None, "sys.exit(0)"
    ),
    "missing function": Case(
        "mistake",
        HEAD + "def sigmoid_derivative(Z):\n" + GOOD,
        "unusable",
        None,
        "it defines: sigmoid_derivative",
    ),
    "not a function": Case(
        "mistake", HEAD + "sigmoid_prime = 0.25\n", "unusable", None, "not a function"
    ),
    "wrong signature": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z, W):\n" + GOOD,
        "unusable",
        None,
        "wrong signature",
    ),
    "raises": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    raise ValueError('boom')\n",
        "failed",
        RUNS,
        "ValueError: boom",
    ),
    "raises on some inputs": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    assert Z.ndim == 1, 'only vectors'\n" + GOOD,
        "failed",
        RUNS,
        "only vectors",
    ),
    "sys.exit when called": Case(
        "mistake",
        HEAD + "import sys\ndef sigmoid_prime(Z):\n    sys.exit(0)\n",
        "failed",
        RUNS,
        "sys.exit(0)",
    ),
    "forgets return": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z))\n    s * (1 - s)\n",
        "failed",
        OUTPUT_TYPE,
        "did you forget `return`?",
    ),
    "returns a list": Case(
        "mistake",
        HEAD
        + "def sigmoid_prime(Z):\n"
        + GOOD.replace("e / (1 + e) ** 2", "(e / (1 + e) ** 2).tolist()"),
        "failed",
        OUTPUT_TYPE,
        "list",
    ),
    "wrong shape": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z))\n"
        "    return (s * (1 - s)).ravel()\n",
        "failed",
        OUTPUT_SHAPE,
        "shape",
    ),
    "wrong dtype": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    s = 1 / (1 + np.exp(-Z.astype(float)))"
        "\n    return s * (1 - s)\n",
        "failed",
        DTYPE,
        "float32 in, float32 out",
    ),
    "NaN": Case(
        "mistake", HEAD + "def sigmoid_prime(Z):\n    return Z * np.nan\n", "failed", FINITE, "nan"
    ),
    "wrong values": Case(
        "mistake", HEAD + WRONG, "failed", values(0), "differs from the reference"
    ),
    "modifies its input": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    Z *= 0\n    return Z + 0.25\n",
        "failed",
        INPUTS_UNCHANGED,
        "in place",
    ),
    "huge source file": Case(
        "mistake", HEAD + "#" * (5 * 2**20) + "\n", "unusable", None, "not a submission"
    ),
    "not UTF-8": Case("mistake", HEAD + "# \udcff\n", "unusable", None, "not UTF-8"),
    "exception whose str fails": Case(
        "mistake",
        HEAD + "class Evil(Exception):\n    def __str__(self):\n        raise RuntimeError\n"
        "def sigmoid_prime(Z):\n    raise Evil()\n",
        "failed",
        RUNS,
        "Evil",
    ),
    "endless recursion": Case(
        "mistake",
        HEAD + "def sigmoid_prime(Z):\n    return sigmoid_prime(Z)\n",
        "failed",
        RUNS,
        "RecursionError",
    ),
    # -- limits ----------------------------------------------------------------------------------
    "endless loop": Case(
        "limit",
        HEAD + "def sigmoid_prime(Z):\n    while True:\n        pass\n",
        "unusable",
        None,
        "did not finish within 1 s",
    ),
    "endless loop at import": Case(
        "limit",
        HEAD + "while True:\n    pass\n",
        "unusable",
        None,
        "did not finish within 1 s while the file was being imported",
    ),
    "reads stdin": Case(
        "limit",
        HEAD
        + "import os\ndef sigmoid_prime(Z):\n    os.read(0, 1)\n    while True:\n        pass\n",
        "unusable",
        None,
        "did not finish",
    ),
    "memory exhaustion": Case(
        "limit",
        HEAD + "def sigmoid_prime(Z):\n    return bytearray(3 * 2**30)\n",
        "unusable",
        None,
        "memory limit is 2 GiB",
    ),
    "huge output": Case(
        "limit",
        HEAD + "def sigmoid_prime(Z):\n    while True:\n        print('x' * 999)\n",
        "unusable",
        None,
        "output limit",
    ),
    "huge output at import": Case(
        "limit", HEAD + "while True:\n    print('y' * 999)\n", "unusable", None, "output limit"
    ),
    "huge file": Case(
        "limit",
        HEAD + "def sigmoid_prime(Z):\n    with open('big', 'wb') as f:\n"
        "        f.write(b'x' * 2**25)\n",
        "failed",
        RUNS,
        "file too large",
    ),
    "fills its folder": Case(
        "limit",
        attack(
            "def fill():\n"
            "    for i in range(5000):\n"
            "        open(f'small{i}', 'w').write('x')\n"
            "    for i in range(20):\n"
            "        open(f'big{i}', 'wb').write(b'x' * 2**23)\n"
            "attempt('filling the folder', fill)\n"
        ),
        "failed",
        values(0),
        "No space left on device",
    ),
    "os._exit at import": Case(
        "limit", HEAD + "import os\nos._exit(0)\n", "unusable", None, "exit code 0"
    ),
    "os._exit when called": Case(
        "limit",
        HEAD + "import os\ndef sigmoid_prime(Z):\n    os._exit(3)\n",
        "unusable",
        None,
        "exit code 3",
    ),
    "crash in native code": Case(
        "limit",
        HEAD + "import ctypes\ndef sigmoid_prime(Z):\n    return ctypes.string_at(0)\n",
        "unusable",
        None,
        "SIGSEGV",
    ),
    # -- passing without solving: the references are out of reach ------------------------------
    "imports the reference": Case(
        "passing without solving",
        HEAD + "from deepqed.exercises import get\nsigmoid_prime = "
        "get('ex-ff-sigmoid-prime').exercise.reference\n",
        "unusable",
        None,
        "cannot be imported by a submission",
    ),
    "imports the library": Case(
        "passing without solving",
        HEAD + "from deepqed.nn import sigmoid_prime\n",
        "unusable",
        None,
        "cannot be imported by a submission",
    ),
    "imports deepqed past the guards": Case(
        "passing without solving",
        attack(
            "import os.path\nos.path.realpath = lambda p, **k: '/nowhere'\n"
            f"sys.path.append({_p(SRC)})\n"
            "attempt('import deepqed', lambda: __import__('deepqed.exercises'))\n"
        ),
        "failed",
        values(0),
        "import deepqed blocked: ModuleNotFoundError",
    ),
    "reads the spec file": Case(
        "passing without solving",
        attack(f"attempt('reading the spec', lambda: open({_p(SPEC_FILE)}).read())\n"),
        "failed",
        values(0),
        "reading the spec blocked: FileNotFoundError",
    ),
    "loads the spec by path": Case(
        "passing without solving",
        attack(f"import runpy\nattempt('runpy', lambda: runpy.run_path({_p(SPEC_FILE)}))\n"),
        "failed",
        values(0),
        "runpy blocked: FileNotFoundError",
    ),
    "reads the book installed in site-packages": Case(
        "passing without solving",
        attack(
            "import os\n"
            f"attempt('site book', lambda: os.listdir({_p(SITE_BOOK)}))\n"
            f"attempt('site spec', lambda: open({_p(SITE_BOOK / SPEC_FILE.relative_to(BOOK))}))\n"
        ),
        "failed",
        values(0),
        "site spec blocked: FileNotFoundError",
    ),
    "opens the spec relative to a folder descriptor": Case(
        "passing without solving",
        attack(
            "import os\n"
            "def relative():\n"
            "    root = os.open('/', os.O_RDONLY)\n"
            f"    os.open({_p(str(SPEC_FILE).lstrip('/'))}, os.O_RDONLY, dir_fd=root)\n"
            "attempt('dir_fd', relative)\n"
        ),
        "failed",
        values(0),
        "dir_fd blocked: FileNotFoundError",
    ),
    "hard-links the spec into its folder": Case(
        "passing without solving",
        attack(f"import os\nattempt('link', lambda: os.link({_p(SPEC_FILE)}, 'spec.py'))\n"),
        "failed",
        values(0),
        "link blocked: FileNotFoundError",
    ),
    "reads the built book": Case(
        "passing without solving",
        lambda tmp: attack(
            f"attempt('html', lambda: open({_p(tmp / '_build' / 'html' / 'index.html')}))\n"
            f"attempt('book html', lambda: open({_p(BOOK / '_build' / 'html' / 'index.html')}))\n"
        ),
        "failed",
        values(0),
        "html blocked: FileNotFoundError",
    ),
    "forges a passed attempt in the progress database": Case(
        "passing without solving",
        lambda tmp: attack(
            "import sqlite3, os\n"
            "attempt('environ of the checker', lambda: open(f'/proc/{os.getppid()}/environ'))\n"
            f"attempt('environ by pid', lambda: open('/proc/{os.getpid()}/environ'))\n"
            "def forge():\n"
            f"    con = sqlite3.connect({_p(tmp / 'data' / 'progress.sqlite3')})\n"
            '    con.execute("INSERT INTO attempts (time, exercise, verdict) VALUES '
            "('2026', 'ex-ff-sigmoid-prime', 'passed')\")\n"
            "    con.commit()\n"
            "attempt('forging a row', forge)\n"
        ),
        "failed",
        values(0),
        "forging a row blocked: OperationalError",
    ),
    # -- reading any file outside the sandbox, seeing host processes ---------------------------
    "reads files outside": Case(
        "reading outside",
        lambda tmp: attack(
            "import os\n"
            "attempt('passwd', lambda: open('/etc/passwd').read())\n"
            "attempt('home', lambda: os.listdir(os.path.expanduser('~user')))\n"
            f"attempt('test file', lambda: open({_p(__file__)}).read())\n"
            f"attempt('its own folder', lambda: os.listdir({_p(tmp)}))\n"
            f"attempt('venv', lambda: os.listdir({_p(sys.prefix)}))\n"
            "attempt('tmp', lambda: os.listdir('/tmp'))\n"
        ),
        "failed",
        values(0),
        "passwd blocked: FileNotFoundError",
    ),
    "looks for host processes": Case(
        "seeing host processes",
        attack(
            "import os, signal\n"
            "attempt('proc', lambda: os.listdir('/proc'))\n"
            f"attempt('pidfd of the checker', lambda: os.pidfd_open({os.getpid()}))\n"
            f"attempt('kill 0 the checker', lambda: os.kill({os.getpid()}, 0))\n"
            "attempt('proc 1', lambda: open('/proc/1/cmdline'))\n"
        ),
        "failed",
        values(0),
        "pidfd of the checker blocked: ProcessLookupError",
    ),
    # -- signalling the checker ----------------------------------------------------------------
    "kills the checker": Case(
        "signalling the checker",
        HEAD
        + "import os, signal\ndef sigmoid_prime(Z):\n    os.kill(os.getppid(), signal.SIGKILL)\n",
        "failed",
        RUNS,
        "may not send signals",
    ),
    "stops and kills the checker past the guards": Case(
        "signalling the checker",
        attack(
            "import os, signal\n"
            f"attempt('SIGSTOP by pid', lambda: os.kill({os.getpid()}, signal.SIGSTOP))\n"
            f"attempt('SIGKILL by pid', lambda: os.kill({os.getpid()}, signal.SIGKILL))\n"
            "attempt('pidfd SIGKILL', lambda: signal.pidfd_send_signal("
            f"os.pidfd_open({os.getpid()}), signal.SIGKILL))\n"
            "os.kill(os.getppid(), signal.SIGSTOP)\n"
            "os.kill(os.getppid(), signal.SIGKILL)\n"
            "attempt('every process', lambda: os.kill(-1, signal.SIGKILL))\n"
        ),
        "failed",
        values(0),
        "SIGSTOP by pid blocked: ProcessLookupError",
    ),
    # -- writing outside -------------------------------------------------------------------------
    "writes outside": Case(
        "writing outside",
        lambda tmp: attack(
            f"attempt('host folder', lambda: open({_p(tmp / 'pwned')}, 'w').write('x'))\n"
            "attempt('root', lambda: open('/pwned', 'w').write('x'))\n"
            "attempt('usr', lambda: open('/usr/pwned', 'w').write('x'))\n"
            "attempt('shm', lambda: open('/dev/shm/pwned', 'w').write('x'))\n"
            "attempt('tmp', lambda: open('/tmp/pwned', 'w').write('x'))\n"
            "attempt('python', lambda: open(sys.executable, 'ab'))\n"
        ),
        "failed",
        values(0),
        "root blocked: OSError [Errno 30] Read-only file system",
    ),
    # -- starting processes ----------------------------------------------------------------------
    "subprocess when called": Case(
        "starting processes",
        HEAD + "import subprocess\ndef sigmoid_prime(Z):\n    subprocess.run(['true'])\n",
        "failed",
        RUNS,
        "may not start processes",
    ),
    "os.system at import": Case(
        "starting processes",
        HEAD + "import os\nos.system('true')\n",
        "unusable",
        None,
        "may not start processes",
    ),
    "fork": Case(
        "starting processes",
        HEAD + "import os\ndef sigmoid_prime(Z):\n    os.fork()\n",
        "failed",
        RUNS,
        "may not start processes",
    ),
    "multiprocessing": Case(
        "starting processes",
        HEAD + "import multiprocessing as mp\ndef sigmoid_prime(Z):\n"
        "    mp.Process(target=print).start()\n",
        "failed",
        RUNS,
        "may not start processes",
    ),
    "starts processes past the guards": Case(
        "starting processes",
        lambda tmp: attack(
            "import os, subprocess\n"
            "attempt('fork', os.fork)\n"
            f"attempt('subprocess', lambda: subprocess.run(['/usr/bin/touch', {_p(tmp / 'x')}]))\n"
            "attempt('exec', lambda: os.execv('/usr/bin/true', ['true']))\n"
            "attempt('posix_spawn', lambda: os.posix_spawn('/usr/bin/true', ['true'], {}))\n"
        ),
        "failed",
        values(0),
        "fork blocked: PermissionError [Errno 1] Operation not permitted",
    ),
    # -- forging results ---------------------------------------------------------------------
    "writes to every descriptor": Case(
        "forging results",
        HEAD + "import os\ndef sigmoid_prime(Z):\n"
        "    for fd in range(3, 64):\n        try:\n"
        "            os.write(fd, b'\\x00\\x00\\x00\\x06Tpassed')\n"
        "        except OSError:\n            pass\n"
        "    return Z\n",
        "unusable",
        None,
        "malformed reply",
    ),
    "replaces its encoder": Case(
        "forging results",
        HEAD + "import sys\nwire = sys.modules['deepqed_wire']\n"
        "wire.dumps = lambda message: b'd\\x00\\x00\\x00\\x01s\\x00\\x00\\x00\\x04typeTpassed'\n"
        "def sigmoid_prime(Z):\n    return Z\n",
        "unusable",
        None,
        "malformed reply",
    ),
    "answers for another call": Case(
        "forging results",
        HEAD + "import sys\nwire = sys.modules['deepqed_wire']\n_dumps = wire.dumps\n"
        "def forged(message):\n"
        "    if message.get('type') == 'called':\n"
        "        message = {**message, 'seq': message['seq'] + 1}\n"
        "    return _dumps(message)\n"
        "wire.dumps = forged\n" + WRONG,
        "unusable",
        None,
        "malformed reply",
    ),
    # -- hanging or crashing the checker with its replies ------------------------------------
    "announces a 4 GiB reply": Case(
        "hanging or crashing the checker",
        raw_reply("b'\\xff\\xff\\xff\\xff' + b'N' * 100"),
        "unusable",
        None,
        "more than the limit",
    ),
    "a reply nested 5000 deep": Case(
        "hanging or crashing the checker",
        raw_reply(
            "(lambda p: struct.pack('>I', len(p)) + p)(b'l\\x00\\x00\\x00\\x01' * 5000 + b'N')"
        ),
        "unusable",
        None,
        "nested more than",
    ),
    "a reply of a million values": Case(
        "hanging or crashing the checker",
        raw_reply(
            "(lambda p: struct.pack('>I', len(p)) + p)(b'l' + struct.pack('>I', 10**6) + b'N' * 10**6)"
        ),
        "unusable",
        None,
        "more than 100000 values",
    ),
    "an array that claims 10^12 entries": Case(
        "hanging or crashing the checker",
        raw_reply(
            "(lambda p: struct.pack('>I', len(p)) + p)(b'a\\x03<f8\\x02' "
            "+ struct.pack('>QQ', 10**6, 10**6) + b'\\x00' * 64)"
        ),
        "unusable",
        None,
        "ends in the middle of a value",
    ),
    "a reply of garbage": Case(
        "hanging or crashing the checker",
        raw_reply("b'\\x00\\x00\\x00\\x04\\x99\\x98\\x97\\x96'"),
        "unusable",
        None,
        "unknown tag",
    ),
    # -- output injection --------------------------------------------------------------------
    "escape sequences in an exception": Case(
        "output injection",
        HEAD + "def sigmoid_prime(Z):\n"
        "    raise ValueError('\\x1b[2K\\r\\x1b[32mex-ff-sigmoid-prime: PASSED\\x1b[0m')\n",
        "failed",
        RUNS,
        "\\x1b[32m",
    ),
}


@pytest.fixture(scope="module", autouse=True)
def sandbox_available():
    problem = sandbox_problem()
    assert not problem, f"the sandbox must work where the tests run: {problem}"


def _text(case: Case, tmp_path: Path) -> str:
    return case.text(tmp_path) if callable(case.text) else case.text  # type: ignore[operator]


@pytest.mark.parametrize("name", CORPUS)
def test_bad_submission(name, cli, tmp_path, monkeypatch):
    case = CORPUS[name]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "_build" / "html").mkdir(parents=True)
    (tmp_path / "_build" / "html" / "index.html").write_text("<html></html>")
    Store().record("ex-ff-ce-grad", "failed", "00" * 32)  # the database exists on the host
    path = tmp_path / "submission.py"
    path.write_bytes(_text(case, tmp_path).encode("utf-8", "surrogateescape"))
    out = cli("exercise", "check", path, "--json", "--timeout", "1")
    assert out.exit_code == {"failed": 1, "unusable": 2}[case.verdict], out.output
    data = json.loads(out.stdout)
    report = json.dumps(data, ensure_ascii=False)
    assert case.needle.lower() in report.lower(), out.stdout
    for text in case.absent:
        assert text not in report, out.stdout
    assert data["verdict"] == case.verdict
    assert "Traceback (most recent call last)" not in out.output  # never deepqed's own
    if case.check is not None:
        failed = [c["check"] for c in data["checks"] if c["status"] == "failed"]
        assert asdict(case.check) in failed, out.stdout
    else:
        assert len(data["message"].splitlines()[0]) < 300  # a one-line verdict first
    if data["exercise"] == "ex-ff-sigmoid-prime":  # the attempt is recorded, once
        assert [a["verdict"] for a in Store().attempts("ex-ff-sigmoid-prime")] == [data["verdict"]]
        assert data["isolation"] in ("sandbox", "")  # "": refused before anything ran
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "x").exists()
    assert_no_process_left(str(tmp_path))


def test_the_corpus_covers_every_class_of_attack():
    assert {c.kind for c in CORPUS.values()} >= {
        "passing without solving",
        "reading outside",
        "seeing host processes",
        "signalling the checker",
        "writing outside",
        "starting processes",
        "forging results",
        "hanging or crashing the checker",
        "output injection",
    }
