"""Policies written in the first format (no ``charge``, no ``scope``) decide exactly as before.

``tests/data/policies/first-format-decisions.json`` holds 320 encounters decided by the engine
before charge and scope existed, for two policies by other (fictional) agencies: Example
County's as it was written, Example Town's as ``deflectkit migrate --write`` left it (its rules
now say ``scope: encounter``). The new engine must give the same status, pathway, first steps,
reasons, parameters, missing facts and referral for every one; the charge is always ``none``
and every rule is encounter-scoped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import deflectkit as dk

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = json.loads((ROOT / "tests/data/policies/first-format-decisions.json").read_text())


@pytest.mark.parametrize("policy_path", sorted(GOLDEN))
def test_first_format_policy_decides_as_before(policy_path: str) -> None:
    policy = dk.load_policy(ROOT / policy_path)
    assert policy.charge_in_play is None
    assert all(r.scope == "encounter" for r in policy.rules)
    for i, case in enumerate(GOLDEN[policy_path]):
        decision = dk.assess(policy, case["facts"], as_of=case["as_of"], explain=case["explain"])
        got = dk.to_json(decision)
        referral = got["referral"]
        if referral is not None:
            assert referral.pop("voluntary") is False
        actual = {
            "status": got["status"], "pathway": got["pathway"],
            "first_steps": got["first_steps"],
            "reasons": [[r["id"], r["reason"], r["result"]] for r in got["reasons"]],
            "parameters": got["parameters"], "missing_facts": got["missing_facts"],
            "referral": referral,
        }
        assert actual == case["expect"], f"case {i}: {case['facts']}"
        assert got["charge"] == "none"
        assert {r["scope"] for r in got["reasons"]} <= {"encounter"}


def test_first_format_criterion_effect_require_still_loads() -> None:
    """``effect: require`` (the first format's only criterion effect) reads as ``exclude``."""
    from deflectkit.core.policy.build import build_policy
    from deflectkit.files.yamlio import read_yaml

    data = read_yaml(ROOT / "examples/policies/example-town.yaml").value
    data["eligibility"]["criteria"][0]["effect"] = "require"
    policy, issues = build_policy(data)
    assert policy is not None, issues
    assert {r.effect for r in policy.criteria} == {"exclude"}
