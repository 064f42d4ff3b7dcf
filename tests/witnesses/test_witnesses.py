"""Every witness of the registry: passes at fixed seeds, is reproducible from its ``rng``, declares
a trust tier that matches its evidence, and fails when handed a deliberately broken
implementation (each chapter's ``tests/witnesses/test_<slug>.py`` exports ``BROKEN``, a list of
``(witness, keyword arguments, bug)``)."""

from __future__ import annotations

import importlib.util
import math
import random
import re
import zlib
from pathlib import Path

import pytest

from deepqed import registry, verify

BOOK = registry.load()
WITNESSES = BOOK.witnesses()
IDS = [f"{w.label}:{w.name}" for w in WITNESSES]


@pytest.mark.parametrize("chapter", BOOK.chapters, ids=lambda c: c.slug)
def test_every_statement_has_a_witness_or_a_reason(chapter):
    """Each asserting statement of the chapter has a witness, or an entry that says why not."""
    entries = [c.entry for c in BOOK.claims if c.chapter == chapter]
    written = {
        s.label
        for s in BOOK.statements
        if s.chapter == chapter.slug and s.kind in registry.ASSERTING_KINDS
    }
    assert {c.label for c in entries} == written
    for c in entries:
        if isinstance(c, registry.Witness):
            assert c.summary and c.source.startswith(f"deepqed.witnesses.{chapter.slug}.")
        else:
            assert len(c.reason) > 20, c


def _fresh_seed() -> int:
    """A seed outside 0-9 that changes from run to run (pytest-randomly seeds ``random`` for each
    test from the run's ``--randomly-seed``, which pytest prints: a failure is reproduced with
    ``-p randomly --randomly-seed=<that number>``)."""
    return random.randrange(10, 2**31)


#: Each run checks the reproducibility of one witness in this many (which ones changes with the
#: run's seed), so that over a few runs every witness is run twice at one seed.
REPRODUCED_ONE_IN = 3


@pytest.mark.parametrize("witness", WITNESSES, ids=IDS)
def test_witness_passes_at_a_fresh_seed_and_is_reproducible(witness):
    """Every witness passes at a fresh seed (a witness must pass at any seed); one in
    :data:`REPRODUCED_ONE_IN`, drawn afresh each run, runs again to the same result. Seed 0 is
    the built book's: ``tests/book/test_build.py`` requires every statement's box to show its
    witnesses passed."""
    seed = _fresh_seed()
    ev = verify.evaluate(witness, seed)
    assert ev.passed, f"seed {seed}: {ev}"
    assert ev.instances > 0 and ev.comparisons
    for c in ev.comparisons:
        assert c.what and math.isfinite(c.tolerance)
        # the book typesets $...$ in what (not in units) and no MyST role in either
        assert not re.search(r"\{[a-z:-]+\}`", c.what + c.units), c.what
        assert "$" not in c.units, c.units
    assert verify._tier_problem(witness, ev) == ""
    if (zlib.crc32(f"{witness.label}/{witness.name}".encode()) + seed) % REPRODUCED_ONE_IN == 0:
        assert verify.evaluate(witness, seed) == ev, f"seed {seed}: not reproducible"


def _broken_lists() -> list[tuple]:
    """Every chapter's ``BROKEN`` list, read from ``test_<slug>.py`` beside this file."""
    out = []
    for ch in BOOK.chapters:
        path = Path(__file__).with_name(f"test_{ch.slug}.py")
        if path.is_file():
            spec = importlib.util.spec_from_file_location(f"_broken_{ch.slug}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            out += list(getattr(module, "BROKEN", []))
    return out


BROKEN = _broken_lists()


def test_every_witness_is_shown_to_fail():
    """Each witness of the registry is handed a broken implementation in its chapter's
    ``test_<slug>.py`` (so it can fail)."""
    broken = {entry[0] for entry in BROKEN}
    missing = sorted({w.name for w in WITNESSES if w.check not in broken})
    assert not missing, f"witnesses never shown to detect a bug: {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("k", range(20))
def test_the_whole_book_verifies_at_fresh_seeds(k):
    """``deepqed verify`` passes at 20 fresh seeds, each witness under its time limit (run with
    ``pytest -m slow``)."""
    seed = _fresh_seed()
    bad = [r for r in verify.run(BOOK, seed=seed) if not r.ok]
    assert not bad, f"seed {seed}: " + "; ".join(
        f"{r.label}/{r.witness}: {r.status} {r.detail}" for r in bad
    )
