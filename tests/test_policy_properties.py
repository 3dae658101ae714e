"""Engine properties over facts generated from each policy's declared facts."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import deflectkit as dk
from deflectkit.convert import to_json
from deflectkit.core.policy.build import build_policy
from deflectkit.core.policy.decision import STATUSES, decision_from_json
from deflectkit.core.policy.model import Policy
from deflectkit.errors import PolicyError, PolicyNotInEffect
from deflectkit.testing import example_facts, facts_strategy

ROOT = Path(__file__).resolve().parent.parent
MODEL: Policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
COUNTY: Policy = dk.load_policy(Path(__file__).parent / "data" / "policies" / "example-county.yaml")

#: Facts that make one encounter-scoped model exclusion (effect: exclude) hit.
ENCOUNTER_HITS: list[dict[str, Any]] = [
    {"weapon_present": True}, {"warrant": "violent"}, {"warrant": "domestic_violence"},
    {"danger_to_others": True},
]
#: Facts that make one charge-scoped model exclusion hit (when a charge is in play).
CHARGE_HITS: list[dict[str, Any]] = [
    {"violence": True}, {"identified_victim": True}, {"sales_indicators": True},
    {"supervision": "violent"}, {"drug_amount_grams": 2.5}, {"days_since_violent_arrest": 30},
    {"offenses": ["drug_possession", "theft"]},
]
#: Facts that only charge-scoped rules read.
CHARGE_ONLY_FACTS: dict[str, Any] = {
    "drug_amount_grams": st.floats(min_value=0, max_value=50, allow_nan=False),
    "sales_indicators": st.booleans(),
    "supervision": st.sampled_from(["none", "nonviolent", "violent"]),
    "days_since_violent_arrest": st.integers(min_value=0, max_value=2000),
    "violence": st.booleans(),
    "identified_victim": st.booleans(),
}

policies = st.sampled_from([MODEL, COUNTY])


@st.composite
def policy_and_facts(draw: st.DrawFn) -> tuple[Policy, dict[str, Any]]:
    policy = draw(policies)
    return policy, draw(facts_strategy(policy))


class TestEvaluation:
    """Evaluation is deterministic, total and explains itself."""

    @given(policy_and_facts())
    def test_deterministic_and_never_crashes(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """The same facts always give the same decision."""
        policy, facts = case

        assert dk.assess(policy, facts) == dk.assess(policy, dict(facts))

    @given(policy_and_facts())
    def test_non_eligible_decisions_say_why(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """Every non-eligible decision names a reason or a missing fact."""
        policy, facts = case

        decision = dk.assess(policy, facts)

        assert decision.status in STATUSES
        if decision.status != "eligible":
            assert decision.reason_codes or decision.missing_facts
        if decision.status == "needs_info":
            assert decision.missing_facts

    @given(policy_and_facts())
    def test_explain_and_fast_modes_agree(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """Explain mode only adds passed rules; everything else is identical."""
        policy, facts = case

        fast = dk.assess(policy, facts)
        full = dk.assess(policy, facts, explain=True)

        assert fast == attrs.evolve(full, reasons=tuple(
            r for r in full.reasons if r.result not in ("pass", "not_applicable")))

    @given(policy_and_facts())
    def test_json_round_trips(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """A decision survives JSON text and back unchanged."""
        policy, facts = case
        decision = dk.assess(policy, facts, explain=True)

        again = decision_from_json(json.loads(json.dumps(to_json(decision))))

        assert decision == again
        assert to_json(decision) == to_json(again)

    @given(facts_strategy(MODEL), st.sampled_from(ENCOUNTER_HITS))
    def test_an_encounter_exclusion_gives_ineligible_and_no_referral(
        self, facts: dict[str, Any], hit: dict[str, Any]
    ) -> None:
        """A weapon, a violent warrant or danger to others: ineligible, no referral now."""
        before = dk.assess(MODEL, facts)
        after = dk.assess(MODEL, {**facts, **hit})

        assert "ineligible" == after.status
        assert after.referral is None
        assert STATUSES.index(after.status) <= STATUSES.index(before.status)

    @given(facts_strategy(MODEL, missing=False), st.sampled_from(CHARGE_HITS))
    def test_a_charge_exclusion_lets_the_charge_proceed_but_keeps_linkage(
        self, facts: dict[str, Any], hit: dict[str, Any]
    ) -> None:
        """With a charge in play, a charge exclusion gives ineligible and charge ``proceed``;
        unless the person declined or an encounter rule excludes, the referral stays, voluntary.
        """
        facts = {**facts, "contact_type": "patrol", **hit}
        facts["offenses"] = sorted({*facts.get("offenses", ()), "drug_possession"})
        decision = dk.assess(MODEL, facts)

        assert ("ineligible", "proceed") == (decision.status, decision.charge)
        withheld = {"exclude", "decline"} & {
            r.effect for r in decision.reasons if r.decisive and r.scope == "encounter"}
        if withheld:
            assert decision.referral is None
        else:
            assert decision.referral is not None
            assert decision.referral.voluntary

    @given(facts_strategy(MODEL, missing=False), st.fixed_dictionaries(CHARGE_ONLY_FACTS))
    def test_charge_rules_never_matter_without_a_charge(
        self, facts: dict[str, Any], charge_facts: dict[str, Any]
    ) -> None:
        """No offence (or only amnestied ones): the charge facts change nothing but observations."""
        facts = {**facts, "offenses": []}
        before = dk.assess(MODEL, facts)
        after = dk.assess(MODEL, {**facts, **charge_facts})

        assert "none" == before.charge == after.charge
        assert (before.status, before.referral, before.pathway, before.first_steps) == (
            after.status, after.referral, after.pathway, after.first_steps)

    @given(policy_and_facts())
    def test_linkage_is_withheld_only_for_a_reason(
        self, case: tuple[Policy, dict[str, Any]]
    ) -> None:
        """No referral means: declined, an encounter rule excluded, or a fact is missing."""
        policy, facts = case
        decision = dk.assess(policy, facts)

        if decision.referral is None and policy.routes:
            encounter = {r.effect for r in decision.reasons
                         if r.decisive and r.scope == "encounter"}
            assert ({"exclude", "decline"} & encounter) or decision.missing_facts
        if decision.status == "declined":
            assert decision.referral is None

    @given(policy_and_facts())
    def test_charge_follows_the_status(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """``deflect`` only when eligible; ``proceed`` only when ineligible or declined."""
        policy, facts = case
        decision = dk.assess(policy, facts)
        allowed = {"eligible": {"deflect"}, "review": {"review"},
                   "ineligible": {"proceed"}, "declined": {"proceed"},
                   "needs_info": {"pending"}, "deferred": {"pending"}}[decision.status]

        assert decision.charge in allowed | {"none", "pending"}
        if policy.charge_in_play is None:
            assert "none" == decision.charge
            assert all(r.scope == "encounter" for r in decision.reasons)

    @given(policy_and_facts())
    def test_summary_starts_with_the_first_step(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """Whatever the status, the first step leads the summary."""
        from deflectkit.vocabulary import FIRST_STEPS

        policy, facts = case
        decision = dk.assess(policy, facts)

        if decision.first_steps:
            assert decision.summary.startswith(FIRST_STEPS.label(decision.first_steps[0]))

    @given(facts_strategy(MODEL, missing=False),
           st.sampled_from([float("nan"), float("inf"), float("-inf"), -0.5]),
           st.sampled_from(["python", "json"]))
    def test_amounts_must_be_finite_and_not_negative(
        self, facts: dict[str, Any], bad: float, via: str
    ) -> None:
        """A NaN, infinite or negative amount is a fact error naming the fact, never a pass."""
        given_facts = {**facts, "drug_amount_grams": bad}
        if via == "json":
            given_facts = json.loads(json.dumps(given_facts, default=str))

        with pytest.raises(PolicyError) as caught:
            dk.assess(MODEL, given_facts)

        assert ["drug_amount_grams"] == [p.field for p in caught.value.problems]

    @given(st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2029, 12, 31)),
           st.sampled_from([["drug_possession"], ["paraphernalia"],
                            ["drug_possession", "paraphernalia"]]))
    def test_good_samaritan_lapse_puts_a_charge_in_play(
        self, day: dt.date, offenses: list[str]
    ) -> None:
        """At an overdose, possession is charged only from 2028-07-01 (A.R.S. § 13-3423)."""
        facts = {**example_facts(MODEL), "age": 30, "consents": True,
                 "capable_of_consent": True, "contact_type": "overdose_response",
                 "offenses": offenses, "drug_amount_grams": 1.0,
                 "contact_at": dt.datetime.combine(day, dt.time(12)).astimezone()}
        decision = dk.assess(MODEL, facts, as_of=day)

        lapsed = day >= dt.date(2028, 7, 1)
        assert ("deflect" if lapsed else "none") == decision.charge
        assert ("eligible", "naloxone_plus") == (decision.status, decision.pathway)

    @given(facts_strategy(MODEL, missing=False), st.integers(min_value=0, max_value=50))
    def test_prior_deflections_never_disqualify(self, facts: dict[str, Any], n: int) -> None:
        """A prior deflection never changes the decision."""
        assert dk.assess(MODEL, {**facts, "prior_deflections": 0}) == dk.assess(
            MODEL, {**facts, "prior_deflections": n}
        )


@given(st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2027, 6, 1)))
def test_parameter_values_are_the_latest_started(day: dt.date) -> None:
    """For every day, a parameter's value is the latest entry starting on or before it."""
    for param in COUNTY.parameters:
        started = [v for v in param.values if v.since <= day]
        expected = started[-1] if started and started[-1].value is not None else None

        assert expected == param.at(day)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=8),
    st.lists(st.integers(0, 3), max_size=2), st.dictionaries(st.text(max_size=3), st.none(),
                                                              max_size=2),
    st.dates(),
)


MODEL_DATA: dict[str, Any] = yaml.safe_load(
    (ROOT / "data" / "policies" / "model-deflection.yaml").read_text(encoding="utf-8")
)
MODEL_PATHS = _paths(MODEL_DATA)[1:]


@given(st.data())
def test_damaged_policies_give_problems_never_exceptions(data: st.DataObject) -> None:
    """Replacing or deleting any part of the model policy never crashes the loader."""
    doc = copy.deepcopy(MODEL_DATA)
    path = data.draw(st.sampled_from(MODEL_PATHS))
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JUNK)

    policy, issues = build_policy(doc)

    assert (policy is None) == any(i.severity == "error" for i in issues)
    assert all(i.message for i in issues)


@given(policy_and_facts(), st.data())
def test_wrong_facts_raise_policy_error_only(
    case: tuple[Policy, dict[str, Any]], data: st.DataObject
) -> None:
    """Junk in any fact gives a decision or a ``PolicyError`` naming it, nothing else."""
    policy, facts = case
    name = data.draw(st.sampled_from([f.name for f in policy.facts] + ["not_a_fact"]))
    junk = data.draw(JUNK)

    outcome: Any
    try:
        outcome = dk.assess(policy, {**facts, name: junk})
    except PolicyError as exc:
        outcome = exc

    if isinstance(outcome, PolicyNotInEffect):
        assert name == policy.as_of_fact  # a contact date outside the policy's period
    elif isinstance(outcome, PolicyError):
        assert [name] == [p.field for p in outcome.problems] or "as_of" in str(outcome)
    else:
        assert outcome.status in STATUSES
