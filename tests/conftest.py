"""Test-suite settings shared by every folder.

Hypothesis: no per-example deadline (the machines are small and shared; speed is measured in
benchmarks/, not in tests) and, on CI (``CI`` set), derandomized example generation so that a
run is reproducible from the commit alone.

The on-disk cache of the book's reading (:mod:`deepqed._diskcache`) goes to a folder of this run
(every process the tests start inherits it), not to the user's cache.
"""

import os
import shutil
import signal
import tempfile
from pathlib import Path

_OWN_CACHE = "DEEPQED_CACHE_DIR" not in os.environ  # this process made the folder
os.environ.setdefault("DEEPQED_CACHE_DIR", tempfile.mkdtemp(prefix="deepqed-test-cache-"))

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("deepqed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "deepqed-ci", parent=settings.get_profile("deepqed"), derandomize=True, database=None
)
settings.load_profile("deepqed-ci" if os.environ.get("CI") else "deepqed")


import pytest  # noqa: E402

from deepqed import registry  # noqa: E402

_BOOK_TESTS = Path(__file__).parent / "book"


def _selects_book_tests(config: pytest.Config) -> bool:
    """Whether the command line's paths include the book's tests (``tests/book``)."""
    here = Path(config.invocation_params.dir)
    for ignored in config.getoption("ignore") or []:
        p = (here / ignored).resolve()
        if p == _BOOK_TESTS or p in _BOOK_TESTS.parents:
            return False
    args = [a.split("::")[0] for a in config.args if not a.startswith("-")] or ["."]
    for a in args:
        p = (Path(config.invocation_params.dir) / a).resolve()
        if p == _BOOK_TESTS or _BOOK_TESTS in p.parents or p in _BOOK_TESTS.parents:
            return True
    return False


def pytest_configure(config: pytest.Config) -> None:
    """In the session's first process (not in a pytest-xdist worker): start the HTML and PDF
    builds of the book in the background (``tests/book_builds.py``) when book tests are
    selected, so that they run beside the other tests and once per session."""
    import book_builds

    if hasattr(config, "workerinput") or os.environ.get("DEEPQED_TEST_BUILT_BOOK"):
        return
    if os.environ.get(book_builds.ENV) or not _selects_book_tests(config):
        return
    folder = Path(tempfile.mkdtemp(prefix="deepqed-test-books-"))
    os.environ[book_builds.ENV] = str(folder)  # inherited by the worker processes
    config._deepqed_books = (folder, book_builds.start(folder))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests of the built book last (a stable sort keeps pytest-randomly's order of the rest):
    the session builds the book beside the other tests, and a test process that reached a book
    test early would wait for the build, idle."""
    items.sort(key=lambda item: item.get_closest_marker("book") is not None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the background builds if they still run, and remove their folder (and the cache's,
    in the process that made it)."""
    if _OWN_CACHE:
        shutil.rmtree(os.environ["DEEPQED_CACHE_DIR"], ignore_errors=True)
    started = getattr(config, "_deepqed_books", None)
    if started is None:
        return
    folder, proc = started
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    os.environ.pop("DEEPQED_TEST_BOOK_BUILDS", None)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def small_book(tmp_path, monkeypatch):
    """A factory of small throwaway books (``tests/testbook.py``): ``small_book("failing")``
    writes one whose first chapter also has a failing witness (``notebooks=True``: chapters
    executed by MyST-NB), puts its witness package on
    ``sys.path`` and returns the :class:`deepqed.registry.Book`."""
    from testbook import make_book

    made = []

    def make(*misbehaving: str, notebooks: bool = False) -> registry.Book:
        root = tmp_path / f"small{len(made)}"
        book, _ = make_book(root, misbehaving=misbehaving, notebooks=notebooks)
        monkeypatch.syspath_prepend(str(root / "pkg"))
        made.append(book)
        return registry.load(book)

    return make
