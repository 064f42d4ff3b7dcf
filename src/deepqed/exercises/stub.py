"""The starter file that ``deepqed exercise start`` writes for an :class:`Implement` exercise."""

from __future__ import annotations

import textwrap

from .spec import Compute, Implement
from .submission import HEADER

__all__ = ["stub_source", "stub_filename"]


def stub_filename(spec: Implement | Compute) -> str:
    return spec.id.replace("-", "_") + ".py"


def stub_source(spec: Implement | Compute) -> str:
    """Header line, imports, signature, docstring (formula and shapes), ``NotImplementedError``;
    for a compute exercise, one ``name = ...`` line per answer."""
    if isinstance(spec, Compute):
        from .compute import compute_stub_source

        return compute_stub_source(spec, HEADER)
    doc = textwrap.indent(spec.docstring.strip("\n"), "    ")
    imports = "\n".join(spec.imports)
    return f'''{HEADER} {spec.id}
"""Exercise {spec.id}: {spec.title}.

Replace the body of {spec.function} by your solution, then run

    deepqed exercise check {stub_filename(spec)}

(`deepqed exercise hint {spec.id}` gives a hint). Only NumPy is needed.
"""

{imports}


def {spec.signature}:
    r"""{doc.lstrip()}
    """
    raise NotImplementedError
'''
