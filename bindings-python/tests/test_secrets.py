"""bcrypt, SecretVerifier, API keys and table links: the binding's surface and every error."""

from __future__ import annotations

import re
import time

import pytest

import payseal

SECRET = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
# pyca/bcrypt's test vector for "U*U" at cost 5.
PYCA_HASH = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"


@pytest.fixture(scope="module")
def stored() -> str:
    return payseal.hash_bcrypt(SECRET, cost=4)


# ---- bcrypt -------------------------------------------------------------------------------------

def test_bcrypt_hash_and_verify(stored: str) -> None:
    assert re.fullmatch(r"\$2b\$04\$[./A-Za-z0-9]{53}", stored)
    payseal.verify_bcrypt(SECRET, stored)
    payseal.verify_bcrypt(b"U*U", PYCA_HASH)
    for secret in (SECRET.encode(), bytearray(SECRET.encode()), memoryview(SECRET.encode())):
        payseal.verify_bcrypt(secret, stored.encode())
    assert payseal.hash_bcrypt(SECRET, cost=4) != stored  # fresh salt
    assert payseal.BCRYPT_DEFAULT_COST == 10 and payseal.hash_bcrypt("x").startswith("$2b$10$")


def test_bcrypt_mismatch(stored: str) -> None:
    with pytest.raises(payseal.MismatchError) as info:
        payseal.verify_bcrypt(SECRET + "x", stored)
    assert info.value.code == "mismatch" and isinstance(info.value, payseal.BadSignatureError)
    with pytest.raises(payseal.MismatchError):  # a NUL is data, not the end of the secret
        payseal.verify_bcrypt(b"U*U\x00anything", PYCA_HASH)


@pytest.mark.parametrize("bad", ["", "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
                                 PYCA_HASH[:-1], PYCA_HASH.replace("$05$", "$32$"), "not a hash"])
def test_bcrypt_malformed_hash(bad: str) -> None:
    with pytest.raises(payseal.MalformedHashError) as info:
        payseal.verify_bcrypt(b"U*U", bad)
    assert info.value.code == "malformed_hash" and isinstance(info.value, payseal.MalformedError)


@pytest.mark.parametrize(
    "secret, cost, code",
    [("x", 3, "cost_out_of_range"), ("x", 32, "cost_out_of_range"), ("x" * 73, 4, "secret_too_long"),
     ("a\x00b", 4, "secret_contains_nul")],
)
def test_bcrypt_hash_refuses_rather_than_truncates(secret: str, cost: int, code: str) -> None:
    with pytest.raises(payseal.InvalidInputError) as info:
        payseal.hash_bcrypt(secret, cost=cost)
    assert info.value.code == code and type(info.value) is payseal.InvalidInputError


def test_bcrypt_argument_errors() -> None:
    with pytest.raises(OverflowError):
        payseal.hash_bcrypt("x", cost=-1)
    with pytest.raises(TypeError):
        payseal.verify_bcrypt(None, PYCA_HASH)  # type: ignore[arg-type]


# ---- SecretVerifier -----------------------------------------------------------------------------

def test_shared_verifier_outlives_its_object_and_spans_threads(stored: str) -> None:
    import threading

    first = payseal.SecretVerifier.shared("test_secrets.py", capacity=10, ttl=60)
    first.verify(SECRET, stored)
    del first  # the cache stays in the library
    # Same name: the same cache, with the first call's capacity and ttl.
    again = payseal.SecretVerifier.shared("test_secrets.py", capacity=1, ttl=1)
    again.verify(SECRET, stored)
    assert (again.hits, again.misses, len(again)) == (1, 1, 1)
    assert (again.capacity, again.ttl) == (10, 60.0)
    with pytest.raises(payseal.MismatchError):
        again.verify("sk_live_wrong", stored)
    seen: list[int] = []

    def in_thread() -> None:
        payseal.SecretVerifier.shared("test_secrets.py").verify(SECRET, stored)
        seen.append(0)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    assert seen == [0] and again.hits == 2
    assert len(payseal.SecretVerifier.shared("test_secrets.py other")) == 0
    assert payseal.SecretVerifier.shared().capacity == 10000
    assert isinstance(again, payseal.SecretVerifier)
    with pytest.raises(ValueError):
        payseal.SecretVerifier.shared("x", ttl=-1)
    with pytest.raises(OverflowError):
        payseal.SecretVerifier.shared("x", capacity=-1)


def test_secret_verifier_caches_successes_only(stored: str) -> None:
    verifier = payseal.SecretVerifier(100, 60)
    assert (verifier.capacity, verifier.ttl, len(verifier)) == (100, 60.0, 0)
    verifier.verify(SECRET, stored)
    verifier.verify(SECRET.encode(), stored)
    assert (verifier.hits, verifier.misses, len(verifier)) == (1, 1, 1)
    for _ in range(2):
        with pytest.raises(payseal.MismatchError):
            verifier.verify("sk_live_wrong", stored)
    with pytest.raises(payseal.MalformedHashError):
        verifier.verify(SECRET, "$2b$04$short")
    assert (verifier.hits, verifier.misses, len(verifier)) == (1, 4, 1)
    verifier.clear()
    assert len(verifier) == 0
    verifier.verify(SECRET, stored)
    assert verifier.misses == 5


def test_secret_verifier_ttl_with_now(stored: str) -> None:
    verifier = payseal.SecretVerifier(ttl=10)
    start = time.monotonic()
    verifier.verify(SECRET, stored, now=start)
    verifier.verify(SECRET, stored, now=start + 9)
    assert (verifier.hits, verifier.misses) == (1, 1)
    verifier.verify(SECRET, stored, now=start + 11)  # expired: bcrypt again
    assert (verifier.hits, verifier.misses) == (1, 2)
    verifier.verify(SECRET, stored, now=start - 1e6)  # long ago is fine too
    with pytest.raises(ValueError, match="now"):
        verifier.verify(SECRET, stored, now=float("inf"))


def test_secret_verifier_disabled_and_arguments(stored: str) -> None:
    off = payseal.SecretVerifier(0)
    off.verify(SECRET, stored)
    off.verify(SECRET, stored)
    assert (off.hits, off.misses, len(off)) == (0, 0, 0)
    assert repr(off) == "SecretVerifier(capacity=0, ttl=300.0)"
    assert payseal.SecretVerifier(10**9).capacity == 1 << 20
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="ttl"):
            payseal.SecretVerifier(10, bad)
    with pytest.raises(OverflowError):
        payseal.SecretVerifier(-1)


# ---- API keys -----------------------------------------------------------------------------------

def test_generate_and_inspect_keys() -> None:
    for kind, prefix in (("publishable", "pk"), ("secret", "sk")):
        for env in ("live", "test"):
            key = payseal.generate_api_key(kind, env)  # type: ignore[arg-type]
            assert re.fullmatch(rf"{prefix}_{env}_[A-Za-z0-9]{{32}}", key)
            assert payseal.inspect_api_key(key) == (kind, env)
    assert payseal.generate_api_key("secret", "test").startswith("sk_test_")
    pk, sk = payseal.generate_api_key_pair("live")
    assert pk.startswith("pk_live_") and sk.startswith("sk_live_")
    assert payseal.check_api_key_pair(pk, sk) == "live"
    assert payseal.check_api_key_pair(*payseal.generate_api_key_pair("test")) == "test"
    assert len({payseal.generate_api_key("secret", "test") for _ in range(20)}) == 20


@pytest.mark.parametrize(
    "key, code, offset",
    [
        ("rk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh", "unknown_prefix", None),
        ("sk_live", "unknown_prefix", None),
        ("pk_live_short", "bad_length", None),
        ("sk_test_4eC39HqLyjWDarjtT1zdp7dcAbCd-fGh", "bad_character", 36),
        ("sk_test_4eC39HqLyjWDarjtT1zdp7dcAbCdéfGh", "bad_character", 36),
    ],
)
def test_invalid_keys(key: str, code: str, offset: int | None) -> None:
    with pytest.raises(payseal.InvalidKeyError) as info:
        payseal.inspect_api_key(key)
    assert info.value.code == code and info.value.offset == offset


@pytest.mark.parametrize(
    "pk, sk, code",
    [
        ("pk_live_" + "a" * 32, "sk_test_" + "a" * 32, "environment_mismatch"),
        ("sk_live_" + "a" * 32, "sk_live_" + "b" * 32, "not_publishable"),
        ("pk_live_" + "a" * 32, "pk_live_" + "b" * 32, "not_secret"),
        ("pk_live_" + "a" * 32, "sk_live_", "bad_length"),
    ],
)
def test_check_key_pair_errors(pk: str, sk: str, code: str) -> None:
    with pytest.raises(payseal.InvalidKeyError) as info:
        payseal.check_api_key_pair(pk, sk)
    assert info.value.code == code


def test_key_argument_errors() -> None:
    with pytest.raises(ValueError, match="kind"):
        payseal.generate_api_key("restricted", "test")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="environment"):
        payseal.generate_api_key_pair("prod")  # type: ignore[arg-type]


# ---- table links --------------------------------------------------------------------------------

MERCHANT = "3febce7d-03cd-40fe-b40f-fe9851b9c397"
TOKEN = "00112233445566778899aabbccddeeff"


def test_table_links() -> None:
    token = payseal.generate_table_token()
    assert re.fullmatch(r"[0-9a-f]{32}", token) and token != payseal.generate_table_token()
    url = payseal.table_url(MERCHANT.upper(), TOKEN.upper())
    assert url == f"{payseal.TABLE_URL_BASE}{MERCHANT}/{TOKEN}"
    assert payseal.table_url_merchant(url) == MERCHANT
    payseal.verify_table_url(MERCHANT, TOKEN, url)
    deep = payseal.table_url(MERCHANT, token, base="eupay://t/")
    assert deep == f"eupay://t/{MERCHANT}/{token}"
    payseal.verify_table_url(MERCHANT, token, deep, base="eupay://t/")


@pytest.mark.parametrize(
    "url, merchant, token",
    [
        (f"https://www.european-pay.fr/t/{MERCHANT}/{TOKEN[:-1]}0", MERCHANT, TOKEN),  # wrong token
        (f"https://www.european-pay.fr/t/{MERCHANT}/{TOKEN}", MERCHANT.replace("3", "4"), TOKEN),  # other merchant
        (f"https://www.european-pay.fr/t/{MERCHANT}/{TOKEN}?x=1", MERCHANT, TOKEN),  # trailing data
        (f"https://evil.example/t/{MERCHANT}/{TOKEN}", MERCHANT, TOKEN),  # other base
        (f"https://www.european-pay.fr/t/{MERCHANT}/{TOKEN}", "not-a-uuid", TOKEN),  # bad record
        (f"https://www.european-pay.fr/t/{MERCHANT}/{TOKEN}", MERCHANT, "xyz"),
        ("https://www.european-pay.fr/t/\udc80", MERCHANT, TOKEN),
    ],
)
def test_every_table_link_failure_is_one_error(url: str, merchant: str, token: str) -> None:
    with pytest.raises((payseal.InvalidTableLinkError, UnicodeEncodeError)) as info:
        payseal.verify_table_url(merchant, token, url)
    if isinstance(info.value, payseal.InvalidTableLinkError):
        assert str(info.value) == "invalid table link" and info.value.code == "invalid_table_link"
        assert isinstance(info.value, payseal.VerificationError)


def test_table_url_errors() -> None:
    with pytest.raises(payseal.InvalidTableLinkError):
        payseal.table_url_merchant("https://www.european-pay.fr/t/nope")
    with pytest.raises(payseal.InvalidTableLinkError):
        payseal.table_url("nope", TOKEN)
    with pytest.raises(payseal.InvalidTableLinkError):
        payseal.table_url(MERCHANT, TOKEN + "00")
