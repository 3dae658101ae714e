"""The follow-up case: scenarios, DST arithmetic and properties of the state machine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.api import open_case
from deflectkit.convert import to_json
from deflectkit.core.followup import CASE_EVENT_TYPES, Case, CaseEvent
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import localize, utc, zone
from deflectkit.vocabulary import CASE_STATUSES, CONTACT_KINDS, CONTACT_STATES, EVENT_TYPES

PHOENIX = zone("America/Phoenix")
DENVER = zone("America/Denver")
LONDON = zone("Europe/London")
PLAN = FollowUpPlan()
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)
REF = dt.datetime(2025, 3, 3, 14, 30, tzinfo=PHOENIX)


def new_case(at: dt.datetime = REF, **kwargs: object) -> Case:
    """A case opened with the default plan and a fixed id."""
    kwargs.setdefault("referral_id", "ref-test")
    return open_case(None, PLAN, referral_at=at, **kwargs)  # type: ignore[arg-type]


def attempt(at: dt.datetime, *, reached: bool, checkpoint: str | None = None) -> CaseEvent:
    """A follow-up attempt event."""
    return CaseEvent(at, "followup_attempt", checkpoint=checkpoint, reached=reached)


def day1(case: Case) -> str:
    """Day-1's due time in ISO 8601."""
    return case.at(case.referral_at).checkpoints[0].due.isoformat()


def contact(case: Case, now: dt.datetime, contact_id: str) -> tuple[str, int]:
    """(status, attempts) of one contact as of ``now``."""
    state = case.at(now)
    found = next(c for c in state.contacts if c.id == contact_id)
    return found.status, found.attempts


class TestSchedule:
    """Checkpoints at the same local wall-clock time N days later."""

    def test_design_example_json(self) -> None:
        """The JSON example: Phoenix, referral 2025-03-03 14:30, day-1 next."""
        case = open_case(
            None,
            PLAN,
            referral_at=dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.timezone(-7 * H)),
            timezone="America/Phoenix",
        )
        data = to_json(case.at(REF))

        assert "2025-03-03T14:30:00-07:00" == data["referral_at"]
        assert "America/Phoenix" == data["timezone"]
        assert ("referred", False, False) == (data["status"], data["initiated"], data["engaged"])
        assert {"id": "day-1", "due": "2025-03-04T14:30:00-07:00", "status": "pending",
                "attempts": 0}.items() <= data["checkpoints"][0].items()
        assert [] == data["extra_contacts"]
        assert {"kind": "checkpoint", "id": "day-1",
                "due": "2025-03-04T14:30:00-07:00"}.items() <= data["next_due"].items()

    def test_default_checkpoint_ids_and_days(self) -> None:
        """Day 1, 7, 30, 90 and 180, each at 14:30 local."""
        state = new_case().at(REF)

        assert ["day-1", "day-7", "day-30", "day-90", "day-180"] == [
            c.id for c in state.checkpoints
        ]
        assert [dt.date(2025, 3, 4), dt.date(2025, 3, 10), dt.date(2025, 4, 2),
                dt.date(2025, 6, 1), dt.date(2025, 8, 30)] == [
            c.due.date() for c in state.checkpoints
        ]
        assert {dt.time(14, 30)} == {c.due.time() for c in state.checkpoints}

    def test_configured_days(self) -> None:
        """A policy's own checkpoint days give ``day-N`` ids for those days."""
        # FollowUpPlan's ``converter=tuple`` hides the parameter type from mypy's attrs plugin.
        plan = FollowUpPlan(checkpoints_days=(2, 14))
        case = open_case(None, plan, referral_at=REF)

        assert ["day-2", "day-14"] == [c.id for c in case.at(REF).checkpoints]

    def test_fixed_offset_without_zone_is_refused(self) -> None:
        """A fixed offset has no DST rules, so the program's zone must be named."""
        with pytest.raises(ValueError, match="IANA time zone"):
            open_case(None, PLAN, referral_at=REF.astimezone(dt.timezone(-7 * H)))

    def test_naive_referral_is_refused(self) -> None:
        """A referral time without an offset means nothing."""
        with pytest.raises(ValueError, match="UTC offset"):
            open_case(None, PLAN, referral_at=dt.datetime(2025, 3, 3), timezone="America/Denver")

    def test_naive_referral_without_zone_is_called_naive(self) -> None:
        """Without ``timezone=`` too, a naive time is not said to have "a fixed offset"."""
        with pytest.raises(ValueError, match="referral_at needs a UTC offset"):
            open_case(None, PLAN, referral_at=dt.datetime(2025, 3, 3))

    def test_unknown_zone(self) -> None:
        """An unknown zone name is an error naming it."""
        with pytest.raises(ValueError, match="Mars/Olympus"):
            open_case(None, PLAN, referral_at=REF, timezone="Mars/Olympus")


class TestDaylightSaving:
    """DST changes make a day 23 or 25 hours; gap times move forward, repeats take the first."""

    def test_re_engagement_is_24_elapsed_hours_across_spring_forward(self) -> None:
        """A return to use at 02:00 the night before the change: due 03:00 MDT, not 02:00."""
        at = dt.datetime(2024, 3, 9, 2, 0, tzinfo=DENVER)
        case = new_case(at).apply(CaseEvent(at, "return_to_use"))

        (contact,) = [c for c in case.at(at).extra_contacts if c.kind == "re_engagement"]
        assert "2024-03-10T03:00:00-06:00" == contact.due.isoformat()

    @pytest.mark.parametrize(
        ("tz", "start", "hours"),
        [
            (DENVER, dt.datetime(2025, 3, 8, 14, 30), 23),  # spring forward 2025-03-09
            (DENVER, dt.datetime(2025, 11, 1, 14, 30), 25),  # fall back 2025-11-02
            (LONDON, dt.datetime(2025, 3, 29, 14, 30), 23),  # BST starts 2025-03-30
            (LONDON, dt.datetime(2025, 10, 25, 14, 30), 25),  # BST ends 2025-10-26
            (PHOENIX, dt.datetime(2025, 3, 8, 14, 30), 24),  # Arizona keeps MST
        ],
    )
    def test_day_one_over_a_change(self, tz: ZoneInfo, start: dt.datetime, hours: int) -> None:
        """Day 1 is 14:30 local the next day, however many real hours that is."""
        case = new_case(start.replace(tzinfo=tz))
        day1 = case.at(case.referral_at).checkpoints[0].due

        assert (start + D).replace(tzinfo=None) == day1.replace(tzinfo=None)
        assert dt.timedelta(hours=hours) == day1.astimezone(dt.UTC) - case.referral_at.astimezone(
            dt.UTC
        )

    def test_denver_gap_moves_forward(self) -> None:
        """02:30 on 2025-03-09 does not exist in Denver: the checkpoint is 03:30 MDT."""
        case = new_case(dt.datetime(2025, 3, 8, 2, 30, tzinfo=DENVER))

        assert "2025-03-09T03:30:00-06:00" == day1(case)

    def test_london_gap_moves_forward(self) -> None:
        """01:30 on 2025-03-30 does not exist in London: the checkpoint is 02:30 BST."""
        case = new_case(dt.datetime(2025, 3, 29, 1, 30, tzinfo=LONDON))

        assert "2025-03-30T02:30:00+01:00" == day1(case)

    def test_denver_repeat_takes_first_occurrence(self) -> None:
        """01:30 happens twice on 2025-11-02 in Denver: the first (MDT, -06:00) is used."""
        case = new_case(dt.datetime(2025, 11, 1, 1, 30, tzinfo=DENVER))

        assert "2025-11-02T01:30:00-06:00" == day1(case)

    def test_london_repeat_takes_first_occurrence(self) -> None:
        """01:30 happens twice on 2025-10-26 in London: the first (BST, +01:00) is used."""
        case = new_case(dt.datetime(2025, 10, 25, 1, 30, tzinfo=LONDON))

        assert "2025-10-26T01:30:00+01:00" == day1(case)

    def test_referral_in_second_occurrence(self) -> None:
        """A referral at the repeated hour's second occurrence keeps its wall time next day."""
        second = dt.datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=DENVER)
        case = new_case(second)

        assert "2025-11-02T01:30:00-07:00" == case.referral_at.isoformat()
        assert "2025-11-03T01:30:00-07:00" == case.at(second).checkpoints[0].due.isoformat()

    def test_localize_rules(self) -> None:
        """``localize`` moves gap times forward and takes the first of repeated times."""
        assert "2025-03-09T03:30:00-06:00" == localize(
            dt.datetime(2025, 3, 9, 2, 30), DENVER
        ).isoformat()
        assert "2025-11-02T01:30:00-06:00" == localize(
            dt.datetime(2025, 11, 2, 1, 30), DENVER
        ).isoformat()
        assert "2025-10-26T01:30:00+01:00" == localize(
            dt.datetime(2025, 10, 26, 1, 30), LONDON
        ).isoformat()

    def test_hour_intervals_are_real_hours(self) -> None:
        """Outreach 72 h after an overdose is 72 real hours: 15:30 MDT after the change."""
        start = dt.datetime(2025, 3, 8, 14, 30, tzinfo=DENVER)
        outreach = new_case(start, pathway="naloxone_plus").at(start).extra_contacts[0]

        assert "2025-03-11T15:30:00-06:00" == outreach.due.isoformat()
        assert "2025-03-14T15:30:00-06:00" == outreach.until.isoformat()

    def test_re_engagement_over_fall_back(self) -> None:
        """A return to use at 20:00 MDT the night before fall-back: due 19:00 MST next day."""
        report = dt.datetime(2025, 11, 1, 20, 0, tzinfo=DENVER)
        case = new_case(dt.datetime(2025, 10, 31, 9, 0, tzinfo=DENVER))
        state = case.apply(CaseEvent(report, "return_to_use")).at(report)

        assert "2025-11-02T19:00:00-07:00" == state.extra_contacts[0].due.isoformat()

    def test_events_in_the_repeated_hour_keep_their_order(self) -> None:
        """01:10 MST (second pass) comes after 01:30 MDT (first pass) on fall-back night."""
        case = new_case(dt.datetime(2025, 11, 1, 9, 0, tzinfo=DENVER))
        first = dt.datetime(2025, 11, 2, 1, 30, tzinfo=DENVER)
        second = dt.datetime(2025, 11, 2, 1, 10, fold=1, tzinfo=DENVER)

        case = case.apply_all([CaseEvent(first, "intake"), CaseEvent(second, "handoff_completed")])

        assert "2025-11-02T01:10:00-07:00" == case.at(second).handoff_at.isoformat()  # type: ignore[union-attr]
        with pytest.raises(ValueError, match="out of time order"):
            case.apply(CaseEvent(first, "treatment_contact"))

    def test_initiation_window_counts_local_days(self) -> None:
        """The window is days 0-13 (HEDIS IET): it ends at local midnight after day 13,
        across the spring change (2025-03-09 in Denver is 23 hours long)."""
        start = dt.datetime(2025, 3, 1, 14, 30, tzinfo=DENVER)
        case = new_case(start).apply(attempt(start + D, reached=True))
        last = dt.datetime(2025, 3, 14, 23, 59, tzinfo=DENVER)  # day 13

        assert "referred" == case.status_at(last)
        assert "not_initiated" == case.status_at(last + dt.timedelta(minutes=1))
        on_day_13 = case.apply(CaseEvent(last, "intake"))
        assert ("initiated", "-06:00") == (on_day_13.status, last.isoformat()[-6:])
        on_day_14 = case.apply(CaseEvent(last + dt.timedelta(minutes=1), "intake"))
        assert ("started_late", False) == (on_day_14.status, on_day_14.at(last + D).initiated)


class TestAttempts:
    """Up to 3 attempts within 72 hours; unable_to_contact; lost_to_contact after two."""

    def test_reached_attempt(self) -> None:
        """A reached attempt makes the checkpoint reached and moves next_due on."""
        case = new_case().apply(attempt(REF + 25 * H, reached=True))

        assert ("reached", 1) == contact(case, REF + 26 * H, "day-1")
        assert "day-7" == case.at(REF + 26 * H).next_due.id  # type: ignore[union-attr]

    def test_three_failed_attempts(self) -> None:
        """The third failed attempt makes the checkpoint unable_to_contact at once."""
        case = new_case().apply_all(
            [attempt(REF + (24 + h) * H, reached=False) for h in (1, 20, 40)]
        )

        assert ("unable_to_contact", 3) == contact(case, REF + 65 * H, "day-1")
        assert ("pending", 0) == contact(case, REF + 65 * H, "day-7")
        assert "referred" == case.status

    def test_window_passes_without_contact(self) -> None:
        """No reached attempt by due + 72 h: unable_to_contact; the next stays scheduled."""
        case = new_case().apply(attempt(REF + 30 * H, reached=False))
        end = REF + D + 72 * H

        assert ("pending", 1) == contact(case, end, "day-1")
        assert ("unable_to_contact", 1) == contact(case, end + dt.timedelta(seconds=1), "day-1")
        assert "day-7" == case.at(end + H).next_due.id  # type: ignore[union-attr]

    def test_attempt_after_window_changes_nothing(self) -> None:
        """An attempt after the window is kept in history but is not counted."""
        late = REF + D + 73 * H
        case = new_case().apply(attempt(late, reached=True, checkpoint="day-1"))

        assert ("unable_to_contact", 0) == contact(case, late, "day-1")
        assert 1 == len(case.events)

    def test_fourth_attempt_not_counted(self) -> None:
        """Attempts beyond the plan's number do not count."""
        events = [attempt(REF + D + h * H, reached=False) for h in (1, 2, 3)]
        case = new_case().apply_all([*events, attempt(REF + D + 4 * H, reached=True)])

        assert ("unable_to_contact", 3) == contact(case, REF + D + 5 * H, "day-1")

    def test_unnamed_attempt_goes_to_latest_due(self) -> None:
        """An attempt on day 8 belongs to day-7, the latest checkpoint due before it."""
        case = new_case().apply(attempt(REF + 8 * D, reached=True))

        assert ("reached", 1) == contact(case, REF + 8 * D, "day-7")

    def test_attempt_before_day_one(self) -> None:
        """An attempt before any checkpoint is due counts for day-1."""
        case = new_case().apply(attempt(REF + 3 * H, reached=True))

        assert ("reached", 1) == contact(case, REF + 3 * H, "day-1")

    def test_named_checkpoint(self) -> None:
        """An attempt may name its checkpoint, e.g. a late day-1 call made on day 2."""
        case = new_case().apply(attempt(REF + 8 * D, reached=False, checkpoint="day-1"))

        assert ("unable_to_contact", 0) == contact(case, REF + 8 * D, "day-1")
        case = new_case().apply(attempt(REF + 2 * D, reached=True, checkpoint="day-1"))
        assert ("reached", 1) == contact(case, REF + 2 * D, "day-1")

    def test_two_unreached_in_a_row_lost_only_after_initiation_window(self) -> None:
        """Day-1 and day-7 both unable_to_contact (day 10): lost_to_contact, but not before
        the initiation window ends at the midnight after day 13; pending contacts set aside."""
        case = new_case()
        end_day7 = REF + 7 * D + 72 * H
        window_end = dt.datetime(2025, 3, 17, 0, 0, tzinfo=PHOENIX)  # REF is 2025-03-03
        state = case.at(window_end + H)

        assert "referred" == case.status_at(end_day7 + H)
        assert ("lost_to_contact", window_end) == (state.status, state.lost_at)
        assert state.closed_at is None
        assert ["unable_to_contact", "unable_to_contact", "skipped", "skipped", "skipped"] == [
            c.status for c in state.checkpoints
        ]
        assert state.next_due is None

    def test_intake_on_day_12_was_never_lost(self) -> None:
        """Two checkpoints unreached by day 10, intake on day 12: initiated, never lost."""
        case = new_case().apply(CaseEvent(REF + 12 * D, "intake"))
        state = case.at(REF + 20 * D)

        assert ("initiated", (), None) == (state.status, state.reopened, state.lost_at)

    def test_contact_after_lost_reopens(self) -> None:
        """A treatment contact on day 35 after lost_to_contact reopens the case: listed in
        ``reopened``, and the next checkpoint after it (day 90) is due as scheduled."""
        back = REF + 35 * D
        case = new_case().apply_all([CaseEvent(REF + 20 * D, "intake_missed")])
        assert "lost_to_contact" == case.status_at(back - H)

        case = case.apply(CaseEvent(back, "treatment_contact"))
        state = case.at(back + H)

        assert ("not_initiated", (back,), None) == (state.status, state.reopened, state.lost_at)
        assert ("checkpoint", "day-90") == (state.next_due.kind, state.next_due.id)  # type: ignore[union-attr]
        assert ["unable_to_contact", "unable_to_contact", "skipped", "pending", "pending"] == [
            c.status for c in state.checkpoints
        ]

    def test_not_in_a_row_stays_open(self) -> None:
        """Unable, reached, then day-30 counts the day-7 contact (it came after day-7 was
        due, so after the previous checkpoint): never two unreached in a row."""
        case = new_case().apply(attempt(REF + 7 * D + H, reached=True))
        state = case.at(REF + 40 * D)

        assert ["unable_to_contact", "reached", "reached"] == [
            c.status for c in state.checkpoints[:3]
        ]
        assert ("not_initiated", None, None) == (state.status, state.lost_at, state.closed_at)

    def test_treatment_contacts_keep_a_case_open(self) -> None:
        """Contacts on days 1, 11 and 34 (no calls logged): never lost, as the issue asked."""
        case = new_case().apply_all(
            [CaseEvent(REF + n * D + H, "treatment_contact") for n in (1, 11, 34)]
        )

        for n in (14, 33, 40):
            assert case.at(REF + n * D).lost_at is None

    def test_failed_attempt_after_intake_is_recorded(self) -> None:
        """A failed call after the intake counts for day-1 (pending until due + 72 h), and
        one for a contact already reached is counted in ``uncounted_attempts``."""
        case = new_case().apply_all(
            [
                CaseEvent(REF + 3 * H, "intake"),
                attempt(REF + 25 * H, reached=False),
                attempt(REF + 26 * H, reached=True),
                attempt(REF + 27 * H, reached=False, checkpoint="day-1"),
            ]
        )
        state = case.at(REF + 28 * H)

        assert ("reached", 2) == contact(case, REF + 28 * H, "day-1")
        assert 1 == state.uncounted_attempts

    def test_events_after_closed_are_kept_and_ignored(self) -> None:
        """Only a closed event ends a case; later events are kept but change nothing."""
        closed = new_case().apply(CaseEvent(REF + 3 * D, "closed"))
        late = CaseEvent(REF + 20 * D, "intake")

        assert [] == closed.check(late)
        assert REF + 3 * D == closed.closed_before(late)
        after = closed.apply(late)
        assert ("closed", None) == (after.status, after.at(late.at).intake_at)


class TestTreatment:
    """Missed intake, initiation, engagement, return to use, naloxone-plus, closing."""

    def test_return_to_use_schedules_re_engagement(self) -> None:
        """Return to use: re_engagement due 24 h later; checkpoints and status unchanged."""
        base = new_case().apply(CaseEvent(REF + 2 * D, "intake"))
        case = base.apply(CaseEvent(REF + 5 * D, "return_to_use"))
        state = case.at(REF + 5 * D + H)

        assert [("re_engagement", "re_engagement-1", REF + 6 * D)] == [
            (c.kind, c.id, c.due) for c in state.extra_contacts
        ]
        assert base.at(REF + 5 * D + H).checkpoints == state.checkpoints
        assert "initiated" == state.status
        assert state.closed_at is None

    def test_reached_attempt_answers_re_engagement(self) -> None:
        """Reaching the person after the report answers the re-engagement contact."""
        case = new_case().apply_all(
            [CaseEvent(REF + 5 * D, "return_to_use"), attempt(REF + 5 * D + 3 * H, reached=True)]
        )

        assert ("reached", 0) == contact(case, REF + 6 * D, "re_engagement-1")

    def test_missed_intake(self) -> None:
        """A missed intake: status intake_missed, re_contact due 24 h after the appointment."""
        missed = REF + 3 * D
        case = new_case().apply(CaseEvent(missed, "intake_missed"))
        state = case.at(missed + H)

        assert "intake_missed" == state.status
        assert [("re_contact", missed + D)] == [(c.kind, c.due) for c in state.extra_contacts]

    def test_missed_intake_does_not_restart_window(self) -> None:
        """Missed on day 10, intake on day 15: too late for initiation, started late."""
        case = new_case().apply_all(
            [
                attempt(REF + 25 * H, reached=True),
                CaseEvent(REF + 10 * D, "intake_missed"),
                CaseEvent(REF + 15 * D, "intake"),
            ]
        )
        state = case.at(REF + 16 * D)

        assert ("started_late", False) == (state.status, state.initiated)
        assert REF + 15 * D == state.intake_at
        assert state.closed_at is None

    def test_intake_after_missed_skips_re_contact(self) -> None:
        """An intake after a missed one initiates and makes the pending re-contact unneeded."""
        case = new_case().apply_all(
            [CaseEvent(REF + 3 * D, "intake_missed"), CaseEvent(REF + 3 * D + 5 * H, "intake")]
        )

        assert "initiated" == case.status
        assert ("skipped", 0) == contact(case, REF + 4 * D, "re_contact-1")

    def test_not_initiated_after_14_days(self) -> None:
        """No intake by the end of day 13: not_initiated, and contacts are still scheduled."""
        case = new_case().apply(attempt(REF + 7 * D, reached=True))
        state = case.at(REF + 15 * D)

        assert "not_initiated" == state.status
        assert "referred" == case.status  # as of the last event, on day 7
        assert state.next_due is not None

    def test_engagement_window_inclusive(self) -> None:
        """Two treatment contacts from the day after intake through day 34: engaged."""
        intake = REF + 2 * D
        case = new_case().apply_all(
            [
                attempt(REF + 25 * H, reached=True),
                CaseEvent(intake, "intake"),
                CaseEvent(intake + 2 * H, "treatment_contact"),  # intake day: not counted
                CaseEvent(intake + 5 * D + H, "treatment_contact"),  # also day-7's contact
                CaseEvent(intake + 34 * D, "treatment_contact"),
            ]
        )
        state = case.at(intake + 34 * D)

        assert ("engaged", True, True) == (state.status, state.initiated, state.engaged)
        assert intake + 34 * D == state.engaged_at

    def test_engagement_day_35_too_late(self) -> None:
        """A contact on day 35 after intake does not count toward engagement."""
        intake = REF + 2 * D
        case = new_case().apply_all(
            [
                attempt(REF + 25 * H, reached=True),
                CaseEvent(intake, "intake"),
                CaseEvent(intake + 5 * D + H, "treatment_contact"),  # also day-7's contact
                CaseEvent(intake + 35 * D, "treatment_contact"),
            ]
        )

        assert ("initiated", False) == (case.status, case.at(intake + 36 * D).engaged)

    def test_naloxone_plus_outreach(self) -> None:
        """A naloxone-plus case gets outreach due 72 h after the overdose."""
        case = new_case(pathway="naloxone_plus")
        state = case.at(REF)

        assert [("outreach", "outreach", REF + 72 * H)] == [
            (c.kind, c.id, c.due) for c in state.extra_contacts
        ]
        assert [] == [c.kind for c in new_case().at(REF).extra_contacts]

    def test_pathway_from_decision(self) -> None:
        """The pathway is read from a Decision or Referral-like object."""

        @attrs.frozen
        class FakeDecision:
            pathway: str | None

        case = open_case(FakeDecision("naloxone_plus"), PLAN, referral_at=REF)

        assert "naloxone_plus" == case.pathway

    def test_closed_event(self) -> None:
        """A closed event closes the case; pending contacts are skipped."""
        case = new_case().apply(CaseEvent(REF + 3 * H, "closed", note="moved away"))
        state = case.at(REF + 3 * D)

        assert ("closed", REF + 3 * H) == (state.status, state.closed_at)
        assert {"skipped"} == {c.status for c in state.checkpoints}
        assert "moved away" not in repr(case)

    def test_treatment_contact_in_window_reaches_checkpoint(self) -> None:
        """A treatment contact during day-7's window means the person was in contact."""
        case = new_case().apply(CaseEvent(REF + 7 * D + 5 * H, "treatment_contact"))

        assert ("reached", 0) == contact(case, REF + 8 * D, "day-7")
        assert "day-30" == case.at(REF + 11 * D).next_due.id  # type: ignore[union-attr]

    def test_handoff_recorded(self) -> None:
        """A completed hand-off is recorded without changing the status."""
        case = new_case().apply(CaseEvent(REF + H, "handoff_completed"))

        assert ("referred", REF + H) == (case.status, case.at(REF + H).handoff_at)


class TestLinksAndValidation:
    """Linked referrals and events refused by the case."""

    def test_linked_referrals(self) -> None:
        """A new referral links to an earlier case and to what that one linked to."""
        first = new_case(referral_id="ref-1")
        second = new_case(REF + 30 * D, referral_id="ref-2", linked_to=[first, "ref-0"])
        third = new_case(REF + 60 * D, referral_id="ref-3", linked_to=[second])

        assert ("ref-1", "ref-0") == second.linked_to
        assert ("ref-2", "ref-1", "ref-0") == third.linked_to

    def test_self_link_refused(self) -> None:
        """A referral cannot be linked to itself."""
        with pytest.raises(ValueError, match="itself"):
            new_case(referral_id="ref-1", linked_to=["ref-1"])

    def test_default_ids_are_unique(self) -> None:
        """Two people referred in the same minute on the same pathway get different ids."""
        one = open_case(None, PLAN, referral_at=REF, pathway="self_referral")
        two = open_case(None, PLAN, referral_at=REF, pathway="self_referral")

        assert one.referral_id != two.referral_id
        assert one.referral_id.startswith("ref-")

    @pytest.mark.parametrize(
        ("event", "message"),
        [
            (CaseEvent(REF - H, "intake"), "before the referral"),
            (attempt(REF + 2 * H, reached=True, checkpoint="day-8"), "did you mean 'day-7'"),
        ],
    )
    def test_refused_events(self, event: CaseEvent, message: str) -> None:
        """Events before the referral or naming unknown checkpoints are refused."""
        with pytest.raises(ValueError, match=message):
            new_case().apply(event)

    def test_out_of_order(self) -> None:
        """Events must come in time order."""
        case = new_case().apply(CaseEvent(REF + 2 * H, "intake"))

        with pytest.raises(ValueError, match="out of time order"):
            case.apply(CaseEvent(REF + H, "handoff_completed"))

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"at": dt.datetime(2025, 3, 4, 10), "type": "intake"}, "no UTC offset"),
            ({"at": REF, "type": "intak"}, "did you mean 'intake'"),
            ({"at": REF, "type": "referred"}, "program log"),
            ({"at": REF, "type": "followup_attempt"}, "reached"),
            ({"at": REF, "type": "intake", "reached": True}, "only a followup_attempt"),
        ],
    )
    def test_invalid_event_fields(self, kwargs: dict[str, object], message: str) -> None:
        """CaseEvent checks its own fields."""
        with pytest.raises(ValueError, match=message):
            CaseEvent(**kwargs)  # type: ignore[arg-type]

    def test_immutable(self) -> None:
        """apply returns a new case; the old one is unchanged."""
        case = new_case()
        newer = case.apply(CaseEvent(REF + H, "intake"))

        assert () == case.events
        assert "initiated" == newer.status

    def test_due_lists_only_due_contacts(self) -> None:
        """due(now) lists pending contacts whose time has come, with attempts left."""
        case = new_case().apply(attempt(REF + 25 * H, reached=False))
        due = case.due(REF + 26 * H)

        assert [("day-1", 1, 2)] == [(d.id, d.attempts, d.attempts_left) for d in due]
        assert "day-1 follow-up call" == due[0].label
        assert [] == case.due(REF + H)


# --- properties -------------------------------------------------------------------------

# Lord Howe Island shifts by 30 minutes: a DST change that is not a whole hour.
ZONES = st.sampled_from(
    ["America/Denver", "Europe/London", "America/Phoenix", "Australia/Lord_Howe"]
)
EVENT_STEP = st.tuples(
    st.integers(min_value=0, max_value=60 * 24 * 20),  # minutes after the previous event
    st.sampled_from(CASE_EVENT_TYPES),
    st.booleans(),
    st.sampled_from([None, "day-1", "day-7", "day-30"]),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Case, list[CaseEvent]]:
    """A case in a DST-observing zone and a time-ordered event sequence for it."""
    tz = zone(draw(ZONES))
    start = draw(
        st.datetimes(
            min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31),
            timezones=st.just(tz),
            allow_imaginary=False,  # a local time the spring clock change skipped is no instant
        )
    )
    pathway = draw(st.sampled_from([None, "naloxone_plus", "self_referral"]))
    case = open_case(None, PLAN, referral_at=start, timezone=tz.key, pathway=pathway)
    at = case.referral_at
    events = []
    for minutes, kind, reached, checkpoint in draw(st.lists(EVENT_STEP, max_size=12)):
        # Time passes in UTC: wall-clock arithmetic in the zone would step backwards (or into a
        # skipped hour) across a clock change, and the sequence must stay in time order.
        at = (at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes)).astimezone(tz)
        if kind == "followup_attempt":
            events.append(CaseEvent(at, kind, checkpoint=checkpoint, reached=reached))
        else:
            events.append(CaseEvent(at, kind))
    return case, events


def apply_valid(case: Case, events: list[CaseEvent]) -> Case:
    """Apply events in order, stopping where the case refuses one (an unknown contact id)."""
    for event in events:
        problems = case.check(event)
        if problems:
            assert [f for f, _ in problems] == ["checkpoint"], problems
            break
        case = case.apply(event)
    return case


class TestProperties:
    """Any time-ordered event sequence gives a valid, deterministic case."""

    @given(cases())
    def test_any_sequence_gives_valid_case(self, drawn: tuple[Case, list[CaseEvent]]) -> None:
        """Statuses and contact states are vocabulary words; attempts stay within the plan."""
        case = apply_valid(*drawn)
        last = case.events[-1].at if case.events else case.referral_at
        for now in (last, last + 200 * D):
            state = case.at(now)
            assert state.status in CASE_STATUSES
            assert not state.engaged or state.initiated
            for c in state.contacts:
                assert c.status in CONTACT_STATES
                assert c.kind in CONTACT_KINDS
                assert 0 <= c.attempts <= PLAN.attempts
                assert utc(c.due) > utc(case.referral_at)  # never before the referral
            assert (state.closed_at is not None) == (state.status == "closed")
            lost = state.lost_at is not None and state.closed_at is None
            assert lost == (state.status == "lost_to_contact")
            assert state.initiated or state.status not in {"initiated", "engaged"}
            assert {e.type for e in case.events} <= set(EVENT_TYPES.words)

    @given(cases())
    def test_deterministic(self, drawn: tuple[Case, list[CaseEvent]]) -> None:
        """Applying the same events twice gives equal cases and equal states."""
        one, two = apply_valid(*drawn), apply_valid(*drawn)
        now = drawn[0].referral_at + 100 * D

        assert one == two
        assert to_json(one.at(now)) == to_json(two.at(now))

    @given(cases())
    def test_return_to_use_never_closes(self, drawn: tuple[Case, list[CaseEvent]]) -> None:
        """A return to use never closes a case and always schedules a re-engagement."""
        case, events = drawn
        for event in events:
            if case.check(event) or case.closed_before(event):
                break  # after `closed` events are kept and ignored
            after = case.apply(event)
            if event.type == "return_to_use":
                state = after.at(event.at)
                before = case.at(event.at)
                if before.status == "lost_to_contact":  # the person was seen: reopened
                    assert state.reopened[-1] == event.at
                elif before.closed_at is None:
                    assert state.closed_at is None
                    assert state.status == before.status
                assert any(
                    # 24 elapsed hours, compared in UTC: across a DST change the wall
                    # clock moves by 23 or 25 hours
                    c.kind == "re_engagement" and utc(c.due) == utc(event.at) + 24 * H
                    for c in state.extra_contacts
                )
            case = after


class TestWithPolicy:
    """A case opened from a real decision of the bundled model policy."""

    def test_overdose_decision_opens_naloxone_plus_case(self) -> None:
        """An overdose response is naloxone-plus: the case gets post-overdose outreach."""
        import deflectkit as dk
        from deflectkit.files.policy import load_policy

        data = Path(__file__).resolve().parent.parent / "data"
        policy = load_policy(data / "policies" / "model-deflection.yaml")
        at = dt.datetime(2025, 3, 1, 10, tzinfo=PHOENIX)
        facts = {
            "contact_at": at, "contact_type": "overdose_response", "age": 30, "offenses": [],
            "drug_amount_grams": 0.0, "sales_indicators": False, "warrant": "none",
            "supervision": "none", "weapon_present": False, "violence": False,
            "identified_victim": False, "medical_emergency": False, "danger_to_self": False,
            "danger_to_others": False, "responder": "police",
            "capable_of_consent": True, "consents": True, "needs": ["opioids"],
            "prior_deflections": 0,
        }
        decision = dk.assess(policy, facts)

        case = dk.open_case(decision, policy.follow_up, referral_at=at, timezone=policy.timezone)

        assert ("naloxone_plus", "America/Phoenix") == (case.pathway, case.timezone)
        assert [("outreach", at + 72 * H)] == [
            (c.kind, c.due) for c in case.at(at).extra_contacts
        ]

    def test_referral_opens_case(self) -> None:
        """A Referral gives the case its id, pathway and zone; the person stays out of it."""
        from deflectkit.core.referral import Person, Referral

        at = dt.datetime(2025, 3, 8, 14, 30, tzinfo=dt.timezone(-7 * H))
        referral = Referral(
            "ref-0001", "self_referral", at, "example-otp-clinic", "no_charge",
            timezone="America/Denver", person=Person("Pat Example"),
        )

        case = open_case(referral, PLAN, referral_at=referral.referred_at, linked_to=["ref-0000"])

        assert ("ref-0001", "self_referral", "America/Denver", ("ref-0000",)) == (
            case.referral_id, case.pathway, case.timezone, case.linked_to
        )
        assert "2025-03-09T14:30:00-06:00" == day1(case)
        assert "Example" not in repr(case)


def test_contact_literals_are_the_vocabulary_words() -> None:
    """The closed sets the types name are exactly the words the site and CLI label."""
    from typing import get_args

    from deflectkit.core.case_state import ContactKind, ContactStatus
    from deflectkit.vocabulary import CONTACT_KINDS, CONTACT_STATES

    assert tuple(CONTACT_STATES.words) == get_args(ContactStatus)
    assert tuple(CONTACT_KINDS.words) == get_args(ContactKind)


class TestIdSource:
    """The core draws no random ids: ``dk.open_case`` passes ``dk.new_referral_id``."""

    def test_core_open_case_needs_an_id_or_a_source(self) -> None:
        """Without ``referral_id``, a source id or ``new_id``, the core says what to give."""
        from deflectkit.core import followup as core

        with pytest.raises(TypeError, match=r"referral_id= .* or new_id="):
            core.open_case(None, PLAN, referral_at=REF)

    def test_core_open_case_draws_from_the_given_source(self) -> None:
        """A given ``new_id`` is called once; a given ``referral_id`` wins over it."""
        from deflectkit.core import followup as core

        ids = iter(["ref-a", "ref-b"])
        drawn = core.open_case(None, PLAN, referral_at=REF, new_id=lambda: next(ids))
        named = core.open_case(None, PLAN, referral_at=REF, new_id=lambda: next(ids),
                               referral_id="ref-mine")

        assert ("ref-a", "ref-mine") == (drawn.referral_id, named.referral_id)

