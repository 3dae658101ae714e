"""Reading the parts of a policy document, each checked, every defect kept as an ``Issue``.

The parts are keys, text, dates, periods, citations, facts, derived facts and parameters.

:mod:`deflectkit.core.policy.build` assembles these parts into rules and a ``Policy``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, Final, TypeVar, cast

from deflectkit.core.policy import keys
from deflectkit.core.policy.expressions import suggest
from deflectkit.core.policy.model import (
    FACT_TYPES,
    MODEL_CHOICE_TITLE,
    Cite,
    DerivedFact,
    DerivedKind,
    FactSpec,
    Parameter,
    ParameterValue,
    Period,
)
from deflectkit.spelling import counted
from deflectkit.structure import FieldPath, Issue, KeyTable, check_keys

__all__ = ["MODEL_CHOICE_TITLE", "NAME", "FieldPath", "Reader"]

T = TypeVar("T")

#: What each derived-fact function reads: a date fact, or a list fact, per argument.
_ARITY: Final[dict[str, tuple[str, ...]]] = {
    "years_between": ("date", "date"), "days_between": ("date", "date"), "count": ("list",),
}
NAME: Final = re.compile(r"^[a-z][a-z0-9_]*$")


class Reader:
    """Checks parts of a policy document, collecting every defect in :attr:`issues`."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def err(self, path: FieldPath, message: str, *, key: bool = False) -> None:
        """Record an error at ``path``."""
        self.issues.append(Issue(path, message, key=key))

    def mapping(self, raw: Any, path: FieldPath, table: KeyTable, what: str) -> bool:
        """Check ``raw`` is a mapping with ``table``'s required keys and no others."""
        found = check_keys(raw, path, table, what)
        self.issues.extend(found)
        return not found

    def text(self, raw: dict[str, Any], key: str, path: FieldPath, default: str = "") -> str:
        """The non-empty text at ``raw[key]`` (``default`` and an issue otherwise)."""
        value = raw.get(key, default)
        if not isinstance(value, str) or (key in raw and not value.strip()):
            self.err((*path, key), f"{key} must be non-empty text, got {value!r}")
            return default
        return value

    def day(self, value: Any, path: FieldPath) -> dt.date | None:
        """A date given as a YAML date or ISO text; ``None`` and an issue otherwise."""
        if isinstance(value, dt.datetime):
            self.err(path, "expected a date (YYYY-MM-DD), not a date and time")
            return None
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.err(path, f"expected a date like 2025-03-01, got {value!r}")
        return None

    def period(self, raw: Any, path: FieldPath) -> Period:
        """An ``effective: {from, until}`` period (``until`` is exclusive)."""
        if not self.mapping(raw, path, keys.PERIOD, "effective"):
            return Period()
        start = self.day(raw["from"], (*path, "from")) if "from" in raw else None
        until = self.day(raw["until"], (*path, "until")) if "until" in raw else None
        if start and until and until <= start:
            self.err((*path, "until"), f"until {until} must be after from {start}")
        return Period(start, until)

    def cites(self, raw: Any, path: FieldPath, *, required: bool) -> tuple[Cite, ...]:
        """A list of citations; at least one when ``required``."""
        if raw is None and not required:
            return ()
        if not isinstance(raw, list) or not raw:
            self.err(path, "cite must be a non-empty list of sources,"
                           " e.g. [{title: …, href: https://…}]")
            return ()
        out = []
        for i, item in enumerate(raw):
            where = (*path, i)
            if not self.mapping(item, where, keys.CITE, "a citation"):
                continue
            model = item.get("model_choice", False)
            if not isinstance(model, bool):
                self.err((*where, "model_choice"), "model_choice is true or false")
                model = False
            if model and not item.get("note"):
                self.err(where, "a model choice needs a 'note' saying why it was chosen")
            if not model and "title" not in item:
                self.err(where, "a citation needs a title (or model_choice: true and a note)")
                continue
            href = item.get("href")
            if href is not None and (
                not isinstance(href, str) or not href.startswith(("https://", "http://"))
            ):
                self.err((*where, "href"), f"href must be an http(s) link, got {href!r}")
                href = None
            fields = {k: item.get(k) for k in ("section", "quote", "note")}
            for k, v in fields.items():
                if v is not None and not isinstance(v, str):
                    self.err((*where, k), f"{k} must be text")
            out.append(
                Cite(
                    title=str(item.get("title", MODEL_CHOICE_TITLE)),
                    href=href,
                    section=_opt_str(fields["section"]),
                    quote=_opt_str(fields["quote"]),
                    note=_opt_str(fields["note"]),
                    model_choice=model,
                )
            )
        return tuple(out)

    def facts(self, raw: Any, path: FieldPath) -> dict[str, FactSpec]:
        """The declared facts, by name."""
        if not isinstance(raw, dict) or not raw:
            self.err(path, "facts must be a mapping of fact name to {type: …}")
            return {}
        out: dict[str, FactSpec] = {}
        for name, spec, where in self.entries(raw, path, keys.FACT, "fact"):
            kind = spec["type"]
            if kind not in FACT_TYPES:
                self.err((*where, "type"), f"unknown fact type {kind!r}{suggest(kind, FACT_TYPES)};"
                                            f" use one of: {', '.join(FACT_TYPES)}")
                continue
            values: tuple[str, ...] = ()
            if kind in ("enum", "list"):
                if kind == "list" and spec.get("of", "enum") != "enum":
                    self.err((*where, "of"), "a list fact is a list of enum words: write of: enum")
                raw_values = spec.get("values")
                if (not isinstance(raw_values, list) or not raw_values
                        or not all(isinstance(v, str) for v in raw_values)):
                    self.err((*where, "values"), f"{kind} fact {name} needs values: a list of"
                                                  " words (quote words YAML reads as true/false)")
                    continue
                if len(set(raw_values)) != len(raw_values):
                    self.err((*where, "values"), "values must not repeat")
                values = tuple(raw_values)
            elif "values" in spec or "of" in spec:
                self.err((*where, "values"), f"a {kind} fact takes no values", key=True)
            optional = spec.get("optional", False)
            if not isinstance(optional, bool):
                self.err((*where, "optional"), "optional is true or false")
                optional = False
            out[name] = FactSpec(name, kind, values, optional, str(spec.get("label", "")),
                                 str(spec.get("unit", "")), self._minimum(spec, kind, where))
        return out

    def _minimum(self, spec: dict[str, Any], kind: str, where: FieldPath) -> float | None:
        """A number fact's ``min`` (0 when not given; ``null`` for no minimum)."""
        if "min" not in spec:
            return 0 if kind in ("int", "float") else None
        low = spec["min"]
        if kind not in ("int", "float"):
            self.err((*where, "min"), f"a {kind} fact takes no min", key=True)
            return None
        if low is None:
            return None
        if not _finite_number(low):
            self.err((*where, "min"), f"min must be a finite number or null, got {low!r}")
            return 0
        return float(low)

    def derived(self, raw: Any, path: FieldPath, facts: dict[str, FactSpec]) -> list[DerivedFact]:
        """The derived facts, checked against the declared facts they read."""
        if raw is None:
            return []
        if not isinstance(raw, dict):
            self.err(path, "derived must be a mapping of name to {fn, args}")
            return []
        out = []
        for name, spec in raw.items():
            where = (*path, name)
            if not self.mapping(spec, where, keys.DERIVED, f"derived fact {name}"):
                continue
            if name in facts:
                self.err(where, f"derived fact {name!r} has the name of a declared fact", key=True)
            fn, args = spec["fn"], spec["args"]
            if not isinstance(fn, str) or fn not in _ARITY:
                self.err((*where, "fn"), f"unknown function {fn!r}{suggest(fn, _ARITY)};"
                                          f" use one of: {', '.join(_ARITY)}")
                continue
            if not isinstance(args, list) or len(args) != len(_ARITY[fn]):
                self.err((*where, "args"), f"{fn} takes {counted(len(_ARITY[fn]), 'fact name')}")
                continue
            for i, (arg, want) in enumerate(zip(args, _ARITY[fn], strict=True)):
                spec_arg = facts.get(arg) if isinstance(arg, str) else None
                if spec_arg is None:
                    self.err((*where, "args", i), f"undeclared fact {arg!r}{suggest(arg, facts)}")
                elif want == "date" and spec_arg.type not in ("date", "datetime"):
                    self.err((*where, "args", i), f"{fn} needs a date fact; {arg} is a"
                                                  f" {spec_arg.type}")
                elif want == "list" and spec_arg.type != "list":
                    self.err((*where, "args", i), f"count needs a list fact; {arg} is a"
                                                  f" {spec_arg.type}")
            kind = cast("DerivedKind", fn)  # checked against the closed set above
            out.append(DerivedFact(name, kind, tuple(args), str(spec.get("label", ""))))
        return out

    def entries(
        self, raw: dict[Any, Any], path: FieldPath, table: KeyTable, kind: str
    ) -> Iterator[tuple[str, dict[str, Any], FieldPath]]:
        """Each ``name: {…}`` of ``raw`` whose name is lower_snake_case and whose keys fit."""
        for name, spec in raw.items():
            where = (*path, name)
            if not isinstance(name, str) or not NAME.match(name):
                self.err(where, f"{kind} name {name!r} must be lower_snake_case", key=True)
            elif self.mapping(spec, where, table, f"{kind} {name}"):
                yield name, spec, where

    def parameters(self, raw: Any, path: FieldPath) -> dict[str, Parameter]:
        """The parameters with their dated values, oldest first."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.err(path, "parameters must be a mapping of name to {label, values}")
            return {}
        out: dict[str, Parameter] = {}
        for name, spec, where in self.entries(raw, path, keys.PARAMETER, "parameter"):
            raw_values = spec["values"]
            if not isinstance(raw_values, dict) or not raw_values:
                self.err((*where, "values"), "values is a mapping of start date to value,"
                                              " e.g. {2024-01-01: 18}")
                continue
            versions = self._dated_values(name, raw_values, (*where, "values"))
            out[name] = Parameter(
                name, self.text(spec, "label", where), tuple(versions),
                unit=str(spec.get("unit", "")), description=str(spec.get("description", "")),
                cite=self.cites(spec.get("cite"), (*where, "cite"), required=False),
            )
        return out

    def _dated_values(
        self, name: str, raw: dict[Any, Any], where: FieldPath
    ) -> list[ParameterValue]:
        """A parameter's ``{start date: value}``, oldest first, all of one type."""
        versions: list[ParameterValue] = []
        shapes: set[str] = set()
        for key, value in raw.items():
            since = self.day(key, (*where, key))
            if since is None:
                continue
            problem = _value_problem(name, value)
            if problem is not None:
                self.err((*where, key), problem)
                continue
            if value is not None:
                shapes.add("list" if isinstance(value, list) else _shape(value))
            versions.append(ParameterValue(since, tuple(value) if isinstance(value, list)
                                           else value))
        if len(shapes) > 1:
            self.err(where, f"all values of {name} must have one type; found {sorted(shapes)}")
        versions.sort(key=lambda v: v.since)
        if versions and versions[0].value is None:
            self.err(where, f"{name}'s first value must not be null")
        return versions

    def listed(
        self, raw: Any, path: FieldPath, what: str, make: Callable[[Any, FieldPath], T | None]
    ) -> list[T]:
        """Each item of a list made by ``make`` (items with errors are left out)."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.err(path, f"{what} must be a list")
            return []
        return [x for i, item in enumerate(raw) if (x := make(item, (*path, i))) is not None]


def _value_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be a parameter's value, or ``None`` when it can."""
    if isinstance(value, dict):
        return "a parameter value is a scalar or a list"
    if isinstance(value, list):
        if not all(isinstance(v, str | int | float) for v in value):
            return "list values are words or numbers"
        if any(isinstance(v, float) and not math.isfinite(v) for v in value):
            return f"{name}: every number must be finite (not .nan or .inf)"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        # NaN compares false with everything: it would switch rules off unseen.
        return f"{name} must be a finite number, got {value!r}"
    return None


def _finite_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _shape(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return type(value).__name__
