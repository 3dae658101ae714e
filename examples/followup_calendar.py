"""Tutorial 3: run a follow-up case and export its calendar.

After the hand-off, a peer navigator follows the person up at days 1, 7, 30, 90 and 180
(the policy's follow-up plan). A :class:`deflectkit.Case` is immutable: each event gives a
new case, and asking "what is due?" at a moment you choose always gives the same answer.
The calendar file holds no person data, only what to do and when.

Run it from the repository root::

    python examples/followup_calendar.py [OUT.ics]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import deflectkit as dk
from deflectkit.interop.icalendar import case_calendar

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "data" / "policies" / "model-deflection.yaml"
ZONE = ZoneInfo("America/Phoenix")
REFERRED_AT = dt.datetime(2025, 3, 3, 14, 30, tzinfo=ZONE)


def at(days: float, hours: float = 0) -> dt.datetime:
    """A moment ``days`` and ``hours`` after the referral, in the program's zone."""
    return REFERRED_AT + dt.timedelta(days=days, hours=hours)


def show(case: dk.Case, now: dt.datetime) -> None:
    """The navigator's view of the case at ``now``."""
    state = case.at(now)
    print(f"as of {now:%Y-%m-%d %H:%M}: status {state.status}, initiated {state.initiated}, "
          f"engaged {state.engaged}")
    for contact in state.contacts:
        print(f"  {contact.id:<16} due {contact.due:%Y-%m-%d %H:%M}  {contact.status}"
              f"  attempts {contact.attempts}")
    for due in case.due(now):
        print(f"  DUE NOW: {due.label} ({due.attempts_left} attempt(s) left)")


def main() -> int:
    """Open a case, apply a month of events, print the schedule, write the calendar."""
    policy = dk.load_policy(POLICY_FILE)
    plan = policy.follow_up
    print(f"plan: checkpoints at days {list(plan.checkpoints_days)}, {plan.attempts} attempts "
          f"within {plan.attempt_window_hours} h, zone {policy.timezone}")

    case = dk.open_case(None, plan, referral_at=REFERRED_AT, timezone=policy.timezone,
                        pathway="officer_intervention", referral_id="ref-example-0001")
    print(f"opened: referral at {case.referral_at.isoformat()}, status {case.status}")
    print()

    # What happened, in time order (in your app: read from your case records).
    events = [
        dk.CaseEvent(at(0, 1), "handoff_completed"),
        dk.CaseEvent(at(1, 1), "followup_attempt", reached=False),
        dk.CaseEvent(at(1, 5), "followup_attempt", reached=True),
        dk.CaseEvent(at(2), "intake"),
        dk.CaseEvent(at(6), "treatment_contact"),
        dk.CaseEvent(at(7, 2), "followup_attempt", checkpoint="day-7", reached=True),
        dk.CaseEvent(at(9), "return_to_use"),
        dk.CaseEvent(at(13), "treatment_contact"),
    ]
    case = case.apply_all(events)
    show(case, at(10, 2))
    print()
    show(case, at(20))
    print()

    # An event that cannot happen is refused with the reason; the case is unchanged.
    try:
        case.apply(dk.CaseEvent(at(1), "intake"))
    except ValueError as error:
        print(f"refused: {error}")
    print()

    # The pending contacts as an RFC 5545 file for Outlook, Google or Apple Calendar.
    calendar = case_calendar(case, now=at(20))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp) / "followup.ics"
        out.write_bytes(calendar)
        print(f"calendar: {len(calendar)} bytes written to {out.name}")
    text = calendar.decode()
    print(f"pending contacts in it: {text.count('BEGIN:VEVENT')}")
    for line in text.splitlines():
        if line.startswith(("SUMMARY", "DTSTART;TZID")):
            print(f"  {line}")
    print(f"person data in calendar: {'ref-example-0001' in text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
