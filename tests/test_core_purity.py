"""The core stays pure: no I/O, no clock, no random source, no edge module.

``src/deflectkit/core/`` turns values into values (its package docstring says so); what the
world supplies (files, the ZIP table, the time, fresh ids) is passed in by the edges
(``files/``, ``interop/``, ``cli/``, ``site/``, ``deflectkit.api``). This test reads every
core module's source with :mod:`ast` and fails on an import of an edge or of a standard
module that reaches outside, or on a call that reads the clock, the console or a file,
wherever it stands (top level, inside a function, under ``TYPE_CHECKING``). Docstring
examples are text, not code, so a doctest may still load a file to show a result.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parent.parent / "src" / "deflectkit" / "core"
PACKAGE = CORE.parent

#: Modules outside ``core`` the core may import: pure helpers. Each one the core reaches
#: is checked like a core module (and what it imports in turn).
PURE_HELPERS = frozenset({"errors", "hints", "vocabulary", "spelling", "convert", "structure"})

#: Standard and third-party modules that read or write the world, or draw randomness.
IMPURE_MODULES = frozenset({
    "random", "secrets", "uuid", "time", "os", "sys", "io", "pathlib", "shutil", "tempfile",
    "glob", "socket", "ssl", "http", "urllib", "subprocess", "threading", "multiprocessing",
    "asyncio", "logging", "structlog", "sqlite3", "csv", "pickle", "shelve", "builtins",
})
#: Calls that read the clock, the console or a file, however their object is spelled.
IMPURE_CALLS = frozenset({"now", "today", "utcnow", "open", "input", "print", "time_ns"})


def _imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an ``import`` or ``from … import`` names, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "deflectkit":
            # `from deflectkit import files`: the alias names the module
            found += [(node.lineno, f"deflectkit.{a.name}") for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
    return found


def _impure_import(module: str) -> bool:
    top = module.split(".", maxsplit=1)[0]
    if top == "deflectkit":
        inside = module.split(".")[1] if "." in module else ""
        return inside not in {"core", *PURE_HELPERS}
    return top in IMPURE_MODULES


def _impure_calls(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found.append((node.lineno, "global " + ", ".join(node.names)))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in IMPURE_CALLS:
            found.append((node.lineno, f"{name}()"))
    return found


def _module_file(module: str) -> Path | None:
    """The source file of ``deflectkit.…`` module ``module``, if it is one of ours."""
    parts = module.split(".")
    if parts[0] != "deflectkit" or len(parts) < 2:
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _sources() -> list[Path]:
    """Every core module, and every pure helper reached from one (transitively)."""
    found = sorted(CORE.rglob("*.py"))
    pending = list(found)
    while pending:
        tree = ast.parse(pending.pop().read_text(encoding="utf-8"))
        for _, module in _imported(tree):
            path = _module_file(module)
            if path is not None and path not in found and not _impure_import(module):
                found.append(path)
                pending.append(path)
    return found


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_module_is_pure(path: Path) -> None:
    """No edge or impure import, no clock, console or file call, no ``global``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imports = [f"line {n}: import {m}" for n, m in _imported(tree) if _impure_import(m)]
    calls = [f"line {n}: {what}" for n, what in _impure_calls(tree)]
    assert [] == imports + calls, path.relative_to(PACKAGE).as_posix()


def test_checker_catches_what_it_forbids() -> None:
    """The checker itself flags each kind of impurity (so an empty answer means something)."""
    source = (
        "import secrets\nfrom deflectkit.files.zip_centroids import zip_centroid\n"
        "from deflectkit import api\nimport datetime as dt\n"
        "def f():\n    import time\n    global X\n    return dt.datetime.now(), open('x')\n"
    )
    tree = ast.parse(source)
    assert [1, 2, 3, 6] == [n for n, m in _imported(tree) if _impure_import(m)]
    assert ["global X", "now()", "open()"] == sorted(what for _, what in _impure_calls(tree))
    assert [] == [m for _, m in _imported(ast.parse("import attrs\nimport datetime"))
                  if _impure_import(m)]
