"""Exercises that grade themselves.

Each exercise is a record (:mod:`.spec`) in a file beside its chapter; :func:`check` runs a
function against it (in this process), :func:`check_file` a submission file (in a worker process
in the sandbox of :mod:`.sandbox`, under the limits of :mod:`.isolation`), :mod:`.grade` a folder
of them, and :mod:`.progress` keeps the attempts.

From Python or Jupyter::

    from deepqed.exercises import check
    check(sigmoid_prime, "ex-ff-sigmoid-prime")
"""

from .catalogue import Entry, UnknownExercise, exercises, get
from .check import check
from .isolation import Limits
from .result import CheckOutcome, CheckResult
from .spec import (
    DTYPE,
    FINITE,
    INPUTS_UNCHANGED,
    OUTPUT_SHAPE,
    OUTPUT_TYPE,
    RUNS,
    Answer,
    CheckId,
    Compute,
    Diagnosis,
    Implement,
    Mistake,
    Property,
    Prove,
    Tolerance,
    Wrong,
    WrongAnswers,
    answer,
    holds,
    values,
)
from .submission import check_file

__all__ = [
    "check",
    "check_file",
    "CheckResult",
    "CheckOutcome",
    "Entry",
    "UnknownExercise",
    "Limits",
    "exercises",
    "get",
    "Implement",
    "Compute",
    "Prove",
    "Property",
    "Diagnosis",
    "Tolerance",
    "Wrong",
    "Answer",
    "Mistake",
    "WrongAnswers",
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
]
