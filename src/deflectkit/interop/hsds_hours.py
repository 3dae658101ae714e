r"""Opening hours from other systems: HSDS schedule rows and 211-style free text.

Our hours shorthand (:mod:`deflectkit.core.hours`) is the target. Two kinds of input:

* structured rows: HSDS 3 ``schedule`` (``freq: WEEKLY``, ``byday: MO,TU``, ``opens_at``,
  ``closes_at``) and HSDS 1.x ``regular_schedule`` (``weekday``, ``opens_at``, ``closes_at``),
  with times such as ``09:00``, ``09:00:00Z``, ``9:00am``;
* free text as 211 call centres type it: ``"9:00am-5:00pm, Mon-Fri"``,
  ``"8:00am-1:00pm / 2:00pm-5:00pm, Mon, Tue;\\n9:00am-12:30pm, Sat"``, ``"24 hours"``.

Reading is best effort: what can be read becomes shorthand; every fragment that cannot be
read is returned so the importer can warn about it (a person then checks the file). When
the text has several labelled sections ("Clinic: …", "Pharmacy: …") only the first is
used, because a provider file has one set of opening hours.

Example:
    >>> read_free_text("9:00am-5:00pm, Mon-Fri").shorthand
    {'mon-fri': '09:00-17:00'}
    >>> read_free_text("8:00am-12:00pm / 1:00pm-5:00pm, Mon, Wed; 9:00am-12:30pm, Sat").shorthand
    {'mon,wed': ['08:00-12:00', '13:00-17:00'], 'sat': '09:00-12:30'}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from deflectkit.vocabulary import DAYS

__all__ = [
    "FreeTextHours",
    "days_from_rows",
    "parse_clock",
    "read_free_text",
    "shorthand_from_days",
]

#: Spans per weekday (0 = Monday), as written: an end before the start runs overnight.
DaySpans = list[list[tuple[int, int]]]

_DAY_NAMES: Final = {
    "mo": 0, "mon": 0, "monday": 0, "tu": 1, "tue": 1, "tues": 1, "tuesday": 1,
    "we": 2, "wed": 2, "weds": 2, "wednesday": 2, "th": 3, "thu": 3, "thur": 3, "thurs": 3,
    "thursday": 3, "thru": 3, "fr": 4, "fri": 4, "friday": 4, "sa": 5, "sat": 5, "saturday": 5,
    "su": 6, "sun": 6, "sunday": 6,
}
_EVERY_DAY: Final = re.compile(
    r"^(daily|every\s*day|7\s*days(\s*a\s*week)?|seven\s*days(\s*a\s*week)?|mon(day)?\s*-\s*sun(day)?)$"
)
_ALWAYS: Final = re.compile(
    r"^(24\s*/\s*7|24\s*hours?(\s*(a|per)\s*day)?(,?\s*7\s*days(\s*a\s*week)?)?|open\s*24\s*hours?)$"
)
# Every run of spaces is matched possessively (``\s*+``): two greedy ``\s*`` side by side
# split a long run of blanks every possible way, and "1" + 20,000 spaces took 18 s.
_TIME: Final = r"(?:\d{1,2}(?::\d{2})?\s*+(?:[ap]\.?\s*+m?\.?)?|noon|midnight)"
# "GÇô" is an en dash that went through the wrong code page on its way to the CSV.
_SPAN: Final = re.compile(rf"({_TIME})\s*+(?:-|–|—|GÇô|\bto\b)\s*+({_TIME})", re.IGNORECASE)
_CLOCK: Final = re.compile(
    r"^(\d{1,2})(?::(\d{2}))?(?::\d{2}(?:\.\d+)?)?\s*+([ap])?\.?\s*+m?\.?\s*+(z|[+-]\d{2}(?::?\d{2})?)?$"
)
#: Longest free-text hours note read; the rest is reported, not read. 211 notes run to a
#: few hundred characters; a bound keeps every pattern's work small whatever a feed holds.
MAX_HOURS_TEXT: Final = 2_000
#: Longest clock time or list of days read (``09:00:00.000-05:00`` is 18 characters).
_MAX_SHORT_TEXT: Final = 100


def _squeeze(text: str) -> str:
    """Runs of blanks as one space, ends stripped: no pattern ever sees a long blank run."""
    return " ".join(text.split())


def parse_clock(text: str) -> int | None:
    """Minutes after midnight for ``9:00am``, ``9 am``, ``17:00``, ``09:00:00Z``, ``noon``.

    Time-zone offsets (HSDS writes ``09:00-05:00``) are dropped: hours are local
    wall-clock times in the provider's zone. ``None`` when the text is not a clock time.

    Example:
        >>> parse_clock("9:30pm"), parse_clock("12:00am"), parse_clock("23:59:00Z")
        (1290, 0, 1439)
    """
    value = _squeeze(text).lower()
    if len(value) > _MAX_SHORT_TEXT:
        return None
    if value == "noon":
        return 12 * 60
    if value == "midnight":
        return 0
    match = _CLOCK.match(value)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3)
    if minute > 59:
        return None
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif hour > 24 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _parse_days(text: str) -> list[int] | None:
    """Weekdays named by ``Mon-Fri``, ``Mon, Wed, Thur``, ``Monday through Friday``."""
    value = _squeeze(text).lower().rstrip(".:,;")
    if len(value) > _MAX_SHORT_TEXT:
        return None
    value = re.sub(r"\s++(through|thru|until|to)\s++", "-", value).replace("–", "-")
    if _EVERY_DAY.match(value):
        return list(range(7))
    days: list[int] = []
    for raw in re.split(r",|&|\band\b|/", value):
        part = raw.strip().rstrip(".")
        if not part:
            continue
        if "-" in part:
            first, _, last = (p.strip().rstrip(".") for p in part.partition("-"))
            if first not in _DAY_NAMES or last not in _DAY_NAMES:
                return None
            a, b = _DAY_NAMES[first], _DAY_NAMES[last]
            days.extend((a + i) % 7 for i in range((b - a) % 7 + 1))
        elif part in _DAY_NAMES:
            days.append(_DAY_NAMES[part])
        else:
            return None
    return days or None


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def shorthand_from_days(days: Sequence[Sequence[tuple[int, int]]]) -> dict[str, Any] | str | None:
    """Day spans → shorthand, grouping days with the same spans (``mon-fri``, ``mon,wed``).

    Example:
        >>> shorthand_from_days([[(540, 1020)]] * 5 + [[], []])
        {'mon-fri': '09:00-17:00'}
    """
    if all(list(d) == [(0, 1440)] for d in days):
        return "24/7"
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day, spans in enumerate(days):
        key = tuple(sorted(set(spans)))
        if key:
            groups.setdefault(key, []).append(day)
    if not groups:
        return None
    out: dict[str, Any] = {}
    for spans, members in sorted(groups.items(), key=lambda kv: kv[1][0]):
        texts = [f"{_fmt(s)}-{_fmt(e)}" for s, e in spans]
        out[_day_key(members)] = texts[0] if len(texts) == 1 else texts
    return out


def _day_key(members: list[int]) -> str:
    words = DAYS.words
    runs: list[list[int]] = []
    for day in members:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = [
        f"{words[r[0]]}-{words[r[-1]]}" if len(r) > 2 else ",".join(words[d] for d in r)
        for r in runs
    ]
    return ",".join(parts)


@attrs.frozen
class FreeTextHours:
    """What could be read from a free-text hours note.

    Attributes:
        shorthand: hours in our shorthand, or ``None`` when nothing could be read.
        unread: fragments that were not understood (or were left out), for warnings.
    """

    shorthand: dict[str, Any] | str | None
    unread: tuple[str, ...] = ()


def _segments(text: str) -> Iterable[str]:
    value = text.replace("\\n", "\n").replace("\r", "\n")
    for line in value.split("\n"):
        yield from (_squeeze(s) for s in line.split(";"))


def read_free_text(text: str) -> FreeTextHours:
    r"""Read 211-style free-text hours (best effort), listing what could not be read.

    Example:
        >>> read_free_text("Administrative hours:\n9:00am-5:00pm, Mon-Fri\n\nHotline:\n24 hours")
        FreeTextHours(shorthand={'mon-fri': '09:00-17:00'}, unread=('Hotline: 24 hours',))
    """
    days: DaySpans = [[] for _ in range(7)]
    unread: list[str] = []
    if len(text) > MAX_HOURS_TEXT:
        unread.append(
            f"(the rest of a note of {len(text):,} characters: only the first "
            f"{MAX_HOURS_TEXT:,} were read)"
        )
        text = text[:MAX_HOURS_TEXT]
    headers = 0
    skipped_section: list[str] = []
    pending: list[tuple[int, int]] = []
    for segment in _segments(text):
        if not segment:
            continue
        if segment.endswith(":") and not _SPAN.search(segment):
            headers += 1
            if headers > 1 or any(days):
                skipped_section.append(segment)
            continue
        if skipped_section:
            skipped_section.append(segment)
            continue
        if not _read_segment(segment, days, pending):
            unread.append(segment)
    if pending:
        unread.append(", ".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in pending) + " (no days given)")
    if len(skipped_section) > 1:
        unread.append(" ".join(skipped_section))
    elif skipped_section:
        unread.append(skipped_section[0])
    if all(d == [(0, 1440)] for d in days):
        return FreeTextHours("24/7", tuple(unread))
    return FreeTextHours(shorthand_from_days(days), tuple(unread))


def _read_segment(segment: str, days: DaySpans, pending: list[tuple[int, int]]) -> bool:
    """Add one ``spans, days`` statement to ``days``; False if it cannot be read.

    Spans without days ("9:00am-12:00pm; 1:00pm-4:00pm, Mon-Fri") wait in ``pending`` for
    the days of the next statement.
    """
    value = re.sub(r"\([^)]*\)", " ", segment)  # "(dispensing)": a note, not hours
    label = re.match(r"^([^:\d]+):\s*(.+)$", value)  # "Clinic: 9am-5pm, Mon-Fri"
    if label:
        value = label.group(2)
    plain = value.strip().lower().rstrip(".:,;")
    if _ALWAYS.match(plain):
        for spans_of_day in days:
            spans_of_day.append((0, 1440))
        return True
    spans = list(_SPAN.finditer(value))
    if not spans:
        return False
    rest = _SPAN.sub(" ", value)
    rest = rest.strip(" \t\n,/:&")
    weekdays = _parse_days(rest) if rest else None
    if weekdays is None and rest:
        return False
    parsed: list[tuple[int, int]] = []
    for match in spans:
        start, end = parse_clock(match.group(1)), parse_clock(match.group(2))
        if start is None or end is None or start == end:
            return False
        has_meridiem = bool(re.search(r"[ap]\.?\s*m|noon|midnight", match.group(0), re.I))
        if end < start and not has_meridiem:
            return False  # "9-5" without am/pm: too ambiguous to guess
        parsed.append((start, end if end else 1440))
    if weekdays is None:
        pending.extend(parsed)
        return True
    for day in weekdays:
        days[day].extend([*pending, *parsed])
    pending.clear()
    return True


def days_from_rows(rows: Iterable[Mapping[str, Any]]) -> tuple[DaySpans, list[str]]:
    """Day spans from HSDS schedule rows (3.x ``byday`` or 1.x ``weekday``).

    Rows with another frequency (``MONTHLY``), an interval, or unreadable times are
    returned as messages, not guessed at. ``closes_at`` of ``23:59`` means the end of the
    day (HSDS's way to write 24 hours).
    """
    days: DaySpans = [[] for _ in range(7)]
    problems: list[str] = []
    for row in rows:
        freq = str(row.get("freq") or "WEEKLY").upper()
        interval = row.get("interval")
        if freq != "WEEKLY" or (interval not in (None, "", 1, "1")):
            problems.append(f"a {freq.lower()} schedule (every {interval or 1}) was left out")
            continue
        weekday_text = str(row.get("byday") or row.get("weekday") or "").strip()
        weekdays = _parse_days(weekday_text) if weekday_text else None
        opens, closes = str(row.get("opens_at") or ""), str(row.get("closes_at") or "")
        start, end = parse_clock(opens), parse_clock(closes)
        if weekdays is None or start is None or end is None:
            what = f"{weekday_text or 'no day'} {opens or '?'}-{closes or '?'}"
            problems.append(f"cannot read schedule row {what.strip()!r}")
            continue
        if end == 23 * 60 + 59 or (end == 0 and start > 0):
            end = 1440
        if start == end:
            what = f"{weekday_text} {opens}-{closes}"
            problems.append(f"schedule row {what!r} opens and closes at the same time")
            continue
        for day in weekdays:
            days[day].append((start, end))
    return days, problems
