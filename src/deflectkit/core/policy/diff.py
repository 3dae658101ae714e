"""What changes in a policy between two days: parameter values and rules in force.

For policy review: ``deflectkit diff POLICY --at 2025-02-28 --at 2025-03-01`` answers "what
would an officer see differently from tomorrow?".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from deflectkit.core.policy.decision import jsonable
from deflectkit.core.policy.model import Policy

__all__ = ["ParameterChange", "PolicyDiff", "RuleChange", "diff_policy"]


@attrs.frozen
class ParameterChange:
    """A parameter whose value differs between the two days (``None``: no value)."""

    name: str
    before: Any
    before_since: dt.date | None
    after: Any
    after_since: dt.date | None


@attrs.frozen
class RuleChange:
    """A rule, pathway rule or route in force on one day and not the other."""

    id: str
    label: str
    change: str  # "added" or "removed"


@attrs.frozen
class PolicyDiff:
    """Differences between ``at`` days ``first`` and ``second`` of one policy."""

    policy: str
    first: dt.date
    second: dt.date
    in_effect: tuple[bool, bool]
    parameters: tuple[ParameterChange, ...]
    rules: tuple[RuleChange, ...]

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not self.parameters and not self.rules and self.in_effect[0] == self.in_effect[1]


def diff_policy(policy: Policy, first: dt.date, second: dt.date) -> PolicyDiff:
    """Compare the policy on ``first`` with the policy on ``second``.

    Example:
        >>> # diff_policy(policy, date(2025, 2, 28), date(2025, 3, 1)).parameters
    """
    params = []
    for p in policy.parameters:
        a, b = p.at(first), p.at(second)
        va = jsonable(a.value) if a else None
        vb = jsonable(b.value) if b else None
        if va != vb:
            params.append(ParameterChange(p.name, va, a.since if a else None, vb,
                                          b.since if b else None))
    rules = []
    for r in policy.everything:
        was, now = r.effective.contains(first), r.effective.contains(second)
        if was != now:
            rules.append(RuleChange(r.id, r.label, "added" if now else "removed"))
    return PolicyDiff(
        policy.id, first, second,
        (policy.effective.contains(first), policy.effective.contains(second)),
        tuple(params), tuple(rules),
    )
