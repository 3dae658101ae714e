"""Apply a policy to the facts of one encounter: ``dk.assess``.

The work per decision is small on purpose: the facts are checked by precompiled type
checks, the parameter values and the rules in force on the day come from a plan made once
per (policy, day) and cached on the policy, and each rule is one compiled closure call.
Explain mode runs exactly the same code and only keeps the rules that passed as well, so the
two modes cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from deflectkit.core.policy.compiler import (
    CHARGE_KEY,
    CompiledPolicy,
    CompiledRule,
    R,
    compiled,
)
from deflectkit.core.policy.decision import (
    Charge,
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
from deflectkit.core.policy.expressions import ParamRef, expr_params
from deflectkit.core.policy.model import PathwayRule, Policy, Route, Rule
from deflectkit.errors import PolicyError, PolicyNotInEffect, Problem
from deflectkit.spelling import counted
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS

__all__ = ["DISCRETION", "Plan", "assess", "local_date", "plan_for", "summary_text"]

#: The sentence every summary ends with: the decision is advice.
DISCRETION = "This is advice: the officer's discretion is final."


@attrs.frozen
class Plan:
    """What a policy needs on one day: parameter values and the rules in force."""

    day: dt.date
    params: Mapping[ParamRef, Any]
    used: tuple[ParameterUsed, ...]
    safety: tuple[CompiledRule[Rule], ...]
    criteria: tuple[CompiledRule[Rule], ...]
    exclusions: tuple[CompiledRule[Rule], ...]
    pathways: tuple[CompiledRule[PathwayRule], ...]
    routes: tuple[CompiledRule[Route], ...]
    ref: PolicyRef
    #: Safety rules, criteria, exclusions in order, each with the test result that decides
    #: against deflection (True for a hit, False for a failed criterion) and its word.
    checks: tuple[tuple[CompiledRule[Rule], bool, Result], ...] = ()


def _not_in_effect(policy: Policy, field: str, message: str) -> PolicyNotInEffect:
    return PolicyNotInEffect([Problem(policy.source or policy.id, None, None, field, message)],
                             message)


def _make_plan(cp: CompiledPolicy, day: dt.date) -> Plan:
    policy = cp.policy
    if not policy.effective.contains(day):
        raise _not_in_effect(policy, "effective", f"policy {policy.id} is not in effect on {day}"
                             f" (in effect {policy.effective.describe()})")

    def active(rules: tuple[CompiledRule[R], ...]) -> tuple[CompiledRule[R], ...]:
        return tuple(r for r in rules if r.rule.effective.contains(day))

    safety, criteria, exclusions = map(active, (cp.safety, cp.criteria, cp.exclusions))
    pathways, routes = active(cp.pathways), active(cp.routes)
    groups: tuple[tuple[CompiledRule[Any], ...], ...] = (
        safety, criteria, exclusions, pathways, routes)
    wanted = {name for g in groups for r in g for name in r.params}
    wanted.update(expr_params(policy.charge_in_play))
    params: dict[ParamRef, Any] = {}
    used: list[ParameterUsed] = []
    for p in policy.parameters:
        if p.name not in wanted:
            continue
        value = p.at(day)
        if value is None:
            raise _not_in_effect(policy, f"parameters.{p.name}", f"parameter {p.name} has no"
                                 f" value on {day} ({p.nearest(day)})")
        v = value.value
        params[p.name] = frozenset(v) if isinstance(v, tuple) else v
        used.append(ParameterUsed(p.name, jsonable(v), value.since))
    # ``param: [a, b]`` reads the union of list parameters, made here once per day.
    for cr in (cr for g in groups for cr in g):
        for ref in cr.param_refs:
            if isinstance(ref, tuple):
                params[ref] = frozenset().union(*(params[n] for n in ref))
    ref = PolicyRef(policy.id, policy.effective.start, policy.digest)
    checks: list[tuple[CompiledRule[Rule], bool, Result]] = [(cr, True, "hit") for cr in safety]
    checks += [(cr, False, "fail") for cr in criteria]
    checks += [(cr, True, "hit") for cr in exclusions]
    return Plan(day, params, tuple(used), safety, criteria, exclusions, pathways, routes, ref,
                tuple(checks))


def plan_for(policy: Policy, day: dt.date) -> Plan:
    """The cached plan of ``policy`` for ``day``; raises ``PolicyNotInEffect`` outside it."""
    plan: Plan = compiled(policy).plan_for(day, _make_plan)
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


def _checked_facts(cp: CompiledPolicy, facts: Mapping[str, Any]) -> dict[str, Any]:
    values, errors = cp.check_facts(facts)
    if errors:
        raise PolicyError(
            [Problem("facts", None, None, name, msg) for name, msg in errors],
            f"{counted(len(errors), 'problem')} in the facts for policy {cp.policy.id}",
        )
    return values


def _decision_day(
    policy: Policy, values: Mapping[str, Any], as_of: dt.date | dt.datetime | str | None
) -> dt.date:
    if as_of is not None:
        return local_date(policy, as_of)
    anchor = values.get(policy.as_of_fact) if policy.as_of_fact else None
    if anchor is None:
        what = f"the fact {policy.as_of_fact!r}" if policy.as_of_fact else "a contact date"
        raise PolicyError(
            [Problem("facts", None, None, policy.as_of_fact or "as_of",
                     f"no as_of given and {what} is missing; give one of them")]
        )
    # Datetime facts are already in the policy's zone (the fact checks convert them).
    day: dt.date = anchor.date() if isinstance(anchor, dt.datetime) else anchor
    return day


#: What happens to a charge in play, by status.
_CHARGE_BY_STATUS: Final[Mapping[Status, Charge]] = {
    "eligible": "deflect", "review": "review", "ineligible": "proceed", "declined": "proceed",
    "needs_info": "pending", "deferred": "pending",
}


def assess(
    policy: Policy,
    facts: Mapping[str, Any],
    *,
    as_of: dt.date | dt.datetime | str | None = None,
    explain: bool = False,
) -> Decision:
    """Decide what ``policy`` advises for an encounter described by ``facts``.

    Two questions are answered: can the person be linked to care now (``status``,
    ``referral``), and, where a charge is in play, can it be deflected (``charge``).
    Charge-scoped rules apply only when a charge is in play.

    Args:
        policy: a loaded policy (:func:`deflectkit.files.policy.load_policy`).
        facts: fact name -> value; a missing or ``None`` value is *unknown*.
        as_of: the day to apply the policy; defaults to the local date of the contact
            (the policy's ``as_of_fact``, normally ``contact_at``).
        explain: also report the rules that passed or did not apply.

    Raises:
        PolicyError: a fact is undeclared, of the wrong type or not a finite number, or
            no day can be found.
        PolicyNotInEffect: the policy is not in force on that day.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                        "contact_type": "patrol", "offenses": [], "age": 30,
        ...                        "weapon_present": True})
        >>> d.status, d.charge, d.reason_codes, d.referral
        ('ineligible', 'none', ('WEAPON',), None)
    """
    cp = compiled(policy)
    values = _checked_facts(cp, facts)
    day = _decision_day(policy, values, as_of)
    plan: Plan = cp.plan_for(day, _make_plan)
    if cp.derive is not None:
        cp.derive(values)
    params = plan.params
    verdicts = _Verdicts()
    in_play: bool | None = False
    if cp.charge_in_play is not None:
        in_play = values[CHARGE_KEY] = cp.charge_in_play(values, params)
        if in_play is None:
            verdicts.unknown = True
            verdicts.missing.update([n for n in cp.charge_facts if values.get(n) is None])
    _check_rules(plan, values, in_play, verdicts, explain=explain)

    # Linkage is withheld only when the person said no or an encounter rule excludes.
    hits, missing = verdicts.hits, verdicts.missing
    pathway_cr = _first(plan.pathways, values, params, missing)
    route_cr = (_first(plan.routes, values, params, missing)
                if not hits & {"exclude", "decline"} else None)
    status = _status(hits, unknown=verdicts.unknown or _UNDECIDED in (pathway_cr, route_cr))
    charge: Charge = "none" if in_play is False else (
        "pending" if in_play is None else _CHARGE_BY_STATUS[status])
    pathway = pathway_cr.rule.pathway if isinstance(pathway_cr, CompiledRule) else None
    route_rule: Route | None = None
    referral: ReferralRoute | None = None
    if isinstance(route_cr, CompiledRule):
        route_rule = route_cr.rule
        referral = route_cr.voluntary if charge == "proceed" else route_cr.referral
    missing_facts = tuple(sorted(missing)) if missing else ()
    first_steps = tuple(verdicts.first_steps)
    return Decision(
        status=status, as_of=day, pathway=pathway, policy=plan.ref, first_steps=first_steps,
        reasons=tuple(verdicts.reasons), parameters=plan.used, missing_facts=missing_facts,
        referral=referral,
        summary=_summarise(cp, _Outcome(status, charge, tuple(verdicts.decided), first_steps,
                                        missing_facts, pathway, route_rule)),
        charge=charge, explained=explain,
    )


@attrs.define
class _Verdicts:
    """What the rules of one decision found, gathered while they run (never shared)."""

    reasons: list[Reason] = attrs.Factory(list)
    decided: list[CompiledRule[Rule]] = attrs.Factory(list)  # hit or failed: for the summary
    first_steps: list[str] = attrs.Factory(list)
    hits: set[str] = attrs.Factory(set)  # effects that hit; "exclude" is split by scope
    missing: set[str] = attrs.Factory(set)
    unknown: bool = False


def _check_rules(
    plan: Plan, values: Mapping[str, Any], in_play: bool | None, out: _Verdicts, *,
    explain: bool,
) -> None:
    """Run the safety rules, criteria and exclusions in order; gather into ``out``."""
    params = plan.params
    reasons, missing, first_steps = out.reasons, out.missing, out.first_steps
    # One flat loop over (rule, the test result that decides against deflection, its word).
    for cr, against, word in plan.checks:
        if cr.charge_scoped and in_play is not True:
            if in_play is None:  # undecided until we know whether a charge is in play
                reasons.append(_reason(cr, "unknown", values))
            elif explain:
                reasons.append(_reason(cr, "not_applicable", values))
            continue
        r = cr.test(values, params)
        if r is None:
            out.unknown = True
            missing.update([n for n in cr.required if values.get(n) is None])
            reasons.append(_reason(cr, "unknown", values))
        elif r is against:
            reasons.append(_reason(cr, word, values))
            out.decided.append(cr)
            rule = cr.rule
            if rule.first_step and rule.first_step not in first_steps:
                first_steps.append(rule.first_step)
            effect = rule.effect
            out.hits.add("exclude_charge" if effect == "exclude" and cr.charge_scoped
                         else effect)
        elif explain:
            reasons.append(_reason(cr, "pass", values))


def _status(hits: set[str], *, unknown: bool) -> Status:
    """The strongest status that applies (see ``decision.STATUSES``)."""
    if "exclude" in hits or "exclude_charge" in hits:
        return "ineligible"
    if "defer" in hits:
        return "deferred"
    if "decline" in hits:
        return "declined"
    if unknown:
        return "needs_info"
    if "review" in hits:
        return "review"
    return "eligible"


_PLAIN = frozenset({bool, int, float, str, type(None)})


def _reason(cr: CompiledRule[Rule], result: Result, values: Mapping[str, Any]) -> Reason:
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
    rule = cr.rule
    made = Reason(rule.id, rule.reason, rule.label, rule.effect, result, observed, cr.cites,
                  rule.scope)
    memo.put(key, made)
    return made


class _Found(enum.Enum):
    """What :func:`_first` says besides a rule: an undecided rule came before any match."""

    UNDECIDED = "undecided"


_UNDECIDED: Final = _Found.UNDECIDED


def _first(
    rules: tuple[CompiledRule[R], ...],
    values: Mapping[str, Any],
    params: Mapping[ParamRef, Any],
    missing: set[str],
) -> CompiledRule[R] | Literal[_Found.UNDECIDED] | None:
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


@attrs.frozen
class _Outcome:
    """Everything a summary depends on (and so the key its text is kept under)."""

    status: Status
    charge: Charge
    decided: tuple[CompiledRule[Rule], ...]
    first_steps: tuple[str, ...]
    missing: tuple[str, ...]
    pathway: str | None
    route: Route | None

    def key(self) -> tuple[Any, ...]:
        return (self.status, self.charge, tuple([cr.rule.id for cr in self.decided]),
                self.first_steps, self.missing, self.pathway,
                self.route.id if self.route else None)


def _summarise(cp: CompiledPolicy, outcome: _Outcome) -> str:
    """The summary, written once per distinct outcome (summaries depend on nothing else)."""
    key = outcome.key()
    text = cp.summaries.get(key)
    if text is None:
        text = cp.summaries.put(key, summary_text(cp.fact_labels, outcome))
    return text


def _named(outcome: _Outcome, *effects: str) -> str:
    return "; ".join(cr.cited for cr in outcome.decided
                     if cr.rule.effect in effects)


#: What the summary says about a charge in play, by the decision's charge.
_CHARGE_TEXT: Final[Mapping[Charge, str]] = {
    "none": "",
    "deflect": "The charge is deflected: it is not filed.",
    "review": "The supervisor also decides whether the charge is deflected.",
    "proceed": "The charge proceeds as usual.",
    "pending": "The charge waits for that decision.",
}


def summary_text(fact_labels: Mapping[str, str], outcome: _Outcome) -> str:
    """The officer's paragraph: first step, status, charge, referral, then the discretion."""
    status = outcome.status
    parts: list[str] = []
    if outcome.first_steps:
        parts.append(f"{FIRST_STEPS.label(outcome.first_steps[0])} first.")
    if status == "ineligible":
        parts.append(f"Not eligible for deflection: {_named(outcome, 'exclude')}.")
    elif status == "deferred":
        parts.append(f"Deferred: {_named(outcome, 'defer')}; decide again after the first"
                     " steps.")
    elif status == "declined":
        parts.append("The person declined, so there is no referral now.")
    elif status == "needs_info":
        parts.append("More information needed before deciding: " + ", ".join(
            fact_labels.get(n, n) for n in outcome.missing) + ".")
    elif status == "review":
        parts.append(f"A supervisor decides: {_named(outcome, 'review')}.")
    else:
        parts.append("Eligible for deflection.")
    if outcome.charge != "none":
        parts.append(_CHARGE_TEXT[outcome.charge])
    if outcome.pathway and status != "ineligible":
        parts.append(f"Pathway: {PATHWAYS.label(outcome.pathway)}.")
    if outcome.route is not None:
        parts.append(_referral_text(outcome))
    parts.append(DISCRETION)
    return " ".join(parts)


def _referral_text(outcome: _Outcome) -> str:
    route = outcome.route
    assert route is not None
    needs = ", ".join(NEEDS.label(n) for n in route.need)
    where = f"{route.label or route.id}" + (f" ({needs})" if needs else "")
    if outcome.charge == "proceed":
        return f"A voluntary referral can still be offered: {where}."
    if outcome.status == "deferred":
        return f"Then refer to: {where}."
    return f"Refer to: {where}."
