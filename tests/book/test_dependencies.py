"""Everything the book's code cells import is a dependency of deepqed itself, not only of its
`test` extra: a reader who runs `pip install -e . && deepqed book` must be able to build it."""

from __future__ import annotations

import re
import sys
from importlib.metadata import packages_distributions, requires

from packaging.requirements import Requirement

from deepqed import registry

_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.M)


def _imported_top_level_modules() -> set[str]:
    names: set[str] = set()
    for md in registry.load().root.rglob("*.md"):
        for cell in _CELL.findall(md.read_text(encoding="utf-8")):
            for a, b in _IMPORT.findall(cell):
                names.add((a or b).split(".")[0])
    return names


def _runtime_distributions() -> set[str]:
    """Distributions deepqed requires without an extra (from the installed metadata)."""
    reqs = [Requirement(line) for line in requires("deepqed") or []]
    return {
        r.name.lower().replace("_", "-")
        for r in reqs
        if r.marker is None or "extra" not in str(r.marker)
    }


def test_code_cells_import_only_runtime_dependencies():
    modules = _imported_top_level_modules()
    assert {"numpy", "deepqed"} <= modules  # the parser sees the chapter's imports
    runtime = _runtime_distributions()
    dists = packages_distributions()
    missing = {}
    for mod in sorted(modules - {"deepqed"} - set(sys.stdlib_module_names)):
        names = {d.lower().replace("_", "-") for d in dists.get(mod, [])}
        if not names & runtime:
            missing[mod] = sorted(names)
    assert not missing, f"book code imports modules outside deepqed's dependencies: {missing}"
