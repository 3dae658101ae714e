"""``deflectkit followup``: its JSON, text a navigator can act on, and the .ics file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import icalendar
import pytest

from deflectkit.cli import main

POLICY = str(Path(__file__).resolve().parent.parent / "data" / "policies" / "model-deflection.yaml")
BASE = ["followup", "--policy", POLICY, "--referral-at", "2025-03-03T14:30"]


def run_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    """Run with ``--format json`` and return the parsed output."""
    code = main([*BASE, "--format", "json", *extra])
    out = capsys.readouterr().out

    assert 0 == code
    data: dict[str, Any] = json.loads(out)
    return data


class TestJson:
    """The JSON has the documented shape, with times in ISO 8601 and the local offset."""

    def test_design_example(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A Phoenix referral with no events, as of just after the referral."""
        data = run_json(capsys, "--now", "2025-03-03T15:00")

        assert {"referral_at", "timezone", "status", "initiated", "engaged", "checkpoints",
                "extra_contacts", "next_due"} <= set(data)
        assert "2025-03-03T14:30:00-07:00" == data["referral_at"]
        assert "America/Phoenix" == data["timezone"]
        assert ("referred", False, False) == (data["status"], data["initiated"], data["engaged"])
        assert {"id": "day-1", "due": "2025-03-04T14:30:00-07:00", "status": "pending",
                "attempts": 0}.items() <= data["checkpoints"][0].items()
        assert {"kind": "checkpoint", "id": "day-1",
                "due": "2025-03-04T14:30:00-07:00"}.items() <= data["next_due"].items()

    def test_timezone_override_and_dst(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--timezone America/Denver: day-7 after the spring change is 14:30 MDT."""
        data = run_json(capsys, "--timezone", "America/Denver", "--now", "2025-03-03T15:00")

        assert "2025-03-03T14:30:00-07:00" == data["referral_at"]
        assert "2025-03-10T14:30:00-06:00" == data["checkpoints"][1]["due"]

    def test_naloxone_plus(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--pathway naloxone_plus schedules outreach 72 hours after the overdose."""
        data = run_json(capsys, "--pathway", "naloxone_plus", "--now", "2025-03-03T15:00")

        assert [("outreach", "2025-03-06T14:30:00-07:00")] == [
            (c["kind"], c["due"]) for c in data["extra_contacts"]
        ]

    def test_events_and_elapsed_status(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Events are applied; --now past day 14 with no intake gives not_initiated."""
        events = tmp_path / "events.yaml"
        events.write_text(
            "- {at: 2025-03-04T15:00:00-07:00, type: followup_attempt, reached: true}\n"
            "- {at: 2025-03-05T09:00:00-07:00, type: intake_missed}\n"
            "- {at: 2025-03-10T15:00:00-07:00, type: followup_attempt, reached: true}\n"
        )

        data = run_json(capsys, "--events", str(events), "--now", "2025-03-18T09:00")

        assert "not_initiated" == data["status"]
        assert [("re_contact", "2025-03-06T09:00:00-07:00", "unable_to_contact")] == [
            (c["kind"], c["due"], c["status"]) for c in data["extra_contacts"]
        ]
        assert "day-30" == data["next_due"]["id"]

    def test_default_now(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --now the command reports as of the current time."""
        data = run_json(capsys)

        assert data["status"] in {"lost_to_contact", "referred", "not_initiated"}


class TestText:
    """Text output starts with what to do next."""

    def test_next_line(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The first line names the next call and when it is due, in local time."""
        events = tmp_path / "events.yaml"
        events.write_text(
            "- {at: 2025-03-04T15:00:00-07:00, type: followup_attempt, reached: true}\n"
            "- {at: 2025-03-05T09:00:00-07:00, type: intake}\n"
        )

        code = main([*BASE, "--now", "2025-03-08T09:00", "--events", str(events)])
        lines = capsys.readouterr().out.splitlines()

        assert 0 == code
        assert lines[0].startswith("next: day-7 call due Mon 10 Mar 14:30 MST")
        assert "status: initiated (Initiated treatment) as of Sat 8 Mar 09:00 MST" == lines[1]
        assert any(line.split()[:2] == ["day-1", "Tue"] and "reached" in line for line in lines)


    def test_events_after_now_are_noted(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Events later than --now are left out, and the text says so."""
        events = tmp_path / "events.yaml"
        events.write_text("- {at: 2025-03-05T09:00:00-07:00, type: intake}\n")

        code = main([*BASE, "--now", "2025-03-04T09:00", "--events", str(events)])
        out = capsys.readouterr().out

        assert 0 == code
        assert "status: referred" in out
        assert "note: 1 event after Tue 4 Mar 09:00 MST is not counted" in out


class TestIcs:
    """--ics writes an importable calendar atomically."""

    def test_writes_calendar(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The file parses back with one event per pending contact; no temp file is left."""
        out = tmp_path / "case.ics"

        code = main([*BASE, "--now", "2025-03-03T15:00", "--ics", str(out)])

        assert 0 == code
        assert f"wrote {out}" in capsys.readouterr().out
        cal = icalendar.Calendar.from_ical(out.read_bytes())
        assert 5 == len(cal.walk("VEVENT"))
        assert ["case.ics"] == [p.name for p in tmp_path.iterdir()]

    def test_unwritable_path(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing directory is one error line and exit 1, not a traceback."""
        code = main([*BASE, "--now", "2025-03-03T15:00", "--ics", str(tmp_path / "no" / "x.ics")])

        assert 1 == code
        assert 1 == len(capsys.readouterr().err.strip().splitlines())


class TestErrors:
    """Bad arguments exit 2, bad files exit 1; one line per error on stderr."""

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--referral-at", "yesterday"], "not an ISO 8601"),
            (["--timezone", "Mars/Olympus"], "unknown time zone"),
            (["--pathway", "naloxone"], "did you mean 'naloxone_plus'?"),
            (["--now", "2025-13-01"], "--now"),
        ],
    )
    def test_usage_errors(
        self, capsys: pytest.CaptureFixture[str], args: list[str], message: str
    ) -> None:
        """Each bad value is named on one line."""
        code = main([*BASE, *args])
        err = capsys.readouterr().err

        assert 2 == code
        assert message in err
        assert 1 == len(err.strip().splitlines())

    def test_bad_events_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Every problem in the events file is one line with file, line and event index."""
        events = tmp_path / "events.yaml"
        events.write_text(
            "- {at: 2025-03-02T10:00:00-07:00, type: intake}\n"
            "- {at: 2025-03-05T10:00:00, type: followup_atempt, reached: true}\n"
        )

        code = main([*BASE, "--events", str(events), "--now", "2025-03-06T00:00"])
        err = capsys.readouterr().err.strip().splitlines()

        assert 1 == code
        assert 2 == len(err)
        assert err[0].startswith(f"{events}:2:8: error: [1].at: 2025-03-05T10:00:00 has no UTC")
        assert err[1].startswith(f"{events}:2:35: error: [1].type: unknown event type")
        assert err[1].endswith("did you mean 'followup_attempt'?")

    def test_event_before_referral(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """With a well-formed file, an event before the referral is reported at its line."""
        events = tmp_path / "events.yaml"
        events.write_text("- {at: 2025-03-02T10:00:00-07:00, type: intake}\n")

        code = main([*BASE, "--events", str(events), "--now", "2025-03-06T00:00"])
        err = capsys.readouterr().err

        assert 1 == code
        assert f"{events}:1:8: error: [0].at: " in err
        assert "before the referral" in err

    def test_missing_policy(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A policy file that does not exist is an error, not a traceback."""
        code = main(["followup", "--policy", str(tmp_path / "none.yaml"), "--referral-at",
                     "2025-03-03T14:30"])

        assert 1 == code
        assert "none.yaml" in capsys.readouterr().err


class TestEventsAfterClosed:
    """Events after an explicit close are warnings with file and line, never a failure."""

    def test_warning_and_exit_0(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A treatment contact after `closed` is named on stderr; the command succeeds."""
        events = tmp_path / "case.yaml"
        events.write_text(
            "- {at: 2025-03-04T10:00:00-07:00, type: closed}\n"
            "- {at: 2025-03-10T10:00:00-07:00, type: treatment_contact}\n",
            encoding="utf-8",
        )
        now = ["--now", "2025-03-11T09:00"]
        code = main([*BASE, "--events", str(events), *now, "--format", "json"])
        captured = capsys.readouterr()

        assert 0 == code
        assert f"{events}:2:" in captured.err
        assert "warning" in captured.err
        assert "ignored" in captured.err
        assert "closed" == json.loads(captured.out)["status"]

    def test_reopened_in_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """No calls logged, then an intake on day 20: lost from day 14, reopened on day 20."""
        events = tmp_path / "case.yaml"
        events.write_text("- {at: 2025-03-23T10:00:00-07:00, type: intake}\n", encoding="utf-8")

        data = run_json(capsys, "--events", str(events), "--now", "2025-03-24T09:00")

        assert ("started_late", ["2025-03-23T10:00:00-07:00"]) == (data["status"], data["reopened"])
