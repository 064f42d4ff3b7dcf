"""The book's MyST and TeX as terminal text (``deepqed.plaintext``)."""

from __future__ import annotations

import pytest

from deepqed import plaintext, registry

BOOK = registry.load()


@pytest.mark.parametrize(
    "tex,text",
    [
        (r"$\mathbb R^{n\times d}$", "ℝ^(n×d)"),
        (r"$x^2\le\varepsilon$", "x^2 ≤ ε"),
        (r"$\operatorname{diag}(s) - s s^\top$", "diag(s) - s s^⊤"),
        (r"$\|x\|_2$", "‖x‖_2"),
        (r"$\frac{a}{b}$", "a/b"),
        (r"$\sum_{i=1}^n x_i$", "∑_(i = 1)^n x_i"),
        (r"$\langle A, B\rangle$", "⟨A, B⟩"),
    ],
)
def test_tex_becomes_unicode(tex, text):
    assert plaintext.to_text(tex) == text


def test_references_read_as_the_book_numbers_them():
    theorem = next(s for s in BOOK.statements if s.kind == "theorem")
    assert plaintext.references(f"see {{prf:ref}}`{theorem.label}`", BOOK) == f"see {theorem.name}"
    assert plaintext.references(f"Theorem {theorem.label} says", BOOK) == f"{theorem.name} says"
    explicit = plaintext.references(f"{{prf:ref}}`the result <{theorem.label}>`", BOOK)
    assert explicit == "the result"
    ch = BOOK.chapters[0]
    assert plaintext.references(f"{{doc}}`../{ch.slug}/index`", BOOK) == f"Chapter {ch.number}"


def test_figure_and_equation_numbers_are_those_of_the_html_book():
    """Counted in document order within the chapter, as Sphinx numbers them."""
    table = plaintext.numbers(BOOK)
    ch = BOOK.chapter("feedforward")
    assert table.labels["fig-ff-activations"] == f"Figure {ch.number}.1"
    assert table.labels["eq-ff-tail"] == f"({ch.number}.1)"


def test_directives_become_headings_and_code_stays():
    text = plaintext.to_text(
        ":::{prf:theorem} Title\n:label: thm-x\n\nBody $x$.\n:::\n\n```python\ncode()\n```\n"
    )
    assert text.splitlines()[0] == "Theorem (Title)."
    assert "Body x." in text and "    code()" in text and ":::" not in text
