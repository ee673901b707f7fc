"""payseal.canonicalize: dialects, flags, errors. The full behaviour is pinned by the vectors
(test_vectors.py); these cases pin the binding's own surface."""

from __future__ import annotations

import pytest

import payseal


def test_js_orders_index_keys_first_then_insertion_order() -> None:
    assert payseal.canonicalize(b'{"b": 1.50, "1": true, "a": [1e2], "0": null}', "js") == (
        b'{"0":null,"1":true,"b":1.5,"a":[100]}'
    )


def test_the_dialect_is_required() -> None:
    doc = b'{"x": "caf\\u00e9 / th\\u00e9"}'
    assert payseal.canonicalize(doc, "js") == '{"x":"café / thé"}'.encode()
    with pytest.raises(TypeError):
        payseal.canonicalize(doc)  # type: ignore[call-arg]


def test_php_escapes_slashes_and_unicode_and_prints_lists() -> None:
    doc = '{"x": "café / thé", "o": {}, "l": {"0": "a", "1": "b"}}'
    assert payseal.canonicalize(doc, "php") == b'{"x":"caf\\u00e9 \\/ th\\u00e9","o":[],"l":["a","b"]}'


@pytest.mark.parametrize(
    "slashes, unicode, want",
    [
        (False, False, b'["\\/","\\u00e9"]'),
        (True, False, b'["/","\\u00e9"]'),
        (False, True, '["\\/","é"]'.encode()),
        (True, True, '["/","é"]'.encode()),
    ],
)
def test_php_flags(slashes: bool, unicode: bool, want: bytes) -> None:
    got = payseal.canonicalize('["/", "é"]', "php", unescaped_slashes=slashes, unescaped_unicode=unicode)
    assert got == want


def test_every_input_type_gives_the_same_output() -> None:
    doc = b'{"amount": 12.50, "currency": "EUR"}'
    want = b'{"amount":12.5,"currency":"EUR"}'
    for data in (doc, bytearray(doc), memoryview(doc), doc.decode()):
        assert payseal.canonicalize(data, "js") == want


@pytest.mark.parametrize(
    "dialect, doc, code",
    [
        ("js", b"[1,", "syntax"),
        ("js", b"", "syntax"),
        ("js", b'"\xff"', "invalid_utf8"),
        ("js", b'{"a": 1, "a": 2}', "duplicate_key"),
        ("js", b"[" * 513 + b"]" * 513, "depth"),
        ("js", b"1e400", "number_range"),
        ("php", b'"\\ud800"', "lone_surrogate"),
        ("php", b"[" * 512 + b"]" * 512, "depth"),
    ],
)
def test_errors_carry_the_vector_code(dialect: str, doc: bytes, code: str) -> None:
    with pytest.raises(payseal.JsonError) as info:
        payseal.canonicalize(doc, dialect)  # type: ignore[arg-type]
    err = info.value
    assert err.code == code
    assert isinstance(err.offset, int) and 0 <= err.offset <= len(doc)
    assert isinstance(err, payseal.PaysealError) and isinstance(err, ValueError)


def test_depth_limits_differ_by_dialect() -> None:
    assert payseal.canonicalize(b"[" * 512 + b"]" * 512, "js") == b"[" * 512 + b"]" * 512
    assert payseal.canonicalize(b"[" * 511 + b"]" * 511, "php") == b"[" * 511 + b"]" * 511


def test_js_keeps_lone_surrogates_php_refuses_them() -> None:
    assert payseal.canonicalize(b'["\\uD800"]', "js") == b'["\\ud800"]'


def test_argument_errors() -> None:
    with pytest.raises(payseal.InvalidInputError, match="dialect") as unknown:
        payseal.canonicalize(b"{}", "xml")  # type: ignore[arg-type]
    assert unknown.value.code == "invalid_argument"
    with pytest.raises(payseal.InvalidInputError, match="php"):
        payseal.canonicalize(b"{}", "js", unescaped_slashes=True)
    with pytest.raises(TypeError):
        payseal.canonicalize(b"{}", "php", True)  # type: ignore[misc]
    with pytest.raises(TypeError):
        payseal.canonicalize(42, "js")  # type: ignore[arg-type]
