"""Check the facts of an encounter against the types a policy declares.

An unknown fact name or a wrong type is an error, never a silent ``false``: a misspelt
``weapon_presnt: true`` must not make a person look eligible. ``None`` (YAML ``null``)
means the fact is missing, exactly as if the key were left out. Dates and datetimes may be
given as ISO 8601 strings (as JSON has no date type); a datetime must carry its UTC offset,
and is converted to the policy's time zone so that its date is the program's local date.

Facts describe a person, so no message here quotes a fact's value: it names the fact, says
what is expected and what sort of value came (text, a whole number), and for a word that
is not listed offers the nearest listed one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from typing import Any, Final
from zoneinfo import ZoneInfo

from deflectkit.core.localtime import SUPPORTED_YEARS
from deflectkit.core.policy.expressions import suggest, value_fault
from deflectkit.core.policy.model import FactSpec
from deflectkit.hints import hinted
from deflectkit.spelling import closest

__all__ = ["FactChecker", "fact_checker", "fact_problem", "kind_of", "not_a_word"]

#: ``check(facts) -> (normalised facts, [(fact name, message), …])``
FactChecker = Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[tuple[str, str]]]]


def kind_of(value: object) -> str:
    """What sort of value ``value`` is, in words, never the value itself (it may be person data).

    Example:
        >>> kind_of("Example Person"), kind_of(-3), kind_of(None)
        ('text', 'a whole number', 'nothing (null)')
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number" if math.isfinite(value) else "NaN or infinity"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list | tuple | set | frozenset):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return f"a {type(value).__name__}"


def not_a_word(spec: FactSpec, word: object, which: str = "") -> str:
    """Why ``word`` is not one of the fact's words, without quoting it.

    Only the nearest listed word (a "did you mean") and the allowed ones show: the given
    word may be a name typed into the wrong box.
    """
    return hinted(
        f"{which}{spec.name} is not one of its words{suggest(word, spec.values)};"
        f" allowed: {', '.join(spec.values)}",
        allowed=spec.values,
        suggestion=closest(word, spec.values),
    )


#: What each fact type takes, for a message (``{name}`` is the fact).
_EXPECTED: Final[Mapping[str, str]] = {
    "bool": "{name} must be true or false",
    "int": "{name} must be a whole number",
    "float": "{name} must be a number",
    "str": "{name} must be text",
    "date": "{name} must be a date like 2025-03-01",
    "datetime": "{name} must be a date and time like 2025-03-01T14:30:00-07:00",
    "enum": "{name} must be one of its words",
    "list": "{name} must be a list of its words",
}


def fact_problem(spec: FactSpec, value: Any, which: str = "") -> str | None:
    """Why ``value`` is not a value of the fact ``spec``, never quoting it, or ``None``.

    Example:
        >>> fact_problem(FactSpec("age", "int"), "Example Person")
        'age must be a whole number; got text'
    """
    fault = value_fault(spec, value)
    if fault is None:
        return None
    if fault == "not_a_word":
        return not_a_word(spec, value, which)
    if fault == "not_finite":
        return f"{which}{spec.name} must be a finite number, not NaN or infinity"
    if fault == "no_offset":
        return (f"{which}{spec.name} has no UTC offset; give the time with its offset,"
                " like 2025-03-01T14:30:00-07:00")
    expected = _EXPECTED["enum" if which else spec.type].format(name=which + spec.name)
    return f"{expected}; got {kind_of(value)}"


def _coerce(spec: FactSpec, value: Any, zone: ZoneInfo) -> tuple[Any, str | None]:
    kind = spec.type
    if kind == "date" and isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value, f"{spec.name} must be a date like 2025-03-01; got text that is not one"
    elif kind == "datetime" and isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value, (f"{spec.name} must be a date and time like 2025-03-01T14:30:00-07:00;"
                           " got text that is not one")
    if kind == "list":
        if not isinstance(value, list | tuple | set | frozenset):
            return value, f"{_EXPECTED['list'].format(name=spec.name)}; got {kind_of(value)}"
        for number, item in enumerate(value, start=1):
            problem = fact_problem(spec, item, f"word {number} of ")
            if problem:
                return value, problem
        return tuple(value), None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    problem = fact_problem(spec, value)
    if problem is None and kind == "datetime":
        if value.year not in SUPPORTED_YEARS:  # converting year 1 or 9999 overflows
            first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
            return value, f"{spec.name} must be a date and time from the year {first} to {last}"
        value = value.astimezone(zone)
    if problem is None and kind in ("int", "float") and spec.min is not None and value < spec.min:
        problem = f"{spec.name} must not be less than {spec.min:g}"
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
