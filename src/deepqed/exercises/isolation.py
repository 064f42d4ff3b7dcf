r"""Run a submission in its own process, under limits; only plain data comes back.

The checker (this process) draws the inputs, computes the reference and compares; the submission
runs in a worker process (:mod:`._worker`, ``python -I``, in an empty temporary folder, without
``deepqed`` on its import path) that imports the file once and then answers one call per input.
Nothing the submission does (print, exit, patch NumPy, write to the channel) can change a
comparison made here: replies are decoded by :class:`_PlainUnpickler`, which builds only arrays,
numbers, strings, tuples, lists and dicts.

Limits (:class:`Limits`): CPU time and address space (``setrlimit`` in the worker), wall-clock
time per call and per check (enforced here: the worker is killed), characters printed, bytes
written to files. Any limit reached ends the check with the verdict ``unusable`` and a one-line
reason, except a ``MemoryError`` that the submission raises and survives (a failed ``runs``
check on that input).

This is a guard against mistakes and casual tampering, not a security sandbox: it does not stop
a determined attacker with native code (run graded code of strangers in a container).
"""

from __future__ import annotations

import io
import json
import os
import pickle
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Limits", "Worker", "Abort", "Opaque", "decode"]

_WORKER = Path(__file__).with_name("_worker.py")


@dataclass(frozen=True)
class Limits:
    """Per submission. ``call_seconds``: wall clock for one call of the function (and for the
    import of the file); ``check_seconds``: wall clock for the whole check; ``cpu_seconds``: CPU
    time of the worker process; ``memory_bytes``: its address space; ``output_bytes``:
    characters printed; ``file_bytes``: the largest file it may write."""

    call_seconds: float = 10.0
    check_seconds: float = 60.0
    cpu_seconds: int = 60
    memory_bytes: int = 2 * 2**30
    output_bytes: int = 2**20
    file_bytes: int = 16 * 2**20


class Abort(BaseException):
    """The check cannot go on (time limit, the worker died, a malformed reply); ``message`` is the
    one-line verdict. A ``BaseException``, so that Hypothesis does not treat it as a failure of
    the property being searched."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Opaque:
    """A value the submission returned that is not plain data (shown by its type and repr)."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return self.text or f"<{self.type_name}>"


_ALLOWED = {
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "scalar"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("builtins", "complex"),
}


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _unpickle(data: bytes) -> Any:
    return _PlainUnpickler(io.BytesIO(data)).load()


def decode(x: Any) -> Any:
    """The worker's encoding back to values: ``("seq", "tuple", [...])`` -> a tuple, etc."""
    import numpy as np

    if type(x) is tuple and x:
        if x[0] == "seq" and len(x) == 3 and isinstance(x[2], list):
            items = [decode(v) for v in x[2]]
            return tuple(items) if x[1] == "tuple" else items
        if x[0] == "opaque" and len(x) == 3:
            return Opaque(str(x[1]), str(x[2]))
        if x[0] == "missing":
            return x
    if isinstance(x, (np.ndarray, np.generic, int, float, bool, complex, str)) or x is None:
        return x
    return Opaque(type(x).__name__, "")


_SIGNAL_MEANING = {
    signal.SIGXCPU: "it used up its CPU-time limit",
    signal.SIGKILL: "it was killed (the checker stops it at a time limit; the system kills a "
    "process that exhausts memory)",
    signal.SIGSEGV: "it crashed (segmentation fault, in native code?)",
    signal.SIGXFSZ: "it wrote a file larger than the limit",
    signal.SIGABRT: "it aborted",
}


class Worker:
    """One worker process for one submission; ``load`` it once, then ``call`` per input."""

    def __init__(self, limits: Limits, blocked: list[str]) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.check_seconds
        self.folder = tempfile.mkdtemp(prefix="deepqed-submission-")
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        config = {**asdict(limits), "requests": req_r, "replies": rep_w, "blocked": blocked}
        config["cpu_seconds"] = max(1, int(limits.cpu_seconds))
        here = os.path.realpath(os.getcwd())
        config["path"] = [
            p
            for p in sys.path
            if p and os.path.isabs(p) and os.path.isdir(p) and os.path.realpath(p) != here
        ]
        env = {
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "HOME": self.folder,
            "TMPDIR": self.folder,
            "LANG": "C.UTF-8",
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        }
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", str(_WORKER), json.dumps(config)],
                cwd=self.folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(req_r, rep_w),
                start_new_session=True,
            )
        finally:
            os.close(req_r)
            os.close(rep_w)
        self.seq = 0
        self.printed = ""
        self.output_limited = False

    # -- the channel ----------------------------------------------------------------------------

    def _send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=4)
        data = struct.pack(">I", len(data)) + data
        try:
            while data:
                data = data[os.write(self._req_w, data) :]
        except (BrokenPipeError, OSError):
            raise Abort(self._death("before it received the input")) from None

    def _read(self, n: int, until: float, what: str) -> bytes:
        chunks: list[bytes] = []
        while n:
            left = until - time.monotonic()
            if left <= 0 or not select.select([self._rep_r], [], [], left)[0]:
                self.kill()
                raise Abort(self._timeout(what))
            chunk = os.read(self._rep_r, min(n, 1 << 20))
            if not chunk:
                raise Abort(self._death(what))
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _receive(self, timeout: float, what: str) -> Any:
        until = min(time.monotonic() + timeout, self.deadline)
        self._until_is_check = until == self.deadline
        (n,) = struct.unpack(">I", self._read(4, until, what))
        if n > 64 * 2**20 + 1024:
            self.kill()
            raise Abort(
                "the submission's process sent a malformed reply (did it write to the "
                "checker's channel?)"
            )
        data = self._read(n, until, what)
        try:
            return _unpickle(data)
        except Exception:
            self.kill()
            raise Abort(
                "the submission's process sent a malformed reply (did it write to the "
                "checker's channel?)"
            ) from None

    def _timeout(self, what: str) -> str:
        if self._until_is_check:
            return (
                f"the check did not finish within {self.limits.check_seconds:g} s "
                f"(time limit of a check) {what}"
            )
        return f"did not finish within {self.limits.call_seconds:g} s {what} (an endless loop?)"

    def _death(self, what: str) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code is not None and code < 0:
            meaning = _SIGNAL_MEANING.get(-code, "")
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            return f"the submission's process was ended by {name} {what}" + (
                f": {meaning}" if meaning else ""
            )
        return f"the submission's process exited (exit code {code}) {what}: os._exit, or a crash"

    # -- requests -------------------------------------------------------------------------------

    def load(
        self, path: Path, source: str, kind: str, names: list[str], parameters: list[str]
    ) -> dict[str, Any]:
        """Run the file's ``source`` in the worker (``path`` names it in tracebacks); the
        worker's description of what it found."""
        self._send(("load", str(path.resolve()), source, kind, names, parameters))
        reply = self._receive(self.limits.call_seconds, "while the file was being imported")
        if not (
            type(reply) is tuple
            and len(reply) == 2
            and reply[0] == "loaded"
            and isinstance(reply[1], dict)
        ):
            self.kill()
            raise Abort("the submission's process sent a malformed reply")
        info = reply[1]
        self._printed(info)
        return info

    def call(self, args: list[Any], signature: str) -> dict[str, Any]:
        """Run the function on ``args`` (plain values or ``("function", text, source)``)."""
        from .result import fmt

        self.seq += 1
        self._send(("call", self.seq, [a if type(a) is tuple else ("value", a) for a in args]))
        shown = ", ".join(fmt(a[1] if type(a) is tuple else a, limit=16) for a in args)
        if len(shown) > 300:
            shown = shown[:300] + " ..."
        reply = self._receive(self.limits.call_seconds, f"in {signature} on the input ({shown})")
        if not (
            type(reply) is tuple
            and len(reply) == 3
            and reply[0] == "called"
            and reply[1] == self.seq
            and isinstance(reply[2], dict)
        ):
            self.kill()
            raise Abort("the submission's process sent a malformed reply")
        info = reply[2]
        self._printed(info)
        return info

    def _printed(self, info: dict[str, Any]) -> None:
        text = info.get("printed")
        if isinstance(text, str) and len(self.printed) < 4000:
            self.printed = (self.printed + text)[:4000]
        if info.get("output_limit") is True:
            self.output_limited = True

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        for fd in (self._req_w, self._rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self.proc.wait(timeout=0.5)  # it ends on end of file
        except subprocess.TimeoutExpired:
            pass
        self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
