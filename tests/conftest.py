"""Test-suite settings shared by every folder.

Hypothesis: no per-example deadline (the machines are small and shared; speed is measured in
benchmarks/, not in tests) and, on CI (``CI`` set), derandomized example generation so that a
run is reproducible from the commit alone.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("deepqed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "deepqed-ci", parent=settings.get_profile("deepqed"), derandomize=True, database=None
)
settings.load_profile("deepqed-ci" if os.environ.get("CI") else "deepqed")


import pytest  # noqa: E402

from deepqed import registry  # noqa: E402


@pytest.fixture
def small_book(tmp_path, monkeypatch):
    """A factory of small throwaway books (``tests/testbook.py``): ``small_book("failing")``
    writes one whose first chapter also has a failing witness, puts its witness package on
    ``sys.path`` and returns the :class:`deepqed.registry.Book`."""
    from testbook import make_book

    made = []

    def make(*misbehaving: str) -> registry.Book:
        root = tmp_path / f"small{len(made)}"
        book, _ = make_book(root, misbehaving=misbehaving)
        monkeypatch.syspath_prepend(str(root / "pkg"))
        made.append(book)
        return registry.load(book)

    return make
