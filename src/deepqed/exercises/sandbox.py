r"""The sandbox a submission runs in: bubblewrap with new namespaces and almost nothing in view.

:func:`command` builds the ``bwrap`` command line that starts the worker (:mod:`._worker`):

* new user, PID, network, IPC, UTS (and, where possible, cgroup) namespaces; inside, the
  unprivileged uid and gid 65534, no capabilities, no further user namespaces
  (``--disable-userns``), a new session (no controlling terminal), ``--die-with-parent``;
* read-only: the system's programs and libraries (``/usr`` and the ``/lib*``, ``/bin`` links,
  ``/etc/ld.so.cache``), the Python runtime (``sys.base_prefix``, bound in ``/sandbox/python``
  when it lies outside ``/usr``, so that no host path shows), NumPy and SciPy (bound in
  ``/sandbox/site``), the worker and its channel (``/sandbox/_worker.py``, ``/sandbox/_wire.py``);
  every Python ``site-packages`` / ``dist-packages`` folder of those trees is hidden by an empty
  read-only folder, and so are deepqed's package, the book, the data folder, the home folder and
  the working folder should they lie inside one;
* no ``/proc``: the submission sees no process, not even its own entry;
* ``/dev`` with the usual devices only, read-only; the root read-only;
* ``/submission``: a private tmpfs of ``Limits.folder_bytes`` bytes, the working folder, with a
  copy of the submission (``submission.py``) written from the bytes the checker read.

What is *not* in view, therefore: deepqed and the book (the references, the compute answers, the
built HTML), the user's home, the progress database, other submissions, the checker's files,
environment and memory, other processes, the network.

:func:`unavailable` says why the sandbox cannot be used (not Linux, bubblewrap missing or older
than 0.8); a failure to create the namespaces (user namespaces disabled or restricted) is found
when the worker starts (:class:`SandboxUnavailable`).
"""

from __future__ import annotations

import functools
import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = [
    "SANDBOX_UID",
    "WORK",
    "COPY",
    "SITE",
    "SandboxUnavailable",
    "unavailable",
    "command",
    "sensitive_paths",
]

SANDBOX_UID = 65534
WORK = "/submission"
COPY = f"{WORK}/submission.py"
SITE = "/sandbox/site"
PYTHON = "/sandbox/python"
_WORKER_FILES = ("_worker.py", "_wire.py")
_MIN_VERSION = (0, 8, 0)  # --size (a bounded tmpfs) and --disable-userns


class SandboxUnavailable(RuntimeError):
    """The sandbox cannot be started here; the message says why."""


@functools.cache
def unavailable() -> str:
    """Why the sandbox cannot be used on this machine, or ``""`` (namespaces are tried when
    the worker starts)."""
    if not sys.platform.startswith("linux"):
        return f"the sandbox (bubblewrap) needs Linux; this is {sys.platform}"
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return (
            "bubblewrap (bwrap) is not installed (Debian and Ubuntu: "
            "`sudo apt-get install bubblewrap`)"
        )
    try:
        text = subprocess.run(
            [bwrap, "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        return f"bubblewrap ({bwrap}) cannot be run: {e}"
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    version = tuple(int(g or 0) for g in m.groups()) if m else (0, 0, 0)
    if version < _MIN_VERSION:
        found = ".".join(map(str, version)) if m else repr(text.strip())
        return f"bubblewrap {found} is too old: the sandbox needs 0.8 or later"
    return ""


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def _package_folder(name: str) -> str | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.realpath(list(spec.submodule_search_locations)[0])


def sensitive_paths() -> list[str]:
    """Host folders a submission must never see (hidden even if a bound tree holds them)."""
    from .. import registry
    from .progress import data_dir

    out = [
        Path(__file__).resolve().parent.parent,  # the deepqed package
        Path(sys.prefix),  # the virtual environment (deepqed's installed copy of the book)
        Path.home(),
        Path.cwd(),
        data_dir(),
    ]
    try:
        out.append(registry.book_dir())
    except FileNotFoundError:
        pass
    return sorted({os.path.realpath(p) for p in out})


def command(
    *,
    folder_bytes: int,
    source_fd: int,
    worker_args: list[str],
    hidden: list[str],
) -> tuple[list[str], dict[str, str]]:
    """The ``bwrap`` command that runs ``python -I /sandbox/_worker.py *worker_args`` in the
    sandbox, with the submission copied from ``source_fd``, and the whole environment to run it
    with. ``hidden`` lists host folders to hide should a bound tree contain them."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable(unavailable() or "bubblewrap (bwrap) is not installed")
    args = [
        bwrap,
        "--unshare-user",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--disable-userns",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "sandbox",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
    ]
    roots = ["/usr"]
    args += ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
            roots.append(path)
    if os.path.isfile("/etc/ld.so.cache"):
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    env = environment()
    executable = os.path.realpath(getattr(sys, "_base_executable", None) or sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    exec_prefix = os.path.realpath(sys.base_exec_prefix)
    inside = executable
    if prefix == exec_prefix and not _under(prefix, roots) and _under(executable, [prefix]):
        # the runtime is found from the executable's place: it moves as a whole
        args += ["--ro-bind", prefix, PYTHON]
        roots.append(prefix)
        inside = PYTHON + executable[len(prefix) :]
        if os.path.isdir(os.path.join(prefix, "lib")):
            env["LD_LIBRARY_PATH"] = f"{PYTHON}/lib"  # an absolute run path to libpython
    else:
        for p in sorted({prefix, exec_prefix}):
            if not _under(p, roots):
                args += ["--ro-bind", p, p]
                roots.append(p)
        if not _under(executable, roots):
            args += ["--ro-bind", executable, executable]
    # hide every package folder of the bound trees, and anything sensitive inside them
    masks: set[str] = set()
    for root in roots:
        for pattern in (
            "lib*/python3*/site-packages",
            "lib*/python3*/dist-packages",
            "lib*/python3/dist-packages",
            "local/lib*/python3*/site-packages",
            "local/lib*/python3*/dist-packages",
        ):
            masks.update(os.path.realpath(p) for p in glob.glob(os.path.join(root, pattern)))
    masks.update(p for p in hidden if _under(p, roots))
    for path in sorted(masks):
        if os.path.isdir(path) and not os.path.islink(path):
            target = PYTHON + path[len(prefix) :] if _moved(path, prefix, inside) else path
            args += ["--tmpfs", target, "--remount-ro", target]
    here = Path(__file__).resolve().parent
    for name in _WORKER_FILES:
        args += ["--ro-bind", str(here / name), f"/sandbox/{name}"]
    for package in ("numpy", "scipy"):
        folder = _package_folder(package)
        if folder is None:
            continue
        args += ["--ro-bind", folder, f"{SITE}/{package}"]
        libs = folder + ".libs"  # the shared libraries of a manylinux wheel
        if os.path.isdir(libs):
            args += ["--ro-bind", libs, f"{SITE}/{package}.libs"]
    args += ["--dev", "/dev", "--remount-ro", "/dev"]
    args += ["--size", str(int(folder_bytes)), "--tmpfs", WORK]
    args += ["--perms", "0644", "--file", str(source_fd), COPY, "--chdir", WORK]
    args += ["--remount-ro", "/"]
    args += ["--", inside, "-I", "/sandbox/_worker.py", *worker_args]
    return args, env


def _moved(path: str, prefix: str, inside: str) -> bool:
    """Whether ``path`` lies in the runtime bound at :data:`PYTHON`."""
    return inside.startswith(PYTHON + "/") and _under(path, [prefix])


def environment() -> dict[str, str]:
    """The worker's whole environment in the sandbox."""
    return {
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "HOME": WORK,
        "TMPDIR": WORK,
        "LANG": "C.UTF-8",
        "PATH": "/usr/bin:/bin",
    }
