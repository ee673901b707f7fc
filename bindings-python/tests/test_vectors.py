"""Every line of every vector file the binding covers, one pytest case each (the same case
functions as `python -m payseal.conformance`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from payseal import conformance

from conftest import vectors_dir


def _cases() -> List[Any]:
    params: List[Any] = []
    directory = vectors_dir()
    for name in conformance.COVERED:
        path = directory / name
        if not path.exists():
            # A missing vector file fails (test_vector below), never skips.
            params.append(pytest.param(name, None, id=f"{name}:missing"))
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case: Dict[str, Any] = json.loads(line)
                params.append(pytest.param(name, case, id=f"{name}:{case.get('id', lineno)}"))
    return params


@pytest.mark.parametrize("name, case", _cases())
def test_vector(name: str, case: Optional[Dict[str, Any]]) -> None:
    if case is None:
        pytest.fail(f"vector file {name} is missing from {vectors_dir()}", pytrace=False)
    try:
        conformance.COVERED[name](case)
    except conformance.CaseFailure as e:
        pytest.fail(str(e), pytrace=False)


def test_some_covered_file_is_present(vectors: Path) -> None:
    assert any((vectors / name).exists() for name in conformance.COVERED), f"no covered file in {vectors}"
