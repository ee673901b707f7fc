"""The exception hierarchy: one place (payseal.errors), codes from the vector vocabulary."""

from __future__ import annotations

import pickle

import pytest

import payseal
from payseal import errors


def test_every_error_is_a_value_error() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type):
            assert issubclass(obj, payseal.Error) and issubclass(obj, ValueError), name
            assert getattr(payseal, name) is obj, f"payseal.{name} is not re-exported"


def test_hierarchy() -> None:
    assert issubclass(payseal.Mismatch, payseal.BadSignature)
    assert issubclass(payseal.BadSignature, payseal.VerificationError)
    assert issubclass(payseal.TimestampTooOld, payseal.TimestampOutOfTolerance)
    assert issubclass(payseal.TimestampTooNew, payseal.TimestampOutOfTolerance)
    for cls in (payseal.MalformedHeader, payseal.MissingHeader, payseal.MalformedBody, payseal.MalformedHash):
        assert issubclass(cls, payseal.Malformed)
    assert not issubclass(payseal.JsonError, payseal.VerificationError)
    assert issubclass(payseal.TooLarge, payseal.Malformed)
    assert issubclass(payseal.InvalidTableLink, payseal.VerificationError)
    assert issubclass(payseal.InvalidKey, payseal.InvalidInput)
    assert not issubclass(payseal.InvalidInput, payseal.VerificationError)


VECTOR_VOCABULARY = {
    # expect values of shared/vectors/README.md, by the class that must carry them
    "bad_signature": payseal.BadSignature,
    "mismatch": payseal.Mismatch,
    "expired": payseal.Expired,
    "malformed": payseal.Malformed,
    "malformed_header": payseal.MalformedHeader,
    "missing_header": payseal.MissingHeader,
    "malformed_body": payseal.MalformedBody,
    "malformed_hash": payseal.MalformedHash,
    "timestamp_too_old": payseal.TimestampTooOld,
    "timestamp_too_new": payseal.TimestampTooNew,
    "invalid_encoding": payseal.EncodingError,
    **{code: payseal.JsonError for code in errors.JSON_CODES},
}


@pytest.mark.parametrize("code, cls", sorted(VECTOR_VOCABULARY.items()))
def test_codes_map_to_classes(code: str, cls: type) -> None:
    assert errors._CLASS_BY_CODE[code] is cls
    assert cls(code=code).code == code


def test_instances() -> None:
    err = payseal.JsonError("syntax at byte 3", code="syntax", offset=3)
    assert (str(err), err.code, err.offset) == ("syntax at byte 3", "syntax", 3)
    assert repr(err) == "JsonError('syntax at byte 3', code='syntax')"
    assert payseal.BadSignature("no").code == "bad_signature"
    assert payseal.Error("x", code="custom").code == "custom"


def test_raised_errors_pickle() -> None:
    with pytest.raises(payseal.EncodingError) as info:
        payseal.hex_decode("zz")
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is payseal.EncodingError and copy.code == "invalid_encoding"
    err = payseal.JsonError("depth at byte 9", code="depth", offset=9)
    copy2 = pickle.loads(pickle.dumps(err))
    assert (type(copy2), copy2.code, copy2.offset, str(copy2)) == (payseal.JsonError, "depth", 9, "depth at byte 9")


BINDING_CODES = {
    # codes the core (or the binding, for webhook and Paylands keys) adds beyond the vectors
    "too_many_signatures": payseal.MalformedHeader,
    "too_large": payseal.TooLarge,
    "invalid_table_link": payseal.InvalidTableLink,
    **{code: payseal.InvalidInput for code in errors.INPUT_CODES},
    **{code: payseal.InvalidKey for code in errors.KEY_CODES},
}


@pytest.mark.parametrize("code, cls", sorted(BINDING_CODES.items()))
def test_binding_codes_map_to_classes(code: str, cls: type) -> None:
    assert errors._CLASS_BY_CODE[code] is cls


def test_attributes_survive_pickling() -> None:
    with pytest.raises(payseal.Expired) as expired:
        payseal.qr_verify("k", payseal.qr_sign("k", '{"expiresAt":"2020-01-01T00:00:00Z"}'), now=1_600_000_000)
    copy = pickle.loads(pickle.dumps(expired.value))
    assert (type(copy), copy.code, copy.expires_at) == (payseal.Expired, "expired", 1_577_836_800)
    with pytest.raises(payseal.Malformed) as malformed:
        payseal.qr_verify("k", "e30!")
    assert pickle.loads(pickle.dumps(malformed.value)).reason == "bad_base64"
    with pytest.raises(payseal.InvalidKey) as key:
        payseal.inspect_key("sk_live_" + "a" * 31 + "!")
    copy3 = pickle.loads(pickle.dumps(key.value))
    assert (copy3.code, copy3.offset) == ("bad_character", 39)
    assert payseal.Expired("x").expires_at is None and payseal.Malformed("x").reason is None
