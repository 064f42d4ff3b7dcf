r"""The channel between the checker and the submission's process: framed messages of plain data.

Standard library and NumPy only: the worker (:mod:`._worker`) loads this file by its path inside
the sandbox, where ``deepqed`` cannot be imported.

A message is a 4-byte big-endian length followed by one value in a small tagged encoding (no
pickle: nothing in a message can name a class or a function to call):

=====  ===========================  ===========================================================
tag    value                        body
=====  ===========================  ===========================================================
``N``  ``None``                     --
``T``  ``True``                     --
``F``  ``False``                    --
``i``  ``int``                      u16 length, ASCII decimal digits (with ``-``)
``f``  ``float``                    8 bytes, IEEE 754 big-endian
``c``  ``complex``                  16 bytes
``s``  ``str``                      u32 length, UTF-8
``l``  ``list``                     u32 count, then the items
``t``  ``tuple``                    u32 count, then the items
``d``  ``dict`` (``str`` keys)      u32 count, then key, value, key, value ...
``a``  ``numpy.ndarray``            dtype (u8 length, ASCII), u8 ndim, ndim u64 dims, the bytes
``g``  a NumPy scalar               dtype (u8 length, ASCII), its bytes
``o``  :class:`Opaque`              type name (``s`` body), text (``s`` body)
``M``  :data:`MISSING`              --
=====  ===========================  ===========================================================

:func:`loads` trusts nothing: it works iteratively (an explicit stack, never recursion) within a
:class:`Budget` -- the number of values, the nesting depth, the time spent -- and checks every
array's byte count against its dtype and shape *before* allocating it, so the size of what it
builds is bounded by the size of the message, which the reader bounds before reading it. Any
malformed input raises :class:`WireError`.
"""

from __future__ import annotations

import math
import os
import re
import select
import struct
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "Budget",
    "MISSING",
    "Opaque",
    "WireError",
    "dumps",
    "loads",
    "read_message",
    "write_message",
]

_DTYPE = re.compile(r"^[<>|=]?(b1|[iu][1248]|f(2|4|8|16)|c(8|16|32))$")
_MAX_NDIM = 32
_MAX_DIM = 2**40


class WireError(ValueError):
    """A message that is not plain data in this encoding, or exceeds a budget."""


@dataclass(frozen=True)
class Opaque:
    """A value the submission returned that is not plain data, shown by its type and repr."""

    type_name: str
    text: str

    def __repr__(self) -> str:
        return self.text or f"<{self.type_name}>"


class _Missing:
    """The variable a compute exercise asks for is not defined in the file."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Budget:
    """What decoding one message may cost: ``values`` decoded, ``depth`` of nesting, and
    ``deadline`` (a :func:`time.monotonic` time, or ``None``)."""

    values: int = 100_000
    depth: int = 32
    deadline: float | None = None


# -- encoding -----------------------------------------------------------------------------------


def dumps(value: Any) -> bytes:
    """The encoding of ``value``: ``None``, ``bool``, ``int``, ``float``, ``complex``, ``str``,
    lists, tuples, dicts with ``str`` keys, NumPy arrays and scalars of a numeric dtype,
    :class:`Opaque`, :data:`MISSING`; anything else raises :class:`WireError`."""
    out: list[bytes] = []
    _dump(value, out, 0)
    return b"".join(out)


def _str_body(text: str) -> bytes:
    raw = text.encode("utf-8", "surrogatepass")
    return struct.pack(">I", len(raw)) + raw


def _dtype_body(dtype: np.dtype) -> bytes:
    name = dtype.str
    if not _DTYPE.match(name):
        raise WireError(f"arrays of dtype {dtype} are not plain data")
    return bytes([len(name)]) + name.encode("ascii")


def _dump(x: Any, out: list[bytes], depth: int) -> None:
    if depth > 64:
        raise WireError("nested too deeply")
    t = type(x)
    if x is None:
        out.append(b"N")
    elif t is bool:
        out.append(b"T" if x else b"F")
    elif t is int:
        digits = str(x).encode("ascii")
        if len(digits) > 1000:
            raise WireError("an integer with more than 1000 digits")
        out.append(b"i" + struct.pack(">H", len(digits)) + digits)
    elif t is float:
        out.append(b"f" + struct.pack(">d", x))
    elif t is complex:
        out.append(b"c" + struct.pack(">dd", x.real, x.imag))
    elif t is str:
        out.append(b"s" + _str_body(x))
    elif t in (list, tuple):
        out.append((b"l" if t is list else b"t") + struct.pack(">I", len(x)))
        for v in x:
            _dump(v, out, depth + 1)
    elif t is dict:
        out.append(b"d" + struct.pack(">I", len(x)))
        for k, v in x.items():
            if type(k) is not str:
                raise WireError("dict keys must be strings")
            out.append(b"s" + _str_body(k))
            _dump(v, out, depth + 1)
    elif t is np.ndarray:
        a = x if x.flags.c_contiguous else x.copy(order="C")  # 0-d arrays stay 0-d
        if a.ndim > _MAX_NDIM:
            raise WireError("an array of more than 32 dimensions")
        out.append(b"a" + _dtype_body(a.dtype) + bytes([a.ndim]))
        out.append(struct.pack(f">{a.ndim}Q", *a.shape))
        out.append(a.tobytes())
    elif isinstance(x, np.generic):
        out.append(b"g" + _dtype_body(x.dtype) + x.tobytes())
    elif t is Opaque:
        out.append(b"o" + _str_body(x.type_name) + _str_body(x.text))
    elif x is MISSING:
        out.append(b"M")
    else:
        raise WireError(f"a {t.__name__} is not plain data")


# -- decoding -----------------------------------------------------------------------------------


class _Frame:
    __slots__ = ("kind", "items", "left", "key")

    def __init__(self, kind: int, count: int) -> None:
        self.kind = kind
        self.items: Any = {} if kind == ord("d") else []
        self.left = count
        self.key: Any = _NO_KEY


_NO_KEY = object()


def loads(data: bytes, budget: Budget = Budget()) -> Any:
    """The value encoded in ``data`` (the whole of it), within ``budget``."""
    view = memoryview(data)
    end = len(data)
    pos = 0
    stack: list[_Frame] = []
    values = 0

    def take(n: int) -> memoryview:
        nonlocal pos
        if n < 0 or pos + n > end:
            raise WireError("the message ends in the middle of a value")
        piece = view[pos : pos + n]
        pos += n
        return piece

    def dtype() -> np.dtype:
        (n,) = take(1)
        name = bytes(take(n)).decode("ascii", "replace")
        if not _DTYPE.match(name):
            raise WireError(f"dtype {name!r} is not a plain numeric dtype")
        return np.dtype(name)

    def text() -> str:
        (n,) = struct.unpack(">I", take(4))
        try:
            return bytes(take(n)).decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            raise WireError("a string that is not UTF-8") from None

    while True:
        tag = take(1)[0]
        values += 1
        if values > budget.values:
            raise WireError(f"more than {budget.values} values in one message")
        if (
            values % 1024 == 0
            and budget.deadline is not None
            and time.monotonic() > budget.deadline
        ):
            raise WireError("decoding took longer than its time limit")
        value: Any
        if tag in (0x6C, 0x74, 0x64):  # l t d
            (count,) = struct.unpack(">I", take(4))
            if count > end - pos:  # every item takes at least one byte
                raise WireError("a container longer than the message")
            if count == 0:
                value = {} if tag == 0x64 else [] if tag == 0x6C else ()
            else:
                if len(stack) >= budget.depth:
                    raise WireError(f"nested more than {budget.depth} levels deep")
                stack.append(_Frame(tag, count))
                continue
        elif tag == 0x4E:  # N
            value = None
        elif tag == 0x54:  # T
            value = True
        elif tag == 0x46:  # F
            value = False
        elif tag == 0x69:  # i
            (n,) = struct.unpack(">H", take(2))
            digits = bytes(take(n))
            if n > 1000 or not re.fullmatch(rb"-?[0-9]+", digits):
                raise WireError("a malformed integer")
            value = int(digits)
        elif tag == 0x66:  # f
            (value,) = struct.unpack(">d", take(8))
        elif tag == 0x63:  # c
            re_, im = struct.unpack(">dd", take(16))
            value = complex(re_, im)
        elif tag == 0x73:  # s
            value = text()
        elif tag == 0x61:  # a
            value = _array(dtype(), take)
        elif tag == 0x67:  # g
            dt = dtype()
            value = np.frombuffer(bytes(take(dt.itemsize)), dtype=dt)[0]
            if dt.kind == "b":
                value = np.bool_(bool(value))
        elif tag == 0x6F:  # o
            name = text()
            value = Opaque(name[:200], text()[:2000])
        elif tag == 0x4D:  # M
            value = MISSING
        else:
            raise WireError(f"unknown tag {tag!r}")
        # attach the finished value to the containers it completes
        while True:
            if not stack:
                if pos != end:
                    raise WireError("bytes after the end of the value")
                return value
            frame = stack[-1]
            if frame.kind == 0x64:
                if frame.key is _NO_KEY:
                    if type(value) is not str:
                        raise WireError("a dict key that is not a string")
                    frame.key = value
                    break
                frame.items[frame.key] = value
                frame.key = _NO_KEY
            else:
                frame.items.append(value)
            frame.left -= 1
            if frame.left:
                break
            stack.pop()
            value = tuple(frame.items) if frame.kind == 0x74 else frame.items


def _array(dt: np.dtype, take: Any) -> np.ndarray:
    (ndim,) = take(1)
    if ndim > _MAX_NDIM:
        raise WireError(f"an array of {ndim} dimensions")
    shape = struct.unpack(f">{ndim}Q", take(8 * ndim))
    if any(d > _MAX_DIM for d in shape):
        raise WireError("an array dimension larger than 2^40")
    size = math.prod(shape)
    data = take(size * dt.itemsize)  # raises before anything is allocated if absent
    try:
        if size == 0:
            a = np.zeros(shape, dtype=dt)
        else:
            a = np.frombuffer(data, dtype=dt, count=size).reshape(shape).copy()
    except (ValueError, TypeError, MemoryError) as e:
        raise WireError(f"an array that cannot be built: {e}") from None
    if dt.kind == "b":
        a = np.asarray(a.view(np.uint8) != 0)  # canonical booleans (0-d stays an array)
    return a


# -- framed messages on file descriptors --------------------------------------------------------


def write_message(fd: int, payload: bytes, deadline: float | None = None) -> None:
    """Write one framed message; with ``deadline``, ``fd`` must be non-blocking and a reader
    that stops reading raises :class:`TimeoutError` at the deadline."""
    data = memoryview(struct.pack(">I", len(payload)) + payload)
    while data:
        if deadline is not None:
            if not _ready(fd, select.POLLOUT, deadline):
                raise TimeoutError
        try:
            n = os.write(fd, data)
        except BlockingIOError:
            continue
        data = data[n:]


def read_message(fd: int, limit: int, deadline: float | None = None) -> bytes:
    """Read one framed message of at most ``limit`` bytes. Raises :class:`EOFError` if the
    writer closed the channel, :class:`TimeoutError` at the deadline, :class:`WireError` if
    the announced length exceeds ``limit`` (nothing more is read then)."""
    (n,) = struct.unpack(">I", _read_exact(fd, 4, deadline))
    if n > limit:
        raise WireError(f"a message of {n} bytes, more than the limit of {limit}")
    return _read_exact(fd, n, deadline)


def _ready(fd: int, event: int, deadline: float) -> bool:
    """Whether ``fd`` is ready for ``event`` (or closed, or in error) before ``deadline``."""
    left = deadline - time.monotonic()
    if left <= 0:
        return False
    poller = select.poll()
    poller.register(fd, event)
    return bool(poller.poll(math.ceil(left * 1000)))


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    while n:
        if deadline is not None:
            if not _ready(fd, select.POLLIN, deadline):
                raise TimeoutError
        try:
            chunk = os.read(fd, min(n, 1 << 20))
        except BlockingIOError:
            continue
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)
