"""Plain-JSON conversion for every public value: ``dk.to_json(obj)``.

One cattrs converter, configured once, turns frozen attrs values into JSON-ready data:
dates and datetimes as ISO 8601 (datetimes keep their offset), tuples and frozensets as
lists (frozensets sorted, so output is stable), and ``WeeklyHours`` as its shorthand.
Classes that need a special shape register their own hook next to their definition with
:func:`register_unstructure_hook`; this module stays free of domain knowledge.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import cattrs

from deflectkit.core.hours import WeeklyHours

__all__ = ["converter", "dumps", "register_unstructure_hook", "to_json"]

converter = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
converter.register_unstructure_hook(dt.date, lambda v: v.isoformat())
converter.register_unstructure_hook(dt.time, lambda v: v.isoformat())
converter.register_unstructure_hook(
    frozenset, lambda v: sorted(converter.unstructure(x) for x in v)
)
converter.register_unstructure_hook(WeeklyHours, lambda v: v.shorthand())


def register_unstructure_hook(cls: type[Any], hook: Callable[[Any], Any]) -> None:
    """Give ``cls`` its own JSON shape (used by modules whose JSON is a published contract)."""
    converter.register_unstructure_hook(cls, hook)


def to_json(obj: object) -> Any:
    """Convert a deflectkit value (``Decision``, ``Match``, ``Case``, ``Measures`` …) to JSON data.

    The result holds only dicts, lists, strings, numbers, booleans and ``None``.

    Example:
        >>> import deflectkit as dk
        >>> dk.to_json(dk.Problem("a.yaml", 1, 2, "name", "required"))["line"]
        1
    """
    return converter.unstructure(obj)


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """``to_json`` then ``json.dumps``, with non-ASCII text kept readable."""
    return json.dumps(to_json(obj), indent=indent, ensure_ascii=False)
