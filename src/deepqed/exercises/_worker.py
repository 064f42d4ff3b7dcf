"""The submission's process: import the reader's file, run its function on the inputs it is sent.

Started by :mod:`.isolation` as ``python -I <this file> <configuration JSON>``: inside the
sandbox (:mod:`.sandbox`), where it sees only the Python runtime, NumPy, SciPy, this file,
:mod:`._wire` and its own working folder; or, where no sandbox is available, as a plain process
in an empty temporary folder. It imports only the standard library and NumPy (never
``deepqed``), then, before the submission is imported:

* sends its standard output and error to ``/dev/null`` at the descriptor level;
* sets the resource limits of the configuration (CPU time, address space, file size, no core
  files, no processes);
* installs a seccomp filter (Linux, x86-64 and AArch64) under which no process can be created or
  executed and ``ptrace``, namespaces and mounts are refused, for this process and everything it
  runs -- a kernel guard, unlike what follows;
* replaces ``sys.stdout`` / ``sys.stderr`` by a writer that keeps the first characters printed
  and stops the call past the output limit;
* refuses imports of ``deepqed`` and of the exercise specifications, and, through an audit hook,
  refuses to start processes, to send signals and to load native libraries (and, without the
  sandbox, to open the folders of the configuration's ``blocked`` list). The hook gives a clear
  message for honest mistakes; it is not a boundary (Python code can disable it), the sandbox and
  the seccomp filter are.

Every limit comes from the configuration (:class:`.isolation.Limits`, defined once there).

Protocol (:mod:`._wire`, on the descriptors of the configuration; never on stdout): first the
worker sends ``{"type": "ready", ...}``; then it answers ``["load", path, source, kind, names,
parameters]`` with ``{"type": "loaded", ...}`` and each ``["call", seq, args]`` with
``{"type": "called", "seq": seq, ...}``. Replies are plain data; the checker decodes them within
budgets and makes every comparison itself.
"""

from __future__ import annotations

import importlib.util
import json
import linecache
import os
import resource
import sys
import traceback
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load_wire() -> Any:
    """:mod:`._wire`, loaded by its path (``deepqed`` is not importable here)."""
    spec = importlib.util.spec_from_file_location("deepqed_wire", os.path.join(_HERE, "_wire.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class _OutputLimit(BaseException):
    """The submission printed more than the limit."""


class CappedWriter:
    """``sys.stdout`` for the submission: keeps ``keep`` characters, counts the rest, and stops
    the call once ``limit`` characters were printed."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, limit: int, keep: int) -> None:
        self.limit = limit
        self.keep = keep
        self.total = 0
        self.kept: list[str] = []
        self.kept_size = 0
        self.exceeded = False

    def write(self, text: object) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept_size < self.keep:
            piece = text[: self.keep - self.kept_size]
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


def _install_guards(blocked: list[str]) -> None:
    """The import refusal and the audit hook (clear messages for honest mistakes)."""
    spawn = frozenset(
        {
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
    )
    native = frozenset({"ctypes.dlopen", "ctypes.dlsym", "ctypes.dlsym/handle", "ctypes.cdata"})
    signals = frozenset({"os.kill", "os.killpg", "signal.pthread_kill"})
    realpath, fsdecode, sep = os.path.realpath, os.fsdecode, os.sep
    roots = tuple(realpath(p) + sep for p in blocked)

    def hook(event: str, args: tuple) -> None:
        if event == "open" and roots:
            target = args[0]
            if isinstance(target, (str, bytes, os.PathLike)):
                path = fsdecode(target)
                real = realpath(path)
                if real.startswith(roots) or (real + sep) in roots:
                    raise PermissionError(
                        f"a submission may not read {path}: the checker runs "
                        "it apart from deepqed and the exercise references"
                    )
        elif event in spawn:
            raise PermissionError(f"a submission may not start processes ({event})")
        elif event in signals:
            raise PermissionError(f"a submission may not send signals ({event})")
        elif event in native:
            raise PermissionError(f"a submission may not load native code ({event})")

    sys.meta_path.insert(0, _Refuse())
    for name in list(sys.modules):
        if name.split(".")[0] in _Refuse.PREFIXES:
            del sys.modules[name]
    sys.addaudithook(hook)


def _set_limits(limits: dict[str, Any]) -> None:
    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass

    lower(resource.RLIMIT_CPU, max(1, int(limits["cpu_seconds"])))
    lower(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    lower(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_NPROC, 0)  # no effect for root: the seccomp filter refuses it too


# -- the seccomp filter -------------------------------------------------------------------------

_CLONE_THREAD = 0x00010000
#: (audit architecture, clone, clone3, {denied system call numbers}) per machine.
_SYSCALLS = {
    "x86_64": (
        0xC000003E,
        56,
        435,
        # fork vfork execve execveat ptrace process_vm_readv/writev unshare setns mount umount2
        # pivot_root chroot bpf userfaultfd perf_event_open add_key request_key keyctl
        # io_uring_setup
        (57, 58, 59, 322, 101, 310, 311, 272, 308, 165, 166, 155, 161, 321, 323, 298, 248, 249)
        + (250, 425),
    ),
    "aarch64": (
        0xC00000B7,
        220,
        435,
        (221, 281, 117, 270, 271, 97, 268, 40, 39, 41, 51, 280, 282, 241, 217, 218, 219, 425),
    ),
}


def _seccomp_program(machine: str) -> bytes | None:
    """A classic BPF program: other architectures are killed, the denied calls fail with EPERM,
    ``clone`` without ``CLONE_THREAD`` (a new process) fails with EPERM, ``clone3`` with ENOSYS
    (the C library then creates threads with ``clone``)."""
    import struct

    if machine not in _SYSCALLS:
        return None
    arch, clone, clone3, denied = _SYSCALLS[machine]
    ld_w_abs, jeq_k, jset_k, jge_k, ret_k = 0x20, 0x15, 0x45, 0x35, 0x06
    allow, kill, errno = 0x7FFF0000, 0x80000000, 0x00050000
    eperm, enosys = errno | 1, errno | 38

    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    prog = [op(ld_w_abs, 4), op(jeq_k, arch, 1, 0), op(ret_k, kill), op(ld_w_abs, 0)]
    if machine == "x86_64":  # the x32 ABI: system call numbers with bit 30 set
        prog += [op(jge_k, 0x40000000, 0, 1), op(ret_k, eperm)]
    for nr in denied:
        prog += [op(jeq_k, nr, 0, 1), op(ret_k, eperm)]
    prog += [op(jeq_k, clone3, 0, 1), op(ret_k, enosys)]
    prog += [
        op(jeq_k, clone, 0, 4),
        op(ld_w_abs, 16),  # the low 32 bits of the first argument: the flags
        op(jset_k, _CLONE_THREAD, 0, 1),
        op(ret_k, allow),
        op(ret_k, eperm),
    ]
    prog.append(op(ret_k, allow))
    return b"".join(prog)


def _install_seccomp() -> bool:
    """Install the filter on this process (irrevocably); whether it is in place."""
    import ctypes
    import platform

    program = _seccomp_program(platform.machine())
    if program is None or not sys.platform.startswith("linux"):
        return False

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prog = SockFprog(len(program) // 8, program)
        if libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            return False
        return libc.prctl(22, 2, ctypes.byref(prog), 0, 0) == 0  # PR_SET_SECCOMP, FILTER
    except (OSError, AttributeError):
        return False


# -- values sent back: plain data only ----------------------------------------------------------


def _type_name(x: object) -> str:
    t = type(x)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def plain(x: object, wire: Any, limits: dict[str, Any], depth: int = 0) -> object:
    """A value as plain data (a copy); anything else becomes an ``Opaque(type name, repr)``."""
    chars, items = int(limits["text_chars"]), int(limits["value_items"])
    import numpy as np

    t = type(x)
    if t is np.ndarray:
        if x.dtype.kind in "biufc" and wire._DTYPE.match(x.dtype.str):  # type: ignore[union-attr]
            return np.array(x, copy=True)
        return wire.Opaque(f"numpy.ndarray of dtype {x.dtype}", "")  # type: ignore[union-attr]
    if t in (int, float, bool, complex, str) or x is None:
        if t is str and len(x) > chars:  # type: ignore[arg-type]
            return x[:chars] + " ..."  # type: ignore[index]
        if t is int and abs(x) > 2**1000:  # type: ignore[arg-type]
            return float("inf") if x > 0 else float("-inf")  # type: ignore[operator]
        return x
    if isinstance(x, np.generic) and x.dtype.kind in "biufc" and wire._DTYPE.match(x.dtype.str):
        return x
    if t in (tuple, list) and depth < 2 and len(x) <= items:  # type: ignore[arg-type]
        values = [plain(v, wire, limits, depth + 1) for v in x]  # type: ignore[union-attr]
        return tuple(values) if t is tuple else values
    if t in (tuple, list, dict, set, frozenset):  # summarised: a repr could take long
        return wire.Opaque(t.__name__, f"<a {t.__name__} of {len(x)} items>")  # type: ignore[arg-type]
    try:
        text = repr(x)[:chars]
    except BaseException:
        text = "<repr failed>"
    return wire.Opaque(_type_name(x), text)


# -- loading and calling ------------------------------------------------------------------------


def _trimmed(e: BaseException) -> str:
    ours = (os.path.abspath(__file__), os.path.join(_HERE, "_wire.py"))
    frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename not in ours]
    lines = traceback.format_list(frames[-8:])
    lines += traceback.format_exception_only(type(e), e)
    return "".join(lines)


def _exception(e: BaseException, limits: dict[str, Any]) -> dict:
    chars = int(limits["text_chars"])
    if isinstance(e, SystemExit):
        return {
            "type": "SystemExit",
            "message": f"sys.exit({e.code!r})"[:chars],
            "traceback": "",
            "not_implemented": False,
            "memory": False,
        }
    try:
        message = str(e)[: int(limits["message_chars"])]
    except BaseException:
        message = "<str() of the exception failed>"
    try:
        tb = _trimmed(e)[: int(limits["traceback_chars"])]
    except BaseException:
        tb = ""
    return {
        "type": type(e).__name__[:chars],
        "message": message,
        "traceback": tb,
        "not_implemented": isinstance(e, NotImplementedError),
        "memory": isinstance(e, MemoryError),
    }


class _Function:
    """A function argument (``f`` in a central difference), rebuilt from its source text."""

    def __init__(self, text: str, source: str) -> None:
        import numpy as np

        self.text = text
        self._f = eval(source, {"np": np, "numpy": np})

    def __call__(self, *args: object) -> object:
        return self._f(*args)

    def __repr__(self) -> str:
        return self.text


def _load(
    path: str,
    source: str,
    kind: str,
    names: list[str],
    parameters: list[str],
    wire: Any,
    limits: dict[str, Any],
) -> tuple[dict, object]:
    import inspect
    import types

    chars = int(limits["text_chars"])
    module = types.ModuleType("submission")
    module.__file__ = path
    linecache.cache[path] = (len(source), None, source.splitlines(True), path)
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
            "message": str(e.msg)[:chars],
            "text": (e.text or "").rstrip()[:chars],
        }, None
    except BaseException as e:
        return {"ok": False, "problem": "raised", "error": _exception(e, limits)}, None
    defined = sorted(
        k for k, v in vars(module).items() if inspect.isfunction(v) and v.__module__ == "submission"
    )[: int(limits["value_items"])]
    if kind == "compute":
        values = {}
        for name in names:
            values[name] = (
                plain(vars(module)[name], wire, limits) if name in vars(module) else wire.MISSING
            )
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
        signature = str(sig)[:chars]
        sig.bind(*parameters)
    except TypeError as e:
        return {
            "ok": False,
            "problem": "signature",
            "signature": signature,
            "message": str(e)[:chars],
        }, None
    except ValueError:
        pass
    return {"ok": True, "defined": defined}, fn


def _call(fn: object, args: list, wire: Any, limits: dict[str, Any]) -> tuple[dict, list]:
    import numpy as np

    values = []
    for a in args:
        if a[0] == "function":
            values.append(_Function(a[1], a[2]))
        else:
            values.append(a[1])
    try:
        with np.errstate(all="ignore"):
            got = fn(*values)  # type: ignore[operator]
    except _OutputLimit:
        return {"status": "output-limit"}, values
    except BaseException as e:
        return {"status": "raised", "error": _exception(e, limits)}, values
    try:
        return {"status": "returned", "value": plain(got, wire, limits)}, values
    except _OutputLimit:  # a __repr__ that prints
        return {"status": "output-limit"}, values


def _send(wire: Any, fd: int, message: dict, limits: dict[str, Any]) -> None:
    try:
        data = wire.dumps(message)
    except (ValueError, RecursionError) as e:
        text = str(e)[: int(limits["text_chars"])]
        data = wire.dumps({**_header(message), "status": "not-plain", "message": text})
    if len(data) > int(limits["reply_bytes"]):
        data = wire.dumps({**_header(message), "status": "too-large", "bytes": len(data)})
    wire.write_message(fd, data)


def _header(message: dict) -> dict:
    return {k: message[k] for k in ("type", "seq") if k in message}


def main() -> None:
    config = json.loads(sys.argv[1])
    for entry in config.get("path", []):
        if entry not in sys.path:
            sys.path.append(entry)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # native code printing goes nowhere (bubblewrap's errors went before)
    os.dup2(devnull, 2)
    os.close(devnull)
    import numpy as np  # noqa: F401  (imported before the limits apply)

    wire = _load_wire()
    limits = config["limits"]
    requests, replies = int(config["requests"]), int(config["replies"])
    _set_limits(limits)
    seccomp = _install_seccomp() if config.get("seccomp") else False
    out = CappedWriter(int(limits["output_bytes"]), int(limits["kept_output"]))
    sys.stdout = sys.stderr = out  # type: ignore[assignment]
    import warnings

    warnings.simplefilter("ignore")
    _install_guards(config.get("blocked", []))
    _send(wire, replies, {"type": "ready", "seccomp": seccomp}, limits)
    fn = None
    big = wire.Budget(values=10**7, depth=64)
    while True:
        try:
            request = wire.loads(wire.read_message(requests, 2**31), big)
        except EOFError:
            return
        if request[0] == "load":
            _, path, source, kind, names, parameters = request
            try:
                info, fn = _load(path, source, kind, names, parameters, wire, limits)
            except BaseException as e:  # reading the file failed
                info = {"ok": False, "problem": "raised", "error": _exception(e, limits)}
            info.update(type="loaded", printed=out.take(), output_limit=out.exceeded)
            _send(wire, replies, info, limits)
        elif request[0] == "call":
            _, seq, args = request
            reply, values = _call(fn, args, wire, limits)
            try:
                reply["args_after"] = [
                    np.array(v, copy=True) if type(v) is np.ndarray else None for v in values
                ]
            except BaseException:
                reply["args_after"] = [None] * len(values)
            if out.exceeded:
                reply = {"status": "output-limit", "args_after": [None] * len(values)}
            reply.update(type="called", seq=seq, printed=out.take(), output_limit=out.exceeded)
            _send(wire, replies, reply, limits)


if __name__ == "__main__":
    main()
