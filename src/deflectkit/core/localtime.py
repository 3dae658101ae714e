"""Local wall-clock arithmetic in a program's IANA time zone, DST included.

Follow-up is promised in the program's own clock: "day 7" means the same time on the
calendar seven days later, which is 167 or 169 real hours when a daylight-saving change falls
in between. Two wall-clock times need a rule:

* **the spring-forward gap** (02:30 on the day clocks jump from 02:00 to 03:00 in
  America/Denver, 01:30 in Europe/London): the time does not exist. We read it with
  ``fold=0``, i.e. with the offset in force *before* the change, and normalise, which moves it
  forward by the size of the gap: 02:30 becomes 03:30 MDT. The contact is never earlier than
  asked, and stays on the same day.
* **the fall-back repeat** (01:30 happens twice): we take the first occurrence (``fold=0``,
  still daylight time), the earlier of the two, so nothing is scheduled later than asked.

Example:
    >>> import datetime as dt
    >>> denver = zone("America/Denver")
    >>> start = dt.datetime(2025, 3, 8, 2, 30, tzinfo=denver)
    >>> add_local_days(start, 1).isoformat()  # 2025-03-09 02:30 does not exist in Denver
    '2025-03-09T03:30:00-06:00'
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["SUPPORTED_YEARS", "add_local_days", "is_aware", "localize", "utc", "zone"]

#: Years a moment given to deflectkit may fall in. Hours, follow-up contacts and policy dates
#: are worked out days ahead in local time, and a year at either end of what ``datetime``
#: holds overflows there (0001-01-01T00:00+14:00 did).
SUPPORTED_YEARS: Final = range(1900, 3000)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; ``ValueError`` naming it when it does not exist.

    Example:
        >>> zone("America/Phoenix").key
        'America/Phoenix'
    """
    if not name or name != name.strip():
        msg = f"time zone must be an IANA name such as 'America/Phoenix', not {name!r}"
        raise ValueError(msg)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {name!r}; use an IANA name such as 'America/Phoenix'"
        raise ValueError(msg) from None


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC: compare and add hours there.

    Python adds a ``timedelta`` to an aware datetime on its *wall clock*, and compares two
    datetimes sharing a ``tzinfo`` by wall clock too, ignoring ``fold``; both are wrong across
    a DST change (01:30 MST after 01:30 MDT compares equal). In UTC both are right.
    """
    return moment.astimezone(dt.UTC)


def is_aware(moment: dt.datetime) -> bool:
    """True when ``moment`` carries a UTC offset (a naive time means nothing to a program)."""
    return moment.tzinfo is not None and moment.utcoffset() is not None


def localize(wall: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """Attach ``tz`` to a wall-clock time, resolving the DST gap and repeat (module rules).

    Args:
        wall: a naive date and time as read on a clock in ``tz`` (any ``tzinfo`` is dropped).
        tz: the program's zone.

    Returns:
        An aware datetime in ``tz``: a time in the gap moves forward by the gap, a repeated
        time is its first occurrence.
    """
    first = wall.replace(tzinfo=tz, fold=0)
    # The round trip through UTC turns an impossible wall time into the real instant it
    # names under the earlier offset, e.g. 02:30 MST -> 09:30 UTC -> 03:30 MDT.
    return first.astimezone(dt.UTC).astimezone(tz)


def add_local_days(moment: dt.datetime, days: int, tz: ZoneInfo | None = None) -> dt.datetime:
    """The same wall-clock time ``days`` calendar days after ``moment``, in ``tz``.

    Args:
        moment: an aware datetime.
        days: whole days to add (negative goes back).
        tz: the zone whose clock counts; defaults to ``moment``'s own ``ZoneInfo``.

    Raises:
        ValueError: ``moment`` is naive, or no zone is given and it has none.
    """
    if not is_aware(moment):
        msg = f"{moment.isoformat()} has no UTC offset; give the time with its offset"
        raise ValueError(msg)
    if tz is None:
        if not isinstance(moment.tzinfo, ZoneInfo):
            msg = "give the program's IANA time zone; a fixed offset has no daylight-saving rules"
            raise ValueError(msg)
        tz = moment.tzinfo
    local = moment.astimezone(tz)
    return localize(local.replace(tzinfo=None) + dt.timedelta(days=days), tz)
