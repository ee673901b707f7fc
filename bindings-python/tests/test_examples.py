"""The example programs run and do what they say."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

import payseal
from conftest import BINDING_ROOT


def load(name: str) -> ModuleType:
    path = BINDING_ROOT / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_canonical_hmac(capsys: pytest.CaptureFixture[str]) -> None:
    example = load("canonical_hmac")
    example.main()
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("verifies the reformatted body") and len(out[0].split()[0]) == 64
    assert out[1] == "tampered body rejected: bad_signature"
    with pytest.raises(payseal.JsonError):
        example.check(b"k", b"[1,", "00")

