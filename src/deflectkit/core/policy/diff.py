"""What changes in a policy between two days: parameter values and rules in force.

For policy review: ``deflectkit diff POLICY --at 2025-02-28 --at 2025-03-01`` answers "what
would an officer see differently from tomorrow?".
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from deflectkit.core.policy.decision import jsonable
from deflectkit.core.policy.expressions import expr_params
from deflectkit.core.policy.model import Policy

#: How the diff names the ``charge: {in_play: …}`` condition among the rules.
CHARGE_IN_PLAY = "charge in play"

__all__ = ["CHARGE_IN_PLAY", "ParameterChange", "PolicyDiff", "RuleChange", "diff_policy"]


@attrs.frozen
class ParameterChange:
    """A parameter whose value differs between the two days (``None``: no value).

    ``read_by`` names what reads it: rule ids, and ``charge in play`` when the change moves
    the line between a charge in play and none (as a lapsing amnesty law does).
    """

    name: str
    before: Any
    before_since: dt.date | None
    after: Any
    after_since: dt.date | None
    read_by: tuple[str, ...] = ()


@attrs.frozen
class RuleChange:
    """A rule, pathway rule or route in force on one day and not the other."""

    id: str
    label: str
    change: Literal["added", "removed"]


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
    readers: dict[str, list[str]] = {}
    for name in expr_params(policy.charge_in_play):
        readers.setdefault(name, []).append(CHARGE_IN_PLAY)
    for r in policy.everything:
        for name in expr_params(r.when):
            readers.setdefault(name, []).append(r.id)
    params = []
    for p in policy.parameters:
        a, b = p.at(first), p.at(second)
        va = jsonable(a.value) if a else None
        vb = jsonable(b.value) if b else None
        if va != vb:
            params.append(ParameterChange(p.name, va, a.since if a else None, vb,
                                          b.since if b else None,
                                          tuple(readers.get(p.name, ()))))
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
