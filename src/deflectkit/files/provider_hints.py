"""The exact fix for the mistakes volunteers make most in provider files.

The field checks in :mod:`deflectkit.files.provider_fields` call these helpers to turn "this
is wrong" into "write this instead": a date written the US way, a word put under the wrong
list (``buprenorphine`` under ``services``), every bad ``hours`` entry at its own key.

Example:
    >>> misplaced_word("buprenorphine", "services")
    "'buprenorphine' is a medication: it goes under medications, not services"
    >>> date_message("03/15/2026")
    "cannot read the date '03/15/2026': write 2026-03-15 (year-month-day)"
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from deflectkit.core.hours import HoursError
from deflectkit.core.hours_fixes import date_fix
from deflectkit.files.yamlio import FieldPath
from deflectkit.hints import hinted
from deflectkit.vocabulary import PROVIDER_LIST_FIELDS, Vocabulary

__all__ = ["date_message", "hours_item", "label_match", "misplaced_word"]

#: Words that are yes/no keys of a provider file, not list words, and the line to write.
_FLAG_WORDS: Final[Mapping[str, str]] = {
    "otp": "otp: true on its own line",
    "opioid_treatment_program": "otp: true on its own line",
    "mental_health": "mental_health: true on its own line",
    "walk_in": "walk_in: true under intake",
    "walk_ins": "walk_in: true under intake",
    "dropoff": "first_responder_dropoff: true under intake",
    "first_responder_dropoff": "first_responder_dropoff: true under intake",
    "police_dropoff": "first_responder_dropoff: true under intake",
}


def _normal(word: str) -> str:
    return word.strip().lower().replace(" ", "_").replace("-", "_")


def misplaced_word(word: str, field: str) -> str | None:
    """Say where ``word`` belongs when it is a word of another provider field, else ``None``.

    Args:
        word: the word as written under ``field``.
        field: the provider list field it was written under (``services``).

    Example:
        >>> misplaced_word("otp", "services")
        "'otp' is not a service: write otp: true on its own line"
    """
    wanted = _normal(word)
    own = PROVIDER_LIST_FIELDS.get(field)
    noun = own.item if own is not None else "word"
    for other, vocabulary in PROVIDER_LIST_FIELDS.items():
        if other == field:
            continue
        labels = {term.label.lower(): term.word for term in vocabulary}
        found = wanted if wanted in vocabulary else labels.get(word.strip().lower())
        if found is not None:
            shown = repr(found) if found == word else f"{word!r} ({found!r})"
            message = f"{shown} is a {vocabulary.item}: it goes under {other}, not {field}"
            return hinted(message, allowed=own.words if own else (), value=word)
    flag = _FLAG_WORDS.get(wanted)
    if flag is not None:
        return hinted(f"{word!r} is not a {noun}: write {flag}", value=word)
    return None


def label_match(word: str, vocabulary: Vocabulary) -> str | None:
    """The word whose label names ``word`` in brackets: ``detox`` → ``withdrawal_management``.

    Labels such as "Withdrawal management (detox)" carry the everyday name people write.

    Example:
        >>> from deflectkit.vocabulary import SERVICES
        >>> label_match("detox", SERVICES), label_match("Sober-living", SERVICES)
        ('withdrawal_management', 'recovery_housing')
    """
    wanted = " ".join(word.lower().replace("_", " ").replace("-", " ").split())
    for term in vocabulary:
        for inside in re.findall(r"\(([^)]*)\)", term.label):
            if inside.lower() == wanted:
                return term.word
    return None


def date_message(value: object) -> str | None:
    """The exact fix for a date written another way (``03/15/2026``), else ``None``."""
    if not isinstance(value, str):
        return None
    fixed = date_fix(value)
    if fixed is None:
        return None
    message = f"cannot read the date {value!r}: write {fixed} (year-month-day)"
    return hinted(message, suggestion=fixed, value=value)


def hours_item(error: HoursError) -> tuple[FieldPath, str]:
    """One hours mistake as ``(path below hours, message)``, for a field check's verdict."""
    path: list[str | int] = []
    if error.key is not None:
        path.append(error.key)
        if error.index is not None:
            path.append(error.index)
    return tuple(path), hinted(str(error), suggestion=error.suggestion, value=error.value)
