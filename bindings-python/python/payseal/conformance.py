"""Conformance runner: ``python -m payseal.conformance [DIR]``.

Runs every vector file the Python binding covers (JSON in both dialects, bcrypt, EU Pay and
other providers' webhooks, Paylands, EU Pay QR signing and verification) (``*.jsonl``, one case per line, see
``shared/vectors/README.md``) from DIR (default: ``$PAYSEAL_VECTORS``), prints one
``FILE: N passed, M failed`` line per file (with the first failures), and a last line
``N passed, M failed``; exits 1 when anything failed. Fields a case does not know are ignored;
an ``expect`` or ``error`` value it does not know is a failure, so new vocabulary is never
silently accepted.
"""

from __future__ import annotations

import base64
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, TextIO, Tuple

from . import _native
from .errors import PaysealError

__all__ = ["COVERED", "CaseFailure", "FileReport", "run_file", "run_dir", "main"]

MAX_SHOWN = 20


class CaseFailure(Exception):
    """Raised by a case when payseal disagrees with the vector (or the vector is unusable)."""


Case = Callable[[Mapping[str, Any]], None]


# ---- field access ------------------------------------------------------------------------------

def field_str(case: Mapping[str, Any], name: str) -> str:
    value = case.get(name)
    if not isinstance(value, str):
        raise CaseFailure(f"field `{name}` missing or not a string")
    return value


def field_b64(case: Mapping[str, Any], name: str) -> bytes:
    text = field_str(case, name)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as e:
        raise CaseFailure(f"field `{name}`: bad base64: {e}") from None


def opt_b64(case: Mapping[str, Any], name: str) -> Optional[bytes]:
    return field_b64(case, name) if name in case else None


def unknown(field: str, value: str) -> CaseFailure:
    return CaseFailure(f"unknown `{field}` value {value!r}: this runner must be taught it")


def show(data: bytes) -> str:
    return repr(data.decode("utf-8", "replace"))


# ---- json_js.jsonl / json_php.jsonl / jcs.jsonl ---------------------------------------------------

JS_ERRORS = ("syntax", "invalid_utf8", "duplicate_key", "depth", "number_range")
PHP_ERRORS = JS_ERRORS + ("lone_surrogate",)


def _json_case(case: Mapping[str, Any], dialect: Literal["js", "php", "jcs"], known_errors: Sequence[str]) -> None:
    data = field_b64(case, "input_b64")
    want = opt_b64(case, "output_b64")
    error = case.get("error")
    if (want is None) == (error is None):
        raise CaseFailure("line has neither `output_b64` nor `error` (or both)")
    if error is not None and (not isinstance(error, str) or error not in known_errors):
        raise unknown("error", str(error))
    try:
        got = _native.canonicalize(data, dialect)
    except PaysealError as e:
        if error is None:
            raise CaseFailure(f"error {e.code}, expected output {show(want or b'')}") from None
        if e.code != error:
            raise CaseFailure(f"error {e.code}, expected {error}") from None
        return
    if error is not None:
        raise CaseFailure(f"output {show(got)}, expected error {error}")
    if got != want:
        raise CaseFailure(f"output {show(got)}, expected {show(want or b'')}")


def json_js_case(case: Mapping[str, Any]) -> None:
    _json_case(case, "js", JS_ERRORS)


def json_php_case(case: Mapping[str, Any]) -> None:
    _json_case(case, "php", PHP_ERRORS)


def jcs_case(case: Mapping[str, Any]) -> None:
    _json_case(case, "jcs", PHP_ERRORS)


# ---- outcomes as codes ---------------------------------------------------------------------------

def outcome(call: Callable[[], object], ok: str = "ok") -> str:
    """``ok`` when ``call`` returns, else the code of the payseal error it raised."""
    try:
        call()
    except PaysealError as e:
        return e.code
    return ok


def expect_of(case: Mapping[str, Any], known: Sequence[str]) -> str:
    expect = field_str(case, "expect")
    if expect not in known:
        raise unknown("expect", expect)
    return expect


def check_outcome(got: str, expect: str) -> None:
    if got != expect:
        raise CaseFailure(f"got {got}, expected {expect}")


# ---- bcrypt.jsonl --------------------------------------------------------------------------------

def bcrypt_case(case: Mapping[str, Any]) -> None:
    expect = expect_of(case, ("match", "mismatch", "malformed_hash"))
    secret, hash_ = field_b64(case, "secret_b64"), field_str(case, "hash")
    check_outcome(outcome(lambda: _native.verify_bcrypt(secret, hash_), ok="match"), expect)


# ---- eupay_webhook.jsonl / webhooks_more.jsonl -----------------------------------------------------

WEBHOOK_EXPECTS = ("ok", "bad_signature", "missing_header", "malformed_header", "malformed_body",
                   "timestamp_too_old", "timestamp_too_new")


def eupay_webhook_case(case: Mapping[str, Any]) -> None:
    expect = expect_of(case, WEBHOOK_EXPECTS)
    verifier = _native.WebhookVerifier("eupay", field_b64(case, "secret_b64"))
    headers = {"X-EuPay-Signature": field_str(case, "header")}
    body = field_b64(case, "body_b64")
    check_outcome(outcome(lambda: verifier.verify(headers, body, now=0, tolerance=0)), expect)


def field_int(case: Mapping[str, Any], name: str) -> int:
    value = case.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise CaseFailure(f"field `{name}` missing or not an integer")
    return value


def webhooks_more_case(case: Mapping[str, Any]) -> None:
    expect = expect_of(case, WEBHOOK_EXPECTS)
    scheme = field_str(case, "scheme")
    if scheme not in _native.WEBHOOK_SCHEMES:
        raise unknown("scheme", scheme)
    secrets_b64 = case.get("secrets_b64")
    if not isinstance(secrets_b64, list) or not secrets_b64:
        raise CaseFailure("field `secrets_b64` missing or not a non-empty list")
    secrets = [field_b64({"s": s}, "s") for s in secrets_b64]
    headers = case.get("headers")
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise CaseFailure("field `headers` missing or not an object of strings")
    body = field_b64(case, "body_b64")
    now, tolerance = field_int(case, "now"), field_int(case, "tolerance")
    verifier = _native.WebhookVerifier(scheme, secrets)
    try:
        payload = verifier.open(headers, body, now=now, tolerance=tolerance)
    except PaysealError as e:
        check_outcome(e.code, expect)
        return
    check_outcome("ok", expect)
    if scheme.startswith("oppwa"):
        want = opt_b64(case, "plaintext_b64")
        if want is None:
            raise CaseFailure("decrypted, but the case has no `plaintext_b64` to compare")
        if payload != want:
            raise CaseFailure(f"plaintext {show(payload)}, expected {show(want)}")
    elif payload != body:
        raise CaseFailure(f"open returned {show(payload)}, expected the body itself")


# ---- paylands.jsonl ------------------------------------------------------------------------------

def paylands_case(case: Mapping[str, Any]) -> None:
    """Besides the verdict, the hash payseal computes must equal the vector's `validation_hash`
    for `ok` and differ from it for `mismatch` (as the Rust runner checks)."""
    expect = expect_of(case, ("ok", "mismatch", "malformed"))
    mode, flags = field_str(case, "mode"), field_str(case, "flags")
    if mode not in ("notification", "response"):
        raise unknown("mode", mode)
    if flags not in ("default", "unescaped"):
        raise unknown("flags", flags)
    verifier = _native.PaylandsVerifier(field_b64(case, "signature_b64"))
    body = field_b64(case, "notification_b64")
    want_hash = field_str(case, "validation_hash")
    try:
        matched = verifier.verify(body, mode=mode, flags=flags)  # type: ignore[arg-type]
    except PaysealError as e:
        check_outcome(e.code, expect)
    else:
        if matched != flags:
            raise CaseFailure(f"matched with {matched} flags, asked for {flags}")
        check_outcome("ok", expect)
    if expect != "malformed":
        computed = verifier.hash(body, mode=mode, flags=flags)  # type: ignore[arg-type]
        if (computed == want_hash.lower()) != (expect == "ok"):
            raise CaseFailure(f"computed hash {computed} vs the vector's {want_hash} (expect {expect})")


# ---- eupay_qr_sign.jsonl / eupay_qr_verify.jsonl -------------------------------------------------

def eupay_qr_sign_case(case: Mapping[str, Any]) -> None:
    """Every output form must be the reference's."""
    parts = _native.QrSigner(field_b64(case, "secret_b64")).sign_parts(field_b64(case, "payload_input_b64"))
    want_canonical = field_b64(case, "payload_canonical_b64")
    diffs = []
    if parts.canonical.encode() != want_canonical:
        diffs.append(f"canonical {parts.canonical!r}, expected {show(want_canonical)}")
    for name, got, field in (("sig", parts.sig, "sig_hex"), ("envelope", parts.envelope, "envelope_b64url"),
                             ("url", parts.url, "qr_url")):
        want = field_str(case, field)
        if got != want:
            diffs.append(f"{name} {got!r}, expected {want!r}")
    if diffs:
        raise CaseFailure("; ".join(diffs))


def eupay_qr_verify_case(case: Mapping[str, Any]) -> None:
    expect = expect_of(case, ("ok", "bad_signature", "expired", "malformed"))
    verifier = _native.QrVerifier(field_b64(case, "secret_b64"))
    qr, now = field_str(case, "qr"), field_int(case, "now")
    check_outcome(outcome(lambda: verifier.verify(qr, now=now)), expect)


COVERED: Dict[str, Case] = {
    "json_js.jsonl": json_js_case,
    "json_php.jsonl": json_php_case,
    "jcs.jsonl": jcs_case,
    "bcrypt.jsonl": bcrypt_case,
    "eupay_webhook.jsonl": eupay_webhook_case,
    "webhooks_more.jsonl": webhooks_more_case,
    "paylands.jsonl": paylands_case,
    "eupay_qr_sign.jsonl": eupay_qr_sign_case,
    "eupay_qr_verify.jsonl": eupay_qr_verify_case,
}
"""Every vector file the binding covers, with its case function. Capabilities add a line here."""


# ---- running -----------------------------------------------------------------------------------

class FileReport:
    """The tally of one file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.passed = 0
        self.failures: List[Tuple[str, str]] = []
        self.unreadable: Optional[str] = None


def run_file(path: Path, case_fn: Case) -> FileReport:
    """Runs every case of one file; an exception a case did not expect counts as a failure."""
    report = FileReport(path.name)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        report.unreadable = str(e)
        return report
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        case_id = f"line {lineno}"
        try:
            case = json.loads(line)
            if not isinstance(case, dict):
                raise CaseFailure("line is not a JSON object")
            if isinstance(case.get("id"), str):
                case_id = case["id"]
            case_fn(case)
        except CaseFailure as e:
            report.failures.append((case_id, str(e)))
        except Exception as e:  # a crash in a case is a failure, not the end of the run
            report.failures.append((case_id, f"unexpected {type(e).__name__}: {e}"))
        else:
            report.passed += 1
    return report


def run_dir(directory: Path, out: TextIO = sys.stdout) -> bool:
    """Runs every covered file in ``directory``; True when everything present passed."""
    ok = True
    passed = failed = shown = 0
    seen_any = False
    for name, case_fn in COVERED.items():
        path = directory / name
        if not path.exists():
            # The project's own suite sets PAYSEAL_REQUIRE_ALL_VECTORS=1: there a missing file
            # fails. Another folder in the same formats may hold only some of the files.
            if os.environ.get("PAYSEAL_REQUIRE_ALL_VECTORS") == "1":
                print(f"{name}: MISSING from {directory} (a covered file must be present)", file=out)
                ok = False
                failed += 1
            else:
                print(f"{name}: not present in {directory}, skipped", file=out)
            continue
        seen_any = True
        report = run_file(path, case_fn)
        if report.unreadable is not None:
            print(f"{name}: unreadable: {report.unreadable}", file=out)
            ok = False
            failed += 1
            continue
        print(f"{name}: {report.passed} passed, {len(report.failures)} failed", file=out)
        for case_id, why in report.failures:
            if shown < MAX_SHOWN:
                print(f"  FAIL {case_id}: {why}", file=out)
                shown += 1
        passed += report.passed
        failed += len(report.failures)
    try:
        others = sorted(p.name for p in directory.glob("*.jsonl") if p.name not in COVERED)
    except OSError as e:
        print(f"cannot read directory {directory}: {e}", file=out)
        others, ok = [], False
    for name in others:
        print(f"{name}: not covered yet, skipped", file=out)
    if not seen_any:
        print(f"no covered vector file found in {directory}", file=out)
        ok = False
    print(f"{passed} passed, {failed} failed", file=out)
    return ok and failed == 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if len(args) > 1:
        print("usage: python -m payseal.conformance [DIR]", file=sys.stderr)
        return 2
    directory = args[0] if args else os.environ.get("PAYSEAL_VECTORS")
    if not directory:
        print("usage: python -m payseal.conformance DIR (or set PAYSEAL_VECTORS)", file=sys.stderr)
        return 2
    if not Path(directory).is_dir():
        print(f"not a directory: {directory}", file=sys.stderr)
        return 2
    return 0 if run_dir(Path(directory)) else 1


if __name__ == "__main__":
    sys.exit(main())
