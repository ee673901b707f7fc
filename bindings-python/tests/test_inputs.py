"""Every function reads bytes, bytearray, memoryview, other buffers and str in place."""

from __future__ import annotations

import array
import mmap
import tracemalloc

import pytest

import payseal

RAW = b"\x00\xde\xad\xbe\xef\xff"


@pytest.mark.parametrize(
    "data",
    [
        RAW,
        bytearray(RAW),
        memoryview(RAW),
        memoryview(b"xx" + RAW + b"yy")[2:-2],
        memoryview(bytearray(RAW)),
        array.array("B", RAW),
    ],
    ids=["bytes", "bytearray", "memoryview", "memoryview-slice", "memoryview-bytearray", "array"],
)
def test_buffer_inputs(data: object) -> None:
    assert payseal.hex_encode(data) == RAW.hex()  # type: ignore[arg-type]


def test_str_is_utf8() -> None:
    assert payseal.hex_encode("é€") == "é€".encode().hex()
    assert payseal.hex_encode("") == ""
    assert payseal.compare_digest("é", "é".encode())


def test_mmap_input() -> None:
    with mmap.mmap(-1, len(RAW)) as m:
        m.write(RAW)
        assert payseal.hex_encode(m) == RAW.hex()


def test_str_with_lone_surrogate_is_rejected() -> None:
    with pytest.raises(UnicodeEncodeError):
        payseal.hex_encode("\ud800")


@pytest.mark.parametrize("bad", [12, None, [1, 2], {"a": 1}, 1.5])
def test_non_buffers_are_type_errors(bad: object) -> None:
    with pytest.raises(TypeError, match="expected bytes, bytearray, memoryview or str"):
        payseal.hex_encode(bad)  # type: ignore[arg-type]


def test_strided_memoryview_is_a_buffer_error() -> None:
    with pytest.raises(BufferError):
        payseal.hex_encode(memoryview(b"abcdef")[::2])


def test_buffer_export_is_released() -> None:
    data = bytearray(RAW)
    payseal.hex_encode(data)
    payseal.compare_digest(data, memoryview(data))
    data.extend(b"more")  # would raise BufferError if an export were still held
    assert data.endswith(b"more")


@pytest.mark.parametrize(
    "make",
    [bytes, bytearray, lambda b: memoryview(bytearray(b)), lambda b: b.decode("ascii")],
    ids=["bytes", "bytearray", "memoryview", "ascii-str"],
)
def test_inputs_are_not_copied(make: object) -> None:
    size = 8 << 20
    a = make(b"a" * size)  # type: ignore[operator]
    b = make(b"a" * size)  # type: ignore[operator]
    tracemalloc.start()
    try:
        assert payseal.compare_digest(a, b)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size // 8, f"{peak} bytes allocated while comparing two {size}-byte inputs"


def test_verifiers_read_bodies_in_place() -> None:
    """No Python object is made from the body (tracemalloc sees Python's allocator only; the
    Rust side borrows `bytes` across the batch's GIL release and copies only writable buffers,
    see src/input.rs)."""
    import hashlib
    import hmac

    size = 8 << 20
    body = bytearray(b"a" * size)
    headers = {"X-EuPay-Signature": "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()}
    verifier = payseal.WebhookVerifier("eupay", "k")
    frozen = bytes(body)
    tracemalloc.start()
    try:
        verifier.verify(headers, body)
        verifier.verify(headers, memoryview(body))
        assert verifier.verify_batch([(headers, frozen)] * 4) == [None] * 4
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size // 8, f"{peak} bytes allocated while verifying {size}-byte bodies"
