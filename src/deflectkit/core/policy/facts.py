"""Check the facts of an encounter against the types a policy declares.

An unknown fact name or a wrong type is an error, never a silent ``false``: a misspelt
``weapon_presnt: true`` must not make a person look eligible. ``None`` (YAML ``null``)
means the fact is missing, exactly as if the key were left out. Dates and datetimes may be
given as ISO 8601 strings (as JSON has no date type); a datetime must carry its UTC offset,
and is converted to the policy's time zone so that its date is the program's local date.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from deflectkit.core.localtime import SUPPORTED_YEARS
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
        if value.year not in SUPPORTED_YEARS:  # converting year 1 or 9999 overflows
            first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
            return value, f"expected a datetime from the year {first} to {last}, got {value.year}"
        value = value.astimezone(zone)
    if problem is None and kind in ("int", "float") and spec.min is not None and value < spec.min:
        problem = f"{spec.name} must not be less than {spec.min:g}, got {value!r}"
    return value, problem


def _one(spec: FactSpec, zone: ZoneInfo) -> Callable[[Any], tuple[Any, str | None]]:
    """A checker for one fact: a type test for the common case, then the full check."""
    def slow(value: Any) -> tuple[Any, str | None]:
        return _coerce(spec, value, zone)

    kind = spec.type
    if kind in ("bool", "str"):
        exact = {"bool": bool, "str": str}[kind]

        def simple(value: Any) -> tuple[Any, str | None]:
            return (value, None) if value.__class__ is exact else slow(value)

        return simple
    if kind in ("int", "float"):
        exact = int if kind == "int" else float
        low = -math.inf if spec.min is None else spec.min

        def number(value: Any) -> tuple[Any, str | None]:
            # NaN fails both comparisons, so it reaches the full check and its message.
            if value.__class__ is exact and low <= value < math.inf:
                return value, None
            return slow(value)

        return number
    allowed = frozenset(spec.values)
    if kind == "enum":
        def word(value: Any) -> tuple[Any, str | None]:
            if value.__class__ is str and value in allowed:
                return value, None
            return slow(value)

        return word
    if kind == "list":
        def words(value: Any) -> tuple[Any, str | None]:
            try:
                if value.__class__ in (list, tuple) and allowed.issuperset(value):
                    return tuple(value), None
            except TypeError:  # an unhashable item, such as a nested list
                pass
            return slow(value)

        return words
    if kind == "datetime":
        def moment(value: Any) -> tuple[Any, str | None]:
            if (value.__class__ is dt.datetime and value.tzinfo is not None
                    and value.year in SUPPORTED_YEARS):
                # Already in the program's zone (ZoneInfo instances are shared per key).
                return (value if value.tzinfo is zone else value.astimezone(zone)), None
            return slow(value)

        return moment
    return slow


def fact_checker(facts: tuple[FactSpec, ...], timezone: str) -> FactChecker:
    """A function that checks and normalises a facts mapping for these declarations.

    When it reports problems, the facts it returns are incomplete and must not be used.
    """
    zone = ZoneInfo(timezone)
    # One closure per fact, made once: the common case costs a type test and a lookup.
    checkers = {f.name: _one(f, zone) for f in facts}

    # bool and str facts need no conversion: the loop below accepts them on a type test
    # without calling their checker (the most common facts; a third of the checking time).
    plain = {f.name: {"bool": bool, "str": str}[f.type]
             for f in facts if f.type in ("bool", "str")}
    # Numbers of the exact type within [min, infinity) are accepted inline too; anything else
    # (NaN fails both comparisons) goes to the checker and its message.
    numbers = {f.name: (int if f.type == "int" else float,
                        -math.inf if f.min is None else f.min)
               for f in facts if f.type in ("int", "float")}

    def check(given: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        # Copied whole (in C), then corrected below: most facts need no conversion.
        out = dict(given)
        errors: list[tuple[str, str]] = []
        for name, value in given.items():
            kind = value.__class__
            if kind is plain.get(name):
                continue
            number = numbers.get(name)
            if number is not None and kind is number[0] and number[1] <= value < math.inf:
                continue
            checker = checkers.get(name)
            if checker is None:
                errors.append(
                    (str(name), f"unknown fact {name!r}{suggest(name, checkers)};"
                                " the policy declares: " + ", ".join(checkers))
                )
                continue
            if value is None:
                del out[name]  # missing, exactly as if left out
                continue
            normal, problem = checker(value)
            if problem:
                errors.append((name, problem))
            elif normal is not value:
                out[name] = normal
        return out, errors

    return check
