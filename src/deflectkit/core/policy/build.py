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
import shlex
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from deflectkit.core.followup_plan import LIMITS, FollowUpPlan
from deflectkit.core.formats import format_problem
from deflectkit.core.policy import keys
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.expressions import (
    Expr,
    ExprContext,
    Issue,
    expr_params,
    parse_expr,
    suggest,
)
from deflectkit.core.policy.model import (
    EFFECTS,
    SCHEMA,
    SCHEMA_VERSION,
    SCOPES,
    Cite,
    DerivedFact,
    Effect,
    FactSpec,
    FirstMatch,
    Parameter,
    PathwayRule,
    Period,
    Policy,
    Route,
    Rule,
    RuleKind,
    Scope,
)
from deflectkit.core.policy.reading import NAME, FieldPath, Reader
from deflectkit.core.policy.serialize import to_plain_json
from deflectkit.structure import KeyTable
from deflectkit.vocabulary import NEEDS, PATHWAYS, SERVICES

__all__ = ["TOP_KEYS", "build_policy", "digest", "migrate_advice"]


def migrate_advice(source: str | None) -> str:
    """What a policy in an older format (or without its format line) is told to run.

    Example:
        >>> migrate_advice("data/policies/my town.yaml")[:52]
        "run `deflectkit migrate 'data/policies/my town.yaml'"
    """
    path = shlex.quote(source) if source else "PATH"
    return (f"run `deflectkit migrate {path} --write` on this file: it rewrites it in the"
            " current format, keeping its comments")


#: The keys at the top of a policy; ``schema`` is required too, but checked with the format
#: it names, so that a file without it is told how to add it (:func:`_read_header`).
TOP_KEYS: Final[KeyTable] = {**keys.TOP, "schema": attrs.evolve(keys.TOP["schema"], required=False)}
_ID: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-/]*$")
_REASON: Final = re.compile(r"^[A-Z][A-Z0-9_]*$")
#: Where each kind of rule lives in the document.
_PLACES: Final[dict[RuleKind, FieldPath]] = {
    "safety": ("safety",), "criterion": ("eligibility", "criteria"),
    "exclusion": ("eligibility", "exclusions"),
}
#: The effect a rule has when its file gives none (safety rules must say).
_DEFAULT_EFFECT: Final[dict[RuleKind, Effect | None]] = {
    "safety": None, "criterion": "exclude", "exclusion": "exclude",
}


def digest(data: Any) -> str:
    """``sha256:…`` of a policy's content (key order and comments do not matter)."""
    text = json.dumps(to_plain_json(data), sort_keys=True, default=str, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@attrs.frozen
class _Header:
    """The policy's identity: the top-level keys that are not rules."""

    id: str
    label: str
    timezone: str
    effective: Period
    cite: tuple[Cite, ...]


@attrs.frozen
class _Rules:
    """Every rule group of a policy, as read (pathways and routes not yet sorted)."""

    safety: list[Rule]
    criteria: list[Rule]
    exclusions: list[Rule]
    pathways: list[PathwayRule]
    routes: list[Route]
    charge_in_play: Expr | None


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
    header = _read_header(b, data, migrate_advice(source))
    facts = b.facts(data.get("facts"), ("facts",)) if "facts" in data else {}
    derived = b.derived(data.get("derived"), ("derived",), facts)
    params = b.parameters(data.get("parameters"), ("parameters",))
    ctx = _context(data, facts, derived, params)
    rules = _read_rules(b, data, ctx)
    follow_up = _follow_up(b, data.get("follow_up"))
    as_of_fact = _read_as_of_fact(b, data.get("as_of_fact"), facts)
    _check_rules(b, data, header.effective, params, rules)
    if any(i.severity == "error" for i in b.issues):
        return None, b.issues
    policy = Policy(
        id=header.id, label=header.label, timezone=header.timezone, effective=header.effective,
        facts=tuple(facts.values()), parameters=tuple(params.values()),
        safety=tuple(rules.safety), criteria=tuple(rules.criteria),
        exclusions=tuple(rules.exclusions),
        pathways=tuple(sorted(rules.pathways, key=lambda p: p.priority)),
        routes=tuple(sorted(rules.routes, key=lambda r: r.priority)),
        follow_up=follow_up, cite=header.cite, derived=tuple(derived), as_of_fact=as_of_fact,
        description=str(data.get("description", "")), digest=digest(data), source=source,
        charge_in_play=rules.charge_in_play,
    )
    compiled(policy)  # compile once, now: a defect shows at load, never at decision time
    return policy, b.issues


def _read_header(b: Reader, data: dict[str, Any], advice: str) -> _Header:
    if "schema" not in data:
        b.err(("schema",), f"policy is missing the required key 'schema', the format it is "
                           f"written in ({SCHEMA}); {advice}")
    else:
        wrong = format_problem(data["schema"], "policy", SCHEMA_VERSION, older=advice)
        if wrong is not None:
            b.err(("schema",), wrong)
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
    return _Header(str(pid), label, str(tz), effective, cite)


def _context(
    data: dict[str, Any],
    facts: dict[str, FactSpec],
    derived: list[DerivedFact],
    params: dict[str, Parameter],
) -> ExprContext:
    """What conditions may name: facts, derived facts (whole numbers) and parameters."""
    declared = {str(k) for key in ("facts", "parameters", "derived")
                if isinstance(data.get(key), dict) for k in data[key]}
    made = {d.name for d in derived}
    return ExprContext(facts, {d.name: FactSpec(d.name, "int") for d in derived}, params,
                       frozenset(declared - set(facts) - set(params) - made))


def _read_rules(b: Reader, data: dict[str, Any], ctx: ExprContext) -> _Rules:
    def reader(kind: RuleKind) -> Callable[[Any, FieldPath], Rule | None]:
        return lambda raw, path: _read_rule(b, ctx, kind, raw, path)

    safety = b.listed(data.get("safety"), ("safety",), "safety", reader("safety"))
    criteria: list[Rule] = []
    exclusions: list[Rule] = []
    eligibility = data.get("eligibility")
    if eligibility is not None and b.mapping(
        eligibility, ("eligibility",), keys.ELIGIBILITY, "eligibility"
    ):
        criteria = b.listed(eligibility.get("criteria"), _PLACES["criterion"], "criteria",
                            reader("criterion"))
        exclusions = b.listed(eligibility.get("exclusions"), _PLACES["exclusion"],
                              "exclusions", reader("exclusion"))
    pathways = b.listed(data.get("pathways"), ("pathways",), "pathways",
                        lambda raw, path: _read_pathway(b, ctx, raw, path))
    routes: list[Route] = []
    referral = data.get("referral")
    if referral is not None and b.mapping(referral, ("referral",), keys.REFERRAL, "referral"):
        routes = b.listed(referral["routes"], ("referral", "routes"), "routes",
                          lambda raw, path: _read_route(b, ctx, raw, path))
    in_play = _read_charge(b, ctx, data.get("charge")) if "charge" in data else None
    return _Rules(safety, criteria, exclusions, pathways, routes, in_play)


def _read_charge(b: Reader, ctx: ExprContext, raw: Any) -> Expr | None:
    """``charge: {in_play: EXPR}``: when an offense could be charged."""
    if not b.mapping(raw, ("charge",), keys.CHARGE, "charge"):
        return None
    return parse_expr(raw["in_play"], ("charge", "in_play"), ctx, b.issues)


def _read_effect(b: Reader, kind: RuleKind, raw: dict[str, Any], path: FieldPath) -> Effect:
    effect = raw.get("effect", _DEFAULT_EFFECT[kind])
    if kind == "criterion" and effect == "require":
        return "exclude"  # the first format's only criterion effect: a failure excludes
    if effect not in EFFECTS:
        b.err((*path, "effect"), f"effect must be one of {', '.join(EFFECTS)},"
                                 f" got {effect!r}{suggest(effect, EFFECTS)}")
        return "exclude"
    return cast("Effect", effect)


def _read_scope(b: Reader, raw: dict[str, Any], path: FieldPath) -> Scope:
    scope = raw.get("scope", "encounter")
    if scope not in SCOPES:
        b.err((*path, "scope"), f"scope must be one of {', '.join(SCOPES)},"
                                f" got {scope!r}{suggest(scope, SCOPES)}")
        return "encounter"
    return cast("Scope", scope)


def _read_rule(
    b: Reader, ctx: ExprContext, kind: RuleKind, raw: Any, path: FieldPath
) -> Rule | None:
    """A safety rule, criterion or exclusion; ``None`` (and issues) when it is unusable."""
    if not b.mapping(raw, path, keys.RULE, f"{kind} rule"):
        return None
    when = parse_expr(raw["when"], (*path, "when"), ctx, b.issues)
    reason = raw["reason"]
    if not isinstance(reason, str) or not _REASON.match(reason):
        b.err((*path, "reason"), f"reason must be an UPPER_SNAKE code, got {reason!r}")
    effect = _read_effect(b, kind, raw, path)
    scope = _read_scope(b, raw, path)
    first_step = raw.get("first_step")
    if first_step is not None and (not isinstance(first_step, str) or not NAME.match(first_step)):
        b.err((*path, "first_step"), "first_step is a lower_snake_case word")
    cites = b.cites(raw["cite"], (*path, "cite"), required=True)
    effective = b.period(raw["effective"], (*path, "effective")) if "effective" in raw else Period()
    if when is None:
        return None
    return Rule(str(raw["id"]), kind, b.text(raw, "label", path), str(reason), cites, when,
                effect, first_step, effective, str(raw.get("description", "")), scope)


def _read_first_match(
    b: Reader, ctx: ExprContext, raw: Any, path: FieldPath, *, table: KeyTable, what: str
) -> dict[str, Any] | None:
    """The fields pathway rules and routes share (:class:`FirstMatch`); ``None`` on error."""
    if not b.mapping(raw, path, table, what):
        return None
    priority = raw["priority"]
    if not isinstance(priority, int) or isinstance(priority, bool):
        b.err((*path, "priority"), "priority is a whole number (lower comes first)")
        return None
    default = raw.get("default", False)
    if not isinstance(default, bool):
        b.err((*path, "default"), "default is true or false")
        return None
    if default == ("when" in raw):
        b.err(path, f"a {what} has either a 'when' condition or 'default: true'")
        return None
    when = parse_expr(raw["when"], (*path, "when"), ctx, b.issues) if "when" in raw else None
    if "when" in raw and when is None:
        return None
    return attrs.asdict(FirstMatch(
        id=str(raw["id"]), priority=priority, when=when, default=default,
        label=str(raw.get("label", "")),
        cite=b.cites(raw.get("cite"), (*path, "cite"), required=False),
        effective=b.period(raw["effective"], (*path, "effective"))
        if "effective" in raw else Period(),
    ), recurse=False)


def _read_pathway(b: Reader, ctx: ExprContext, raw: Any, path: FieldPath) -> PathwayRule | None:
    parts = _read_first_match(b, ctx, raw, path, table=keys.PATHWAY, what="pathway rule")
    if parts is None:
        return None
    pathway = raw["pathway"]
    if not isinstance(pathway, str) or pathway not in PATHWAYS:
        b.err((*path, "pathway"), f"{pathway!r} is not a deflection pathway"
                                  f"{suggest(pathway, PATHWAYS.words)};"
                                  f" use one of: {', '.join(PATHWAYS.words)}")
        return None
    return PathwayRule(pathway=pathway, **parts)


def _read_route(b: Reader, ctx: ExprContext, raw: Any, path: FieldPath) -> Route | None:
    parts = _read_first_match(b, ctx, raw, path, table=keys.ROUTE, what="referral route")
    if parts is None:
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
            b.err((*path, "services"), f"{s!r} is not a service word{suggest(s, SERVICES.words)}")
    if bad:
        return None
    return Route(need=tuple(need), services=tuple(services), **parts)


def _read_as_of_fact(b: Reader, raw: Any, facts: dict[str, FactSpec]) -> str | None:
    if raw is None:
        return next((n for n in ("contact_at", "contact_date") if n in facts), None)
    if not isinstance(raw, str) or raw not in facts or facts[raw].type not in ("date", "datetime"):
        b.err(("as_of_fact",), f"as_of_fact must name a declared date or datetime fact,"
                               f" got {raw!r}")
        return None
    return raw


def _check_rules(
    b: Reader, data: dict[str, Any], effective: Period, params: dict[str, Parameter],
    rules: _Rules,
) -> None:
    """Checks across rules: unique ids and priorities, dated parameters, charge scope."""
    index_of = _rule_positions(data)
    _check_ids(b, index_of, rules.safety, rules.criteria, rules.exclusions, rules.pathways,
               rules.routes)
    _check_priorities(b, rules.pathways, "pathways", ("pathways",))
    _check_priorities(b, rules.routes, "routes", ("referral", "routes"))
    _check_coverage(b, index_of, effective, params, rules)
    if rules.charge_in_play is None and "charge" not in data:
        for r in (*rules.safety, *rules.criteria, *rules.exclusions):
            if r.scope == "charge":
                idx = index_of(_PLACES[r.kind], r.id)
                b.err((*_PLACES[r.kind], idx if idx is not None else 0, "scope"),
                      f"rule {r.id} has scope: charge, but the policy never says when a charge"
                      " is in play; add charge: {in_play: …} or make the rule scope: encounter")
    if not rules.pathways and "pathways" in data and not b.issues:
        b.err(("pathways",), "a policy needs at least one pathway rule")


def _follow_up(b: Reader, raw: Any) -> FollowUpPlan:
    if raw is None:
        return FollowUpPlan()
    if not b.mapping(raw, ("follow_up",), keys.FOLLOW_UP, "follow_up"):
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
        if max(v, default=0) > LIMITS[k] if isinstance(v, list) else v > LIMITS[k]:
            b.err(("follow_up", k), f"{k} must be at most {LIMITS[k]}")
            return FollowUpPlan()
    try:
        return FollowUpPlan(**raw)
    except (ValueError, TypeError) as exc:
        b.err(("follow_up",), str(exc))
        return FollowUpPlan()


def _check_ids(
    b: Reader, index_of: _IndexOf, *groups: Iterable[Rule | PathwayRule | Route]
) -> None:
    seen: dict[str, str] = {}
    places: dict[int, FieldPath] = {
        0: ("safety",), 1: ("eligibility", "criteria"), 2: ("eligibility", "exclusions"),
        3: ("pathways",), 4: ("referral", "routes"),
    }
    for g, group in enumerate(groups):
        for i, rule in enumerate(group):
            if rule.id in seen:
                index = index_of(places[g], rule.id)
                where = (*places[g], index if index is not None else i, "id")
                b.err(where, f"duplicate id {rule.id!r} (already used in {seen[rule.id]});"
                             " ids must be unique")
            else:
                seen[rule.id] = ".".join(map(str, places[g]))


#: ``(place, rule id) -> position`` of a rule in the document (see :func:`_rule_positions`).
_IndexOf = Callable[[FieldPath, str], int | None]


def _rule_positions(data: dict[str, Any]) -> _IndexOf:
    """Where each rule sits in the document, each list of rules read once.

    A policy may hold thousands of rules, and searching its list for each one made the
    checks quadratic. A repeated id gives its last position, the one a duplicate-id error
    points at.
    """
    lists: dict[FieldPath, dict[str, int]] = {}

    def index_of(place: FieldPath, rule_id: str) -> int | None:
        if place not in lists:
            node: Any = data
            for part in place:
                node = node.get(part) if isinstance(node, dict) else None
            items = node if isinstance(node, list) else []
            lists[place] = {x["id"]: i for i, x in enumerate(items)
                            if isinstance(x, dict) and isinstance(x.get("id"), str)}
        return lists[place].get(rule_id)

    return index_of


def _check_priorities(
    b: Reader, rules: Sequence[PathwayRule | Route], what: str, place: FieldPath
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


def _check_coverage(
    b: Reader, index_of: _IndexOf, effective: Period, params: dict[str, Parameter],
    rules: _Rules,
) -> None:
    """Every parameter a condition reads has a value on every day the condition applies."""
    conditions: list[tuple[str, Expr | None, Period, FieldPath]] = []
    for r in (*rules.safety, *rules.criteria, *rules.exclusions):
        idx = index_of(_PLACES[r.kind], r.id)
        conditions.append((r.id, r.when, r.effective,
                           (*_PLACES[r.kind], idx if idx is not None else 0, "when")))
    for group, place in ((rules.pathways, ("pathways",)), (rules.routes, ("referral", "routes"))):
        for fm in group:
            idx = index_of(place, fm.id)
            conditions.append((fm.id, fm.when, fm.effective,
                               (*place, idx if idx is not None else 0, "when")))
    if rules.charge_in_play is not None:
        conditions.append(("charge.in_play", rules.charge_in_play, Period(), ("charge", "in_play")))
    for rule_id, when, period, where in conditions:
        start = max(d for d in (effective.start, period.start, dt.date.min) if d)
        ends = [d for d in (effective.until, period.until) if d]
        until = min(ends) if ends else None
        for name in expr_params(when):
            param = params.get(name)
            if param is None:
                continue
            gap = _covered(param, start, until)
            if gap is not None:
                b.err(where, f"rule {rule_id} reads parameter {name}, which has no value on"
                             f" {gap} ({param.nearest(gap)}); give it a value or limit the"
                             " rule's effective dates")
