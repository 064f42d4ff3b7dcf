"""The book and the claims registry agree: every asserting statement is registered, every entry
names a real statement, no label is used twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepqed import registry
from deepqed.registry import ASSERTING_KINDS, Unwitnessed, Witness


def test_book_and_registry_agree():
    assert registry.consistency_problems() == []


def test_every_written_chapter_has_statements():
    by_chapter = {
        c.slug: [s for s in registry.statements() if s.chapter == c.slug] for c in registry.CHAPTERS
    }
    for slug, found in by_chapter.items():
        assert [s for s in found if s.kind in ASSERTING_KINDS], f"chapter {slug} has none"


def test_every_asserting_statement_of_kind_lemma_to_theorem_has_a_witness():
    """A stated reason is allowed, but theorems, propositions, lemmas, corollaries and
    algorithms assert something checkable: each has at least one real witness."""
    for s in registry.statements():
        if s.kind in ("lemma", "proposition", "theorem", "corollary", "algorithm"):
            entries = registry.witnesses_for(s.label)
            assert any(isinstance(e, Witness) for e in entries), s.label


def test_entries_are_well_formed():
    for _, entry in registry.claims():
        if isinstance(entry, Witness):
            assert callable(entry.check) and entry.summary.strip(), entry
        else:
            assert isinstance(entry, Unwitnessed) and len(entry.reason) > 20, entry


def _text(statements) -> str:
    """MyST text with one directive per statement (exercises too, so their specs stay matched)."""

    def one(s):
        name = "exercise" if s.kind == "exercise" else f"prf:{s.kind}"
        return f":::{{{name}}} {s.title}\n:label: {s.label}\n\nx\n:::"

    return "\n\n".join(one(s) for s in statements)


def _fake_book(tmp_path: Path, extra: str, drop: set[str]) -> Path:
    """A copy of the book's statements, chapter by chapter, without the labels in ``drop`` and
    with ``extra`` text appended to the feedforward chapter."""
    statements = [s for s in registry.statements() if s.label not in drop]
    for ch in registry.CHAPTERS:
        p = tmp_path / ch.source
        p.parent.mkdir(parents=True, exist_ok=True)
        body = _text(s for s in statements if s.chapter == ch.slug)
        p.write_text(body + (extra if ch.slug == "feedforward" else ""))
    (tmp_path / "conf.py").write_text("")
    return tmp_path


@pytest.fixture
def fake_book(tmp_path, monkeypatch):
    def make(extra: str = "", drop: set[str] = frozenset()) -> None:
        book = _fake_book(tmp_path, extra, set(drop))
        registry.statements.cache_clear()
        monkeypatch.setenv("DEEPQED_BOOK_DIR", str(book))
        registry.statements.cache_clear()

    yield make
    registry.statements.cache_clear()


def test_an_unwitnessed_theorem_is_reported(fake_book):
    fake_book("\n\n:::{prf:theorem} New\n:label: thm-new-unwitnessed\n\nx\n:::\n")
    problems = registry.consistency_problems()
    assert len(problems) == 1 and "thm-new-unwitnessed" in problems[0]
    assert "neither a witness nor a stated reason" in problems[0]


def test_a_witness_for_a_missing_label_is_reported(fake_book):
    fake_book(drop={"thm-backprop"})
    problems = registry.consistency_problems()
    assert problems and all("thm-backprop" in p for p in problems)
    assert any("no statement of the book carries that label" in p for p in problems)


def test_a_duplicated_label_is_reported(fake_book):
    fake_book("\n\n:::{prf:lemma} Again\n:label: thm-backprop\n\nx\n:::\n")
    problems = registry.consistency_problems()
    assert any(p.startswith("duplicate label 'thm-backprop'") for p in problems)


def test_parse_reads_backtick_and_colon_fences(tmp_path):
    p = tmp_path / "c.md"
    p.write_text(
        "```{prf:theorem} T\n:label: thm-a\n\nx\n```\n\n"
        "::::{exercise} E\n:label: ex-a\n\ny\n::::\n\n"
        ":::{prf:proof}\nno label\n:::\n"
    )
    got = registry.parse_statements(p, "c")
    assert [(s.label, s.kind, s.title, s.line) for s in got] == [
        ("thm-a", "theorem", "T", 1),
        ("ex-a", "exercise", "E", 7),
    ]


def test_an_exercise_without_specification_is_reported(fake_book):
    fake_book("\n\n::::{exercise} New\n:label: ex-ff-no-spec\n\nx\n::::\n")
    problems = registry.consistency_problems()
    assert len(problems) == 1 and "ex-ff-no-spec" in problems[0]
    assert "has no specification" in problems[0]


def test_an_unlabelled_theorem_is_reported(fake_book):
    """A numbered statement without a label cannot be matched with the registry: never silent."""
    fake_book("\n\n:::{prf:theorem} No label\n\nx\n:::\n")
    problems = registry.consistency_problems()
    assert len(problems) == 1 and "theorem at" in problems[0] and "has no label" in problems[0]


def test_labels_after_many_options_and_in_yaml_blocks_are_read(tmp_path):
    p = tmp_path / "c.md"
    p.write_text(
        ":::{prf:theorem} T\n:class: a\n:nonumber:\n:name: n\n:x: 1\n:y: 2\n:z: 3\n"
        ":label: thm-late\n\nbody :label: not-this\n:::\n\n"
        "```{prf:lemma} L\n---\nclass: b\nlabel: lem-yaml\n---\nbody\n```\n\n"
        ":::{prf:remark} R\n\n:label: rem-in-body\n:::\n"
    )
    got = registry.parse_statements(p, "c")
    assert [(s.label, s.kind, s.line) for s in got] == [
        ("thm-late", "theorem", 1),
        ("lem-yaml", "lemma", 13),
    ]
    assert registry.unlabelled_statements(p) == []  # a remark is not an asserting kind


def test_a_statement_outside_the_chapters_is_reported(fake_book, tmp_path):
    fake_book()
    (tmp_path / "appendix.md").write_text(":::{prf:lemma} Stray\n:label: lem-stray\n\nx\n:::\n")
    problems = registry.consistency_problems()
    assert len(problems) == 1 and "appendix.md:1" in problems[0] and "in no chapter" in problems[0]
