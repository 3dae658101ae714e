"""Problems and exceptions: one vocabulary of failure for every part of deflectkit.

Validation never stops at the first mistake. Each check *collects* :class:`Problem` values
(file, line, column, field path, message), and only the edges that must refuse to go on
raise, carrying the whole list: :class:`DataError` for provider data, :class:`PolicyError`
for policies. Every exception subclasses a builtin so callers can catch it the ordinary way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal

import attrs

from deflectkit.hints import allowed_of, suggestion_of, value_of
from deflectkit.spelling import counted

__all__ = [
    "MAX_MESSAGE_CHARS",
    "MAX_PROBLEMS_PER_FILE",
    "ConsentError",
    "DataError",
    "DeflectkitError",
    "EventLogError",
    "PolicyError",
    "PolicyNotInEffect",
    "Problem",
    "Severity",
    "cap_per_file",
    "caret_snippet",
    "printable",
    "shorten",
    "sort_problems",
]

Severity = Literal["error", "warning"]

#: Longest message or field a :class:`Problem` keeps: a value a stranger wrote may be
#: megabytes long, and a message repeats it at most in part (saying how long it was).
MAX_MESSAGE_CHARS: Final = 1_000
#: Widest source line quoted under a problem: the part around the caret is shown.
_SNIPPET_WIDTH: Final = 120
# C0 and C1 control characters, DEL, and the Unicode format characters that reorder or hide
# text (bidirectional overrides and isolates, zero-width joiners): printed raw they clear a
# terminal (ESC [2J), start a CI annotation on a new line (LF ::error), or make a file name
# read differently from what it is (https://trojansource.codes).
_UNPRINTABLE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2069\ufeff]"
)
_NAMED_ESCAPES: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    r"""``text`` with every control or invisible formatting character written as an escape.

    Every human-readable message goes through this before it reaches a terminal or a CI
    log, so a file name or YAML key cannot move the cursor, clear the screen or forge a
    line of its own.

    Example:
        >>> printable("x\x1b[2J.yaml\n::error ::forged")
        'x\\x1b[2J.yaml\\n::error ::forged'
    """
    return _UNPRINTABLE.sub(_escape, text)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to about ``limit`` characters, saying how long it was when cut.

    Example:
        >>> shorten("x" * 100_000, 10)
        'xxxxxxxxxx… (100,000 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def caret_snippet(line: str, column: int) -> str:
    """A source line with a caret under ``column`` (1-based), as compilers show it.

    A long line is shown only around the column (a minified file may be one line of a
    megabyte), marked with ``…`` where it was cut.
    """
    text = line.rstrip("\r\n")
    start = max(0, min(column - 1 - _SNIPPET_WIDTH // 2, len(text) - _SNIPPET_WIDTH))
    window = text[start : start + _SNIPPET_WIDTH]
    prefix = "…" if start else ""
    suffix = "…" if start + _SNIPPET_WIDTH < len(text) else ""
    # Escapes widen the text before the caret: measure the escaped prefix.
    before = printable(window[: max(0, column - 1 - start)])
    return f"  {prefix}{printable(window)}{suffix}\n  {' ' * (len(prefix) + len(before))}^"


def _cut_message(text: str) -> str:
    return shorten(text, MAX_MESSAGE_CHARS)


def _cut_snippet(text: str | None) -> str | None:
    if text is None:
        return None
    return "\n".join(shorten(line, _SNIPPET_WIDTH + 40) for line in text.split("\n")[:4])


@attrs.frozen
class Problem:
    """One thing wrong (or worth a look) in one file, at one place.

    Attributes:
        path: the file, as the user named it.
        line: 1-based line, or ``None`` when the problem concerns the whole file.
        column: 1-based column, or ``None``.
        field: dotted path inside the document, such as ``intake.call_ahead`` or
            ``phones[1].number``; empty for the document itself.
        message: what is wrong and, where we can tell, what to write instead.
        severity: ``"error"`` fails validation; ``"warning"`` never does.
        snippet: the offending source line with a caret under the column, when known.
        allowed: the words allowed at that place, when they are a closed list (for a UI).
        suggestion: the value to write instead, when one can be told (for a UI's "fix").
        value: the offending value as written, for data from files only (never person data).

    The last three default to what the message carries (see :func:`deflectkit.hints.hinted`).

    Example:
        >>> p = Problem("data/providers/x.yaml", 3, 1, "servics", "unknown key")
        >>> p.format()
        'data/providers/x.yaml:3:1: error: servics: unknown key'
    """

    path: str
    line: int | None
    column: int | None
    field: str = attrs.field(converter=_cut_message)
    message: str = attrs.field(converter=_cut_message)
    severity: Severity = "error"
    snippet: str | None = attrs.field(
        default=None, eq=False, repr=False, converter=_cut_snippet
    )
    allowed: tuple[str, ...] = attrs.field(
        default=attrs.Factory(allowed_of, takes_self=True), eq=False, repr=False
    )
    suggestion: str | None = attrs.field(
        default=attrs.Factory(suggestion_of, takes_self=True), eq=False, repr=False
    )
    value: str | None = attrs.field(
        default=attrs.Factory(value_of, takes_self=True), eq=False, repr=False
    )

    @property
    def is_error(self) -> bool:
        """True for problems that fail validation."""
        return self.severity == "error"

    def format(self, *, with_snippet: bool = False) -> str:
        """Render as ``path:line:col: severity: field: message`` (the compiler convention).

        Editors and CI annotators recognise this shape and jump to the spot. Control
        characters in the path, field and message are escaped (see :func:`printable`), so
        the text is always exactly one line, plus the snippet when asked for.
        """
        where = printable(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: {self.severity}: {printable(what)}"
        if with_snippet and self.snippet:
            text += "\n" + "\n".join(printable(line) for line in self.snippet.split("\n"))
        return text

    def __str__(self) -> str:
        return self.format()


#: Most problems listed for one file. A real file has a handful; a hostile one made of
#: 30,000 unknown keys printed 14 MB.
MAX_PROBLEMS_PER_FILE: Final = 100


def cap_per_file(problems: Iterable[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """At most ``limit`` problems per file, plus one saying more were left out.

    Example:
        >>> many = [Problem("x.yaml", n, 1, "", "unknown key") for n in range(1, 300)]
        >>> capped = cap_per_file(many)
        >>> len(capped), capped[-1].message
        (101, 'more than 100 problems in this file: only the first 100 are listed')
    """
    kept: list[Problem] = []
    counts: dict[str, int] = {}
    for problem in problems:
        seen = counts.get(problem.path, 0)
        counts[problem.path] = seen + 1
        if seen < limit:
            kept.append(problem)
        elif seen == limit:
            message = f"more than {limit} problems in this file: only the first {limit} are listed"
            kept.append(Problem(problem.path, None, None, "", message))
    return kept


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Order problems as a reader scans them: by file, then line, then column."""
    return sorted(problems, key=lambda p: (p.path, p.line or 0, p.column or 0, p.field))


class DeflectkitError(Exception):
    """Base class of every exception deflectkit raises on purpose.

    Example:
        >>> import deflectkit as dk
        >>> issubclass(dk.PolicyError, dk.DeflectkitError)
        True

    .. versionadded:: 0.1
    """


class _ProblemsError(DeflectkitError):
    """An error that carries every :class:`Problem` found, not just the first."""

    def __init__(self, problems: Iterable[Problem], summary: str = "") -> None:
        self.problems: tuple[Problem, ...] = tuple(sort_problems(problems))
        errors = [p for p in self.problems if p.is_error]
        # A summary may quote a stranger's value, like a message: cut it the same way.
        head = (printable(_cut_message(summary)) if summary
                else f"{counted(len(errors), 'problem')} found")
        body = "\n".join(p.format(with_snippet=True) for p in cap_per_file(errors))
        super().__init__(f"{head}\n{body}" if body else head)


class DataError(_ProblemsError, ValueError):
    """Provider or other data files are invalid; ``.problems`` lists every one.

    Example:
        >>> error = DataError([Problem("data/providers/x.yaml", 3, 7, "hours", "unknown day")])
        >>> [(p.path, p.line, p.field) for p in error.problems]
        [('data/providers/x.yaml', 3, 'hours')]

    .. versionadded:: 0.1
    """


class PolicyError(_ProblemsError, ValueError):
    """A policy (or a policy test file, or facts given to a policy) is invalid.

    ``.problems`` lists every defect with file, line and the path inside the policy.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> try:
        ...     dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00", "age": "thirty"})
        ... except dk.PolicyError as error:
        ...     print(error.problems[0].field, "-", error.problems[0].message)
        age - age must be a whole number; got text

    .. versionadded:: 0.1
    """


class PolicyNotInEffect(PolicyError, LookupError):  # noqa: N818 - the name says what it means
    """The policy, or a parameter it needs, has no version in force on the date asked.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> try:
        ...     dk.assess(policy, {"contact_at": "2023-06-01T10:00:00-07:00"})
        ... except dk.PolicyNotInEffect as error:
        ...     print(error.problems[0].field)
        effective

    .. versionadded:: 0.1
    """


class EventLogError(_ProblemsError, ValueError):
    """An event log (CSV or JSON Lines) is invalid or not de-identified.

    Example:
        >>> error = EventLogError([Problem("events.csv", 2, 1, "name", "looks like person data")])
        >>> error.problems[0].line
        2

    .. versionadded:: 0.1
    """


class ConsentError(DeflectkitError, PermissionError):
    """Person data would pass without the person's permission or consent.

    Raised when the police would share contact details without a recorded
    ``ContactPermission`` covering the provider, or the program would accept treatment
    information from a provider without a 42 CFR Part 2 ``Consent`` covering it.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.referral import Person, Referral, share_with_provider
        >>> at = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
        >>> referral = Referral(id="ref-1", pathway="self_referral", referred_at=at,
        ...     provider_id="example-crisis", charge_disposition="no_charge",
        ...     person=Person("Pat Example"))
        >>> try:
        ...     share_with_provider(referral, "example-crisis", at=at)
        ... except ConsentError as error:
        ...     print(str(error).split(": ", 1)[1])
        the person's permission to pass their contact details on is not recorded (ContactPermission)

    .. versionadded:: 0.1
    """
