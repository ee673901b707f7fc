"""The conformance runner itself: output format, exit codes, unknown vocabulary fails."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from payseal import conformance, errors


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def write(directory: Path, name: str, cases: List[Dict[str, Any]]) -> None:
    (directory / name).write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")


@pytest.fixture(autouse=True)
def _partial_folders_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run the runner on folders that hold only some files, as another vector set may:
    scripts/test's PAYSEAL_REQUIRE_ALL_VECTORS=1 (every covered file must be there) is for the
    project's own folder, and is tested on its own below."""
    monkeypatch.delenv("PAYSEAL_REQUIRE_ALL_VECTORS", raising=False)


def run(directory: Path) -> Tuple[bool, List[str]]:
    out = io.StringIO()
    ok = conformance.run_dir(directory, out)
    return ok, out.getvalue().splitlines()


@pytest.fixture
def monkeypatched_canonicalize(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in engine, so these tests check the runner whatever the core does."""

    def fake(data: bytes, dialect: str = "js") -> bytes:
        if data == b"bad":
            raise errors.JsonError("syntax at byte 0", code="syntax")
        return data.upper()

    monkeypatch.setattr("payseal._native.canonicalize", fake)


@pytest.mark.usefixtures("monkeypatched_canonicalize")
def test_pass_fail_and_unknown_vocabulary(tmp_path: Path) -> None:
    write(tmp_path, "json_js.jsonl", [
        {"id": "ok", "input_b64": b64(b"ab"), "output_b64": b64(b"AB"), "field_from_the_future": 1},
        {"id": "err_ok", "input_b64": b64(b"bad"), "error": "syntax"},
        {"id": "wrong_output", "input_b64": b64(b"ab"), "output_b64": b64(b"ab")},
        {"id": "wrong_code", "input_b64": b64(b"bad"), "error": "depth"},
        {"id": "unknown_error", "input_b64": b64(b"bad"), "error": "new_kind"},
        {"id": "both", "input_b64": b64(b"ab"), "output_b64": b64(b"AB"), "error": "syntax"},
        {"id": "no_input", "output_b64": b64(b"AB")},
    ])
    (tmp_path / "json_php.jsonl").write_text('{"id":"p","input_b64":"YQ==","output_b64":"QQ=="}\nnot json\n\n')
    (tmp_path / "future.jsonl").write_text("")
    ok, lines = run(tmp_path)
    assert not ok
    assert lines[0] == "json_js.jsonl: 2 passed, 5 failed"
    failed_ids = [line.split()[1].rstrip(":") for line in lines if line.startswith("  FAIL")]
    assert failed_ids == ["wrong_output", "wrong_code", "unknown_error", "both", "no_input", "line"]
    assert any("unknown `error` value 'new_kind'" in line for line in lines)
    assert "json_php.jsonl: 1 passed, 1 failed" in lines
    assert "future.jsonl: not covered yet, skipped" in lines
    assert lines[-1] == "3 passed, 6 failed"


@pytest.mark.usefixtures("monkeypatched_canonicalize")
def test_all_passing_and_missing_files(tmp_path: Path) -> None:
    write(tmp_path, "json_js.jsonl", [{"id": "ok", "input_b64": b64(b"x"), "output_b64": b64(b"X")}])
    ok, lines = run(tmp_path)
    assert ok
    absent = [f"{name}: not present in {tmp_path}, skipped" for name in conformance.COVERED if name != "json_js.jsonl"]
    assert lines == ["json_js.jsonl: 1 passed, 0 failed", *absent, "1 passed, 0 failed"]


@pytest.mark.usefixtures("monkeypatched_canonicalize")
def test_missing_files_fail_when_every_file_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "json_js.jsonl", [{"id": "ok", "input_b64": b64(b"x"), "output_b64": b64(b"X")}])
    monkeypatch.setenv("PAYSEAL_REQUIRE_ALL_VECTORS", "1")
    ok, lines = run(tmp_path)
    assert not ok
    assert f"json_php.jsonl: MISSING from {tmp_path} (a covered file must be present)" in lines


def test_empty_directory_fails(tmp_path: Path) -> None:
    ok, lines = run(tmp_path)
    assert not ok and lines[-1] == "0 passed, 0 failed"


def test_main_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAYSEAL_VECTORS", raising=False)
    assert conformance.main([]) == 2
    assert conformance.main([str(tmp_path / "nope")]) == 2
    assert conformance.main([str(tmp_path)]) == 1
    monkeypatch.setenv("PAYSEAL_VECTORS", str(tmp_path))
    assert conformance.main([]) == 1


def test_module_entry_point(tmp_path: Path) -> None:
    write(tmp_path, "json_js.jsonl", [{"id": "bad_b64", "input_b64": "!!", "output_b64": "QQ=="}])
    proc = subprocess.run([sys.executable, "-m", "payseal.conformance", str(tmp_path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    last = proc.stdout.splitlines()[-1]
    assert last == "0 passed, 1 failed"


@pytest.mark.parametrize(
    "name, case",
    [
        ("bcrypt.jsonl", {"secret_b64": "", "hash": "$2b$04$x", "expect": "maybe"}),
        ("eupay_webhook.jsonl", {"secret_b64": "", "body_b64": "", "header": "", "expect": "accepted"}),
        ("webhooks_more.jsonl", {"scheme": "github", "expect": "fine"}),
        ("webhooks_more.jsonl", {"scheme": "carrier_pigeon", "expect": "ok"}),
        ("paylands.jsonl", {"expect": "approved"}),
        ("paylands.jsonl", {"expect": "ok", "mode": "webhook", "flags": "default"}),
        ("paylands.jsonl", {"expect": "ok", "mode": "response", "flags": "pretty"}),
        ("eupay_qr_verify.jsonl", {"secret_b64": "", "qr": "", "now": 0, "expect": "valid"}),
        ("jws.jsonl", {"op": "jws_verify", "token": "", "jwks": {"keys": []}, "algorithms": ["HS256"],
                       "expect": "rejected"}),
        ("jws.jsonl", {"op": "jws_decrypt", "expect": "ok"}),
        ("jws.jsonl", {"op": "jws_sign", "jwk": {"kty": "oct", "k": "AA"}, "header": "{}", "payload_b64": "",
                       "expect": "ok"}),
    ],
)
def test_unknown_vocabulary_fails_every_runner(name: str, case: Dict[str, Any]) -> None:
    with pytest.raises(conformance.CaseFailure, match="unknown"):
        conformance.COVERED[name](case)


def test_every_vector_file_present_is_covered(vectors: Path) -> None:
    present = {p.name for p in vectors.glob("*.jsonl")}
    assert present <= set(conformance.COVERED), f"not covered: {sorted(present - set(conformance.COVERED))}"


def test_jws_invalid_means_any_error() -> None:
    """`invalid` (other folders of the jws format) passes on any error and fails on success."""
    jwk = {"kty": "oct", "k": "IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0"}
    good = payseal_sign(jwk)
    base = {"op": "jws_verify", "jwks": {"keys": [jwk]}, "algorithms": ["HS256"], "expect": "invalid"}
    conformance.COVERED["jws.jsonl"]({**base, "token": good + "x"})
    conformance.COVERED["jws.jsonl"]({**base, "token": "a.b"})
    with pytest.raises(conformance.CaseFailure, match="got ok, expected invalid"):
        conformance.COVERED["jws.jsonl"]({**base, "token": good})


def payseal_sign(jwk: Dict[str, Any]) -> str:
    from payseal import sign_jws

    return sign_jws(jwk, '{"alg":"HS256"}', b"payload")
