"""Valid calls of ``deepqed.losses`` (see ``tests/api.py``)."""

from api import Example

from deepqed import losses


def _batch(rng):
    m, n = int(rng.integers(1, 6)), int(rng.integers(1, 5))
    return {"A": rng.standard_normal((m, n)), "Y": rng.standard_normal((m, n))}


EXAMPLES = [
    *[
        Example(f, _batch)
        for f in (
            losses.squared_error,
            losses.squared_error_grad,
            losses.softmax_cross_entropy,
            losses.softmax_cross_entropy_grad,
        )
    ],
    Example(losses.Loss, lambda rng: {"name": "l1", "value": abs, "grad": abs}),
]
