r"""YAML syntax errors in plain words, with the exact fix, and the two fixes we can try.

PyYAML (and libyaml, whose wording differs) report syntax errors in parser terms: "found
character that cannot start any token", "mapping values are not allowed in this context".
A volunteer editing a provider file needs "line 19 starts with a tab: use spaces" and "put
the description in quotes". :func:`plain_words` looks at the error *and at the line it
points to* and says what happened in those words; :func:`repair_line` makes the one fix it
named (tabs to spaces, a value in quotes) so that
:func:`deflectkit.files.yaml_recovery.read_after_repairs` can go on checking the rest of the
file. Neither ever writes the file.

Example:
    >>> import yaml
    >>> text = "name: Example\ndescription: Open daily: call first\n"
    >>> try:
    ...     yaml.safe_load(text)
    ... except yaml.MarkedYAMLError as error:
    ...     print(plain_words(error, tuple(text.splitlines())))
    put the description in quotes: description: "Open daily: call first"
"""

from __future__ import annotations

import json
import re
from typing import Final

import yaml

__all__ = ["TAB_WIDTHS", "plain_words", "repair_line", "tab_line", "tabbed_lines"]

#: ``key: value`` (optionally a list item), the value plain text that holds ``: ``.
_KEY_VALUE: Final = re.compile(
    r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[^\s:#'\"{}\[\]-][^:#]*?):\s+(?P<value>\S.*?)\s*$"
)
_NOT_PLAIN_START: Final = tuple("'\"[{|>&*!%@`")


def tab_line(lines: tuple[str, ...], up_to: int) -> int | None:
    """The first line (1-based, at most ``up_to``) whose indentation holds a tab, if any."""
    for number, text in enumerate(lines[:up_to], start=1):
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent:
            return number
    return None


def _quoted(key: str, value: str) -> str:
    return f"{key}: {json.dumps(value, ensure_ascii=False)}"


def _colon_in_value(line: str) -> str | None:
    """The line with its value in double quotes, when an unquoted value holds ``: ``."""
    match = _KEY_VALUE.match(line)
    if not match:
        return None
    value = match.group("value")
    if value.startswith(_NOT_PLAIN_START) or (": " not in value and not value.endswith(":")):
        return None
    return match.group("lead") + _quoted(match.group("key"), value)


def _line(lines: tuple[str, ...], number: int) -> str:
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def plain_words(error: yaml.MarkedYAMLError, lines: tuple[str, ...]) -> str | None:
    """Say what a YAML syntax error means and how to fix it, or ``None`` if we cannot tell.

    Args:
        error: the error PyYAML (or libyaml) raised.
        lines: the file's lines, to look at the spot it points to.
    """
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return None
    number = mark.line + 1
    problem, context = str(error.problem or ""), str(error.context or "")
    tabbed = tab_line(lines, number)
    if tabbed is not None:
        others = [n for n in range(tabbed + 1, len(lines) + 1) if tab_line(lines[n - 1 : n], 1)]
        also = f" (so do lines {', '.join(map(str, others))})" if others else ""
        return (
            f"line {tabbed} starts with a tab{also}: indent with spaces (YAML does not allow tabs)"
        )
    if "mapping values are not allowed" in problem:
        fixed = _colon_in_value(_line(lines, number))
        if fixed is not None:
            key = fixed.split(":", 1)[0].strip().lstrip("- ").strip()
            return f"put the {key} in quotes: {fixed.strip()}"
        return f"line {number} has a second ': ' in it: put the text after the first one in quotes"
    return _other_words(error, lines, problem, context)


def _other_words(
    error: yaml.MarkedYAMLError, lines: tuple[str, ...], problem: str, context: str
) -> str | None:
    """The rarer syntax errors: an unclosed quote or bracket, a missing ':', indentation."""
    start = error.context_mark.line + 1 if error.context_mark else None
    number = error.problem_mark.line + 1 if error.problem_mark else start or 0
    column = error.problem_mark.column if error.problem_mark else 0
    if "quoted scalar" in context and start:
        return f"the quote opened on line {start} is never closed: add the closing quote"
    if "flow sequence" in context or "flow mapping" in context:
        bracket = "]" if "sequence" in context else "}"
        opened = f" opened on line {start}" if start else ""
        return f"the list{opened} is not closed: end it with '{bracket}' on the same line"
    if "could not find expected ':'" in problem and start:
        return (
            f"line {start} is not 'key: value': add the missing ':', or, if it continues the "
            "text above it, put the whole text in quotes on one line"
        )
    if "cannot start any token" in problem or "undefined alias" in problem:
        char = _line(lines, number)[column : column + 1] or "?"
        return f"a value cannot start with {char!r}: put the value in quotes"
    if "another document" in problem:
        return f"line {number} starts a second document ('---'): one provider per file"
    if "expected key" in problem or "block end" in problem:
        text = _line(lines, number)
        if text[:column].count('"') + text[:column].count("'") >= 2:
            return (
                f"line {number} has a quote inside quoted text: put double quotes around "
                'text that contains an apostrophe, and write \\" for a double quote inside'
            )
        return (
            f"line {number} is indented differently from the lines above it: keys at the "
            "same level need the same number of spaces"
        )
    return None


#: Spaces tried for one tab, in order: the project's files indent by two, but a tab typed
#: to line up under a list item's key (``  - number:`` then ``\tlabel:``) stands for four.
TAB_WIDTHS: Final = (2, 4, 8)


def repair_line(
    lines: tuple[str, ...], number: int, *, tab_width: int = TAB_WIDTHS[0]
) -> tuple[str, ...] | None:
    """The lines with the fix :func:`plain_words` names for line ``number`` made, or ``None``.

    Two fixes only, both certain to keep the meaning the writer intended: leading tabs
    become spaces (``tab_width`` per tab), and a value that holds ``: `` goes in double
    quotes.
    """
    tabbed = tab_line(lines, number)
    if tabbed is not None:
        return tuple(_untabbed(text, tab_width) for text in lines)
    fixed = _colon_in_value(_line(lines, number))
    if fixed is None:
        return None
    return (*lines[: number - 1], fixed, *lines[number:])


def tabbed_lines(lines: tuple[str, ...]) -> frozenset[int]:
    """The numbers (1-based) of the lines whose indentation holds a tab."""
    return frozenset(n for n in range(1, len(lines) + 1) if tab_line(lines[n - 1 : n], 1))


def _untabbed(text: str, width: int) -> str:
    body = text.lstrip(" \t")
    indent = text[: len(text) - len(body)]
    return indent.replace("\t", " " * width) + body
