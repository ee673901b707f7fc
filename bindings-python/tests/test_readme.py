"""Runs the examples of bindings-python/README.md (doctest), with a redis-server of its own for
the SecretVerifier example (``PAYSEAL_REDIS_URL``; without redis-server: a failure when
``PAYSEAL_REQUIRE_REDIS=1``, else a skip)."""

from __future__ import annotations

import doctest

import pytest
from conftest import BINDING_ROOT
from test_secrets_redis import Redis


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    redis = Redis()
    monkeypatch.setenv("PAYSEAL_REDIS_URL", redis.url)
    try:
        run_readme()
    finally:
        redis.stop()


def run_readme() -> None:
    result = doctest.testfile(str(BINDING_ROOT / "README.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS, report=True, verbose=False)
    assert result.attempted > 50
    assert result.failed == 0, f"{result.failed} README example(s) failed (see the output above)"
