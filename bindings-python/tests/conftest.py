"""Shared fixtures: the vector folder ($PAYSEAL_VECTORS, default ../shared/vectors from the repo
root) and the benchmark inputs ($PAYSEAL_FIXTURES, default ../shared/fixtures)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BINDING_ROOT = Path(__file__).resolve().parents[1]


def vectors_dir() -> Path:
    return Path(os.environ.get("PAYSEAL_VECTORS") or REPO_ROOT.parent / "shared" / "vectors")


def fixtures_dir() -> Path:
    return Path(os.environ.get("PAYSEAL_FIXTURES") or REPO_ROOT.parent / "shared" / "fixtures")


@pytest.fixture(scope="session")
def vectors() -> Path:
    path = vectors_dir()
    if not path.is_dir():
        pytest.fail(f"vector folder {path} not found (set PAYSEAL_VECTORS)")
    return path
