"""Review aids for policy authors: what loads but is probably a mistake.

The loader refuses policies that cannot be evaluated; the linter flags policies that can be
evaluated but deserve a second look:

* ``unreachable`` — a pathway rule or route after a default (or after an identical
  condition) can never be chosen;
* ``unused-parameter`` — a parameter no rule reads;
* ``parameter-gap`` — a parameter with no value on some day the policy is in effect;
* ``todo-citation`` — a citation still saying TODO;
* ``no-citation`` — a pathway rule without a citation;
* ``charge-safety`` — a safety rule scoped to the charge: safety is about the scene, and a
  charge rule is skipped whenever no charge is in play;
* ``untested`` — a rule never decisive in any test case, a pathway or route never chosen, a
  charge that no case puts in play (only when test outcomes are given).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from deflectkit.core.policy.decision import Decision
from deflectkit.core.policy.expressions import expr_params
from deflectkit.core.policy.model import Cite, PathwayRule, Policy, Route

__all__ = ["LintFinding", "lint_policy"]

Code = Literal[
    "unreachable", "unused-parameter", "parameter-gap", "todo-citation", "no-citation",
    "charge-safety", "untested",
]


@attrs.frozen
class LintFinding:
    """One thing worth a second look.

    Attributes:
        code: the kind of finding.
        message: what and why.
        rule_id: the rule, pathway rule or route concerned, if any.
        parameter: the parameter concerned, if any.
    """

    code: Code
    message: str
    rule_id: str | None = None
    parameter: str | None = None


def _todo(cites: Iterable[Cite]) -> bool:
    return any(
        "TODO" in " ".join(filter(None, (c.title, c.href, c.section, c.note, c.quote)))
        for c in cites
    )


def _overlaps(a: PathwayRule | Route, b: PathwayRule | Route) -> bool:
    start = max(d for d in (a.effective.start, b.effective.start, dt.date.min) if d)
    ends = [d for d in (a.effective.until, b.effective.until) if d]
    return not ends or start < min(ends)


def _first_match_findings(
    rules: Sequence[PathwayRule | Route], what: str
) -> list[LintFinding]:
    out: list[LintFinding] = []
    for i, later in enumerate(rules):
        for earlier in rules[:i]:
            if not _overlaps(earlier, later):
                continue
            if earlier.default:
                out.append(LintFinding(
                    "unreachable",
                    f"{what} {later.id} comes after the default {earlier.id}"
                    f" (priority {earlier.priority}) and can never be chosen",
                    rule_id=later.id,
                ))
                break
            if earlier.when is not None and earlier.when == later.when:
                out.append(LintFinding(
                    "unreachable",
                    f"{what} {later.id} has the same condition as {earlier.id}, which comes"
                    " first; it can never be chosen",
                    rule_id=later.id,
                ))
                break
    return out


def _gaps(policy: Policy) -> list[LintFinding]:
    out: list[LintFinding] = []
    start, until = policy.effective.start, policy.effective.until
    if start is None:
        return out
    for p in policy.parameters:
        first = p.values[0].since if p.values else None
        if first is not None and first > start:
            out.append(LintFinding(
                "parameter-gap",
                f"parameter {p.name} has no value from {start} (the policy's start) until"
                f" {first}",
                parameter=p.name,
            ))
        for v in p.values:
            if v.value is None and (until is None or v.since < until) and v.since >= start:
                later = [w.since for w in p.values if w.since > v.since]
                end = f"until {later[0]}" if later else "from then on"
                out.append(LintFinding(
                    "parameter-gap",
                    f"parameter {p.name} is retired on {v.since} and has no value {end}"
                    " while the policy is in effect",
                    parameter=p.name,
                ))
    return out


def lint_policy(
    policy: Policy, decisions: Iterable[Decision] | None = None
) -> list[LintFinding]:
    """Every finding for ``policy``; pass the decisions of its test cases to check coverage.

    Example:
        >>> # lint_policy(load_policy("data/policies/model-deflection.yaml")) == []
    """
    out: list[LintFinding] = []
    out += _first_match_findings(policy.pathways, "pathway rule")
    out += _first_match_findings(policy.routes, "route")
    read = {name for r in policy.everything
            for name in expr_params(r.when)} | set(expr_params(policy.charge_in_play))
    out += [
        LintFinding("unused-parameter", f"parameter {p.name} is read by no rule",
                    parameter=p.name)
        for p in policy.parameters if p.name not in read
    ]
    out += _gaps(policy)
    out += [
        LintFinding("charge-safety", f"safety rule {r.id} has scope: charge, so it is skipped"
                    " whenever no charge is in play; safety rules are about the encounter",
                    rule_id=r.id)
        for r in policy.safety if r.scope == "charge"
    ]
    for r in policy.everything:
        if _todo(r.cite):
            out.append(LintFinding("todo-citation", f"{r.id} has a TODO citation",
                                   rule_id=r.id))
        elif not r.cite and not isinstance(r, Route):
            out.append(LintFinding("no-citation", f"{r.id} cites no source", rule_id=r.id))
    for p in policy.parameters:
        if _todo(p.cite):
            out.append(LintFinding("todo-citation", f"parameter {p.name} has a TODO citation",
                                   parameter=p.name))
    if _todo(policy.cite):
        out.append(LintFinding("todo-citation", "the policy has a TODO citation"))
    if decisions is not None:
        out += _coverage(policy, list(decisions))
    return out


def _coverage(policy: Policy, decisions: list[Decision]) -> list[LintFinding]:
    decisive = {r.id for d in decisions for r in d.reasons if r.decisive}
    pathways = {d.pathway for d in decisions}
    routes = {d.referral.route for d in decisions if d.referral}
    out = [
        LintFinding("untested", f"no test case makes rule {r.id} ({r.reason}) decide",
                    rule_id=r.id)
        for r in policy.rules if r.id not in decisive
    ]
    out += [
        LintFinding("untested", f"no test case reaches pathway rule {p.id} ({p.pathway})",
                    rule_id=p.id)
        for p in policy.pathways if p.pathway not in pathways
    ]
    out += [
        LintFinding("untested", f"no test case reaches route {r.id}", rule_id=r.id)
        for r in policy.routes if r.id not in routes
    ]
    if policy.charge_in_play is not None and all(d.charge == "none" for d in decisions):
        out.append(LintFinding("untested", "no test case puts a charge in play"))
    return out
