"""What a policy change would have done to past encounters: ``dk.impact``.

Each encounter is decided twice, with :func:`~deflectkit.core.policy.evaluate.assess`: once
under the old policy (or the old date) and once under the new. Nothing else decides, so
every count here is what ``dk.assess`` gives row by row. The two decisions are compared on
four things, the *outcome*: the status, the charge, the pathway and the referral (its route,
and whether it is voluntary). An encounter is **changed** when any of them differs.

For a changed encounter, the **rules that caused it** are the rules whose result differs
between the two decisions (a rule that hit, failed or was undecided on one side and not on
the other), plus the two referral routes when both decisions refer but by different routes.
Its **facts that mattered** are the facts those rules read (and, when the pathway changed,
the facts the pathway rules read); an example never shows any other fact.

Memory. One pass, no list of encounters: the state is one counter per distinct combination
of (old outcome, new outcome, rules that changed), which is bounded by the policies, not by
the number of encounters, plus at most ``examples`` examples per transition.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from deflectkit.convert import register_unstructure_hook
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.decision import (
    CHARGES,
    STATUSES,
    Charge,
    Decision,
    Observed,
    Status,
    jsonable,
)
from deflectkit.core.policy.evaluate import assess
from deflectkit.core.policy.model import Policy
from deflectkit.errors import PolicyError, Problem

__all__ = [
    "CHARGE_IN_PLAY",
    "DEFAULT_EXAMPLES",
    "MAX_EXAMPLES",
    "Encounter",
    "Example",
    "Impact",
    "Outcome",
    "PathwayChange",
    "RuleCount",
    "SideSummary",
    "Tally",
    "Transition",
    "count",
    "impact",
    "outcome",
    "summarise",
]

#: Examples kept per transition unless asked otherwise.
DEFAULT_EXAMPLES: Final = 3
#: At most this many examples per transition, whatever is asked (they are kept in memory).
MAX_EXAMPLES: Final = 100


@attrs.frozen
class Encounter:
    """One de-identified encounter: its facts and where it came from.

    Attributes:
        line: the line of the file it was read from (or its 1-based position).
        facts: fact name -> value, typed as the policy declares; a fact left out is missing.
    """

    line: int
    facts: Mapping[str, Any]


@attrs.frozen(cache_hash=True)  # counted by the million: hash once per distinct outcome
class Outcome:
    """What one decision advises, as far as a policy change can alter it.

    Attributes:
        status: the decision's status.
        charge: ``none``, ``deflect``, ``review``, ``proceed`` or ``pending`` (always
            ``none`` under a policy that does not say when a charge is in play).
        pathway: the deflection pathway, if decided.
        referral: the referral route's id, or ``None`` when no referral is offered.
        voluntary: the referral is offered as voluntary (the charge proceeds).
    """

    status: Status
    charge: Charge
    pathway: str | None
    referral: str | None
    voluntary: bool = False


@attrs.frozen
class RuleCount:
    """A rule and the number of changed encounters whose change it took part in."""

    id: str
    count: int


@attrs.frozen
class Example:
    """A changed encounter, shown by its line and only the facts that mattered.

    Attributes:
        line: the encounter's line in the file.
        before: its outcome under the old side.
        after: its outcome under the new side.
        rules: the rules whose result differs.
        facts: the facts those rules read, in their JSON form (``None`` when missing).
    """

    line: int
    before: Outcome
    after: Outcome
    rules: tuple[str, ...]
    facts: Mapping[str, Any]


@attrs.frozen
class Transition:
    """Encounters that went from one (status, charge) to another (or stayed).

    Attributes:
        from_status: the status under the old side.
        from_charge: the charge under the old side.
        to_status: the status under the new side.
        to_charge: the charge under the new side.
        count: encounters with this transition.
        changed: of those, encounters whose outcome changed (the pathway or the referral
            can change while the status and the charge stay).
        rules: the rules that caused the changes, most frequent first.
        examples: up to the number asked, in file order.
    """

    from_status: str
    from_charge: str
    to_status: str
    to_charge: str
    count: int
    changed: int
    rules: tuple[RuleCount, ...]
    examples: tuple[Example, ...]


@attrs.frozen
class PathwayChange:
    """Encounters whose pathway went from one word to another (``None``: undecided)."""

    before: str | None
    after: str | None
    count: int


@attrs.frozen
class SideSummary:
    """One side of the comparison: which policy, on which day, and its counts.

    Attributes:
        policy: the policy id.
        digest: the policy's digest (``sha256:…``).
        as_of: the day every encounter was decided on, or ``None`` for each one's own
            contact date.
        by_status: encounters by status, every status listed.
        by_charge: encounters by charge.
        by_pathway: encounters by pathway (``None``: undecided).
        referrals: encounters with a referral (voluntary ones included).
        voluntary: encounters with a voluntary referral.
    """

    policy: str
    digest: str
    as_of: dt.date | None
    by_status: Mapping[str, int]
    by_charge: Mapping[str, int]
    by_pathway: Mapping[str | None, int]
    referrals: int
    voluntary: int


@attrs.frozen
class Impact:
    """What changing from one policy (or date) to another does to a set of encounters.

    Convert it with ``dk.to_json(impact)``; the shape is documented in the guide
    (``docs/guide/impact.md``).

    Attributes:
        encounters: encounters decided.
        changed: encounters whose status, charge, pathway or referral differs.
        gained_referral: encounters with no referral before and one after.
        lost_referral: encounters with a referral before and none after.
        old: the old side's policy, day and counts.
        new: the new side's.
        transitions: by (status, charge) before and after; changed ones first, each group
            by count, largest first.
        pathways: pathway changes, largest first.
        rules: every rule that caused a change, with the encounters it changed.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> result = dk.impact(policy, policy, [{"contact_at": "2025-03-01T10:00:00-07:00"}])
        >>> result.encounters, result.changed
        (1, 0)
    """

    encounters: int
    changed: int
    gained_referral: int
    lost_referral: int
    old: SideSummary
    new: SideSummary
    transitions: tuple[Transition, ...]
    pathways: tuple[PathwayChange, ...]
    rules: tuple[RuleCount, ...]


def outcome(decision: Decision) -> Outcome:
    """The parts of a decision a policy change can alter."""
    referral = decision.referral
    if referral is None:
        return Outcome(decision.status, decision.charge, decision.pathway, None)
    return Outcome(decision.status, decision.charge, decision.pathway, referral.route,
                   referral.voluntary)


def _results(decision: Decision) -> dict[str, str]:
    return {r.id: r.result for r in decision.reasons}


#: Named among the rules when a charge is in play on one side only: the policy's
#: ``charge: {in_play: …}`` test (or a parameter it reads) decided differently.
CHARGE_IN_PLAY: Final = "charge.in_play"


def _rules_changed(before: Decision, after: Decision, same_route: bool) -> tuple[str, ...]:
    """Rules whose result differs (a rule not listed passed or did not apply)."""
    old, new = _results(before), _results(after)
    ids = {i for i in old.keys() | new.keys() if old.get(i, "pass") != new.get(i, "pass")}
    if not same_route and before.referral is not None and after.referral is not None:
        ids.update((before.referral.route, after.referral.route))
    if (before.charge == "none") != (after.charge == "none"):
        ids.add(CHARGE_IN_PLAY)
    return tuple(sorted(ids))


class _Reads:
    """Which facts each rule reads, in either policy (derived facts traced to their sources)."""

    def __init__(self, *policies: Policy) -> None:
        self.by_rule: dict[str, list[str]] = {}
        self.pathways: list[str] = []
        for policy in policies:
            made_from = {d.name: d.args for d in policy.derived}
            cp = compiled(policy)
            in_play = self.by_rule.setdefault(CHARGE_IN_PLAY, [])
            in_play += [n for n in cp.charge_facts if n not in in_play]
            for group in (cp.safety, cp.criteria, cp.exclusions, cp.pathways, cp.routes):
                for cr in group:
                    names = self.by_rule.setdefault(cr.rule.id, [])
                    for fact in cr.facts:
                        for source in made_from.get(fact, (fact,)):
                            if source not in names:
                                names.append(source)
                    if group is cp.pathways:
                        self.pathways += [n for n in names if n not in self.pathways]

    def facts(self, rules: tuple[str, ...], pathway_changed: bool) -> list[str]:
        out: list[str] = list(self.pathways) if pathway_changed else []
        for rule in rules:
            out += [n for n in self.by_rule.get(rule, ()) if n not in out]
        return out


@attrs.define
class _Side:
    """One side's policy and day, and how to give it only the facts it declares."""

    policy: Policy
    as_of: dt.date | None
    declared: frozenset[str] | None  # None: it declares every fact the encounters may hold

    def decide(self, facts: Mapping[str, Any]) -> Decision:
        if self.declared is not None:
            facts = {k: v for k, v in facts.items() if k in self.declared}
        return assess(self.policy, facts, as_of=self.as_of)


def _sides(
    old: Policy, new: Policy, old_as_of: dt.date | None, new_as_of: dt.date | None
) -> tuple[_Side, _Side]:
    old_facts = frozenset(f.name for f in old.facts)
    new_facts = frozenset(f.name for f in new.facts)
    if old_facts == new_facts:
        return _Side(old, old_as_of, None), _Side(new, new_as_of, None)
    # A fact only one policy declares is given to that policy only (the other would refuse
    # it as unknown); to that policy, a fact the file lacks is simply missing.
    return _Side(old, old_as_of, old_facts), _Side(new, new_as_of, new_facts)


_Key = tuple[str, str, str, str]  # (from status, from charge, to status, to charge)


@attrs.define
class Tally:
    """What :func:`count` gathered: counters and examples, before they are summarised.

    Tallies of parts of one file add up (:meth:`merge`), so a large file can be counted in
    parts, side by side, and summarised once. Memory: one counter per distinct
    (old outcome, new outcome, rules) and at most ``keep`` examples a transition.
    """

    keep: int
    counts: Counter[tuple[Outcome, Outcome, tuple[str, ...]]] = attrs.Factory(Counter)
    kept: dict[_Key, list[Example]] = attrs.Factory(dict)

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts; keep the examples of the earliest lines."""
        self.counts.update(other.counts)
        for key, examples in other.kept.items():
            mine = self.kept.setdefault(key, [])
            mine.extend(examples)
            mine.sort(key=lambda e: e.line)
            del mine[self.keep:]


def count(
    old: Policy,
    new: Policy,
    encounters: Iterable[Encounter | Mapping[str, Any]],
    *,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    examples: int = DEFAULT_EXAMPLES,
    source: str = "encounters",
) -> Tally:
    """Decide every encounter under both sides and count the outcomes (see :func:`impact`)."""
    tally = Tally(max(0, min(examples, MAX_EXAMPLES)))
    before_side, after_side = _sides(old, new, old_as_of, new_as_of)
    reads = _Reads(old, new)
    counts, kept, keep = tally.counts, tally.kept, tally.keep
    # One Outcome per distinct outcome: equal outcomes are then the same object, and an
    # unchanged encounter costs an identity test and one counter increment.
    made: dict[tuple[Any, ...], Outcome] = {}

    def outcome_of(d: Decision) -> Outcome:
        r = d.referral
        key = (d.status, d.charge, d.pathway, r.route, r.voluntary) if r else (
            d.status, d.charge, d.pathway)
        o = made.get(key)
        if o is None:
            o = made[key] = outcome(d)
        return o

    position = 0
    for item in encounters:
        position += 1
        if isinstance(item, Encounter):
            line, facts = item.line, item.facts
        else:
            line, facts = position, item
        try:
            before = before_side.decide(facts)
            after = after_side.decide(facts)
        except PolicyError as exc:
            raise _on_line(exc, source, line) from None
        a, b = outcome_of(before), outcome_of(after)
        if a is b:
            counts[a, b, ()] += 1
            continue
        rules = _rules_changed(before, after, a.referral == b.referral)
        counts[a, b, rules] += 1
        shown = kept.setdefault((a.status, a.charge, b.status, b.charge), [])
        if len(shown) < keep:
            names = reads.facts(rules, a.pathway != b.pathway)
            seen = Observed({n: jsonable(facts.get(n)) for n in names})
            shown.append(Example(line, a, b, rules, seen))
    return tally


def impact(
    old: Policy,
    new: Policy,
    encounters: Iterable[Encounter | Mapping[str, Any]],
    *,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
    examples: int = DEFAULT_EXAMPLES,
    source: str = "encounters",
) -> Impact:
    """Decide every encounter under ``old`` and under ``new`` and count what changes.

    Args:
        old: the policy in force (or the same policy, with ``old_as_of``).
        new: the proposed policy (or the same policy, with ``new_as_of``).
        encounters: :class:`Encounter` values (from
            :func:`deflectkit.files.encounters.read_encounters`) or plain facts mappings,
            numbered from 1. Read once, as a stream.
        old_as_of: decide the old side on this day; default: each encounter's contact date.
        new_as_of: the same for the new side (a dated change: one policy, two days).
        examples: examples kept per transition (0 to 100).
        source: the name of the encounters' file, for error messages.

    Returns:
        The counts on each side, the transitions, the rules that caused them and examples.

    Raises:
        PolicyError: an encounter cannot be decided (facts of a wrong type, a day on which
            a policy is not in effect); the problem names the encounter's line.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> facts = {"contact_at": "2025-03-01T10:00:00-07:00", "age": 16}
        >>> result = dk.impact(policy, policy, [facts], new_as_of=dt.date(2025, 3, 1))
        >>> result.old.by_status["needs_info"], result.changed
        (1, 0)
    """
    tally = count(old, new, encounters, old_as_of=old_as_of, new_as_of=new_as_of,
                  examples=examples, source=source)
    return summarise(tally, old, new, old_as_of=old_as_of, new_as_of=new_as_of)


def _on_line(exc: PolicyError, source: str, line: int) -> PolicyError:
    problems = [Problem(source, line, None, p.field, p.message) for p in exc.problems]
    return PolicyError(problems, f"{source}:{line}: the encounter cannot be decided")


def _side_summary(side: _Side, outcomes: Counter[Outcome]) -> SideSummary:
    by_status: dict[str, int] = dict.fromkeys(STATUSES, 0)
    by_charge: dict[str, int] = dict.fromkeys(CHARGES, 0)
    by_pathway: Counter[str | None] = Counter()
    referrals = voluntary = 0
    for o, n in outcomes.items():
        by_status[o.status] = by_status.get(o.status, 0) + n
        by_charge[o.charge] += n
        by_pathway[o.pathway] += n
        referrals += n if o.referral is not None else 0
        voluntary += n if o.voluntary else 0
    return SideSummary(
        side.policy.id,
        side.policy.digest,
        side.as_of,
        MappingProxyType(by_status),
        MappingProxyType(by_charge),
        MappingProxyType(dict(by_pathway.most_common())),
        referrals,
        voluntary,
    )


def _ranked(counts: Counter[str]) -> tuple[RuleCount, ...]:
    return tuple(RuleCount(i, n) for i, n in sorted(counts.items(), key=lambda x: (-x[1], x[0])))


def summarise(
    tally: Tally,
    old: Policy,
    new: Policy,
    *,
    old_as_of: dt.date | None = None,
    new_as_of: dt.date | None = None,
) -> Impact:
    """The :class:`Impact` of a :class:`Tally` made by :func:`count` with these sides."""
    before_side, after_side = _sides(old, new, old_as_of, new_as_of)
    kept = tally.kept
    olds: Counter[Outcome] = Counter()
    news: Counter[Outcome] = Counter()
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    group_rules: dict[tuple[str, str, str, str], Counter[str]] = {}
    pathways: Counter[tuple[str | None, str | None]] = Counter()
    all_rules: Counter[str] = Counter()
    changed = gained = lost = 0
    for (a, b, rules), n in tally.counts.items():
        olds[a] += n
        news[b] += n
        key = (a.status, a.charge, b.status, b.charge)
        count = groups.setdefault(key, [0, 0])
        count[0] += n
        rule_counts = group_rules.setdefault(key, Counter())
        if a == b:
            continue
        count[1] += n
        changed += n
        gained += n if a.referral is None and b.referral is not None else 0
        lost += n if a.referral is not None and b.referral is None else 0
        if a.pathway != b.pathway:
            pathways[a.pathway, b.pathway] += n
        for rule in rules:
            rule_counts[rule] += n
            all_rules[rule] += n
    transitions = [
        Transition(*key, total, moved, _ranked(group_rules[key]), tuple(kept.get(key, ())))
        for key, (total, moved) in groups.items()
    ]
    transitions.sort(key=lambda t: (t.changed == 0, -t.changed, -t.count,
                                    t.from_status, t.from_charge, t.to_status, t.to_charge))
    return Impact(
        encounters=sum(tally.counts.values()),
        changed=changed,
        gained_referral=gained,
        lost_referral=lost,
        old=_side_summary(before_side, olds),
        new=_side_summary(after_side, news),
        transitions=tuple(transitions),
        pathways=tuple(
            PathwayChange(p, q, n)
            for (p, q), n in sorted(pathways.items(), key=lambda x: (-x[1], str(x[0])))
        ),
        rules=_ranked(all_rules),
    )


def _outcome_json(o: Outcome) -> dict[str, Any]:
    return {"status": o.status, "charge": o.charge, "pathway": o.pathway,
            "referral": o.referral, "voluntary": o.voluntary}


def _side_json(s: SideSummary) -> dict[str, Any]:
    return {
        "policy": s.policy,
        "digest": s.digest,
        "as_of": s.as_of.isoformat() if s.as_of else None,
        "by_status": dict(s.by_status),
        "by_charge": dict(s.by_charge),
        "by_pathway": {k or "undecided": v for k, v in s.by_pathway.items()},
        "referrals": s.referrals,
        "voluntary_referrals": s.voluntary,
    }


def _impact_json(i: Impact) -> dict[str, Any]:
    """The documented JSON shape (``docs/guide/impact.md``)."""
    return {
        "schema": "deflectkit/impact@1",
        "encounters": i.encounters,
        "changed": i.changed,
        "gained_referral": i.gained_referral,
        "lost_referral": i.lost_referral,
        "old": _side_json(i.old),
        "new": _side_json(i.new),
        "transitions": [
            {
                "from": {"status": t.from_status, "charge": t.from_charge},
                "to": {"status": t.to_status, "charge": t.to_charge},
                "count": t.count,
                "changed": t.changed,
                "rules": [r.id for r in t.rules],
                "rule_counts": {r.id: r.count for r in t.rules},
                "examples": [
                    {"line": e.line, "before": _outcome_json(e.before),
                     "after": _outcome_json(e.after), "rules": list(e.rules),
                     "facts": {k: list(v) if isinstance(v, tuple) else v
                               for k, v in e.facts.items()}}
                    for e in t.examples
                ],
            }
            for t in i.transitions
        ],
        "pathways": [{"from": p.before, "to": p.after, "count": p.count} for p in i.pathways],
        "rules": {r.id: r.count for r in i.rules},
    }


register_unstructure_hook(Impact, _impact_json)
