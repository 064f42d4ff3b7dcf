"""Every exercise specification is well formed, its reference passes, its wrong solutions fail."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from exercise_helpers import COMPUTE, IMPLEMENT

from deepqed import registry
from deepqed.exercises import check, exercises, get
from deepqed.exercises.spec import (
    DTYPE,
    OUTPUT_SHAPE,
    CheckId,
    Compute,
    Implement,
    Prove,
    Tolerance,
    Wrong,
    WrongAnswers,
    answer,
    holds,
    values,
)

#: The exercise labels fixed by the plan of the feedforward chapter.
PLAN = {
    "ex-ff-sigmoid-prime": "implement",
    "ex-ff-softmax-jacobian": "implement",
    "ex-ff-ce-grad": "implement",
    "ex-ff-layer-backward": "implement",
    "ex-ff-central-difference": "implement",
    "ex-ff-tanh-sigmoid": "prove",
    "ex-ff-softmax-rank": "prove",
    "ex-ff-cost-count": "compute",
    "ex-ff-relu-convention": "prove",
}


def test_the_exercises_are_the_plans():
    assert {
        e.exercise.id: e.exercise.kind for e in exercises() if e.chapter.slug == "feedforward"
    } == PLAN


@pytest.mark.parametrize("chapter", registry.load().chapters, ids=lambda c: c.slug)
def test_every_chapter_has_eight_exercises_four_checked(chapter):
    """At least eight exercises per chapter, of which at least four are graded by the checker."""
    kinds = [e.exercise.kind for e in exercises() if e.chapter.slug == chapter.slug]
    assert len(kinds) >= 8, kinds
    assert sum(k in ("implement", "compute") for k in kinds) >= 4, kinds


def test_text_and_specifications_agree():
    from deepqed.exercises.catalogue import problems

    book = registry.load()
    assert all((book.root / ch.source).is_file() for ch in book.chapters)
    assert problems(book) == []


@pytest.mark.parametrize("entry", exercises(), ids=lambda e: e.exercise.id)
def test_spec_file_is_named_after_the_id(entry):
    assert entry.path.name == entry.exercise.id.replace("-", "_") + ".py"
    assert entry.path.parent.name == "exercises"
    assert entry.exercise.hint.strip()
    if isinstance(entry.exercise, (Prove, Compute)):
        assert entry.exercise.solution.strip()


@pytest.mark.parametrize("spec", IMPLEMENT, ids=lambda s: s.id)
def test_reference_matches_the_declared_signature(spec: Implement):
    assert tuple(inspect.signature(spec.reference).parameters) == spec.parameters
    assert spec.reference.__name__ == spec.function
    assert "float64" in spec.tolerances
    assert len(spec.wrong) >= 3


@pytest.mark.parametrize("spec", IMPLEMENT, ids=lambda s: s.id)
def test_reference_passes(spec: Implement):
    result = check(spec.reference, spec.id)
    assert result.verdict == "passed", str(result)
    assert all(c.examples > 0 for c in result.checks)
    assert [c.check for c in result.checks] == list(spec.checks())


@pytest.mark.parametrize("spec", IMPLEMENT + COMPUTE, ids=lambda s: s.id)
def test_every_wrong_solution_names_its_check_by_structure(spec):
    """Whatever form the specification file uses, each wrong solution's check is a CheckId
    among the exercise's checks (an output index in range, a property or answer that exists)."""
    for w in spec.wrong:
        assert isinstance(w.check, CheckId) and w.check in spec.checks(), (w.mistake, w.check)


@pytest.mark.parametrize("spec", COMPUTE, ids=lambda s: s.id)
def test_compute_answers_pass_and_wrong_answers_fail(spec: Compute):
    assert len(spec.wrong) >= 3
    right = {a.name: a.value for a in spec.answers}
    assert check(right, spec.id).verdict == "passed"
    for wrong in spec.wrong:
        result = check(dict(wrong.values), spec.id)
        assert result.verdict == "failed", wrong.mistake
        failed = {c.check: c for c in result.failed_checks}
        assert wrong.check in failed, (wrong.mistake, str(result))
        assert wrong.mentions.lower() in str(result).lower(), (wrong.mistake, str(result))
        assert "expected:" not in str(result)  # the expected value only with reveal
        revealed = check(dict(wrong.values), spec.id, reveal=True)
        assert str(failed[wrong.check].got) in str(revealed) and "expected:" in str(revealed)


def test_cost_count_agrees_with_counting_the_products():
    """The answers of ex-ff-cost-count, counted from the shapes of the products of one forward
    and one backward pass (an independent witness of the closed forms in the spec)."""
    spec = get("ex-ff-cost-count").exercise
    widths, m = (784, 256, 256, 10), 64
    forward = backward = 0
    for l in range(1, len(widths)):
        n, n_prev = widths[l], widths[l - 1]
        forward += m * n_prev * n  # Z = A_prev W^T: (m, n_prev) @ (n_prev, n)
        backward += n * m * n_prev  # dW = Delta^T A_prev: (n, m) @ (m, n_prev)
        if l > 1:
            backward += m * n * n_prev  # G_prev = Delta W: (m, n) @ (n, n_prev)
    answers = {a.name: a.value for a in spec.answers}
    assert (answers["forward"], answers["backward"]) == (forward, backward)
    assert answers["ratio"] == pytest.approx(backward / forward)
    assert answers["elementwise"] == 166_518  # the book's solution


def test_compute_rejects_a_function():
    with pytest.raises(TypeError, match="mapping"):
        check(lambda: None, "ex-ff-cost-count")


# The references agree with deepqed's own library (an independent implementation).


def test_sigmoid_prime_agrees_with_the_library(rng=np.random.default_rng(0)):
    from deepqed.nn import sigmoid_prime

    ref = get("ex-ff-sigmoid-prime").exercise.reference
    Z = rng.normal(size=(5, 4)) * 30
    np.testing.assert_allclose(ref(Z), sigmoid_prime(Z), rtol=1e-10, atol=1e-14)


def test_softmax_jacobian_agrees_with_the_library(rng=np.random.default_rng(1)):
    from deepqed.nn import softmax_jacobian

    ref = get("ex-ff-softmax-jacobian").exercise.reference
    z = rng.normal(size=6) * 5
    np.testing.assert_allclose(ref(z), softmax_jacobian(z), rtol=1e-10, atol=1e-14)


def test_ce_grad_agrees_with_the_library(rng=np.random.default_rng(2)):
    from deepqed.losses import softmax_cross_entropy_grad

    ref = get("ex-ff-ce-grad").exercise.reference
    A = rng.normal(size=(7, 3)) * 5
    Y = np.eye(3)[rng.integers(0, 3, size=7)]
    np.testing.assert_allclose(ref(A, Y), softmax_cross_entropy_grad(A, Y), rtol=1e-10, atol=1e-14)


def test_layer_backward_agrees_with_torch_autograd(rng=np.random.default_rng(3)):
    import torch

    ref = get("ex-ff-layer-backward").exercise.reference
    m, n, n_prev = 5, 3, 4
    W, A_prev, b = (
        torch.tensor(rng.normal(size=s), requires_grad=True)
        for s in ((n, n_prev), (m, n_prev), (n,))
    )
    Delta = rng.normal(size=(m, n))
    Z = A_prev @ W.T + b
    (Z * torch.tensor(Delta)).sum().backward()
    dW, db, G_prev = ref(Delta, W.detach().numpy(), A_prev.detach().numpy())
    np.testing.assert_allclose(dW, W.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(db, b.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(G_prev, A_prev.grad.numpy(), rtol=1e-12)


def test_central_difference_is_second_order():
    ref = get("ex-ff-central-difference").exercise.reference
    x, v = np.array([0.3, -0.7]), np.array([1.0, 2.0])
    exact = np.cos(x) * v
    errors = [np.max(np.abs(ref(np.sin, x, v, h) - exact)) for h in (1e-2, 5e-3)]
    assert 3.5 < errors[0] / errors[1] < 4.5  # halving h divides the error by 4


def test_python_api_repr_is_readable():
    spec = get("ex-ff-ce-grad").exercise
    result = check(spec.wrong[0].function, spec.id)
    text = repr(result)
    assert "ex-ff-ce-grad" in text and "FAILED" in text and "1/m" in text
    assert result.to_dict()["verdict"] == "failed"


def test_python_api_rejects_proofs_and_unknown_ids():
    with pytest.raises(ValueError, match="proof"):
        check(lambda: None, "ex-ff-softmax-rank")
    with pytest.raises(KeyError, match="no exercise"):
        check(lambda: None, "ex-nope")


def test_an_endless_loop_is_stopped():
    """The time limit is the function's: a limit shorter than drawing the inputs takes (0.05 s)
    still stops the loop, and never Hypothesis's generation."""

    def sigmoid_prime(Z):
        while True:
            pass

    result = check(sigmoid_prime, "ex-ff-sigmoid-prime", timeout=0.05)
    assert result.verdict == "unusable"
    assert "did not finish" in result.message


# Checks identified by structure.


def _sigmoid(Z):
    return Z


def test_checks_are_identified_by_structure_not_by_their_text():
    spec = get("ex-ff-layer-backward").exercise
    base = dict(
        id="ex-x",
        title="t",
        function="layer_backward",
        parameters=spec.parameters,
        docstring="",
        reference=spec.reference,
        arguments=spec.arguments,
        outputs=spec.outputs,
        tolerances=spec.tolerances,
        hint="h",
    )
    spec_ = Implement(
        **base, wrong=(Wrong(_sigmoid, "m", values(2)), Wrong(_sigmoid, "s", OUTPUT_SHAPE))
    )
    assert [w.check for w in spec_.wrong] == [values(2), OUTPUT_SHAPE]
    assert values(2).label(spec.outputs) == "values of G_prev" and DTYPE.label() == "dtype"
    with pytest.raises(ValueError, match="'values of G_prev' is no check"):
        Implement(**base, wrong=(Wrong(_sigmoid, "m", "values of G_prev"),))
    with pytest.raises(ValueError, match="values\\(3\\) but the exercise has 3 output"):
        Implement(**base, wrong=(Wrong(_sigmoid, "m", values(3)),))
    with pytest.raises(ValueError, match="no property is called 'symmetric'"):
        Implement(**base, wrong=(Wrong(_sigmoid, "m", holds("symmetric")),))
    with pytest.raises(ValueError, match="output index"):
        values(-1)
    cost = get("ex-ff-cost-count").exercise
    with pytest.raises(ValueError, match="not the check of an answer"):
        Compute(
            id="ex-y",
            title="t",
            answers=cost.answers,
            hint="h",
            solution="s",
            wrong=(WrongAnswers({"forward": 1}, "m", answer("nothing")),),
        )


def test_the_first_difference_reported_is_a_difference():
    """ex-pre-vec with zero tolerance: the index in the message is where expected and got
    differ (it used to be the first entry whose error was 0/0)."""
    import re

    spec = get("ex-pre-vec").exercise
    wrong = next(w for w in spec.wrong if w.check == values(0))
    for seed in range(5):
        result = check(wrong.function, spec.id, seed=seed)
        (failed,) = [c for c in result.failed_checks if c.check == values(0)]
        m = re.search(r"at index \((\d+),\): expected (\S+), got (\S+)", failed.message)
        assert m, failed.message
        assert m.group(2) != m.group(3), failed.message


def test_compare_points_at_the_worst_entry():
    from deepqed.exercises.checks import compare

    exact = Tolerance(0.0, 0.0)
    assert compare(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]), exact)[2] == (2,)
    assert compare(np.array([0.0, np.nan]), np.array([0.0, 1.0]), exact)[2] == (1,)
    ok, worst, where = compare(np.zeros((2, 2)), np.zeros((2, 2)), exact)
    assert ok and where == ()


def test_a_function_that_returns_none_is_told_to_return():
    def sigmoid_prime(Z):
        s = 1 / (1 + np.exp(-Z))
        s * (1 - s)  # noqa: B018

    result = check(sigmoid_prime, "ex-ff-sigmoid-prime")
    (failed,) = result.failed_checks
    assert failed.check == CheckId("output type")
    assert "returned None: did you forget `return`?" in failed.message


def test_integer_labels_get_integer_advice():
    spec = get("ex-learn-bayes-classifier").exercise
    result = check(
        lambda x, priors, means, sds: spec.reference(x, priors, means, sds).astype(np.float64),
        spec.id,
    )
    (failed,) = result.failed_checks
    assert failed.check == DTYPE
    assert "holds integers" in failed.message and "float32" not in failed.message
    dtype_check = next(c for c in result.checks if c.check == DTYPE)
    assert "float32" not in dtype_check.compared


def test_a_wrong_compute_answer_says_how_far_off_without_the_value():
    result = check(
        {"forward": 1, "backward": 2, "ratio": 1.38, "elementwise": 166518}, "ex-ff-cost-count"
    )
    by = {c.check: c for c in result.checks}
    assert "too large by about 10%" in by[answer("ratio")].message
    assert "too small by about 7 orders of magnitude" in by[answer("forward")].message
    assert all(c.expected is None and c.worst_error is None for c in result.failed_checks)
    shown = check(
        {"forward": 1, "backward": 2, "ratio": 1.38, "elementwise": 166518},
        "ex-ff-cost-count",
        reveal=True,
    )
    assert {c.check: c for c in shown.checks}[answer("ratio")].expected == repr(1.2533333333333334)
