"""The yes/no shortcut of dk.assess: skipping passing flag checks never changes a decision."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import deflectkit as dk
from deflectkit.core.policy.evaluate import plan_for
from deflectkit.core.policy.model import Policy
from deflectkit.testing import facts_strategy

ROOT = Path(__file__).resolve().parent.parent
MODEL: Policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
COUNTY: Policy = dk.load_policy(Path(__file__).parent / "data" / "policies" / "example-county.yaml")
DAY = dt.date(2025, 6, 2)
#: 10:00 on DAY in Arizona, for policies whose day comes from a contact time or date.
CONTACT = {
    "contact_at": dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
    "contact_date": DAY,
}


def _on_day(policy: Policy, facts: dict[str, Any]) -> dict[str, Any]:
    """``facts`` with the policy's contact fact set to ``DAY``."""
    return {**facts, **{k: v for k, v in CONTACT.items() if k == policy.as_of_fact}}


def _passing(policy: Policy) -> dict[str, bool]:
    """Each flag fact with the value under which its checks pass, on ``DAY``."""
    plan = plan_for(policy, DAY)
    return dict(zip(plan.flag_names, plan.flag_values, strict=True))


def test_the_model_policy_has_flag_checks_and_keeps_the_rest() -> None:
    """The model's yes/no rules (weapon, medical emergency, consent...) are the flag checks."""
    plan = plan_for(MODEL, DAY)

    assert {"weapon_present", "medical_emergency", "consents", "violence"} <= set(plan.flag_names)
    flagged = len(plan.checks) - len(plan.other_checks)
    assert [c for c in plan.checks if c in plan.other_checks] == list(plan.other_checks)
    assert 0 < flagged < len(plan.checks)


@st.composite
def _facts_with_passing_flags(draw: st.DrawFn) -> tuple[Policy, dict[str, Any]]:
    policy = draw(st.sampled_from([MODEL, COUNTY]))
    facts = draw(facts_strategy(policy))
    return policy, _on_day(policy, {**facts, **_passing(policy)})


@given(_facts_with_passing_flags())
def test_with_every_flag_passing_the_shortcut_agrees_with_every_check(
    case: tuple[Policy, dict[str, Any]],
) -> None:
    """Facts under which every flag check passes (the shortcut) decide as running every check.

    Explain mode never takes the shortcut, so it is the reference.
    """
    policy, facts = case

    fast = dk.assess(policy, facts)
    full = dk.assess(policy, facts, explain=True)

    assert attrs.evolve(full, reasons=tuple(r for r in full.reasons if r.result != "pass")) == fast
    assert all(r.result == "pass" for r in full.reasons if r.id in _flag_rule_ids(policy))


@given(facts_strategy(MODEL), st.sampled_from(["weapon_present", "medical_emergency"]))
def test_one_flag_off_its_passing_value_still_decides(facts: dict[str, Any], flag: str) -> None:
    """A flag fact that hits (or is missing) is seen: the decision names it or asks for it."""
    facts = _on_day(MODEL, {**facts, **_passing(MODEL)})

    hit = dk.assess(MODEL, {**facts, flag: True})
    missing = dk.assess(MODEL, {k: v for k, v in facts.items() if k != flag})

    assert "eligible" != hit.status
    assert any(r.result == "hit" and flag in r.observed for r in hit.reasons)
    assert flag in missing.missing_facts or missing.status in ("ineligible", "deferred")


def _flag_rule_ids(policy: Policy) -> set[str]:
    plan = plan_for(policy, DAY)
    return {c[3].rule.id for c in plan.checks if c not in plan.other_checks}
