"""PaylandsVerifier and the one-shot functions: flags, modes, every error. The hash is checked
against hashlib over the documented construction, written out by hand for simple bodies."""

from __future__ import annotations

import hashlib
import json

import pytest

import payseal
from conftest import fixtures_dir

SIG = b"s1gnature"
DATA = '{"order":{"amount":1050,"ref":"café/1"},"client":{"uuid":"C1"}}'
# json_encode($data) with the default flags, and with JSON_UNESCAPED_UNICODE|SLASHES.
DEFAULT_JSON = b'{"order":{"amount":1050,"ref":"caf\\u00e9\\/1"},"client":{"uuid":"C1"}}'
UNESCAPED_JSON = DATA.encode()


def sha_hex(data: bytes) -> str:
    return hashlib.sha256(data + SIG).hexdigest()


def with_hash(body: str, digest: str) -> str:
    return body[:-1] + f',"validation_hash":"{digest}"}}'


def fixture() -> tuple[bytes, bytes]:
    folder = fixtures_dir()
    if not (folder / "paylands-notification.json").exists():
        pytest.fail(f"no fixtures in {folder} (set PAYSEAL_FIXTURES): a test that cannot run fails")
    return (folder / "paylands-notification.json").read_bytes(), (folder / "paylands-notification.signature").read_bytes()


def test_fixture_verifies() -> None:
    body, signature = fixture()
    verifier = payseal.PaylandsVerifier(signature)
    assert verifier.verify(body) == "default"
    assert payseal.verify_paylands(signature, body, mode="notification", flags="default") == "default"
    assert verifier.hash(body) == json.loads(body)["validation_hash"]
    with pytest.raises(payseal.MismatchError):
        payseal.PaylandsVerifier(signature + b"x").verify(body)


def test_hash_data_and_flags() -> None:
    assert payseal.paylands_data(DATA) == DEFAULT_JSON
    assert payseal.paylands_data(DATA, flags="unescaped") == UNESCAPED_JSON
    assert payseal.paylands_hash(SIG, DATA) == sha_hex(DEFAULT_JSON)
    assert payseal.paylands_hash(SIG, DATA, mode="notification", flags="unescaped") == sha_hex(UNESCAPED_JSON)
    verifier = payseal.PaylandsVerifier(SIG)
    assert verifier.verify(with_hash(DATA, sha_hex(DEFAULT_JSON))) == "default"
    assert verifier.verify(with_hash(DATA, sha_hex(UNESCAPED_JSON).upper())) == "unescaped"
    with pytest.raises(payseal.MismatchError):
        verifier.verify(with_hash(DATA, sha_hex(UNESCAPED_JSON)), flags="default")
    assert verifier.verify(with_hash(DATA, sha_hex(UNESCAPED_JSON)), flags="unescaped") == "unescaped"


def test_notification_and_response_modes() -> None:
    body = '{"message":"OK","code":200,"client":{"id":1},"extra_data":null,"order":{"n":1.50}}'
    assert payseal.paylands_data(body) == b'{"order":{"n":1.5},"client":{"id":1},"extra_data":null}'
    assert payseal.paylands_data(body, mode="response") == b'{"client":{"id":1},"extra_data":null,"order":{"n":1.5}}'
    response_hash = payseal.paylands_hash(SIG, body, mode="response")
    assert payseal.PaylandsVerifier(SIG).verify(with_hash(body, response_hash), mode="response") == "default"
    with pytest.raises(payseal.MismatchError):
        payseal.PaylandsVerifier(SIG).verify(with_hash(body, response_hash))


def test_input_types() -> None:
    body = with_hash(DATA, sha_hex(DEFAULT_JSON))
    verifier = payseal.PaylandsVerifier(bytearray(SIG))
    for data in (body, body.encode(), bytearray(body.encode()), memoryview(body.encode())):
        assert verifier.verify(data) == "default"


@pytest.mark.parametrize(
    "body, reason",
    [
        ('["not", "an object"]', "not an object"),
        (DATA, "no validation_hash"),
        ('{"order":{},"validation_hash":12}', "not a string"),
        ('{"order":{},"validation_hash":"abc"}', "64 hexadecimal"),
        ('{"client":{},"validation_hash":"' + "0" * 64 + '"}', "no order"),
    ],
)
def test_malformed_notifications(body: str, reason: str) -> None:
    with pytest.raises(payseal.MalformedError) as info:
        payseal.PaylandsVerifier(SIG).verify(body)
    assert info.value.code == "malformed" and type(info.value) is payseal.MalformedError
    assert reason in str(info.value) and info.value.__cause__ is None


def test_invalid_json_is_malformed_with_the_json_error_as_cause() -> None:
    with pytest.raises(payseal.MalformedError) as info:
        payseal.verify_paylands(SIG, b'{"order": {}, "order": {}}')
    cause = info.value.__cause__
    assert isinstance(cause, payseal.JsonError) and cause.code == "duplicate_key" and cause.offset == 14
    with pytest.raises(payseal.MalformedError):
        payseal.paylands_hash(SIG, b"{")
    with pytest.raises(payseal.MalformedError):
        payseal.paylands_data(b'{"client": {}}')


def test_signature_errors_and_redaction() -> None:
    with pytest.raises(payseal.InvalidKeyError) as empty:
        payseal.PaylandsVerifier(b"")
    assert empty.value.code == "empty_signature"
    with pytest.raises(payseal.InvalidKeyError) as long:
        payseal.paylands_hash(b"x" * 257, DATA)
    assert long.value.code == "signature_too_long"
    assert "s1gnature" not in repr(payseal.PaylandsVerifier(SIG))


def test_argument_errors() -> None:
    verifier = payseal.PaylandsVerifier(SIG)
    with pytest.raises(ValueError, match="mode"):
        verifier.verify(DATA, mode="webhook")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="flags"):
        verifier.verify(DATA, flags="pretty")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="flags"):
        verifier.hash(DATA, flags="auto")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verifier.verify(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):  # options are keyword-only
        verifier.verify(DATA, "notification")  # type: ignore[misc]
    with pytest.raises(payseal.InvalidInputError) as unknown:
        payseal.paylands_data(DATA, mode="webhook")  # type: ignore[arg-type]
    assert unknown.value.code == "invalid_argument"
