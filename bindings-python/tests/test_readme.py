"""Runs the examples of bindings-python/README.md (doctest)."""

from __future__ import annotations

import doctest

from conftest import BINDING_ROOT


def test_readme_examples() -> None:
    result = doctest.testfile(str(BINDING_ROOT / "README.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS, report=True, verbose=False)
    assert result.attempted > 50
    assert result.failed == 0, f"{result.failed} README example(s) failed (see the output above)"
