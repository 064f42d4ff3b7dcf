"""The project's one reader of MyST: directives (both option forms, nesting, not inside code),
headings and toctrees, with the line numbers that messages cite."""

from __future__ import annotations

from deepqed import myst


def test_directives_in_backtick_and_colon_fences(tmp_path):
    p = tmp_path / "c.md"
    p.write_text(
        "```{prf:theorem} T\n:label: thm-a\n\nx\n```\n\n"
        "::::{exercise} E\n:label: ex-a\n\ny\n::::\n\n"
        ":::{prf:proof}\nno label\n:::\n"
    )
    got = [(d.name, d.argument, d.label, d.line) for d in myst.directives(p)]
    assert got == [
        ("prf:theorem", "T", "thm-a", 1),
        ("exercise", "E", "ex-a", 7),
        ("prf:proof", "", None, 13),
    ]


def test_options_in_both_forms_and_the_body_after_them(tmp_path):
    p = tmp_path / "c.md"
    p.write_text(
        ":::{prf:theorem} T\n:class: a\n:nonumber:\n:name: n\n:x: 1\n:y: 2\n:z: 3\n"
        ":label: thm-late\n\nbody :label: not-this\n:::\n\n"
        "```{prf:lemma} L\n---\nclass: b\nlabel: lem-yaml\n---\nbody\n```\n\n"
        ":::{prf:remark} R\n\n:label: rem-in-body\n:::\n"
    )
    a, b, c = myst.directives(p)
    assert (
        a.label == "thm-late" and a.options["nonumber"] == "" and a.body == "body :label: not-this"
    )
    assert a.body_line == 10
    assert (b.label, b.options["class"], b.line, b.body) == (
        "lem-yaml",
        "b",
        13,
        "body",
    )
    assert c.label is None and ":label: rem-in-body" in c.body


def test_nested_directives_and_code_blocks(tmp_path):
    """A solution nested in an exercise is found with its own line; a directive inside a plain
    code block or display maths is text, not a directive."""
    p = tmp_path / "c.md"
    p.write_text(
        "::::{exercise} E\n:label: ex-a\n\nText.\n\n:::{solution} ex-a\n:class: dropdown"
        "\n\nS.\n:::\n::::\n\n````text\n:::{prf:theorem} Not one\n:label: thm-no\n"
        ":::\n````\n\n$$\n```{prf:lemma}\n```\n$$\n"
    )
    found = myst.directives(p)
    assert [(d.name, d.line) for d in found] == [("exercise", 1), ("solution", 6)]
    assert found[0].children == (found[1],) and found[1].argument == "ex-a"


def test_headings_title_and_toctrees(tmp_path):
    p = tmp_path / "index.md"
    p.write_text(
        "---\nfront: matter\n---\n\n(ch-x)=\n# The *title* $x$\n\n## Section\n\n"
        "```{toctree}\n:caption: Part I Foundations\n:numbered:\n:maxdepth: 2\n\n"
        "a/index\nNamed <b/index>\n```\n"
    )
    assert myst.title(p) == "The title x"
    assert [h.level for h in myst.headings(p)] == [1, 2]
    (toc,) = myst.toctrees(p)
    assert toc.caption == "Part I Foundations" and toc.numbered
    assert toc.entries == ("a/index", "b/index")


def test_a_dollar_left_as_text_is_found_with_its_line():
    """Display math that interrupts a list item's paragraph is read as two stray dollars around
    inline math; with blank lines around it, or in code, a dollar is not text."""
    tight = "1. For every $r$,\n   $$\n   x < y\n   $$\n"
    loose = "1. For every $r$,\n\n   $$\n   x < y\n   $$\n"
    code = "```python\nprint('$5')\n```\n\nCosts `$5`.\n"
    assert myst.stray_dollars(tight) == [1]
    assert myst.stray_dollars(loose) == []
    assert myst.stray_dollars(code) == []
    nested = (
        "Text $a$.\n\n::::{exercise} E\n:label: ex-a\n\n:::{solution}\n\n" + tight + ":::\n::::\n"
    )
    assert myst.stray_dollars(nested) == [8]
    assert myst.stray_dollars("A price of 5$ in a heading\n") == [1]
