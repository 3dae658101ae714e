"""Apply a policy to the facts of one encounter: ``dk.assess``.

The work per decision is small on purpose: the facts are checked by precompiled type
checks, the parameter values and the rules in force on the day come from a plan made once
per (policy, day) and cached on the policy, and each rule is one compiled closure call.
Explain mode runs exactly the same code and only keeps the rules that passed as well, so the
two modes cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import attrs

from deflectkit.core.policy.compiler import CompiledPolicy, CompiledRule
from deflectkit.core.policy.decision import (
    Decision,
    Observed,
    ParameterUsed,
    PolicyRef,
    Reason,
    ReferralRoute,
    Result,
    Status,
    jsonable,
)
from deflectkit.core.policy.model import PathwayRule, Policy, Route, Rule
from deflectkit.errors import PolicyError, PolicyNotInEffect, Problem
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS

__all__ = ["DISCRETION", "Plan", "assess", "local_date", "plan_for"]

#: The sentence every summary ends with: the decision is advice.
DISCRETION = "This is advice: the officer's discretion is final."


@attrs.frozen
class Plan:
    """What a policy needs on one day: parameter values and the rules in force."""

    day: dt.date
    params: Mapping[str, Any]
    used: tuple[ParameterUsed, ...]
    safety: tuple[CompiledRule, ...]
    criteria: tuple[CompiledRule, ...]
    exclusions: tuple[CompiledRule, ...]
    pathways: tuple[CompiledRule, ...]
    routes: tuple[CompiledRule, ...]
    ref: PolicyRef
    #: Safety rules, criteria, exclusions in order, each with the test result that decides
    #: against deflection (True for a hit, False for a failed criterion) and its word.
    checks: tuple[tuple[CompiledRule, bool, Result], ...] = ()


def _make_plan(policy: Policy, day: dt.date) -> Plan:
    if not policy.effective.contains(day):
        raise PolicyNotInEffect(
            [Problem(policy.source or policy.id, None, None, "effective",
                     f"policy {policy.id} is not in effect on {day}: it is in effect "
                     f"{policy.effective.describe()}")],
            f"policy {policy.id} is not in effect on {day}"
            f" (in effect {policy.effective.describe()})",
        )
    compiled = policy.compiled

    def active(rules: tuple[CompiledRule, ...]) -> tuple[CompiledRule, ...]:
        return tuple(r for r in rules if r.rule.effective.contains(day))

    groups = [active(g) for g in (compiled.safety, compiled.criteria, compiled.exclusions,
                                  compiled.pathways, compiled.routes)]
    wanted = {name for g in groups for r in g for name in r.params}
    params: dict[str, Any] = {}
    used: list[ParameterUsed] = []
    for p in policy.parameters:
        if p.name not in wanted:
            continue
        value = p.at(day)
        if value is None:
            raise PolicyNotInEffect(
                [Problem(policy.source or policy.id, None, None, f"parameters.{p.name}",
                         f"parameter {p.name} has no value on {day} ({p.nearest(day)})")],
                f"parameter {p.name} has no value on {day} ({p.nearest(day)})",
            )
        v = value.value
        params[p.name] = frozenset(v) if isinstance(v, tuple) else v
        used.append(ParameterUsed(p.name, jsonable(v), value.since))
    ref = PolicyRef(policy.id, policy.effective.start, policy.digest)
    safety, criteria, exclusions, pathways, routes = groups
    checks: list[tuple[CompiledRule, bool, Result]] = [(cr, True, "hit") for cr in safety]
    checks += [(cr, False, "fail") for cr in criteria]
    checks += [(cr, True, "hit") for cr in exclusions]
    return Plan(day, params, tuple(used), safety, criteria, exclusions, pathways, routes, ref,
                tuple(checks))


def plan_for(policy: Policy, day: dt.date) -> Plan:
    """The cached plan of ``policy`` for ``day``; raises ``PolicyNotInEffect`` outside it."""
    plan: Plan = policy.plan_for(day, _make_plan)
    return plan


def local_date(policy: Policy, when: dt.date | dt.datetime | str) -> dt.date:
    """The program's local date of ``when`` (a date, an aware datetime or ISO text)."""
    if isinstance(when, str):
        try:
            when = dt.datetime.fromisoformat(when) if "T" in when else dt.date.fromisoformat(when)
        except ValueError:
            raise PolicyError(
                [Problem("as_of", None, None, "as_of", f"not an ISO date: {when!r}")]
            ) from None
    if isinstance(when, dt.datetime):
        if when.utcoffset() is None:
            return when.date()
        from zoneinfo import ZoneInfo

        return when.astimezone(ZoneInfo(policy.timezone)).date()
    return when


def assess(
    policy: Policy,
    facts: Mapping[str, Any],
    *,
    as_of: dt.date | dt.datetime | str | None = None,
    explain: bool = False,
) -> Decision:
    """Decide what ``policy`` advises for an encounter described by ``facts``.

    Args:
        policy: a loaded policy (:func:`deflectkit.files.policy.load_policy`).
        facts: fact name -> value; a missing or ``None`` value is *unknown*.
        as_of: the day to apply the policy; defaults to the local date of the contact
            (the policy's ``as_of_fact``, normally ``contact_at``).
        explain: also report the rules that passed.

    Raises:
        PolicyError: a fact is undeclared or of the wrong type, or no day can be found.
        PolicyNotInEffect: the policy is not in force on that day.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00", "age": 16})
        >>> d.status, d.reason_codes
        ('ineligible', ('JUVENILE',))
    """
    values, errors = policy.compiled.check_facts(facts)
    if errors:
        raise PolicyError(
            [Problem("facts", None, None, name, msg) for name, msg in errors],
            f"{len(errors)} problem(s) in the facts for policy {policy.id}",
        )
    if as_of is None:
        anchor = values.get(policy.as_of_fact) if policy.as_of_fact else None
        if anchor is None:
            what = f"the fact {policy.as_of_fact!r}" if policy.as_of_fact else "a contact date"
            raise PolicyError(
                [Problem("facts", None, None, policy.as_of_fact or "as_of",
                         f"no as_of given and {what} is missing; give one of them")]
            )
        # Datetime facts are already in the policy's zone (the fact checks convert them).
        day = anchor.date() if isinstance(anchor, dt.datetime) else anchor
    else:
        day = local_date(policy, as_of)
    plan: Plan = policy.plan_for(day, _make_plan)
    compiled = policy.compiled
    if compiled.derive is not None:
        compiled.derive(values)
    params = plan.params

    reasons: list[Reason] = []
    decided: list[CompiledRule] = []  # rules that hit or failed, for the summary
    first_steps: list[str] = []
    missing: set[str] = set()
    excluded = deferred = review = unknown = False

    # One flat loop over (rule, the test result that decides against deflection, its word).
    for cr, against, word in plan.checks:
        r = cr.test(values, params)
        if r is None:
            unknown = True
            missing.update([n for n in cr.required if values.get(n) is None])
            reasons.append(_reason(cr, "unknown", values))
        elif r is against:
            reasons.append(_reason(cr, word, values))
            decided.append(cr)
            rule: Rule = cr.rule  # type: ignore[assignment]
            if rule.first_step and rule.first_step not in first_steps:
                first_steps.append(rule.first_step)
            effect = rule.effect
            if effect in ("require", "exclude"):
                excluded = True
            elif effect == "defer":
                deferred = True
            else:
                review = True
        elif explain:
            reasons.append(_reason(cr, "pass", values))

    pathway_cr = _first(plan.pathways, values, params, missing)
    route_cr = _first(plan.routes, values, params, missing) if not excluded else None
    unknown = unknown or pathway_cr is _UNDECIDED or route_cr is _UNDECIDED

    status: Status
    if excluded:
        status = "ineligible"
    elif deferred:
        status = "deferred"
    elif unknown:
        status = "needs_info"
    elif review:
        status = "review"
    else:
        status = "eligible"
    pathway = None
    if isinstance(pathway_cr, CompiledRule) and isinstance(pathway_cr.rule, PathwayRule):
        pathway = pathway_cr.rule.pathway
    route_rule: Route | None = None
    referral: ReferralRoute | None = None
    if isinstance(route_cr, CompiledRule) and isinstance(route_cr.rule, Route):
        route_rule, referral = route_cr.rule, route_cr.referral
    missing_facts = tuple(sorted(missing)) if missing else ()
    return Decision(
        status=status,
        as_of=day,
        pathway=pathway,
        policy=plan.ref,
        first_steps=tuple(first_steps),
        reasons=tuple(reasons),
        parameters=plan.used,
        missing_facts=missing_facts,
        referral=referral,
        summary=_summarise(compiled, status, decided, first_steps, missing_facts, pathway,
                           route_rule),
        explained=explain,
    )


_PLAIN = frozenset({bool, int, float, str, type(None)})


_MEMO_SIZE = 512
_SUMMARY_MEMO_SIZE = 8192  # distinct outcomes (missing-fact sets included); strings are small


def _reason(cr: CompiledRule, result: Any, values: Mapping[str, Any]) -> Reason:
    seen = tuple([values.get(n) for n in cr.facts])
    key = (result, seen)
    memo = cr.memo
    made: Reason | None = memo.get(key)
    if made is not None:
        return made
    # Read-only, since one Reason may be shared by many decisions.
    observed = Observed({
        n: v if v.__class__ in _PLAIN else jsonable(v) for n, v in zip(cr.facts, seen, strict=True)
    })
    rule: Rule = cr.rule  # type: ignore[assignment]
    made = Reason(rule.id, rule.reason, rule.label, rule.effect, result, observed, cr.cites)
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = made
    return made


#: ``_first`` found an undecided rule before any match.
_UNDECIDED: Final = object()


def _first(
    rules: tuple[CompiledRule, ...],
    values: Mapping[str, Any],
    params: Mapping[str, Any],
    missing: set[str],
) -> CompiledRule | object | None:
    """The first rule by priority that matches; ``None``; or ``_UNDECIDED``.

    ``_UNDECIDED`` means an undecided rule comes before any match; its missing facts are
    added to ``missing``.
    """
    for cr in rules:
        r = cr.test(values, params)
        if r is True:
            return cr
        if r is None:
            missing.update([n for n in cr.required if values.get(n) is None])
            return _UNDECIDED
    return None


def _summarise(  # noqa: PLR0917 - one private call site
    compiled: CompiledPolicy,
    status: Status,
    decided: list[CompiledRule],
    first_steps: list[str],
    missing: tuple[str, ...],
    pathway: str | None,
    route: Route | None,
) -> str:
    """The summary, written once per distinct outcome (summaries depend on nothing else)."""
    key = (status, tuple([cr.rule.id for cr in decided]), tuple(first_steps), missing,
           pathway, route.id if route else None)
    text = compiled.summaries.get(key)
    if text is None:
        if len(compiled.summaries) >= _SUMMARY_MEMO_SIZE:
            compiled.summaries.clear()
        text = compiled.summaries[key] = _summary(
            compiled.fact_labels, status, decided, first_steps, missing, pathway, route
        )
    return text


def _summary(  # noqa: PLR0917 - one private call site
    fact_labels: Mapping[str, str],
    status: Status,
    decided: list[CompiledRule],
    first_steps: list[str],
    missing: tuple[str, ...],
    pathway: str | None,
    route: Route | None,
) -> str:
    if status == "ineligible":
        body = "Not eligible: " + "; ".join(
            cr.cited for cr in decided if cr.rule.effect in ("exclude", "require")  # type: ignore[union-attr]
        ) + "."
    elif status == "deferred":
        steps = ", ".join(FIRST_STEPS.label(s) for s in first_steps)
        body = "Deferred: " + "; ".join(
            cr.cited for cr in decided if cr.rule.effect == "defer"  # type: ignore[union-attr]
        ) + f". First: {steps}; then assess again."
    elif status == "needs_info":
        body = "More information needed before deciding: " + ", ".join(
            fact_labels.get(n, n) for n in missing
        ) + "."
    elif status == "review":
        body = "Eligible subject to supervisor review: " + "; ".join(
            cr.cited for cr in decided if cr.rule.effect == "review"  # type: ignore[union-attr]
        ) + "."
    else:
        body = "Eligible for deflection."
    if pathway and status != "ineligible":
        body += f" Pathway: {PATHWAYS.label(pathway)}."
    if route is not None and status in ("eligible", "review"):
        needs = ", ".join(NEEDS.label(n) for n in route.need)
        body += f" Referral: {route.label or route.id}" + (f" ({needs})." if needs else ".")
    return f"{body} {DISCRETION}"
