"""Tests for ``deflectkit impact``: the JSON shape, the chief's text, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deflectkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
MODEL = str(ROOT / "data" / "policies" / "model-deflection.yaml")
VARIANT = str(ROOT / "examples" / "impact" / "model-deflection-3g.yaml")
HEADER = ("contact_at,contact_type,responder,age,offenses,drug_amount_grams,sales_indicators,"
          "warrant,supervision,weapon_present,violence,identified_victim,medical_emergency,"
          "danger_to_self,danger_to_others,capable_of_consent,consents,needs")
_SCENE = "false,none,none,false,false,false,false,false,false,true,true"
ROWS = (
    f"2025-03-03T14:30:00-07:00,patrol,police,34,trespass,0,{_SCENE},opioids",
    f"2025-03-03T15:30:00-07:00,patrol,police,40,drug_possession,2.5,{_SCENE},opioids",
    f"2025-03-04T09:00:00-07:00,outreach,civilian_team,29,[],0,{_SCENE},housing",
)


@pytest.fixture(name="encounters")
def _encounters(tmp_path: Path) -> Path:
    path = tmp_path / "encounters.csv"
    path.write_text("\n".join((HEADER, *ROWS)) + "\n", encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["impact", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestOutput:
    def test_json_shape(self, encounters: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json: the documented keys, with the counts of the three encounters."""
        code, out, _ = _run(capsys, "--policy", MODEL, "--against", VARIANT, str(encounters),
                            "--format", "json")
        data = json.loads(out)

        assert (0, 3, 2, 0, 0) == (code, data["encounters"], data["changed"],
                                   data["gained_referral"], data["lost_referral"])
        moves = {(t["from"]["status"], t["from"]["charge"], t["to"]["status"],
                  t["to"]["charge"]): (t["changed"], t["rules"]) for t in data["transitions"]}
        assert (1, ["X-REVIEW-OFFENCE"]) == moves["review", "review", "eligible", "deflect"]
        assert (1, ["X-AMOUNT"]) == moves["ineligible", "proceed", "eligible", "deflect"]

    def test_text_for_a_chief(self, encounters: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The text says how many change, why, and that the officer's discretion is final."""
        code, out, _ = _run(capsys, "--policy", MODEL, "--against", VARIANT, str(encounters))

        assert 0 == code
        assert "2 decisions change (66.7%)." in out
        assert "because of: More than a personal-use amount [X-AMOUNT] 1" in out
        assert "e.g. line 3: drug_amount_grams=2.5" in out
        assert "review (charge to review) -> eligible (charge deflected): 1 (33.3%)" in out
        assert out.rstrip().endswith("the officer's discretion is final.")

    def test_one_policy_two_dates(self, encounters: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
        """Each --as-of belongs to the policy option before it."""
        code, out, _ = _run(capsys, "--policy", MODEL, "--as-of", "2028-06-30",
                            "--against", MODEL, "--as-of", "2028-07-01", str(encounters),
                            "--format", "json")
        data = json.loads(out)

        assert (0, "2028-06-30", "2028-07-01", 0) == (
            code, data["old"]["as_of"], data["new"]["as_of"], data["changed"])


class TestErrors:
    def test_bad_row_is_one_line_with_exit_1(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad cell: file:line:column on stderr, exit 1, no traceback."""
        path = tmp_path / "bad.csv"
        path.write_text(f"{HEADER}\n2025-03-03T14:30:00-07:00,patrol,police,34,[],nan,"
                        f"{_SCENE},\n", encoding="utf-8")

        code, out, err = _run(capsys, "--policy", MODEL, "--against", VARIANT, str(path))

        assert (1, "") == (code, out)
        assert err.startswith(f"{path}:2:47: error: drug_amount_grams: expected a number")
        assert 1 == len(err.strip().splitlines())
        assert "Traceback" not in err

    def test_personal_column_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A name column stops the run before anything is decided."""
        path = tmp_path / "named.csv"
        path.write_text("contact_at,last_name\n2025-03-03T14:30:00-07:00,Example\n", "utf-8")

        code, out, err = _run(capsys, "--policy", MODEL, "--against", VARIANT, str(path))

        assert (1, "") == (code, out)
        assert "last_name: column 'last_name' looks like personal data" in err

    def test_as_of_before_a_policy_is_a_usage_error(
        self, encounters: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--as-of with no policy option before it: exit 2 and one line."""
        with pytest.raises(SystemExit) as caught:
            main(["impact", "--as-of", "2025-01-01", "--policy", MODEL, "--against", VARIANT,
                  str(encounters)])

        err = capsys.readouterr().err
        assert 2 == caught.value.code
        assert err.strip().endswith("--as-of belongs to the --policy or --against given just "
                                    "before it")

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing encounter file: exit 1, one line."""
        code, _, err = _run(capsys, "--policy", MODEL, "--against", VARIANT,
                            str(tmp_path / "none.csv"))

        assert (1, [f"{tmp_path / 'none.csv'}: error: no such encounter file"]) == (
            code, err.strip().splitlines())
