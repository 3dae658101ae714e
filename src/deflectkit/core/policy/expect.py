"""Compare a decision with what a test expects (shared by test files and ``assert_decision``).

``expect`` compares only the keys it gives: ``status``, ``charge`` and ``pathway`` exactly;
``reasons``
and ``first_steps`` as subsets; ``not_reasons`` as codes that must be absent;
``missing_facts`` as a set; ``route``, ``need`` and ``voluntary`` exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from deflectkit.core.policy import keys
from deflectkit.core.policy.decision import Decision

__all__ = ["EXPECT_KEYS", "compare"]

#: The keys an ``expect`` mapping may give (the table test files and their schema read).
EXPECT_KEYS: Final = frozenset(keys.EXPECT)


def compare(expect: Mapping[str, Any], decision: Decision) -> list[str]:
    """The differences between ``expect`` and ``decision``, one readable line each."""
    diffs: list[str] = []
    codes = decision.reason_codes
    for key, want in expect.items():
        if key == "status" and decision.status != want:
            diffs.append(f"status: expected {want}, got {decision.status}")
        elif key == "charge" and decision.charge != want:
            diffs.append(f"charge: expected {want}, got {decision.charge}")
        elif key == "voluntary":
            got_voluntary = decision.referral.voluntary if decision.referral else None
            if got_voluntary != want:
                diffs.append(f"voluntary: expected {want}, got {got_voluntary}")
        elif key == "pathway" and decision.pathway != want:
            diffs.append(f"pathway: expected {want}, got {decision.pathway}")
        elif key == "reasons":
            lacking = [c for c in want if c not in codes]
            if lacking:
                diffs.append(f"reasons: expected to include {lacking}, got {list(codes)}")
        elif key == "not_reasons":
            present = [c for c in want if c in codes]
            if present:
                diffs.append(f"reasons: expected none of {present}, got {list(codes)}")
        elif key == "first_steps":
            lacking = [s for s in want if s not in decision.first_steps]
            if lacking:
                diffs.append(f"first_steps: expected to include {lacking},"
                             f" got {list(decision.first_steps)}")
        elif key == "missing_facts" and sorted(want) != sorted(decision.missing_facts):
            diffs.append(f"missing_facts: expected {sorted(want)},"
                         f" got {list(decision.missing_facts)}")
        elif key == "route":
            got = decision.referral.route if decision.referral else None
            if got != want:
                diffs.append(f"route: expected {want}, got {got}")
        elif key == "need":
            got_need = list(decision.referral.need) if decision.referral else []
            if got_need != list(want):
                diffs.append(f"need: expected {list(want)}, got {got_need}")
    return diffs
