"""Initiation and engagement: the one definition measures and follow-up both use.

Both follow the HEDIS "Initiation and Engagement of Substance Use Disorder Treatment" (IET)
measure, counted in **calendar days in the program's time zone**:

* **Initiation**: an intake on the day of the referral or on one of the 13 days after it
  (days 0-13, 14 calendar days). IET counts a start "on the SUD episode or during the 13
  days after" (BCBSND IET tip sheet,
  https://bcbsnd.com/providers/programs/bluealliance-and-bluealliance-care-plus/hedis-tip-sheets/hedis-tip-sheet-search/iet).
* **Engagement**: initiated, and 2 or more treatment contacts from the day after the intake
  day through the 34th day after it (days 1-34 counted from the intake day).

A "day" is a date on the program's wall clock. :func:`local_day` turns a moment into one: in
the program's IANA zone when one is given, else in the moment's own UTC offset (an event log
written in local time, as ``2025-03-03T14:30:00-07:00``, already carries it). Two copies of
this rule used to disagree about that offset; now there is one.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.localtime import zone
    >>> denver = zone("America/Denver")
    >>> referral = dt.datetime(2025, 2, 28, 23, 30, tzinfo=denver)
    >>> intake = dt.datetime(2025, 3, 14, 23, 30, tzinfo=denver)  # day 14: too late
    >>> initiation_day(local_day(referral, denver), local_day(intake, denver))
    False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

__all__ = [
    "ENGAGEMENT_CONTACTS",
    "ENGAGEMENT_DAYS",
    "INITIATION_DAYS",
    "day_number",
    "engagement_day",
    "initiation_day",
    "initiation_last_day",
    "local_day",
    "reached_engagement",
]

#: Calendar days, the referral's day included, in which an intake is an initiation (0-13).
INITIATION_DAYS: Final = 14
#: The last day after the intake day on which a treatment contact counts for engagement.
ENGAGEMENT_DAYS: Final = 34
#: Treatment contacts in that window that make engagement.
ENGAGEMENT_CONTACTS: Final = 2


def local_day(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The calendar date of ``moment`` on the program's clock.

    Args:
        moment: an aware datetime.
        tz: the program's zone; ``None`` keeps ``moment``'s own offset.
    """
    return moment.date() if tz is None else moment.astimezone(tz).date()


def day_number(start: dt.date, day: dt.date) -> int:
    """Calendar days from ``start`` to ``day`` (0 on ``start`` itself)."""
    return (day - start).days


def initiation_last_day(referral_day: dt.date, days: int = INITIATION_DAYS) -> dt.date:
    """The last date on which an intake still counts as initiation (day ``days - 1``)."""
    return referral_day + dt.timedelta(days=days - 1)


def initiation_day(referral_day: dt.date, intake_day: dt.date, days: int = INITIATION_DAYS) -> bool:
    """True when an intake on ``intake_day`` initiates treatment for that referral.

    Example:
        >>> d = dt.date(2025, 3, 1)
        >>> [initiation_day(d, d + dt.timedelta(days=n)) for n in (-1, 0, 13, 14)]
        [False, True, True, False]
    """
    return 0 <= day_number(referral_day, intake_day) < days


def engagement_day(intake_day: dt.date, contact_day: dt.date, days: int = ENGAGEMENT_DAYS) -> bool:
    """True when a treatment contact on ``contact_day`` counts towards engagement.

    Example:
        >>> d = dt.date(2025, 3, 1)
        >>> [engagement_day(d, d + dt.timedelta(days=n)) for n in (0, 1, 34, 35)]
        [False, True, True, False]
    """
    return 1 <= day_number(intake_day, contact_day) <= days


def reached_engagement(
    intake_day: dt.date,
    contact_days: Iterable[dt.date],
    *,
    days: int = ENGAGEMENT_DAYS,
    contacts: int = ENGAGEMENT_CONTACTS,
) -> int | None:
    """The index in ``contact_days`` of the contact that made engagement, or ``None``.

    ``contact_days`` are the dates of treatment contacts in time order; the caller has
    checked that the intake on ``intake_day`` was an initiation.
    """
    counted = 0
    for index, day in enumerate(contact_days):
        if engagement_day(intake_day, day, days):
            counted += 1
            if counted >= contacts:
                return index
    return None
