"""How a YAML mapping becomes typed values, every error kept with its path.

Provider files and policy files are read in one way. A reader describes the keys a mapping
may hold (a :class:`Key` table, or an attrs class for cattrs), checks a value against that
description, and never stops at the first mistake: each defect becomes an :class:`Issue`
that says *where* (the path of keys and list indexes from the top of the document) and
*what*, in the words of this module:

* :func:`unknown_key`: a key the table does not hold, with "did you mean" (through
  :mod:`deflectkit.spelling`), another word people use for it, or the keys allowed;
* :func:`missing_key`: a required key that is absent;
* :func:`not_a_mapping` and :func:`describe`: a value of the wrong shape, named the way a
  contributor sees it ("the text 'Tucson'", not ``str``);
* :class:`InvalidValue`: a field check's verdict, one or more messages below the value.

:func:`check_keys` checks a mapping against a :class:`Key` table (the policy reader,
:mod:`deflectkit.core.policy.reading`). :func:`issues_of` flattens the exception tree of a
cattrs converter with ``detailed_validation`` into the same :class:`Issue` values (the
provider reader, :mod:`deflectkit.files.provider_converter`). The file layer turns an
``Issue`` into a :class:`~deflectkit.errors.Problem` with file, line and column
(``deflectkit.files.yamlio.YamlDocument.located``). The editors' JSON Schemas are derived
from the same tables (:func:`object_schema`), so the schema and the reader cannot disagree
on which keys are required.

The module is pure: no I/O, no clock, nothing global that changes. The whole path from a
file to values is described in ``docs/design/formats.md#how-a-file-becomes-values``.

Example:
    >>> table = {"id": Key(required=True), "label": Key(required=False)}
    >>> [i.message for i in check_keys({"lable": "x"}, (), table, "rule")]
    ["unknown key 'lable' in rule; did you mean 'label'?", "rule is missing the required key 'id'"]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

import attrs
from cattrs.errors import BaseValidationError, ForbiddenExtraKeysError, IterableValidationNote

from deflectkit.errors import Severity
from deflectkit.hints import hinted
from deflectkit.spelling import closest, hint

__all__ = [
    "FieldPath",
    "InvalidValue",
    "Issue",
    "Key",
    "KeyTable",
    "UnknownKeyMessage",
    "check_keys",
    "describe",
    "invalid",
    "issues_of",
    "missing_key",
    "not_a_mapping",
    "object_schema",
    "unknown_key",
]

#: Where a value sits in a document: keys and list indexes from the top.
FieldPath = tuple[str | int, ...]

#: Widest whole number :func:`describe` writes out (about 20 digits).
_MAX_SHOWN_BITS: Final = 64
#: The shortest misspelling matched as a part of a longer key (``dropoff``).
_MIN_PART: Final = 3


@attrs.frozen
class Issue:
    """A defect found while structuring a document: where (path inside it) and what.

    Attributes:
        path: keys and list indexes from the top of the document.
        message: for a person who is not a programmer; may carry hints
            (:func:`deflectkit.hints.hinted`).
        key: point at the key rather than its value (unknown keys).
        severity: an error stops the document loading; a warning does not.
    """

    path: FieldPath
    message: str
    key: bool = False
    severity: Severity = "error"


@attrs.frozen
class Key:
    """One key of a mapping: whether it is required, and the JSON Schema of its value."""

    required: bool
    schema: Mapping[str, Any] = attrs.field(factory=dict)


#: The keys a mapping may hold, in the order the schema shows them.
KeyTable = Mapping[str, Key]


class InvalidValue(ValueError):  # noqa: N818 - a verdict, read by issues_of
    """A field check's verdict: one or more messages, each at a path below the value."""

    def __init__(self, *items: tuple[FieldPath, str]) -> None:
        """Keep each ``(path below the value, message)``."""
        super().__init__("; ".join(message for _, message in items))
        self.items = items


def invalid(message: str, *path: str | int) -> InvalidValue:
    """One message at ``path`` below the value being checked (often the value itself)."""
    return InvalidValue((tuple(path), message))


def describe(value: object) -> str:
    """Name a YAML value the way a contributor sees it.

    Example:
        >>> describe("Tucson"), describe(None), describe([1])
        ("the text 'Tucson'", 'nothing (an empty value)', 'a list')
    """
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int) and value.bit_length() > _MAX_SHOWN_BITS:
        return "a whole number too long to show"  # repr would refuse past 4,300 digits
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    return type(value).__name__


def not_a_mapping(value: object, what: str | None = None) -> str:
    """The message for a value that should be a mapping; ``what`` names the mapping.

    Example:
        >>> not_a_mapping("Tucson")
        "expected a mapping of keys and values, got the text 'Tucson'"
        >>> not_a_mapping(3, "policy")
        'policy must be a mapping of keys and values, got the number 3'
    """
    head = f"{what} must be" if what else "expected"
    return f"{head} a mapping of keys and values, got {describe(value)}"


def missing_key(key: str, what: str | None = None) -> str:
    """The message for an absent required key: at the mapping (``what``) or at the key.

    Example:
        >>> missing_key("id", "policy"), missing_key("name")
        ("policy is missing the required key 'id'", 'this required key is missing')
    """
    if what:
        return f"{what} is missing the required key {key!r}"
    return "this required key is missing"


def unknown_key(
    key: object,
    known: Sequence[str],
    *,
    what: str | None = None,
    aliases: Mapping[str, str] | None = None,
    homes: Mapping[str, str] | None = None,
) -> str:
    """The message for a key ``known`` does not hold, with the likeliest fix.

    Args:
        key: the key as written.
        known: the keys allowed in this mapping.
        what: names the mapping ("in exclusion rule"); ``None`` when the path says enough.
        aliases: other words people use for a known key (``phone`` for ``phones``).
        homes: where a key of a nested mapping belongs when written here
            (``city`` -> ``location.address``).

    The fix offered is, in order: the known key ``key`` is another word for, the place it
    belongs, the closest known key, the one known key it is a part of, or the keys allowed.

    Example:
        >>> unknown_key("dropoff", ["first_responder_dropoff", "walk_in"])
        "unknown key 'dropoff'; did you mean 'first_responder_dropoff'?"
    """
    text = str(key)
    head = f"unknown key {text!r}" + (f" in {what}" if what else "")
    alias = (aliases or {}).get(text.lower())
    home = (homes or {}).get(text)
    if home is not None and alias not in known:
        return f"{head}: it belongs under '{home}' (write it as {home}.{text})"
    near = alias if alias in known else closest(text.lower(), known)
    if near is None:  # `dropoff` for `first_responder_dropoff`: a part of exactly one key
        parts = [k for k in known if len(text) >= _MIN_PART and text.lower() in k]
        near = parts[0] if len(parts) == 1 else None
    if near is not None:
        return hinted(f"{head}{hint(near)}", allowed=known, suggestion=near,
                      value=text)
    return hinted(f"{head}; the keys allowed here are: {', '.join(known)}", allowed=known,
                  value=text)


def check_keys(raw: object, path: FieldPath, table: KeyTable, what: str) -> list[Issue]:
    """Every issue with ``raw`` as the mapping ``table`` describes (empty when it is one).

    ``what`` names the mapping in the messages ("exclusion rule", "policy"). Unknown keys
    are reported at the key; a missing required key and a value that is no mapping at all
    are reported at ``path``.
    """
    if not isinstance(raw, dict):
        return [Issue(path, not_a_mapping(raw, what))]
    known = list(table)
    issues = [
        Issue((*path, k), unknown_key(k, known, what=what), key=True)
        for k in raw if k not in table
    ]
    issues.extend(
        Issue(path, missing_key(k, what))
        for k, spec in table.items() if spec.required and k not in raw
    )
    return issues


def object_schema(table: KeyTable, **extra: Any) -> dict[str, Any]:
    """The JSON Schema of a mapping with exactly ``table``'s keys (no others)."""
    out: dict[str, Any] = {
        "type": "object",
        "properties": {name: dict(key.schema) for name, key in table.items()},
        "additionalProperties": False,
    }
    required = [name for name, key in table.items() if key.required]
    if required:
        out["required"] = required
    out.update(extra)
    return out


#: Names the unknown keys of an attrs class met at ``path`` (see :func:`issues_of`).
UnknownKeyMessage = Callable[[type, object, FieldPath], str]


def _attrs_unknown_key(cl: type, key: object, path: FieldPath) -> str:
    return unknown_key(key, [f.name for f in attrs.fields(cl)])


def issues_of(
    exc: BaseException, path: FieldPath = (), unknown: UnknownKeyMessage = _attrs_unknown_key
) -> Iterator[Issue]:
    """The issues in the exception a cattrs converter raised, each at its path.

    A converter built with ``detailed_validation=True`` raises one exception tree for a
    whole document: a group per mapping or list, with notes naming the key or index of
    each failure below it. Field checks raise :class:`InvalidValue`; cattrs raises
    ``ForbiddenExtraKeysError`` for unknown keys (worded by ``unknown``, given the class,
    the key and the mapping's path) and ``KeyError`` for a missing required key.
    """
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=str):
            yield Issue((*path, key), unknown(exc.cl, key, path), key=True)
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, IterableValidationNote):
                    sub_path = (*path, note.index)
                elif hasattr(note, "name"):
                    sub_path = (*path, note.name)
            yield from issues_of(sub, sub_path, unknown)
    elif isinstance(exc, InvalidValue):
        for below, message in exc.items:
            yield Issue((*path, *below), message)
    elif isinstance(exc, KeyError):
        yield Issue(path, missing_key(str(path[-1]) if path else ""), key=True)
    else:  # pragma: no cover - a hook we did not write failed; still say where
        yield Issue(path, f"invalid value ({exc})")
