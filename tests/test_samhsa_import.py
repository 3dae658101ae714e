"""Importing SAMHSA's FindTreatment.gov facility export (interop.samhsa + provider_writer)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path
from typing import Any

import pytest

from deflectkit.files.provider_writer import existing_source_ids, write_providers
from deflectkit.files.providers import check_provider_file, load_directory
from deflectkit.interop.records import check_imported
from deflectkit.interop.samhsa import (
    ACCESSIBILITY_CODES,
    LANGUAGE_CODES,
    MEDICATION_CODES,
    OWNED_KEYS,
    PAYMENT_CODES,
    POPULATION_CODES,
    SERVICE_CODES,
    SOURCE_NAME,
    SUBSTANCE_CODES,
    export_date_from_name,
    read_samhsa,
)
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    LANGUAGES,
    MEDICATIONS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
)

#: Real datasets live beside the repository (../shared); never copied into it.
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
MA_EXPORT = SHARED / "datasets" / "samhsa_findtreatment_ma_2025" / "facility-detail.csv"
EXPORT_DATE = dt.date(2025, 8, 19)
TODAY = dt.date(2025, 9, 1)

needs_shared = pytest.mark.skipif(
    not MA_EXPORT.exists() and not os.environ.get("CI"),
    reason="the shared datasets folder (../shared) is not present",
)

HEADER = (
    "    name1,name2,street1,street2,city,state,zip,zip4,county,phone,intake_prompt,intake1,"
    "intake2,website,latitude,longitude,type_facility,mh,sa,dt,meth,otp,bu,nu,op,res,md,sp,"
    "ah,vet,adlt,chld,n40 "
)


def _export(tmp_path: Path, *rows: str, name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


ROW_OTP = (
    "Example Health,Downtown Clinic,100 Example Way,,Boston,MA,02118,,Suffolk,617-555-0100,"
    "Intakes,617-555-0101,,https://example.org,42.33,-71.07,SU,,1,,1,1,1,1,1,,1,1,1,1,1,1,1"
)
ROW_MH_SAME_SITE = (
    "Example Health,Downtown Clinic,100 Example Way,,Boston,MA,02118,,Suffolk,617-555-0100,"
    ",,,https://example.org,42.33,-71.07,MH,1,,,,,,,1,,1,,,,1,1,"
)


class TestCodeTables:
    """Every word the code tables produce exists in our vocabulary."""

    @pytest.mark.parametrize(
        ("table", "vocabulary"),
        [
            (SERVICE_CODES, SERVICES),
            (MEDICATION_CODES, MEDICATIONS),
            (SUBSTANCE_CODES, SUBSTANCES),
            (PAYMENT_CODES, PAYMENT),
            (POPULATION_CODES, POPULATIONS),
            (LANGUAGE_CODES, LANGUAGES),
            (ACCESSIBILITY_CODES, ACCESSIBILITY),
        ],
    )
    def test_words_are_vocabulary(self, table: dict[str, str], vocabulary: object) -> None:
        """A mapped code never yields a word validation would reject."""
        assert [] == [w for w in table.values() if w not in vocabulary]  # type: ignore[operator]


class TestSmallExport:
    """Hand-made exports exercise each mapping rule."""

    def test_sites_listed_twice_merge_and_codes_map(self, tmp_path: Path) -> None:
        """An SU and an MH row for one site become one provider with both code sets."""
        result = read_samhsa(
            _export(tmp_path, ROW_OTP, ROW_MH_SAME_SITE), export_date=EXPORT_DATE, today=TODAY
        )
        slug = "example-health-downtown-clinic-boston"

        assert [slug] == list(result.providers)
        p = result.providers[slug]
        assert "Example Health — Downtown Clinic" == p["name"]
        assert "Example Health" == p["organization"]
        assert ["outpatient", "medications", "mental_health_care"] == p["services"]
        assert ["buprenorphine", "methadone", "naltrexone"] == p["medications"]
        assert p["otp"] is True
        assert p["mental_health"] is True
        assert ["opioids"] == p["substances"]
        assert ["medicaid"] == p["payment"]
        assert ["en", "es"] == p["languages"]
        assert ["sign_language"] == p["accessibility"]
        assert ["veterans"] == p["populations"]
        assert "ages" not in p  # adults and children both accepted: no limit
        assert [
            {"number": "+1 617-555-0100", "label": "Main"},
            {"number": "+1 617-555-0101", "label": "Intake"},
        ] == p["phones"]
        assert "America/New_York" == p["location"]["timezone"]
        assert {"lat": 42.33, "lon": -71.07} == p["location"]["coordinates"]
        assert "hours" not in p
        assert {"name": SOURCE_NAME, "date": EXPORT_DATE} == {
            k: p["source"][k] for k in ("name", "date")
        }
        assert EXPORT_DATE == p["verified"]
        assert p["sample"] is False
        expected_codes = [
            "ADLT", "AH", "BU", "CHLD", "MD", "METH", "MH", "N40", "NU", "OP", "OTP", "SA",
            "SP", "VET",
        ]
        assert expected_codes == p["samhsa_codes"]

    def test_methadone_without_otp_is_dropped_with_a_warning(self, tmp_path: Path) -> None:
        """Methadone is only listed for an OTP; the raw code is still kept."""
        row = ROW_OTP.replace(",SU,,1,,1,1,", ",SU,,1,,1,,")
        result = read_samhsa(_export(tmp_path, row), export_date=EXPORT_DATE, today=TODAY)
        p = next(iter(result.providers.values()))

        assert ["buprenorphine", "naltrexone"] == p["medications"]
        assert "METH" in p["samhsa_codes"]
        assert ["otp"] == [w.field for w in result.warnings]

    def test_bad_rows_are_reported_with_their_line(self, tmp_path: Path) -> None:
        """Rows without a name, a bad ZIP or a wrong field count are errors; the rest import."""
        no_name = ROW_OTP.replace("Example Health,Downtown Clinic", ",Annex")
        bad_zip = ROW_OTP.replace("02118", "2118").replace("Downtown", "Uptown")
        short = "Example Short Row,,1 A St"
        path = _export(tmp_path, ROW_OTP, no_name, bad_zip, short)
        result = read_samhsa(path, export_date=EXPORT_DATE, today=TODAY)

        assert [(3, "name1"), (4, "zip"), (5, "")] == [(p.line, p.field) for p in result.errors]
        assert f"{path}:4: error: zip: '2118' is not a 5-digit ZIP code; row not imported" == (
            result.errors[1].format()
        )
        assert 1 == len(result.providers)
        assert (4, 3) == (result.records, result.skipped)

    def test_slugs_are_unique_and_independent_of_row_order(self, tmp_path: Path) -> None:
        """Two same-name clinics in one city are told apart by street, whatever the order."""
        second = ROW_OTP.replace("100 Example Way", "200 Sample Road").replace(
            "42.33", "42.34"
        )
        one = read_samhsa(_export(tmp_path, ROW_OTP, second, name="a.csv"),
                          export_date=EXPORT_DATE, today=TODAY)
        two = read_samhsa(_export(tmp_path, second, ROW_OTP, name="b.csv"),
                          export_date=EXPORT_DATE, today=TODAY)

        expected = [
            "example-health-downtown-clinic-boston-100-example-way",
            "example-health-downtown-clinic-boston-200-sample-road",
        ]
        assert expected == list(one.providers)
        assert one.providers == two.providers

    def test_export_date_in_the_future_is_refused(self, tmp_path: Path) -> None:
        """A future export date is a mistake, not provenance."""
        from deflectkit.errors import DataError

        with pytest.raises(DataError, match="in the future"):
            read_samhsa(_export(tmp_path, ROW_OTP), export_date=TODAY, today=EXPORT_DATE)

    def test_export_date_is_read_from_samhsas_file_name(self) -> None:
        """SAMHSA's own file name carries the download date."""
        assert EXPORT_DATE == export_date_from_name(
            "FindTreament_Facility_listing_2025_08_19_150020.csv"
        )
        assert export_date_from_name("facility-detail.csv") is None


class TestWriter:
    """Atomic writes, no silent overwrites, field-level diffs on update."""

    def test_reimport_keeps_edits_and_update_shows_changes(self, tmp_path: Path) -> None:
        """Without update nothing is overwritten; with it, owned fields change and edits stay."""
        out = tmp_path / "providers"
        first = read_samhsa(_export(tmp_path, ROW_OTP), export_date=EXPORT_DATE, today=TODAY)
        assert {"create": 1, "update": 0, "unchanged": 0, "kept": 0} == write_providers(
            out, first.providers, owned_keys=OWNED_KEYS
        ).counts
        file = out / "example-health-downtown-clinic-boston.yaml"
        # A person adds intake details the export does not hold.
        file.write_text(file.read_text() + "intake:\n  walk_in: true\n", encoding="utf-8")
        before = file.read_text()
        changed = read_samhsa(
            _export(tmp_path, ROW_OTP.replace("617-555-0101", "617-555-0199"), name="new.csv"),
            export_date=EXPORT_DATE, today=TODAY,
            existing=existing_source_ids(out, SOURCE_NAME),
        )

        kept = write_providers(out, changed.providers, owned_keys=OWNED_KEYS)
        assert ["kept"] == [f.action for f in kept.files]
        assert before == file.read_text()

        dry = write_providers(out, changed.providers, update=True, dry_run=True,
                              owned_keys=OWNED_KEYS)
        assert ["update"] == [f.action for f in dry.files]
        assert before == file.read_text()

        updated = write_providers(out, changed.providers, update=True, owned_keys=OWNED_KEYS)
        assert [("phones[1].number: '+1 617-555-0101' → '+1 617-555-0199'",)] == [
            f.changes for f in updated.files
        ]
        text = file.read_text()
        assert "617-555-0199" in text
        assert "walk_in: true" in text
        assert [] == list(tmp_path.glob(".providers.import-*"))

    def test_a_failed_write_changes_nothing(self, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
        """If writing fails part-way, no provider file is touched and no temporary is left."""
        out = tmp_path / "providers"
        out.mkdir()
        (out / "keep.yaml").write_text("name: Keep\n", encoding="utf-8")
        second = ROW_OTP.replace("Downtown", "Uptown")
        result = read_samhsa(_export(tmp_path, ROW_OTP, second), export_date=EXPORT_DATE,
                             today=TODAY)
        real_write = Path.write_text
        calls: list[Path] = []

        def failing_write(self: Path, *args: Any, **kwargs: Any) -> int:
            calls.append(self)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return real_write(self, *args, **kwargs)

        monkeypatch.setattr(Path, "write_text", failing_write)
        with pytest.raises(OSError, match="No space"):
            write_providers(out, result.providers)
        monkeypatch.undo()

        assert ["keep.yaml"] == sorted(p.name for p in out.iterdir())
        # No staging folder is left; the lock file beside the folder stays (deleting a lock
        # file races with the next process that opens it), and it holds nothing.
        left = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".providers"))
        assert [".providers.lock"] == left

    def test_files_start_with_the_schema_comment_and_read_back(self, tmp_path: Path) -> None:
        """Each file names the editor schema and its format, and loads back to the same values."""
        import yaml

        result = read_samhsa(_export(tmp_path, ROW_OTP), export_date=EXPORT_DATE, today=TODAY)
        write_providers(tmp_path / "p", result.providers)
        file = next((tmp_path / "p").glob("*.yaml"))
        text = file.read_text()

        first_line = "# yaml-language-server: $schema=../../schemas/provider.schema.json"
        assert [first_line, "schema: deflectkit/provider@1"] == text.splitlines()[:2]
        imported = dict(next(iter(result.providers.values())))
        assert {**imported, "schema": "deflectkit/provider@1"} == yaml.safe_load(text)
        provider, problems = check_provider_file(file, today=TODAY)
        assert [] == problems
        assert provider is not None


@pytest.fixture(name="result", scope="module")
def _result() -> object:
    raw = read_samhsa(MA_EXPORT, export_date=EXPORT_DATE, today=TODAY)
    return check_imported(raw, str(MA_EXPORT), today=TODAY)


@needs_shared
class TestMassachusettsExport:
    """The real Massachusetts export: 662 rows, every imported file validates."""

    def test_every_row_imports_and_every_file_validates(self, result: object,
                                                        tmp_path: Path) -> None:
        """662 rows (196 sites listed by both surveys) give 466 valid provider files."""
        from deflectkit.interop.records import ImportResult

        assert isinstance(result, ImportResult)
        out = tmp_path / "providers"
        report = write_providers(out, result.providers)
        directory = load_directory(out, today=TODAY)

        assert (662, 0, []) == (result.records, result.skipped, result.errors)
        assert 466 == report.count("create")
        assert 466 == len(list(directory))
        # The export's row 612 writes West Springfield's ZIP 01089 with state VT (its twin
        # rows say MA): the one warning, from the ZIP-state check.
        assert [("location.address.postal_code",
                 "ZIP code '01089' is in MA, not VT: check the ZIP code and the state")] == [
            (w.field, w.message) for w in directory.warnings]

    def test_slugs_are_stable_and_unique(self, result: object) -> None:
        """Reading the same export twice gives the same slugs, all valid file names."""
        import re

        from deflectkit.interop.records import ImportResult

        assert isinstance(result, ImportResult)
        again = read_samhsa(MA_EXPORT, export_date=EXPORT_DATE, today=TODAY)
        slugs = list(result.providers)

        assert slugs == list(again.providers)
        assert len(slugs) == len(set(slugs))
        assert [] == [s for s in slugs if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s)]

    def test_header_spaces_are_stripped(self) -> None:
        """The real header starts with '    name1' and ends with 'n40 '."""
        header = next(csv.reader(io.StringIO(MA_EXPORT.read_text(encoding="utf-8"))))
        result = read_samhsa(MA_EXPORT, export_date=EXPORT_DATE, today=TODAY)
        codes = {c for m in result.providers.values() for c in m["samhsa_codes"]}

        assert ("    name1", "n40 ") == (header[0], header[-1])
        assert "N40" in codes


@needs_shared
class TestSpanishOnRealData:
    """SAMHSA's ``sp`` column (Spanish-speaking staff) becomes ``languages: [en, es]``."""

    @staticmethod
    def _sites_with_spanish() -> set[tuple[str, ...]]:
        """Sites (same names and address, as the export lists them) with ``sp`` set."""
        with MA_EXPORT.open(encoding="utf-8", newline="") as handle:
            rows = [{k.strip(): v for k, v in row.items()} for row in csv.DictReader(handle)]
        keys = ("name1", "name2", "street1", "street2", "city", "zip")
        return {
            tuple(" ".join(row[k].lower().split()) for k in keys)
            for row in rows
            if row["sp"].strip() == "1"
        }

    def test_every_site_with_the_flag_speaks_spanish(self, result: object,
                                                      tmp_path: Path) -> None:
        """296 rows carry the flag: 208 of the 466 sites, and each of them lists ``es``."""
        from deflectkit.interop.records import ImportResult

        assert isinstance(result, ImportResult)
        spanish = self._sites_with_spanish()
        out = tmp_path / "providers"
        write_providers(out, result.providers)
        directory = load_directory(out, today=TODAY)
        speaking = [p for p in directory if "es" in p.languages]

        assert 208 == len(spanish) == len(speaking)
        assert {"en"} == {p.languages[0] for p in speaking}  # English is assumed
        assert all("SP" in p.samhsa_codes for p in speaking)
        assert not any("SP" in p.samhsa_codes for p in directory if p not in speaking)

    def test_habla_espanol_is_a_filter_that_finds_them(self, result: object,
                                                       tmp_path: Path) -> None:
        """``language="es"`` matches exactly those sites; the site's index lists ``es``."""
        import deflectkit as dk
        from deflectkit.interop.records import ImportResult
        from deflectkit.site.facets import directory_index

        assert isinstance(result, ImportResult)
        out = tmp_path / "providers"
        write_providers(out, result.providers)
        directory = load_directory(out, today=TODAY)
        at = dt.datetime(2025, 9, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
        found = dk.match(directory, ["substance_use"], at=at, language="es",
                         include_closed=True, limit=10_000)
        wanted = {p.slug for p in directory if "es" in p.languages
                  and dk.match([p], ["substance_use"], at=at, include_closed=True)}
        index = directory_index(directory)
        column = index["fields"].index("langs")
        rows_with_es = {row[0] for row in index["providers"] if "es" in row[column]}

        assert len(wanted) > 100
        assert wanted == {m.provider.slug for m in found}
        assert {p.slug for p in directory if "es" in p.languages} == rows_with_es
        assert "Español" == dk.label("es", "languages", lang="es")
