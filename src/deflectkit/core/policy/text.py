"""Text to typed fact values: one reader per fact type, shared by every text source.

Two sources hand the library facts as text: a records system's form
(:func:`deflectkit.parse_facts`) and a de-identified encounter file
(:mod:`deflectkit.files.encounters`). They spell values differently (a form ticks a checkbox
``on``; a CSV cell writes ``true``), so each describes its spelling once as a
:class:`TextSpelling` (``forms.FORM_FIELDS``, ``files.encounters.CELLS``); the reading
itself, fact type by fact type, is :func:`read_text` alone.

A value that does not read comes back as a :class:`Refusal`: a reason code and what the
message needs, never a sentence. Each source words its own messages; neither quotes the
text (facts describe a person, and a form's field may hold a name typed in the wrong box).

Example:
    >>> import re
    >>> from deflectkit.core.policy.model import FactSpec
    >>> plain = TextSpelling(booleans={"true": True, "false": False},
    ...     integer=re.compile("-?[0-9]+"), number=re.compile("-?[0-9.]+"),
    ...     list_separator=re.compile(","))
    >>> age = FactSpec("age", "int", min=0)
    >>> read_text(age, "34", plain)
    (34, None)
    >>> read_text(age, "-3", plain)[1]
    Refusal(code='below_min', word=None, minimum=0, zone=None)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal
from zoneinfo import ZoneInfo

import attrs

from deflectkit.core.policy.model import FactSpec

__all__ = [
    "Refusal", "RefusalCode", "TextSpelling", "check_words", "read_text",
]

#: Why a text is not a value of its fact.
RefusalCode = Literal[
    "bool",  # not one of the true or false words
    "int", "float",  # not a number as this source writes one
    "below_min",  # a number below the fact's declared minimum
    "date", "real_date",  # not shaped like a date; shaped like one but not on the calendar
    "datetime", "real_datetime",
    "no_offset",  # a time without a UTC offset, and no zone to read it in
    "clock_gap", "clock_repeat",  # a local time the clock change skipped or repeated
    "word",  # a word the fact does not list (``word`` holds it)
    "list_size",  # more words than ``TextSpelling.max_words``
    "too_long",  # a text longer than ``TextSpelling.max_text``
]


@attrs.frozen
class Refusal:
    """Why a text is not a value of its fact: a code, and what a message needs.

    Attributes:
        code: the reason.
        word: for ``word``, the word not listed.
        minimum: for ``below_min``, the fact's minimum.
        zone: for ``clock_gap`` and ``clock_repeat``, the zone's name.
    """

    code: RefusalCode
    word: str | None = attrs.field(default=None, kw_only=True)
    minimum: float | None = attrs.field(default=None, kw_only=True)
    zone: str | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class TextSpelling:
    """How one source writes fact values as text.

    Attributes:
        booleans: each word for true or false, lower case when ``fold_case``.
        fold_case: compare bool words without case.
        strip: ignore spaces around a value (and around each word of a list).
        integer: the whole-number syntax (a full match).
        number: the ``float`` syntax.
        date: the date syntax, else whatever :meth:`datetime.date.fromisoformat` reads.
        datetime: the date-and-time syntax, likewise.
        list_separator: what splits a list's words.
        empty_list: the text for a list of no words (``None``: no such text).
        max_words: the most words in one list.
        max_text: the longest ``str`` value.
        check_values: refuse a number below the minimum and a word the fact does not list
            here; ``False`` leaves both to the fact checks that follow.
    """

    booleans: Mapping[str, bool]
    integer: re.Pattern[str]
    number: re.Pattern[str]
    list_separator: re.Pattern[str]
    fold_case: bool = False
    strip: bool = False
    date: re.Pattern[str] | None = None
    datetime: re.Pattern[str] | None = None
    empty_list: str | None = None
    max_words: int | None = None
    max_text: int | None = None
    check_values: bool = True


_Read = tuple[Any, Refusal | None]


def check_words(spec: FactSpec, words: Sequence[str], max_words: int | None) -> Refusal | None:
    """Why ``words`` are not a list of ``spec``'s words, or ``None`` when they are."""
    if max_words is not None and len(words) > max_words:
        return Refusal("list_size")
    return next((Refusal("word", word=w) for w in words if w not in spec.values), None)


def _bool(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    value = how.booleans.get(text.lower() if how.fold_case else text)
    return (value, None) if value is not None else (None, Refusal("bool"))


def _number(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    integer = spec.type == "int"
    if not (how.integer if integer else how.number).fullmatch(text):
        return None, Refusal("int" if integer else "float")
    value = int(text) if integer else float(text)
    if how.check_values and spec.min is not None and value < spec.min:
        return None, Refusal("below_min", minimum=spec.min)
    return value, None


def _date(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    if how.date is not None and not how.date.fullmatch(text):
        return None, Refusal("date")
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, Refusal("real_date" if how.date is not None else "date")


def _datetime(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    if how.datetime is not None and not how.datetime.fullmatch(text):
        return None, Refusal("datetime")
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None, Refusal("real_datetime" if how.datetime is not None else "datetime")
    if moment.utcoffset() is not None:
        return moment, None
    return _local(moment, zone)


def _local(moment: dt.datetime, zone: ZoneInfo | None) -> _Read:
    """Attach the source's zone to a local time, refusing a time the clock change blurs."""
    if zone is None:
        return None, Refusal("no_offset")
    first, second = moment.replace(tzinfo=zone, fold=0), moment.replace(tzinfo=zone, fold=1)
    # In the gap a clock change leaves, the local time does not survive a trip through UTC;
    # in the hour repeated when clocks go back, the two folds have different offsets.
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment:
        return None, Refusal("clock_gap", zone=zone.key)
    if first.utcoffset() != second.utcoffset():
        return None, Refusal("clock_repeat", zone=zone.key)
    return first, None


def _word(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    if how.check_values and text not in spec.values:
        return None, Refusal("word", word=text)
    return text, None


def _words(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    if how.empty_list is not None and text == how.empty_list:
        return (), None
    words = how.list_separator.split(text)
    if how.strip:
        words = [w.strip() for w in words if w.strip()]
    refusal = check_words(spec, words, how.max_words) if how.check_values else None
    return (None, refusal) if refusal else (tuple(words), None)


def _text(spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None) -> _Read:
    if how.max_text is not None and len(text) > how.max_text:
        return None, Refusal("too_long")
    return text, None


_READERS: Final[dict[str, Callable[[FactSpec, str, TextSpelling, ZoneInfo | None], _Read]]] = {
    "bool": _bool, "int": _number, "float": _number, "date": _date, "datetime": _datetime,
    "enum": _word, "list": _words, "str": _text,
}


def read_text(
    spec: FactSpec, text: str, how: TextSpelling, zone: ZoneInfo | None = None
) -> tuple[Any, Refusal | None]:
    """``text`` as a value of ``spec``'s type, spelled as ``how`` says, or why it is not one.

    Args:
        spec: the fact's declaration.
        text: the value as written (a whole ``str`` fact keeps its spaces).
        how: the source's spelling.
        zone: the zone of a date and time written without an offset (``None``: refused).
    """
    if how.strip and spec.type != "str":
        text = text.strip()
    return _READERS[spec.type](spec, text, how, zone)
