"""Go on checking a file after a tab or an unquoted colon, so one run reports everything.

A YAML syntax error stops the parser, which would hide every other mistake in the file.
For the two mistakes volunteers make most, the fix is certain (see
:func:`deflectkit.files.yaml_hints.repair_line`), so the file is parsed again *in memory*
with that fix made, as often as needed, and the result is checked like any other file. The
syntax problems stay errors: the file is never loaded or published until the writer fixes
it. Lines keep their numbers, so every later message points at the right line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from deflectkit.errors import DataError, Problem
from deflectkit.files.yaml_hints import TAB_WIDTHS, repair_line, tabbed_lines
from deflectkit.files.yamlio import MAX_FILE_BYTES, YamlDocument, parse_yaml

__all__ = ["MAX_REPAIRS", "read_after_repairs"]

#: Most fixes tried in one file; each fixes one line (tabs: every line at once).
MAX_REPAIRS: Final = 50
_SYNTAX: Final = "not valid YAML: "


def _text(path: str | Path) -> str | None:
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def read_after_repairs(
    path: str | Path, first: DataError, *, display: str | None = None
) -> tuple[list[Problem], YamlDocument | None]:
    """Every syntax problem we can get past, and the document parsed with them fixed.

    Args:
        path: the file whose reading raised ``first``.
        first: the error :func:`deflectkit.files.yamlio.read_yaml` raised.
        display: the file name used in messages.

    Returns:
        The problems (``first``'s, then one per further syntax error met) and the repaired
        document, or ``None`` when the file cannot be read past its errors.
    """
    problems = list(first.problems)
    problem = problems[0] if len(problems) == 1 else None
    if problem is None or problem.line is None or not problem.message.startswith(_SYNTAX):
        return problems, None
    text = _text(path)
    if text is None:
        return problems, None
    lines = tuple(text.splitlines())
    name = display or str(path)
    for _ in range(MAX_REPAIRS):
        repaired = _repaired(lines, problem.line, name)
        if repaired is None:
            return problems, None
        lines, outcome = repaired
        if isinstance(outcome, YamlDocument):
            return problems, outcome
        problem = outcome.problems[0]
        if problem.line is None or not problem.message.startswith(_SYNTAX):
            return [*problems, *outcome.problems], None
        problems.append(problem)
    return problems, None


def _repaired(
    lines: tuple[str, ...], number: int, name: str
) -> tuple[tuple[str, ...], YamlDocument | DataError] | None:
    """The lines with line ``number``'s fix made, and what parsing them gave.

    Tabs are tried at each of :data:`TAB_WIDTHS` spaces: a width that leaves a new syntax
    error *on a line that held a tab* is our guess being wrong, not a second mistake of the
    writer's, so the first width that parses (or fails elsewhere) is kept.
    """
    tabbed = tabbed_lines(lines)
    widths = TAB_WIDTHS if tabbed else TAB_WIDTHS[:1]
    first: tuple[tuple[str, ...], YamlDocument | DataError] | None = None
    for width in widths:
        fixed = repair_line(lines, number, tab_width=width)
        if fixed is None or fixed == lines:
            return None
        try:
            return fixed, parse_yaml("\n".join(fixed) + "\n", name)
        except DataError as exc:
            if exc.problems[0].line not in tabbed:
                return fixed, exc
            first = first or (fixed, exc)
    return first
