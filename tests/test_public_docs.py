"""Every public name has a docstring with an example, and the examples run.

The public API is ``deflectkit.__all__`` and ``deflectkit.testing.__all__`` (see
docs/guide/versioning.md); the API reference is generated from these docstrings, so an
example that no longer runs would mislead every reader of the reference.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import deflectkit
import deflectkit.testing

ROOT = Path(__file__).resolve().parent.parent

def _documented(name: str) -> object:
    """The object whose docstring documents ``deflectkit.<name>``.

    A bundled data path is a plain :class:`~pathlib.Path`, which has no docstring of its
    own: its module (``deflectkit.bundled``) documents it, with the example.
    """
    value = getattr(deflectkit, name)
    if isinstance(value, Path):
        return importlib.import_module("deflectkit.bundled")
    return value


PUBLIC: list[tuple[str, object]] = [
    *((f"deflectkit.{n}", _documented(n)) for n in deflectkit.__all__
      if n != "__version__"),
    *((f"deflectkit.testing.{n}", getattr(deflectkit.testing, n))
      for n in deflectkit.testing.__all__),
]


def test_public_names_listed() -> None:
    """The list covers both public namespaces (a guard against an empty parametrisation)."""
    assert len(deflectkit.__all__) - 1 + len(deflectkit.testing.__all__) == len(PUBLIC)


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_docstring_has_an_example(name: str, obj: object) -> None:
    """A Google-style ``Example:`` section with at least one ``>>>`` line."""
    doc = obj.__doc__ or ""
    assert (True, True) == ("Example:" in doc, ">>>" in doc), name


@pytest.mark.parametrize(("name", "obj"), PUBLIC, ids=[n for n, _ in PUBLIC])
def test_docstring_example_runs(name: str, obj: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's output is what the docstring says (run from the repository root)."""
    monkeypatch.chdir(ROOT)
    module = getattr(obj, "__module__", None) or "deflectkit"
    globs = dict(vars(__import__(module, fromlist=["_"])))
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(obj, name, globs=globs)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert (0, True) == (result.failed, result.attempted > 0), name
