"""Person data never reaches a message, a repr or a log line.

Facts describe a person. Each public entry point that takes them is fed recognisable
markers (a name with a phone number, an odd amount, a birth date) of every wrong sort, and
every message, field, suggestion, value, repr, warning and log record it produces is
searched for them.
"""

from __future__ import annotations

import datetime as dt
import logging
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

import deflectkit as dk
from deflectkit.core.case_event import CaseEvent
from deflectkit.core.policy.model import Policy
from deflectkit.files.encounters import read_encounters

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
NAME = "Example Person 555-0100"
AMOUNT = -3.25
BORN = dt.date(1987, 6, 5)
#: How each marker could show up in text.
MARKERS = ("Example Person", "555-0100", "-3.25", "3.25", "1987-06-05", "1987", "June")
CONTACT = "2025-03-01T10:00:00-07:00"


@pytest.fixture(scope="module")
def policy() -> Policy:
    return dk.load_policy(MODEL)


def _wrong_values(kind: str) -> Iterator[Any]:
    """Every marker, as each sort of wrong value a caller might hand a fact of ``kind``."""
    yield from (NAME, AMOUNT, BORN, BORN.isoformat(), [NAME], [AMOUNT], {"name": NAME})
    if kind == "datetime":
        yield dt.datetime(1987, 6, 5, 3, 10)  # no offset
        yield "1987-06-05T03:10:00"
    if kind in ("enum", "list"):
        yield NAME.lower().replace(" ", "_")


def _texts(error: BaseException) -> list[str]:
    texts = [str(error), repr(error)]
    for problem in getattr(error, "problems", ()):
        texts += [problem.format(with_snippet=True), repr(problem), str(problem.value),
                  str(problem.suggestion), " ".join(problem.allowed)]
    return texts


def _read_all(path: Path, policy: Policy) -> list[object]:
    return list(read_encounters(path, policy))


def _assert_clean(texts: list[str], caplog: pytest.LogCaptureFixture) -> None:
    texts = [*texts, *(r.getMessage() for r in caplog.records)]
    leaks = [(marker, text) for text in texts for marker in MARKERS if marker in text]
    assert [] == leaks


def _refused(call: Callable[[], object]) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except (dk.DeflectkitError, ValueError, TypeError) as error:
            texts = _texts(error)
        else:
            texts = []
    return texts + [str(w.message) for w in caught]


@pytest.mark.parametrize("explain", [False, True])
def test_assess_never_quotes_a_fact(
    policy: Policy, caplog: pytest.LogCaptureFixture, explain: bool
) -> None:
    """``dk.assess`` (and its explanation) names the fact, never its value."""
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for spec in policy.facts:
        for value in _wrong_values(spec.type):
            facts = {"contact_at": CONTACT, spec.name: value}
            found = _refused(partial(dk.assess, policy, facts, explain=explain))
            assert found, f"{spec.name} took {value!r}"
            texts += found
    _assert_clean(texts, caplog)


def test_a_misspelt_word_is_offered_but_the_given_one_is_not_quoted(policy: Policy) -> None:
    """The "did you mean" shows the listed word, never the one given."""
    with pytest.raises(dk.PolicyError) as caught:
        dk.assess(policy, {"contact_at": CONTACT, "contact_type": "patrl"})
    (problem,) = caught.value.problems
    assert "did you mean 'patrol'" in problem.message
    assert "patrl" not in problem.message
    assert problem.suggestion == "patrol"


def test_parse_facts_never_quotes_a_field(
    policy: Policy, caplog: pytest.LogCaptureFixture
) -> None:
    """``dk.parse_facts`` refuses each marker typed into each field without quoting it."""
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for spec in policy.facts:
        for value in (NAME, str(AMOUNT), "1987-06-05 03:10", [NAME], AMOUNT, BORN):
            form = {spec.name: value}
            texts += _refused(partial(dk.parse_facts, policy, form))
    assert texts
    _assert_clean(texts, caplog)


def test_impact_never_quotes_an_encounter(
    policy: Policy, caplog: pytest.LogCaptureFixture
) -> None:
    """``dk.impact`` fed facts of the wrong sort names the encounter and fact only."""
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    for spec in policy.facts:
        for value in _wrong_values(spec.type):
            encounter = {"contact_at": CONTACT, spec.name: value}
            texts += _refused(partial(dk.impact, policy, policy, [encounter]))
    assert texts
    _assert_clean(texts, caplog)


def test_the_encounter_reader_never_quotes_a_cell(
    policy: Policy, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A CSV and a JSON Lines file of markers: line, column and fact, never the cell."""
    caplog.set_level(logging.DEBUG)
    names = [spec.name for spec in policy.facts]
    cells = {NAME, str(AMOUNT), "1987-06-05T03:10:00"}
    csv = tmp_path / "e.csv"
    csv.write_text(",".join(names) + "\n" + "".join(
        ",".join(f'"{cell}"' for _ in names) + "\n" for cell in sorted(cells)), "utf-8")
    jsonl = tmp_path / "e.jsonl"
    jsonl.write_text("".join(
        "{" + ", ".join(f'"{n}": {v}' for n in names) + "}\n"
        for v in (f'"{NAME}"', str(AMOUNT), f'["{NAME}"]', "true")), "utf-8")
    texts: list[str] = []
    for path in (csv, jsonl):
        found = _refused(partial(_read_all, path, policy))
        assert found
        texts += found
    _assert_clean(texts, caplog)


def test_reprs_withhold_the_person(caplog: pytest.LogCaptureFixture) -> None:
    """Person, Referral, Case, CaseEvent and Event never show person data in repr or str."""
    caplog.set_level(logging.DEBUG)
    at = dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.UTC)
    person = dk.Person(NAME, date_of_birth=BORN, phone="520-555-0100")
    referral = dk.Referral(id="ref-1", pathway="officer_intervention", referred_at=at,
                           provider_id="example-crisis", charge_disposition="no_charge",
                           person=person)
    case = dk.open_case(referral, dk.FollowUpPlan(), referral_at=at, timezone="America/Phoenix")
    case = case.apply(CaseEvent(at + dt.timedelta(days=1), "treatment_contact", note=NAME))
    event = dk.Event("e1", at, "ref-1", "referred", pathway="officer_intervention", detail=NAME)
    texts = [f(x) for x in (person, referral, case, case.events[-1], event) for f in (repr, str)]
    _assert_clean(texts, caplog)


def test_a_person_of_the_wrong_sort_is_refused_without_quoting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A date of birth given as text is refused without quoting it."""
    caplog.set_level(logging.DEBUG)
    texts = _refused(lambda: dk.Person(NAME, date_of_birth=BORN.isoformat()))  # type: ignore[arg-type]
    assert texts
    _assert_clean(texts, caplog)
