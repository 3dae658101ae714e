"""HSDS import: 3.0 JSON (the official examples), 1.x data packages (Miami 211), free-text hours."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from deflectkit.core.hours import parse_hours
from deflectkit.errors import DataError
from deflectkit.interop.hsds_hours import days_from_rows, parse_clock, read_free_text
from deflectkit.interop.hsds_import import read_hsds
from deflectkit.interop.records import ImportResult, check_imported

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"
EXAMPLES = SHARED / "hsds_3_0_schema" / "examples"
MIAMI = SHARED / "open211_miami_hsds_1_1_2019"
TODAY = dt.date(2026, 11, 1)

needs_shared = pytest.mark.skipif(
    not SHARED.exists() and not os.environ.get("CI"),
    reason="the shared datasets folder (../shared) is not present",
)


class TestFreeTextHours:
    """211 call-centre hours notes, read best effort."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("9:00am-5:00pm, Mon-Fri", {"mon-fri": "09:00-17:00"}),
            ("9:00am-5:00pm, Mon-Fri;\\n10:00am-3:00pm, Sat",
             {"mon-fri": "09:00-17:00", "sat": "10:00-15:00"}),
            ("8:00am-1:00pm / 2:00pm-5:00pm, Mon, Tue",
             {"mon,tue": ["08:00-13:00", "14:00-17:00"]}),
            ("9:00am-12:00pm; 1:00pm-4:00pm, Mon-Fri",
             {"mon-fri": ["09:00-12:00", "13:00-16:00"]}),
            ("9am to 5pm, Monday through Friday", {"mon-fri": "09:00-17:00"}),
            ("8:00pm-8:00am, daily", {"mon-sun": "20:00-08:00"}),
            ("8:00am-12:00am, Sat", {"sat": "08:00-24:00"}),
            ("24 hours, 7 days a week", "24/7"),
            ("9:00am-8:00pm, Mon-Thru", {"mon-thu": "09:00-20:00"}),
        ],
    )
    def test_readable_notes(self, text: str, expected: object) -> None:
        """Common shapes become shorthand that our hours parser accepts."""
        result = read_free_text(text)

        assert (expected, ()) == (result.shorthand, result.unread)
        parse_hours(result.shorthand)

    def test_unreadable_parts_are_returned_for_warnings(self) -> None:
        """What cannot be read (appointments, a second section) is listed, not guessed."""
        text = "9:00am-1:00pm, Tue, Thur\\n\\nBy appointment only\\n\\nClinic:\\n9am-3pm, Sat"
        result = read_free_text(text)

        assert {"tue,thu": "09:00-13:00"} == result.shorthand
        assert ("By appointment only", "Clinic: 9am-3pm, Sat") == result.unread

    def test_nothing_readable(self) -> None:
        """A note with no hours gives no hours and the note back."""
        assert (None, ("Call for dates and times",)) == (
            read_free_text("Call for dates and times").shorthand,
            read_free_text("Call for dates and times").unread,
        )

    @pytest.mark.parametrize(
        ("text", "minutes"),
        [("9:00am", 540), ("12:00pm", 720), ("12:00am", 0), ("9 pm", 1260), ("17:30", 1050),
         ("09:00:00Z", 540), ("09:00-05:00", 540), ("noon", 720), ("13:00pm", None),
         ("9:75", None), ("soon", None)],
    )
    def test_clock_times(self, text: str, minutes: int | None) -> None:
        """Clock times in the forms HSDS and 211s write; offsets are dropped."""
        assert minutes == parse_clock(text)

    def test_schedule_rows(self) -> None:
        """HSDS 3 rows (byday) and 1.x rows (weekday); 23:59 closes the day; monthly is left out."""
        rows: list[dict[str, Any]] = [
            {"freq": "WEEKLY", "byday": "MO,TU", "opens_at": "09:00", "closes_at": "17:00"},
            {"weekday": "Saturday", "opens_at": "10:00am", "closes_at": "11:59pm"},
            {"freq": "WEEKLY", "byday": "SU", "opens_at": "00:00", "closes_at": "23:59"},
            {"freq": "MONTHLY", "byday": "1SA", "opens_at": "09:00", "closes_at": "12:00"},
        ]
        days, problems = days_from_rows(rows)

        assert [[(540, 1020)], [(540, 1020)], [], [], [], [(600, 1440)], [(0, 1440)]] == days
        assert ["a monthly schedule (every 1) was left out"] == problems


def _json(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "hsds.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


class TestJson:
    """HSDS 3.0 JSON documents of every shape."""

    def test_service_at_two_locations_gives_two_providers(self, tmp_path: Path) -> None:
        """One provider per place, named after it; SAL schedules win over the service's."""
        location = {
            "id": "l1", "location_type": "physical", "name": "Downtown",
            "addresses": [{"address_1": "1 Example Way", "city": "Tucson",
                           "state_province": "AZ", "postal_code": "85701", "country": "US",
                           "address_type": "physical"}],
        }
        second = {**location, "id": "l2", "name": "Eastside"}
        service = {
            "id": "s1", "name": "Example Counselling", "status": "active",
            "schedules": [{"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00",
                           "closes_at": "12:00"}],
            "service_at_locations": [
                {"id": "a1", "location": location},
                {"id": "a2", "location": second,
                 "schedules": [{"byday": "TU", "opens_at": "10:00", "closes_at": "11:00"}]},
            ],
        }
        result = read_hsds(_json(tmp_path, {"contents": [service]}))

        assert ["example-counselling-downtown-tucson", "example-counselling-eastside-tucson"] == (
            list(result.providers)
        )
        east = result.providers["example-counselling-eastside-tucson"]
        assert {"tue": "10:00-11:00"} == east["hours"]
        assert "America/Phoenix" == east["location"]["timezone"]
        assert {"name": "Open Referral HSDS", "id": "s1@l2"} == east["source"]

    def test_inactive_services_are_skipped_with_a_warning(self, tmp_path: Path) -> None:
        """A defunct service is not a place to refer anyone."""
        doc = [{"id": "s", "name": "Closed Example", "status": "defunct"}]
        result = read_hsds(_json(tmp_path, doc))

        assert ({}, ["[0] (Closed Example)"]) == (
            dict(result.providers), [w.field for w in result.warnings]
        )

    def test_not_json_names_the_line(self, tmp_path: Path) -> None:
        """Broken JSON is one error with its line."""
        path = tmp_path / "bad.json"
        path.write_text('{\n  "name": "x",\n  oops\n}', encoding="utf-8")
        with pytest.raises(DataError) as caught:
            read_hsds(path)

        assert 3 == caught.value.problems[0].line

    def test_json_without_services_is_an_error(self, tmp_path: Path) -> None:
        """A taxonomy file imports nothing, and says so."""
        with pytest.raises(DataError, match="no services"):
            read_hsds(_json(tmp_path, {"id": "t", "name": "A taxonomy", "description": "x"}))


@needs_shared
class TestOfficialExamples:
    """The HSDS 3.0 examples import, with readable warnings for what does not fit."""

    @pytest.mark.parametrize(
        "name",
        ["organization_full.json", "service_full.json", "service_at_location_full.json",
         "service_list.json", "service_at_location_list.json"],
    )
    def test_example_imports_and_validates(self, name: str) -> None:
        """Each example gives one valid provider; its UK address is reported, not imported."""
        path = EXAMPLES / name
        result = check_imported(read_hsds(path), str(path), today=TODAY)
        ((_, provider),) = result.providers.items()

        assert "Community Counselling" == provider["name"]
        assert [] == result.errors
        assert "address" not in provider["location"]
        messages = [w.format() for w in result.warnings]
        assert any("no US address to tell the time zone from" in m for m in messages)
        assert all(m.startswith(f"{path}") and ": warning: " in m for m in messages)

    def test_examples_folder_reports_files_without_services(self) -> None:
        """A folder import reads what it can; taxonomy-only files are warnings."""
        result = read_hsds(EXAMPLES)
        skipped = sorted(Path(w.path).name for w in result.warnings if "no services" in w.message)

        assert 5 == result.records
        assert ["base.json", "location.json", "organization_list.json", "tabular.json",
                "taxonomy.json", "taxonomy_list.json", "taxonomy_term.json",
                "taxonomy_term_list.json"] == skipped


@pytest.fixture(name="miami", scope="module")
def _miami() -> ImportResult:
    return read_hsds(MIAMI)


@needs_shared
class TestMiamiPackage:
    """The Open211 Miami HSDS 1.1 package (internal test data; never published)."""

    def test_every_service_imports(self, miami: ImportResult) -> None:
        """4,089 services, each a provider with a unique slug; none refused."""
        assert (4089, 4089, []) == (miami.records, len(miami.providers), miami.errors)

    def test_a_sample_validates(self, miami: ImportResult) -> None:
        """Imported files pass the same checks as `deflectkit validate` (sample of 400)."""
        slugs = sorted(miami.providers)[::10]
        sample = ImportResult({s: miami.providers[s] for s in slugs}, (), len(slugs), 0,
                              {s: miami.lines.get(s) for s in slugs})
        checked = check_imported(sample, "miami", today=TODAY)

        assert ([], len(slugs)) == (checked.errors, len(checked.providers))

    def test_hours_come_from_free_text_and_rows(self, miami: ImportResult) -> None:
        """Services with schedules get hours; unreadable notes become warnings with a line."""
        import csv

        table = MIAMI / "data" / "regular_schedules.csv"
        with table.open(encoding="utf-8", newline="") as handle:
            scheduled = {row["service_id"] for row in csv.DictReader(handle)}
        with_hours = sum(1 for m in miami.providers.values() if "hours" in m)
        hour_warnings = [w for w in miami.warnings if ": hours:" in w.format()]

        assert 2597 == len(scheduled)
        assert with_hours >= 0.99 * len(scheduled)
        assert hour_warnings
        first = hour_warnings[0].format()
        assert first.startswith(str(MIAMI / "data" / "services.csv") + ":")
        assert "check the hours by hand" in first

    def test_substance_use_services_are_recognised(self, miami: ImportResult) -> None:
        """AIRS term names map to our services by keyword (detox, residential …)."""
        services = {w for m in miami.providers.values() for w in m.get("services", [])}

        assert {"withdrawal_management", "residential", "outpatient"} <= services
