"""Report the functions in ``src/`` longer than a reader can hold in their head.

A function's size is its lines from ``def`` to its last line, less its docstring
(documentation is not logic a reader must hold; decorators do not count either).
The team's target: none over 100 lines, at most five over 60.
A function that is a declarative table (data laid out one entry a line, not logic) is
marked with a comment ``# size: declarative table`` on the line above its ``def`` (or
its first decorator) and is left out.

Run: ``python tools/function_sizes.py [--over 60]`` (exit 1 when the target is missed).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
MARK = "# size: declarative table"
#: The target (see the module docstring).
HARD_LIMIT = 100
SOFT_LIMIT = 60
SOFT_ALLOWED = 5


class Function(NamedTuple):
    """One function: where it is and how long."""

    path: str
    line: int
    name: str
    lines: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name} ({self.lines} lines)"


def _is_table(source: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return first >= 2 and source[first - 2].strip() == MARK


def _docstring_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    first = node.body[0]
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return (first.end_lineno or first.lineno) - first.lineno + 1
    return 0


def functions(root: Path = SRC) -> Iterator[Function]:
    """Every function and method under ``root``, nested ones included, tables left out."""
    for file in sorted(root.rglob("*.py")):
        text = file.read_text(encoding="utf-8")
        source = text.splitlines()
        where = file.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(text, filename=str(file))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if _is_table(source, node):
                    continue
                end = node.end_lineno or node.lineno
                size = end - node.lineno + 1 - _docstring_lines(node)
                yield Function(where, node.lineno, node.name, size)


def over(limit: int, root: Path = SRC) -> list[Function]:
    """The functions longer than ``limit`` lines, longest first."""
    return sorted((f for f in functions(root) if f.lines > limit), key=lambda f: -f.lines)


def main(argv: list[str] | None = None) -> int:
    """Print the long functions; exit 1 when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--over", type=int, default=SOFT_LIMIT, help="list functions over N")
    args = parser.parse_args(argv)
    listed = over(args.over)
    for f in listed:
        print(f)
    hard, soft = over(HARD_LIMIT), over(SOFT_LIMIT)
    total = sum(1 for _ in functions())
    print(f"{total} functions; {len(soft)} over {SOFT_LIMIT} lines (target at most"
          f" {SOFT_ALLOWED}); {len(hard)} over {HARD_LIMIT} (target none)")
    return 0 if not hard and len(soft) <= SOFT_ALLOWED else 1


if __name__ == "__main__":
    sys.exit(main())
