"""``dk.parse_facts``: a records system's form text to typed facts, strictly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import deflectkit as dk
from deflectkit.convert import to_json
from deflectkit.core.policy.model import Policy
from deflectkit.testing import facts_strategy

ROOT = Path(__file__).resolve().parent.parent
MODEL: Policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
PHOENIX = "America/Phoenix"

#: A whole encounter as a records system stores it (fictional).
FORM: dict[str, str] = {
    "contact_at": "2026-03-02 03:10",
    "contact_type": "patrol",
    "responder": "police",
    "age": "34",
    "offenses": "drug_possession,paraphernalia",
    "drug_amount_grams": "0.8",
    "warrant": "none",
    "supervision": "none",
    "weapon_present": "on",
    "consents": "yes",
    "needs": "opioids",
    "prior_deflections": "0",
}
BOXES = ("weapon_present", "violence", "identified_victim", "sales_indicators")


def _problems(form: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(dk.PolicyError) as info:
        dk.parse_facts(MODEL, form, **kwargs)
    return {p.field: p.message for p in info.value.problems}


class TestTypes:
    """Each declared type reads from the text a form holds."""

    def test_the_issue_form(self) -> None:
        """The developer's form gives the typed facts, and a decision."""
        facts = dk.parse_facts(MODEL, FORM, naive_timezone=PHOENIX, checkboxes=BOXES)

        assert 34 == facts["age"]
        assert ("drug_possession", "paraphernalia") == facts["offenses"]
        assert 0.8 == facts["drug_amount_grams"]
        assert dt.datetime(2026, 3, 2, 10, 10, tzinfo=dt.UTC) == facts["contact_at"]
        assert (True, False, True) == (facts["weapon_present"], facts["violence"],
                                        facts["consents"])
        assert "ineligible" == dk.assess(MODEL, facts).status  # the weapon

    @pytest.mark.parametrize("word", ["on", "ON", "true", "True", "yes", "y", "1", " checked "])
    def test_true_words(self, word: str) -> None:
        """Every way a checkbox or yes/no field says yes."""
        assert dk.parse_facts(MODEL, {"violence": word})["violence"] is True

    @pytest.mark.parametrize("word", ["off", "false", "No", "n", "0"])
    def test_false_words(self, word: str) -> None:
        """Every way a yes/no field says no."""
        assert dk.parse_facts(MODEL, {"violence": word})["violence"] is False

    @pytest.mark.parametrize("text", ["drug_possession|paraphernalia",
                                      " drug_possession , paraphernalia, "])
    def test_list_separators(self, text: str) -> None:
        """``,`` and ``|`` separate words; spaces and a trailing separator do not count."""
        facts = dk.parse_facts(MODEL, {"offenses": text})
        assert ("drug_possession", "paraphernalia") == facts["offenses"]

    def test_multi_valued_field(self) -> None:
        """A field sent once per ticked box arrives as a list of texts."""
        facts = dk.parse_facts(MODEL, {"needs": ["opioids", "alcohol"]})
        assert ("opioids", "alcohol") == facts["needs"]

    def test_offsets_need_no_zone(self) -> None:
        """A date-time with an offset (or Z) is exact; it lands in the policy's zone."""
        for text in ("2026-03-02T03:10-07:00", "2026-03-02 10:10Z", "2026-03-02T10:10:00+00:00"):
            moment = dk.parse_facts(MODEL, {"contact_at": text})["contact_at"]
            assert "2026-03-02T03:10:00-07:00" == moment.isoformat(), text

    def test_typed_values_pass_through(self) -> None:
        """Values that are already typed are checked, not parsed."""
        assert {"age": 34, "violence": False} == dk.parse_facts(
            MODEL, {"age": 34, "violence": False})

    @settings(max_examples=150, deadline=None, database=None)
    @given(facts_strategy(MODEL))
    def test_text_of_any_valid_facts_reads_back(self, facts: dict[str, Any]) -> None:
        """Rendered as form text, any valid facts parse to the same facts."""
        form = {name: _render(value) for name, value in facts.items()
                if not (isinstance(value, str) and not value.strip())}
        parsed = dk.parse_facts(MODEL, form)
        expected = {k: v for k, v in facts.items() if k in form}
        assert to_json(expected) == to_json(
            {k: tuple(v) if isinstance(v, list) else v for k, v in parsed.items()})


def _render(value: Any) -> Any:
    """The text a form holds; an empty list stays a list (a blank text would be unknown)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "|".join(value) if value else []
    return str(value)


class TestUnknownIsNotFalse:
    """An absent key is unknown unless the caller says the field is a checkbox."""

    def test_absent_checkbox_without_checkboxes_is_unknown(self) -> None:
        """Leaving the box out leaves the fact out: the policy asks for it."""
        form = {k: v for k, v in FORM.items() if k != "weapon_present"}
        facts = dk.parse_facts(MODEL, form, naive_timezone=PHOENIX)

        assert "weapon_present" not in facts
        assert "weapon_present" in dk.assess(MODEL, facts).missing_facts

    def test_absent_checkbox_named_in_checkboxes_is_false(self) -> None:
        """A named checkbox that the browser left out is unticked."""
        form = {k: v for k, v in FORM.items() if k != "weapon_present"}
        facts = dk.parse_facts(MODEL, form, naive_timezone=PHOENIX, checkboxes=BOXES)

        assert facts["weapon_present"] is False
        assert "weapon_present" not in dk.assess(MODEL, facts).missing_facts

    def test_checkbox_group_for_a_list(self) -> None:
        """A list fact shown as checkboxes, none ticked, is an empty list."""
        assert () == dk.parse_facts(MODEL, {}, checkboxes=["needs"])["needs"]

    def test_blank_field_is_unknown(self) -> None:
        """A text box left empty is unknown, never zero or an empty word."""
        assert {} == dk.parse_facts(MODEL, {"age": "", "contact_type": "  ", "offenses": ""})

    def test_checkboxes_must_be_bool_or_list_facts(self) -> None:
        """Naming a number or an undeclared fact as a checkbox is a programming error."""
        for name in ("age", "weapon_presnt"):
            with pytest.raises(ValueError, match=repr(name)):
                dk.parse_facts(MODEL, {}, checkboxes=[name])
        with pytest.raises(ValueError, match="did you mean 'weapon_present'"):
            dk.parse_facts(MODEL, {}, checkboxes=["weapon_presnt"])
        with pytest.raises(TypeError, match="not one string"):
            dk.parse_facts(MODEL, {}, checkboxes="weapon_present")


class TestProblems:
    """Every field that does not read is a Problem naming the fact, all in one error."""

    def test_every_problem_in_one_error(self) -> None:
        """Text, words, names and numbers: one problem per field."""
        problems = _problems({"age": "thirty-four", "violence": "maybe", "agee": "3",
                              "contact_type": "patrl", "drug_amount_grams": "-1",
                              "offenses": "drug_posession"})

        assert {"age", "violence", "agee", "contact_type", "drug_amount_grams",
                "offenses"} == set(problems)
        assert "whole number" in problems["age"]
        assert "did you mean 'age'?" in problems["agee"]
        assert "did you mean 'patrol'?" in problems["contact_type"]
        assert "did you mean 'drug_possession'?" in problems["offenses"]
        assert "must not be less than 0" in problems["drug_amount_grams"]

    def test_same_problems_as_assess(self) -> None:
        """Values that read but fail the checks are reported exactly as dk.assess does.

        Except a wrong word typed as text: dk.assess quotes it, the form's message does not
        (see test_words_typed_wrong_are_never_quoted); both name the nearest word.
        """
        typed = {"age": -3, "contact_type": "patrl", "agee": 3}
        with pytest.raises(dk.PolicyError) as by_assess:
            dk.assess(MODEL, typed, as_of="2026-03-02")

        as_text = {name: str(value) for name, value in typed.items()}
        from_text = {p.field: p for p in _problem_list(as_text)}
        by_field = {p.field: p for p in by_assess.value.problems}
        assert from_text.keys() == by_field.keys()
        assert from_text["age"] == by_field["age"]
        assert from_text["agee"] == by_field["agee"]
        assert "patrl" not in from_text["contact_type"].message
        assert "(did you mean 'patrol'?)" in by_field["contact_type"].message
        assert "(did you mean 'patrol'?)" in from_text["contact_type"].message
        numbers = {"age": -3, "agee": 3}  # values that are not text pass to the checks as they are
        assert {by_field["age"], by_field["agee"]} == set(_problem_list(numbers))

    @pytest.mark.parametrize("text", ["1_000", "1,000", "34.0", "٣٤", "nan", "inf", "1e3"])
    def test_strict_integers(self, text: str) -> None:
        """Only plain decimal digits make an int (Python's int() takes more)."""
        assert "age" in _problems({"age": text})

    @pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1,5", "1e400"])
    def test_finite_plain_numbers(self, text: str) -> None:
        """NaN, infinity and a decimal comma are refused (the checks' finite rule applies)."""
        assert "drug_amount_grams" in _problems({"drug_amount_grams": text})

    @pytest.mark.parametrize("text", ["03/02/2026", "2026-02-30 03:10", "2026-03-02",
                                      "yesterday 3am"])
    def test_strict_datetimes(self, text: str) -> None:
        """No US-style dates, impossible dates or a date without its time."""
        assert "contact_at" in _problems({"contact_at": text}, naive_timezone=PHOENIX)

    def test_naive_time_needs_a_zone(self) -> None:
        """A local time without an offset is refused unless the caller names the zone."""
        assert "naive_timezone" in _problems({"contact_at": "2026-03-02 03:10"})["contact_at"]

    def test_clock_changes_are_refused(self) -> None:
        """A local time that did not happen, or happened twice, cannot be placed."""
        gap = _problems({"contact_at": "2026-03-08 02:30"}, naive_timezone="America/Denver")
        twice = _problems({"contact_at": "2026-11-01 01:30"}, naive_timezone="America/Denver")
        assert "did not happen" in gap["contact_at"]
        assert "happened twice" in twice["contact_at"]

    def test_unknown_zone_is_a_value_error(self) -> None:
        """A misspelt zone is the caller's mistake, said at once."""
        with pytest.raises(ValueError, match="IANA"):
            dk.parse_facts(MODEL, {}, naive_timezone="America/Phenix")

    def test_messages_never_quote_the_text(self) -> None:
        """What a person typed (a name in the wrong box) never reaches a message."""
        secret = "Example Person 555-0100"
        problems = _problems({"age": secret, "violence": secret, "contact_at": secret,
                              "drug_amount_grams": secret, "days_since_violent_arrest": secret},
                             naive_timezone=PHOENIX)
        assert 5 == len(problems)
        assert not any("Example" in m or "555" in m for m in problems.values())

    def test_words_typed_wrong_are_never_quoted(self) -> None:
        """A name typed into a select or a list field stays out of the message too.

        These went through the fact checks, which quote the wrong word: "'Example Person
        555-0100' is not a value of contact_type".
        """
        secret = "Example Person 555-0100"
        problems = _problems({"contact_type": secret, "offenses": f"drug_possession,{secret}"})
        assert set(problems) == {"contact_type", "offenses"}
        assert not any("Example" in m or "555" in m for m in problems.values())
        assert problems["offenses"].startswith("word 2 of offenses is not one of its words")

    def test_a_misspelt_word_offers_the_fix_as_fields(self) -> None:
        """A form can offer the nearest word as a button and list the allowed ones."""
        (problem,) = _problem_list({"contact_type": "patrl"})
        assert problem.field == "contact_type"
        assert problem.message == (
            "contact_type is not one of its words (did you mean 'patrol'?); allowed: "
            + ", ".join(problem.allowed)
        )
        assert problem.suggestion == "patrol"
        assert "patrol" in problem.allowed
        assert problem.value is None  # form text is never carried


def _problem_list(form: dict[str, Any]) -> tuple[dk.Problem, ...]:
    with pytest.raises(dk.PolicyError) as info:
        dk.parse_facts(MODEL, form)
    return info.value.problems
