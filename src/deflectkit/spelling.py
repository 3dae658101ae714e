"""The one "did you mean …?": the closest known word to a misspelling.

Every reader that meets an unknown word (a key, a column, an event type, a time zone, a
fact, a contact) asks :func:`closest` (or a vocabulary's ``suggest``, which reads labels
too and asks :func:`closest` in the end) and words the hint with :func:`hint` (after a
semicolon) or :func:`aside` (in brackets, where the message goes on).
``cutoff`` is difflib's similarity ratio (0 to 1): most callers use the default; long
closed lists with many similar names (time zones) ask for a closer match, short lists of
distinct words (event keys, contact ids) accept a looser one.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from typing import Final

__all__ = ["CUTOFF", "MAX_CHOICES", "aside", "closest", "counted", "did_you_mean", "hint"]

#: The similarity a word needs to be suggested, unless a caller says otherwise.
CUTOFF: Final = 0.7
#: Longest list of choices a suggestion is looked for in. Each choice costs about 30 µs,
#: and the choices may come from a stranger's file (a policy declaring 3,000 facts); the
#: longest real list, the IANA time zones, has about 600.
MAX_CHOICES: Final = 1_000


def closest(word: object, choices: Iterable[str], *, cutoff: float = CUTOFF) -> str | None:
    """The choice closest to ``word``, or ``None``.

    ``None`` also when ``word`` is not a string, or there are more than
    :data:`MAX_CHOICES` choices.

    Example:
        >>> closest("intak", ["intake", "referral"])
        'intake'
        >>> closest("zzz", ["intake"]) is None
        True
    """
    if not isinstance(word, str):
        return None
    listed = list(itertools.islice(choices, MAX_CHOICES + 1))
    if len(listed) > MAX_CHOICES:
        return None  # too many to compare with: no suggestion rather than a slow one
    close = difflib.get_close_matches(word, listed, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(
    word: object, choices: Iterable[str], *, cutoff: float = CUTOFF, otherwise: str = ""
) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, else ``otherwise``.

    Example:
        >>> did_you_mean("typ", ["type", "at"], otherwise="; expected type, at")
        "; did you mean 'type'?"
    """
    return hint(closest(word, choices, cutoff=cutoff), otherwise=otherwise)


def hint(near: str | None, *, otherwise: str = "") -> str:
    """``"; did you mean 'x'?"`` when there is a suggestion ``near``, else ``otherwise``.

    Example:
        >>> hint("intake"), hint(None, otherwise="; expected one of intake, referral")
        ("; did you mean 'intake'?", '; expected one of intake, referral')
    """
    return f"; did you mean {near!r}?" if near is not None else otherwise


def aside(near: str | None) -> str:
    """``" (did you mean 'x'?)"`` when there is a suggestion ``near``, else ``""``.

    Example:
        >>> aside("ge") + "; allowed: ge, gt", aside(None)
        (" (did you mean 'ge'?); allowed: ge, gt", '')
    """
    return f" (did you mean {near!r}?)" if near is not None else ""


def counted(count: int, word: str, many: str | None = None) -> str:
    """``count`` and the noun in the number it takes: ``1 problem``, ``2 problems``.

    Args:
        count: how many.
        word: the noun for one.
        many: the noun for several, when it is not ``word`` + ``s`` (``criteria``).

    Example:
        >>> counted(1, "problem"), counted(2, "problem"), counted(1_000, "criterion", "criteria")
        ('1 problem', '2 problems', '1,000 criteria')
    """
    return f"{count:,} {word if count == 1 else many or word + 's'}"
