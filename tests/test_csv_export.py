"""CSV export: one row per provider, lists joined, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from deflectkit.files.providers import load_directory
from deflectkit.interop.csv_export import COLUMNS, export_csv, hours_text

FIXTURES = Path(__file__).resolve().parent / "data" / "interop" / "providers"
TODAY = dt.date(2026, 11, 1)


def _rows() -> list[dict[str, str]]:
    text = export_csv(load_directory(FIXTURES, today=TODAY))
    return list(csv.DictReader(io.StringIO(text)))


def test_one_row_per_provider_in_slug_order() -> None:
    """Header, then each provider once, sorted by slug."""
    rows = _rows()

    assert list(COLUMNS) == list(rows[0])
    assert [
        "example-harbor-east", "example-harbor-otp", "example-mobile-crisis",
        "example-night-shelter",
    ] == [r["slug"] for r in rows]


def test_values_and_joined_lists() -> None:
    """Lists use '; ', phones carry labels, hours are one line, booleans read true/false."""
    row = {r["slug"]: r for r in _rows()}["example-harbor-otp"]

    assert "outpatient; medications; peer_support" == row["services"]
    assert "buprenorphine; methadone; naltrexone" == row["medications"]
    assert "'+1 520-555-0101 (24/7 intake); +1 520-555-0102" == row["phones"]
    assert ("24/7", "mon-fri 06:00-22:00; sat,sun 08:00-12:00") == (
        row["hours"], row["intake_hours"]
    )
    assert ("true", "true", "18", "") == (
        row["otp"], row["intake_first_responder_dropoff"], row["ages_min"], row["ages_max"]
    )
    assert ("100 Example Way, Suite 2", "85701", "Pima") == (
        row["street"], row["postal_code"], row["county"]
    )
    assert ("Example County survey", "2026-08-15") == (row["source_name"], row["source_date"])


def test_formula_like_cells_are_neutralised() -> None:
    """A cell a spreadsheet would run as a formula starts with an apostrophe."""
    row = {r["slug"]: r for r in _rows()}["example-mobile-crisis"]

    assert "'=Example County" == row["organization"]
    assert "false" == row["otp"]


def test_quotes_and_commas_survive() -> None:
    """Commas, quotes and ampersands in text round-trip through the CSV quoting."""
    row = {r["slug"]: r for r in _rows()}["example-night-shelter"]

    assert 'Overnight beds: "low barrier", no ID needed.' == row["description"]
    assert "Example Night Shelter & Respite" == row["name"]
    assert "daily 19:00-07:00" == row["hours"]  # the shorthand as the file has it


def test_hours_text() -> None:
    """Split shifts and closed days read naturally."""
    assert "mon-thu 08:00-12:00, 13:00-17:00; fri 20:00-08:00" == hours_text(
        {"mon-thu": ["08:00-12:00", "13:00-17:00"], "fri": "20:00-08:00"}
    )
    assert "" == hours_text(None)
