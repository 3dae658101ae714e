"""A volunteer's first day: every mistake in one run, in plain words, with the exact fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deflectkit.core.availability import is_open, next_opening
from deflectkit.core.hours import HoursError, parse_hours
from deflectkit.core.hours_fixes import date_fix, day_key_fix, days_key, span_fix
from deflectkit.core.localtime import zone
from deflectkit.files.provider_hints import misplaced_word
from deflectkit.files.providers import check_provider_document, check_provider_file
from deflectkit.files.yamlio import parse_yaml

TODAY = dt.date(2026, 11, 27)
HOLIDAY_HOURS = {"mon-fri": "08:00-17:00", "closed": [dt.date(2026, 12, 25), "2027-01-01"]}
HEAD = "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n"


def messages(text: str, name: str = "example.yaml") -> list[str]:
    """Check YAML text as a provider file (written to disk, so recovery can re-read it)."""
    _, problems = check_provider_document(parse_yaml(text, name), today=TODAY)
    return [p.format() for p in problems]


def file_messages(tmp_path: Path, text: str) -> list[str]:
    """Check a provider file on disk, as ``deflectkit validate`` does."""
    path = tmp_path / "example-clinic.yaml"
    path.write_text(text, encoding="utf-8")
    _, problems = check_provider_file(path, today=TODAY, display=path.name)
    return [p.format() for p in problems]


class TestSpanFixes:
    """Hours as people write them get the exact 24-hour span to write instead."""

    @pytest.mark.parametrize(
        ("written", "fixed"),
        [
            ("8am-6pm", "08:00-18:00"),
            ("8-6", "08:00-18:00"),
            ("8:00am - 6:00pm", "08:00-18:00"),
            ("9:30 a.m. to 4:30 p.m.", "09:30-16:30"),
            ("noon-8", "12:00-20:00"),
            ("8-noon", "08:00-12:00"),
            ("1-5pm", "13:00-17:00"),
            ("10pm-6am", "22:00-06:00"),
            ("22-6", "22:00-06:00"),
            ("0800-1700", "08:00-17:00"),
            ("8.30-17.30", "08:30-17:30"),
            ("noon-midnight", "12:00-24:00"),
            ("24 hours", "00:00-24:00"),
            ("9:00 AM – 5:00 PM", "09:00-17:00"),
        ],
    )
    def test_fix(self, written: str, fixed: str) -> None:
        """The fix is the span the writer meant, in the shorthand the parser reads."""
        assert fixed == span_fix(written)
        parse_hours({"mon": fixed})  # and it is valid

    @pytest.mark.parametrize("written", ["by appointment", "13pm-2pm", "25-3"])
    def test_no_guess(self, written: str) -> None:
        """What cannot be told gets no guess."""
        assert span_fix(written) is None

    @pytest.mark.parametrize(
        ("key", "fixed"),
        [
            ("Monday-Friday", "mon-fri"),
            ("Mon thru Fri", "mon-fri"),
            ("weekdays", "mon-fri"),
            ("weekends", "sat-sun"),
            ("tues", "tue"),
            ("Thursdays", "thu"),
            ("sat & sun", "sat,sun"),
        ],
    )
    def test_day_key_fix(self, key: str, fixed: str) -> None:
        """Day names written out become the day key to write."""
        assert fixed == day_key_fix(key)

    def test_days_key_runs(self) -> None:
        """Weekdays are written back as ranges and single days."""
        assert ("mon-thu", "mon-wed,fri", "sat-mon") == (
            days_key([0, 1, 2, 3]),
            days_key([0, 1, 2, 4]),
            days_key([5, 6, 0]),
        )

    def test_hours_on_one_line(self) -> None:
        """Hours written as one line of text get the mapping to write."""
        with pytest.raises(HoursError) as caught:
            parse_hours("Mon-Fri 8am-5pm; Sat 9-12")

        assert "{mon-fri: '08:00-17:00', sat: '09:00-12:00'}" == caught.value.suggestion
        assert str(caught.value).endswith("write the days and times as " + caught.value.suggestion)

    @pytest.mark.parametrize(
        ("written", "fixed"),
        [
            ("9-5 M-F", "{mon-fri: '09:00-17:00'}"),
            ("9am-5pm Mon-Fri", "{mon-fri: '09:00-17:00'}"),
            ("9:00 AM - 5:00 PM Monday - Friday", "{mon-fri: '09:00-17:00'}"),
            ("8am-6pm Mon-Sat; Sun 10-2", "{mon-sat: '08:00-18:00', sun: '10:00-14:00'}"),
        ],
    )
    def test_hours_on_one_line_times_first(self, written: str, fixed: str) -> None:
        """Flyers put the times first ("9-5 M-F"): the same exact fix."""
        with pytest.raises(HoursError) as caught:
            parse_hours(written)

        assert fixed == caught.value.suggestion

    def test_days_written_into_the_span(self) -> None:
        """``mon-fri: 9-5 M-F``: the span to write, or the key the days belong under."""
        with pytest.raises(HoursError) as same_days:
            parse_hours({"mon-fri": "9-5 M-F"})
        with pytest.raises(HoursError) as other_days:
            parse_hours({"mon-fri": "9-5 Sat"})

        assert str(same_days.value) == (
            "cannot read '9-5 M-F': write '09:00-17:00' (the days are already before the colon)"
        )
        assert same_days.value.suggestion == "09:00-17:00"
        assert other_days.value.suggestion == "sat: '09:00-17:00'"

    def test_a_long_line_is_not_split_every_way(self) -> None:
        """Times-then-days is tried on short parts only: the work stays bounded."""
        with pytest.raises(HoursError) as caught:
            parse_hours("9-5 " + "x " * 1_000 + "M-F")

        assert caught.value.suggestion is None

    def test_mixed_case_day_keys_are_valid(self) -> None:
        """``Mon-Fri`` reads like ``mon-fri`` (the JSON Schema accepts it too)."""
        assert parse_hours({"Mon-Fri": "08:00-17:00"}) == parse_hours({"mon-fri": "08:00-17:00"})


class TestEveryHoursEntry:
    """Every bad hours entry is reported in one run, each at its own key."""

    def test_all_entries_in_one_error(self) -> None:
        """Three bad entries: three errors, each with its key and index."""
        with pytest.raises(HoursError) as caught:
            parse_hours({"monday-friday": "9-5", "sat": "8am-6pm", "sun": ["10-2", "x"]})

        assert [(e.key, e.index) for e in caught.value.errors] == [
            ("monday-friday", None),
            ("sat", None),
            ("sun", 0),
            ("sun", 1),
        ]

    def test_day_given_twice_says_how_to_split(self) -> None:
        """Changing one day inside mon-fri: the message names the range to write."""
        with pytest.raises(HoursError, match="change 'mon-fri' to 'mon-thu'"):
            parse_hours({"mon-fri": "08:00-17:00", "fri": "08:00-12:00"})
        with pytest.raises(HoursError, match="change 'mon-fri' to 'mon-tue,thu-fri'"):
            parse_hours({"wed": "closed", "mon-fri": "08:00-17:00"})

    def test_provider_file_reports_every_span(self) -> None:
        """The provider check turns each hours error into its own problem and line."""
        text = HEAD + "hours:\n  mon-fri: 8am-6pm\n  sat: 8-6\n  sun: ['10-2']\n"

        assert messages(text) == [
            "example.yaml:4:12: error: hours.mon-fri: cannot read '8am-6pm': write "
            "'08:00-18:00' (24-hour clock, HH:MM-HH:MM)",
            "example.yaml:5:8: error: hours.sat: cannot read '8-6': write '08:00-18:00' "
            "(24-hour clock, HH:MM-HH:MM)",
            "example.yaml:6:9: error: hours.sun[0]: cannot read '10-2': write '10:00-14:00' "
            "(24-hour clock, HH:MM-HH:MM)",
        ]


class TestClosedDates:
    """Holidays: a ``closed`` list of ISO dates on hours, respected by open-now."""

    def test_closed_dates_parsed(self) -> None:
        """Dates and quoted dates are both read; the shorthand writes them back as text."""
        hours = parse_hours(HOLIDAY_HOURS)

        assert {dt.date(2026, 12, 25), dt.date(2027, 1, 1)} == hours.closed_dates
        assert {"mon-fri": "08:00-17:00", "closed": ["2026-12-25", "2027-01-01"]} == (
            hours.shorthand()
        )

    def test_closed_on_a_holiday(self) -> None:
        """Christmas (a Friday) is closed; the next opening is the Monday after."""
        hours, tz = parse_hours(HOLIDAY_HOURS), zone("America/Phoenix")
        christmas = dt.datetime(2026, 12, 25, 10, 0, tzinfo=tz)

        assert not is_open(hours, tz, christmas)
        assert is_open(hours, tz, christmas - dt.timedelta(days=1))
        assert dt.datetime(2026, 12, 28, 8, 0, tzinfo=tz) == next_opening(hours, tz, christmas)

    def test_closed_day_cuts_an_overnight_span(self) -> None:
        """A closed date is closed all day, also the part of last night's span after 00:00."""
        hours = parse_hours({"daily": "20:00-08:00", "closed": ["2026-12-25"]})
        tz = zone("America/Phoenix")

        assert not hours.always
        assert is_open(hours, tz, dt.datetime(2026, 12, 24, 23, 0, tzinfo=tz))
        assert not is_open(hours, tz, dt.datetime(2026, 12, 25, 3, 0, tzinfo=tz))
        assert is_open(hours, tz, dt.datetime(2026, 12, 26, 3, 0, tzinfo=tz))

    def test_bad_closed_date_gets_the_iso_form(self) -> None:
        """A US-style date in the list is answered with the ISO date to write."""
        text = HEAD + "hours:\n  mon-fri: '08:00-17:00'\n  closed: [12/25/2026]\n"

        assert messages(text) == [
            "example.yaml:5:12: error: hours.closed[0]: cannot read the date '12/25/2026': "
            "write '2026-12-25'"
        ]


class TestDatesAndWords:
    """Date fields and vocabulary words get the exact fix."""

    @pytest.mark.parametrize(
        ("written", "fixed"),
        [
            ("03/15/2026", "2026-03-15"),
            ("3/15/26", "2026-03-15"),
            ("15/03/2026", "2026-03-15"),
            ("2026/03/15", "2026-03-15"),
            ("March 15, 2026", "2026-03-15"),
            ("15 Mar 2026", "2026-03-15"),
        ],
    )
    def test_date_fix(self, written: str, fixed: str) -> None:
        """Common ways of writing a date become the ISO date."""
        assert fixed == date_fix(written)

    def test_verified_us_date(self) -> None:
        """``verified: 03/15/2026`` names the date to write."""
        assert messages(HEAD + "verified: 03/15/2026\n") == [
            "example.yaml:3:11: error: verified: cannot read the date '03/15/2026': write "
            "2026-03-15 (year-month-day)"
        ]

    @pytest.mark.parametrize(
        ("field", "word", "expected"),
        [
            ("services", "buprenorphine", "it goes under medications, not services"),
            ("services", "opioids", "it goes under substances, not services"),
            ("medications", "withdrawal_management", "it goes under services"),
            ("services", "Spanish", "('es') is a language code: it goes under languages"),
            ("services", "wheelchair", "it goes under accessibility"),
            ("services", "otp", "write otp: true on its own line"),
            ("services", "walk_in", "write walk_in: true under intake"),
        ],
    )
    def test_misplaced_word(self, field: str, word: str, expected: str) -> None:
        """A word of another list says which list it belongs to."""
        message = misplaced_word(word, field)

        assert message is not None
        assert expected in message

    def test_buprenorphine_under_services_in_a_file(self) -> None:
        """The provider check uses it, at the word's own line and column."""
        assert messages(HEAD + "services: [outpatient, buprenorphine]\n") == [
            "example.yaml:3:24: error: services[1]: 'buprenorphine' is a medication: it goes "
            "under medications, not services"
        ]


class TestYamlSyntax:
    """YAML syntax errors in plain words; the rest of the file is still checked."""

    def test_tab_then_the_rest(self, tmp_path: Path) -> None:
        """A tab is named with its line; the file's other errors still come out."""
        text = HEAD.replace("location: {timezone: America/Phoenix}\n", "") + (
            "location:\n\ttimezone: America/Phoenix\nservices: [outpatient, buprenorphine]\n"
        )

        assert file_messages(tmp_path, text) == [
            "example-clinic.yaml:3:1: error: not valid YAML: line 3 starts with a tab: indent "
            "with spaces (YAML does not allow tabs)",
            "example-clinic.yaml:4:24: error: services[1]: 'buprenorphine' is a medication: "
            "it goes under medications, not services",
        ]

    def test_tab_under_a_list_item_adds_no_second_error(self, tmp_path: Path) -> None:
        """A tab lining a key up under a list item's key is one mistake, not two.

        Two spaces for the tab put ``label`` outside the item ("did not find expected '-'
        indicator" on the same line); four spaces read as the writer meant.
        """
        text = HEAD + (
            "phones:\n  - number: '+1 520-555-0142'\n\tlabel: Intake\n"
            "services: [outpatient, buprenorphine]\n"
        )

        assert file_messages(tmp_path, text) == [
            "example-clinic.yaml:5:1: error: not valid YAML: line 5 starts with a tab: indent "
            "with spaces (YAML does not allow tabs)",
            "example-clinic.yaml:6:24: error: services[1]: 'buprenorphine' is a medication: "
            "it goes under medications, not services",
        ]

    def test_unquoted_colon(self, tmp_path: Path) -> None:
        """An unquoted colon: put the description in quotes, with the line to write."""
        text = HEAD + "description: Open daily: call first\nverified: 03/15/2026\n"

        assert file_messages(tmp_path, text) == [
            "example-clinic.yaml:3:24: error: not valid YAML: put the description in quotes: "
            'description: "Open daily: call first"',
            "example-clinic.yaml:4:11: error: verified: cannot read the date '03/15/2026': "
            "write 2026-03-15 (year-month-day)",
        ]

    def test_missing_colon_points_at_its_line(self, tmp_path: Path) -> None:
        """The line without its ':' is named and pointed at, not the line after it."""
        text = HEAD + "website https://example.org\nservices: [outpatient]\n"

        assert file_messages(tmp_path, text) == [
            "example-clinic.yaml:3:1: error: not valid YAML: line 3 is not 'key: value': add "
            "the missing ':', or, if it continues the text above it, put the whole text in "
            "quotes on one line",
        ]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (HEAD + 'description: "Open\n', "the quote opened on line 3 is never closed"),
            (HEAD + "services: [outpatient\n", "the list opened on line 3 is not closed"),
            (HEAD + "website: @example\n", "a value cannot start with '@': put the value"),
            (HEAD + "phones\n  - 520-555-0142\n", "line 3 is not 'key: value'"),
            (HEAD + "description: 'It's open'\n", "quote inside quoted text"),
            (HEAD + "intake:\n  walk_in: true\n dropoff: true\n", "indented differently"),
            (HEAD + "---\nname: Other\n", "starts a second document"),
        ],
    )
    def test_plain_words(self, tmp_path: Path, text: str, expected: str) -> None:
        """The common syntax mistakes each get a sentence saying what to do."""
        found = file_messages(tmp_path, text)

        assert len(found) == 1
        assert expected in found[0]
        assert "not valid YAML" in found[0]

    def test_other_files_still_checked(self, tmp_path: Path) -> None:
        """A syntax error in one file never stops the others from being checked."""
        from deflectkit.files.validation import validate

        (tmp_path / "providers").mkdir()
        (tmp_path / "providers" / "a-broken.yaml").write_text("name: [\n")
        (tmp_path / "providers" / "b-fine.yaml").write_text(HEAD + "verified: 03/15/2026\n")

        found = [p.path.rsplit("/", 1)[-1] for p in validate([tmp_path], today=TODAY)]

        assert ["a-broken.yaml", "b-fine.yaml"] == found


class TestNothingPassesSilently:
    """Files that would be skipped, and copies that kept another provider's details, warn."""

    def test_misnamed_files(self, tmp_path: Path) -> None:
        """``.YAML``, no extension and ``.yaml.txt`` warn; documents and hidden files do not."""
        from deflectkit.files.validation import validate

        folder = tmp_path / "providers"
        folder.mkdir()
        for name in ("Clinic.YAML", "example-clinic", "example-two.yaml.txt", "README.md"):
            (folder / name).write_text(HEAD)
        (folder / ".gitkeep").write_text("")

        found = {Path(p.path).name: p for p in validate([tmp_path], today=TODAY)}

        assert ["Clinic.YAML", "example-clinic", "example-two.yaml.txt"] == sorted(found)
        assert all(p.severity == "warning" for p in found.values())
        assert "rename it to 'clinic.yaml'" in found["Clinic.YAML"].message
        assert "has no file extension" in found["example-clinic"].message
        assert "rename it to 'example-two.yaml'" in found["example-two.yaml.txt"].message

    def test_one_folder_too_high(self, tmp_path: Path) -> None:
        """A provider saved beside the providers folder warns; other folders are not ours."""
        from deflectkit.files.validation import validate

        (tmp_path / "providers").mkdir()
        (tmp_path / "events").mkdir()
        (tmp_path / "example-clinic.yaml").write_text(HEAD)
        (tmp_path / "events" / "log.yaml").write_text("a: 1\n")

        [problem] = validate([tmp_path], today=TODAY)

        assert problem.path.endswith("example-clinic.yaml")
        assert "move it into" in problem.message
        assert problem.message.endswith(f"{tmp_path / 'providers'}/ if it is a provider")

    @staticmethod
    def _provider(slug: str, verified: str | None, extra: str = "") -> tuple[str, str]:
        text = (
            f"name: {slug}\nlocation:\n  timezone: America/Phoenix\n"
            "  address: {street: 1 Example Way, city: Tucson, state: AZ, postal_code: '85701'}\n"
            "  coordinates: {lat: 32.2, lon: -110.9}\n"
            "phones: ['520-555-0142']\nwebsite: https://example.org/a\n"
            + (f"verified: {verified}\n" if verified else "")
            + extra
        )
        return f"{slug}.yaml", text

    def _copied(self, tmp_path: Path, *files: tuple[str, str]) -> list[tuple[str, str]]:
        from deflectkit.files.validation import validate

        for name, text in files:
            (tmp_path / name).write_text(text)
        return [(Path(p.path).name, p.field) for p in validate([tmp_path], today=TODAY)]

    def test_copy_warned_on_the_later_verified(self, tmp_path: Path) -> None:
        """The file verified later is the copy, whatever its name; each detail is named."""
        found = self._copied(
            tmp_path,
            self._provider("example-a", "2026-11-01"),
            self._provider("example-b", "2026-01-01"),
        )

        assert {
            ("example-a.yaml", "phones[0]"),
            ("example-a.yaml", "website"),
            ("example-a.yaml", "location.coordinates"),
        } == set(found)

    def test_copy_tie_broken_by_slug(self, tmp_path: Path) -> None:
        """Without dates, the file later by name is warned."""
        found = self._copied(
            tmp_path, self._provider("example-b", None), self._provider("example-a", None)
        )

        assert {"example-b.yaml"} == {name for name, _ in found}

    def test_sample_files_may_share(self, tmp_path: Path) -> None:
        """Fictional samples share the hundred 555-01xx numbers on purpose."""
        sample = "sample: true\n"
        found = self._copied(
            tmp_path,
            self._provider("example-a", "2026-01-01", sample),
            self._provider("example-b", "2026-02-01", sample),
        )

        assert [] == found

    def test_imported_records_may_share(self, tmp_path: Path) -> None:
        """Two records of an import share the source's data; a copy keeps the same record."""
        source = "source: {{name: SAMHSA FindTreatment.gov, id: '{}'}}\n"
        found = self._copied(
            tmp_path,
            self._provider("example-a", "2026-01-01", source.format(1)),
            self._provider("example-b", "2026-02-01", source.format(2)),
            self._provider("example-c", "2026-03-01", source.format(1)),
        )

        assert {"example-c.yaml"} == {name for name, _ in found}

    def test_copy_of_a_later_file_is_found(self, tmp_path: Path) -> None:
        """A copy is compared with every earlier holder, not only the first."""
        source = "source: {{name: SAMHSA FindTreatment.gov, id: '{}'}}\n"
        found = self._copied(
            tmp_path,
            self._provider("example-a", "2026-01-01", source.format(1)),
            self._provider("example-b", "2026-02-01", source.format(2)),
            self._provider("example-c", "2026-03-01", source.format(2)),
        )

        assert {"example-c.yaml"} == {name for name, _ in found}

    def test_same_organization_may_share(self, tmp_path: Path) -> None:
        """Two sites of one organization may share a number and a website."""
        org = "organization: Example Health\n"
        found = self._copied(
            tmp_path,
            self._provider("example-a", "2026-01-01", org),
            self._provider("example-b", "2026-02-01", org),
        )

        assert [] == found


def test_every_mistake_in_the_first_run(tmp_path: Path) -> None:
    """The volunteer's mistakes, all in one folder: one run names each line and its fix."""
    from deflectkit.files.validation import validate

    data = tmp_path / "data"
    providers = data / "providers"
    providers.mkdir(parents=True)
    (providers / "example-new-clinic.yaml").write_text(
        "name: Example New Clinic\n"
        "description: Walk-ins welcome: no appointment\n"
        "location:\n"
        "\ttimezone: America/Phoenix\n"
        "verified: 03/15/2026\n"
        "phones: ['520-555-0142']\n"
        "services: [outpatient, buprenorphine]\n"
        "hours:\n"
        "  mon-fri: 8am-6pm\n"
        "  fri: '09:00-12:00'\n"
    )
    original = "name: Example Old Clinic\nlocation: {timezone: America/Phoenix}\n"
    (providers / "example-old-clinic.yaml").write_text(
        original + "phones: ['520-555-0142']\nverified: 2026-01-10\n"
    )
    (providers / "example-upper.YAML").write_text(original)
    (providers / "example-no-extension").write_text(original)
    (data / "example-too-high.yaml").write_text(original)

    problems = validate([data], today=TODAY)
    found = {(Path(p.path).name, p.line, p.field): p.message for p in problems}

    new = "example-new-clinic.yaml"
    expected = {
        (new, 2, ""): 'put the description in quotes: description: "Walk-ins welcome: no',
        (new, 4, ""): "line 4 starts with a tab: indent with spaces",
        (new, 5, "verified"): "write 2026-03-15",
        (new, 7, "services[1]"): "it goes under medications",
        (new, 9, "hours.mon-fri"): "write '08:00-18:00'",
        (new, 10, "hours.fri"): "change 'mon-fri' to 'mon-thu'",
        (new, 6, "phones[0]"): "phone number 520-555-0142 is also in",
        ("example-upper.YAML", None, ""): "rename it to 'example-upper.yaml'",
        ("example-no-extension", None, ""): "rename it to 'example-no-extension.yaml'",
        ("example-too-high.yaml", None, ""): "move it into",
    }
    for where, fix in expected.items():
        assert fix in found.get(where, ""), (where, found)
    assert len(expected) == len(problems)
    assert all("\n" not in p.message for p in problems)


class TestNoClockInTheLibrary:
    """``today`` is a parameter: without it the verified-date checks are skipped."""

    FUTURE = HEAD + "verified: 2099-01-01\n"

    def test_load_directory_without_today_skips_the_check(self, tmp_path: Path) -> None:
        """A date after the real one loads when no ``today`` is given; with one, it fails."""
        import deflectkit as dk

        (tmp_path / "example-clinic.yaml").write_text(self.FUTURE)

        assert ["example-clinic"] == [p.slug for p in dk.load_directory(tmp_path)]
        with pytest.raises(dk.DataError, match="is in the future"):
            dk.load_directory(tmp_path, today=dt.date(2026, 3, 2))

    def test_validate_without_today_skips_the_check(self, tmp_path: Path) -> None:
        """``dk.check_files`` likewise; the CLI passes the real date (see test_validation)."""
        from deflectkit.files.validation import validate

        (tmp_path / "example-clinic.yaml").write_text(self.FUTURE)

        assert [] == validate([tmp_path])
        assert ["verified"] == [p.field for p in validate([tmp_path], today=TODAY)]

    def test_cli_passes_the_real_date(self, tmp_path: Path) -> None:
        """``deflectkit validate`` checks against today's date."""
        from deflectkit.cli import main

        (tmp_path / "example-clinic.yaml").write_text(self.FUTURE)

        assert 1 == main(["validate", str(tmp_path)])


class TestStructuredProblems:
    """``Problem.allowed``, ``suggestion`` and ``value``: the parts a UI shows."""

    def _problem(self, text: str) -> dict[str, object]:
        import deflectkit as dk

        _, problems = check_provider_document(parse_yaml(HEAD + text, "x.yaml"), today=TODAY)
        [problem] = problems
        row: dict[str, object] = dk.to_json(problem)
        return row

    def test_unknown_vocabulary_word(self) -> None:
        """A misspelt service: the allowed words, the suggestion and the value."""
        row = self._problem("services: [withdrawl_management]\n")

        assert "withdrawal_management" == row["suggestion"]
        assert "withdrawl_management" == row["value"]
        assert isinstance(row["allowed"], list)
        assert "outpatient" in row["allowed"]

    def test_hours_fix(self) -> None:
        """An hours span: the exact span to write."""
        row = self._problem("hours: {mon-fri: 8am-6pm}\n")

        assert ("08:00-18:00", "8am-6pm") == (row["suggestion"], row["value"])

    def test_unknown_key(self) -> None:
        """An unknown key: the keys allowed here and the closest."""
        row = self._problem("servics: [outpatient]\n")

        assert "services" == row["suggestion"]
        assert isinstance(row["allowed"], list)
        assert "services" in row["allowed"]

    def test_time_zone(self) -> None:
        """A misspelt zone: the closest IANA name."""
        _, problems = check_provider_document(
            parse_yaml("name: X\nlocation: {timezone: America/Phenix}\n", "x.yaml"), today=None
        )
        assert ("America/Phoenix", "America/Phenix") == (problems[0].suggestion, problems[0].value)

    def test_date(self) -> None:
        """A US date: the ISO date."""
        assert "2026-03-15" == self._problem("verified: 03/15/2026\n")["suggestion"]

    def test_plain_problem_has_empty_parts(self) -> None:
        """A problem built by hand has no parts, and equality ignores them."""
        from deflectkit.errors import Problem
        from deflectkit.hints import hinted

        plain = Problem("a.yaml", 1, 1, "name", "required")
        rich = Problem("a.yaml", 1, 1, "name", hinted("required", suggestion="x"))

        assert ((), None, None) == (plain.allowed, plain.suggestion, plain.value)
        assert plain == rich
        assert "x" == rich.suggestion


def test_named_files_warn_too(tmp_path: Path) -> None:
    """Files named on the command line (as pre-commit names them) are checked and warned."""
    from deflectkit.files.validation import validate

    (tmp_path / "providers").mkdir()
    upper = tmp_path / "providers" / "Example.YAML"
    high = tmp_path / "example-high.yaml"
    for path in (upper, high):
        path.write_text(HEAD)

    problems = validate([upper, high])
    found = {(Path(p.path).name, p.message.split(",")[0]) for p in problems if not p.is_error}

    assert {
        ("Example.YAML", "this file does not end in '.yaml'"),
        ("example-high.yaml", "this file is beside the providers folder"),
    } == found


class TestZoneAbbreviations:
    """``timezone: EST`` is a valid IANA name that ignores daylight saving: warn, with the fix."""

    def test_abbreviation_gets_the_zone_of_the_zip_code(self) -> None:
        """New York in EST would open and close an hour off all summer."""
        text = (
            "name: Example Clinic\nlocation:\n  timezone: EST\n"
            "  address: {city: New York, state: NY, postal_code: '10001'}\n"
        )
        found = check_provider_document(parse_yaml(text, "example.yaml"), today=TODAY)[1]

        assert [(p.severity, p.line, p.field, p.suggestion) for p in found] == [
            ("warning", 3, "location.timezone", "America/New_York"),
        ]
        assert "'EST' keeps one offset all year" in found[0].message

    @pytest.mark.parametrize("zone", ["MST", "UTC", "Etc/GMT+7"])
    def test_other_fixed_offsets_warn_without_a_zip(self, zone: str) -> None:
        """No ZIP code: the warning gives an example zone instead."""
        (message,) = messages(HEAD.replace("America/Phoenix", zone))

        assert "warning: location.timezone:" in message
        assert "such as 'America/New_York'" in message

    @pytest.mark.parametrize("zone", ["America/Phoenix", "EST5EDT", "US/Eastern"])
    def test_zones_of_places_and_rules_do_not_warn(self, zone: str) -> None:
        """Arizona keeps one offset by law; EST5EDT follows daylight saving."""
        assert messages(HEAD.replace("America/Phoenix", zone)) == []


@pytest.mark.parametrize(
    ("written", "code"),
    [("Texas", "TX"), ("arizona", "AZ"), ("New  York", "NY"), ("U.S. Virgin Islands", "VI"),
     ("az", "AZ")],
)
def test_state_name_gets_its_code(written: str, code: str) -> None:
    """A state written out (or in lower case) gets the two-letter code to write."""
    text = (
        "name: Example Clinic\nlocation:\n  timezone: America/Phoenix\n"
        f"  address: {{city: Example, state: '{written}', postal_code: '85701'}}\n"
    )
    (problem,) = check_provider_document(parse_yaml(text, "example.yaml"), today=TODAY)[1]

    assert problem.field == "location.address.state"
    assert problem.message == f"write the two-letter state code {code!r}, not {written!r}"
    assert problem.suggestion == code
