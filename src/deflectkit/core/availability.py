"""Open now? Opens when? Closes when? Weekly hours turned into real instants, DST included.

:class:`~deflectkit.core.hours.WeeklyHours` holds *local wall-clock* spans ("08:00-17:00" on
Mondays). An officer asks about an *instant* ("now", with a UTC offset). This module joins the
two in the provider's IANA zone.

**The rule.** A span ``[a, b)`` on a local date runs from the first instant the provider's
clock reads ``a`` (or later) until the first instant it reads ``b`` (or later). That one rule
settles both daylight-saving changes the way people at the door expect:

* **Spring forward** (in America/Denver the clock jumps from 01:59 to 03:00): a span that
  opens inside the skipped hour, such as ``02:30-05:00``, opens at 03:00 MDT, the first
  moment its clock reads 02:30 or later. A span that lies wholly inside the skipped hour
  (``02:00-02:30``) does not happen that day.
* **Fall back** (the clock reads 01:00-01:59 twice): a span opens and closes at the *first*
  time its clock shows those readings. A clinic open ``00:00-01:30`` closes at 01:30 MDT and
  does not re-open when the clock shows 01:00 again; a shelter open ``01:30-05:00`` stays open
  through the repeated hour instead of closing for it.

Equivalently: the provider is open at instant *t* when the *latest reading its clock has
shown so far* (the wall time, except during a repeated hour, when it is the reading just
before the clock went back) falls in a span. The tests check every function against a
minute-by-minute simulation of exactly that.

Dates in the hours' ``closed`` list (holidays) are closed for the whole local calendar day.

All functions take the time as a parameter (the core never reads the clock) and return aware
datetimes in the provider's zone.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.localtime import zone
    >>> hours = parse_hours({"mon-fri": "08:00-17:00"})
    >>> tz = zone("America/Denver")
    >>> at = dt.datetime(2026, 3, 4, 3, 0, tzinfo=tz)  # a Wednesday, 03:00
    >>> is_open(hours, tz, at), next_opening(hours, tz, at).isoformat()
    (False, '2026-03-04T08:00:00-07:00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Final
from zoneinfo import ZoneInfo

from deflectkit.core.hours import WeeklyHours

__all__ = ["HORIZON", "closes_at", "is_open", "next_opening", "open_intervals"]

#: How far ahead :func:`next_opening` and :func:`closes_at` look. A weekly timetable with any
#: span opens within 7 days; the extra day covers a span lost to a skipped hour.
HORIZON: Final = dt.timedelta(days=8)

_UTC: Final = dt.UTC


def _require_aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        msg = f"{at.isoformat()} has no UTC offset; give the time with its offset"
        raise ValueError(msg)


def _transition(tz: ZoneInfo, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """The first instant in ``(lo, hi]`` (UTC in, UTC out) whose offset differs from ``lo``'s.

    Offsets change at most once within an hour or two, so a binary search to the second is
    exact and cheap; zoneinfo does not expose its transition table.
    """
    before = lo.astimezone(tz).utcoffset()
    lo_s, hi_s = 0, int((hi - lo).total_seconds())
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if (lo + dt.timedelta(seconds=mid)).astimezone(tz).utcoffset() == before:
            lo_s = mid
        else:
            hi_s = mid
    return lo + dt.timedelta(seconds=hi_s)


def _first_reach(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The first instant at which the clock in ``tz`` reads ``wall`` (naive) or later, in UTC.

    UTC because Python compares two datetimes sharing one ``tzinfo`` by wall time, ignoring
    ``fold``: wrong in a repeated hour.
    """
    early = wall.replace(tzinfo=tz, fold=0)
    late = wall.replace(tzinfo=tz, fold=1)
    early_offset, late_offset = early.utcoffset(), late.utcoffset()
    assert early_offset is not None  # a ZoneInfo always answers
    assert late_offset is not None
    if early_offset >= late_offset:
        # An ordinary time (both offsets agree) or a repeated one, whose first occurrence is
        # fold=0, the earlier instant.
        return early.astimezone(_UTC)
    # In the spring-forward gap: the clock never shows ``wall``; it first shows something
    # later at the moment of the jump, which lies between the two readings' instants.
    lo = (wall - late_offset).replace(tzinfo=_UTC)
    hi = (wall - early_offset).replace(tzinfo=_UTC)
    return _transition(tz, lo, hi)


def _latest_reading(at: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """The latest wall-clock reading shown at or before ``at`` (naive, minute precision).

    That is the wall time itself, except in a repeated hour (``fold=1``), where it is the
    reading just before the clock went back.
    """
    local = at.astimezone(tz)
    wall = local.replace(tzinfo=None, fold=0)
    if not local.fold:
        return wall
    first = local.replace(fold=0)  # the same reading an hour (or so) earlier
    jump = _transition(tz, first.astimezone(_UTC), at.astimezone(_UTC))
    # One microsecond before the jump the clock showed its highest reading so far.
    prior = (jump - dt.timedelta(microseconds=1)).astimezone(tz)
    return prior.replace(tzinfo=None, fold=0)


def is_open(hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime) -> bool:
    """Whether a provider with ``hours`` in zone ``tz`` is open at the instant ``at``.

    Args:
        hours: the weekly timetable (local wall-clock spans).
        tz: the provider's IANA zone.
        at: an aware datetime (any offset).

    Raises:
        ValueError: ``at`` is naive.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.hours import parse_hours
        >>> from deflectkit.core.localtime import zone
        >>> new_year = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        >>> is_open(parse_hours("24/7"), zone("Europe/London"), new_year)
        True
    """
    _require_aware(at)
    if hours.always:
        return True
    reading = _latest_reading(at, tz)
    if hours.is_closed_on(reading.date()):  # a holiday in the ``closed`` list
        return False
    return hours.is_open_local(reading.weekday(), reading.hour * 60 + reading.minute)


def open_intervals(
    hours: WeeklyHours, tz: ZoneInfo, start: dt.date, days: int
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The instants each span covers, for ``days`` local dates from ``start``, in time order.

    Spans that touch (across midnight, or a day's last span and the next day's first) are
    joined into one interval; spans lost to a skipped hour are left out.

    Yields:
        ``(opens, closes)`` pairs of aware datetimes in ``tz``, ``opens < closes``.
    """
    pending: tuple[dt.datetime, dt.datetime] | None = None
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        if hours.is_closed_on(day):
            continue
        midnight = dt.datetime(day.year, day.month, day.day)
        for first, last in hours.days[day.weekday()]:
            opens = _first_reach(midnight + dt.timedelta(minutes=first), tz)
            closes = _first_reach(midnight + dt.timedelta(minutes=last), tz)
            if closes <= opens:
                continue  # the whole span fell in a skipped hour
            if pending is not None and opens <= pending[1]:
                pending = (pending[0], max(closes, pending[1]))
                continue
            if pending is not None:
                yield pending[0].astimezone(tz), pending[1].astimezone(tz)
            pending = (opens, closes)
    if pending is not None:
        yield pending[0].astimezone(tz), pending[1].astimezone(tz)


def _intervals_around(
    hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    # Start a day early: yesterday's span may run past midnight (or through a repeated hour).
    today = at.astimezone(tz).date()
    return open_intervals(hours, tz, today - dt.timedelta(days=1), HORIZON.days + 2)


def next_opening(hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime) -> dt.datetime | None:
    """The first instant at or after ``at`` when the provider is open.

    Returns ``at`` itself (in ``tz``) when open now, and ``None`` when the provider does not
    open within :data:`HORIZON` (for example, every day is closed).

    Raises:
        ValueError: ``at`` is naive.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.hours import parse_hours
        >>> from deflectkit.core.localtime import zone
        >>> tz = zone("America/Phoenix")
        >>> friday_night = dt.datetime(2026, 3, 6, 22, 0, tzinfo=tz)
        >>> next_opening(parse_hours({"mon-fri": "08:00-17:00"}), tz, friday_night).isoformat()
        '2026-03-09T08:00:00-07:00'
    """
    _require_aware(at)
    if is_open(hours, tz, at):
        return at.astimezone(tz)
    if hours.is_never_open:
        return None
    at = at.astimezone(_UTC)  # compare instants, never wall times (see _first_reach)
    limit = at + HORIZON
    for opens, closes in _intervals_around(hours, tz, at):
        if closes <= at:
            continue
        if opens > limit:
            return None
        # Closed now, so an interval that ends after ``at`` starts after it.
        return opens
    return None


def closes_at(hours: WeeklyHours, tz: ZoneInfo, at: dt.datetime) -> dt.datetime | None:
    """The first instant after ``at`` when the provider is closed, if it is open at ``at``.

    Returns ``None`` when the provider is closed at ``at``, and also when it stays open
    beyond :data:`HORIZON` (24/7).

    Raises:
        ValueError: ``at`` is naive.
    """
    _require_aware(at)
    if hours.always or not is_open(hours, tz, at):
        return None
    at = at.astimezone(_UTC)
    limit = at + HORIZON
    for opens, closes in _intervals_around(hours, tz, at):
        if opens <= at < closes:
            return closes if closes <= limit else None
    return None  # pragma: no cover - is_open and the intervals agree (property-tested)
