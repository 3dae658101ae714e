"""Opening hours: the shorthand contributors write, parsed into a weekly timetable.

The shorthand (docs/design/formats.md#provider-files)::

    hours: 24/7
    hours: {mon-fri: "08:00-17:00", sat: "09:00-12:00"}
    hours: {mon-thu: ["08:00-12:00", "13:00-17:00"], fri: "20:00-08:00", sun: closed}

A span ``"20:00-08:00"`` ends before it starts, so it runs overnight into the next day.
``"00:00-24:00"`` is the whole day; ``"18:00-24:00"`` closes at midnight. Days not named are
closed. Day keys are read in any case (``Mon-Fri``), and each day may appear in one key only:
to change one day inside ``mon-fri``, split the range (``mon-thu`` and ``fri``).

Holidays and other one-off closures go in a ``closed`` list of ISO dates on the same mapping::

    hours: {mon-fri: "08:00-17:00", closed: [2026-12-25, 2027-01-01]}

On a closed date the provider is closed for the whole local calendar day, including the
part of an overnight span that runs past midnight into it. (Open Referral HSDS 3.0 has no
holiday table; its ``schedule`` writes dates the same way, ``YYYY-MM-DD``, in
``valid_from`` and ``valid_to``.)

Every mistake in a value is reported at once (:attr:`HoursError.errors`), and a message
quotes the exact fix where one can be told: ``08:00-18:00`` for ``8am-6pm``, ``mon-thu``
when Friday is also given on its own (see :mod:`deflectkit.core.hours_fixes`).

Times are *local wall-clock* times in the provider's IANA zone; turning them into instants
(open now? next opening?) is :mod:`deflectkit.core.availability`'s job.

Example:
    >>> h = parse_hours({"mon-fri": "08:00-17:00", "sat": "20:00-02:00"})
    >>> h.is_open_local(0, 9 * 60), h.is_open_local(6, 60), h.is_open_local(6, 3 * 60)
    (True, True, False)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, Final

import attrs

from deflectkit.core.hours_fixes import (
    date_fix,
    day_key_fix,
    days_key,
    mapping_fix,
    span_fix,
    span_with_days,
)
from deflectkit.vocabulary import DAYS

__all__ = ["CLOSED_KEY", "MINUTES_PER_DAY", "HoursError", "Span", "WeeklyHours", "parse_hours"]

MINUTES_PER_DAY: Final = 24 * 60
_ALWAYS_WORDS: Final = frozenset({"24/7", "24x7", "always"})
_CLOSED_WORDS: Final = frozenset({"closed", "none"})
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DAY_WORDS: Final = DAYS.words
#: The key of the list of dates on which the provider is closed all day (holidays).
CLOSED_KEY: Final = "closed"

#: A span of minutes after local midnight, ``start < end <= 1440``, on one weekday.
Span = tuple[int, int]


class HoursError(ValueError):
    """The hours shorthand cannot be read.

    Attributes:
        key: the day key (``"mon-fri"``) or ``None`` for the value as a whole.
        index: the position in a list of spans, if the bad span was in a list.
        errors: every mistake found in the value, this one first; :func:`parse_hours`
            checks every entry before it raises, so one run reports them all.
        suggestion: what to write instead (``"08:00-18:00"``), when it can be told.
        value: the text that could not be read.
    """

    def __init__(
        self,
        message: str,
        key: str | None = None,
        index: int | None = None,
        *,
        suggestion: str | None = None,
        value: str | None = None,
    ) -> None:
        super().__init__(message)
        self.key = key
        self.index = index
        self.suggestion = suggestion
        self.value = value
        self.errors: tuple[HoursError, ...] = (self,)


@attrs.frozen
class WeeklyHours:
    """Open spans for each weekday (0 = Monday), overnight spans already split at midnight.

    Attributes:
        days: seven tuples of ``(start_minute, end_minute)`` spans, sorted and merged.
        always: true for ``24/7`` (never when some dates are closed).
        source: the shorthand as written, kept for round trips and display.
        closed_dates: local dates on which the provider is closed all day (holidays).
    """

    days: tuple[tuple[Span, ...], ...]
    always: bool = False
    source: str | Mapping[str, Any] | None = attrs.field(default=None, eq=False, repr=False)
    closed_dates: frozenset[dt.date] = frozenset()

    @classmethod
    def around_the_clock(cls) -> WeeklyHours:
        """Hours for a provider open 24 hours a day, 7 days a week."""
        return cls(tuple(((0, MINUTES_PER_DAY),) for _ in range(7)), always=True, source="24/7")

    def is_open_local(self, weekday: int, minute: int) -> bool:
        """Whether the provider is open at ``minute`` after local midnight on ``weekday``."""
        if self.always:
            return True
        return any(start <= minute < end for start, end in self.days[weekday])

    def is_closed_on(self, day: dt.date) -> bool:
        """Whether ``day`` (a local date) is one of the :attr:`closed_dates`."""
        return day in self.closed_dates

    @property
    def is_never_open(self) -> bool:
        """True when no day has any span (every day closed)."""
        return not any(self.days)

    def shorthand(self) -> str | dict[str, Any]:
        """The hours written back as shorthand, for YAML and JSON output."""
        if self.always:
            return "24/7"
        if isinstance(self.source, str | Mapping):
            return self.source if isinstance(self.source, str) else dict(self.source)
        return {
            DAYS.words[d]: [f"{_clock(s)}-{_clock(e)}" for s, e in spans]
            for d, spans in enumerate(self.days)
            if spans
        }


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _day_keys(key: str) -> list[int]:
    """Expand ``mon-fri``, ``sat``, ``mon,wed,fri`` or ``daily`` into weekday numbers."""
    text = key.strip().lower()
    if text in {"daily", "every_day", "mon-sun"}:
        return list(range(7))
    days: list[int] = []
    for raw_part in text.split(","):
        part = raw_part.strip()
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in _DAY_WORDS or last not in _DAY_WORDS:
                raise _bad_day(part, key)
            a, b = _DAY_WORDS.index(first), _DAY_WORDS.index(last)
            # A range may wrap the week end: "fri-mon" is Friday to Monday.
            days.extend((a + i) % 7 for i in range((b - a) % 7 + 1))
        elif part in _DAY_WORDS:
            days.append(_DAY_WORDS.index(part))
        else:
            raise _bad_day(part, key)
    return days


def _bad_day(word: str, key: str) -> HoursError:
    fixed = day_key_fix(key)
    if fixed is not None:
        message = f"unknown day {word!r}: write {fixed!r} instead of {key!r}"
    else:
        message = (
            f"unknown day {word!r}: use mon, tue, wed, thu, fri, sat, sun, a range such as "
            "'mon-fri', or 'daily'"
        )
    return HoursError(message, key, suggestion=fixed, value=key)


def _parse_span(text: object, key: str, index: int | None) -> tuple[int, int]:
    if not isinstance(text, str):
        raise HoursError(f"expected a time span such as '08:00-17:00', got {text!r}", key, index)
    match = _SPAN.match(text)
    if not match:
        fixed = span_fix(text)
        with_days = None if fixed is not None else span_with_days(text)
        if fixed is not None:
            message = f"cannot read {text!r}: write {fixed!r} (24-hour clock, HH:MM-HH:MM)"
        elif with_days is not None:  # "mon-fri: 9-5 M-F": the days belong in the key
            message, fixed = _days_in_span(text, key, *with_days)
        else:
            message = f"cannot read {text!r}: write a span as HH:MM-HH:MM, such as '08:00-17:00'"
        raise HoursError(message, key, index, suggestion=fixed, value=text)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    for hour, minute in ((h1, m1), (h2, m2)):
        if hour > 24 or minute > 59 or (hour == 24 and minute != 0):
            raise HoursError(f"{text!r} is not a time of day (00:00 to 24:00)", key, index)
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if start == end:
        raise HoursError(f"{text!r} opens and closes at the same minute", key, index)
    if start == MINUTES_PER_DAY:
        raise HoursError(f"{text!r} cannot start at 24:00; write 00:00", key, index)
    return start, end


def _days_in_span(text: str, key: str, days: str, span: str) -> tuple[str, str]:
    """The message and fix for a span that also names its days (``mon-fri: 9-5 M-F``)."""
    if days in (key.strip().lower(), day_key_fix(key)):
        return f"cannot read {text!r}: write {span!r} (the days are already before the colon)", span
    fixed = f"{days}: '{span}'"
    return f"cannot read {text!r}: the days go before the colon; write {fixed}", fixed


def _twice(day: int, earlier: tuple[str, list[int]], later: tuple[str, list[int]]) -> HoursError:
    """The message for a day under two keys, with the range that should lose it."""
    (first_key, first_days), (second_key, second_days) = earlier, later
    message = f"{DAYS.label(_DAY_WORDS[day])} is given twice (in {first_key!r} and {second_key!r})"
    # Trim the longer key (usually the range): "mon-fri" and "fri" → "mon-thu".
    wide_key, wide, narrow = (
        (first_key, first_days, second_days)
        if len(first_days) >= len(second_days)
        else (second_key, second_days, first_days)
    )
    kept = [d for d in wide if d not in narrow]
    if not kept:
        return HoursError(f"{message}: remove one of them", second_key)
    fixed = days_key(kept)
    message += f": change {wide_key!r} to {fixed!r} so each day appears once"
    return HoursError(message, second_key, suggestion=fixed, value=wide_key)


def _closed_dates(value: object) -> frozenset[dt.date]:
    """The ``closed`` list: dates written ``YYYY-MM-DD``; every bad one is reported."""
    if not isinstance(value, list):
        value = [value]
    dates: set[dt.date] = set()
    errors: list[HoursError] = []
    for index, item in enumerate(value):
        if isinstance(item, dt.date) and not isinstance(item, dt.datetime):
            dates.add(item)
            continue
        text = str(item).strip()
        try:
            dates.add(dt.date.fromisoformat(text))
            continue
        except ValueError:
            fixed = date_fix(text)
        hint = f"write {fixed!r}" if fixed else "write a date such as '2026-12-25'"
        message = f"cannot read the date {text!r}: {hint}"
        errors.append(HoursError(message, CLOSED_KEY, index, suggestion=fixed, value=text))
    if errors:
        raise _all_of(errors)
    return frozenset(dates)


def _all_of(errors: list[HoursError]) -> HoursError:
    """The first error, carrying every one of them."""
    errors[0].errors = tuple(e for error in errors for e in error.errors)
    return errors[0]


def parse_hours(value: object) -> WeeklyHours:
    """Parse the hours shorthand; raise :class:`HoursError` saying what is wrong and where.

    Every day key and every span is checked before raising; the error's ``errors`` lists
    them all.

    Example:
        >>> parse_hours("24/7").always
        True
        >>> try:
        ...     parse_hours({"mon-fri": "8am-6pm", "fri": "closed"})
        ... except HoursError as error:
        ...     print([e.key for e in error.errors], error)
        ['mon-fri', 'fri'] cannot read '8am-6pm': write '08:00-18:00' (24-hour clock, HH:MM-HH:MM)
    """
    if isinstance(value, str):
        if value.strip().lower() in _ALWAYS_WORDS:
            return WeeklyHours.around_the_clock()
        fixed = mapping_fix(value)
        if fixed is not None:
            message = f"cannot read hours {value!r}: write the days and times as {fixed}"
        else:
            message = (
                f"cannot read hours {value!r}: write '24/7' or a mapping of days to spans, "
                "such as {mon-fri: '08:00-17:00'}"
            )
        raise HoursError(message, suggestion=fixed, value=value)
    if not isinstance(value, Mapping):
        raise HoursError(f"hours must be '24/7' or a mapping of days to spans, got {value!r}")
    spans: list[list[Span]] = [[] for _ in range(7)]
    seen: dict[int, tuple[str, list[int]]] = {}
    errors: list[HoursError] = []
    closed: frozenset[dt.date] = frozenset()
    source = dict(value)
    for raw_key, raw_spans in value.items():
        key = str(raw_key)
        try:
            if key.strip().lower() == CLOSED_KEY:
                closed = _closed_dates(raw_spans)
                source[raw_key] = sorted(d.isoformat() for d in closed)
                continue
            days = _day_keys(key)
        except HoursError as exc:
            errors.append(exc)
            continue
        for day in days:
            if day in seen:
                errors.append(_twice(day, seen[day], (key, days)))
                break  # one message per pair of keys is enough
        for day in days:
            seen.setdefault(day, (key, days))
        errors.extend(_add_spans(spans, days, key, raw_spans))
    if errors:
        raise _all_of(errors)
    merged = tuple(_merge(day_spans) for day_spans in spans)
    always = not closed and all(day == ((0, MINUTES_PER_DAY),) for day in merged)
    return WeeklyHours(merged, always=always, source=source, closed_dates=closed)


def _add_spans(spans: list[list[Span]], days: list[int], key: str, raw: object) -> list[HoursError]:
    """Add the spans written under ``key`` to ``spans``; return every bad one."""
    if isinstance(raw, str) and raw.strip().lower() in _CLOSED_WORDS:
        return []
    whole_day = isinstance(raw, str) and raw.strip().lower() in {"24h", "open_24h"}
    items = ["00:00-24:00"] if whole_day else raw
    items = items if isinstance(items, list) else [items]
    errors: list[HoursError] = []
    for index, item in enumerate(items):
        where = index if isinstance(raw, list) else None
        try:
            start, end = _parse_span(item, key, where)
        except HoursError as exc:
            errors.append(exc)
            continue
        for day in days:
            if end > start:
                spans[day].append((start, end))
            else:  # overnight: split at midnight into tonight and tomorrow morning
                spans[day].append((start, MINUTES_PER_DAY))
                if end > 0:
                    spans[(day + 1) % 7].append((0, end))
    return errors


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """Sort spans and join those that touch or overlap."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
