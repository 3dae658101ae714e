"""Plain-JSON conversion for every public value: ``dk.to_json(obj)`` and ``dk.from_json``.

One cattrs converter, configured once, turns frozen attrs values into JSON-ready data:
dates and datetimes as ISO 8601 (datetimes keep their offset), tuples and frozensets as
lists (frozensets sorted, so output is stable), and ``WeeklyHours`` as its shorthand.
Classes whose JSON is a published contract have their own function, named in
:data:`JSON_SHAPES` as ``module:name`` strings: :func:`make_converter` registers them all in
one place, and imports a function only when a value of its class is first converted. No
module registers anything when it is imported, so ``dk.to_json(policy)`` works whatever was
imported before it.

Records are kept for years, so every JSON document meant to be stored names its format:
``"schema": "deflectkit/decision@1"``. :data:`FORMATS` lists those formats, one line each,
with the function that reads each back; :func:`from_json` checks the key and calls it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
import cattrs

from deflectkit.core.formats import parse_format, shown_format
from deflectkit.core.hours import WeeklyHours
from deflectkit.errors import DataError, Problem

__all__ = [
    "FORMATS",
    "JSON_SHAPES",
    "JsonFormat",
    "converter",
    "dumps",
    "from_json",
    "make_converter",
    "schema_id",
    "to_json",
    "unstructure",
]

T = TypeVar("T")

#: The classes with their own JSON shape, as ``(class, function)`` pairs of ``module:name``
#: strings. One line per class; the function takes the value and returns plain JSON data.
JSON_SHAPES: Final[tuple[tuple[str, str], ...]] = (
    ("deflectkit.core.policy.model:Policy", "deflectkit.core.policy.serialize:policy_json"),
    ("deflectkit.core.policy.decision:Decision",
     "deflectkit.core.policy.decision:decision_json"),
    ("deflectkit.core.matching:Match", "deflectkit.core.matching:match_row"),
    ("deflectkit.core.matching:Exclusion", "deflectkit.core.matching:exclusion_row"),
    ("deflectkit.core.measures:Measures", "deflectkit.core.measures:measures_json"),
    ("deflectkit.core.impact:Impact", "deflectkit.core.impact:impact_json"),
    ("deflectkit.core.referral:Referral", "deflectkit.core.referral:referral_json"),
    ("deflectkit.core.referral:Consent", "deflectkit.core.referral:consent_json"),
    ("deflectkit.core.referral:ContactPermission",
     "deflectkit.core.referral:permission_json"),
    ("deflectkit.core.referral:Person", "deflectkit.core.referral:person_json"),
    ("deflectkit.core.referral:ContactShare", "deflectkit.core.referral:share_json"),
)


def _named(ref: str) -> Any:
    module, _, name = ref.partition(":")
    return getattr(importlib.import_module(module), name)


def _class_path(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _lazy(ref: str) -> Callable[[Any], Any]:
    """A hook that imports the function ``ref`` names on its first call."""
    found: list[Callable[[Any], Any]] = []

    def hook(value: Any) -> Any:
        if not found:
            found.append(_named(ref))
        return found[0](value)

    return hook


def make_converter() -> cattrs.Converter:
    """Build the converter behind :func:`to_json`, with every hook deflectkit uses.

    Dates, datetimes and times become ISO 8601 strings, frozensets sorted lists,
    ``WeeklyHours`` its shorthand, and each class in :data:`JSON_SHAPES` its own shape.
    The shapes are matched by class path, so building the converter imports no domain code.
    """
    conv = cattrs.Converter(forbid_extra_keys=True)
    conv.register_unstructure_hook(dt.datetime, lambda v: v.isoformat())
    conv.register_unstructure_hook(dt.date, lambda v: v.isoformat())
    conv.register_unstructure_hook(dt.time, lambda v: v.isoformat())
    conv.register_unstructure_hook(
        frozenset, lambda v: sorted(conv.unstructure(x) for x in v)
    )
    conv.register_unstructure_hook(WeeklyHours, lambda v: v.shorthand())
    shapes = {cls: _lazy(fn) for cls, fn in JSON_SHAPES}
    # A predicate hook, not one per class: registering a class would import it, and
    # cattrs would resolve a compiled policy's annotations that exist only for type checkers.
    conv.register_unstructure_hook_factory(
        lambda cls: isinstance(cls, type) and _class_path(cls) in shapes,
        lambda cls: shapes[_class_path(cls)],
    )
    return conv


#: The converter :func:`to_json` uses, built once by :func:`make_converter` and never
#: changed afterwards. Build your own with :func:`make_converter` to customise it.
converter: Final = make_converter()


def to_json(obj: object) -> Any:
    """Convert a deflectkit value (``Decision``, ``Match``, ``Case``, ``Measures`` …) to JSON data.

    The result is **plain data**, not a string: only dicts, lists, strings, numbers,
    booleans and ``None``, ready for ``json.dumps`` (or use :func:`dumps`). cattrs calls this
    step *unstructuring*; :func:`unstructure` is the same function under that name.

    Example:
        >>> import deflectkit as dk
        >>> dk.to_json(dk.Problem("a.yaml", 1, 2, "name", "required"))["line"]
        1
    """
    return converter.unstructure(obj)


#: :func:`to_json` under the name cattrs gives the step (values to plain data).
unstructure = to_json


def dumps(obj: object, *, indent: int | None = 2) -> str:
    """``to_json`` then ``json.dumps``, with non-ASCII text kept readable."""
    return json.dumps(to_json(obj), indent=indent, ensure_ascii=False)


@attrs.frozen
class JsonFormat:
    """A stored JSON format: its kind, its current version, its class and its reader.

    ``cls`` and ``reader`` are ``module:name`` strings, imported on first use, so that this
    module imports no domain code. A reader takes the JSON data (a mapping) and returns the
    value; when ``version`` goes up, the reader must still read every earlier version.
    """

    kind: str
    version: int
    cls: str
    reader: str
    #: The reader's ``ValueError`` names the field and never quotes a person's data, so its
    #: message may be passed on (otherwise only the kind of error is).
    plain_errors: bool = False

    @property
    def schema(self) -> str:
        """The value of the ``schema`` key: ``deflectkit/<kind>@<version>``."""
        return f"deflectkit/{self.kind}@{self.version}"


#: Every format :func:`from_json` reads, one line each. Cases and measures are results
#: worked out again from their inputs (events, the event log), so they are not stored.
FORMATS: Final[tuple[JsonFormat, ...]] = (
    JsonFormat("decision", 1, "deflectkit.core.policy.decision:Decision",
               "deflectkit.core.policy.decision:decision_from_json"),
    JsonFormat("referral", 2, "deflectkit.core.referral:Referral",
               "deflectkit.core.referral:referral_from_json", plain_errors=True),
)

def _format_of(cls: type[Any]) -> JsonFormat | None:
    where = _class_path(cls)
    return next((f for f in FORMATS if f.cls == where), None)


def schema_id(kind: str) -> str:
    """The ``schema`` value written for ``kind`` (``deflectkit/decision@1``).

    Example:
        >>> schema_id("decision")
        'deflectkit/decision@1'
    """
    return next(f.schema for f in FORMATS if f.kind == kind)


def _refuse(field: str, message: str) -> DataError:
    return DataError([Problem("json", None, None, field, message)], message)


def _check_schema(fmt: JsonFormat, data: Mapping[str, Any]) -> None:
    given = data.get("schema", f"deflectkit/{fmt.kind}@1")  # written before the key existed
    found = parse_format(given)
    if found is None:
        shown = shown_format(given)
        msg = f"schema {shown} is not a deflectkit format; expected {fmt.schema!r}"
        raise _refuse("schema", msg)
    kind, version = found
    if kind != fmt.kind:
        msg = f"this is a {kind} ({given}), not a {fmt.kind}: read it as the class for {kind}"
        raise _refuse("schema", msg)
    if version > fmt.version:
        msg = (f"{given} is newer than this deflectkit reads (up to {fmt.schema}):"
               " upgrade deflectkit to read it")
        raise _refuse("schema", msg)


def from_json(cls: type[T], data: Any) -> T:
    """Read a value back from its JSON data (the inverse of :func:`to_json`).

    The data's ``schema`` key names its kind and version (``deflectkit/decision@1``); data
    without it is read as version 1. Another kind, a newer version than this release knows,
    or a missing or ill-typed field is refused with a :class:`~deflectkit.errors.DataError`
    naming the field.

    Args:
        cls: the class to read (``dk.Decision``).
        data: JSON data, as ``json.loads`` gives it.

    Raises:
        DataError: the data is not a stored ``cls`` this release can read.
        TypeError: ``cls`` has no stored JSON format.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> d = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                        "contact_type": "patrol", "age": 30, "weapon_present": True})
        >>> stored = dk.to_json(d)
        >>> stored["schema"], dk.from_json(dk.Decision, stored) == d
        ('deflectkit/decision@1', True)
    """
    fmt = _format_of(cls)
    if fmt is None:
        kinds = ", ".join(f.cls.rpartition(":")[2] for f in FORMATS)
        msg = f"{cls.__qualname__} has no stored JSON format; from_json reads: {kinds}"
        raise TypeError(msg)
    if not isinstance(data, Mapping):
        raise _refuse("", f"a stored {fmt.kind} is a JSON object, got {type(data).__name__}")
    _check_schema(fmt, data)
    body = {k: v for k, v in data.items() if k != "schema"}
    try:
        value: T = _named(fmt.reader)(body)
    except DataError:
        raise  # the reader named the field already
    except KeyError as missing:
        raise _refuse(str(missing.args[0]), f"a stored {fmt.kind} needs the key "
                      f"{missing.args[0]!r}") from None
    except ValueError as bad:
        if fmt.plain_errors:
            raise _refuse("", f"not a readable stored {fmt.kind}: {bad}") from None
        raise _refuse("", f"not a readable stored {fmt.kind}: a field has the wrong type or"
                      f" form ({type(bad).__name__})") from None
    except (TypeError, AttributeError) as bad:
        # Only the kind of error: its text may quote a value, and stored values include the
        # facts a rule read about a person.
        raise _refuse("", f"not a readable stored {fmt.kind}: a field has the wrong type or"
                      f" form ({type(bad).__name__})") from None
    return value
