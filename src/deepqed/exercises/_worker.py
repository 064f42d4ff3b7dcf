"""The submission's process: import the reader's file, run its function on the inputs it is sent.

Started by :mod:`.isolation` as ``python -I <this file> <config JSON>`` in an empty temporary
folder, with stdout and stderr sent to ``/dev/null``. It imports only the standard library and
NumPy (never ``deepqed``), then, before the submission is imported:

* sets its own resource limits (CPU time, address space, file size, processes, no core files);
* replaces ``sys.stdout`` / ``sys.stderr`` by a writer that keeps the first lines and counts the
  rest (what the submission prints comes back with each reply);
* refuses imports of ``deepqed`` and of the exercise specifications (a meta-path finder), and,
  through an audit hook (which Python code cannot remove), refuses to open files under the
  package or the book, to start processes, to send signals and to load native libraries.

Protocol (on file descriptors given in the config, never on stdout): each message is a 4-byte
big-endian length and a pickle. Requests: ``("load", path, source, kind, names, parameters)``
then any number of ``("call", seq, args)``. Replies are plain data only (arrays, numbers,
strings, tuples, lists, dicts); the checker reads them with an unpickler that refuses anything
else, so even a forged reply cannot run code in the checker. All comparisons happen in the checker.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import struct
import sys
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]  # the folder of this script is deepqed's own package: not importable here

if __name__ == "__main__":  # the checker's import path (``-I`` drops PYTHONPATH and user site)
    for _entry in json.loads(sys.argv[1]).get("path", []):
        if _entry not in sys.path:
            sys.path.append(_entry)

import numpy as np  # noqa: E402  (imported before the limits on native libraries apply)

MAX_REPLY = 64 * 2**20
KEEP_PRINTED = 4000


class _OutputLimit(BaseException):
    """The submission printed more than the limit."""


class CappedWriter:
    """``sys.stdout`` for the submission: keeps ``KEEP_PRINTED`` characters, counts the rest,
    and stops the call once ``limit`` characters were printed."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self.kept: list[str] = []
        self.kept_size = 0
        self.exceeded = False

    def write(self, text: object) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept_size < KEEP_PRINTED:
            piece = text[: KEEP_PRINTED - self.kept_size]
            self.kept.append(piece)
            self.kept_size += len(piece)
        if self.total > self.limit:
            self.exceeded = True
            raise _OutputLimit()
        return len(text)

    def take(self) -> str:
        out = "".join(self.kept)
        self.kept, self.kept_size = [], 0
        return out

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("the submission's output is captured; it has no file descriptor")


class _Refuse:
    """Meta-path finder: ``deepqed`` and the exercise specifications cannot be imported."""

    PREFIXES = ("deepqed", "deepqed_exercise_specs")

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in self.PREFIXES:
            raise ImportError(
                f"{name} cannot be imported by a submission: the checker runs it "
                "apart from deepqed (use NumPy or SciPy)",
                name=name,
            )
        return None


_SPAWN = {
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "subprocess.Popen",
    "pty.spawn",
    "os.startfile",
}
_NATIVE = {"ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata"}
_SIGNALS = {"os.kill", "os.killpg", "signal.pthread_kill"}


def _install_guards(blocked: list[str]) -> None:
    roots = tuple(os.path.realpath(p) + os.sep for p in blocked)

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            target = args[0]
            if isinstance(target, (str, bytes, os.PathLike)):
                path = os.fsdecode(target)
                real = os.path.realpath(path)
                if real.startswith(roots) or (real + os.sep) in roots:
                    raise PermissionError(
                        f"a submission may not read {path}: the checker runs "
                        "it apart from deepqed and the exercise references"
                    )
        elif event in _SPAWN:
            raise PermissionError(f"a submission may not start processes ({event})")
        elif event in _SIGNALS:
            raise PermissionError(f"a submission may not send signals ({event})")
        elif event in _NATIVE:
            raise PermissionError(f"a submission may not load native code ({event})")

    sys.meta_path.insert(0, _Refuse())
    for name in list(sys.modules):
        if name.split(".")[0] in _Refuse.PREFIXES:
            del sys.modules[name]
    sys.addaudithook(hook)


def _set_limits(config: dict) -> None:
    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    lower(resource.RLIMIT_CPU, int(config["cpu_seconds"]))
    lower(resource.RLIMIT_AS, int(config["memory_bytes"]))
    lower(resource.RLIMIT_FSIZE, int(config["file_bytes"]))
    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_NPROC, 0)  # no effect for root; the audit hook refuses spawning too


# -- values sent back: plain data only ----------------------------------------------------------


def _type_name(x: object) -> str:
    t = type(x)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def encode(x: object, depth: int = 0) -> object:
    """A value as plain data; anything else becomes ``("opaque", type name, repr)``."""
    t = type(x)
    if t is np.ndarray:
        if x.dtype.kind in "biufc":  # type: ignore[union-attr]
            return np.array(x, copy=True)
        return ("opaque", f"numpy.ndarray of dtype {x.dtype}", "")  # type: ignore[union-attr]
    if t in (int, float, bool, complex, str) or x is None:
        if t is str and len(x) > 400:  # type: ignore[arg-type]
            return x[:400] + " ..."  # type: ignore[index]
        if t is int and abs(x) > 2**1000:  # type: ignore[arg-type]
            return float("inf")
        return x
    if isinstance(x, np.generic) and x.dtype.kind in "biufc":
        return x
    if t in (tuple, list) and depth < 2 and len(x) <= 64:  # type: ignore[arg-type]
        return ("seq", t.__name__, [encode(v, depth + 1) for v in x])  # type: ignore[union-attr]
    try:
        text = repr(x)[:200]
    except BaseException:
        text = "<repr failed>"
    return ("opaque", _type_name(x), text)


# -- the channel --------------------------------------------------------------------------------


def _read_exact(fd: int, n: int) -> bytes:
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def receive(fd: int) -> object:
    (n,) = struct.unpack(">I", _read_exact(fd, 4))
    return pickle.loads(_read_exact(fd, n))


def send(fd: int, message: object) -> None:
    data = pickle.dumps(message, protocol=4)
    if len(data) > MAX_REPLY:
        data = pickle.dumps(("too-large", len(data)), protocol=4)
    data = struct.pack(">I", len(data)) + data
    while data:
        data = data[os.write(fd, data) :]


# -- loading and calling ------------------------------------------------------------------------


def _trimmed(e: BaseException, path: str) -> str:
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename != __file__]
    lines = traceback.format_list(frames[-8:])
    lines += traceback.format_exception_only(type(e), e)
    return "".join(lines)


def _exception(e: BaseException, path: str) -> dict:
    if isinstance(e, SystemExit):
        return {
            "type": "SystemExit",
            "message": f"sys.exit({e.code!r})",
            "traceback": "",
            "not_implemented": False,
            "memory": False,
        }
    try:
        message = str(e)[:2000]
    except BaseException:
        message = "<str() of the exception failed>"
    try:
        tb = _trimmed(e, path)
    except BaseException:
        tb = ""
    return {
        "type": type(e).__name__,
        "message": message,
        "traceback": tb,
        "not_implemented": isinstance(e, NotImplementedError),
        "memory": isinstance(e, MemoryError),
    }


class _Function:
    """A function argument (``f`` in a central difference), rebuilt from its source text."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self._f = eval(source, {"np": np, "numpy": np})

    def __call__(self, *args: object) -> object:
        return self._f(*args)

    def __repr__(self) -> str:
        return self.text


def _load(
    path: str, source: str, kind: str, names: list[str], parameters: list[str]
) -> tuple[dict, object]:
    import inspect
    import types

    module = types.ModuleType("submission")
    module.__file__ = path
    try:
        code = compile(source, path, "exec")
        exec(code, module.__dict__)
    except _OutputLimit:
        return {"ok": False, "problem": "output-limit"}, None
    except SyntaxError as e:
        return {
            "ok": False,
            "problem": "syntax",
            "line": e.lineno,
            "offset": e.offset,
            "message": e.msg,
            "text": (e.text or "").rstrip(),
        }, None
    except BaseException as e:
        return {"ok": False, "problem": "raised", "error": _exception(e, path)}, None
    defined = sorted(
        k for k, v in vars(module).items() if inspect.isfunction(v) and v.__module__ == "submission"
    )
    if kind == "compute":
        values = {}
        for name in names:
            values[name] = encode(vars(module)[name]) if name in vars(module) else ("missing",)
        return {"ok": True, "values": values, "defined": defined}, None
    (name,) = names
    fn = vars(module).get(name)
    if fn is None:
        return {"ok": False, "problem": "missing", "defined": defined}, None
    if not callable(fn):
        return {"ok": False, "problem": "not callable", "type": _type_name(fn)}, None
    signature = ""
    try:
        sig = inspect.signature(fn)
        signature = str(sig)
        sig.bind(*parameters)
    except TypeError as e:
        return {
            "ok": False,
            "problem": "signature",
            "signature": signature,
            "message": str(e),
        }, None
    except ValueError:
        pass
    return {"ok": True, "defined": defined}, fn


def _call(fn: object, args: list, path: str) -> tuple[dict, list]:
    values = []
    for a in args:
        if type(a) is tuple and a and a[0] == "function":
            values.append(_Function(a[1], a[2]))
        else:
            values.append(a[1])
    try:
        with np.errstate(all="ignore"):
            got = fn(*values)  # type: ignore[operator]
    except _OutputLimit:
        return {"status": "output-limit"}, values
    except BaseException as e:
        return {"status": "raised", "error": _exception(e, path)}, values
    return {"status": "returned", "value": encode(got)}, values


def main() -> None:
    config = json.loads(sys.argv[1])
    requests, replies = int(config["requests"]), int(config["replies"])
    _set_limits(config)
    out = CappedWriter(int(config["output_bytes"]))
    sys.stdout = sys.stderr = out  # type: ignore[assignment]
    import warnings

    warnings.simplefilter("ignore")
    _install_guards(config["blocked"])
    fn = None
    path = ""
    while True:
        try:
            request = receive(requests)
        except EOFError:
            return
        if request[0] == "load":
            _, path, source, kind, names, parameters = request  # type: ignore[misc]
            try:
                info, fn = _load(path, source, kind, names, parameters)
            except BaseException as e:  # reading the file failed
                info = {"ok": False, "problem": "raised", "error": _exception(e, path)}
            info["printed"] = out.take()
            info["output_limit"] = out.exceeded
            send(replies, ("loaded", info))
        elif request[0] == "call":
            _, seq, args = request  # type: ignore[misc]
            reply, values = _call(fn, args, path)
            try:
                reply["args_after"] = [encode(v) if type(v) is np.ndarray else None for v in values]
            except BaseException:
                reply["args_after"] = [None] * len(values)
            reply["printed"] = out.take()
            reply["output_limit"] = out.exceeded
            if out.exceeded:
                reply = {
                    "status": "output-limit",
                    "printed": reply["printed"],
                    "args_after": [None] * len(values),
                    "output_limit": True,
                }
            send(replies, ("called", seq, reply))


if __name__ == "__main__":
    main()
