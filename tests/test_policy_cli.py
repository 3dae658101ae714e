"""The policy commands: ``assess``, ``test``, ``lint`` and ``diff``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import deflectkit as dk
from deflectkit.cli import main
from deflectkit.convert import to_json

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
COUNTY = Path(__file__).parent / "data" / "policies" / "example-county.yaml"

FACTS = """\
contact_at: 2025-03-01T10:00:00-07:00
contact_type: patrol
age: 30
offenses: [drug_possession]
drug_amount_grams: 1.0
sales_indicators: false
warrant: none
supervision: none
weapon_present: false
violence: false
identified_victim: false
medical_emergency: false
danger_to_self: false
danger_to_others: false
responder: police
capable_of_consent: true
consents: true
needs: [opioids]
prior_deflections: 0
"""


def _facts(tmp_path: Path, **changes: str) -> Path:
    lines = []
    for line in FACTS.splitlines():
        key = line.split(":", 1)[0]
        if key in changes:
            if changes[key] != "DROP":
                lines.append(f"{key}: {changes[key]}")
        else:
            lines.append(line)
    path = tmp_path / "facts.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "status_line", "must_show"),
    [
        ({}, "ELIGIBLE for deflection",
         ["Pathway: Officer intervention", "R-OUD",
          "Charge: Do not file the charge: it is deflected.",
          "Find a provider open now: deflectkit match --need opioids --at now --age 30."]),
        ({"age": "17"}, "SUPERVISOR REVIEW before deflection",
         ["Contact a parent or guardian", "Adult (18 or older): not met [JUVENILE, rule C-ADULT]",
          "source: AZPM", "Youth-serving care for opioid use (R-YOUTH-OUD)", "--age 17"]),
        ({"medical_emergency": "true"}, "DEFERRED: first steps, then assess again",
         ["Call EMS", "[MEDICAL_EMERGENCY, rule S-MEDICAL]",
          "Referral: after the first steps, refer to"]),
        ({"consents": "false"}, "DECLINED: the person said no",
         ["Leave information", "Referral: none now; the person declined.",
          "Charge: The charge proceeds as usual"]),
        ({"danger_to_self": "true", "offenses": "[]"}, "DEFERRED",
         ["Call for crisis care", "Crisis stabilization", "No charge is in play"]),
        ({"warrant": "other"}, "SUPERVISOR REVIEW before deflection",
         ["Supervisor review", "Model choice (deflectkit)"]),
        ({"weapon_present": "DROP"}, "NEEDS INFORMATION before deciding",
         ["Missing facts: Weapon present (weapon_present)"]),
        ({"contact_type": "overdose_response", "offenses": "[]"}, "ELIGIBLE",
         ["Pathway: Naloxone plus"]),
        ({"drug_amount_grams": "2.1"}, "NOT ELIGIBLE",
         ["More than a personal-use amount: applies (about the charge) [AMOUNT_OVER_THRESHOLD",
          "drug_amount_grams = 2.1", "Charge: The charge proceeds as usual",
          "It is voluntary: offer it even though the charge proceeds."]),
        ({"weapon_present": "true"}, "NOT ELIGIBLE",
         ["Referral: none now", "Safety response"]),
    ],
)
def test_assess_text_for_an_officer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, str],
    status_line: str, must_show: list[str],
) -> None:
    """Status first, then pathway, first steps, reasons with sources; discretion last."""
    code = main(["assess", "--policy", str(MODEL), str(_facts(tmp_path, **changes))])

    out = capsys.readouterr().out
    assert 0 == code
    assert out.startswith(status_line)
    for text in must_show:
        assert text in out
    assert "This is advice: the officer's discretion is final." == out.splitlines()[-1]


def test_assess_json_is_the_decision_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--format json`` prints exactly ``dk.to_json(decision)``."""
    facts_file = _facts(tmp_path, weapon_present="true")

    code = main(["assess", "--policy", str(MODEL), str(facts_file), "--format", "json"])

    printed = json.loads(capsys.readouterr().out)
    facts = yaml.safe_load(facts_file.read_text(encoding="utf-8"))
    assert 0 == code
    assert to_json(dk.assess(dk.load_policy(MODEL), facts)) == printed


def test_assess_explain_lists_passed_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--explain`` adds the rules that passed."""
    main(["assess", "--policy", str(MODEL), str(_facts(tmp_path)), "--explain"])

    out = capsys.readouterr().out
    assert "Rules that passed:" in out
    assert "  - Weapon present [X-WEAPON]" in out


def test_assess_bad_facts_exit_1_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong type in the facts file is reported at its line, without a traceback."""
    facts_file = _facts(tmp_path, age="thirty")

    code = main(["assess", "--policy", str(MODEL), str(facts_file)])

    err = capsys.readouterr().err
    assert 1 == code
    assert f"{facts_file}:3:1: error: age: age must be a whole number; got text" in err
    assert "thirty" not in err  # a fact describes a person: never quoted, nor its line shown
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("amount", "message"),
    [(".nan", "drug_amount_grams must be a finite number, not NaN or infinity"),
     (".inf", "drug_amount_grams must be a finite number, not NaN or infinity"),
     ("-0.5", "drug_amount_grams must not be less than 0")],
)
def test_assess_refuses_an_amount_that_is_not_a_real_amount(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], amount: str, message: str
) -> None:
    """A NaN, infinite or negative amount is a fact error at its line, never a pass."""
    facts_file = _facts(tmp_path, drug_amount_grams=amount)

    code = main(["assess", "--policy", str(MODEL), str(facts_file)])

    err = capsys.readouterr().err
    assert 1 == code
    assert f"{facts_file}:5:1: error: drug_amount_grams: {message}\n" in err
    assert amount not in err


def test_validate_refuses_a_nan_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``personal_use_grams: .nan`` is a load error with file and line, not 0 errors."""
    text = MODEL.read_text(encoding="utf-8").replace(
        "values: {2024-01-01: 2.0}", "values: {2024-01-01: .nan}")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if ".nan" in row)

    code = main(["validate", str(path)])

    out = capsys.readouterr().out
    assert 1 == code
    assert f"{path}:{line}:" in out
    assert "personal_use_grams must be a finite number, got nan" in out


def test_assess_as_of_outside_the_policy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--as-of`` before the policy starts is an error naming its period."""
    code = main(["assess", "--policy", str(MODEL), str(_facts(tmp_path)),
                 "--as-of", "2023-06-01"])

    assert 1 == code
    assert "not in effect on 2023-06-01" in capsys.readouterr().err


def test_test_command_passes_the_model_policy(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled cases all pass; the last line is the pytest-like summary."""
    code = main(["test", str(MODEL.parent)])

    out = capsys.readouterr().out
    assert 0 == code
    last = out.splitlines()[-1]
    passed = int(last.split()[0])
    assert f"{passed} passed, 0 failed" == last
    assert passed >= 40


def test_test_command_failure_shows_file_line_and_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A failing case shows file:line, its name, expected vs actual and the trace."""
    (tmp_path / "county.yaml").write_text(COUNTY.read_text(encoding="utf-8"), encoding="utf-8")
    tests = tmp_path / "county.tests.yaml"
    tests.write_text(
        "- name: passes\n"
        "  facts: {contact_date: 2025-06-01, date_of_birth: 1980-01-01, offense_code: trespass,"
        " weapon_involved: false, in_crisis: false}\n"
        "  expect: {status: eligible}\n"
        "- name: wrong on purpose\n"
        "  facts: {contact_date: 2025-06-01, date_of_birth: 1980-01-01, offense_code: trespass,"
        " weapon_involved: false, in_crisis: false}\n"
        "  expect: {status: ineligible, reasons: [WEAPON]}\n",
        encoding="utf-8",
    )

    code = main(["test", str(tests)])

    out = capsys.readouterr().out
    assert 1 == code
    assert f"FAILED {tests}:4: wrong on purpose" in out
    assert "status: expected ineligible, got eligible" in out
    assert "decision trace:" in out
    assert "1 passed, 1 failed" == out.splitlines()[-1]


def test_test_command_bad_test_file_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An undeclared fact in a case is a load error with its line."""
    (tmp_path / "county.yaml").write_text(COUNTY.read_text(encoding="utf-8"), encoding="utf-8")
    tests = tmp_path / "county.tests.yaml"
    tests.write_text("- name: typo\n  facts: {weapon: true}\n  expect: {status: eligible}\n",
                     encoding="utf-8")

    code = main(["test", str(tests)])

    captured = capsys.readouterr()
    assert 1 == code
    assert f"{tests}:2:11: error: [0].facts.weapon: unknown fact 'weapon'" in captured.err
    assert "0 passed, 0 failed" == captured.out.splitlines()[-1]


def test_lint_model_is_clean_and_county_has_findings(
    capsys: pytest.CaptureFixture[str]
) -> None:
    """The model policy lints clean; Example County has gaps and untested rules."""
    assert 0 == main(["lint", str(MODEL)])
    capsys.readouterr()

    code = main(["lint", str(COUNTY)])

    out = capsys.readouterr().out
    assert 1 == code
    assert "warning: parameters.violent_lookback_days: parameter-gap" in out
    assert "untested: no test case makes rule X-WEAPON (WEAPON) decide" in out


def test_diff_between_two_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """``diff`` names the parameter that changes and its dates."""
    code = main(["diff", str(COUNTY), "--at", "2025-02-28", "--at", "2026-01-01"])

    out = capsys.readouterr().out
    assert 0 == code
    assert ("  parameter min_age: 18 (since 2025-01-01) -> 21 (since 2026-01-01)"
            in out.splitlines())
    assert "  rule X-VIOLENT (Violent conviction within look-back): removed" in out
    assert "petty_theft" in out


def test_diff_says_when_the_good_samaritan_lapse_changes_the_charge(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The model policy's dated amnesty list: the diff says it moves the charge line."""
    code = main(["diff", str(MODEL), "--at", "2028-06-30", "--at", "2028-07-01"])

    out = capsys.readouterr().out
    assert 0 == code
    assert ("  parameter good_samaritan_offenses: [drug_possession, paraphernalia]"
            " (since 2024-01-01) -> [] (since 2028-07-01)") in out.splitlines()
    assert "    this changes when a charge is in play, and so which charge rules apply" in out


def test_lint_flags_a_charge_scoped_safety_rule(tmp_path: Path) -> None:
    """A safety rule about the charge would be skipped whenever no charge is in play."""
    text = MODEL.read_text(encoding="utf-8").replace(
        "    reason: MEDICAL_EMERGENCY\n", "    reason: MEDICAL_EMERGENCY\n    scope: charge\n")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")

    from deflectkit.files.policy import lint_file

    findings = [p.message for p in lint_file(path)]
    assert any(m.startswith("charge-safety: safety rule S-MEDICAL") for m in findings), findings


def test_diff_needs_two_dates(capsys: pytest.CaptureFixture[str]) -> None:
    """One ``--at`` is a usage error (exit 2)."""
    assert 2 == main(["diff", str(COUNTY), "--at", "2025-02-28"])
