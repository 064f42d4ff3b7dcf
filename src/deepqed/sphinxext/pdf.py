"""What the LaTeX builder (``deepqed book --pdf``) does differently from the HTML.

Solutions are not collapsible on paper, so ``deepqed_solutions`` chooses where they go:
``"appendix"`` (the default) gathers them, in book order, in a last chapter *Solutions*;
``"none"`` leaves them out; ``"inline"`` keeps each under its exercise.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes

__all__ = ["SOLUTIONS", "place_solutions", "setup"]

SOLUTIONS = ("appendix", "none", "inline")


def place_solutions(app: Any, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` of the LaTeX builder's one assembled document."""
    from sphinx_exercise.nodes import solution_node

    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    mode = app.config.deepqed_solutions
    if mode not in SOLUTIONS:
        raise ValueError(f"deepqed_solutions must be one of {SOLUTIONS}, got {mode!r}")
    if mode == "inline":
        return
    solutions = []
    for node in list(doctree.findall(solution_node)):
        # the LaTeX writer names labels after the document a node sits in: keep each solution
        # inside a marker of its chapter, so that its references still resolve
        chapter = node.parent
        while chapter is not None and not chapter.get("docname"):
            chapter = chapter.parent
        node.parent.remove(node)
        marker = addnodes.start_of_file(docname=chapter["docname"] if chapter else docname)
        marker += node
        solutions.append(marker)
    if mode == "none" or not solutions:
        return
    section = nodes.section(ids=["deepqed-solutions"], names=["solutions"])
    section += nodes.title(text="Solutions")
    intro = nodes.paragraph(
        text="The solutions of the exercises, in the order of the chapters. In the HTML book "
        "each solution stays collapsed under its exercise until it is opened."
    )
    section += intro
    section.extend(solutions)
    doctree += nodes.raw("", "\\appendix\n", format="latex")
    doctree += section


def setup(app: Any) -> None:
    app.add_config_value("deepqed_solutions", "appendix", "env", types=frozenset({str}))
    app.connect("doctree-resolved", place_solutions)
