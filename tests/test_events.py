"""Tests for deflectkit.files.events: reading, checking and writing de-identified event logs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from deflectkit.core.events import Event
from deflectkit.errors import EventLogError
from deflectkit.files.events import COLUMNS, MAX_LISTED, read_events, write_events

DATA = Path(__file__).resolve().parents[1] / "data"
HEADER = ",".join(COLUMNS[:8])  # the optional minutes column left out
MST = dt.timezone(dt.timedelta(hours=-7))


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "log.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(EventLogError) as caught:
        list(read_events(path))
    return [p.format() for p in caught.value.problems]


GOOD = (
    "e1,2025-03-03T14:30:00-07:00,r1,offered,officer_intervention,k3x9,,",
    "e2,2025-03-03T14:40:00-07:00,r1,referred,officer_intervention,k3x9,,",
    "e3,2025-03-03T15:30:00-07:00,r1,handoff_completed,,,example-clinic,",
)


class TestReading:
    def test_csv_rows_become_events(self, tmp_path: Path) -> None:
        """Each good CSV row is one Event with its offset kept and empty cells as None."""
        events = list(read_events(_csv(tmp_path, *GOOD)))

        assert [
            Event("e1", dt.datetime(2025, 3, 3, 14, 30, tzinfo=MST), "r1", "offered",
                  "officer_intervention", "k3x9"),
            Event("e2", dt.datetime(2025, 3, 3, 14, 40, tzinfo=MST), "r1", "referred",
                  "officer_intervention", "k3x9"),
            Event("e3", dt.datetime(2025, 3, 3, 15, 30, tzinfo=MST), "r1", "handoff_completed",
                  provider_id="example-clinic"),
        ] == events  # fmt: skip

    def test_json_lines(self, tmp_path: Path) -> None:
        """A JSON Lines log reads the same as the CSV one."""
        path = tmp_path / "log.jsonl"
        rows = [dict(zip(COLUMNS[:8], line.split(","), strict=True)) for line in GOOD]
        path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")

        assert list(read_events(_csv(tmp_path, *GOOD))) == list(read_events(path))

    def test_reading_is_lazy(self, tmp_path: Path) -> None:
        """Nothing is read until the first event is asked for (it is a stream)."""
        path = _csv(tmp_path, *GOOD)
        events = read_events(path)
        path.unlink()

        with pytest.raises(EventLogError):
            next(events)

    def test_write_then_read_round_trip(self, tmp_path: Path) -> None:
        """write_events writes a log read_events gives back unchanged, and no temp file stays."""
        original = list(read_events(_csv(tmp_path, *GOOD)))
        out = tmp_path / "out" / "copy.csv"

        count = write_events(original, out)

        assert (3, original) == (count, list(read_events(out)))
        assert ["copy.csv"] == [p.name for p in out.parent.iterdir()]

    def test_committed_sample_is_valid(self) -> None:
        """The committed fictional sample reads without a problem, one event a data line."""
        path = DATA / "events" / "sample.csv"
        lines = path.read_text(encoding="utf-8").count("\n")

        assert lines - 1 == sum(1 for _ in read_events(path))


class TestProblems:
    def test_unknown_type_suggests(self, tmp_path: Path) -> None:
        """A misspelt type names file, line and column and suggests the right word."""
        path = _csv(tmp_path, "e1,2025-03-03T14:30:00-07:00,r1,refered,officer_intervention,k,,")

        assert [
            f"{path}:2:33: error: type: unknown event type 'refered'; did you mean 'referred'?"
        ] == _problems(path)

    def test_time_without_offset(self, tmp_path: Path) -> None:
        """A time with no UTC offset is refused at the `at` column."""
        path = _csv(tmp_path, "e1,2025-03-03T14:30:00,r1,offered,,,,")

        assert [
            f"{path}:2:4: error: at: time '2025-03-03T14:30:00' has no UTC offset; "
            "write it as e.g. 2025-03-03T14:30:00-07:00"
        ] == _problems(path)

    def test_not_a_time(self, tmp_path: Path) -> None:
        """Text that is not ISO 8601 is refused with an example."""
        path = _csv(tmp_path, "e1,yesterday,r1,offered,,,,")

        assert [
            f"{path}:2:4: error: at: 'yesterday' is not an ISO 8601 time such as "
            "2025-03-03T14:30:00-07:00"
        ] == _problems(path)

    def test_duplicate_event_id(self, tmp_path: Path) -> None:
        """A repeated event id is reported where it repeats, naming the first line."""
        path = _csv(tmp_path, *GOOD, "e2,2025-03-04T09:00:00-07:00,r1,intake,,,,")

        assert [
            f"{path}:5:1: error: event_id: duplicate event id 'e2' (first used on line 3)"
        ] == _problems(path)

    def test_duplicate_event_id_in_a_quoted_csv(self, tmp_path: Path) -> None:
        """With quoted fields (which may span lines) duplicates are still found exactly."""
        path = _csv(
            tmp_path,
            *GOOD,
            'e9,2025-03-04T09:00:00-07:00,r1,intake,,,,"note, with a comma"',
            'e9,2025-03-04T09:30:00-07:00,r1,treatment_contact,,,,"two\nlines"',
        )

        assert [
            f"{path}:6:1: error: event_id: duplicate event id 'e9' (first used on line 5)"
        ] == _problems(path)

    def test_duplicate_event_id_in_json_lines(self, tmp_path: Path) -> None:
        """JSON Lines duplicates point at the repeated value's column."""
        path = tmp_path / "log.jsonl"
        row = {"event_id": "e1", "at": "2025-03-03T14:30:00-07:00", "referral_id": "r1",
               "type": "offered"}  # fmt: skip
        path.write_text(json.dumps(row) + "\n" + json.dumps(row) + "\n")

        assert [
            f"{path}:2:14: error: event_id: duplicate event id 'e1' (first used on line 1)"
        ] == _problems(path)

    def test_out_of_order_for_one_referral(self, tmp_path: Path) -> None:
        """An event earlier than the previous one of the same referral is refused."""
        path = _csv(tmp_path, *GOOD, "e4,2025-03-03T15:00:00-07:00,r1,intake,,,,")

        assert [
            f"{path}:5:4: error: at: events out of order for referral 'r1': "
            "2025-03-03T15:00:00-07:00 comes after an event at 2025-03-03T15:30:00-07:00; "
            "list each referral's events in time order"
        ] == _problems(path)

    def test_other_referrals_may_interleave(self, tmp_path: Path) -> None:
        """Order is per referral: another referral's earlier event is fine."""
        path = _csv(
            tmp_path, *GOOD, "e4,2025-03-01T09:00:00-07:00,r2,encounter_assessed,self_referral,,,"
        )

        assert 4 == len(list(read_events(path)))

    def test_followup_without_referred(self, tmp_path: Path) -> None:
        """An intake for a referral with no referred event is refused at referral_id."""
        path = _csv(tmp_path, "e1,2025-03-03T14:30:00-07:00,r9,intake,,,,")

        assert [
            f"{path}:2:30: error: referral_id: referral 'r9' has no referred event before "
            "this intake event"
        ] == _problems(path)

    def test_second_referred(self, tmp_path: Path) -> None:
        """A referral has one referred event; a second one asks for a new referral id."""
        path = _csv(
            tmp_path, *GOOD[:2], "e3,2025-03-04T14:30:00-07:00,r1,referred,self_referral,,,"
        )

        (message,) = _problems(path)
        assert message.startswith(f"{path}:4:33: error: type: referral 'r1' already has")

    def test_unknown_pathway_and_missing_pathway(self, tmp_path: Path) -> None:
        """Pathways are checked against the vocabulary; a referred event must name one."""
        path = _csv(
            tmp_path,
            "e1,2025-03-03T14:30:00-07:00,r1,offered,naloxone-plus,,,",
            "e2,2025-03-03T14:31:00-07:00,r2,referred,,,,",
        )

        assert [
            f"{path}:2:41: error: pathway: unknown pathway 'naloxone-plus'; "
            "did you mean 'naloxone_plus'?",
            f"{path}:3:42: error: pathway: a referred event needs its pathway",
        ] == _problems(path)

    def test_every_problem_is_collected(self, tmp_path: Path) -> None:
        """Problems on many lines are raised together, in line order, good rows skipped."""
        path = _csv(
            tmp_path,
            "e1,2025-03-03T14:30:00,r1,offered,,,,",
            *GOOD[1:2],
            "e3,2025-03-03T15:30:00-07:00,r1,intak,,,,",
            "e4,2025-03-03T15:30:00-07:00,,intake,,,,",
        )

        assert [2, 4, 5] == [int(p.split(":")[1]) for p in _problems(path)]

    def test_problems_are_capped(self, tmp_path: Path) -> None:
        """At most MAX_LISTED problems are listed; the rest are counted in a last line."""
        rows = [f"e{i},2025-03-03T14:30:00,r{i},offered,,,," for i in range(MAX_LISTED + 50)]

        problems = _problems(_csv(tmp_path, *rows))

        assert (MAX_LISTED + 1, "error: … and 50 more problems not listed") == (
            len(problems),
            problems[0].split(": ", 1)[1],
        )

    def test_wrong_number_of_fields(self, tmp_path: Path) -> None:
        """A row with too few fields is reported with its line."""
        path = _csv(tmp_path, "e1,2025-03-03T14:30:00-07:00,r1")

        assert [f"{path}:2:1: error: expected 8 fields, found 3"] == _problems(path)

    def test_unknown_column(self, tmp_path: Path) -> None:
        """An unknown header column is refused with the closest known name."""
        path = _csv(tmp_path, header=HEADER.replace("officer_hash", "officer_hsh"))

        assert [
            f"{path}:1:38: error: officer_hsh: unknown column 'officer_hsh'; "
            "did you mean 'officer_hash'?"
        ] == _problems(path)

    def test_jsonl_problem_columns(self, tmp_path: Path) -> None:
        """In JSON Lines the column is where the bad value starts on its line."""
        path = tmp_path / "log.jsonl"
        path.write_text(
            '{"event_id": "e1", "at": "2025-03-03T14:30", "referral_id": "r1", "type": "offered"}\n'
        )

        (message,) = _problems(path)
        assert message.startswith(f"{path}:1:26: error: at: time '2025-03-03T14:30' has no")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is an EventLogError naming it, not a traceback."""
        path = tmp_path / "nope.csv"

        assert [f"{path}: error: no such event log file"] == _problems(path)


class TestPersonalDataGuard:
    @pytest.mark.parametrize(
        "column", ["first_name", "Name", "dob", "date_of_birth", "home_address", "phone", "email"]
    )
    def test_personal_columns_refused(self, tmp_path: Path, column: str) -> None:
        """A column that looks like personal data refuses the whole log, saying why."""
        path = _csv(tmp_path, *(f"{r},x" for r in GOOD), header=f"{HEADER},{column}")

        with pytest.raises(EventLogError) as caught:
            next(read_events(path))

        (problem,) = caught.value.problems
        assert (1, column) == (problem.line, problem.field)
        assert "must be de-identified" in problem.message

    def test_personal_key_in_json_lines(self, tmp_path: Path) -> None:
        """A JSON line carrying a person's name stops the read at that line."""
        path = tmp_path / "log.jsonl"
        path.write_text(
            '{"event_id": "e1", "at": "2025-03-03T14:30:00-07:00", "referral_id": "r1", '
            '"type": "offered", "last_name": "Example"}\n'
        )

        (message,) = _problems(path)
        assert message.startswith(f"{path}:1:108: error: last_name: column 'last_name' looks")

    def test_opaque_columns_allowed(self) -> None:
        """The log's own columns (officer_hash, provider_id …) are not mistaken for PII."""
        from deflectkit.files.events import looks_personal

        assert [] == [c for c in COLUMNS if looks_personal(c)]


class TestHostileInput:
    """Malformed logs are errors with their line, never a traceback or a silent loss."""

    def test_unclosed_quote_is_an_error_at_its_line(self, tmp_path: Path) -> None:
        """A quote never closed must not swallow the rest of the file silently."""
        broken = 'e2,2025-03-03T14:40:00-07:00,r1,referred,"officer'
        path = _csv(tmp_path, GOOD[0], broken, *GOOD[2:])

        problems = _problems(path)

        assert 1 == len(problems)
        assert problems[0].startswith(f"{path}:3: error: CSV error: a quoted field opened")

    def test_duplicate_json_key_refused(self, tmp_path: Path) -> None:
        """A JSON line naming a key twice is refused, as YAML does, not last-one-wins."""
        path = tmp_path / "log.jsonl"
        path.write_text(
            '{"event_id": "e1", "at": "2025-03-03T14:30:00-07:00", "referral_id": "r1", '
            '"type": "offered", "type": "referred"}\n',
            encoding="utf-8",
        )

        assert ["the key 'type' appears twice on this line"] == [
            p.split("error: type: ")[-1] for p in _problems(path)
        ]

    def test_huge_json_integer_is_an_error(self, tmp_path: Path) -> None:
        """A 5,000-digit number is a line error, not a ValueError traceback."""
        path = tmp_path / "log.jsonl"
        path.write_text('{"event_id": ' + "9" * 5000 + "}\n", encoding="utf-8")

        problems = _problems(path)

        assert 1 == len(problems)
        assert f"{path}:1:" in problems[0]
        assert "5000 digits" in problems[0]

    @pytest.mark.parametrize("minutes", ["nan", "inf", "-5", "-inf", "lots", "1e400"])
    def test_minutes_must_be_finite_and_not_negative(self, tmp_path: Path, minutes: str) -> None:
        """Hand-off minutes: NaN, infinite or negative is an error naming line and field."""
        row = GOOD[2] + "," + minutes
        path = _csv(tmp_path, GOOD[0] + ",", GOOD[1] + ",", row, header=",".join(COLUMNS))

        problems = _problems(path)

        assert 1 == len(problems)
        assert f"{path}:4:" in problems[0]
        assert "minutes must be a finite number of minutes, 0 or more" in problems[0]

    def test_minutes_read_on_handoffs(self, tmp_path: Path) -> None:
        """Good minutes are read as a float; JSON numbers too."""
        path = _csv(tmp_path, GOOD[0] + ",", GOOD[1] + ",", GOOD[2] + ",42.5",
                    header=",".join(COLUMNS))  # fmt: skip

        assert 42.5 == list(read_events(path))[-1].minutes

    def test_consent_detail_must_be_a_date(self, tmp_path: Path) -> None:
        """A consent_recorded detail is its end date or empty; anything else is an error."""
        row = "e3,2025-03-03T15:30:00-07:00,r1,consent_recorded,,,,soon"

        problems = _problems(_csv(tmp_path, *GOOD[:2], row))

        assert 1 == len(problems)
        assert "error: detail: a consent_recorded event's detail is the consent's end date" in (
            problems[0]
        )

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
    def test_utf16_is_named(self, tmp_path: Path, encoding: str) -> None:
        """A UTF-16 file (a spreadsheet's 'Unicode text') is named as such, not as NUL bytes."""
        path = tmp_path / "log.csv"
        path.write_text("\n".join((HEADER, *GOOD)) + "\n", encoding=encoding)

        problems = _problems(path)

        assert [f"{path}:1: error: the file is UTF-16 text: save it as UTF-8 (in a spreadsheet: "
                "CSV UTF-8)"] == problems  # fmt: skip
