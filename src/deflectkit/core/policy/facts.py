"""Check the facts of an encounter against the types a policy declares.

An unknown fact name or a wrong type is an error, never a silent ``false``: a misspelt
``weapon_presnt: true`` must not make a person look eligible. ``None`` (YAML ``null``)
means the fact is missing, exactly as if the key were left out. Dates and datetimes may be
given as ISO 8601 strings (as JSON has no date type); a datetime must carry its UTC offset,
and is converted to the policy's time zone so that its date is the program's local date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from deflectkit.core.policy.expressions import check_value, suggest
from deflectkit.core.policy.model import FactSpec

__all__ = ["FactChecker", "fact_checker"]

#: ``check(facts) -> (normalised facts, [(fact name, message), …])``
FactChecker = Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[tuple[str, str]]]]


def _coerce(spec: FactSpec, value: Any, zone: ZoneInfo) -> tuple[Any, str | None]:
    kind = spec.type
    if kind == "date" and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value, f"expected a date like 2025-03-01, got {value!r}"
    elif kind == "datetime" and isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value, f"expected a datetime like 2025-03-01T14:30:00-07:00, got {value!r}"
    if kind == "list":
        if not isinstance(value, list | tuple | set | frozenset):
            return value, f"expected a list of words from {list(spec.values)}, got {value!r}"
        for item in value:
            problem = check_value(spec, item)
            if problem:
                return value, problem
        return tuple(value), None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    problem = check_value(spec, value)
    if problem is None and kind == "datetime":
        value = value.astimezone(zone)
    return value, problem


def fact_checker(facts: tuple[FactSpec, ...], timezone: str) -> FactChecker:
    """A function that checks and normalises a facts mapping for these declarations."""
    specs = {f.name: f for f in facts}
    zone = ZoneInfo(timezone)
    # The common case (a bool or int already of the right type) is answered by a type
    # check alone; everything else goes through _coerce. This keeps checking cheap.
    fast: dict[str, type] = {}
    for f in facts:
        if f.type == "bool":
            fast[f.name] = bool
        elif f.type == "str":
            fast[f.name] = str
        elif f.type == "float":
            fast[f.name] = float

    def check(given: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        out: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        for name, value in given.items():
            spec = specs.get(name)
            if spec is None:
                errors.append(
                    (str(name), f"unknown fact {name!r}{suggest(name, specs)};"
                                " the policy declares: " + ", ".join(specs))
                )
                continue
            if value is None:
                continue
            if type(value) is fast.get(name):
                out[name] = value
                continue
            if spec.type == "int" and type(value) is int:
                out[name] = value
                continue
            normal, problem = _coerce(spec, value, zone)
            if problem:
                errors.append((name, problem))
            else:
                out[name] = normal
        return out, errors

    return check
