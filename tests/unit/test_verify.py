"""The witness runner: evidence over dtypes, trust tiers, statement tiers, isolation."""

from __future__ import annotations

import math

import pytest

from deepqed import evidence, registry, verify
from deepqed.evidence import Comparison, Evidence


def test_dtype_grid_tags_comparisons(small_book):
    book = small_book()
    (w,) = [w for w in book.witnesses() if w.label == "lem-beta-double"]
    ev = verify.evaluate(w, 0)
    assert ev.instances == 8 and [c.dtype for c in ev.comparisons] == [
        "float32",
        "float64",
    ]


def test_in_process_and_isolated_runs_agree(small_book):
    book = small_book()
    a = verify.run(book, seed=5, isolate=False)
    b = verify.run(book, seed=5)
    strip = lambda rs: [(r.label, r.status, r.comparisons) for r in rs]
    assert strip(a) == strip(b)
    assert [r.strength for r in a] == ["exact", "sharp", "exact"]


def test_statement_tier_is_the_weakest_entry():
    w = lambda s, r="": registry.Witness("thm-x", abs, "x", strength=s, reason=r)
    assert registry.statement_strength([w("exact"), w("sharp")]) == "sharp"
    assert (
        registry.statement_strength([w("exact"), w("validity", "constant not pinned")])
        == "validity"
    )
    assert (
        registry.statement_strength([w("exact"), registry.Unwitnessed("thm-x", "r" * 30, "cited")])
        == "cited"
    )
    assert registry.statement_strength([w("exact"), w(None)]) is None
    with pytest.raises(ValueError, match="needs a reason"):
        w("validity")
    with pytest.raises(ValueError, match="strength must be one of"):
        w("strong")


@pytest.mark.parametrize(
    "kind,measured,reference,tol,passed,ratio",
    [
        ("equal", 1.0, 1.0 + 1e-13, 1e-12, True, None),
        ("equal", 1.0, 1.1, 1e-12, False, None),
        ("upper", 0.5, 1.0, 0.0, True, 0.5),
        ("upper", 1.0 + 1e-9, 1.0, 0.0, False, 1.0 + 1e-9),
        ("lower", 2.0, 1.0, 0.0, True, 2.0),
        ("lower", 0.9, 1.0, 0.05, False, 0.9),
        ("rate", -1.98, -2.0, 0.1, True, None),
        ("equal", math.nan, 0.0, 1.0, False, None),
        ("upper", math.nan, 1.0, 0.0, False, math.nan),
    ],
)
def test_comparison_semantics(kind, measured, reference, tol, passed, ratio):
    c = Comparison("q", kind, measured, reference, tol)
    assert c.passed is passed
    if ratio is None:
        assert c.ratio is None
    else:
        assert c.ratio == pytest.approx(ratio, nan_ok=True)


def test_interval_contains_reference():
    c = evidence.interval("mean", 0.51, 0.48, 0.54, 0.5, level=0.99)
    assert c.passed and c.deviation == 0.0
    d = evidence.interval("mean", 0.61, 0.58, 0.64, 0.5, level=0.99)
    assert not d.passed and d.deviation == pytest.approx(0.08)


def test_evidence_needs_comparisons_and_instances():
    assert not Evidence(0, (evidence.error("e", 0.0, 1.0),)).passed
    assert not Evidence(3, ()).passed
    assert Evidence(3, (evidence.error("e", 0.0, 1.0),)).passed
    with pytest.raises(ValueError):
        Comparison("", "equal", 0, 0)
    with pytest.raises(ValueError):
        Comparison("q", "approximately", 0, 0)
    with pytest.raises(TypeError):
        Comparison("q", "equal", "zero", 0)


def test_worst_picks_the_closest_to_failing():
    a = evidence.error("a", 1e-14, 1e-12)
    b = evidence.error("b", 9e-13, 1e-12)
    c = evidence.upper("c", 0.5, 1.0)
    assert evidence.worst([a, b, c]) is b
    d = evidence.upper("d", 2.0, 1.0)
    assert evidence.worst([a, b, d]) is d
