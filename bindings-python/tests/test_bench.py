"""bench/compare.py keeps its output contract (one JSON line per measurement) and its
pure-Python ports stay right for the fixtures: a smoke run of every case."""

from __future__ import annotations

import importlib.util
import json
import sys
from types import ModuleType

import pytest

from conftest import BINDING_ROOT, fixtures_dir


def load_compare() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_compare", BINDING_ROOT / "bench" / "compare.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_quick_run_prints_one_json_line_per_measurement(capsys: pytest.CaptureFixture[str]) -> None:
    if not (fixtures_dir() / "eupay-webhook-1k.json").exists():
        pytest.fail(f"no fixtures in {fixtures_dir()} (set PAYSEAL_FIXTURES): a test that cannot run fails")
    compare = load_compare()
    assert compare.main(["--quick", "--fixtures", str(fixtures_dir())]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    seen = {(r["case"], r["impl"]) for r in lines}
    for case in ("webhook_verify_1k", "stripe_verify_1k", "standard_verify_1k", "verify_paylands", "sign_qr",
                 "verify_qr", "jwt_verify_hs256", "jwt_verify_rs256", "jwt_verify_es256", "bcrypt_verify_cost10",
                 "stripe_sign_1k", "standard_sign_1k"):
        assert (case, "payseal") in seen
    assert {("stripe_sign_1k", "stripe_compute_signature"), ("standard_sign_1k", "standardwebhooks"),
            ("stripe_sign_1k", "hmac_stdlib")} <= seen
    assert {("webhook_verify_1k", "hmac_stdlib"), ("verify_paylands", "json_hashlib"),
            ("sign_qr", "json_hmac_base64"), ("jwt_verify_hs256", "pyjwt"), ("jwt_verify_rs256", "pyjwt")} <= seen
    for r in lines:
        assert set(r) == {"lang", "case", "impl", "ns_per_op", "cpu_ns_per_op"} and r["lang"] == "python"
        assert isinstance(r["ns_per_op"], float) and r["ns_per_op"] > 0
        assert isinstance(r["cpu_ns_per_op"], float) and r["cpu_ns_per_op"] >= 0
