"""Exercises that grade themselves.

Each exercise is a record (:mod:`.spec`) in a file beside its chapter; :func:`check` runs a
function against it, :func:`check_file` a submission file, and :mod:`.progress` keeps the
attempts.

From Python or Jupyter::

    from deepqed.exercises import check
    check(sigmoid_prime, "ex-ff-sigmoid-prime")
"""

from .catalogue import Entry, UnknownExercise, exercises, get
from .check import check
from .submission import check_file
from .result import CheckOutcome, CheckResult
from .spec import Diagnosis, Implement, Property, Prove, Tolerance, Wrong

__all__ = [
    "check", "check_file", "CheckResult", "CheckOutcome", "Entry", "UnknownExercise",
    "exercises", "get", "Implement", "Prove", "Property", "Diagnosis", "Tolerance", "Wrong",
]
