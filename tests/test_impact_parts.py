"""Counting an encounter file in parts gives exactly what one stream gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deflectkit as dk
import deflectkit.files.encounters as encounters_module
from deflectkit.convert import to_json
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError
from deflectkit.files.encounters import read_encounters, split_file
from deflectkit.files.impact_run import impact_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "encounters" / "sample.csv"
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"


@pytest.fixture(scope="module", name="sides")
def _sides() -> tuple[Policy, Policy]:
    return dk.load_policy(MODEL), dk.load_policy(VARIANT)


@pytest.fixture(autouse=True)
def _split_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encounters_module, "MIN_SPLIT_BYTES", 1000)


def test_parts_cover_every_line_once(sides: tuple[Policy, Policy]) -> None:
    """Three parts read the same encounters, with the same line numbers, as one reader."""
    parts = split_file(SAMPLE, 3)
    pieces = [e for part in parts for e in read_encounters(SAMPLE, sides, part=part)]

    assert 3 == len(parts)
    assert list(read_encounters(SAMPLE, sides)) == pieces


def test_parallel_equals_the_stream(sides: tuple[Policy, Policy]) -> None:
    """impact_file on two processes gives dk.impact's result, examples included."""
    whole = dk.impact(*sides, read_encounters(SAMPLE, sides), examples=4)

    assert to_json(whole) == to_json(impact_file(*sides, SAMPLE, examples=4, workers=2))


def test_jsonl_parts(tmp_path: Path, sides: tuple[Policy, Policy]) -> None:
    """A JSON Lines file splits too; line numbers stay those of the whole file."""
    path = tmp_path / "e.jsonl"
    rows = [{"contact_at": f"2025-03-{1 + i % 28:02d}T10:00:00-07:00", "age": 20 + i % 50,
             "offenses": ["trespass"] if i % 3 else []} for i in range(300)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    parts = split_file(path, 2)
    lines = [e.line for part in parts for e in read_encounters(path, sides, part=part)]

    assert (2, list(range(1, 301))) == (len(parts), lines)


def test_quoted_csv_is_one_part(tmp_path: Path) -> None:
    """A quote could hide a line break: such a CSV is read by one reader."""
    path = tmp_path / "q.csv"
    path.write_text('age,offenses\n"30",[]\n' + "31,[]\n" * 2000, encoding="utf-8")

    assert 1 == len(split_file(path, 2))


def test_problems_of_every_part_are_reported(tmp_path: Path,
                                             sides: tuple[Policy, Policy]) -> None:
    """Bad rows in two parts: both are listed with their line, as one reader would."""
    text = SAMPLE.read_text(encoding="utf-8").splitlines()
    for n in (5, 1900):
        text[n - 1] = text[n - 1].replace("-07:00,", "-07:00X,", 1)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")

    with pytest.raises(DataError) as caught:
        impact_file(*sides, path, workers=2)

    assert [5, 1900] == [p.line for p in caught.value.problems]
