"""The Directory value and load_directory over the bundled sample data."""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path

import pytest

import deflectkit as dk
from deflectkit.core.directory import INDEXED_FIELDS, Directory
from deflectkit.core.providers import Address, Location, Provider
from deflectkit.errors import DataError
from deflectkit.files.providers import bulk_loading, load_directory
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    ASAM_LEVELS,
    DAYS,
    MEDICATIONS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
)

PROVIDERS = Path(__file__).resolve().parent.parent / "data" / "providers"
TODAY = dt.date(2026, 11, 27)
MINIMAL = "name: {name}\nlocation: {{timezone: America/Phoenix}}\n"


def provider(
    slug: str, city: str = "Tucson", county: str | None = "Pima", **kw: object
) -> Provider:
    """A small provider for directory tests."""
    location = Location("America/Phoenix", Address(city, "AZ", "85701", county=county))
    return Provider(slug=slug, name=f"Example {slug}", location=location, **kw)  # type: ignore[arg-type]


@pytest.fixture(name="sample", scope="module")
def _sample() -> Directory:
    return load_directory(PROVIDERS, today=TODAY)


class TestDirectory:
    """Look-ups on an in-memory directory."""

    def test_slug_order_and_lookup(self) -> None:
        """Providers come out in slug order; get and [] find them by slug."""
        d = Directory([provider("b"), provider("a")])

        assert ["a", "b"] == [p.slug for p in d]
        assert 2 == len(d)
        assert "b" == d["b"].slug
        assert d.get("zzz") is None
        assert "a" in d
        assert ("a", "b") == d.slugs

    def test_duplicate_slug_refused(self) -> None:
        """Two providers with one slug cannot form a directory."""
        with pytest.raises(ValueError, match="slug 'a'"):
            Directory([provider("a"), provider("a")])

    def test_indexes(self) -> None:
        """Vocabulary indexes return providers in slug order."""
        d = Directory(
            [
                provider("c", services=("outpatient",), medications=("methadone",), otp=True),
                provider("a", services=("outpatient", "residential"), payment=("medicaid",)),
            ]
        )

        assert ["a", "c"] == [p.slug for p in d.with_service("outpatient")]
        assert ["c"] == [p.slug for p in d.with_medication("methadone")]
        assert ["a"] == [p.slug for p in d.offering("payment", "medicaid")]
        assert () == d.offering("payment", "va")
        assert ("outpatient", "residential") == d.words("services")

    def test_unknown_field_refused(self) -> None:
        """Only vocabulary fields are indexed."""
        with pytest.raises(ValueError, match="not an indexed field"):
            Directory([]).offering("name", "x")  # type: ignore[arg-type]

    def test_cities_and_counties(self) -> None:
        """Cities and counties are listed once each, sorted."""
        d = Directory([provider("a", "Tucson"), provider("b", "Ajo"), provider("c", "Ajo", None)])

        assert ("Ajo", "Tucson") == d.cities
        assert ("Pima",) == d.counties
        assert ["b", "c"] == [p.slug for p in d.in_city("ajo")]
        assert ["a", "b"] == [p.slug for p in d.in_county("PIMA")]

    def test_equal_and_hashable(self) -> None:
        """Two directories of the same providers are equal and hash alike."""
        assert Directory([provider("a")]) == Directory([provider("a")])
        assert hash(Directory([provider("a")])) == hash(Directory([provider("a")]))

    def test_frozen(self) -> None:
        """The directory cannot be changed after it is built."""
        d = Directory([provider("a")])

        with pytest.raises(AttributeError):
            d.providers = ()  # type: ignore[misc]


class TestSampleData:
    """The bundled Pima County sample providers."""

    def test_loads_at_least_forty(self, sample: Directory) -> None:
        """At least 40 providers, all marked as sample data and named Example."""
        assert len(sample) >= 40
        assert all(p.sample and "Example" in p.name for p in sample)

    def test_public_api(self) -> None:
        """dk.load_directory is the same function."""
        assert load_directory is dk.load_directory

    @pytest.mark.parametrize(
        ("field", "vocabulary"),
        [
            ("services", SERVICES),
            ("medications", MEDICATIONS),
            ("substances", SUBSTANCES),
            ("payment", PAYMENT),
            ("asam_levels", ASAM_LEVELS),
            ("accessibility", ACCESSIBILITY),
            ("populations", POPULATIONS),
        ],
    )
    def test_every_word_used(self, sample: Directory, field: str, vocabulary: object) -> None:
        """Every word of the vocabulary appears in at least one sample provider."""
        assert field in INDEXED_FIELDS
        assert set(vocabulary.words) == set(sample.words(field))  # type: ignore[attr-defined]

    def test_every_day_named_in_hours(self, sample: Directory) -> None:
        """Every day word is written in some provider's hours."""
        named: set[str] = set()
        for p in sample:
            for hours in (p.hours, p.intake.hours):
                if hours is not None and isinstance(hours.source, dict):
                    for key in hours.source:
                        named.update(part for part in str(key).replace(",", "-").split("-"))

        assert set(DAYS.words) <= named

    def test_realistic_mix(self, sample: Directory) -> None:
        """The issue's mix: a 24/7 OTP taking drop-offs, crisis centre, overnight, veterans …"""
        otp_24_7 = [p for p in sample if p.otp and p.is_24_7 and p.intake.first_responder_dropoff]
        crisis_24_7 = [p for p in sample.with_service("crisis_stabilization") if p.is_24_7]
        overnight = [
            p for p in sample if p.hours and not p.hours.always and p.hours.is_open_local(2, 3 * 60)
        ]
        business = [
            p for p in sample if p.hours and not p.hours.is_open_local(5, 12 * 60)
            and not p.hours.is_open_local(0, 20 * 60)
        ]

        assert otp_24_7
        assert crisis_24_7
        assert overnight
        assert len(business) >= 3
        assert sample.offering("populations", "veterans")
        assert sample.offering("populations", "youth")
        assert [p for p in sample if p.languages[:1] == ("es",)]
        assert sample.with_service("naloxone_distribution")
        assert ("Pima",) == sample.counties

    def test_warnings_kept(self, sample: Directory) -> None:
        """Stale dates are warnings kept on the directory, not errors.

        The samples are current on TODAY (the one that warned on every run was re-dated);
        a year and a half later every one of them is stale.
        """
        assert [] == list(sample.warnings)
        later = load_directory(PROVIDERS, today=TODAY + dt.timedelta(days=550))
        assert len(later) == len(later.warnings)
        assert {("verified", "warning")} == {(w.field, w.severity) for w in later.warnings}


class TestLoadDirectory:
    """load_directory over temporary folders."""

    def test_all_problems_in_all_files(self, tmp_path: Path) -> None:
        """Errors from every file are collected into one DataError."""
        (tmp_path / "a.yaml").write_text("name: A\nlocation: {timezone: Mars/Base}\n")
        (tmp_path / "b.yaml").write_text("- not a mapping\n")
        (tmp_path / "c.yaml").write_text(MINIMAL.format(name="Example C"))

        with pytest.raises(DataError) as info:
            load_directory(tmp_path, today=TODAY)

        assert ["a.yaml", "b.yaml"] == [Path(p.path).name for p in info.value.problems]

    def test_duplicates_are_warnings(self, tmp_path: Path) -> None:
        """The same slug twice, or one provider in two files, warns but loads."""
        (tmp_path / "one").mkdir()
        (tmp_path / "two").mkdir()
        same = (
            "name: Example Same\nlocation:\n  timezone: America/Phoenix\n"
            "  address: {city: Tucson, state: AZ, postal_code: '85701', street: 1 Example St}\n"
        )
        (tmp_path / "one" / "x.yaml").write_text(same)
        (tmp_path / "two" / "x.yaml").write_text(same)
        (tmp_path / "two" / "y.yaml").write_text(same)

        d = load_directory(tmp_path, today=TODAY)

        assert ["x", "y"] == [p.slug for p in d]
        assert [
            f"{tmp_path / 'two' / 'x.yaml'}:1:1: warning: the slug 'x' is also used by "
            f"{tmp_path / 'one' / 'x.yaml'}; only the first file is loaded: rename one of them",
            f"{tmp_path / 'two' / 'y.yaml'}:1:1: warning: name: same name and address as "
            f"{tmp_path / 'one' / 'x.yaml'}: is this the same provider twice?",
        ] == [w.format() for w in d.warnings]

    def test_policies_skipped(self, tmp_path: Path) -> None:
        """Policy files and policy tests under the folder are not providers."""
        (tmp_path / "policies").mkdir()
        (tmp_path / "policies" / "p.yaml").write_text("schema: deflectkit/policy@1\n")
        (tmp_path / "p.tests.yaml").write_text("- name: x\n")
        (tmp_path / "ok.yaml").write_text(MINIMAL.format(name="Example OK"))

        assert ["ok"] == [p.slug for p in load_directory(tmp_path, today=TODAY)]

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A folder that does not exist is a DataError, not a traceback."""
        with pytest.raises(DataError, match="no such file or folder"):
            load_directory(tmp_path / "nope")


class TestBulkLoading:
    """The garbage-collector pause around bulk loads always restores the previous state."""

    def test_restores_enabled(self) -> None:
        """Enabled before, enabled after, paused inside."""
        assert gc.isenabled()

        with bulk_loading():
            assert not gc.isenabled()

        assert gc.isenabled()

    def test_restores_after_error(self) -> None:
        """An exception inside still re-enables the collector."""
        with pytest.raises(KeyError), bulk_loading():
            raise KeyError("x")

        assert gc.isenabled()

    def test_leaves_disabled_alone(self) -> None:
        """A collector the caller disabled stays disabled."""
        gc.disable()
        try:
            with bulk_loading():
                pass

            assert not gc.isenabled()
        finally:
            gc.enable()


def test_indexed_fields_are_the_vocabulary_list_fields() -> None:
    """The directory indexes exactly the provider fields that take vocabulary words."""
    from deflectkit.core.directory import INDEXED_FIELDS
    from deflectkit.vocabulary import PROVIDER_LIST_FIELDS

    assert set(PROVIDER_LIST_FIELDS) == set(INDEXED_FIELDS)
