"""Tests for deflectkit.files.encounters: reading de-identified encounter files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import deflectkit as dk
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError
from deflectkit.files.encounters import MAX_LINE, fact_specs, read_encounters
from deflectkit.files.events import MAX_LISTED

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
HEADER = "contact_at,contact_type,age,offenses,drug_amount_grams,weapon_present,needs"
MST = dt.timezone(dt.timedelta(hours=-7))


@pytest.fixture(scope="module", name="policy")
def _policy() -> Policy:
    return dk.load_policy(MODEL)


def _csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "encounters.csv"
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def _problems(path: Path, policy: Policy) -> list[str]:
    with pytest.raises(DataError) as caught:
        list(read_encounters(path, policy))
    return [p.format() for p in caught.value.problems]


class TestReading:
    def test_csv_cells_become_typed_facts(self, tmp_path: Path, policy: Policy) -> None:
        """Words, numbers, booleans, a|b lists and [] are typed; an empty cell is left out."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,patrol,34,drug_possession|trespass,"
                              "1.5,false,",
                    "2025-03-04T09:00:00-07:00,outreach,,[],0,true,opioids")

        rows = list(read_encounters(path, policy))

        assert [2, 3] == [r.line for r in rows]
        assert {
            "contact_at": dt.datetime(2025, 3, 3, 14, 30, tzinfo=MST), "contact_type": "patrol",
            "age": 34, "offenses": ("drug_possession", "trespass"), "drug_amount_grams": 1.5,
            "weapon_present": False,
        } == dict(rows[0].facts)
        assert ((), True, ("opioids",)) == (
            rows[1].facts["offenses"], rows[1].facts["weapon_present"], rows[1].facts["needs"])
        assert "age" not in rows[1].facts  # missing, not zero

    def test_jsonl_values_are_json_types(self, tmp_path: Path, policy: Policy) -> None:
        """JSON Lines: true, numbers and arrays as JSON; null is a missing fact."""
        path = tmp_path / "encounters.jsonl"
        path.write_text(json.dumps({
            "contact_at": "2025-03-03T14:30:00-07:00", "contact_type": "overdose_response",
            "age": 40, "offenses": [], "drug_amount_grams": 2, "warrant": None,
        }) + "\n", encoding="utf-8")

        (row,) = read_encounters(path, policy)

        assert (1, (), 2.0, False) == (
            row.line, row.facts["offenses"], row.facts["drug_amount_grams"], "warrant" in row.facts)

    def test_is_a_stream(self, tmp_path: Path, policy: Policy) -> None:
        """Nothing is read until asked for; good rows come before a later bad row's error."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,patrol,34,[],0,false,",
                    "2025-03-03T14:30:00-07:00,patrol,x,[],0,false,")
        rows = read_encounters(path, policy)

        first = next(rows)

        assert 34 == first.facts["age"]
        with pytest.raises(DataError):
            next(rows)

    def test_facts_of_two_policies(self, tmp_path: Path, policy: Policy) -> None:
        """With two policies, a column either declares is a fact; enum words are the union."""
        town = dk.load_policy(ROOT / "examples" / "policies" / "example-town.yaml")
        specs = fact_specs([policy, town])

        assert {"offense", "offenses", "contact_type"} <= set(specs)

    def test_committed_sample_is_valid(self, policy: Policy) -> None:
        """The committed fictional sample reads without a problem, one encounter a line."""
        path = ROOT / "data" / "encounters" / "sample.csv"
        lines = path.read_text(encoding="utf-8").count("\n")

        assert lines - 1 == sum(1 for _ in read_encounters(path, policy))


class TestProblems:
    @pytest.mark.parametrize(
        ("cell", "message"),
        [
            ("nan", "expected a number written plainly"),
            ("inf", "expected a number written plainly"),
            ("1e3", "expected a number written plainly"),
            ("-1.0", "drug_amount_grams: below the smallest value allowed, 0"),
        ],
    )
    def test_bad_numbers(self, tmp_path: Path, policy: Policy, cell: str, message: str) -> None:
        """NaN, infinity, exponents and negative amounts are refused at their column."""
        path = _csv(tmp_path, f"2025-03-03T14:30:00-07:00,patrol,34,[],{cell},false,")

        (problem,) = _problems(path, policy)

        assert problem.startswith(f"{path}:2:40: error: drug_amount_grams: ")
        assert message in problem

    def test_json_nan_refused(self, tmp_path: Path, policy: Policy) -> None:
        """A JSON NaN amount is an error, never a pass."""
        path = tmp_path / "e.jsonl"
        path.write_text('{"contact_type": "patrol", "drug_amount_grams": NaN}\n', "utf-8")

        (problem,) = _problems(path, policy)

        assert f"{path}:1:28: error: drug_amount_grams: expected a finite number" in problem

    def test_unknown_word_suggests(self, tmp_path: Path, policy: Policy) -> None:
        """A misspelt word names line, column and fact, and suggests the right one."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,patrol,34,drug_posession,0,false,")

        (problem,) = _problems(path, policy)

        assert problem.startswith(f"{path}:2:37: error: offenses: offenses is not one of its"
                                  " words (did you mean 'drug_possession'?)")
        assert "drug_posession" not in problem  # a cell describes a person: never quoted

    def test_booleans_are_true_or_false(self, tmp_path: Path, policy: Policy) -> None:
        """'yes' is not a boolean: the policy must not guess."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,patrol,34,[],0,yes,")

        assert [f"{path}:2:42: error: weapon_present: expected true or false"] == (
            _problems(path, policy))

    def test_time_needs_offset(self, tmp_path: Path, policy: Policy) -> None:
        """A contact time without a UTC offset is refused."""
        path = _csv(tmp_path, "2025-03-03T14:30:00,patrol,34,[],0,false,")

        (problem,) = _problems(path, policy)

        assert f"{path}:2:1: error: contact_at: the time has no UTC offset" in problem
        assert "2025-03-03" not in problem

    def test_every_problem_listed_up_to_the_limit(self, tmp_path: Path, policy: Policy) -> None:
        """All problems are collected; beyond the limit they are counted (listed first)."""
        rows = [f"2025-03-03T14:30:00-07:00,patrol,{i}x,[],0,false," for i in range(150)]
        path = _csv(tmp_path, *rows)

        problems = _problems(path, policy)

        assert MAX_LISTED + 1 == len(problems)
        assert problems[0].endswith(f"… and {150 - MAX_LISTED} more problems not listed")

    def test_wrong_field_count(self, tmp_path: Path, policy: Policy) -> None:
        """A row with too few fields is named."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,patrol")

        assert [f"{path}:2:1: error: expected 7 fields, found 2"] == _problems(path, policy)

    def test_line_too_long(self, tmp_path: Path, policy: Policy) -> None:
        """A line over the bound stops the reading with a problem, not a memory blow-up."""
        path = _csv(tmp_path, "x" * (MAX_LINE + 1))

        assert [f"{path}: error: a line longer than {MAX_LINE:,} bytes; is this an "
                "encounter file?"] == _problems(path, policy)


class TestHeader:
    def test_personal_column_refused(self, tmp_path: Path, policy: Policy) -> None:
        """A column that looks like personal data refuses the whole file at once."""
        path = _csv(tmp_path, "2025-03-03T14:30:00-07:00,Pat Example",
                    header="contact_at,first_name")
        rows = read_encounters(path, policy)

        with pytest.raises(DataError) as caught:
            next(rows)

        assert [(1, 12, "first_name")] == [
            (p.line, p.column, p.field) for p in caught.value.problems]
        assert "not de-identified" in str(caught.value)

    def test_personal_key_in_jsonl_refused(self, tmp_path: Path, policy: Policy) -> None:
        """A JSON key such as date_of_birth is refused with its line."""
        path = tmp_path / "e.jsonl"
        path.write_text('{"age": 30, "date_of_birth": "1990-01-01"}\n', encoding="utf-8")

        (problem,) = _problems(path, policy)

        assert problem.startswith(f"{path}:1:13: error: date_of_birth: column 'date_of_birth' "
                                  "looks like personal data")

    def test_a_declared_number_named_age_is_not_personal(
        self, tmp_path: Path, policy: Policy
    ) -> None:
        """'age' is a fact the policy reads (a number), so its column is allowed."""
        path = _csv(tmp_path, "30", header="age")

        assert [30] == [r.facts["age"] for r in read_encounters(path, policy)]

    def test_unknown_column_suggests(self, tmp_path: Path, policy: Policy) -> None:
        """A column no policy declares is an error, with the closest fact."""
        path = _csv(tmp_path, "true", header="weapon_presnt")

        listing, problem = _problems(path, policy)

        assert problem == (f"{path}:1:1: error: weapon_presnt: 'weapon_presnt' is not a fact "
                           "the policies declare (did you mean 'weapon_present'?)")
        assert listing.startswith(f"{path}:1: error: the columns are facts the policies "
                                  "declare: contact_at, contact_type, ")

    def test_missing_file(self, tmp_path: Path, policy: Policy) -> None:
        """A missing file is a one-line problem."""
        assert [f"{tmp_path / 'nope.csv'}: error: no such encounter file"] == _problems(
            tmp_path / "nope.csv", policy)
