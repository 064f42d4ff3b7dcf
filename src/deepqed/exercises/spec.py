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

Checks are named by structure, never by their text (:class:`CheckId`): :data:`RUNS`,
:data:`INPUTS_UNCHANGED`, :data:`OUTPUT_TYPE`, :data:`OUTPUT_SHAPE`, :data:`DTYPE`,
:data:`FINITE`, ``values(k)`` (the values of output ``k``, counted from 0 in ``outputs``),
``holds(name)`` (the property called ``name``) and ``answer(name)`` (a compute exercise's answer)::

    Wrong(_missing_mean, "forgets the 1/m", values(0), "1/m")
    Wrong(_as_float64, "converts to float64", DTYPE, "float32")

To add an exercise to a chapter:

1. write the ``{exercise}`` directive with its ``:label:`` in the chapter's MyST text;
2. add ``book/<chapter>/exercises/ex_<label with underscores>.py`` defining the reference (NumPy
   only), a strategy of keyword arguments (helpers in :mod:`deepqed.exercises.strategies`), a few
   wrong solutions, and ``EXERCISE = Implement(...)`` (or ``Prove(...)`` for a proof);
3. run ``pytest tests/exercises``: the reference must pass and every wrong solution must fail the
   check it names; ``deepqed exercise start <label>`` then writes the reader's starter file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from hypothesis.strategies import SearchStrategy

__all__ = [
    "CheckId",
    "RUNS",
    "INPUTS_UNCHANGED",
    "OUTPUT_TYPE",
    "OUTPUT_SHAPE",
    "DTYPE",
    "FINITE",
    "values",
    "holds",
    "answer",
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

CheckKind = Literal[
    "runs",
    "inputs unchanged",
    "output type",
    "output shape",
    "dtype",
    "finite",
    "values",
    "property",
    "answer",
]
_KINDS = get_args(CheckKind)
_PER_CALL = _KINDS[:6]  # the checks every implement exercise has, in order


@dataclass(frozen=True)
class CheckId:
    """Which check: its ``kind``; for a ``values`` check the index of the output in the
    exercise's ``outputs``; for a ``property`` check the property's name, for an ``answer`` check
    the answer's name. A check's text (:meth:`label`) is for reading only."""

    kind: CheckKind
    output: int | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown check kind {self.kind!r}; one of {', '.join(_KINDS)}")
        if self.kind == "values":
            if type(self.output) is not int or self.output < 0 or self.name is not None:
                raise ValueError(f"values(k) needs an output index k >= 0, got {self.output!r}")
        elif self.kind in ("property", "answer"):
            if not isinstance(self.name, str) or not self.name or self.output is not None:
                raise ValueError(f"a {self.kind} check needs its name, got {self.name!r}")
        elif self.output is not None or self.name is not None:
            raise ValueError(f"the {self.kind!r} check takes no output index or name")

    def label(self, outputs: Sequence[str] = ()) -> str:
        """The check's name in reports: ``"values of G"``, ``"answer forward"``, ``"dtype"``."""
        if self.kind == "values":
            k = int(self.output)  # type: ignore[arg-type]
            return f"values of {outputs[k] if k < len(outputs) else f'output {k}'}"
        if self.kind == "property":
            return str(self.name)
        if self.kind == "answer":
            return f"answer {self.name}"
        return self.kind


RUNS = CheckId("runs")
"""The call returns without raising."""
INPUTS_UNCHANGED = CheckId("inputs unchanged")
"""The arguments are not modified in place."""
OUTPUT_TYPE = CheckId("output type")
"""A NumPy array (or a tuple of them) is returned."""
OUTPUT_SHAPE = CheckId("output shape")
"""Each output has the reference's shape."""
DTYPE = CheckId("dtype")
"""Each output has the reference's dtype."""
FINITE = CheckId("finite")
"""Each output is finite wherever the reference is."""


def values(output: int = 0) -> CheckId:
    """The check that output number ``output`` (from 0, in the order of ``outputs``) agrees
    with the reference."""
    return CheckId("values", output=output)


def holds(name: str) -> CheckId:
    """The check of the exercise's :class:`Property` called ``name``."""
    return CheckId("property", name=name)


def answer(name: str) -> CheckId:
    """The check of a :class:`Compute` exercise's answer called ``name``."""
    return CheckId("answer", name=name)


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
    """A recognisable mistake: when the submission's ``output`` (its name in ``outputs``, or
    its index) equals ``alternative(kwargs)`` on the failing inputs, ``message`` says what went
    wrong."""

    output: str | int
    alternative: Callable[[Kwargs], Any]
    message: str


@dataclass(frozen=True)
class Wrong:
    """A plausible wrong solution, used by the tests: it must fail ``check`` (a :class:`CheckId`
    such as ``values(0)`` or :data:`FINITE`) and the report must mention ``mentions``."""

    function: Callable[..., Any]
    mistake: str
    check: CheckId
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

    def __post_init__(self) -> None:
        names = [p.name for p in self.properties]
        for w in self.wrong:
            check = w.check
            if not isinstance(check, CheckId) or check.kind == "answer":
                raise ValueError(f"{self.id}: wrong solution {w.mistake!r}: {check!r} is no check")
            if check.kind == "values" and int(check.output) >= len(self.outputs):  # type: ignore[arg-type]
                raise ValueError(
                    f"{self.id}: wrong solution {w.mistake!r}: values({check.output}) but the "
                    f"exercise has {len(self.outputs)} output(s)"
                )
            if check.kind == "property" and check.name not in names:
                raise ValueError(
                    f"{self.id}: wrong solution {w.mistake!r}: no property is called {check.name!r}"
                )
        for d in self.diagnoses:
            if not (
                d.output in self.outputs
                or (type(d.output) is int and 0 <= d.output < len(self.outputs))
            ):
                raise ValueError(f"{self.id}: a diagnosis names no output: {d.output!r}")

    @property
    def signature(self) -> str:
        return f"{self.function}({', '.join(self.parameters)})"

    def output_index(self, output: str | int) -> int:
        """The index of an output given by its name or its index."""
        return output if type(output) is int else self.outputs.index(output)  # type: ignore[arg-type]

    def checks(self) -> tuple[CheckId, ...]:
        """Every check of the exercise, in the order they run."""
        return (
            tuple(CheckId(k) for k in _PER_CALL)  # type: ignore[arg-type]
            + tuple(values(k) for k in range(len(self.outputs)))
            + tuple(holds(p.name) for p in self.properties)
        )

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
    ``answer("backward")``) with a report that mentions ``mentions``."""

    values: Mapping[str, Any]
    mistake: str
    check: CheckId
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

    def __post_init__(self) -> None:
        names = [a.name for a in self.answers]
        for w in self.wrong:
            check = w.check
            if not isinstance(check, CheckId) or check.kind != "answer" or check.name not in names:
                raise ValueError(
                    f"{self.id}: wrong answers {w.mistake!r}: {w.check!r} is not the check of "
                    f"an answer ({', '.join(names)})"
                )

    def checks(self) -> tuple[CheckId, ...]:
        """Every check of the exercise: one per answer."""
        return tuple(answer(a.name) for a in self.answers)


Exercise = Implement | Compute | Prove
