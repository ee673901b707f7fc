"""The exception hierarchy is the core's table: the classes written out in payseal/errors.py have
exactly the names and parents of core/codes.json and of the native module's table
(`_native.classes()`), and every code of the table raises the class the table names."""

from __future__ import annotations

import json
import pickle
from typing import Any, Dict, List, Optional

import pytest

import payseal
from payseal import _native, errors

from conftest import REPO_ROOT

CODES_JSON = REPO_ROOT / "core" / "codes.json"


def committed_table() -> Dict[str, Any]:
    if not CODES_JSON.is_file():
        pytest.fail(f"{CODES_JSON} not found: the core's table of outcomes is the reference")
    table: Dict[str, Any] = json.loads(CODES_JSON.read_text(encoding="utf-8"))
    return table


def python_classes() -> Dict[str, Optional[str]]:
    """The classes payseal.errors defines: name -> parent name (None for the base)."""
    out: Dict[str, Optional[str]] = {}
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert isinstance(cls, type) and issubclass(cls, payseal.PaysealError), name
        parent = cls.__bases__[0]
        out[name] = None if parent is ValueError else parent.__name__
    return out


def test_classes_are_core_codes_json() -> None:
    want = {c["name"]: c["parent"] for c in committed_table()["classes"]}
    assert python_classes() == want


def test_classes_are_the_native_table() -> None:
    assert python_classes() == dict(_native.classes())


def test_native_codes_are_core_codes_json() -> None:
    want = [(c["number"], c["name"], c["class"], c["message"]) for c in committed_table()["codes"]]
    assert _native.codes() == want


def test_every_code_maps_to_its_class() -> None:
    rows: List[Any] = _native.codes()
    assert {name for _n, name, _c, _m in rows if name != "ok"} == set(errors._CLASS_BY_CODE)
    for _number, name, cls, _message in rows:
        if name != "ok":
            assert errors._CLASS_BY_CODE[name] is getattr(payseal, cls), name


def test_every_class_is_exported_and_a_value_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert getattr(payseal, name) is cls and name in payseal.__all__, f"payseal.{name} is not exported"
        assert issubclass(cls, ValueError)


def test_class_default_codes_are_the_tables() -> None:
    by_class: Dict[str, List[str]] = {}
    for _number, name, cls, _message in _native.codes():
        by_class.setdefault(cls, []).append(name)
    for name in errors.__all__:
        code = getattr(errors, name).__dict__.get("code")
        if code is not None and name != "PaysealError":
            assert code in by_class.get(name, []), f"{name}.code = {code!r} is not one of its codes"


def test_raised_errors_carry_the_code_and_details() -> None:
    with pytest.raises(payseal.EncodingError) as enc:
        payseal.hex_decode("zz")
    assert enc.value.code == "invalid_encoding"
    with pytest.raises(payseal.JsonError) as js:
        payseal.canonicalize(b'{"a":1,"a":2}', "js")
    assert (js.value.code, js.value.offset) == ("duplicate_key", 7)
    with pytest.raises(payseal.MissingHeaderError) as missing:
        payseal.WebhookVerifier("github", "k").verify({}, b"")
    assert (missing.value.code, missing.value.header) == ("missing_header", "X-Hub-Signature-256")
    with pytest.raises(payseal.InvalidInputError) as unknown:
        payseal.WebhookVerifier("nope", "k")  # type: ignore[arg-type]
    assert unknown.value.code == "invalid_argument" and type(unknown.value) is payseal.InvalidInputError


def test_instances() -> None:
    err = payseal.JsonError("syntax at byte 3", code="syntax")
    err.offset = 3
    assert (str(err), err.code, err.offset) == ("syntax at byte 3", "syntax", 3)
    assert repr(err) == "JsonError('syntax at byte 3', code='syntax')"
    assert payseal.BadSignatureError("no").code == "bad_signature"
    assert payseal.PaysealError("x", code="custom").code == "custom"


def test_raised_errors_pickle() -> None:
    with pytest.raises(payseal.JsonError) as info:
        payseal.canonicalize(b"[1,", "js")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (type(copy), copy.code, copy.offset, str(copy)) == (
        payseal.JsonError, info.value.code, info.value.offset, str(info.value))


def test_attributes_survive_pickling() -> None:
    with pytest.raises(payseal.ExpiredError) as expired:
        payseal.verify_qr("k", payseal.sign_qr("k", '{"expiresAt":"2020-01-01T00:00:00Z"}'), now=1_600_000_000)
    copy = pickle.loads(pickle.dumps(expired.value))
    assert (type(copy), copy.code, copy.expires_at) == (payseal.ExpiredError, "expired", 1_577_836_800)
    with pytest.raises(payseal.MalformedError) as malformed:
        payseal.verify_qr("k", "e30!")
    assert pickle.loads(pickle.dumps(malformed.value)).reason == "bad_base64"
    with pytest.raises(payseal.InvalidKeyError) as key:
        payseal.inspect_api_key("sk_live_" + "a" * 31 + "!")
    copy3 = pickle.loads(pickle.dumps(key.value))
    assert (copy3.code, copy3.offset) == ("bad_character", 39)
    assert payseal.ExpiredError("x").expires_at is None and payseal.MalformedError("x").reason is None
