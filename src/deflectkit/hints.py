"""Messages that carry, beside their prose, what a program can show: allowed words, a fix.

A :class:`~deflectkit.errors.Problem` message is written for a person ("unknown service
'detx'; did you mean 'withdrawal_management'?"). A form or an editor wants the parts: the
words allowed, the suggestion to offer as a button, the value that was wrong. Checks build
their message with :func:`hinted`, which is still plain text everywhere a string goes, and
:class:`~deflectkit.errors.Problem` copies the parts into its ``allowed``, ``suggestion``
and ``value`` fields. Only data from files (provider and policy YAML) is carried as a
``value``; facts about a person never are.

Example:
    >>> message = hinted("unknown day 'funday'", allowed=("mon", "tue"), value="funday")
    >>> message, message.allowed, message.suggestion
    ("unknown day 'funday'", ('mon', 'tue'), None)
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["HintedText", "allowed_of", "hinted", "suggestion_of", "value_of"]


class HintedText(str):
    """Text that also carries the parts of its hint (see :func:`hinted`).

    Attributes:
        allowed: the words or values allowed at that place, when it is a closed list.
        suggestion: the value to write instead (a "did you mean", or the exact fix).
        value: the offending value as written (file data only, never person data).
    """

    allowed: tuple[str, ...]
    suggestion: str | None
    value: str | None

    def __new__(
        cls,
        text: str,
        *,
        allowed: Iterable[str] = (),
        suggestion: str | None = None,
        value: str | None = None,
    ) -> HintedText:
        """Build the text with its parts."""
        self = super().__new__(cls, text)
        self.allowed, self.suggestion, self.value = tuple(allowed), suggestion, value
        return self


def hinted(
    text: str,
    *,
    allowed: Iterable[str] = (),
    suggestion: str | None = None,
    value: object = None,
) -> str:
    """``text``, carrying the allowed words, the suggested fix and the offending value."""
    shown = None if value is None else str(value)
    return HintedText(text, allowed=allowed, suggestion=suggestion, value=shown)


def allowed_of(problem: object) -> tuple[str, ...]:
    """The words allowed, from a problem's hinted message (``()`` when it has none)."""
    message = getattr(problem, "message", None)
    return message.allowed if isinstance(message, HintedText) else ()


def suggestion_of(problem: object) -> str | None:
    """The suggested fix, from a problem's hinted message."""
    message = getattr(problem, "message", None)
    return message.suggestion if isinstance(message, HintedText) else None


def value_of(problem: object) -> str | None:
    """The offending value, from a problem's hinted message."""
    message = getattr(problem, "message", None)
    return message.value if isinstance(message, HintedText) else None
