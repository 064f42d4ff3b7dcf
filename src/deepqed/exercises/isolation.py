r"""Run a submission in its own process, sandboxed, under limits; only plain data comes back.

The checker (this process) draws the inputs, computes the reference and compares; the submission
runs in a worker process (:mod:`._worker`) that imports the file once and then answers one call
per input. The worker runs inside the sandbox of :mod:`.sandbox` (bubblewrap: new namespaces,
nothing of deepqed, the book or the user's files in view) under a seccomp filter that forbids
creating processes; where no sandbox can be started it runs as a plain process
(``sandbox=False``: the weaker isolation that the README's threat model describes).

Nothing the worker sends can hang, crash or fool this process: every send and receive has a
deadline; replies (:mod:`._wire`) are plain data decoded iteratively within budgets on their
size, number of values, depth and decoding time, arrays checked against their dtype and shape
before anything is allocated; anything malformed ends the check with a one-line reason.

Every limit is a field of :class:`Limits`, defined once here and passed to the worker in its
configuration. Any limit reached ends the check with the verdict ``unusable`` and a one-line
reason, except a ``MemoryError`` that the submission raises and survives (a failed ``runs``
check on that input).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import _wire
from ._wire import MISSING, Opaque, WireError
from .sandbox import SandboxUnavailable

__all__ = [
    "Limits",
    "Worker",
    "worker_label",
    "sandbox_problem",
    "Abort",
    "Opaque",
    "MISSING",
    "SandboxUnavailable",
]

_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Limits:
    """Every limit on one submission (all of them reach the worker in its configuration).

    Time: ``call_seconds`` (wall clock for one call of the function, and for the import of the
    file), ``check_seconds`` (wall clock for the whole check), ``start_seconds`` (starting the
    sandbox and the worker until it answers), ``cpu_seconds`` (CPU time of the worker).
    Memory and files: ``memory_bytes`` (the worker's address space), ``file_bytes`` (the largest
    file it may write), ``folder_bytes`` (its whole working folder, in the sandbox),
    ``source_bytes`` (the submission file itself). Output: ``output_bytes`` (characters the
    submission may print), ``kept_output`` (how many of them the report keeps). What a reply
    holds: ``text_chars`` (a returned string, a repr, a short message), ``message_chars`` and
    ``traceback_chars`` (an exception's), ``value_items`` (a returned list or tuple: longer, or
    nested more than twice, it is summarised). Replies: ``reply_bytes`` (one message of the
    worker), ``reply_values`` and ``reply_depth`` (values and nesting in it),
    ``decode_seconds`` (decoding it).
    """

    call_seconds: float = 10.0
    check_seconds: float = 60.0
    start_seconds: float = 30.0
    cpu_seconds: int = 60
    memory_bytes: int = 2 * 2**30
    file_bytes: int = 16 * 2**20
    folder_bytes: int = 64 * 2**20
    source_bytes: int = 2**20
    output_bytes: int = 2**20
    kept_output: int = 4000
    text_chars: int = 400
    message_chars: int = 2000
    traceback_chars: int = 8000
    value_items: int = 64
    reply_bytes: int = 8 * 2**20  # the inputs are small; so are right answers
    reply_values: int = 100_000
    reply_depth: int = 16
    decode_seconds: float = 5.0


class Abort(BaseException):
    """The check cannot go on (time limit, the worker died, a malformed reply); ``message`` is the
    one-line verdict. A ``BaseException``, so that Hypothesis does not treat it as a failure of
    the property being searched."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SIGNAL_MEANING = {
    signal.SIGXCPU: "it used up its CPU-time limit",
    signal.SIGKILL: "it was killed (the checker stops it at a time limit; the system kills a "
    "process that exhausts memory)",
    signal.SIGSEGV: "it crashed (segmentation fault, in native code?)",
    signal.SIGXFSZ: "it wrote a file larger than the limit",
    signal.SIGABRT: "it aborted",
    signal.SIGSYS: "it made a system call the sandbox forbids",
}

_MALFORMED = "the submission's process sent a malformed reply"


class Worker:
    """One worker process for one submission: started (in the sandbox unless ``sandbox`` is
    false) with the submission's bytes copied in, then ``load`` once and ``call`` per input.

    Raises :class:`SandboxUnavailable` when the sandbox cannot be started here, :class:`Abort`
    when the worker does not start within ``Limits.start_seconds`` (with ``wait=False``, the
    start is only awaited by :meth:`ready`, which ``load`` calls)."""

    def __init__(
        self,
        limits: Limits,
        *,
        sandbox: bool = True,
        source: bytes = b"",
        label: str = "",
        blocked: list[str] | None = None,
        wait: bool = True,
    ) -> None:
        self.limits = limits
        self.sandbox = sandbox
        self.deadline = time.monotonic() + limits.start_seconds + limits.check_seconds
        self.seq = 0
        self.printed = ""
        self.output_limited = False
        self.seccomp = False
        self.folder: str | None = None
        self._stderr: int | None = None
        self._shown: tuple[str, str] | None = None
        req_r, self._req_w = os.pipe()
        self._rep_r, rep_w = os.pipe()
        os.set_blocking(self._req_w, False)  # every send has a deadline (_wire.write_message)
        config: dict[str, Any] = {
            "requests": req_r,
            "replies": rep_w,
            "limits": asdict(limits),
            "label": worker_label(label),
        }
        passed = [req_r, rep_w]  # descriptors the worker inherits
        opened = [req_r, rep_w]  # closed here once it started
        try:
            if sandbox:
                from . import sandbox as box

                reason = box.unavailable()
                if reason:
                    raise SandboxUnavailable(reason)
                source_fd = os.memfd_create("submission", 0)
                passed.append(source_fd)
                opened.append(source_fd)
                os.write(source_fd, source)
                os.lseek(source_fd, 0, os.SEEK_SET)
                config.update(seccomp=True, path=[box.SITE], blocked=[])
                argv, env = box.command(
                    folder_bytes=limits.folder_bytes,
                    source_fd=source_fd,
                    worker_args=[json.dumps(config)],
                    hidden=box.sensitive_paths(),
                )
                cwd = "/"
                err_r, err_w = os.pipe()
                self._stderr, stderr = err_r, err_w
                opened.append(err_w)
            else:
                self.folder = tempfile.mkdtemp(prefix="deepqed-submission-")
                config.update(seccomp=True, path=_import_path(), blocked=blocked or [])
                argv = [sys.executable, "-I", str(_HERE / "_worker.py"), json.dumps(config)]
                env, cwd, stderr = _plain_environment(self.folder), self.folder, subprocess.DEVNULL
            self.proc = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                pass_fds=tuple(passed),
                start_new_session=True,
            )
        except BaseException:
            self._close_fds()
            raise
        finally:
            for fd in opened:
                os.close(fd)
        self._started = False
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait for the worker's first message (once). A worker constructed with
        ``wait=False`` starts while the caller does other work (draws the inputs); this raises
        what the constructor would have: :class:`SandboxUnavailable` when bubblewrap could not
        create the sandbox, :class:`Abort` when the worker does not start in time."""
        if self._started:
            return
        self._started = True
        try:
            hello = self._receive(self.limits.start_seconds, "while starting", starting=True)
        except BaseException:
            self.close()
            raise
        if not (isinstance(hello, dict) and hello.get("type") == "ready"):
            self.close()
            raise Abort(_MALFORMED + " when it started")
        self.seccomp = hello.get("seccomp") is True

    # -- the channel ----------------------------------------------------------------------------

    def _send(self, message: Any, until: float, what: str) -> None:
        try:
            _wire.write_message(self._req_w, _wire.dumps(message), until)
        except TimeoutError:
            self.kill()
            raise Abort(f"the submission's process stopped reading its input {what}") from None
        except OSError:  # the pipe is closed: the worker is gone
            raise Abort(self._death(what)) from None

    def _receive(self, timeout: float, what: str, *, starting: bool = False) -> Any:
        now = time.monotonic()
        until = min(now + timeout, self.deadline)
        whole_check = until == self.deadline and not starting
        try:
            data = _wire.read_message(self._rep_r, self.limits.reply_bytes, until)
        except TimeoutError:
            self.kill()
            if starting:
                raise Abort(
                    f"the submission's process did not start within {self.limits.start_seconds:g} s"
                ) from None
            raise Abort(self._timeout(what, whole_check)) from None
        except EOFError:
            if starting:
                self._sandbox_failure()
            raise Abort(self._death(what)) from None
        except WireError as e:
            self.kill()
            raise Abort(f"{_MALFORMED} {what} ({e})") from None
        budget = _wire.Budget(
            values=self.limits.reply_values,
            depth=self.limits.reply_depth,
            deadline=time.monotonic() + self.limits.decode_seconds,
        )
        try:
            return _wire.loads(data, budget)
        except WireError as e:
            self.kill()
            raise Abort(f"{_MALFORMED} {what} ({e})") from None

    def _sandbox_failure(self) -> None:
        """The process ended before it answered: bubblewrap's own error means no sandbox."""
        if self._stderr is None:
            return
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
        os.set_blocking(self._stderr, False)
        try:
            text = os.read(self._stderr, 4096).decode("utf-8", "replace")
        except (BlockingIOError, OSError):
            text = ""
        if text.startswith("bwrap:"):
            raise SandboxUnavailable(
                "bubblewrap could not create the sandbox (" + text.strip().splitlines()[0] + ")"
            )

    def _timeout(self, what: str, whole_check: bool) -> str:
        if whole_check:
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
        if self.sandbox and code is not None and code >= 128:  # bubblewrap reports a signal
            try:
                name = signal.Signals(code - 128).name
            except ValueError:
                name = f"signal {code - 128}"
            meaning = _SIGNAL_MEANING.get(code - 128, "")
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
        self.ready()
        what = "while the file was being imported"
        until = min(time.monotonic() + self.limits.call_seconds, self.deadline)
        inside = str(path)
        if self.sandbox:  # no host path reaches the sandbox; its own is shown as the host's
            from .sandbox import COPY

            inside, self._shown = COPY, (COPY, str(path))
        self._send(["load", inside, source, kind, list(names), list(parameters)], until, what)
        reply = self._receive(self.limits.call_seconds, what)
        if not (isinstance(reply, dict) and reply.get("type") == "loaded"):
            self.kill()
            raise Abort(_MALFORMED)
        self._printed(reply)
        return reply

    def call(self, args: list[Any], signature: str) -> dict[str, Any]:
        """Run the function on ``args`` (plain values or ``("function", text, source)``)."""
        from .result import fmt

        self.seq += 1
        shown = ", ".join(fmt(a[1] if type(a) is tuple else a, limit=16) for a in args)
        if len(shown) > 300:
            shown = shown[:300] + " ..."
        what = f"in {signature} on the input ({shown})"
        until = min(time.monotonic() + self.limits.call_seconds, self.deadline)
        message = [list(a) if type(a) is tuple else ["value", a] for a in args]
        self._send(["call", self.seq, message], until, what)
        reply = self._receive(self.limits.call_seconds, what)
        if not (
            isinstance(reply, dict)
            and reply.get("type") == "called"
            and reply.get("seq") == self.seq
        ):
            self.kill()
            raise Abort(_MALFORMED)
        self._printed(reply)
        return reply

    def _printed(self, info: dict[str, Any]) -> None:
        text = info.get("printed")
        keep = self.limits.kept_output
        if isinstance(text, str) and len(self.printed) < keep:
            self.printed = (self.printed + text)[:keep]
        if info.get("output_limit") is True:
            self.output_limited = True
        if self._shown is not None:
            inside, shown = self._shown
            for key, value in list(info.items()):
                info[key] = _renamed(value, inside, shown)
        if info.get("status") == "too-large":
            self.kill()
            raise Abort(
                f"the submission returned a value of {info.get('bytes')} bytes, more than the "
                f"limit of {self.limits.reply_bytes} bytes"
            )

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.proc.kill()
        self.proc.wait()

    def _close_fds(self) -> None:
        for fd in (self._req_w, self._rep_r, self._stderr):
            if fd is None:
                continue
            try:
                os.close(fd)
            except OSError:
                pass
        self._stderr = None

    def close(self) -> None:
        self._close_fds()
        if hasattr(self, "proc"):
            try:
                self.proc.wait(timeout=0.5)  # it ends on end of file
            except subprocess.TimeoutExpired:
                pass
            self.kill()
        if self.folder is not None:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def worker_label(path: str) -> str:
    """The label in a worker's configuration, which finds its processes (``ps``) without
    telling the submission where its file lies on the host."""
    import hashlib

    return "deepqed-worker-" + hashlib.sha256(path.encode("utf-8", "replace")).hexdigest()[:16]


def _renamed(value: Any, old: str, new: str, depth: int = 0) -> Any:
    """``value`` with ``old`` replaced by ``new`` in its strings (a reply: bounded)."""
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict) and depth < 4:
        return {k: _renamed(v, old, new, depth + 1) for k, v in value.items()}
    if isinstance(value, list) and depth < 4:
        return [_renamed(v, old, new, depth + 1) for v in value]
    return value


def _import_path() -> list[str]:
    """The checker's import path for the worker without the sandbox (``-I`` drops
    ``PYTHONPATH`` and the user site), minus the working folder."""
    here = os.path.realpath(os.getcwd())
    return [
        p
        for p in sys.path
        if p and os.path.isabs(p) and os.path.isdir(p) and os.path.realpath(p) != here
    ]


def _plain_environment(folder: str) -> dict[str, str]:
    return {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "HOME": folder,
        "TMPDIR": folder,
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def sandbox_problem(limits: Limits | None = None) -> str:
    """Why no worker can run in the sandbox here, or ``""`` (starts one and stops it)."""
    try:
        with Worker(limits or Limits(), sandbox=True, source=b"", label="probe"):
            return ""
    except SandboxUnavailable as e:
        return str(e)
    except Abort as e:
        return f"the sandboxed worker did not start: {e.message}"
