"""A cache on disk for what is read from the book's sources (the registry, the cross-reference
table), so that a command that needs them (``deepqed exercise check``, ``list``, ``show``) does
not parse fourteen chapters of Markdown each time it starts.

An entry is keyed by everything its value depends on: the caller's key (the book folder and the
names, sizes and modification times of its Markdown files) and the modification times of the
modules that compute it (an edited parser never serves an old reading). The folder is
``$DEEPQED_CACHE_DIR``, else ``$XDG_CACHE_HOME/deepqed``, else ``~/.cache/deepqed``. A folder that
cannot be written, or an entry that cannot be read, only means the value is computed again:
the cache never changes a result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

__all__ = ["cache_dir", "cached"]

#: Entries kept per name (a few books: the reader's, and the temporary ones of tests).
KEEP = 8


def cache_dir() -> Path:
    """The cache's folder (not created here)."""
    if os.environ.get("DEEPQED_CACHE_DIR"):
        return Path(os.environ["DEEPQED_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "deepqed"


def _code_stamp(modules: tuple[str, ...]) -> tuple:
    out = []
    for name in modules:
        path = getattr(sys.modules.get(name), "__file__", None)
        st = os.stat(path) if path else None
        out.append((name, st.st_size if st else 0, st.st_mtime_ns if st else 0))
    return tuple(out)


def cached(name: str, key: tuple, compute: Callable[[], T], *, modules: tuple[str, ...]) -> T:
    """``compute()``, or the value stored under ``name`` and ``key`` (a tuple of plain values)
    by an earlier call with the same ``modules`` (the names of the already imported modules
    whose code computes it)."""
    ident = repr((name, key, _code_stamp(modules), sys.version_info[:2]))
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:40]
    path = cache_dir() / f"{name}-{digest}.pickle"
    try:
        with open(path, "rb") as f:
            stored_ident, value = pickle.load(f)
        if stored_ident == ident:
            return value
    except Exception:  # absent, unreadable, truncated or from another version: compute it
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((ident, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # atomic: a reader sees the old entry or the new one
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        _prune(path.parent, name)
    except (OSError, pickle.PicklingError):
        pass
    return value


def _prune(folder: Path, name: str, keep: int = KEEP) -> None:
    """Delete all but the ``keep`` most recently written entries of ``name``."""
    entries = []
    for p in folder.glob(f"{name}-*.pickle"):
        try:
            entries.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue
    for _, p in sorted(entries, reverse=True)[keep:]:
        try:
            p.unlink()
        except OSError:
            pass
