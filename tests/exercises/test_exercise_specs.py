"""Every exercise specification is well formed, its reference passes, its wrong solutions fail."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from exercise_helpers import COMPUTE, IMPLEMENT

from deepqed import registry
from deepqed.exercises import check, exercises, get
from deepqed.exercises.spec import Compute, Implement, Prove

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
    assert result.seconds < 2


@pytest.mark.parametrize("spec", COMPUTE, ids=lambda s: s.id)
def test_compute_answers_pass_and_wrong_answers_fail(spec: Compute):
    assert len(spec.wrong) >= 3
    right = {a.name: a.value for a in spec.answers}
    assert check(right, spec.id).verdict == "passed"
    for wrong in spec.wrong:
        result = check(dict(wrong.values), spec.id)
        assert result.verdict == "failed", wrong.mistake
        failed = {c.name: c for c in result.failed_checks}
        assert wrong.check in failed, (wrong.mistake, str(result))
        assert wrong.mentions.lower() in str(result).lower(), (wrong.mistake, str(result))


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
    def sigmoid_prime(Z):
        while True:
            pass

    result = check(sigmoid_prime, "ex-ff-sigmoid-prime", timeout=0.5)
    assert result.verdict == "unusable"
    assert "did not finish" in result.message
