"""Tutorial 4: write your agency's policy, test it, and diff it by date.

``examples/policies/example-town.yaml`` is a small fictional policy that changes on
2026-07-01 (a higher personal-use limit, trespass added). This script does in Python what
``deflectkit test``, ``deflectkit lint`` and ``deflectkit diff`` do on the command line, and
shows the :mod:`deflectkit.testing` helpers for your own test suite.

Run it from the repository root::

    python examples/policy_test_and_diff.py
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings

import deflectkit as dk
from deflectkit.core.policy.diff import diff_policy
from deflectkit.files.policy import lint_file
from deflectkit.files.policy_tests import run_file
from deflectkit.testing import (
    DecisionMismatchError,
    assert_decision,
    example_facts,
    facts_strategy,
)

HERE = Path(__file__).resolve().parent
POLICY_FILE = HERE / "policies" / "example-town.yaml"
TESTS_FILE = HERE / "policies" / "example-town.tests.yaml"


def main() -> int:
    """Load, test, lint and diff the policy; exit 1 if any test case fails."""
    # 1. Load: any defect is a PolicyError listing every problem with file:line:column.
    policy = dk.load_policy(POLICY_FILE)
    print(f"loaded {policy.id}: {len(policy.facts)} facts, {len(policy.rules)} rules, "
          f"in effect {policy.effective.describe()}")

    # 2. The test file: each case is facts + the parts of the decision you expect.
    outcomes = run_file(TESTS_FILE)
    failed = [o for o in outcomes if not o.passed]
    for o in outcomes:
        print(f"  {'PASS' if o.passed else 'FAIL'} {o.case.name}")
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    for o in failed:
        print(o.report())

    # 3. Lint: every rule should be made to decide by at least one test case.
    findings = lint_file(POLICY_FILE, tests=TESTS_FILE)
    print(f"lint: {len(findings)} finding(s)")
    for problem in findings:
        print(f"  {problem.field}: {problem.message}")
    print()

    # 4. Diff by date: what would an officer see differently from 1 July 2026?
    diff = diff_policy(policy, dt.date(2026, 6, 30), dt.date(2026, 7, 1))
    print(f"diff {diff.first} -> {diff.second}:")
    for change in diff.parameters:
        print(f"  {change.name}: {change.before} -> {change.after} (since {change.after_since})")
    for rule in diff.rules:
        print(f"  rule {rule.id} {rule.change}: {rule.label}")
    print()

    # 5. deflectkit.testing in your own tests: assert what matters, see a readable diff.
    # example_facts gives every required fact a well-typed value (zeros, False, the first
    # enum word); change what your test is about.
    facts: dict[str, Any] = example_facts(policy)
    print(f"example_facts: {sorted(facts)}")
    june = {**facts, "age": 30, "consents": True, "offense": "trespass",
            "contact_at": dt.datetime.fromisoformat("2026-06-30T12:00:00-07:00")}
    try:
        assert_decision(dk.assess(policy, june), status="eligible")
    except DecisionMismatchError as error:
        print("assert_decision failure message (first 5 lines):")
        for line in str(error).splitlines()[:5]:
            print(f"  {line}")
    july = {**june, "contact_at": dt.datetime.fromisoformat("2026-07-01T12:00:00-07:00")}
    assert_decision(dk.assess(policy, july), status="eligible",
                    not_reasons=["OTHER_CRIMINAL_CHARGE"])
    print("trespass on 2026-07-01: eligible, as expected")

    # 6. A property over generated facts: a weapon never leaves someone eligible.
    @settings(max_examples=60, deadline=None, database=None)
    @given(facts_strategy(policy))
    def weapon_never_eligible(generated: dict[str, Any]) -> None:
        decision = dk.assess(policy, {**generated, "weapon_present": True})
        assert decision.status != "eligible", decision.trace()

    weapon_never_eligible()
    print("property 'a weapon is never eligible': held for 60 generated encounters")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
