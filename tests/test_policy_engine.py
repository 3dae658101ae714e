"""The policy engine: dated parameters, three-valued logic, facts checks, decisions and JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import deflectkit as dk
from deflectkit.convert import to_json
from deflectkit.core.policy.build import build_policy
from deflectkit.core.policy.decision import decision_from_json
from deflectkit.core.policy.evaluate import DISCRETION
from deflectkit.core.policy.model import Policy
from deflectkit.errors import PolicyError, PolicyNotInEffect
from deflectkit.testing import DecisionMismatchError, assert_decision, example_facts
from deflectkit.vocabulary import FIRST_STEPS

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
COUNTY = Path(__file__).parent / "data" / "policies" / "example-county.yaml"

BASE: dict[str, Any] = {
    "contact_at": "2025-03-01T10:00:00-07:00", "contact_type": "patrol", "age": 30,
    "offenses": ["drug_possession"], "drug_amount_grams": 1.0, "sales_indicators": False,
    "warrant": "none", "supervision": "none", "weapon_present": False, "violence": False,
    "identified_victim": False, "medical_emergency": False, "danger_to_self": False,
    "danger_to_others": False, "responder": "police",
    "capable_of_consent": True, "consents": True, "needs": ["opioids"], "prior_deflections": 0,
}


@pytest.fixture(name="model", scope="module")
def _model() -> Policy:
    return dk.load_policy(MODEL)


@pytest.fixture(name="county", scope="module")
def _county() -> Policy:
    return dk.load_policy(COUNTY)


def _person(contact: str, born: str, offense: str = "trespass", **more: Any) -> dict[str, Any]:
    return {"contact_date": contact, "date_of_birth": born, "offense_code": offense,
            "weapon_involved": False, "in_crisis": False, **more}


class TestSecondAgency:
    """A policy written by another agency from the documented format loads and decides."""

    def test_loads_with_its_own_facts_and_zone(self, county: Policy) -> None:
        """Its facts, zone, follow-up plan and sorted routes come from its own file."""
        assert "America/Chicago" == county.timezone
        assert (3, 14, 60) == county.follow_up.checkpoints_days
        assert ["R-CRISIS", "R-VETERAN", "R-DEFAULT"] == [r.id for r in county.routes]
        assert "contact_date" == county.as_of_fact

    @pytest.mark.parametrize(
        ("contact", "status"),
        [("2025-02-28", "ineligible"), ("2025-03-01", "eligible"), ("2026-12-31", "eligible")],
    )
    def test_eligible_offenses_change_on_their_date(
        self, county: Policy, contact: str, status: str
    ) -> None:
        """Petty theft joins the list on 2025-03-01 (inclusive) and stays."""
        decision = dk.assess(county, _person(contact, "1990-05-01", "petty_theft"))

        assert status == decision.status

    @pytest.mark.parametrize(
        ("contact", "born", "status"),
        [("2025-12-31", "2006-06-01", "eligible"), ("2026-01-01", "2006-06-01", "ineligible"),
         ("2026-06-01", "2005-06-01", "eligible"), ("2026-05-31", "2005-06-01", "ineligible")],
    )
    def test_minimum_age_by_date_and_birthday(
        self, county: Policy, contact: str, born: str, status: str
    ) -> None:
        """The derived age is whole years; the minimum age rises to 21 in 2026."""
        assert status == dk.assess(county, _person(contact, born)).status

    def test_rule_with_its_own_end_date_stops_applying(self, county: Policy) -> None:
        """X-VIOLENT applies until 2026-01-01 (exclusive), then not at all."""
        before = dk.assess(county, _person("2025-12-31", "1980-01-01",
                                           days_since_violent_conviction=100))
        after = dk.assess(county, _person("2026-01-01", "1980-01-01",
                                          days_since_violent_conviction=100))

        assert ("ineligible", ("VIOLENT_HISTORY",)) == (before.status, before.reason_codes)
        assert ("eligible", ()) == (after.status, after.reason_codes)
        assert "violent_lookback_days" not in [p.name for p in after.parameters]

    def test_route_with_an_effective_date(self, county: Policy) -> None:
        """The veterans route exists from 2025-06-01 only."""
        early = dk.assess(county, _person("2025-05-31", "1980-01-01", veteran=True))
        later = dk.assess(county, _person("2025-06-01", "1980-01-01", veteran=True))

        assert "R-DEFAULT" == (early.referral.route if early.referral else None)
        assert "R-VETERAN" == (later.referral.route if later.referral else None)

    def test_parameters_report_the_date_they_took_effect(self, county: Policy) -> None:
        """The decision names each parameter value and its start date."""
        decision = dk.assess(county, _person("2025-04-02", "1980-01-01"))

        used = {p.name: (p.value, p.since) for p in decision.parameters}
        assert (18, dt.date(2025, 1, 1)) == used["min_age"]
        assert dt.date(2025, 3, 1) == used["eligible_offenses"][1]

    @pytest.mark.parametrize("day", ["2024-12-31", "2027-01-01"])
    def test_outside_the_policy_raises_naming_its_versions(self, county: Policy, day: str) -> None:
        """Asking outside the effective period raises PolicyNotInEffect with the dates."""
        with pytest.raises(PolicyNotInEffect) as info:
            dk.assess(county, _person(day, "1980-01-01"))

        assert "from 2025-01-01 until 2027-01-01" in str(info.value)
        assert isinstance(info.value, PolicyError)

    def test_as_of_overrides_the_contact_date(self, county: Policy) -> None:
        """``as_of`` chooses the day the policy is applied."""
        facts = _person("2025-02-28", "1990-05-01", "petty_theft")

        assert "eligible" == dk.assess(county, facts, as_of=dt.date(2025, 3, 1)).status


class TestThreeValuedLogic:
    """Missing facts are unknown, never false."""

    def test_missing_fact_is_named_and_not_a_denial(self, model: Policy) -> None:
        """Leaving out weapon_present gives needs_info naming it."""
        facts = {k: v for k, v in BASE.items() if k != "weapon_present"}

        decision = dk.assess(model, facts)

        assert ("needs_info", ("weapon_present",)) == (decision.status, decision.missing_facts)
        assert ["unknown"] == [r.result for r in decision.reasons]

    def test_any_is_true_when_one_side_is_true(self, model: Policy) -> None:
        """X-SALES hits on a sales offence even with sales indicators unknown."""
        facts = {**BASE, "offenses": ["drug_sales"], "sales_indicators": None}

        decision = dk.assess(model, facts)

        assert "SALES_INDICATORS" in decision.reason_codes
        assert "sales_indicators" not in decision.missing_facts

    def test_optional_fact_left_out_is_known_absent(self, model: Policy) -> None:
        """days_since_violent_arrest is optional: leaving it out is not missing."""
        assert "eligible" == dk.assess(model, BASE).status

    def test_everything_missing_still_decides_on_what_is_known(self, model: Policy) -> None:
        """A juvenile's failed criterion is reported even when nothing else is known.

        C-ADULT's effect is ``review`` (a youth route with a guardian), which ranks below
        ``needs_info``: the decision waits for the missing facts, naming them.
        """
        decision = dk.assess(model, {"contact_at": BASE["contact_at"], "age": 15})

        assert "needs_info" == decision.status
        assert "JUVENILE" in decision.reason_codes
        assert "pending" == decision.charge
        assert "weapon_present" in decision.missing_facts
        assert "age" not in decision.missing_facts


class TestFacts:
    """Facts are checked against the declared types; errors name the fact."""

    @pytest.mark.parametrize(
        ("facts", "field", "message"),
        [
            ({"weapon": True}, "weapon", "unknown fact 'weapon'"),
            ({"age": "30"}, "age", "age must be a whole number; got text"),
            ({"age": True}, "age", "age must be a whole number; got true or false"),
            ({"warrant": "maybe"}, "warrant", "warrant is not one of its words"),
            ({"offenses": "theft"}, "offenses", "offenses must be a list of its words; got text"),
            ({"offenses": ["arson"]}, "offenses", "word 1 of offenses is not one of its words"),
            ({"offenses": [["theft"]]}, "offenses",
             "word 1 of offenses must be one of its words; got a list"),
            ({"contact_at": "2025-03-01T10:00:00"}, "contact_at", "has no UTC offset"),
            ({"contact_at": "yesterday"}, "contact_at", "contact_at must be a date and time like"),
        ],
    )
    def test_bad_facts_raise_policy_error_naming_the_fact(
        self, model: Policy, facts: dict[str, Any], field: str, message: str
    ) -> None:
        """An unknown name or a wrong type is an error, not a silent false."""
        with pytest.raises(PolicyError) as info:
            dk.assess(model, {**BASE, **facts})

        (problem,) = info.value.problems
        assert field == problem.field
        assert message in problem.message

    def test_local_date_of_the_contact_is_the_default_as_of(self, model: Policy) -> None:
        """05:30 UTC on 2 March is still 1 March in Phoenix."""
        decision = dk.assess(model, {**BASE, "contact_at": "2025-03-02T05:30:00+00:00"})

        assert dt.date(2025, 3, 1) == decision.as_of

    def test_no_contact_date_and_no_as_of_is_an_error(self, model: Policy) -> None:
        """Without a day to apply the policy on, assess refuses."""
        facts = {k: v for k, v in BASE.items() if k != "contact_at"}

        with pytest.raises(PolicyError, match="no as_of given"):
            dk.assess(model, facts)

    def test_example_facts_are_well_typed(self, model: Policy) -> None:
        """``example_facts`` passes the fact checks and decides."""
        decision = dk.assess(model, example_facts(model))

        # Age 0, not able to consent and not consenting: the capacity rule defers first.
        assert "deferred" == decision.status


class TestDecision:
    """Decisions: precedence, summary, explain mode, JSON."""

    def test_summary_always_says_discretion_is_final(self, model: Policy) -> None:
        """Every status's summary ends with the discretion sentence."""
        variants = [BASE, {**BASE, "age": 16}, {**BASE, "medical_emergency": True},
                    {**BASE, "warrant": "other"}, {**BASE, "consents": None},
                    {**BASE, "consents": False}, {**BASE, "weapon_present": True}]
        statuses = set()
        for facts in variants:
            decision = dk.assess(model, facts)
            statuses.add(decision.status)
            assert decision.summary.endswith(DISCRETION)
            if decision.first_steps:  # the first step leads, whatever the status
                step = decision.first_steps[0]
                assert decision.summary.startswith(f"{FIRST_STEPS.label(step)} first.")
        assert {"eligible", "ineligible", "deferred", "declined", "review",
                "needs_info"} == statuses

    def test_summary_says_call_ems_first_even_when_ineligible(self, model: Policy) -> None:
        """A medical emergency with a weapon: the summary starts with EMS."""
        decision = dk.assess(model, {**BASE, "medical_emergency": True, "weapon_present": True})

        assert "ineligible" == decision.status
        assert decision.summary.startswith("Call EMS first.")
        assert ("call_ems", "safety_response") == decision.first_steps

    def test_json_has_the_documented_shape(self, model: Policy) -> None:
        """Keys and values as documented, led by the format key of every stored JSON."""
        data = to_json(dk.assess(model, {**BASE, "weapon_present": True}))

        assert "deflectkit/decision@1" == data["schema"]
        assert ["schema", "status", "charge", "as_of", "pathway", "policy", "first_steps",
                "reasons", "parameters", "missing_facts", "referral", "summary"] == list(data)
        assert {"id": "X-WEAPON", "reason": "WEAPON", "label": "Weapon present",
                "scope": "encounter", "effect": "exclude", "result": "hit",
                "observed": {"weapon_present": True}} == {
            k: v for k, v in data["reasons"][0].items() if k != "cite"}
        assert ["id", "reason", "label", "scope", "effect", "result", "observed",
                "cite"] == list(data["reasons"][0])
        assert {"name": "min_age", "value": 18, "since": "2024-01-01"} == data["parameters"][0]
        assert data["policy"]["digest"].startswith("sha256:")
        assert data["referral"] is None
        assert "proceed" == data["charge"]

    def test_json_of_a_charge_exclusion_offers_a_voluntary_referral(self, model: Policy) -> None:
        """3.5 g on patrol: the charge proceeds, the referral stays (voluntary)."""
        data = to_json(dk.assess(model, {**BASE, "drug_amount_grams": 3.5}))

        assert ("ineligible", "proceed", "officer_intervention") == (
            data["status"], data["charge"], data["pathway"])
        assert {"route": "R-OUD", "need": ["opioids"], "voluntary": True} == data["referral"]
        reason = data["reasons"][0]
        assert ("X-AMOUNT", "charge", {"drug_amount_grams": 3.5}) == (
            reason["id"], reason["scope"], reason["observed"])
        assert data["summary"].startswith(
            "Not eligible for deflection: more than a personal-use amount.")
        assert "A voluntary referral can still be offered" in data["summary"]

    def test_json_round_trips(self, model: Policy) -> None:
        """decision_from_json(to_json(d)) == d, through real JSON text."""
        decision = dk.assess(model, {**BASE, "warrant": "other", "needs": ["alcohol"]},
                             explain=True)

        again = decision_from_json(json.loads(json.dumps(to_json(decision))))

        assert decision == again

    def test_explain_adds_passed_rules_only(self, model: Policy) -> None:
        """Explain mode lists every rule; its verdicts match fast mode's."""
        fast = dk.assess(model, {**BASE, "weapon_present": True})
        full = dk.assess(model, {**BASE, "weapon_present": True}, explain=True)

        assert len(model.rules) == len(full.reasons)
        assert fast == attrs.evolve(
            full, reasons=tuple(r for r in full.reasons if r.result != "pass")
        )

    def test_assert_decision_reports_differences_with_trace(self, model: Policy) -> None:
        """A mismatch shows what differs and the trace."""
        decision = dk.assess(model, BASE)

        assert_decision(decision, status="eligible", route="R-OUD")
        with pytest.raises(DecisionMismatchError) as info:
            assert_decision(decision, status="ineligible", reasons=["WEAPON"])
        text = str(info.value)
        assert "status: expected ineligible, got eligible" in text
        assert "pass    X-WEAPON" not in text  # fast-mode trace lists only decisive rules
        with pytest.raises(TypeError):
            assert_decision(decision, verdict="eligible")

    def test_plans_are_cached_per_policy_and_day(self, model: Policy) -> None:
        """The per-date plan is made once per (policy, day) and kept on the policy."""
        from deflectkit.core.policy.evaluate import plan_for

        day = dt.date(2025, 7, 4)
        assert plan_for(model, day) is plan_for(model, day)
        other = dk.load_policy(MODEL)
        assert plan_for(other, day) is not plan_for(model, day)


def test_build_policy_from_plain_data() -> None:
    """Python callers can build a policy from a mapping; issues carry paths."""
    policy, issues = build_policy({
        "schema": "deflectkit/policy@1", "id": "tiny", "label": "Tiny", "timezone": "UTC",
        "effective": {"from": dt.date(2025, 1, 1)}, "cite": [{"title": "x"}],
        "facts": {"on": {"type": "bool"}},
        "pathways": [{"id": "P", "priority": 1, "pathway": "self_referral", "default": True}],
        "safety": [{"id": "S", "label": "S", "reason": "S", "cite": [{"title": "x"}],
                    "effect": "defer", "when": {"fact": "on", "op": "eq", "value": "yes"}}],
    })

    assert policy is None
    assert [(("safety", 0, "when", "value"), "on: expected a bool for on, got str 'yes'")] == [
        (i.path, i.message) for i in issues]


@pytest.mark.parametrize("path", [MODEL, COUNTY], ids=["model", "county"])
def test_policy_round_trips_through_plain_data(path: Path) -> None:
    """``build_policy(policy_to_data(p))`` rebuilds an equal policy, apart from the digest."""
    from deflectkit.core.policy.serialize import policy_to_data

    policy = dk.load_policy(path)

    rebuilt, issues = build_policy(policy_to_data(policy))

    assert [] == issues
    assert rebuilt is not None
    assert policy == attrs.evolve(rebuilt, digest=policy.digest)


def test_policy_to_json_is_plain_json() -> None:
    """``dk.to_json(policy)`` is JSON with ISO dates, parameter histories and the digest."""
    policy = dk.load_policy(COUNTY)

    data = json.loads(json.dumps(to_json(policy)))

    assert {"2025-01-01": 18, "2026-01-01": 21} == data["parameters"]["min_age"]["values"]
    assert {"until": "2026-01-01"} == data["eligibility"]["exclusions"][1]["effective"]
    assert policy.digest == data["digest"]


def test_decisions_pickle_and_observed_facts_are_read_only() -> None:
    """Decisions pickle (for worker processes); shared observed facts cannot be changed."""
    import pickle

    decision = dk.assess(dk.load_policy(MODEL), {**BASE, "weapon_present": True})

    assert decision == pickle.loads(pickle.dumps(decision))
    with pytest.raises(TypeError, match="read-only"):
        decision.reasons[0].observed["weapon_present"] = False  # type: ignore[index]


def test_conditions_read_as_plain_text() -> None:
    """``describe`` renders a condition for the site and explanations."""
    from deflectkit.core.policy.expressions import describe

    policy = dk.load_policy(MODEL)
    rule = policy.rule("X-SALES")
    pathway = policy.rule("P-INTERVENTION")
    assert rule is not None
    assert pathway is not None
    assert rule.when is not None
    assert pathway.when is not None

    assert "sales_indicators is true or offenses includes any of [drug_sales]" == describe(
        rule.when)
    assert describe(pathway.when).endswith(
        "(contact_type is none of [overdose_response, self_referral]"
        " and (not (offenses is empty)))")


@pytest.mark.parametrize(("age", "status"), [(17, "ineligible"), (18, "eligible"),
                                             (65, "eligible"), (66, "ineligible")])
def test_between_with_a_parameter_is_inclusive(age: int, status: str) -> None:
    """``between`` reads ``[low, high]`` from a parameter; both ends are included."""
    policy, issues = build_policy({
        "schema": "deflectkit/policy@1", "id": "ages", "label": "Ages", "timezone": "UTC",
        "effective": {"from": dt.date(2025, 1, 1)}, "cite": [{"title": "x"}],
        "facts": {"day": {"type": "date"}, "age": {"type": "int"}},
        "parameters": {"ages": {"label": "Ages", "values": {"2025-01-01": [18, 65]}}},
        "eligibility": {"criteria": [{"id": "C-AGE", "label": "Age", "reason": "AGE",
                                      "cite": [{"title": "x"}],
                                      "when": {"fact": "age", "op": "between",
                                               "param": "ages"}}]},
        "pathways": [{"id": "P", "priority": 1, "pathway": "self_referral", "default": True}],
    })
    assert [] == issues
    assert policy is not None

    decision = dk.assess(policy, {"day": dt.date(2025, 5, 1), "age": age},
                         as_of=dt.date(2025, 5, 1))

    assert status == decision.status
