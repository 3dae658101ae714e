"""A policy back to plain data: the documented file format, and JSON for ``dk.to_json``.

``policy_to_data(policy)`` gives the mapping a policy file would hold (conditions in their
``all/any/not/{fact, op, value}`` form), so ``build_policy(policy_to_data(p))`` rebuilds an
equal policy. ``dk.to_json(policy)`` gives the same with dates as ISO text and lists for
tuples, which is what the site and other tools read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.policy.expressions import AllOf, AnyOf, Compare, Expr, Not
from deflectkit.core.policy.model import (
    MODEL_CHOICE_TITLE,
    SCHEMA,
    Cite,
    FactSpec,
    Parameter,
    PathwayRule,
    Period,
    Policy,
    Route,
    Rule,
)

__all__ = ["expr_to_data", "policy_to_data", "to_plain_json"]


def expr_to_data(expr: Expr) -> dict[str, Any]:
    """A condition in the file format."""
    if isinstance(expr, AllOf):
        return {"all": [expr_to_data(e) for e in expr.items]}
    if isinstance(expr, AnyOf):
        return {"any": [expr_to_data(e) for e in expr.items]}
    if isinstance(expr, Not):
        return {"not": expr_to_data(expr.item)}
    assert isinstance(expr, Compare)
    out: dict[str, Any] = {"derived" if expr.derived else "fact": expr.subject, "op": expr.op}
    if expr.param is not None:
        out["param"] = expr.param if isinstance(expr.param, str) else list(expr.param)
    elif expr.other is not None:
        out["other"] = expr.other
    elif expr.value is not None:
        value = expr.value
        if isinstance(value, frozenset):
            value = sorted(value, key=str)
        elif isinstance(value, tuple):
            value = list(value)
        out["value"] = value
    return out


def _period(p: Period) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if p.start is not None:
        out["from"] = p.start
    if p.until is not None:
        out["until"] = p.until
    return out


def _cite(c: Cite) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not (c.model_choice and c.title == MODEL_CHOICE_TITLE):
        out["title"] = c.title
    for key in ("href", "section", "quote", "note"):
        value = getattr(c, key)
        if value is not None:
            out[key] = value
    if c.model_choice:
        out["model_choice"] = True
    return out


def _fact(f: FactSpec) -> dict[str, Any]:
    out: dict[str, Any] = {"type": f.type}
    if f.type == "list":
        out["of"] = "enum"
    if f.values:
        out["values"] = list(f.values)
    if f.optional:
        out["optional"] = True
    if f.label:
        out["label"] = f.label
    if f.unit:
        out["unit"] = f.unit
    if f.type in ("int", "float") and f.min != 0:
        out["min"] = f.min
    return out


def _parameter(p: Parameter) -> dict[str, Any]:
    out: dict[str, Any] = {"label": p.label}
    if p.unit:
        out["unit"] = p.unit
    if p.description:
        out["description"] = p.description
    out["values"] = {
        v.since: list(v.value) if isinstance(v.value, tuple) else v.value for v in p.values
    }
    if p.cite:
        out["cite"] = [_cite(c) for c in p.cite]
    return out


def _rule(r: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "label": r.label, "reason": r.reason}
    if r.kind != "criterion" or r.effect != "exclude":
        out["effect"] = r.effect
    if r.scope != "encounter":
        out["scope"] = r.scope
    if r.first_step:
        out["first_step"] = r.first_step
    out["when"] = expr_to_data(r.when)
    out["cite"] = [_cite(c) for c in r.cite]
    if r.effective != Period():
        out["effective"] = _period(r.effective)
    if r.description:
        out["description"] = r.description
    return out


def _first_match(r: PathwayRule | Route) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id, "priority": r.priority}
    if isinstance(r, PathwayRule):
        out["pathway"] = r.pathway
    else:
        out["need"] = list(r.need)
        if r.services:
            out["services"] = list(r.services)
    if r.label:
        out["label"] = r.label
    if r.default:
        out["default"] = True
    if r.when is not None:
        out["when"] = expr_to_data(r.when)
    if r.cite:
        out["cite"] = [_cite(c) for c in r.cite]
    if r.effective != Period():
        out["effective"] = _period(r.effective)
    return out


def policy_to_data(policy: Policy) -> dict[str, Any]:
    """The policy as the mapping its file would hold (dates as ``datetime.date``)."""
    out: dict[str, Any] = {
        "schema": SCHEMA, "id": policy.id, "label": policy.label, "timezone": policy.timezone,
        "effective": _period(policy.effective), "cite": [_cite(c) for c in policy.cite],
    }
    if policy.description:
        out["description"] = policy.description
    out["facts"] = {f.name: _fact(f) for f in policy.facts}
    if policy.derived:
        out["derived"] = {
            d.name: {"fn": d.fn, "args": list(d.args), **({"label": d.label} if d.label else {})}
            for d in policy.derived
        }
    if policy.parameters:
        out["parameters"] = {p.name: _parameter(p) for p in policy.parameters}
    if policy.charge_in_play is not None:
        out["charge"] = {"in_play": expr_to_data(policy.charge_in_play)}
    if policy.safety:
        out["safety"] = [_rule(r) for r in policy.safety]
    if policy.criteria or policy.exclusions:
        out["eligibility"] = {
            "criteria": [_rule(r) for r in policy.criteria],
            "exclusions": [_rule(r) for r in policy.exclusions],
        }
    out["pathways"] = [_first_match(p) for p in policy.pathways]
    if policy.routes:
        out["referral"] = {"routes": [_first_match(r) for r in policy.routes]}
    plan = attrs.asdict(policy.follow_up)
    defaults = attrs.asdict(FollowUpPlan())
    out["follow_up"] = {k: list(v) if isinstance(v, tuple) else v for k, v in plan.items()
                        if v != defaults[k] or k == "checkpoints_days"}
    if policy.as_of_fact and policy.as_of_fact not in ("contact_at", "contact_date"):
        out["as_of_fact"] = policy.as_of_fact
    return out


def to_plain_json(value: Any) -> Any:
    """Dates to ISO text, tuples to lists, mapping keys to text: JSON-ready data."""
    if isinstance(value, dict):
        return {
            (k.isoformat() if isinstance(k, dt.date) else str(k)): to_plain_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [to_plain_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def policy_json(policy: Policy) -> Any:
    """The JSON data of ``policy``: its YAML keys plus its digest (``dk.to_json`` uses it)."""
    data = to_plain_json(policy_to_data(policy))
    data["digest"] = policy.digest
    return data
