r"""The exercise format: plain records that the checker, the CLI and the tests all read.

One Python file per exercise lives beside its chapter (``book/<chapter>/exercises/ex_*.py``) and
exports ``EXERCISE``: an :class:`Implement` (write a function), a :class:`Compute` (give numbers)
or a :class:`Prove` (a proof, marked by the reader). Its ``id`` is the label of the
``{exercise}`` directive in the chapter's text.

An :class:`Implement` exercise is checked by running the reader's function and the reference on
inputs drawn from ``arguments`` (a Hypothesis strategy of keyword-argument dictionaries) and
comparing, per output, type, shape, dtype, finiteness and values (``tolerances``), plus the
exercise's own ``properties``. ``wrong`` lists plausible mistakes; the test suite checks that each
one fails the check it names, with a message that mentions ``mentions``.

To add an exercise to a chapter:

1. write the ``{exercise}`` directive with its ``:label:`` in the chapter's MyST text;
2. add ``book/<chapter>/exercises/ex_<label with underscores>.py`` defining the reference (NumPy
   only), a strategy of keyword arguments (helpers in :mod:`deepqed.exercises.strategies`), a few
   wrong solutions, and ``EXERCISE = Implement(...)`` (or ``Prove(...)`` for a proof);
3. run ``pytest tests/exercises``: the reference must pass and every wrong solution must fail the
   check it names; ``deepqed exercise start <label>`` then writes the reader's starter file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hypothesis.strategies import SearchStrategy

__all__ = [
    "Tolerance",
    "Property",
    "Diagnosis",
    "Wrong",
    "Implement",
    "Answer",
    "Mistake",
    "WrongAnswers",
    "Compute",
    "Prove",
    "Exercise",
]

Kwargs = Mapping[str, Any]


@dataclass(frozen=True)
class Tolerance:
    """``|got - expected| <= atol + rtol * |expected|``, elementwise."""

    rtol: float
    atol: float

    def __str__(self) -> str:
        return f"atol + rtol·|expected| with rtol = {self.rtol:g}, atol = {self.atol:g}"


@dataclass(frozen=True)
class Property:
    """A fact about the submission's output, checked on every input.

    ``sides(kwargs, got)`` returns two arrays ``(lhs, rhs)`` that must agree within the tolerance
    of the output's dtype (for example ``(J.sum(axis=1), zeros)`` for "J 1 = 0"). ``got`` is the
    submission's output (a tuple when the exercise has several outputs); the property is only
    evaluated once the output's type and shape are right.
    """

    name: str
    statement: str
    sides: Callable[[Kwargs, Any], tuple[Any, Any]]


@dataclass(frozen=True)
class Diagnosis:
    """A recognisable mistake: when the submission's ``output`` equals ``alternative(kwargs)`` on
    the failing inputs, ``message`` says what went wrong."""

    output: str
    alternative: Callable[[Kwargs], Any]
    message: str


@dataclass(frozen=True)
class Wrong:
    """A plausible wrong solution, used by the tests: it must fail ``check`` (a check name, such
    as ``"values of G"`` or ``"finite"``) and the report must mention ``mentions``."""

    function: Callable[..., Any]
    mistake: str
    check: str
    mentions: str = ""


@dataclass(frozen=True)
class Implement:
    """Write a function; the checker compares it with ``reference``.

    Attributes:
        id: the book label of the ``{exercise}`` directive, e.g. ``"ex-ff-sigmoid-prime"``.
        title: one line.
        function: the name of the function the reader writes.
        parameters: its parameter names, in order.
        docstring: the stub's docstring (formula, every array's shape with named dimensions).
        reference: the reference solution (NumPy only), whose signature is ``parameters``.
        arguments: a Hypothesis strategy of ``{parameter: value}`` dictionaries.
        outputs: the names of the outputs; one name means the function returns one array,
            several mean it returns a tuple of arrays in this order.
        tolerances: per dtype name of the output (``"float32"``, ``"float64"``).
        properties: facts about the output checked on every input.
        diagnoses: recognisable mistakes, named when values disagree.
        hint: shown by ``deepqed exercise hint``.
        wrong: plausible wrong solutions (for the tests).
        imports: the import lines of the stub.
        max_examples: how many inputs the checker draws.
    """

    id: str
    title: str
    function: str
    parameters: tuple[str, ...]
    docstring: str
    reference: Callable[..., Any]
    arguments: SearchStrategy[dict[str, Any]]
    outputs: tuple[str, ...]
    tolerances: Mapping[str, Tolerance]
    hint: str
    properties: tuple[Property, ...] = ()
    diagnoses: tuple[Diagnosis, ...] = ()
    wrong: tuple[Wrong, ...] = ()
    imports: tuple[str, ...] = ("import numpy as np",)
    max_examples: int = 100
    kind: str = field(default="implement", init=False)

    @property
    def signature(self) -> str:
        return f"{self.function}({', '.join(self.parameters)})"

    def tolerance(self, dtype: Any) -> Tolerance:
        name = str(getattr(dtype, "name", dtype))
        return self.tolerances.get(name) or self.tolerances["float64"]


@dataclass(frozen=True)
class Prove:
    """A proof, marked by the reader with ``deepqed exercise mark`` (recorded as self-marked)."""

    id: str
    title: str
    hint: str
    solution: str
    kind: str = field(default="prove", init=False)


@dataclass(frozen=True)
class Answer:
    """One number (or array) asked for by a :class:`Compute` exercise; the reader's file assigns
    it to a variable called ``name``."""

    name: str
    value: Any
    description: str
    tolerance: Tolerance = Tolerance(0.0, 0.5)  # counts: exact integers


@dataclass(frozen=True)
class Mistake:
    """A recognisable wrong answer: when the reader's ``name`` equals ``value``, ``message``
    says what went wrong."""

    name: str
    value: Any
    message: str


@dataclass(frozen=True)
class WrongAnswers:
    """Plausible wrong answers (for the tests): ``values`` must fail the check ``check`` (e.g.
    ``"answer backward"``) with a report that mentions ``mentions``."""

    values: Mapping[str, Any]
    mistake: str
    check: str
    mentions: str = ""


@dataclass(frozen=True)
class Compute:
    """A worked problem whose answers are numbers (or arrays), checked with a tolerance.

    The reader's file (``deepqed exercise start`` writes it) assigns each answer to a variable
    named ``Answer.name``; the values may be computed in Python. ``solution`` is shown by
    ``deepqed exercise solution``.
    """

    id: str
    title: str
    answers: tuple[Answer, ...]
    hint: str
    solution: str
    mistakes: tuple[Mistake, ...] = ()
    wrong: tuple[WrongAnswers, ...] = ()
    kind: str = field(default="compute", init=False)


Exercise = Implement | Compute | Prove
