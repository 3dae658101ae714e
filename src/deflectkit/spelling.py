"""The one "did you mean …?": the closest known word to a misspelling.

Every reader that meets an unknown word (a key, a column, an event type, a time zone, a
fact, a contact) asks :func:`closest` and words the hint with :func:`did_you_mean`.
``cutoff`` is difflib's similarity ratio (0 to 1): most callers use the default; long
closed lists with many similar names (time zones) ask for a closer match, short lists of
distinct words (event keys, contact ids) accept a looser one.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from typing import Final

__all__ = ["CUTOFF", "MAX_CHOICES", "closest", "did_you_mean"]

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
    near = closest(word, choices, cutoff=cutoff)
    return f"; did you mean {near!r}?" if near is not None else otherwise
