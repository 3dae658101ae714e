"""Engine properties over facts generated from each policy's declared facts (rules.md §9.6)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import deflectkit as dk
from deflectkit.convert import to_json
from deflectkit.core.policy.decision import STATUSES, decision_from_json
from deflectkit.core.policy.model import Policy
from deflectkit.testing import facts_strategy

ROOT = Path(__file__).resolve().parent.parent
MODEL: Policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
COUNTY: Policy = dk.load_policy(Path(__file__).parent / "data" / "policies" / "example-county.yaml")

#: Facts that make one model exclusion (effect: exclude) hit.
EXCLUSION_HITS: list[dict[str, Any]] = [
    {"weapon_present": True}, {"violence": True}, {"identified_victim": True},
    {"sales_indicators": True}, {"warrant": "violent"}, {"warrant": "domestic_violence"},
    {"supervision": "violent"}, {"drug_amount_grams": 2.5}, {"days_since_violent_arrest": 30},
    {"offenses": ["drug_sales"]},
]

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

        assert fast == attrs.evolve(
            full, reasons=tuple(r for r in full.reasons if r.result != "pass")
        )

    @given(policy_and_facts())
    def test_json_round_trips(self, case: tuple[Policy, dict[str, Any]]) -> None:
        """A decision survives JSON text and back unchanged."""
        policy, facts = case
        decision = dk.assess(policy, facts, explain=True)

        again = decision_from_json(json.loads(json.dumps(to_json(decision))))

        assert decision == again
        assert to_json(decision) == to_json(again)

    @given(facts_strategy(MODEL), st.sampled_from(EXCLUSION_HITS))
    def test_an_exclusion_hit_never_makes_a_decision_eligible(
        self, facts: dict[str, Any], hit: dict[str, Any]
    ) -> None:
        """Adding an exclusion hit always gives ineligible (monotonicity)."""
        before = dk.assess(MODEL, facts)
        after = dk.assess(MODEL, {**facts, **hit})

        assert "ineligible" == after.status
        assert STATUSES.index(after.status) <= STATUSES.index(before.status)

    @given(facts_strategy(MODEL, missing=False), st.integers(min_value=0, max_value=50))
    def test_prior_deflections_never_disqualify(self, facts: dict[str, Any], n: int) -> None:
        """A prior deflection never changes the decision (DESIGN §7)."""
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
