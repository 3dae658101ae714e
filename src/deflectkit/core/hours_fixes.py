"""The exact fix for hours people write the way they say them: ``8am-6pm`` → ``08:00-18:00``.

:func:`deflectkit.core.hours.parse_hours` reads one strict shorthand (24-hour ``HH:MM-HH:MM``
spans under ``mon``…``sun`` keys). Volunteers copy hours from a flyer or a web page, so this
module recognises the usual ways of writing them and returns the shorthand that means the
same, for the error message to quote. It never changes a file: a guess shown to a person who
then writes it is safe; a guess applied silently is not.

Example:
    >>> span_fix("8am-6pm"), span_fix("8:00am - 6:00pm"), span_fix("noon-8"), span_fix("8-6")
    ('08:00-18:00', '08:00-18:00', '12:00-20:00', '08:00-18:00')
    >>> day_key_fix("Monday-Friday"), day_key_fix("weekends"), day_key_fix("thurs")
    ('mon-fri', 'sat-sun', 'thu')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Final

from deflectkit.vocabulary import DAYS

__all__ = ["date_fix", "day_key_fix", "days_key", "mapping_fix", "span_fix", "span_with_days"]

_DAY_WORDS: Final = DAYS.words
#: Full day names, so that any prefix of three letters or more can be recognised.
_DAY_NAMES: Final = tuple(DAYS.label(word).lower() for word in _DAY_WORDS)
_DAY_GROUPS: Final = {
    "weekdays": "mon-fri",
    "weekday": "mon-fri",
    "weekends": "sat-sun",
    "weekend": "sat-sun",
    "everyday": "daily",
    "every day": "daily",
    "7 days": "daily",
    "all week": "daily",
    "m-f": "mon-fri",
}
#: One time of day as people write it: ``8``, ``8am``, ``8:30 p.m.``, ``0800``, ``8.30``,
#: ``noon``, ``midnight``.
_TIME: Final = (
    r"(?:(?P<{n}word>noon|midnight|midday)"
    r"|(?P<{n}h>\d{{1,2}})(?:[:.h]?(?P<{n}m>\d{{2}}))?\s*(?P<{n}ap>[ap])?\.?(?:m\.?)?)"
)
_SEPARATOR: Final = r"\s*(?:-|–|—|to|until|till|thru|through)\s*"
_LOOSE_SPAN: Final = re.compile(
    rf"^\s*{_TIME.format(n='a')}{_SEPARATOR}{_TIME.format(n='b')}\s*$", re.IGNORECASE
)
_WHOLE_DAY: Final = frozenset(
    {"24 hours", "24hours", "24 hrs", "24hrs", "24hr", "all day", "open 24 hours", "24/7"}
)

_Time = tuple[int, int, str | None]  # hour, minute, "a" / "p" / None


def _time(match: re.Match[str], n: str) -> _Time | None:
    word = match.group(f"{n}word")
    if word:
        word = word.lower()
        return (0, 0, "midnight") if word == "midnight" else (12, 0, None)
    hour, minute = int(match.group(f"{n}h")), int(match.group(f"{n}m") or 0)
    marker = (match.group(f"{n}ap") or "").lower() or None
    if minute > 59 or hour > 24 or (marker and not 1 <= hour <= 12):
        return None
    return hour, minute, marker


def _in_half(hour: int, half: str) -> int:
    """A 12-hour clock hour (1-12) in the morning (``a``) or afternoon (``p``) as 0-23."""
    return hour % 12 + (12 if half == "p" else 0)


def _resolve(start: _Time, end: _Time) -> tuple[int, int]:
    """Both times as minutes after midnight, guessing a missing am/pm from the other end."""
    (h1, m1, a1), (h2, m2, a2) = start, end
    if a1 in ("a", "p"):
        begin = _in_half(h1, a1) * 60 + m1
    elif a2 in ("a", "p") and h1 <= 12:
        # "8-6pm" is 08:00-18:00 and "1-5pm" 13:00-17:00: the end's half of the day if that
        # starts before the end, else the other half.
        begin = _in_half(h1, a2) * 60 + m1
        if begin >= _in_half(h2, a2) * 60 + m2:
            begin = _in_half(h1, "a" if a2 == "p" else "p") * 60 + m1
    else:
        begin = 0 if a1 == "midnight" else h1 * 60 + m1
    if a2 == "midnight":  # midnight at the end of a span is the end of the day
        return begin, 24 * 60
    if a2 in ("a", "p"):
        return begin, _in_half(h2, a2) * 60 + m2
    if h2 <= 12:
        # "8am-5", "8-5": the first reading of that hour after the start.
        for hour in (h2, h2 + 12):
            if hour * 60 + m2 > begin:
                return begin, hour * 60 + m2
    return begin, h2 * 60 + m2  # "22-6": overnight, as written


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def span_fix(text: str) -> str | None:
    """The ``HH:MM-HH:MM`` span meant by ``text``, or ``None`` when it cannot be told.

    A missing am/pm is taken from the other end ("8-6pm") or, for two bare hours, as the
    first reading after the start ("8-5" is 08:00-17:00); a span that still ends before it
    starts runs overnight, as the shorthand says.

    Example:
        >>> span_fix("9:30 a.m. to 4:30 p.m."), span_fix("0800-1700"), span_fix("10pm-6am")
        ('09:30-16:30', '08:00-17:00', '22:00-06:00')
        >>> span_fix("by appointment") is None
        True
    """
    lowered = text.strip().lower()
    if lowered in _WHOLE_DAY:
        return "00:00-24:00"
    match = _LOOSE_SPAN.match(lowered)
    if not match:
        return None
    start, end = _time(match, "a"), _time(match, "b")
    if start is None or end is None:
        return None
    begin, finish = _resolve(start, end)
    if begin == finish or begin >= 24 * 60 or finish > 24 * 60:
        return None
    return f"{_clock(begin)}-{_clock(finish)}"


def _day_word(text: str) -> str | None:
    """``mon`` for ``Mon``, ``monday``, ``Mondays``, ``mo``…; ``None`` if not a day."""
    word = text.strip().lower().rstrip(".")
    if word.endswith("s") and word[:-1] in _DAY_NAMES:
        word = word[:-1]
    for short, name in zip(_DAY_WORDS, _DAY_NAMES, strict=True):
        if len(word) >= 2 and name.startswith(word):
            return short
    return None


def day_key_fix(key: str) -> str | None:
    """The day key meant by ``key`` (``Monday-Friday`` → ``mon-fri``), or ``None``.

    Example:
        >>> day_key_fix("Mon thru Fri"), day_key_fix("sat & sun"), day_key_fix("funday") is None
        ('mon-fri', 'sat,sun', True)
    """
    text = " ".join(key.strip().lower().split())
    if text in _DAY_GROUPS:
        return _DAY_GROUPS[text]
    text = re.sub(r"\s*(?:-|–|—|\bto\b|\bthru\b|\bthrough\b|\buntil\b)\s*", "-", text)
    parts = [p for p in re.split(r"\s*(?:,|&|/|\band\b|\s)\s*", text) if p]
    fixed: list[str] = []
    for part in parts:
        ends = part.split("-")
        words = [_day_word(end) for end in ends]
        if len(ends) > 2 or None in words:
            return None
        fixed.append("-".join(w for w in words if w))
    return ",".join(fixed) if fixed else None


def days_key(days: Sequence[int]) -> str:
    """Weekdays (0 = Monday) written as a day key, runs joined: ``[0, 1, 2, 4]`` → ``mon-wed,fri``.

    Example:
        >>> days_key([0, 1, 2, 3]), days_key([0, 1, 2, 4]), days_key([5, 6, 0])
        ('mon-thu', 'mon-wed,fri', 'sat-mon')
    """
    runs: list[list[int]] = []
    for day in days:
        if runs and day == (runs[-1][-1] + 1) % 7:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(
        _DAY_WORDS[run[0]] if len(run) == 1 else f"{_DAY_WORDS[run[0]]}-{_DAY_WORDS[run[-1]]}"
        for run in runs
    )


_MONTHS: Final = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_NUMERIC_DATE: Final = re.compile(r"^(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})$")
_WORDS_DATE: Final = re.compile(r"^([a-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")
_DAY_FIRST_WORDS: Final = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)\.?,? (\d{4})$")


def _month(word: str) -> int | None:
    return next(
        (n for n, name in enumerate(_MONTHS, 1) if len(word) >= 3 and name.startswith(word)),
        None,
    )


def _iso(year: int, month: int | None, day: int) -> str | None:
    if month is None:
        return None
    if year < 100:  # "3/15/26": this century
        year += 2000
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def date_fix(text: str) -> str | None:
    """The ISO date (``YYYY-MM-DD``) meant by ``text``, or ``None`` when it cannot be told.

    Numbers are read month first, as in the US (``03/15/2026``), unless the first is above
    12 (``15/03/2026``) or has four digits (``2026/03/15``).

    Example:
        >>> date_fix("03/15/2026"), date_fix("March 15, 2026"), date_fix("15 Mar 2026")
        ('2026-03-15', '2026-03-15', '2026-03-15')
        >>> date_fix("last spring") is None
        True
    """
    words = " ".join(text.strip().lower().split())
    numeric = _NUMERIC_DATE.match(words)
    if numeric:
        a, b, c = (int(g) for g in numeric.groups())
        if len(numeric.group(1)) == 4:
            return _iso(a, b, c)
        if len(numeric.group(3)) not in (2, 4):
            return None
        return _iso(c, a, b) if a <= 12 else _iso(c, b, a)
    spelled = _WORDS_DATE.match(words)
    if spelled:
        return _iso(int(spelled.group(3)), _month(spelled.group(1)), int(spelled.group(2)))
    day_first = _DAY_FIRST_WORDS.match(words)
    if day_first:
        return _iso(int(day_first.group(3)), _month(day_first.group(2)), int(day_first.group(1)))
    return None


_DAYS_THEN_SPAN: Final = re.compile(
    r"^\s*(?P<days>[A-Za-z][A-Za-z ,&/.-]*?)\s*:?\s+(?P<span>\d.*|noon.*)$"
)
_STRICT_SPAN: Final = re.compile(r"^\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*$")


def _days_then_span(part: str) -> tuple[str, str] | None:
    """``(day key, span)`` for ``Mon-Fri 8am-5pm``, or ``None``."""
    match = _DAYS_THEN_SPAN.match(part)
    if not match:
        return None
    raw_span = match.group("span").strip()
    days = day_key_fix(match.group("days"))
    span = raw_span if _STRICT_SPAN.match(raw_span) else span_fix(raw_span)
    return (days, span.strip()) if days is not None and span is not None else None


#: "9:00 a.m. to 5:00 p.m. Monday through Friday" is 9 words; the cap bounds the work.
_MAX_SPLIT_WORDS: Final = 12


def _span_then_days(part: str) -> tuple[str, str] | None:
    """``(day key, span)`` for the order flyers often use: ``9-5 M-F``, ``9 AM - 5 PM Mon-Fri``.

    Every place the words could split into times and days is tried, times first; a part of
    more than :data:`_MAX_SPLIT_WORDS` words is not hours written this way.
    """
    words = part.split()
    if len(words) > _MAX_SPLIT_WORDS:
        return None
    for cut in range(1, len(words)):
        days = day_key_fix(" ".join(words[cut:]))
        span = span_fix(" ".join(words[:cut]).rstrip(","))
        if days is not None and span is not None:
            return days, span
    return None


def span_with_days(text: str) -> tuple[str, str] | None:
    """``(day key, span)`` for one span written with its days, in either order, or ``None``.

    Example:
        >>> span_with_days("9-5 M-F"), span_with_days("Sat 9-12"), span_with_days("9-5")
        (('mon-fri', '09:00-17:00'), ('sat', '09:00-12:00'), None)
    """
    return _days_then_span(text) or _span_then_days(text)


def mapping_fix(text: str) -> str | None:
    """The mapping meant by hours written as one line: ``Mon-Fri 8am-5pm; Sat 9-12``.

    Example:
        >>> mapping_fix("Mon-Fri 8am-5pm; Sat 9-12")
        "{mon-fri: '08:00-17:00', sat: '09:00-12:00'}"
        >>> mapping_fix("9-5 M-F")
        "{mon-fri: '09:00-17:00'}"
        >>> mapping_fix("by appointment") is None
        True
    """
    entries: list[str] = []
    for part in re.split(r"\s*[;\n]\s*|,\s*(?=[A-Za-z]{2,}\.?\s+\d)", text.strip()):
        entry = span_with_days(part)
        if entry is None:
            return None
        entries.append(f"{entry[0]}: '{entry[1]}'")
    return "{" + ", ".join(entries) + "}" if entries else None
