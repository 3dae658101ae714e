"""Compile policy conditions into closures, once, when the policy loads.

Each condition becomes a Python closure ``test(facts, params) -> True | False | None``
(``None`` is *unknown*). A decision then calls closures; it never walks the expression tree
and never evaluates text. Three-valued logic follows Kleene: ``all`` is false if any item is
false, ``any`` is true if any item is true, otherwise a single unknown makes the result
unknown; ``not`` keeps unknown.

A fact that is missing is unknown, so a comparison on it is unknown, except for an
*optional* fact, which is known to be absent: its comparisons are false. ``present`` and
``absent`` are always decided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Final, Generic, TypeVar

import attrs

from deflectkit.core.cache import BoundedCache
from deflectkit.core.policy.decision import ReferralRoute
from deflectkit.core.policy.expressions import (
    OPERATORS,
    AllOf,
    AnyOf,
    Compare,
    Expr,
    Not,
    ParamRef,
    expr_facts,
    expr_param_refs,
    expr_params,
)
from deflectkit.core.policy.facts import FactChecker, fact_checker
from deflectkit.core.policy.model import DerivedFact, PathwayRule, Policy, Route, Rule

__all__ = [
    "CHARGE_KEY",
    "CompiledPolicy",
    "CompiledRule",
    "Test",
    "compile_expr",
    "compile_policy",
    "compiled",
]

#: A compiled condition: ``test(facts, params)`` -> True, False or None (unknown).
Test = Callable[[Mapping[str, Any], Mapping[ParamRef, Any]], "bool | None"]
#: Parameter values by name (or by a tuple of names for a union), for one day.
Params = Mapping[ParamRef, Any]


def compile_expr(expr: Expr, optional: frozenset[str]) -> Test:
    """Compile ``expr``; ``optional`` names the facts whose absence is known, not unknown."""
    if isinstance(expr, Compare):
        return _compile_compare(expr, optional)
    if isinstance(expr, Not):
        inner = compile_expr(expr.item, optional)

        def negate(f: Mapping[str, Any], p: Params) -> bool | None:
            r = inner(f, p)
            return None if r is None else not r

        return negate
    tests = tuple(compile_expr(item, optional) for item in expr.items)
    if isinstance(expr, AllOf):
        return _all(tests)
    assert isinstance(expr, AnyOf)
    return _any(tests)


def _all(tests: tuple[Test, ...]) -> Test:
    def every(f: Mapping[str, Any], p: Params) -> bool | None:
        unknown = False
        for t in tests:
            r = t(f, p)
            if r is False:
                return False
            if r is None:
                unknown = True
        return None if unknown else True

    return every


def _any(tests: tuple[Test, ...]) -> Test:
    def some(f: Mapping[str, Any], p: Params) -> bool | None:
        unknown = False
        for t in tests:
            r = t(f, p)
            if r is True:
                return True
            if r is None:
                unknown = True
        return None if unknown else False

    return some


def _compile_compare(c: Compare, optional: frozenset[str]) -> Test:
    name = c.subject
    if c.op == "present":
        return lambda f, p: f.get(name) is not None
    if c.op == "absent":
        return lambda f, p: f.get(name) is None
    fn = OPERATORS[c.op].fn
    # An optional fact left out is known to be absent: comparing it gives False.
    miss: bool | None = False if name in optional else None
    if c.param is not None:
        pname = c.param
        fast = _inline_param(c.op, name, pname, miss)
        if fast is not None:
            return fast

        def with_param(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            if x is None:
                return miss
            return fn(x, p[pname])

        return with_param
    if c.other is not None:
        other = c.other
        other_miss: bool | None = False if other in optional else None

        def with_other(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            if x is None:
                return miss
            y = f.get(other)
            if y is None:
                return other_miss
            return fn(x, y)

        return with_other
    value = c.value
    fast = _inline(c.op, name, value, miss)
    if fast is not None:
        return fast

    def with_value(f: Mapping[str, Any], p: Params) -> bool | None:
        x = f.get(name)
        if x is None:
            return miss
        return fn(x, value)

    return with_value


def _inline(op: str, name: str, value: Any, miss: bool | None) -> Test | None:
    """Closures with the comparison written out, for the operators rules use most.

    They save one Python call per comparison against the general form (measured: about a
    third of rule-evaluation time), which matters because every decision runs every rule.
    """
    if op == "eq":
        def eq(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x == value

        return eq
    if op == "ne":
        def ne(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x != value

        return ne
    if op == "in":
        def isin(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x in value

        return isin
    if op == "contains_any":
        def contains(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else not value.isdisjoint(x)

        return contains
    if op == "not_in":
        def notin(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x not in value

        return notin
    if op == "subset_of":
        def subset(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else value.issuperset(x)

        return subset
    return None


def _inline_param(op: str, name: str, pname: ParamRef, miss: bool | None) -> Test | None:
    """Written-out closures for a fact compared with a parameter (see ``_inline``)."""
    if op == "ge":
        def ge(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x >= p[pname]

        return ge
    if op == "gt":
        def gt(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x > p[pname]

        return gt
    if op == "lt":
        def lt(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else x < p[pname]

        return lt
    if op == "subset_of":
        def subset(f: Mapping[str, Any], p: Params) -> bool | None:
            x = f.get(name)
            return miss if x is None else p[pname].issuperset(x)  # params hold frozensets

        return subset
    return None


#: What a compiled rule holds: a rule, a pathway rule or a route.
R = TypeVar("R", bound=Rule | PathwayRule | Route)


@attrs.frozen
class CompiledRule(Generic[R]):
    """A rule, pathway rule or route with its closure and what it reads."""

    rule: R
    test: Test
    facts: tuple[str, ...]
    params: tuple[str, ...]
    required: tuple[str, ...]  # facts read that are not optional: these can be missing
    cites: tuple[str, ...] = ()
    #: How the summary names this rule when it decides: label and short citation.
    cited: str = ""
    #: Reasons already made, by (result, observed values). Reasons are immutable, so equal
    #: verdicts on equal facts share one; this saves most of the cost of building them.
    #: Owned by this compiled rule (no module state) and bounded.
    memo: BoundedCache[tuple[Any, ...], Any] = attrs.field(
        factory=lambda: BoundedCache(512), eq=False, repr=False
    )
    #: For a route: the ``ReferralRoute`` it gives, made once.
    referral: Any = None
    #: A charge-scoped rule: it applies only when a charge is in play.
    charge_scoped: bool = False
    #: ``param`` operands as written (names, or tuples of names read as a union).
    param_refs: tuple[Any, ...] = ()
    #: For a route: the same ``ReferralRoute`` offered while the charge proceeds.
    voluntary: Any = None


@attrs.frozen
class CompiledPolicy:
    """A policy with every rule compiled, in evaluation order, plus its derived facts.

    The compiled form holds the policy; the policy itself never refers to the compiler.
    """

    policy: Policy
    safety: tuple[CompiledRule[Rule], ...]
    criteria: tuple[CompiledRule[Rule], ...]
    exclusions: tuple[CompiledRule[Rule], ...]
    pathways: tuple[CompiledRule[PathwayRule], ...]
    routes: tuple[CompiledRule[Route], ...]
    derive: Callable[[dict[str, Any]], None] | None
    check_facts: FactChecker
    #: fact name -> what an officer reads, for "missing" sentences.
    fact_labels: Mapping[str, str]
    #: When a charge is in play (``None``: never), and the facts that test reads.
    charge_in_play: Test | None = None
    charge_facts: tuple[str, ...] = ()
    #: Summaries already written, by everything they depend on (bounded; see evaluate).
    #: 8192 distinct outcomes (missing-fact sets included): the strings are small.
    summaries: BoundedCache[tuple[Any, ...], str] = attrs.field(
        factory=lambda: BoundedCache(8192), eq=False, repr=False
    )
    # Per-date evaluation plans (parameter values resolved, rules in effect), owned by this
    # instance: no module-level state, and two policies never share entries.
    # Bounded: a long backfill must not grow memory.
    _plans: BoundedCache[dt.date, Any] = attrs.field(
        factory=lambda: BoundedCache(4096), init=False, eq=False, repr=False
    )

    def plan_for(self, day: dt.date, make: Callable[[CompiledPolicy, dt.date], Any]) -> Any:
        """The evaluation plan for ``day``, made by ``make`` once and then cached here."""
        plan = self._plans.get(day)
        if plan is None:
            plan = self._plans.put(day, make(self, day))
        return plan


def compiled(policy: Policy) -> CompiledPolicy:
    """The compiled form of ``policy``, made on its first use and kept with it.

    A policy built by :func:`deflectkit.core.policy.build.build_policy` was compiled at
    load; one made another way (by hand, ``attrs.evolve``) is compiled on first use.
    """
    return policy._compiled


def _always(f: Mapping[str, Any], p: Params) -> bool | None:
    return True


#: The key under which ``assess`` keeps "is a charge in play" among a decision's own facts
#: (not a possible fact name: facts are lower_snake_case words).
CHARGE_KEY: Final = "<charge in play>"


def _charge_answer(f: Mapping[str, Any], p: Params) -> bool | None:
    answer: bool | None = f.get(CHARGE_KEY)
    return answer


def compile_policy(policy: Policy) -> CompiledPolicy:
    """Compile every condition of ``policy`` (called once, when it is built)."""
    optional = frozenset(f.name for f in policy.facts if f.optional)
    # A derived fact is missing when a fact it is made from is: name those facts instead.
    made_from = {d.name: d.args for d in policy.derived}

    def needed(names: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for n in names:
            for m in made_from.get(n, (n,)):
                if m not in optional and m not in out:
                    out.append(m)
        return tuple(out)

    in_play = policy.charge_in_play

    def one(rule: R) -> CompiledRule[R]:
        when = rule.when
        test = compile_expr(when, optional) if when is not None else _always
        if when is not None and when == in_play:
            # The same condition as "a charge is in play" (a YAML alias, typically): read the
            # answer assess has already worked out instead of deciding it twice.
            test = _charge_answer
        facts = expr_facts(when)
        return CompiledRule(
            rule,
            test,
            facts,
            expr_params(when),
            needed(facts),
            tuple(c.text() for c in rule.cite),
            _cited(rule),
            referral=ReferralRoute(rule.id, rule.need) if isinstance(rule, Route) else None,
            charge_scoped=isinstance(rule, Rule) and rule.scope == "charge",
            param_refs=expr_param_refs(when),
            voluntary=ReferralRoute(rule.id, rule.need, voluntary=True)
            if isinstance(rule, Route) else None,
        )

    return CompiledPolicy(
        policy,
        tuple(map(one, policy.safety)),
        tuple(map(one, policy.criteria)),
        tuple(map(one, policy.exclusions)),
        tuple(map(one, policy.pathways)),
        tuple(map(one, policy.routes)),
        _compile_derived(policy.derived) if policy.derived else None,
        fact_checker(policy.facts, policy.timezone),
        {f.name: f.display for f in policy.facts},
        compile_expr(in_play, optional) if in_play is not None else None,
        needed(expr_facts(in_play)) if in_play is not None else (),
    )


def _cited(rule: Rule | PathwayRule | Route) -> str:
    """How a sentence names the rule: ``weapon present``; ``adult (not met)`` for a criterion.

    Citations are left to the reasons, where each has its own line.
    """
    label = _lower_first(rule.label or rule.id)
    if isinstance(rule, Rule) and rule.kind == "criterion":
        return f"{label} (not met)"
    return label


def _lower_first(text: str) -> str:
    """``Weapon present`` -> ``weapon present``, for labels inside a sentence (not ``EMS``)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _local_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    assert isinstance(value, dt.date)
    return value


def _years_between(a: Any, b: Any) -> int:
    a, b = _local_date(a), _local_date(b)
    years = b.year - a.year - ((b.month, b.day) < (a.month, a.day))
    return int(years)


def _derivation(d: DerivedFact) -> Callable[[dict[str, Any]], None]:
    name, args = d.name, d.args
    if d.fn == "count":
        (src,) = args

        def count(f: dict[str, Any]) -> None:
            x = f.get(src)
            f[name] = None if x is None else len(x)

        return count
    first, second = args
    between: Callable[[Any, Any], int]
    if d.fn == "years_between":
        between = _years_between
    else:

        def between(a: Any, b: Any) -> int:
            return (_local_date(b) - _local_date(a)).days

    def two(f: dict[str, Any]) -> None:
        a, b = f.get(first), f.get(second)
        f[name] = None if a is None or b is None else between(a, b)

    return two


def _compile_derived(derived: tuple[DerivedFact, ...]) -> Callable[[dict[str, Any]], None]:
    steps = tuple(_derivation(d) for d in derived)

    def derive(f: dict[str, Any]) -> None:
        for step in steps:
            step(f)

    return derive
