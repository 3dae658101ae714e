"""Reading a case's events from YAML or JSON, with problems at the event's position and line."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from deflectkit.core.followup import Case, CaseEvent, open_case
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import zone
from deflectkit.errors import EventLogError, Problem
from deflectkit.files.case_events import apply_case_events, parse_case_events, read_case_events

PHOENIX = zone("America/Phoenix")
REF = dt.datetime(2025, 3, 3, 14, 30, tzinfo=PHOENIX)
GOOD = """\
- {at: 2025-03-03T16:00:00-07:00, type: handoff_completed}
- at: 2025-03-04T15:10:00-07:00
  type: followup_attempt
  reached: false
  note: left a voicemail
- {at: "2025-03-05T09:00-07:00", type: intake}
- {at: 2025-03-06T09:00:00-07:00, type: followup_attempt, checkpoint: day-1, reached: yes}
"""


def the_case() -> Case:
    """A Phoenix case referred 2025-03-03 14:30."""
    return open_case(None, FollowUpPlan(), referral_at=REF, referral_id="ref-x")


def problems_of(text: str, *, case: Case | None = None) -> list[Problem]:
    """The problems reading ``text`` reports."""
    with pytest.raises(EventLogError) as info:
        parse_case_events(text, "events.yaml", case=case)
    return list(info.value.problems)


class TestReading:
    """Valid files read into CaseEvent values."""

    def test_yaml(self) -> None:
        """YAML timestamps, quoted ISO strings and YAML booleans all read."""
        events = parse_case_events(GOOD, "events.yaml", case=the_case())

        assert ["handoff_completed", "followup_attempt", "intake", "followup_attempt"] == [
            e.type for e in events
        ]
        assert dt.datetime(2025, 3, 5, 16, 0, tzinfo=dt.UTC) == events[2].at
        assert (False, None) == (events[1].reached, events[1].checkpoint)
        assert (True, "day-1") == (events[3].reached, events[3].checkpoint)
        assert "left a voicemail" == events[1].note

    def test_json_file(self, tmp_path: Path) -> None:
        """A JSON list with ISO strings reads the same way."""
        path = tmp_path / "events.json"
        path.write_text(
            json.dumps(
                [
                    {"at": "2025-03-04T15:10-07:00", "type": "followup_attempt", "reached": True},
                    {"at": "2025-03-05T09:00:00-07:00", "type": "intake"},
                ]
            )
        )

        case = apply_case_events(the_case(), path)

        assert "initiated" == case.status
        mst = dt.timezone(dt.timedelta(hours=-7))
        expected = (CaseEvent(dt.datetime(2025, 3, 5, 9, tzinfo=mst), "intake"),)
        assert expected == read_case_events(path)[1:]


class TestProblems:
    """Every problem names the file, line and the event's index."""

    def test_unknown_type_with_suggestion(self) -> None:
        """An unknown type is reported at its line with a did-you-mean."""
        text = (
            "- {at: 2025-03-04T10:00:00-07:00, type: intake}\n"
            "- {at: 2025-03-05T10:00:00-07:00, type: treatment_contacts}\n"
        )

        (problem,) = problems_of(text)

        assert ("events.yaml", 2, "[1].type") == (problem.path, problem.line, problem.field)
        assert "did you mean 'treatment_contact'?" in problem.message

    def test_all_problems_collected(self) -> None:
        """Several bad events give several problems, each at its own event."""
        text = (
            "- {at: 2025-03-04T10:00:00, type: intake}\n"
            "- {at: 2025-03-05T10:00:00-07:00, type: followup_attempt}\n"
            "- {at: 2025-03-06, type: closed}\n"
            "- {at: 2025-03-07T10:00:00-07:00, typ: closed}\n"
            "- just text\n"
        )

        problems = problems_of(text)

        expected = [
            (1, "[0].at"), (2, "[1].reached"), (3, "[2].at"), (4, "[3]"), (4, "[3].typ"), (5, "[4]")
        ]
        assert expected == [(p.line, p.field) for p in problems]
        assert "no UTC offset" in problems[0].message
        assert "2025-03-06 is a date; give the time too" in problems[2].message
        assert "the event has no 'type'" in problems[3].message
        assert "did you mean 'type'?" in problems[4].message

    def test_out_of_order(self) -> None:
        """An event earlier than the one before it is reported."""
        text = (
            "- {at: 2025-03-05T10:00:00-07:00, type: intake}\n"
            "- {at: 2025-03-04T10:00:00-07:00, type: handoff_completed}\n"
        )

        (problem,) = problems_of(text)

        assert (2, "[1].at") == (problem.line, problem.field)
        assert "out of time order" in problem.message

    def test_before_referral(self) -> None:
        """Given the case, an event before the referral is reported at its line."""
        text = "- {at: 2025-03-03T10:00:00-07:00, type: handoff_completed}\n"

        (problem,) = problems_of(text, case=the_case())

        assert (1, "[0].at") == (problem.line, problem.field)
        assert "before the referral" in problem.message

    def test_unknown_checkpoint(self) -> None:
        """Given the case, an unknown checkpoint id is reported with the nearest one."""
        text = (
            "- {at: 2025-03-04T10:00:00-07:00, type: intake}\n"
            "- {at: 2025-03-10T15:00:00-07:00, type: followup_attempt, checkpoint: day-6,\n"
            "   reached: true}\n"
        )

        (problem,) = problems_of(text, case=the_case())

        assert (2, "[1].checkpoint") == (problem.line, problem.field)
        assert "did you mean 'day-7'?" in problem.message

    def test_not_a_list(self) -> None:
        """The file must hold a list."""
        (problem,) = problems_of("at: 2025-03-04T10:00:00-07:00\ntype: intake\n")

        assert "expected a list of events" in problem.message

    def test_syntax_error_is_event_log_error(self) -> None:
        """Broken YAML is reported as an EventLogError with its line."""
        (problem,) = problems_of("- {at: 2025-03-04T10:00:00-07:00, type: intake\n")

        assert problem.line is not None
        assert "not valid YAML" in problem.message
