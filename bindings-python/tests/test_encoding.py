"""Hex and base64 over payseal::encoding; round trips against the standard library."""

from __future__ import annotations

import base64
import os

import pytest

import payseal


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 31, 32, 33, 64, 1000])
def test_round_trips_match_stdlib(n: int) -> None:
    data = os.urandom(n)
    assert payseal.hex_encode(data) == data.hex()
    assert payseal.hex_decode(data.hex().upper()) == data
    url = base64.urlsafe_b64encode(data).decode()
    assert payseal.base64url_encode(data) == url.rstrip("=")
    assert payseal.base64url_decode(url) == data
    assert payseal.base64url_decode(url.rstrip("=")) == data
    std = base64.b64encode(data).decode()
    assert payseal.base64_encode(data) == std
    assert payseal.base64_decode(std) == data


def test_encoders_return_str_and_decoders_bytes() -> None:
    assert isinstance(payseal.hex_encode(b"a"), str)
    assert isinstance(payseal.base64url_encode(b"a"), str)
    assert isinstance(payseal.hex_decode("61"), bytes)
    assert payseal.hex_decode(b"61") == payseal.base64_decode(bytearray(b"YQ==")) == b"a"


@pytest.mark.parametrize(
    "decode, text",
    [
        (payseal.hex_decode, "abc"),
        (payseal.hex_decode, "zz"),
        (payseal.hex_decode, "0x00"),
        (payseal.base64url_decode, "+/8B"),
        (payseal.base64url_decode, "-_8BAg="),
        (payseal.base64url_decode, "a"),
        (payseal.base64_decode, "+/8"),
        (payseal.base64_decode, "-_8B"),
    ],
)
def test_invalid_text_raises_encoding_error(decode: object, text: str) -> None:
    with pytest.raises(payseal.EncodingError) as info:
        decode(text)  # type: ignore[operator]
    assert info.value.code == "invalid_encoding"
    assert isinstance(info.value, ValueError)


def test_compare_digest() -> None:
    assert payseal.compare_digest(b"abc", b"abc")
    assert not payseal.compare_digest(b"abc", b"abd")
    assert not payseal.compare_digest(b"abc", b"ab")
    assert payseal.compare_digest(b"", "")
    assert payseal.compare_digest(bytearray(b"x"), memoryview(b"x"))
