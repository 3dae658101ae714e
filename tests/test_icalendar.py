"""The follow-up calendar: RFC 5545 that parses back, stable UIDs, reminders, no person data."""

from __future__ import annotations

import datetime as dt

import icalendar

from deflectkit.core.followup import Case, CaseEvent, open_case
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import zone
from deflectkit.interop.icalendar import PRODID, case_calendar, case_reference, contact_uid

DENVER = zone("America/Denver")
REF = dt.datetime(2025, 3, 3, 14, 30, tzinfo=DENVER)
H = dt.timedelta(hours=1)


def the_case(referral_id: str = "ref-2025-0042") -> Case:
    """A Denver case whose day-7 falls after the spring DST change."""
    return open_case(None, FollowUpPlan(), referral_at=REF, referral_id=referral_id)


def parsed(data: bytes) -> icalendar.Calendar:
    """The calendar parsed back by the icalendar package."""
    return icalendar.Calendar.from_ical(data)


def events_of(cal: icalendar.Calendar) -> list[icalendar.cal.Component]:
    """The VEVENT components."""
    return list(cal.walk("VEVENT"))


def calendar_at(case: Case, now: dt.datetime) -> list[icalendar.cal.Component]:
    """The events of the case's calendar as of ``now``, parsed back."""
    return events_of(parsed(case_calendar(case, now=now)))


class TestCalendar:
    """Structure, times and privacy of the calendar file."""

    def test_required_properties(self) -> None:
        """PRODID, VERSION and each event's UID, DTSTAMP, DTSTART and SUMMARY are present."""
        cal = parsed(case_calendar(the_case(), now=REF))

        assert (PRODID, "2.0") == (str(cal["prodid"]), str(cal["version"]))
        events = events_of(cal)
        assert 5 == len(events)
        for event in events:
            assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY", "DURATION"} <= set(event.keys())
        assert "deflectkit: day-7 follow-up call" == str(events[1]["summary"])

    def test_wall_clock_times_with_tzid(self) -> None:
        """Each DTSTART is 14:30 in America/Denver, before and after the DST change."""
        data = case_calendar(the_case(), now=REF)
        starts = [e.decoded("dtstart") for e in events_of(parsed(data))]

        assert [dt.time(14, 30)] * 5 == [s.time() for s in starts]
        assert "2025-03-10T14:30:00-06:00" == starts[1].isoformat()
        assert b"DTSTART;TZID=America/Denver:20250310T143000" in data
        assert b"BEGIN:VTIMEZONE" in data

    def test_alarm(self) -> None:
        """Every event carries a display reminder before it."""
        for event in events_of(parsed(case_calendar(the_case(), now=REF))):
            (alarm,) = event.walk("VALARM")
            assert "DISPLAY" == str(alarm["action"])
            assert alarm.decoded("trigger") < dt.timedelta(0)

    def test_stable_uids(self) -> None:
        """UIDs depend on the referral and contact only: re-exporting later keeps them."""
        case = the_case()
        first = [str(e["uid"]) for e in events_of(parsed(case_calendar(case, now=REF)))]
        later = [str(e["uid"]) for e in calendar_at(case, REF + 9 * 24 * H)]

        assert contact_uid("ref-2025-0042", "day-30") in first
        assert later == [u for u in first if u in later]
        assert contact_uid("ref-2025-0042", "day-30") != contact_uid("ref-2025-0043", "day-30")

    def test_only_pending_contacts(self) -> None:
        """Reached and closed-out contacts are not in the calendar; extra contacts are."""
        case = the_case().apply_all(
            [
                CaseEvent(REF + 25 * H, "followup_attempt", reached=True),
                CaseEvent(REF + 30 * H, "return_to_use"),
            ]
        )
        summaries = [str(e["summary"]) for e in calendar_at(case, REF + 31 * H)]

        assert "deflectkit: day-1 follow-up call" not in summaries
        assert "deflectkit: Re-engagement after a return to use" == summaries[0]

    def test_closed_case_has_no_events(self) -> None:
        """A closed case gives an empty, still valid calendar."""
        case = the_case().apply(CaseEvent(REF + H, "closed"))

        assert [] == events_of(parsed(case_calendar(case, now=REF + 2 * H)))

    def test_no_person_data(self) -> None:
        """Neither the referral id nor event notes appear in the file."""
        case = the_case().apply(CaseEvent(REF + 25 * H, "followup_attempt", reached=False,
                                          note="Jane Example, 520-555-0100"))
        data = case_calendar(case, now=REF + 26 * H)

        assert b"ref-2025-0042" not in data
        assert b"Example" not in data
        assert b"555" not in data
        assert case_reference("ref-2025-0042").encode() in data


class TestReopened:
    """The calendar follows the schedule of a case reopened after lost_to_contact."""

    def test_lost_case_has_no_calls_and_reopened_case_has_the_next_checkpoint(self) -> None:
        """Lost on the day after day 13: nothing to call; a contact on day 35 puts day-90 back."""
        lost_now = REF + dt.timedelta(days=20)
        back = REF + dt.timedelta(days=35)
        case = the_case()

        assert [] == calendar_at(case, lost_now)
        reopened = case.apply(CaseEvent(back, "treatment_contact"))
        summaries = [str(e["SUMMARY"]) for e in calendar_at(reopened, back + H)]
        expected = ["deflectkit: day-90 follow-up call", "deflectkit: day-180 follow-up call"]
        assert expected == summaries
