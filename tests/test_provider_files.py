"""Provider files: every check gives one exact, located message; nothing escapes as a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.convert import to_json
from deflectkit.core.providers import Provider
from deflectkit.errors import DataError, Problem
from deflectkit.files.providers import (
    check_provider_document,
    check_provider_file,
    load_provider,
)
from deflectkit.files.yamlio import parse_yaml

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 11, 27)
BROKEN = Path(__file__).parent / "data" / "broken_providers"
SAMPLES = sorted((DATA / "providers").glob("*.yaml"))
MINIMAL = "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n"


def check(text: str, name: str = "example.yaml") -> tuple[Provider | None, list[str]]:
    """Check YAML text as a provider file; the problems as formatted lines."""
    provider, problems = check_provider_document(parse_yaml(text, name), today=TODAY)
    return provider, [p.format() for p in problems]


def expected_line(path: Path) -> str:
    """The ``# expect: …`` first line of a broken file, as the full message line."""
    first = path.read_bytes().split(b"\n", 1)[0].decode()
    assert first.startswith("# expect: ")
    rest = first.removeprefix("# expect: ")
    return f"{path.name}:{rest}" if rest[0].isdigit() else f"{path.name}: {rest}"


class TestBrokenCorpus:
    """Each file under tests/data/broken_providers gets exactly its one expected line."""

    @pytest.mark.parametrize("path", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
    def test_one_precise_line(self, path: Path) -> None:
        """The file's only problem is the line its first comment promises."""
        provider, problems = check_provider_file(path, today=TODAY, display=path.name)

        assert [expected_line(path)] == [p.format() for p in problems]
        assert provider is None

    def test_corpus_is_large(self) -> None:
        """The corpus covers at least forty distinct mistakes."""
        assert len(list(BROKEN.glob("*.yaml"))) >= 40


class TestChecks:
    """Unit tests for each check, with the exact message."""

    def test_minimal_file_is_valid(self) -> None:
        """A name and a time zone are all a provider needs."""
        provider, problems = check(MINIMAL)

        assert [] == problems
        assert provider is not None
        assert "example" == provider.slug

    def test_phone_normalised_to_e164(self) -> None:
        """Phone numbers in any common US form become E.164."""
        provider, _ = check(MINIMAL + "phones: ['(520) 555-0142', {number: 520.555.0143}]\n")

        assert provider is not None
        assert ("+15205550142", "+15205550143") == tuple(p.number for p in provider.phones)

    @pytest.mark.parametrize(
        "text",
        [
            "+1 520-555-0142",
            "520-555-0142",
            "(520) 555-0142",
            "1-520-555-0142",
            "+15205550142",
            "+1 416-555-0142",
            "+44 20 7946 0958",
        ],
    )
    def test_phone_forms_match_phonenumbers(self, text: str) -> None:
        """Every way of writing a number gives what the phonenumbers library gives."""
        parsed = phonenumbers.parse(text, "US")
        expected = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)

        provider, _ = check(MINIMAL + f"phones: [{text!r}]\n")

        assert provider is not None
        assert expected == provider.phones[0].number

    def test_call_ahead_normalised(self) -> None:
        """The intake call-ahead number is normalised like the others."""
        provider, _ = check(MINIMAL + "intake: {call_ahead: '520 555 0142'}\n")

        assert provider is not None
        assert "+15205550142" == provider.intake.call_ahead

    def test_verified_old_is_a_warning_only(self) -> None:
        """A date more than a year old warns but still loads."""
        provider, problems = check(MINIMAL + "verified: 2025-11-01\n")

        assert provider is not None
        assert [
            "example.yaml:3:11: warning: verified: last verified 2025-11-01, more than a year "
            "ago: please check the details with the provider and update this date"
        ] == problems

    def test_verified_quoted_future(self) -> None:
        """A quoted date is checked like an unquoted one."""
        _, problems = check(MINIMAL + "verified: '2027-01-05'\n")

        assert [
            "example.yaml:3:11: error: verified: 2027-01-05 is in the future (today is "
            "2026-11-27); write the day a person last checked this information"
        ] == problems

    def test_verified_today_is_fine(self) -> None:
        """Today itself is not in the future."""
        _, problems = check(MINIMAL + f"verified: {TODAY.isoformat()}\n")

        assert [] == problems

    def test_methadone_with_otp_is_fine(self) -> None:
        """Methadone is allowed when the provider is an OTP."""
        provider, problems = check(MINIMAL + "medications: [methadone]\notp: true\n")

        assert [] == problems
        assert provider is not None
        assert provider.otp

    def test_every_problem_is_reported_at_once(self) -> None:
        """Three mistakes in one file give three lines, in file order."""
        _, problems = check(
            MINIMAL + "servics: [outpatient]\nwebsite: ftp://x.example.org\nemail: nope\n"
        )

        assert [
            "example.yaml:3:1: error: servics: unknown key 'servics'; did you mean 'services'?",
            "example.yaml:4:10: error: website: links must start with https:// or http://, "
            "got 'ftp://x.example.org'",
            "example.yaml:5:8: error: email: 'nope' is not an e-mail address such as "
            "intake@example.org",
        ] == problems

    def test_overnight_hours(self) -> None:
        """An overnight span runs into the next morning."""
        provider, _ = check(MINIMAL + "hours: {fri: '20:00-08:00'}\n")

        assert provider is not None
        assert provider.hours is not None
        assert ((1200, 1440),) == provider.hours.days[4]
        assert ((0, 480),) == provider.hours.days[5]

    def test_unknown_vocabulary_lists_choices(self) -> None:
        """A word far from every known one lists the choices."""
        _, problems = check(MINIMAL + "substances: [glue]\n")

        assert [
            "example.yaml:3:14: error: substances[0]: unknown substance 'glue'; use one of: "
            "opioids, stimulants, alcohol, cannabis, sedatives, other_substances"
        ] == problems

    def test_vocabulary_label_is_understood(self) -> None:
        """Writing a label instead of the word suggests the word."""
        _, problems = check(MINIMAL + "payment: [Private insurance]\n")

        assert [
            "example.yaml:3:11: error: payment[0]: unknown payment option 'Private insurance'; "
            "did you mean 'private'?"
        ] == problems

    def test_source_and_populations(self) -> None:
        """Provenance and populations load into the model."""
        provider, problems = check(
            MINIMAL
            + "populations: [veterans]\n"
            + "source: {name: SAMHSA, id: X1, date: 2026-01-02, url: 'https://example.org/x'}\n"
        )

        assert [] == problems
        assert provider is not None
        assert ("veterans",) == provider.populations
        assert provider.source is not None
        assert dt.date(2026, 1, 2) == provider.source.date

    def test_datetime_for_date(self) -> None:
        """A date with a time is refused with the date to write instead."""
        _, problems = check(MINIMAL + "verified: 2026-10-01T09:30:00\n")

        assert [
            "example.yaml:3:11: error: verified: write only the date, such as 2026-10-01"
        ] == problems

    def test_alias_key_suggestion(self) -> None:
        """A common synonym of a key suggests the key."""
        _, problems = check(MINIMAL + "phone: '520-555-0142'\n")

        assert ["example.yaml:3:1: error: phone: unknown key 'phone'; did you mean 'phones'?"] == (
            problems
        )


class TestLoadProvider:
    """load_provider raises DataError with every problem; good files load."""

    def test_raises_with_all_problems(self, tmp_path: Path) -> None:
        """Both errors are carried by the exception."""
        path = tmp_path / "bad.yaml"
        path.write_text(MINIMAL + "otp: maybe\nemail: x\n", encoding="utf-8")

        with pytest.raises(DataError) as info:
            load_provider(path, today=TODAY)

        assert ["otp", "email"] == [p.field for p in info.value.problems]

    def test_loads_sample(self) -> None:
        """A bundled sample provider loads."""
        path = DATA / "providers" / "example-otp-clinic-downtown.yaml"
        provider = load_provider(path, today=TODAY)

        assert provider.otp
        assert provider.is_24_7


def _round_trip(provider: Provider) -> Provider | None:
    data = to_json(provider)
    slug = data.pop("slug")
    text = yaml.safe_dump(data, allow_unicode=True)
    reloaded, problems = check_provider_document(
        parse_yaml(text, f"{slug}.yaml"), today=TODAY, slug=slug
    )
    assert [] == [p for p in problems if p.is_error]
    return reloaded


class TestRoundTrip:
    """Unstructure then structure gives the same provider."""

    @pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
    def test_samples_round_trip(self, path: Path) -> None:
        """Every sample survives to_json -> YAML -> check."""
        provider = load_provider(path, today=TODAY)

        assert provider == _round_trip(provider)


# --- property: random edits never escape as a traceback -----------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(),
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), _SCALARS, max_size=3),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out.extend(_paths(item, (*prefix, index)))
    return out


@st.composite
def edited_documents(draw: st.DrawFn) -> str:
    """A sample provider with a few random edits, dumped back to YAML text."""
    source = draw(st.sampled_from(SAMPLES[:8]))
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["delete", "replace", "insert"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(_VALUES)
        elif isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(_VALUES)
        else:
            parent.append(draw(_VALUES))
    return yaml.safe_dump(data, allow_unicode=True)


@given(edited_documents())
def test_random_edits_give_problems_not_tracebacks(text: str) -> None:
    """Whatever the edit, the result is a provider or a list of located Problems."""
    try:
        doc = parse_yaml(text, "edited.yaml")
    except DataError as exc:
        problems: list[Problem] = list(exc.problems)
        provider = None
    else:
        provider, problems = check_provider_document(doc, today=TODAY)

    assert all(isinstance(p, Problem) for p in problems)
    assert (provider is None) == any(p.is_error for p in problems)
    for problem in problems:
        assert problem.format().startswith("edited.yaml")


_NOISE = st.lists(
    st.sampled_from([":", "- ", "[", "]", "{", "}", "#", "&a ", "*a", "!x ", "'", '"', "\n", "\t",
                     "2026-02-30", "<<: ", "\x00", "é", "24/7", "yes", "~", ", "]),
    min_size=1,
    max_size=4,
)


@given(st.sampled_from(SAMPLES[:8]), st.data())
def test_random_text_damage_gives_problems_not_tracebacks(path: Path, data: st.DataObject) -> None:
    """Characters inserted or removed anywhere give Problems, never an exception."""
    text = path.read_text(encoding="utf-8")
    for piece in data.draw(_NOISE):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + text[at + len(piece):]
    try:
        doc = parse_yaml(text, "damaged.yaml")
    except DataError as exc:
        provider, problems = None, list(exc.problems)
    else:
        provider, problems = check_provider_document(doc, today=TODAY)

    assert (provider is None) == any(p.is_error for p in problems)
    assert all(p.format().startswith("damaged.yaml") for p in problems)
