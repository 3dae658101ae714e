"""Tests for dk.impact: every count is what dk.assess gives row by row."""

from __future__ import annotations

import datetime as dt
import itertools
import tracemalloc
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import deflectkit as dk
from deflectkit.convert import to_json
from deflectkit.core.impact import CHARGE_IN_PLAY, Encounter, Impact, outcome
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.decision import Decision
from deflectkit.core.policy.model import Policy
from deflectkit.files.encounters import read_encounters

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "encounters" / "sample.csv"
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"
TOWN = ROOT / "examples" / "policies" / "example-town.yaml"


@pytest.fixture(scope="module", name="policies")
def _policies() -> tuple[Policy, Policy]:
    return dk.load_policy(MODEL), dk.load_policy(VARIANT)


@pytest.fixture(scope="module", name="encounters")
def _encounters(policies: tuple[Policy, Policy]) -> list[Encounter]:
    return list(read_encounters(SAMPLE, policies))


@pytest.fixture(scope="module", name="result")
def _result(policies: tuple[Policy, Policy], encounters: list[Encounter]) -> Impact:
    old, new = policies
    return dk.impact(old, new, iter(encounters), examples=5)


def _decisive(d: Decision) -> dict[str, str]:
    """Each rule's result in explain mode; passed and not-applicable rules read as 'pass'."""
    return {r.id: r.result if r.result in ("hit", "fail", "unknown") else "pass"
            for r in d.reasons}


def _expected_rules(a: Decision, b: Decision) -> set[str]:
    old, new = _decisive(a), _decisive(b)
    ids = {i for i in old.keys() | new.keys() if old.get(i, "pass") != new.get(i, "pass")}
    if a.referral and b.referral and a.referral.route != b.referral.route:
        ids |= {a.referral.route, b.referral.route}
    if (a.charge == "none") != (b.charge == "none"):
        ids.add(CHARGE_IN_PLAY)
    return ids


class TestSampleAgainstAssess:
    """The sample report, model policy against the 3 g / trespass variant."""

    def test_side_counts_equal_assess_row_by_row(
        self, policies: tuple[Policy, Policy], encounters: list[Encounter], result: Impact
    ) -> None:
        """Status, charge, pathway and referral counts on each side are dk.assess's."""
        for policy, side in zip(policies, (result.old, result.new), strict=True):
            decisions = [dk.assess(policy, e.facts) for e in encounters]
            status = Counter(d.status for d in decisions)
            charge = Counter(d.charge for d in decisions)
            pathway = Counter(d.pathway for d in decisions)

            assert status == +Counter(dict(side.by_status))
            assert charge == +Counter(dict(side.by_charge))
            assert pathway == Counter(dict(side.by_pathway))
            assert sum(d.referral is not None for d in decisions) == side.referrals
            assert sum(bool(d.referral and d.referral.voluntary) for d in decisions) == (
                side.voluntary)

    def test_transitions_and_rules_equal_assess(
        self, policies: tuple[Policy, Policy], encounters: list[Encounter], result: Impact
    ) -> None:
        """Transitions, changed, gained and lost referrals and the rules behind each change."""
        old, new = policies
        count: Counter[tuple[str, ...]] = Counter()
        moved: Counter[tuple[str, ...]] = Counter()
        rules: dict[tuple[str, ...], Counter[str]] = {}
        gained = lost = 0
        for e in encounters:
            a = dk.assess(old, e.facts, explain=True)
            b = dk.assess(new, e.facts, explain=True)
            key = (a.status, a.charge, b.status, b.charge)
            count[key] += 1
            if outcome(a) == outcome(b):
                continue
            moved[key] += 1
            rules.setdefault(key, Counter()).update(_expected_rules(a, b))
            gained += a.referral is None and b.referral is not None
            lost += a.referral is not None and b.referral is None

        got = {(t.from_status, t.from_charge, t.to_status, t.to_charge): t
               for t in result.transitions}
        assert count == Counter({k: t.count for k, t in got.items()})
        assert moved == +Counter({k: t.changed for k, t in got.items()})
        assert rules == {k: Counter({r.id: r.count for r in t.rules})
                         for k, t in got.items() if t.changed}
        assert (sum(moved.values()), gained, lost) == (
            result.changed, result.gained_referral, result.lost_referral)
        assert result.encounters == len(encounters)

    def test_the_change_is_the_threshold_and_trespass(self, result: Impact) -> None:
        """The variant's two changes, and nothing else, move decisions on the sample."""
        assert result.changed > 0
        assert {"X-REVIEW-OFFENCE", "X-AMOUNT"} == {r.id for r in result.rules}
        assert 0 == result.lost_referral

    def test_good_samaritan_lapse(self, policies: tuple[Policy, Policy],
                                  encounters: list[Encounter]) -> None:
        """One policy at two dates: from 2028-07-01 possession at an overdose is charged."""
        model = policies[0]
        result = dk.impact(model, model, encounters, old_as_of=dt.date(2028, 6, 30),
                           new_as_of=dt.date(2028, 7, 1))
        changed = [t for t in result.transitions if t.changed]

        assert result.changed > 0
        assert all(t.from_charge == "none" and t.to_charge != "none" for t in changed)
        assert {CHARGE_IN_PLAY: result.changed} == {
            r.id: r.count for r in result.rules if r.id == CHARGE_IN_PLAY}
        assert all(e.facts["contact_type"] == "overdose_response"
                   for t in changed for e in t.examples)

    def test_examples_show_only_the_facts_that_mattered(
        self, policies: tuple[Policy, Policy], encounters: list[Encounter], result: Impact
    ) -> None:
        """At most N examples a transition; their facts are those read by the changed rules."""
        old, new = policies
        reads: dict[str, set[str]] = {}
        for policy in policies:
            cp = compiled(policy)
            for rule in (*cp.safety, *cp.criteria, *cp.exclusions):
                reads.setdefault(rule.rule.id, set()).update(rule.facts)
            for route in cp.routes:
                reads.setdefault(route.rule.id, set()).update(route.facts)
            reads.setdefault(CHARGE_IN_PLAY, set()).update(cp.charge_facts)
        by_line = {e.line: e for e in encounters}
        for t in result.transitions:
            assert len(t.examples) <= 5
            for ex in t.examples:
                facts = by_line[ex.line].facts
                allowed = set().union(*(reads[r] for r in ex.rules))
                if ex.before.pathway != ex.after.pathway:
                    allowed |= {n for cr in compiled(old).pathways for n in cr.facts}
                assert set(ex.facts) <= allowed
                assert (outcome(dk.assess(old, facts)), outcome(dk.assess(new, facts))) == (
                    ex.before, ex.after)
                assert ex.before != ex.after

    def test_json_shape(self, result: Impact) -> None:
        """dk.to_json gives the documented keys."""
        data = to_json(result)

        assert {"encounters", "changed", "gained_referral", "lost_referral", "transitions"} <= set(
            data)
        first = data["transitions"][0]
        assert {"status", "charge"} == set(first["from"]) == set(first["to"])
        assert isinstance(first["count"], int)
        assert all(isinstance(r, str) for r in first["rules"])


class TestSemantics:
    def test_same_policy_same_day_changes_nothing(self, policies: tuple[Policy, Policy],
                                                  encounters: list[Encounter]) -> None:
        """Comparing a policy with itself changes no decision."""
        result = dk.impact(policies[0], policies[0], encounters[:300])

        assert (300, 0, (), ()) == (
            result.encounters, result.changed, result.rules, result.pathways)
        assert all(t.changed == 0 and not t.examples for t in result.transitions)

    def test_one_policy_at_two_dates(self) -> None:
        """A dated change: Example Town raises its limit and deflects trespass on 2026-07-01."""
        town = dk.load_policy(TOWN)
        base = {"contact_at": "2026-03-01T10:00:00-07:00", "age": 30, "weapon_present": False,
                "medical_emergency": False, "consents": True, "needs": ["opioids"]}
        rows: list[Mapping[str, Any]] = [
            {**base, "offense": "trespass", "drug_amount_grams": 0.0},
            {**base, "offense": "drug_possession", "drug_amount_grams": 1.5},
            {**base, "offense": "drug_possession", "drug_amount_grams": 0.5},
        ]

        result = dk.impact(town, town, rows, old_as_of=dt.date(2026, 6, 30),
                           new_as_of=dt.date(2026, 7, 1))

        (moved,) = [t for t in result.transitions if t.changed]
        assert ("ineligible", "eligible", 2, 0) == (
            moved.from_status, moved.to_status, moved.changed, result.lost_referral)
        assert {"C-OFFENCE": 1, "X-AMOUNT": 1} == {r.id: r.count for r in moved.rules}
        assert [(1, {"offense": "trespass"}), (2, {"drug_amount_grams": 1.5})] == [
            (e.line, dict(e.facts)) for e in moved.examples]
        assert (dt.date(2026, 6, 30), dt.date(2026, 7, 1)) == (result.old.as_of,
                                                               result.new.as_of)

    def test_an_undecidable_encounter_names_its_line(self, policies: tuple[Policy, Policy]
                                                     ) -> None:
        """A contact before the policy took effect is an error naming the encounter's line."""
        rows = [Encounter(7, {"contact_at": dt.datetime(2023, 1, 1, tzinfo=dt.UTC)})]

        with pytest.raises(dk.PolicyError) as caught:
            dk.impact(*policies, rows, source="e.csv")

        assert [("e.csv", 7, "effective")] == [
            (p.path, p.line, p.field) for p in caught.value.problems]

    def test_examples_are_bounded(self, policies: tuple[Policy, Policy],
                                  encounters: list[Encounter]) -> None:
        """examples=0 keeps none; a huge number is capped."""
        none = dk.impact(*policies, encounters[:400], examples=0)
        many = dk.impact(*policies, encounters[:400], examples=10**9)

        assert all(not t.examples for t in none.transitions)
        assert none.changed == many.changed
        assert all(len(t.examples) <= 100 for t in many.transitions)


def test_memory_does_not_grow_with_encounters(encounters: list[Encounter],
                                              policies: tuple[Policy, Policy]) -> None:
    """Ten times the encounters, about the same peak heap: nothing is kept per encounter."""

    def rows(n: int) -> Iterator[Encounter]:
        return (Encounter(i, e.facts) for i, e in
                zip(range(n), itertools.cycle(encounters), strict=False))

    def peak(n: int) -> int:
        dk.impact(*policies, rows(200))  # warm the per-day plans and memos
        tracemalloc.start()
        try:
            dk.impact(*policies, rows(n))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(1_000), peak(10_000)

    assert large < small * 1.5 + 256 * 1024, (small, large)
