"""Build a :class:`~deflectkit.core.policy.model.Policy` from plain data, checking everything.

The checks run at load, never at decision time: unknown keys, undeclared facts and
parameters, unknown operators, type mismatches, duplicate ids, words outside the shared
vocabularies, missing citations, and parameters that have no value on a day when a rule
reading them applies. Every defect is collected as an :class:`Issue` with its path inside
the document, so the file layer can point at the line (see ``deflectkit.files.policy``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.policy.compiler import compile_policy
from deflectkit.core.policy.expressions import (
    ExprContext,
    Issue,
    expr_params,
    parse_expr,
    suggest,
)
from deflectkit.core.policy.model import (
    SCHEMA,
    FactSpec,
    Parameter,
    PathwayRule,
    Period,
    Policy,
    Route,
    Rule,
    RuleKind,
)
from deflectkit.core.policy.reading import NAME, Path, Reader
from deflectkit.core.policy.serialize import to_plain_json  # also registers Policy's JSON
from deflectkit.vocabulary import NEEDS, PATHWAYS, SERVICES

__all__ = ["TOP_KEYS", "build_policy", "digest"]


TOP_KEYS: Final = {
    "schema": True, "id": True, "label": True, "timezone": True, "effective": True,
    "cite": True, "facts": True, "pathways": True, "description": False, "derived": False,
    "parameters": False, "safety": False, "eligibility": False, "referral": False,
    "follow_up": False, "as_of_fact": False,
}
_RULE_KEYS: Final = {
    "id": True, "label": True, "reason": True, "cite": True, "when": True, "effect": False,
    "first_step": False, "effective": False, "description": False,
}
_PATHWAY_KEYS: Final = {
    "id": True, "priority": True, "pathway": True, "label": False, "when": False,
    "default": False, "cite": False, "effective": False,
}
_ROUTE_KEYS: Final = {
    "id": True, "priority": True, "need": True, "label": False, "services": False,
    "when": False, "default": False, "cite": False, "effective": False,
}
_ID: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-/]*$")
_REASON: Final = re.compile(r"^[A-Z][A-Z0-9_]*$")
_EFFECTS: Final = ("exclude", "defer", "review")


def digest(data: Any) -> str:
    """``sha256:…`` of a policy's content (key order and comments do not matter)."""
    text = json.dumps(to_plain_json(data), sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def build_policy(data: Any, *, source: str | None = None) -> tuple[Policy | None, list[Issue]]:
    """Check ``data`` (a parsed policy document) and build the compiled :class:`Policy`.

    Returns the policy (``None`` when any error was found) and every issue found.

    Example:
        >>> policy, issues = build_policy({"schema": "deflectkit/policy@1"})
        >>> policy is None, issues[0].message
        (True, "policy is missing the required key 'id'")
    """
    b = Reader()
    if not b.mapping(data, (), TOP_KEYS, "policy") and not isinstance(data, dict):
        return None, b.issues
    if data.get("schema", SCHEMA) != SCHEMA:
        b.err(("schema",), f"schema must be {SCHEMA!r}, got {data.get('schema')!r}")
    pid = data.get("id", "")
    if "id" in data and (not isinstance(pid, str) or not _ID.match(pid)):
        b.err(("id",), f"id must be a word like model-deflection, got {pid!r}")
    label = b.text(data, "label", ()) if "label" in data else ""
    tz = data.get("timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        b.err(("timezone",), f"unknown time zone {tz!r}; use an IANA name like America/Phoenix")
        tz = "UTC"
    effective = b.period(data["effective"], ("effective",)) if "effective" in data else Period()
    if "effective" in data and effective.start is None:
        b.err(("effective",), "effective needs a 'from' date")
    cite = b.cites(data.get("cite"), ("cite",), required="cite" in data)
    facts = b.facts(data.get("facts"), ("facts",)) if "facts" in data else {}
    derived = b.derived(data.get("derived"), ("derived",), facts)
    params = b.parameters(data.get("parameters"), ("parameters",))
    declared = {str(k) for key in ("facts", "parameters", "derived")
                if isinstance(data.get(key), dict) for k in data[key]}
    ctx = ExprContext(facts, {d.name: FactSpec(d.name, "int") for d in derived}, params,
                      frozenset(declared - set(facts) - set(params) - {d.name for d in derived}))

    def rule_maker(kind: RuleKind) -> Callable[[Any, Path], Rule | None]:
        def make(raw: Any, path: Path) -> Rule | None:
            if not b.mapping(raw, path, _RULE_KEYS, f"{kind} rule"):
                return None
            when = parse_expr(raw["when"], (*path, "when"), ctx, b.issues)
            reason = raw["reason"]
            if not isinstance(reason, str) or not _REASON.match(reason):
                b.err((*path, "reason"), f"reason must be an UPPER_SNAKE code, got {reason!r}")
            if kind == "criterion":
                effect = raw.get("effect", "require")
                if effect != "require":
                    b.err((*path, "effect"), "a criterion has no effect: a failed criterion"
                                             " makes the person ineligible")
                effect = "require"
            else:
                effect = raw.get("effect", "exclude" if kind == "exclusion" else None)
                if effect not in _EFFECTS:
                    b.err((*path, "effect"), f"effect must be one of {', '.join(_EFFECTS)},"
                                             f" got {effect!r}{suggest(effect, _EFFECTS)}")
            first_step = raw.get("first_step")
            if first_step is not None and (not isinstance(first_step, str)
                                           or not NAME.match(first_step)):
                b.err((*path, "first_step"), "first_step is a lower_snake_case word")
            cites = b.cites(raw["cite"], (*path, "cite"), required=True)
            effective_rule = (b.period(raw["effective"], (*path, "effective"))
                              if "effective" in raw else Period())
            if when is None:
                return None
            return Rule(
                str(raw["id"]), kind, b.text(raw, "label", path), str(reason), cites, when,
                str(effect), first_step, effective_rule, str(raw.get("description", "")),
            )

        return make

    safety = b.listed(data.get("safety"), ("safety",), "safety", rule_maker("safety"))
    eligibility = data.get("eligibility")
    criteria: list[Rule] = []
    exclusions: list[Rule] = []
    if eligibility is not None and b.mapping(
        eligibility, ("eligibility",), {"criteria": False, "exclusions": False}, "eligibility"
    ):
        criteria = b.listed(eligibility.get("criteria"), ("eligibility", "criteria"),
                            "criteria", rule_maker("criterion"))
        exclusions = b.listed(eligibility.get("exclusions"), ("eligibility", "exclusions"),
                              "exclusions", rule_maker("exclusion"))

    def first_match(raw: Any, path: Path, keys: dict[str, bool], what: str) -> dict[str, Any]:
        """Shared checks of pathway rules and routes; returns the parts or {} on error."""
        if not b.mapping(raw, path, keys, what):
            return {}
        priority = raw["priority"]
        if not isinstance(priority, int) or isinstance(priority, bool):
            b.err((*path, "priority"), "priority is a whole number (lower comes first)")
            return {}
        default = raw.get("default", False)
        if not isinstance(default, bool):
            b.err((*path, "default"), "default is true or false")
            return {}
        if default == ("when" in raw):
            b.err(path, f"a {what} has either a 'when' condition or 'default: true'")
            return {}
        when = parse_expr(raw["when"], (*path, "when"), ctx, b.issues) if "when" in raw else None
        if "when" in raw and when is None:
            return {}
        return {
            "id": str(raw["id"]), "priority": priority, "when": when, "default": default,
            "label": str(raw.get("label", "")),
            "cite": b.cites(raw.get("cite"), (*path, "cite"), required=False),
            "effective": b.period(raw["effective"], (*path, "effective"))
            if "effective" in raw else Period(),
        }

    def make_pathway(raw: Any, path: Path) -> PathwayRule | None:
        parts = first_match(raw, path, _PATHWAY_KEYS, "pathway rule")
        if not parts:
            return None
        pathway = raw["pathway"]
        if not isinstance(pathway, str) or pathway not in PATHWAYS:
            b.err((*path, "pathway"), f"{pathway!r} is not a deflection pathway"
                                      f"{suggest(pathway, PATHWAYS.words)};"
                                      f" use one of: {', '.join(PATHWAYS.words)}")
            return None
        return PathwayRule(pathway=pathway, **parts)

    def make_route(raw: Any, path: Path) -> Route | None:
        parts = first_match(raw, path, _ROUTE_KEYS, "referral route")
        if not parts:
            return None
        need = raw["need"]
        if not isinstance(need, list) or not all(isinstance(n, str) for n in need):
            b.err((*path, "need"), "need is a list of needs words, e.g. [opioids]")
            return None
        bad = [n for n in need if n not in NEEDS]
        for n in bad:
            b.err((*path, "need"), f"{n!r} is not a needs word{suggest(n, NEEDS.words)};"
                                   f" use words of: {', '.join(NEEDS.words)}")
        services = raw.get("services", [])
        if not isinstance(services, list):
            b.err((*path, "services"), "services is a list of service words")
            services = []
        for s in services:
            if not isinstance(s, str) or s not in SERVICES:
                b.err((*path, "services"), f"{s!r} is not a service word"
                                           f"{suggest(s, SERVICES.words)}")
        if bad:
            return None
        return Route(need=tuple(need), services=tuple(services), **parts)

    pathways = b.listed(data.get("pathways"), ("pathways",), "pathways", make_pathway)
    routes: list[Route] = []
    referral = data.get("referral")
    if referral is not None and b.mapping(referral, ("referral",), {"routes": True}, "referral"):
        routes = b.listed(referral["routes"], ("referral", "routes"), "routes", make_route)

    follow_up = _follow_up(b, data.get("follow_up"))
    as_of_fact = data.get("as_of_fact")
    if as_of_fact is None:
        as_of_fact = next((n for n in ("contact_at", "contact_date") if n in facts), None)
    elif (not isinstance(as_of_fact, str) or as_of_fact not in facts
          or facts[as_of_fact].type not in ("date", "datetime")):
        b.err(("as_of_fact",), f"as_of_fact must name a declared date or datetime fact,"
                               f" got {as_of_fact!r}")

    _check_ids(b, data, safety, criteria, exclusions, pathways, routes)
    _check_priorities(b, pathways, "pathways", ("pathways",))
    _check_priorities(b, routes, "routes", ("referral", "routes"))
    _check_coverage(b, data, effective, params, [*safety, *criteria, *exclusions],
                    pathways, routes)
    if not pathways and "pathways" in data and not b.issues:
        b.err(("pathways",), "a policy needs at least one pathway rule")

    errors = [i for i in b.issues if i.severity == "error"]
    if errors:
        return None, b.issues
    policy = Policy(
        id=pid, label=label, timezone=tz, effective=effective,
        facts=tuple(facts.values()), parameters=tuple(params.values()),
        safety=tuple(safety), criteria=tuple(criteria), exclusions=tuple(exclusions),
        pathways=tuple(sorted(pathways, key=lambda p: p.priority)),
        routes=tuple(sorted(routes, key=lambda r: r.priority)),
        follow_up=follow_up, cite=cite, derived=tuple(derived), as_of_fact=as_of_fact,
        description=str(data.get("description", "")), digest=digest(data), source=source,
    )
    object.__setattr__(policy, "_compiled", compile_policy(policy))
    return policy, b.issues


def _follow_up(b: Reader, raw: Any) -> FollowUpPlan:
    if raw is None:
        return FollowUpPlan()
    fields = {a.name: False for a in attrs.fields(FollowUpPlan)}
    if not b.mapping(raw, ("follow_up",), fields, "follow_up"):
        return FollowUpPlan()
    for k, v in raw.items():
        if k == "checkpoints_days":
            ok = isinstance(v, list) and all(isinstance(x, int) for x in v)
        else:
            ok = isinstance(v, int) and not isinstance(v, bool) and v > 0
        if not ok:
            b.err(("follow_up", k), f"{k} must be a positive whole number"
                                    + (" list" if k == "checkpoints_days" else ""))
            return FollowUpPlan()
    try:
        return FollowUpPlan(**raw)
    except (ValueError, TypeError) as exc:
        b.err(("follow_up",), str(exc))
        return FollowUpPlan()


def _check_ids(
    b: Reader, data: dict[str, Any], *groups: Iterable[Rule | PathwayRule | Route]
) -> None:
    seen: dict[str, str] = {}
    places: dict[int, Path] = {
        0: ("safety",), 1: ("eligibility", "criteria"), 2: ("eligibility", "exclusions"),
        3: ("pathways",), 4: ("referral", "routes"),
    }
    for g, group in enumerate(groups):
        for i, rule in enumerate(group):
            if rule.id in seen:
                index = _index_of(data, places[g], rule.id)
                where = (*places[g], index if index is not None else i, "id")
                b.err(where, f"duplicate id {rule.id!r} (already used in {seen[rule.id]});"
                             " ids must be unique")
            else:
                seen[rule.id] = ".".join(map(str, places[g]))


def _index_of(data: dict[str, Any], place: Path, rule_id: str) -> int | None:
    node: Any = data
    for part in place:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, list):
        return None
    hits = [i for i, x in enumerate(node) if isinstance(x, dict) and x.get("id") == rule_id]
    return hits[-1] if hits else None


def _check_priorities(
    b: Reader, rules: Sequence[PathwayRule | Route], what: str, place: Path
) -> None:
    seen: dict[int, str] = {}
    for i, r in enumerate(rules):
        if r.priority in seen:
            b.err((*place, i, "priority"), f"{what} {seen[r.priority]} and {r.id} share priority"
                                           f" {r.priority}; the first match would be ambiguous")
        seen.setdefault(r.priority, r.id)


def _covered(param: Parameter, start: dt.date, until: dt.date | None) -> dt.date | None:
    """The first day in [start, until) on which ``param`` has no value, or None."""
    day = start
    while until is None or day < until:
        value = param.at(day)
        if value is None:
            return day
        later = [v.since for v in param.values if v.since > day]
        if not later:
            return None
        day = later[0]
    return None


def _check_coverage(  # noqa: PLR0917 - one private call site
    b: Reader,
    data: dict[str, Any],
    effective: Period,
    params: dict[str, Parameter],
    rules: list[Rule],
    pathways: list[PathwayRule],
    routes: list[Route],
) -> None:
    places = {"safety": ("safety",), "criterion": ("eligibility", "criteria"),
              "exclusion": ("eligibility", "exclusions")}
    everything: list[tuple[Rule | PathwayRule | Route, Path]] = []
    for r in rules:
        idx = _index_of(data, places[r.kind], r.id)
        everything.append((r, (*places[r.kind], idx if idx is not None else 0, "when")))
    for p in pathways:
        idx = _index_of(data, ("pathways",), p.id)
        everything.append((p, ("pathways", idx if idx is not None else 0, "when")))
    for rt in routes:
        idx = _index_of(data, ("referral", "routes"), rt.id)
        everything.append((rt, ("referral", "routes", idx if idx is not None else 0, "when")))
    for rule, where in everything:
        start = max(d for d in (effective.start, rule.effective.start, dt.date.min) if d)
        ends = [d for d in (effective.until, rule.effective.until) if d]
        until = min(ends) if ends else None
        for name in expr_params(rule.when):
            param = params.get(name)
            if param is None:
                continue
            gap = _covered(param, start, until)
            if gap is not None:
                b.err(where, f"rule {rule.id} reads parameter {name}, which has no value on"
                             f" {gap} ({param.nearest(gap)}); give it a value or limit the"
                             " rule's effective dates")
