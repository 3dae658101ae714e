"""The closed expression language of policy rules: nodes, the operator table, type checks.

A condition is one of ``all: [..]``, ``any: [..]``, ``not: node`` or a comparison
``{fact|derived: NAME, op: OP, value|param|other: ..}``. There is no ``eval`` and no way to
call Python from a policy: the operators are the fixed table :data:`OPERATORS`, in the
manner of ``packaging``'s marker operators, and every comparison is type-checked when the
policy loads (a date is never compared with a number, a word never with an unknown word).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from deflectkit.core.policy.model import FactSpec, Parameter
from deflectkit.errors import MAX_PROBLEMS_PER_FILE
from deflectkit.spelling import aside, closest
from deflectkit.structure import Issue, unknown_key

__all__ = [
    "OPERATORS",
    "OPERATOR_ALIASES",
    "AllOf",
    "AnyOf",
    "Compare",
    "Expr",
    "ExprContext",
    "Issue",
    "Not",
    "OpName",
    "Operator",
    "ParamRef",
    "check_value",
    "comparisons",
    "describe",
    "expr_facts",
    "expr_param_refs",
    "expr_params",
    "operator_hint",
    "param_names",
    "parse_expr",
    "suggest",
    "value_fault",
]


#: The closed set of operator words (the keys of :data:`OPERATORS`).
OpName = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "between", "present",
                 "absent", "contains_any", "subset_of"]

#: A parameter operand: one name, or several whose list values are joined (a union).
ParamRef = str | tuple[str, ...]


@attrs.frozen
class Compare:
    """``{fact: age, op: ge, param: min_age}``: one subject, one operator, one operand.

    ``param`` may name several list parameters (``param: [eligible_offenses,
    review_offenses]``): the operand is then every word of any of them.
    """

    subject: str
    op: OpName
    value: Any = None
    param: ParamRef | None = None
    other: str | None = None
    derived: bool = False


@attrs.frozen
class AllOf:
    """True when every item is true; false when any is false; otherwise unknown."""

    items: tuple[Expr, ...]


@attrs.frozen
class AnyOf:
    """True when any item is true; false when every item is false; otherwise unknown."""

    items: tuple[Expr, ...]


@attrs.frozen
class Not:
    """The negation; unknown stays unknown."""

    item: Expr


Expr = Compare | AllOf | AnyOf | Not

_SCALARS: Final = frozenset({"bool", "int", "float", "str", "enum", "date", "datetime"})
_ORDERED: Final = frozenset({"int", "float", "date", "datetime"})


def _as_set(y: Any) -> frozenset[Any]:
    return y if isinstance(y, frozenset) else frozenset(y)


@attrs.frozen
class Operator:
    """One entry of the operator table.

    Attributes:
        name: the word written in ``op:``.
        operand: what the operand is: ``none``, ``scalar`` (one value of the fact's type),
            ``list`` (a list of such values), ``pair`` (``[low, high]``) or ``words`` (a
            list of the list fact's words).
        types: the fact types it applies to.
        fn: ``fn(fact_value, operand) -> bool``; called only with a present fact value.
        text: how it reads in explanations.
    """

    name: OpName
    operand: Literal["none", "scalar", "list", "pair", "words"]
    types: frozenset[str]
    fn: Callable[[Any, Any], bool]
    text: str


def _op(
    name: OpName, operand: Any, types: Iterable[str], fn: Callable[[Any, Any], bool], text: str
) -> tuple[str, Operator]:
    return name, Operator(name, operand, frozenset(types), fn, text)


#: The closed operator table. An operator not listed here is a load error.
OPERATORS: Final[Mapping[str, Operator]] = dict(
    [
        _op("eq", "scalar", _SCALARS, lambda x, y: bool(x == y), "is"),
        _op("ne", "scalar", _SCALARS, lambda x, y: bool(x != y), "is not"),
        _op("lt", "scalar", _ORDERED, lambda x, y: bool(x < y), "is less than"),
        _op("le", "scalar", _ORDERED, lambda x, y: bool(x <= y), "is at most"),
        _op("gt", "scalar", _ORDERED, lambda x, y: bool(x > y), "is more than"),
        _op("ge", "scalar", _ORDERED, lambda x, y: bool(x >= y), "is at least"),
        _op("in", "list", _SCALARS - {"bool"}, lambda x, y: x in y, "is one of"),
        _op("not_in", "list", _SCALARS - {"bool"}, lambda x, y: x not in y, "is none of"),
        # min/max, not y[0]/y[1]: a parameter's list value is held as a frozenset.
        _op("between", "pair", _ORDERED, lambda x, y: bool(min(y) <= x <= max(y)),
            "is between (inclusive)"),
        _op("present", "none", _SCALARS | {"list"}, lambda x, y: True, "is given"),
        _op("absent", "none", _SCALARS | {"list"}, lambda x, y: False, "is not given"),
        _op("contains_any", "words", {"list"},
            lambda x, y: not _as_set(y).isdisjoint(x), "includes any of"),
        _op("subset_of", "words", {"list"},
            lambda x, y: _as_set(y).issuperset(x), "lists only words from"),
    ]
)

#: The keys of a comparison, in the order messages list them.
_COMPARE_KEYS: Final = ("fact", "derived", "op", "value", "param", "other")

#: Operator spellings people bring from SQL, JavaScript, Python, MongoDB, spreadsheets,
#: mapped to ours. Used only to word the error message: an alias is never accepted, because
#: a rule must read the same to everyone who reviews the file. ``difflib`` alone gets these
#: wrong in a way that changes meaning (``gte`` is closest to ``gt``, which would quietly
#: turn ``age >= 18`` into ``age > 18``).
OPERATOR_ALIASES: Final[Mapping[str, OpName]] = {
    "==": "eq", "=": "eq", "===": "eq", "eq?": "eq", "equals": "eq", "equal": "eq",
    "is": "eq",
    "!=": "ne", "<>": "ne", "!==": "ne", "neq": "ne", "not_eq": "ne", "not_equal": "ne",
    "not_equals": "ne", "is_not": "ne", "isnot": "ne",
    "<": "lt", "less_than": "lt", "lessthan": "lt",
    "<=": "le", "=<": "le", "lte": "le", "less_or_equal": "le", "at_most": "le", "max": "le",
    ">": "gt", "greater_than": "gt", "greaterthan": "gt",
    ">=": "ge", "=>": "ge", "gte": "ge", "greater_or_equal": "ge", "at_least": "ge",
    "min": "ge",
    "in_list": "in", "one_of": "in", "is_in": "in", "isin": "in", "any_of": "in",
    "nin": "not_in", "not in": "not_in", "notin": "not_in", "none_of": "not_in",
    "is_not_in": "not_in",
    "range": "between", "in_range": "between",
    "exists": "present", "given": "present", "is_set": "present", "not_null": "present",
    "not_exists": "absent", "missing": "absent", "is_null": "absent", "null": "absent",
    "contains": "contains_any", "includes": "contains_any", "has": "contains_any",
    "has_any": "contains_any", "overlaps": "contains_any",
    "subset": "subset_of", "only": "subset_of", "within": "subset_of", "all_in": "subset_of",
}


def operator_hint(word: object) -> str:
    """`` (did you mean 'ge'?)`` for an operator word we do not know, else ``""``.

    A known alias (``gte``, ``>=``, ``!=`` …) gives its exact equivalent; any other word
    gets the closest operator by spelling.

    Example:
        >>> operator_hint("gte"), operator_hint(">="), operator_hint("gt ")
        (" (did you mean 'ge'?)", " (did you mean 'ge'?)", " (did you mean 'gt'?)")
    """
    if isinstance(word, str):
        alias = OPERATOR_ALIASES.get(word.strip().lower())
        if alias is not None:
            return aside(alias)
    return suggest(word, OPERATORS)


@attrs.frozen
class ExprContext:
    """What a condition may refer to: declared facts, derived facts, parameters."""

    facts: Mapping[str, FactSpec]
    derived: Mapping[str, FactSpec]
    parameters: Mapping[str, Parameter]
    #: Names declared but invalid (already reported): using them is not reported again.
    broken: frozenset[str] = frozenset()


def _suggest_while_shown(word: object, choices: Iterable[str], issues: list[Issue]) -> str:
    """:func:`suggest`, while the policy's problems are few enough to be listed.

    Each suggestion compares the name with every declared one: a hostile policy of 3,000
    facts and 3,000 misspelt references took 4 minutes to validate. A file lists only its
    first problems, so past that number a name is reported without the hint.
    """
    return suggest(word, choices) if len(issues) < MAX_PROBLEMS_PER_FILE else ""


def suggest(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close choice exists, else an empty string."""
    return aside(closest(word, choices))


#: Why a value is not a value of its fact's type (see :func:`value_fault`).
ValueFault = Literal["type", "not_finite", "no_offset", "not_a_word"]


def value_fault(spec: FactSpec, value: Any) -> ValueFault | None:
    """Why ``value`` is not a value of ``spec``'s type, as a code, or ``None`` when it is.

    The one rule for a value's type: :func:`check_value` words it for a policy's operands
    (which it quotes), :func:`deflectkit.core.policy.facts.fact_problem` for a person's facts
    (which it never quotes).
    """
    kind = spec.type
    if kind in ("enum", "list"):
        if not isinstance(value, str):
            return "type"
        return None if value in spec.values else "not_a_word"
    if kind == "datetime" and isinstance(value, dt.datetime) and value.utcoffset() is None:
        return "no_offset"
    if kind in ("int", "float"):
        if not isinstance(value, int if kind == "int" else int | float) or isinstance(value, bool):
            return "type"
        # NaN compares false with everything: it would switch a rule off unseen.
        return None if math.isfinite(value) else "not_finite"
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "str":
        ok = isinstance(value, str)
    elif kind == "datetime":
        ok = isinstance(value, dt.datetime)
    else:  # date; FACT_TYPES is closed
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return None if ok else "type"


def check_value(spec: FactSpec, value: Any) -> str | None:
    """Why ``value`` is not a value of ``spec``'s type, or ``None`` when it is.

    Used for operands at load time (a ``list`` fact's operands are its words); the value
    comes from the policy file, so the message quotes it.
    """
    fault = value_fault(spec, value)
    if fault is None:
        return None
    if fault == "not_finite":
        return f"{spec.name} must be a finite number, got {value!r}"
    if fault == "no_offset":
        return "a datetime needs a UTC offset, e.g. 2025-03-01T14:30:00-07:00"
    if fault == "not_a_word":
        return (
            f"{value!r} is not a value of {spec.name}{suggest(value, spec.values)};"
            f" allowed: {', '.join(spec.values)}"
        )
    if spec.type in ("enum", "list"):
        return f"expected one of the words {list(spec.values)}, got {_show(value)}"
    article = "an" if spec.type[0] in "aeiou" else "a"
    return f"expected {article} {spec.type} for {spec.name}, got {_show(value)}"


def _show(value: Any) -> str:
    kind = "date" if isinstance(value, dt.date) else type(value).__name__
    if isinstance(value, dt.datetime):
        kind = "datetime"
    if value is None:
        return "nothing (null)"
    return f"{kind} {value!r}" if not isinstance(value, dt.date) else f"{kind} {value}"


def parse_expr(
    raw: Any, path: tuple[str | int, ...], ctx: ExprContext, issues: list[Issue]
) -> Expr | None:
    """Turn a YAML condition into an :data:`Expr`, type-checking it; record every defect."""
    if not isinstance(raw, dict):
        issues.append(Issue(path, "a condition is a mapping: all, any, not or a comparison"))
        return None
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        extra = set(raw) - {key}
        for k in sorted(map(str, extra)):
            issues.append(Issue((*path, k), f"unexpected key {k!r} beside {key!r}", key=True))
        items = raw[key]
        if not isinstance(items, list) or not items:
            issues.append(Issue((*path, key), f"'{key}' takes a non-empty list of conditions"))
            return None
        parsed = [parse_expr(item, (*path, key, i), ctx, issues) for i, item in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        nodes = tuple(p for p in parsed if p is not None)
        return AllOf(nodes) if key == "all" else AnyOf(nodes)
    if "not" in raw:
        for k in sorted(map(str, set(raw) - {"not"})):
            issues.append(Issue((*path, k), f"unexpected key {k!r} beside 'not'", key=True))
        inner = parse_expr(raw["not"], (*path, "not"), ctx, issues)
        return Not(inner) if inner is not None else None
    return _parse_compare(raw, path, ctx, issues)


def _parse_compare(
    raw: dict[Any, Any], path: tuple[str | int, ...], ctx: ExprContext, issues: list[Issue]
) -> Compare | None:
    before = len(issues)
    known = [*_COMPARE_KEYS, "all", "any", "not"]
    issues.extend(
        Issue((*path, k), unknown_key(k, known), key=True) for k in raw if k not in _COMPARE_KEYS
    )
    found = _subject(raw, path, ctx, issues)
    if found is None:
        return None
    skey, name, spec = found
    op = _operator(raw.get("op"), path, issues)
    operands = [k for k in ("value", "param", "other") if k in raw]
    if spec is None or op is None:
        return None
    if spec.type not in op.types:
        issues.append(
            Issue((*path, "op"), f"'{op.name}' does not apply to {spec.name} (a {spec.type})")
        )
        return None
    derived = skey == "derived"
    if op.operand == "none":
        if operands:
            issues.append(Issue((*path, operands[0]), f"'{op.name}' takes no operand", key=True))
        return None if len(issues) > before else Compare(name, op.name, derived=derived)
    if len(operands) != 1:
        issues.append(Issue(path, f"'{op.name}' needs exactly one of value, param or other"))
        return None
    which = operands[0]
    where = (*path, which)
    if which == "value":
        value = _check_operand(op, spec, raw["value"], where, issues, f"{spec.name}")
        if len(issues) > before:
            return None
        return Compare(name, op.name, value=value, derived=derived)
    if which == "param":
        ref = _param_operand(raw["param"], op, spec, ctx, where=where, issues=issues)
        if ref is None or len(issues) > before:
            return None
        return Compare(name, op.name, param=ref, derived=derived)
    if not _other_comparable(raw["other"], op, spec, ctx, where=where, issues=issues):
        return None
    return Compare(name, op.name, other=raw["other"], derived=derived)


def _subject(
    raw: dict[Any, Any], path: tuple[str | int, ...], ctx: ExprContext, issues: list[Issue]
) -> tuple[str, Any, FactSpec | None] | None:
    """``(key, name, spec)`` of the comparison's subject; ``None``: stop, nothing to add.

    ``spec`` is ``None`` for an undeclared name (reported), so the operator is still
    checked; a name declared but broken (reported already) stops here.
    """
    subjects = [k for k in ("fact", "derived") if k in raw]
    if len(subjects) != 1:
        issues.append(Issue(path, "a comparison names exactly one 'fact' or 'derived'"))
        return None
    skey = subjects[0]
    name = raw[skey]
    pool = ctx.facts if skey == "fact" else ctx.derived
    spec = pool.get(name) if isinstance(name, str) else None
    if spec is None and isinstance(name, str) and name in ctx.broken:
        return None
    if spec is None:
        what = "fact" if skey == "fact" else "derived fact"
        issues.append(
            Issue((*path, skey),
                  f"undeclared {what} {name!r}{_suggest_while_shown(name, pool, issues)}")
        )
    return skey, name, spec


def _operator(op_name: Any, path: tuple[str | int, ...], issues: list[Issue]) -> Operator | None:
    op = OPERATORS.get(op_name) if isinstance(op_name, str) else None
    if op is None:
        issues.append(
            Issue(
                (*path, "op"),
                f"unknown operator {op_name!r}{operator_hint(op_name)};"
                f" use one of: {' '.join(OPERATORS)}",
            )
        )
    return op


def _param_operand(
    raw: Any, op: Operator, spec: FactSpec, ctx: ExprContext,
    *, where: tuple[str | int, ...], issues: list[Issue],
) -> ParamRef | None:
    """The ``param`` operand, each parameter declared and every dated value fitting."""
    ref = _param_ref(raw, op, where, issues)
    if ref is None:
        return None
    for pname in (ref,) if isinstance(ref, str) else ref:
        param = ctx.parameters.get(pname)
        if param is None and pname in ctx.broken:
            return None
        if param is None:
            hint = _suggest_while_shown(pname, ctx.parameters, issues)
            issues.append(Issue(where, f"undeclared parameter {pname!r}{hint}"))
            return None
        for v in param.values:
            if v.value is not None:
                _check_operand(op, spec, v.value, where, issues,
                               f"parameter {pname} ({v.since})")
    return ref


def _other_comparable(
    other: Any, op: Operator, spec: FactSpec, ctx: ExprContext,
    *, where: tuple[str | int, ...], issues: list[Issue],
) -> bool:
    """Whether the ``other`` fact exists and compares with ``spec`` under ``op``."""
    ospec = ctx.facts.get(other) if isinstance(other, str) else None
    if ospec is None:
        hint = _suggest_while_shown(other, ctx.facts, issues)
        issues.append(Issue(where, f"undeclared fact {other!r}{hint}"))
        return False
    if op.operand not in ("scalar", "words") or _family(ospec) != _family(spec):
        issues.append(
            Issue(
                where,
                f"cannot compare {spec.name} (a {spec.type}) with {ospec.name}"
                f" (a {ospec.type}) using '{op.name}'",
            )
        )
        return False
    return True


def _param_ref(
    raw: Any, op: Operator, where: tuple[str | int, ...], issues: list[Issue]
) -> ParamRef | None:
    """``param: NAME``, or a list of names joined into one list (list operands only)."""
    if isinstance(raw, str):
        return raw
    if (isinstance(raw, list) and len(raw) >= 2 and all(isinstance(n, str) for n in raw)
            and len(set(raw)) == len(raw)):
        if op.operand not in ("list", "words"):
            issues.append(Issue(where, f"'{op.name}' takes one parameter; several list"
                                       " parameters can be joined only for in, not_in,"
                                       " contains_any and subset_of"))
            return None
        return tuple(raw)
    issues.append(Issue(where, f"param is a parameter name or a list of two or more names,"
                               f" got {_show(raw)}"))
    return None


def param_names(ref: ParamRef | None) -> tuple[str, ...]:
    """The parameter names in a ``param`` operand."""
    if ref is None:
        return ()
    return (ref,) if isinstance(ref, str) else ref


def _family(spec: FactSpec) -> str:
    if spec.type in ("int", "float"):
        return "number"
    if spec.type in ("enum", "str"):
        return "word"
    return spec.type


def _check_operand(  # noqa: PLR0917 - one private helper, positional for brevity
    op: Operator,
    spec: FactSpec,
    raw: Any,
    where: tuple[str | int, ...],
    issues: list[Issue],
    what: str,
) -> Any:
    """Check an operand for ``op`` on ``spec``; return it frozen (tuples, frozensets)."""
    if op.operand == "scalar":
        problem = check_value(spec, raw)
        if problem:
            issues.append(Issue(where, f"{what}: {problem}"))
        return raw
    if not isinstance(raw, list | tuple):
        shape = "[low, high]" if op.operand == "pair" else "a list"
        issues.append(Issue(where, f"{what}: '{op.name}' takes {shape}, got {_show(raw)}"))
        return None
    bad = False
    for item in raw:
        problem = check_value(spec, item)
        if problem:
            issues.append(Issue(where, f"{what}: {problem}"))
            bad = True
    if bad:
        return None
    if op.operand == "pair":
        if len(raw) != 2:
            issues.append(Issue(where, f"{what}: 'between' takes [low, high]"))
            return None
        try:
            if raw[0] > raw[1]:
                issues.append(Issue(where, f"{what}: low {raw[0]} is above high {raw[1]}"))
        except TypeError:
            return None
        return tuple(raw)
    return frozenset(raw)


def comparisons(expr: Expr | None) -> Iterator[Compare]:
    """Every comparison in a condition, left to right (``not``, ``all`` and ``any`` opened).

    The one walk of the tree that collects leaves: the facts, parameters and test values a
    condition reads are all read off its comparisons.
    """
    if expr is None:
        return
    if isinstance(expr, Compare):
        yield expr
    elif isinstance(expr, Not):
        yield from comparisons(expr.item)
    else:
        for item in expr.items:
            yield from comparisons(item)


def expr_facts(expr: Expr | None) -> tuple[str, ...]:
    """Every fact or derived fact a condition reads, in order of appearance, once each."""
    return tuple(dict.fromkeys(
        n for c in comparisons(expr) for n in (c.subject, c.other) if n is not None
    ))


def expr_params(expr: Expr | None) -> tuple[str, ...]:
    """Every parameter a condition reads, once each."""
    return tuple(dict.fromkeys(n for ref in expr_param_refs(expr) for n in param_names(ref)))


def expr_param_refs(expr: Expr | None) -> tuple[ParamRef, ...]:
    """Every ``param`` operand of a condition as written (a name or a tuple), once each."""
    return tuple(dict.fromkeys(c.param for c in comparisons(expr) if c.param is not None))


def describe(expr: Expr, labels: Mapping[str, str] | None = None) -> str:
    """A readable rendering of a condition, for explanations and the site.

    ``labels`` maps fact names to what readers see (``policy.facts``' labels).

    Example:
        >>> describe(Compare("age", "ge", param="min_age"))
        'age is at least parameter min_age'
    """
    names = labels or {}
    if isinstance(expr, Compare):
        op = OPERATORS[expr.op]
        subject = names.get(expr.subject, expr.subject)
        if op.operand == "none":
            return f"{subject} {op.text}"
        if expr.op == "subset_of" and expr.value is not None and not expr.value:
            return f"{subject} is empty"
        if expr.param is not None:
            names_ = param_names(expr.param)
            rhs = ("parameter " if len(names_) == 1 else "parameters ") + " and ".join(names_)
        elif expr.other is not None:
            rhs = names.get(expr.other, expr.other)
        else:
            rhs = _render(expr.value)
        return f"{subject} {op.text} {rhs}"
    if isinstance(expr, Not):
        return f"not ({describe(expr.item, labels)})"
    joiner = " and " if isinstance(expr, AllOf) else " or "
    return joiner.join(
        describe(i, labels) if isinstance(i, Compare) else f"({describe(i, labels)})"
        for i in expr.items
    )


def _render(value: Any) -> str:
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

