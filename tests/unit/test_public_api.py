"""Bad input to every public function and class, generated with Hypothesis from the declared
constraints (``tests/api.py``): each bad value gives a ``TypeError`` or ``ValueError`` that names
the argument; a valid call leaves its inputs unchanged. Examples of valid calls live in
``tests/unit/api/<package>.py`` (``EXAMPLES``)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import warnings
from pathlib import Path

import numpy as np
import pytest
from api import Example, bad_values, constraints_of, same, snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

#: The library's packages by mathematical subject.
PACKAGES = (
    "calculus",
    "probability",
    "learning",
    "linear",
    "svm",
    "kernels",
    "nn",
    "losses",
    "cnn",
    "rnn",
    "attention",
    "gradcheck",
    "approximation",
    "generalisation",
    "optimisation",
    "initialisation",
    "wide",
    "regularisation",
    "symmetry",
)

_EXAMPLE_DIR = Path(__file__).with_name("api")


def _examples(package: str) -> list[Example]:
    path = _EXAMPLE_DIR / f"{package}.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location(f"api_examples_{package}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.EXAMPLES)


def _public(package: str) -> list[object]:
    """The package's public callables that take arguments: functions, and classes other than
    exceptions and warnings."""
    m = importlib.import_module(f"deepqed.{package}")
    out = []
    for name in getattr(m, "__all__", []):
        obj = getattr(m, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            continue
        if inspect.isfunction(obj) or (inspect.isclass(obj) and inspect.signature(obj).parameters):
            out.append(obj)
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_every_public_callable_declares_its_constraints_and_has_an_example(package):
    public = _public(package)
    undeclared = [o.__qualname__ for o in public if constraints_of(o) is None]
    assert not undeclared, f"deepqed.{package}: no declared validation for {undeclared}"
    covered = {id(e.target) for e in _examples(package)}
    missing = [o.__qualname__ for o in public if id(o) not in covered]
    assert not missing, f"tests/unit/api/{package}.py has no example for {missing}"


def _cases(package: str) -> list[tuple[Example, str]]:
    out = []
    for ex in _examples(package):
        constraints = constraints_of(ex.target) or {}
        out += [(ex, name) for name in constraints if name not in ex.skip]
    return out


def _call(ex: Example, kwargs: dict) -> object:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ex.target(**kwargs)


@pytest.mark.parametrize("package", PACKAGES)
def test_valid_calls_do_not_modify_their_inputs(package):
    for ex in _examples(package):
        kwargs = ex.make(np.random.default_rng(0))
        before = snapshot(kwargs)
        _call(ex, kwargs)
        for k in kwargs:
            assert same(kwargs[k], before[k]), f"{ex.name} modified its argument {k!r}"


@pytest.mark.parametrize("package", PACKAGES)
@settings(max_examples=60)
@given(data=st.data())
def test_bad_input_is_refused_naming_the_argument(package, data):
    cases = _cases(package)
    if not cases:
        pytest.fail(f"tests/unit/api/{package}.py gives no examples")
    ex, name = data.draw(st.sampled_from(cases), label="argument")
    kwargs = ex.make(np.random.default_rng(data.draw(st.integers(0, 2**16), label="seed")))
    constraint = constraints_of(ex.target)[name]
    bads = bad_values(name, constraint, kwargs.get(name))
    if not bads:
        return
    what, value = data.draw(st.sampled_from(bads), label="bad value")
    kwargs[name] = value
    with pytest.raises((TypeError, ValueError)) as info:
        _call(ex, kwargs)
    assert f"'{name}'" in str(info.value), (
        f"{ex.name}({name}={what}) raised a message that does not name {name!r}: {info.value}"
    )
