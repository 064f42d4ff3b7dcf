"""The sandbox from inside, the checker's channel, fresh seeds, and the fallback without sandbox.

Run this file as root and as an ordinary user: both must pass.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import sysconfig
import time
from pathlib import Path

import numpy as np
import pytest
from exercise_helpers import write
from hostile import GOOD, HEAD, WRONG, assert_no_process_left

import deepqed
from deepqed import registry
from deepqed.exercises import Limits, check, check_file
from deepqed.exercises import sandbox as box
from deepqed.exercises.isolation import Abort, SandboxUnavailable, Worker, sandbox_problem
from deepqed.exercises.progress import Store

BOOK = registry.load().root
SPEC_FILE = BOOK / "feedforward" / "exercises" / "ex_ff_sigmoid_prime.py"


@pytest.fixture(scope="module", autouse=True)
def sandbox_available():
    problem = sandbox_problem()
    assert not problem, f"the sandbox must work where the tests run: {problem}"


# -- what a sandboxed submission can open ---------------------------------------------------


def sensitive_paths(tmp_path: Path) -> list[str]:
    """Paths that exist on the host and that a submission must not open: deepqed's package,
    the book and its copy in site-packages, the built book, the data folder, the checker's
    /proc entries and /proc/1, other submissions, the home folder, the virtual environment."""
    classmate = tmp_path / "class" / "bob" / "sigmoid.py"
    classmate.parent.mkdir(parents=True)
    classmate.write_text(HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    built = tmp_path / "_build" / "html" / "index.html"
    built.parent.mkdir(parents=True)
    built.write_text("<html></html>")
    Store().record("ex-ff-ce-grad", "failed", "00" * 32)
    pid = os.getpid()
    paths = [
        Path(deepqed.__file__).parent,
        Path(deepqed.__file__),
        Path(deepqed.__file__).parent / "exercises" / "spec.py",
        BOOK,
        BOOK / "conf.py",
        SPEC_FILE,
        built,
        built.parent,
        Store().folder,
        Store().path,
        Path("/proc/1"),
        Path("/proc/1/environ"),
        Path(f"/proc/{pid}"),
        Path(f"/proc/{pid}/environ"),
        Path(f"/proc/{pid}/fd"),
        Path(f"/proc/{pid}/mem"),
        classmate,
        classmate.parent,
        Path.home(),
        Path(sys.prefix),
        Path(__file__),
    ]
    site_book = Path(sysconfig.get_paths()["purelib"]) / "deepqed" / "_book"
    if site_book.exists():
        paths += [site_book, site_book / SPEC_FILE.relative_to(BOOK)]
    if (BOOK / "_build").exists():
        paths.append(BOOK / "_build")
    assert all(p.exists() for p in paths), [p for p in paths if not p.exists()]
    return [str(p) for p in paths]


def opener(paths: list[str]) -> str:
    """A correct submission that, at import, tries to open every path (files and folders) and
    prints each one it could open; it returns wrong values if it opened any."""
    return (
        HEAD
        + "import os\nOPENED = []\n"
        + f"for p in {paths!r}:\n"
        + "    try:\n"
        + "        os.close(os.open(p, os.O_RDONLY))\n"
        + "        OPENED.append(p)\n"
        + "        print('OPENED', p)\n"
        + "    except OSError:\n"
        + "        pass\n"
        + "def sigmoid_prime(Z):\n"
        + "    if OPENED:\n"
        + "        return 0 * Z\n"
        + GOOD
    )


def test_sensitive_paths_cannot_be_opened_from_inside(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = sensitive_paths(tmp_path)
    path = write(tmp_path, "opener.py", opener(paths))
    result = check_file(path, limits=Limits(call_seconds=5))
    assert result.isolation == "sandbox"
    assert "OPENED" not in result.printed, result.printed
    assert result.verdict == "passed", str(result)
    assert_no_process_left(str(tmp_path))


def test_without_the_sandbox_the_same_file_opens_them(tmp_path, monkeypatch):
    """The control: the list is real, and the submission above would have told."""
    monkeypatch.chdir(tmp_path)
    paths = sensitive_paths(tmp_path)
    path = write(tmp_path, "opener.py", opener(paths))
    result = check_file(path, limits=Limits(call_seconds=5), sandbox=False)
    assert result.isolation == "process"
    opened = {line.split(" ", 1)[1] for line in result.printed.splitlines() if "OPENED" in line}
    assert {str(Path(f"/proc/{os.getpid()}/environ")), str(tmp_path / "class" / "bob")} <= opened
    assert result.verdict == "failed"


def test_the_sandbox_shows_only_the_runtime_numpy_scipy_and_the_copy(tmp_path):
    path = write(
        tmp_path,
        "look.py",
        HEAD + "import os, scipy.linalg, scipy.special\n"
        "print('CWD', os.getcwd(), sorted(os.listdir('.')))\n"
        "print('ROOT', sorted(os.listdir('/')))\n"
        "print('UID', os.getuid(), os.getgid())\n"
        "print('SITE', sorted(os.listdir('/sandbox/site')))\n"
        "import sys\n"
        "where = repr([sys.argv, os.environ, __file__, sys._getframe().f_code.co_filename])\n"
        "print('PATHS', where.encode().hex())  # in hex: the report shows its own file's path\n"
        "def sigmoid_prime(Z):\n" + GOOD,
    )
    result = check_file(path)
    assert result.verdict == "passed", str(result)
    lines = dict(line.split(" ", 1) for line in result.printed.splitlines())
    seen_inside = bytes.fromhex(lines["PATHS"]).decode()
    assert str(tmp_path) not in seen_inside and "/submission/submission.py" in seen_inside
    assert lines["CWD"] == "/submission ['submission.py']"
    root = set(eval(lines["ROOT"]))
    assert "proc" not in root and "home" not in root and "tmp" not in root and "work" not in root
    assert lines["UID"] == f"{box.SANDBOX_UID} {box.SANDBOX_UID}"
    assert {"numpy", "scipy"} <= set(eval(lines["SITE"]))


# -- the channel ------------------------------------------------------------------------------


def test_a_worker_that_stops_reading_cannot_block_the_checker(tmp_path):
    """The submission shrinks the request pipe and makes its worker stop reading: a large input
    can then not be written; the send gives up at the call's time limit."""
    source = (
        "import fcntl, json, sys, time\n"
        "fd = json.loads(sys.argv[1])['requests']\n"
        "fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ\n"
        "sys.modules['deepqed_wire'].read_message = lambda *a, **k: time.sleep(60)\n"
        "def f(x):\n    return x\n"
    )
    limits = Limits(call_seconds=1.0)
    with Worker(limits, source=source.encode(), label=str(tmp_path / "s.py")) as worker:
        info = worker.load(tmp_path / "s.py", source, "implement", ["f"], ["x"])
        assert info["ok"] is True
        # The send gives up (rather than block forever) and says why.
        with pytest.raises(Abort, match="stopped reading its input"):
            worker.call([np.zeros(2**20)], "f(x)")
    assert_no_process_left(tmp_path / "s.py")


def test_a_reply_larger_than_the_limit_is_refused(tmp_path):
    path = write(tmp_path, "s.py", HEAD + "def sigmoid_prime(Z):\n    return np.zeros(10**7)\n")
    result = check_file(path, limits=Limits(reply_bytes=2**20))
    assert result.verdict == "unusable"
    assert "more than the limit of 1048576 bytes" in result.message


def test_a_compute_reply_of_a_million_arrays(tmp_path):
    """A list of one array a million times: plain data keeps 64 items at most; sent raw, the
    reply exceeds the size limit (and would exceed the budget of values): neither reaches
    NumPy."""
    listed = write(
        tmp_path,
        "a.py",
        "# deepqed-exercise: ex-ff-cost-count\nimport numpy as np\n"
        "forward = [np.ones(3)] * 10**6\nbackward = ratio = elementwise = 0\n",
    )
    result = check_file(listed)
    assert result.verdict == "failed"
    assert "forward is a list; expected a number" in str(result)
    raw = write(
        tmp_path,
        "b.py",
        "# deepqed-exercise: ex-ff-cost-count\nimport json, os, struct, sys\n"
        "item = b'a\\x03<f8\\x01' + struct.pack('>Q', 3) + bytes(24)\n"
        "value = b'd' + struct.pack('>I', 1) + b's' + struct.pack('>I', 7) + b'forward'\n"
        "value += b'l' + struct.pack('>I', 10**6) + item * 10**6\n"
        "msg = b'd' + struct.pack('>I', 2) + b's\\x00\\x00\\x00\\x04typeS' + b'X'\n"
        "msg = b'd' + struct.pack('>I', 3) + b's' + struct.pack('>I', 4) + b'type'"
        " + b's' + struct.pack('>I', 6) + b'loaded' + b's' + struct.pack('>I', 2) + b'ok' + b'T'"
        " + b's' + struct.pack('>I', 6) + b'values' + value\n"
        "data = struct.pack('>I', len(msg)) + msg\n"
        "fd = json.loads(sys.argv[1])['replies']\n"
        "while data:\n    data = data[os.write(fd, data):]\n"
        "import time\ntime.sleep(30)\n",
    )
    result = check_file(raw, limits=Limits(call_seconds=20))
    assert result.verdict == "unusable"
    assert f"more than the limit of {Limits().reply_bytes}" in result.message
    result = check_file(raw, limits=Limits(call_seconds=20, reply_bytes=2**26))
    assert result.verdict == "unusable"
    assert "more than 100000 values" in result.message


def test_a_sparse_3_gib_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.py"
    with path.open("wb") as f:
        f.write(HEAD.encode())
        f.truncate(3 * 2**30)
    result = check_file(path)
    assert result.verdict == "unusable" and "larger than 1024 KiB" in result.message
    assert result.sha256 is None  # not hashed either


def test_links_and_other_non_files_are_refused(tmp_path):
    real = write(tmp_path, "real.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    (tmp_path / "link.py").symlink_to(real)
    os.mkfifo(tmp_path / "fifo.py")
    link = check_file(tmp_path / "link.py")
    assert link.verdict == "unusable" and "symbolic link" in link.message
    fifo = check_file(tmp_path / "fifo.py")  # would block a reader that opened it blindly
    assert fifo.verdict == "unusable" and "not a regular file" in fifo.message
    assert stat.S_ISFIFO(os.stat(tmp_path / "fifo.py").st_mode)


# -- fresh seeds ------------------------------------------------------------------------------


def test_every_check_draws_fresh_inputs_and_a_seed_draws_them_again():
    seen: list[list[bytes]] = []

    def recording(Z):
        seen[-1].append(Z.tobytes())
        e = np.exp(-np.abs(Z))
        return e / (1 + e) ** 2

    seeds = []
    for seed in (None, None, 12345, 12345):
        seen.append([])
        result = check(recording, "ex-ff-sigmoid-prime", seed=seed)
        assert result.verdict == "passed"
        seeds.append(result.seed)
    assert seeds[0] != seeds[1] and seeds[2:] == [12345, 12345]
    assert seen[0] != seen[1]  # a table of one run's inputs is worthless in the next
    assert seen[2] == seen[3]  # the report's seed draws the same inputs again


def test_the_report_gives_the_seed(cli, tmp_path):
    path = write(tmp_path, "s.py", HEAD + WRONG)
    out = cli("exercise", "check", path, "--seed", "777")
    assert out.exit_code == 1
    assert "seed 777: `--seed 777` draws the same inputs again" in out.output
    again = cli("exercise", "check", path, "--seed", "777", "--json")
    assert json.loads(again.stdout)["seed"] == 777


# -- reports ----------------------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(cli, tmp_path):
    path = write(
        tmp_path,
        "s.py",
        HEAD + "print('\\x1b[2J\\x1b[32mPASSED\\r\\u202eevil\\x07')\n"
        "def sigmoid_prime(Z):\n"
        "    raise ValueError('\\x1b[1A\\x1b[2K\\x1b[32mex-ff-sigmoid-prime: PASSED\\x1b[0m')\n",
    )
    out = cli("exercise", "check", path)
    assert out.exit_code == 1
    for bad in ("\x1b", "\r", "\u202e", "\x07"):
        assert bad not in out.output
    assert "\\x1b[32m" in out.output and "\\u202e" in out.output


def test_the_worker_is_gone_after_a_hostile_check_without_the_sandbox(cli, tmp_path):
    marker = tmp_path / "alive"
    path = write(
        tmp_path,
        "submission.py",
        HEAD + "import threading, time\n"
        "def spin():\n    while True:\n        open("
        + repr(str(marker))
        + ", 'w').close()\n        time.sleep(0.05)\n"
        "try:\n    threading.Thread(target=spin, daemon=False).start()\n"
        "except RuntimeError:  # an ordinary user's worker may not create threads either\n"
        "    open(" + repr(str(marker)) + ", 'w').close()\n" + WRONG,
    )
    out = cli("exercise", "check", path, "--json", "--timeout", "1", "--no-sandbox")
    assert out.exit_code == 1
    assert marker.exists()
    os.remove(marker)
    time.sleep(0.3)
    assert not marker.exists(), "the submission's process outlived the check"
    assert_no_process_left(str(tmp_path))


def test_memory_is_limited_by_the_worker(tmp_path):
    path = write(
        tmp_path,
        "s.py",
        HEAD + "CALLS = 0\n"
        "def sigmoid_prime(Z):\n    global CALLS\n    CALLS += 1\n    print('call', CALLS)\n"
        "    hoard = []\n    while True:\n        hoard.append(np.ones(2**24))\n",
    )
    result = check_file(path, limits=Limits(memory_bytes=2**29, call_seconds=20))
    assert result.verdict == "unusable" and result.checks == []
    assert "ran out of memory" in result.message and "0.5 GiB" in result.message
    assert result.printed.splitlines() == ["call 1"]  # stopped at the first input


def test_traceback_is_the_submissions_own(cli, tmp_path):
    path = write(
        tmp_path,
        "submission.py",
        HEAD + "def helper(Z):\n    return Z[5]\n\ndef sigmoid_prime(Z):\n    return helper(Z)\n",
    )
    out = cli("exercise", "check", path)
    assert out.exit_code == 1
    assert "IndexError" in out.output and "in helper" in out.output and "line 4" in out.output
    assert "return Z[5]" in out.output  # the line itself, from the copy the worker read
    assert "deepqed/exercises/" not in out.output and "_worker.py" not in out.output
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


def test_a_missing_file_gets_a_clear_message(cli, tmp_path):
    out = cli("exercise", "check", tmp_path / "absent.py")
    assert out.exit_code == 2
    first = out.output.splitlines()[0]
    assert first == f"{tmp_path / 'absent.py'}: UNUSABLE" and "?" not in first
    assert f"no such file: {tmp_path / 'absent.py'}" in out.output


def test_attempts_on_unusable_files_of_known_exercises_are_recorded(cli, tmp_path):
    cli(
        "exercise", "check", write(tmp_path, "a.py", HEAD + "def sigmoid_prime(Z):\n    return (\n")
    )
    cli("exercise", "check", write(tmp_path, "b.py", "# deepqed-exercise: ex-nope\n"))
    cli(
        "exercise",
        "check",
        write(
            tmp_path,
            "c.py",
            HEAD + "import json, os, sys\ndef sigmoid_prime(Z):\n"
            "    os.write(json.loads(sys.argv[1])['replies'], b'\\x00\\x00\\x00\\x02l\\xff')\n"
            "    import time; time.sleep(9)\n",
        ),
        "--timeout",
        "2",
    )
    attempts = Store().attempts()
    assert [a["verdict"] for a in attempts] == ["unusable", "unusable"]
    assert all(a["sha256"] for a in attempts)


# -- without the sandbox ----------------------------------------------------------------------


@pytest.fixture
def no_bwrap(monkeypatch, tmp_path):
    """A machine where ``bwrap`` exists but cannot create namespaces (user namespaces
    disabled): a stand-in that fails as bubblewrap does."""
    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo "bubblewrap 0.8.0"; exit 0; fi\n'
        'echo "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n'
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    box.unavailable.cache_clear()
    yield
    box.unavailable.cache_clear()


def test_check_falls_back_with_a_warning_without_namespaces(cli, tmp_path, no_bwrap):
    assert "uid map" in sandbox_problem()
    path = write(tmp_path, "s.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
    out = cli("exercise", "check", path, "--json")
    assert out.exit_code == 0
    assert "warning: bubblewrap could not create the sandbox" in out.stderr
    assert "without the sandbox" in out.stderr
    assert json.loads(out.stdout)["isolation"] == "process"


def test_check_says_when_bubblewrap_is_missing(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    box.unavailable.cache_clear()
    try:
        path = write(tmp_path, "s.py", HEAD + "def sigmoid_prime(Z):\n" + GOOD)
        out = cli("exercise", "check", path)
        assert out.exit_code == 0
        assert "bubblewrap (bwrap) is not installed" in out.stderr
    finally:
        box.unavailable.cache_clear()


def test_without_the_sandbox_the_guards_still_refuse_the_references(cli, tmp_path):
    path = write(tmp_path, "s.py", HEAD + f"source = open({str(SPEC_FILE)!r}).read()\n")
    out = cli("exercise", "check", path, "--json", "--no-sandbox")
    assert out.exit_code == 2
    assert "may not read" in json.loads(out.stdout)["message"]


def test_the_sandbox_refuses_to_start_where_it_cannot(no_bwrap):
    with pytest.raises(SandboxUnavailable, match="uid map"):
        Worker(Limits(), source=b"", label="x")


def test_what_the_sandbox_binds_is_never_sensitive():
    """The command line binds the runtime, NumPy, SciPy and the worker's two files; nothing of
    deepqed besides them, the book, the home folder or the data folder."""
    argv, _ = box.command(
        folder_bytes=2**20, source_fd=9, worker_args=["{}"], hidden=box.sensitive_paths()
    )
    sources = [argv[i + 1] for i, a in enumerate(argv) if a == "--ro-bind"]
    package = str(Path(deepqed.__file__).resolve().parent)
    for src in sources:
        if src.startswith(package):
            assert Path(src).name in ("_worker.py", "_wire.py"), src
        assert not src.startswith(str(BOOK)), src
        assert src != str(Path.home()) and src != str(Store().folder), src
    assert "--unshare-net" in argv and "--unshare-pid" in argv and "--die-with-parent" in argv
    assert "--proc" not in argv
