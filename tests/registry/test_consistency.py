"""The book and the claims registry agree: every asserting statement is registered, every entry
names a real statement, no label is used twice; the chapter list is the book's own toctree."""

from __future__ import annotations

from pathlib import Path

import pytest

from deepqed import consistency, registry
from deepqed.registry import ASSERTING_KINDS, Unwitnessed, Witness

BOOK = registry.load()


def test_book_and_registry_agree():
    assert consistency.problems(BOOK) == []


def test_chapters_come_from_the_numbered_toctrees():
    """Chapters are numbered 1, 2, ... in toctree order; each has a part (its toctree's caption),
    a title (its first heading) and the witness package named after its slug."""
    assert [c.number for c in BOOK.chapters] == list(range(1, len(BOOK.chapters) + 1))
    for c in BOOK.chapters:
        assert c.part.startswith("Part ") and c.title and c.source == f"{c.slug}/index.md"
        assert c.witnesses == f"deepqed.witnesses.{c.slug}"
        assert BOOK.chapter(c.number) == BOOK.chapter(c.slug) == c


def test_statement_numbers_count_each_kind_per_chapter():
    """Numbers as sphinx-proof prints them: chapter.k, one counter per kind."""
    for ch in BOOK.chapters:
        for kind in {s.kind for s in BOOK.statements if s.chapter == ch.slug}:
            numbers = [s.number for s in BOOK.statements if s.chapter == ch.slug and s.kind == kind]
            assert numbers == [f"{ch.number}.{k}" for k in range(1, len(numbers) + 1)], kind


def test_every_written_chapter_has_statements():
    for ch in BOOK.chapters:
        found = [s for s in BOOK.statements if s.chapter == ch.slug]
        assert [s for s in found if s.kind in ASSERTING_KINDS], f"chapter {ch.slug} has none"


def test_every_asserting_statement_of_kind_lemma_to_theorem_has_a_witness():
    """A stated reason is allowed for definitions (and a cited source for a result the book does
    not prove), but lemmas, propositions, theorems, corollaries and algorithms assert something
    checkable: each has at least one real witness."""
    for s in BOOK.statements:
        if s.kind in ("lemma", "proposition", "theorem", "corollary", "algorithm"):
            entries = BOOK.entries_for(s.label)
            assert any(isinstance(e, Witness) for e in entries), s.label


def test_entries_are_well_formed():
    for c in BOOK.claims:
        entry = c.entry
        if isinstance(entry, Witness):
            assert callable(entry.check) and entry.summary.strip(), entry
        else:
            assert isinstance(entry, Unwitnessed) and len(entry.reason) > 20, entry


def test_claims_are_in_book_order():
    order = {s.label: i for i, s in enumerate(BOOK.statements)}
    positions = [order[c.entry.label] for c in BOOK.claims]
    assert positions == sorted(positions)


# --- throwaway books ---------------------------------------------------------------------------
def _make_book(root: Path, chapters: dict[str, str], part: str = "Part I Test") -> Path:
    """A book folder with ``index.md`` (one numbered toctree) and one file per chapter."""
    toc = "\n".join(f"{slug}/index" for slug in chapters)
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.md").write_text(
        f"# Book\n\n```{{toctree}}\n:caption: {part}\n:numbered:\n\n{toc}\n```\n"
    )
    for slug, text in chapters.items():
        (root / slug).mkdir(parents=True, exist_ok=True)
        (root / slug / "index.md").write_text(f"# Chapter {slug}\n\n{text}")
    (root / "conf.py").write_text("")
    return root


def _copy_statements(root: Path, drop: set[str] = frozenset(), extra: str = "") -> registry.Book:
    """A book with the real book's chapters and statements (bodies replaced), read with the
    real witness packages; ``extra`` is appended to the feedforward chapter."""

    def one(s):
        name = "exercise" if s.kind == "exercise" else f"prf:{s.kind}"
        return f"::::{{{name}}} {s.title}\n:label: {s.label}\n\nx\n::::"

    texts = {}
    for ch in BOOK.chapters:
        body = "\n\n".join(
            one(s) for s in BOOK.statements if s.chapter == ch.slug and s.label not in drop
        )
        texts[ch.slug] = body + (extra if ch.slug == "feedforward" else "")
    _make_book(root, texts)
    for ch in BOOK.chapters:  # the exercise specifications, so that exercises stay matched
        (root / ch.exercises).symlink_to(BOOK.root / ch.exercises)
    return registry.load(root)


def test_an_unwitnessed_theorem_is_reported(tmp_path):
    book = _copy_statements(
        tmp_path, extra="\n\n:::{prf:theorem} New\n:label: thm-new-unwitnessed\n\nx\n:::\n"
    )
    problems = consistency.problems(book)
    assert len(problems) == 1 and "thm-new-unwitnessed" in problems[0]
    assert "neither a witness nor a stated reason" in problems[0]


def test_a_witness_for_a_missing_label_is_reported(tmp_path):
    problems = consistency.problems(_copy_statements(tmp_path, drop={"thm-backprop"}))
    assert problems and all("thm-backprop" in p for p in problems)
    assert any("no statement of the book carries that label" in p for p in problems)


def test_a_duplicated_label_is_reported(tmp_path):
    book = _copy_statements(
        tmp_path, extra="\n\n:::{prf:lemma} Again\n:label: thm-backprop\n\nx\n:::\n"
    )
    assert any(p.startswith("duplicate label 'thm-backprop'") for p in consistency.problems(book))


def test_an_exercise_without_specification_is_reported(tmp_path):
    book = _copy_statements(
        tmp_path, extra="\n\n::::{exercise} New\n:label: ex-ff-no-spec\n\nx\n::::\n"
    )
    problems = consistency.problems(book)
    assert len(problems) == 1 and "ex-ff-no-spec" in problems[0]
    assert "has no specification" in problems[0]


def test_an_unlabelled_theorem_is_reported(tmp_path):
    """A numbered statement without a label cannot be matched with the registry: never silent."""
    book = _copy_statements(tmp_path, extra="\n\n:::{prf:theorem} No label\n\nx\n:::\n")
    problems = consistency.problems(book)
    assert len(problems) == 1 and "theorem at" in problems[0] and "has no label" in problems[0]


def test_a_statement_outside_the_chapters_is_reported(tmp_path):
    book = _copy_statements(tmp_path)
    (tmp_path / "appendix.md").write_text(":::{prf:lemma} Stray\n:label: lem-stray\n\nx\n:::\n")
    problems = consistency.problems(registry.load(tmp_path))
    assert book.root == tmp_path.resolve()
    assert len(problems) == 1 and "appendix.md:1" in problems[0] and "in no chapter" in problems[0]


def test_a_chapter_without_witness_package_is_reported(tmp_path):
    _make_book(tmp_path, {"nowhere": ":::{prf:definition} D\n:label: def-x\n\nx\n:::\n"})
    problems = consistency.problems(registry.load(tmp_path))
    assert any("has no witness package deepqed.witnesses.nowhere" in p for p in problems)
    assert any("'def-x'" in p and "neither a witness" in p for p in problems)


def test_an_edited_book_is_read_again(tmp_path):
    """Reading is cached under the book folder and the state of its files, never globally: two
    books in one process, and a book edited in place, each give their own statements."""
    _make_book(tmp_path / "a", {"c": ":::{prf:definition} A\n:label: def-a\n\nx\n:::\n"})
    _make_book(tmp_path / "b", {"c": ":::{prf:definition} B\n:label: def-b\n\nx\n:::\n"})
    assert [s.label for s in registry.load(tmp_path / "a").statements] == ["def-a"]
    assert [s.label for s in registry.load(tmp_path / "b").statements] == ["def-b"]
    (tmp_path / "a" / "c" / "index.md").write_text(
        "# C\n\n:::{prf:definition} A2\n:label: def-a2\n\nlonger text\n:::\n"
    )
    assert [s.label for s in registry.load(tmp_path / "a").statements] == ["def-a2"]


def test_parts_and_numbers_span_several_toctrees(tmp_path):
    (tmp_path / "index.md").write_text(
        "# B\n\n```{toctree}\n:caption: Front\n\nnotation\n```\n\n"
        "```{toctree}\n:caption: Part I A\n:numbered:\n\none/index\n```\n\n"
        "```{toctree}\n:caption: Part II B\n:numbered:\n\ntwo/index\nthree/index\n```\n"
    )
    for slug in ("one", "two", "three"):
        (tmp_path / slug).mkdir()
        (tmp_path / slug / "index.md").write_text(
            f"# The {slug}\n\n:::{{prf:theorem}} T\n:label: thm-{slug}\n\nx\n:::\n\n"
            f":::{{prf:lemma}} L\n:label: lem-{slug}\n\nx\n:::\n\n"
            f":::{{prf:theorem}} U\n:label: thm-{slug}-2\n\nx\n:::\n"
        )
    book = registry.load(tmp_path)
    assert [(c.number, c.slug, c.part, c.title) for c in book.chapters] == [
        (1, "one", "Part I A", "The one"),
        (2, "two", "Part II B", "The two"),
        (3, "three", "Part II B", "The three"),
    ]
    assert [s.number for s in book.statements if s.chapter == "three"] == ["3.1", "3.1", "3.2"]
    assert book.statement("thm-three-2").name == "Theorem 3.2"
    with pytest.raises(ValueError, match="unknown chapter 'four'"):
        book.chapter("four")


def test_raw_tex_in_a_chapter_is_reported(tmp_path):
    """Display math without a blank line before it in a list item: the reader would see '$$'."""
    book = _copy_statements(tmp_path, extra="\n\n1. For every $r$,\n   $$\n   r\n   $$\n")
    problems = consistency.problems(book)
    assert len(problems) == 1 and "feedforward" in problems[0]
    assert "not read as mathematics" in problems[0]
