"""Typing tests: the public API as a user's code calls it, checked by ``mypy --strict``.

Every statement here is what a records system, a dispatch tool or an agency's test suite
writes. ``assert_type`` fails the mypy run (``make typecheck``; mypy's ``files`` include
``tests``) when a public signature loses or changes its types; pytest also runs the file,
so the calls are real, not just type-checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, assert_type
from zoneinfo import ZoneInfo

from hypothesis.strategies import SearchStrategy

import deflectkit as dk
from deflectkit.core.case_state import CaseState, Due
from deflectkit.core.events import Event
from deflectkit.core.policy.decision import Charge, Reason, ReferralRoute
from deflectkit.testing import (
    DecisionMismatchError,
    assert_decision,
    example_facts,
    facts_strategy,
)

ROOT = Path(__file__).resolve().parent.parent.parent
POLICY = ROOT / "data" / "policies" / "model-deflection.yaml"
PROVIDERS = ROOT / "data" / "providers"
EVENTS = ROOT / "data" / "events" / "sample.csv"
ZONE = ZoneInfo("America/Phoenix")
NOW = dt.datetime(2026, 12, 1, 2, 30, tzinfo=ZONE)


def _decision() -> dk.Decision:
    policy = dk.load_policy(POLICY)
    facts: dict[str, Any] = {**example_facts(policy), "contact_at": NOW, "age": 30,
                             "consents": True, "capable_of_consent": True,
                             "needs": ["opioids"]}
    return dk.assess(policy, facts)


def test_policy_and_decision_types() -> None:
    """load_policy, assess and the Decision's attributes keep their types."""
    policy = dk.load_policy(str(POLICY))
    assert_type(policy, dk.Policy)
    assert_type(policy.timezone, str)
    decision = dk.assess(policy, {"contact_at": NOW, "age": 16}, as_of=NOW.date())
    assert_type(decision, dk.Decision)
    assert_type(decision.eligible, bool)
    assert_type(decision.reason_codes, tuple[str, ...])
    assert_type(decision.reasons, tuple[Reason, ...])
    assert_type(decision.referral, ReferralRoute | None)
    assert_type(decision.missing_facts, tuple[str, ...])
    assert_type(decision.as_of, dt.date)
    assert_type(decision.trace(), str)
    assert_type(dk.to_json(decision), Any)
    assert_type(decision.charge, Charge)
    # A juvenile is a supervisor's decision with a youth route (model policy v2); with the
    # other facts unknown the decision waits for them.
    assert ("needs_info", ("JUVENILE",)) == (decision.status, decision.reason_codes)


def test_form_and_stored_json_types() -> None:
    """parse_facts gives a facts mapping; from_json gives back the class it is asked for."""
    policy = dk.load_policy(str(POLICY))
    facts = dk.parse_facts(policy, {"age": "30", "violence": "on"},
                           naive_timezone=policy.timezone, checkboxes=("weapon_present",))
    assert_type(facts, dict[str, Any])
    decision = dk.assess(policy, {**facts, "contact_at": NOW})
    again = dk.from_json(dk.Decision, dk.to_json(decision))
    assert_type(again, dk.Decision)
    assert decision == again


def test_errors_carry_problems() -> None:
    """Every data error is a ValueError subclass with typed problems."""
    policy = dk.load_policy(POLICY)
    try:
        dk.assess(policy, {"contact_at": NOW, "age": "thirty"})
    except dk.PolicyError as error:
        assert_type(error.problems, tuple[dk.Problem, ...])
        problem = error.problems[0]
        assert_type(problem.field, str)
        assert_type(problem.line, int | None)
        assert "age" == problem.field
    else:
        raise AssertionError("a wrongly typed fact must raise PolicyError")
    assert issubclass(dk.PolicyNotInEffect, dk.PolicyError)
    assert issubclass(dk.DataError, ValueError)
    assert issubclass(dk.EventLogError, ValueError)
    assert issubclass(dk.ConsentError, PermissionError)


def test_directory_and_match_types() -> None:
    """load_directory, validate and match keep their types."""
    directory = dk.load_directory(PROVIDERS, today=NOW.date())
    assert_type(directory, dk.Directory)
    assert_type(directory.get("example-night-clinic"), dk.Provider | None)
    problems = dk.validate([PROVIDERS], today=NOW.date())
    assert_type(problems, list[dk.Problem])
    decision = _decision()
    assert decision.referral is not None
    matches = dk.match(directory, decision.referral.need, at=NOW, near="85705", limit=2)
    assert_type(matches, list[dk.Match])
    first = matches[0]
    assert_type(first.provider, dk.Provider)
    assert_type(first.distance_km, float | None)
    assert_type(first.open_now, bool | None)
    assert_type(first.reasons, tuple[str, ...])
    assert [] == [p for p in problems if p.is_error]
    assert 2 == len(matches)


def test_referral_and_consent_types() -> None:
    """Referral.from_decision, Consent and ContactPermission keep their types."""
    consent = dk.Consent(
        discloser="my treatment providers",
        recipient="Example Police Department deflection program", information="Attendance",
        purpose="Follow-up", signed_at=NOW, expires_at=NOW + dt.timedelta(days=30),
        signature_ref="form-0001",
    )
    assert_type(consent.permits("example-night-clinic", NOW), bool)
    permission = dk.ContactPermission(
        providers=("example-night-clinic",), given_at=NOW, recorded_by="patrol officer"
    )
    assert_type(permission.problems("example-night-clinic", NOW), list[str])
    referral = dk.Referral.from_decision(
        _decision(), provider_id="example-night-clinic", referred_at=NOW,
        charge_disposition="not_filed", consent=consent, referral_id="ref-typing-1",
        contact_permission=permission,
    )
    assert_type(referral, dk.Referral)
    assert_type(referral.needs, tuple[str, ...])
    assert ("opioids",) == referral.needs


def test_followup_types() -> None:
    """open_case, CaseEvent, apply, at and due keep their types."""
    policy = dk.load_policy(POLICY)
    plan = policy.follow_up
    assert_type(plan, dk.FollowUpPlan)
    case = dk.open_case(_decision(), plan, referral_at=NOW, timezone=policy.timezone)
    assert_type(case, dk.Case)
    event = dk.CaseEvent(NOW + dt.timedelta(days=1), "intake")
    assert_type(event, dk.CaseEvent)
    case = case.apply(event)
    assert_type(case, dk.Case)
    assert_type(case.status, str)
    state = case.at(NOW + dt.timedelta(days=8))
    assert_type(state, CaseState)
    due = case.due(NOW + dt.timedelta(days=8))
    assert_type(due, list[Due])
    assert "initiated" == case.status


def test_measures_types() -> None:
    """read_events streams typed events; measures returns Measures."""
    events = dk.read_events(EVENTS)
    assert_type(events, Iterator[Event])
    result = dk.measures(events, period=(dt.date(2025, 1, 1), dt.date(2025, 3, 31)))
    assert_type(result, dk.Measures)
    assert_type(result.referrals, int)
    assert_type(result.initiation_rate, float | None)
    assert result.referrals > 0


def test_testing_helper_types() -> None:
    """The deflectkit.testing helpers keep their types."""
    policy = dk.load_policy(POLICY)
    assert_type(example_facts(policy), dict[str, Any])
    assert_type(facts_strategy(policy), SearchStrategy[dict[str, Any]])
    decision = _decision()
    assert_type(assert_decision(decision, status="eligible"), None)
    assert issubclass(DecisionMismatchError, AssertionError)
    assert_type(dk.__version__, str)
