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
