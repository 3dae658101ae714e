"""Problems and exceptions: one vocabulary of failure for every part of deflectkit.

Validation never stops at the first mistake. Each check *collects* :class:`Problem` values
(file, line, column, field path, message), and only the edges that must refuse to go on
raise, carrying the whole list: :class:`DataError` for provider data, :class:`PolicyError`
for policies. Every exception subclasses a builtin so callers can catch it the ordinary way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from deflectkit.hints import allowed_of, suggestion_of, value_of

__all__ = [
    "ConsentError",
    "DataError",
    "DeflectkitError",
    "EventLogError",
    "PolicyError",
    "PolicyNotInEffect",
    "Problem",
    "Severity",
    "sort_problems",
]

Severity = Literal["error", "warning"]


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
    field: str
    message: str
    severity: Severity = "error"
    snippet: str | None = attrs.field(default=None, eq=False, repr=False)
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

        Editors and CI annotators recognise this shape and jump to the spot.
        """
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: {self.severity}: {what}"
        if with_snippet and self.snippet:
            text += "\n" + self.snippet
        return text

    def __str__(self) -> str:
        return self.format()


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
        head = summary or f"{len(errors)} problem(s) found"
        body = "\n".join(p.format(with_snippet=True) for p in errors)
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
        age - expected an int for age, got str 'thirty'

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
