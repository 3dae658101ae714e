"""Tests for ``deflectkit measures``: the chief's report, the measures JSON, errors, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deflectkit.cli import main
from deflectkit.files.events import COLUMNS

LOG = (
    ",".join(COLUMNS),
    "e1,2025-03-03T14:30:00-07:00,r1,offered,officer_intervention,k3x9,,,",
    "e2,2025-03-03T14:40:00-07:00,r1,referred,officer_intervention,k3x9,,,",
    "e3,2025-03-03T15:30:00-07:00,r1,handoff_completed,,,example-clinic,,45",
    "e4,2025-03-03T15:31:00-07:00,r1,consent_recorded,,,example-clinic,2025-12-31,",
    "e5,2025-03-04T09:00:00-07:00,r1,intake,,,example-clinic,,",
    "e6,2025-04-10T10:00:00-07:00,r2,offered,self_referral,zz01,,,",
    "e7,2025-04-10T10:05:00-07:00,r2,declined,,,,,",
)


@pytest.fixture(name="log")
def _log(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join(LOG) + "\n", encoding="utf-8")
    return path


class TestOutput:
    def test_json_is_the_design_shape(self, log: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json prints the measures object with the asked-for sworn officers."""
        code = main(["measures", str(log), "--sworn", "10", "--format", "json"])
        data = json.loads(capsys.readouterr().out)

        assert (0, 1, 1, 2, 1, 0.5, 1, 0.1, 2.25, 356.0, 0) == (
            code, data["referrals"], data["charges_deflected"], data["offers"],
            data["declined"], data["acceptance_rate"], data["initiated_14d"],
            data["officer_participation"], data["officer_hours_saved"],
            data["booking_costs_avoided"], data["excluded_without_consent"],
        )  # fmt: skip

    def test_text_report(self, log: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The text report says what happened in sentences, with the period and milestones."""
        code = main(["measures", str(log), "--sworn", "10"])
        out = capsys.readouterr().out

        assert 0 == code
        assert out.startswith(f"Program measures, 2025-03-03 to 2025-04-10 ({log})\n")
        assert "1 referrals to treatment and services (deflections)." in out
        assert "1 charges deflected: officer-intervention referrals, the only ones" in out
        assert "instead of arrest." not in out.split("charges deflected")[0]
        assert "Started treatment on the day of referral or the 13 days after: 1 (100.0%)." in out
        assert "Officers who referred: 1 of 10 sworn (10.0%)." in out
        assert "model assumptions, set them from your records" in out
        assert "  2025-03-03  First referral" in out

    def test_configured_minutes_and_cost(
        self, log: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--minutes-* and --booking-cost change hours and costs; no 'model' caveat then."""
        main(["measures", str(log), "--minutes-arrest", "240", "--minutes-deflection", "45",
              "--booking-cost", "500"])  # fmt: skip
        out = capsys.readouterr().out

        assert "Officer time returned to patrol: 3 hours, on the 1 charges deflected only" in out
        assert "model assumptions" not in out
        assert "Booking costs avoided: $500 (1 charges deflected x $500 a booking)." in out

    def test_period(self, log: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--from/--to select referrals by date and are echoed in the JSON period."""
        main(["measures", str(log), "--from", "2025-04-01", "--to", "2025-04-30",
              "--format", "json"])  # fmt: skip
        data = json.loads(capsys.readouterr().out)

        assert ({"from": "2025-04-01", "to": "2025-04-30"}, 0, 1) == (
            data["period"],
            data["referrals"],
            data["offers"],
        )


class TestConsentWarnings:
    def test_provider_event_without_consent_is_a_warning(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An intake with no consent: left out, one warning with line and referral id, no
        detail text, exit 0."""
        path = tmp_path / "events.csv"
        rows = [r for r in LOG if ",consent_recorded," not in r]
        rows[4] = "e5,2025-03-04T09:00:00-07:00,r1,intake,,,example-clinic,seen by Dr Example,"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")

        code = main(["measures", str(path), "--format", "json"])
        captured = capsys.readouterr()

        assert (0, 0, 1) == (
            code,
            json.loads(captured.out)["initiated_14d"],
            json.loads(captured.out)["excluded_without_consent"],
        )
        assert [f"{path}:5: warning: referral 'r1': this intake event is outside any Part 2 "
                "consent span of the referral; left out of every measure"] == (
            captured.err.splitlines()
        )  # fmt: skip
        assert "Example" not in captured.err

    def test_many_exclusions_are_one_line_in_text_and_each_in_json(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Seven unconsented intakes: one summary line for a person, seven for a program."""
        path = tmp_path / "events.csv"
        rows = [r for r in LOG if ",consent_recorded," not in r]
        rows += [f"x{n},2025-03-05T09:00:00-07:00,r1,treatment_contact,,,example-clinic,,"
                 for n in range(6)]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        excluded = [n for n, row in enumerate(rows, 1)
                    if ",intake," in row or ",treatment_contact," in row]

        assert 0 == main(["measures", str(path)])
        err = capsys.readouterr().err.splitlines()
        first = ", ".join(map(str, excluded[:5]))
        assert [f"{path}: warning: {len(excluded)} provider events outside any Part 2 consent"
                f" span were left out of every measure (lines {first}, …); --format json lists"
                " each"] == err

        assert 0 == main(["measures", str(path), "--format", "json"])
        err = capsys.readouterr().err.splitlines()
        assert [f"{path}:{n}:" for n in excluded] == [line.split(" ")[0] for line in err]

    def test_timezone_option(self, log: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--timezone takes an IANA zone; a wrong one is a usage error."""
        assert 0 == main(["measures", str(log), "--timezone", "America/Denver"])
        with pytest.raises(SystemExit) as caught:
            main(["measures", str(log), "--timezone", "Mars/Olympus"])
        assert 2 == caught.value.code
        assert "unknown time zone" in capsys.readouterr().err


class TestErrors:
    def test_bad_log_lists_problems(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad log exits 1 with one file:line:col line per problem on stderr."""
        path = tmp_path / "bad.csv"
        path.write_text("\n".join((*LOG, "e8,2025-05-01T10:00:00,r3,refered,,,,,")) + "\n")

        code = main(["measures", str(path)])
        err = capsys.readouterr().err.splitlines()

        assert (1, 2) == (code, len(err))
        assert err[0].startswith(f"{path}:9:4: error: at: time ")
        assert err[1].startswith(f"{path}:9:27: error: type: unknown event type 'refered'")

    def test_personal_data_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A log with a name column is refused with exit 1 and the de-identification message."""
        path = tmp_path / "pii.csv"
        path.write_text(LOG[0] + ",first_name\n")

        assert 1 == main(["measures", str(path)])
        assert "must be de-identified" in capsys.readouterr().err

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing log is exit 1 and one line, not a traceback."""
        assert 1 == main(["measures", str(tmp_path / "none.csv")])
        assert [f"{tmp_path / 'none.csv'}: error: no such event log file"] == (
            capsys.readouterr().err.splitlines()
        )

    @pytest.mark.parametrize(
        "args",
        [["--from", "2025-02-30"], ["--sworn", "0"], ["--minutes-arrest", "-5"],
         ["--booking-cost", "lots"]],
    )  # fmt: skip
    def test_usage_errors(
        self, log: Path, args: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bad option values are usage errors: exit 2 with one line."""
        with pytest.raises(SystemExit) as caught:
            main(["measures", str(log), *args])

        assert 2 == caught.value.code
        assert 1 == len(capsys.readouterr().err.splitlines())

    def test_from_after_to(self, log: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--from after --to is a usage error."""
        code = main(["measures", str(log), "--from", "2025-05-01", "--to", "2025-04-01"])

        assert (2, "deflectkit measures: error: --from 2025-05-01 is after --to 2025-04-01") == (
            code, capsys.readouterr().err.strip()
        )  # fmt: skip
