"""A follow-up case's pending contacts as an RFC 5545 calendar (``deflectkit followup --ics``).

One ``VEVENT`` per contact still pending at ``now`` (already due, or scheduled later), so a
peer navigator can import the file into Outlook, Google Calendar or Apple Calendar and get a
reminder. The calendar carries **no person data**: no names, no referral id, no notes, only
what to do and when. Each event's ``UID`` is a hash of the referral id and the contact id, so
importing an updated file replaces the earlier events instead of duplicating them, and the
short case reference in the text (also a hash) lets the navigator find the case in their own
records without the calendar saying who it is.

Times are written with a ``TZID`` of the program's IANA zone and the matching ``VTIMEZONE``,
which calendar apps need to keep a 14:30 call at 14:30 across a daylight-saving change.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.followup import open_case
    >>> from deflectkit.core.followup_plan import FollowUpPlan
    >>> from deflectkit.core.localtime import zone
    >>> at = dt.datetime(2025, 3, 3, 14, 30, tzinfo=zone("America/Phoenix"))
    >>> case = open_case(None, FollowUpPlan(), referral_at=at, referral_id="ref-1")
    >>> b"SUMMARY:deflectkit: day-1 follow-up call" in case_calendar(case, now=at)
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from deflectkit.core.case_state import Contact, contact_label
from deflectkit.core.followup import Case

__all__ = ["PRODID", "case_calendar", "case_reference", "contact_uid"]

#: Who made the calendar (RFC 5545 §3.7.3), as ``-//owner//product//language``.
PRODID = "-//deflectkit//deflectkit follow-up//EN"
#: How long each calendar entry lasts: the time to make one call.
EVENT_DURATION = dt.timedelta(minutes=30)
#: When the reminder fires, before the contact is due.
REMINDER_BEFORE = dt.timedelta(minutes=15)


def case_reference(referral_id: str) -> str:
    """A short, non-identifying reference for a case: ``case 3f2a9c1b``.

    The CLI prints the same reference, so a navigator can match calendar entries to cases.
    """
    return hashlib.sha256(f"deflectkit-case:{referral_id}".encode()).hexdigest()[:8]


def contact_uid(referral_id: str, contact_id: str) -> str:
    """A stable, globally unique ``UID`` for one contact of one referral."""
    digest = hashlib.sha256(f"{referral_id}\x1f{contact_id}".encode()).hexdigest()[:32]
    return f"{digest}@deflectkit"


def case_calendar(case: Case, *, now: dt.datetime) -> bytes:
    """The contacts of ``case`` still pending at ``now``, as an iCalendar file.

    Args:
        case: the follow-up case.
        now: the moment the calendar describes (also its ``DTSTAMP``).

    Returns:
        The calendar as RFC 5545 bytes (CRLF line ends, folded lines).
    """
    state = case.at(now)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "deflectkit follow-up")
    cal.add("x-wr-timezone", case.timezone)
    ref = case_reference(case.referral_id)
    stamp = now.astimezone(dt.UTC)
    pending = [c for c in state.contacts if c.status == "pending"]
    for contact in pending:
        cal.add_component(_event(case, contact, ref, stamp))
    if pending:
        # Only the transitions around the case: a short VTIMEZONE that every app reads.
        first = min(state.referral_at, stamp).date() - dt.timedelta(days=1)
        last = max(c.until for c in pending).date() + dt.timedelta(days=1)
        cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data


def _event(case: Case, contact: Contact, ref: str, stamp: dt.datetime) -> icalendar.Event:
    label = contact_label(contact.kind, contact.id)
    until = contact.until.strftime("%a %d %b %H:%M %Z")
    event = icalendar.Event()
    event.add("uid", contact_uid(case.referral_id, contact.id))
    event.add("dtstamp", stamp)
    event.add("dtstart", contact.due)
    event.add("duration", EVENT_DURATION)
    event.add("summary", f"deflectkit: {label}")
    event.add(
        "description",
        f"Case {ref}: {label}. Up to {case.plan.attempts} attempts until {until}. "
        "Record each attempt in deflectkit.",
    )
    event.add("categories", ["deflectkit", contact.kind])
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"deflectkit: {label}")
    alarm.add("trigger", -REMINDER_BEFORE)
    event.add_component(alarm)
    return event
