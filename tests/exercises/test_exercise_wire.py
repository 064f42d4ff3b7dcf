"""The channel's encoding: plain data round-trips; anything else is a WireError, within budgets."""

from __future__ import annotations

import os
import struct
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises._wire import (
    MISSING,
    Budget,
    Opaque,
    WireError,
    dumps,
    loads,
    read_message,
    write_message,
)

DTYPES = ("<f8", "<f4", "<f2", "<i8", "<i4", "<u1", "|b1", "<c16", ">f8")

plain = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.complex_numbers(allow_nan=False)
    | st.text()
    | st.sampled_from(DTYPES).flatmap(
        lambda d: hnp.arrays(np.dtype(d), hnp.array_shapes(min_dims=0, max_dims=3, min_side=0))
    ),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)


def same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=True)
        )
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, dict):
        return type(b) is dict and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


@given(plain)
@settings(max_examples=300, deadline=None)
def test_plain_data_round_trips(value):
    assert same(loads(dumps(value)), value)


@given(st.binary(max_size=200))
@settings(max_examples=2000, deadline=None)
def test_any_bytes_decode_or_raise_wire_error(data):
    try:
        loads(data, Budget(values=1000, depth=8))
    except WireError:
        pass


@given(plain, st.data())
@settings(max_examples=300, deadline=None)
def test_a_corrupted_message_decodes_or_raises_wire_error(value, data):
    raw = bytearray(dumps(value))
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    try:
        loads(bytes(raw), Budget(values=1000, depth=8))
    except WireError:
        pass


def test_scalars_opaque_and_missing():
    for value in (np.float32(1.5), np.int64(-3), np.bool_(True), Opaque("Liar", "<Liar>")):
        assert same(loads(dumps(value)), value) or loads(dumps(value)) == value
    assert loads(dumps(MISSING)) is MISSING
    assert loads(dumps(np.arange(6.0).reshape(2, 3).T)).flags.writeable  # a copy, C order
    assert loads(dumps(np.array(2.5))).shape == ()


def test_what_is_not_plain_data_is_refused():
    for value in (object(), {1: 2}, np.array(["a"]), np.zeros(2, dtype=object), 2**4000):
        with pytest.raises(WireError):
            dumps(value)


def test_budgets():
    nested = b"l\x00\x00\x00\x01" * 5000 + b"N"
    with pytest.raises(WireError, match="nested more than 16"):
        loads(nested, Budget(depth=16))
    many = b"l" + struct.pack(">I", 10**6) + b"N" * 10**6
    with pytest.raises(WireError, match="more than 100000 values"):
        loads(many, Budget(values=100_000))
    huge = b"a\x03<f8\x02" + struct.pack(">QQ", 10**6, 10**6) + bytes(64)
    with pytest.raises(WireError, match="ends in the middle"):
        loads(huge)  # nothing of 8 TB is allocated
    with pytest.raises(WireError, match="time limit"):
        loads(many, Budget(values=10**7, deadline=time.monotonic() - 1))
    with pytest.raises(WireError, match="longer than the message"):
        loads(b"l\xff\xff\xff\xff")
    with pytest.raises(WireError, match="not a plain numeric dtype"):
        loads(b"a\x06(5,)f8\x00")
    with pytest.raises(WireError, match="after the end"):
        loads(b"NN")


def test_framing_limits_and_deadlines():
    r, w = os.pipe()
    try:
        write_message(w, b"x" * 100)
        with pytest.raises(WireError, match="more than the limit of 10"):
            read_message(r, 10)
        os.set_blocking(w, False)
        with pytest.raises(TimeoutError):  # nobody reads: the writer gives up
            write_message(w, b"x" * 2**20, deadline=time.monotonic() + 0.2)
    finally:
        os.close(r)
        os.close(w)
    r, w = os.pipe()
    try:
        with pytest.raises(TimeoutError):  # nothing comes: the reader gives up
            read_message(r, 100, deadline=time.monotonic() + 0.2)
        os.close(w)
        with pytest.raises(EOFError):
            read_message(r, 100, deadline=time.monotonic() + 0.2)
    finally:
        os.close(r)
