"""The cattrs converter for provider files: field checks and normalisation, built once.

Structuring uses ``forbid_extra_keys`` and detailed validation, so one pass collects every
shape error with its path. Hooks do the field checks that normalise a value (phone numbers
to E.164, hours to a timetable) or that a Python type cannot say (a vocabulary word, an
http(s) link, a ZIP code). Each failure is an :class:`InvalidValue` carrying its message and
the path below the field; :func:`problem_paths` flattens cattrs' exception tree into
``(path, message, points_at_key)`` triples for :mod:`deflectkit.files.providers`.

The converter is built at import and never changed afterwards, so it is safe to share.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from deflectkit.core.providers import Address, Coordinates, Intake, Location, Phone
from deflectkit.files.provider_fields import (
    FIELD_HOOKS,
    PROVIDER_VOCABULARIES,
    TYPE_HOOKS,
    InvalidValue,
    describe,
    invalid,
    none_or,
    phone_number,
)
from deflectkit.files.yamlio import FieldPath
from deflectkit.hints import hinted

__all__ = [
    "PROVIDER_CONVERTER",
    "PROVIDER_VOCABULARIES",
    "InvalidValue",
    "describe",
    "problem_paths",
]

T = TypeVar("T")


def _build_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    for cl, type_hook in TYPE_HOOKS.items():
        conv.register_structure_hook(cl, type_hook)

    def tuple_of(cl: Any) -> Callable[[object, object], tuple[Any, ...]]:
        inner = get_args(cl)[0]

        def hook(value: object, _: object = None) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise invalid(f"expected a list, got {describe(value)}")
            out: list[Any] = []
            errors: list[Exception] = []
            for index, item in enumerate(value):
                try:
                    out.append(conv.structure(item, inner))
                except Exception as exc:  # collected, then re-raised as a group
                    exc.add_note(IterableValidationNote(f"@ index {index}", index, inner))
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {cl!r}", errors, cl)
            return tuple(out)

        return hook

    def is_homogeneous_tuple(t: Any) -> bool:
        args = get_args(t)
        return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis

    conv.register_structure_hook_factory(is_homogeneous_tuple, tuple_of)

    def attrs_class(cl: type[T]) -> Callable[[object, object], T]:
        hints = typing.get_type_hints(cl)
        overrides = {
            name: override(
                struct_hook=none_or(hook) if type(None) in get_args(hints[name]) else hook
            )
            for name, hook in FIELD_HOOKS.get(cl, {}).items()
        }
        structure = make_dict_structure_fn(cl, conv, **overrides)  # type: ignore[arg-type]

        def hook(value: object, _: object = None) -> T:
            if not isinstance(value, dict):
                raise invalid(f"expected a mapping of keys and values, got {describe(value)}")
            return structure(value, cl)

        return hook

    conv.register_structure_hook_factory(attrs.has, attrs_class)

    def phone(value: object, cl: object = None) -> Phone:
        if isinstance(value, str):
            return Phone(phone_number(value))
        return phone_mapping(value, Phone)

    phone_mapping = attrs_class(Phone)
    conv.register_structure_hook(Phone, phone)
    return conv


PROVIDER_CONVERTER: Final = _build_converter()

# Where a known key belongs when someone writes it at the top level ("put it under location").
_NESTED_HOMES: Final[Mapping[str, str]] = {
    **{f.name: "location" for f in attrs.fields(Location)},
    **{f.name: "location.address" for f in attrs.fields(Address)},
    **{f.name: "location.coordinates" for f in attrs.fields(Coordinates)},
    **{f.name: "intake" for f in attrs.fields(Intake) if f.name != "hours"},
}
# Other words people use for a key we know.
_ALIASES: Final[Mapping[str, str]] = {
    "phone": "phones",
    "telephone": "phones",
    "url": "website",
    "web": "website",
    "zip": "postal_code",
    "zipcode": "postal_code",
    "zip_code": "postal_code",
    "latitude": "lat",
    "longitude": "lon",
    "lng": "lon",
    "tz": "timezone",
    "language": "languages",
    "service": "services",
    "medication": "medications",
}


def _key_names(cl: type) -> list[str]:
    names = [f.name for f in attrs.fields(cl)]
    return [n for n in names if n != "slug"]


def _unknown_key_message(cl: type, key: object, top_level: bool) -> str:
    known = _key_names(cl)
    text = str(key)
    alias = _ALIASES.get(text.lower())
    if alias in known:
        message = f"unknown key {text!r}; did you mean {alias!r}?"
        return hinted(message, allowed=known, suggestion=alias, value=text)
    if top_level and text in _NESTED_HOMES:
        home = _NESTED_HOMES[text]
        return f"unknown key {text!r}: it belongs under '{home}' (write it as {home}.{text})"
    close = difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.7)
    if not close:  # `dropoff` for `first_responder_dropoff`: a part of exactly one key
        close = [k for k in known if len(text) >= 3 and text.lower() in k]
    if len(close) == 1:
        message = f"unknown key {text!r}; did you mean {close[0]!r}?"
        return hinted(message, allowed=known, suggestion=close[0], value=text)
    message = f"unknown key {text!r}; the keys allowed here are: {', '.join(known)}"
    return hinted(message, allowed=known, value=text)


def problem_paths(exc: BaseException, path: FieldPath) -> Iterator[tuple[FieldPath, str, bool]]:
    """Turn cattrs' exception tree into ``(path, message, points_at_key)`` triples."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields, key=str):
            yield (*path, key), _unknown_key_message(exc.cl, key, not path), True
    elif isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            sub_path = path
            for note in getattr(sub, "__notes__", ()):
                if isinstance(note, IterableValidationNote):
                    sub_path = (*path, note.index)
                elif hasattr(note, "name"):
                    sub_path = (*path, note.name)
            yield from problem_paths(sub, sub_path)
    elif isinstance(exc, InvalidValue):
        for below, message in exc.items:
            yield (*path, *below), message, False
    elif isinstance(exc, KeyError):
        yield path, "this required key is missing", True
    else:  # pragma: no cover - a hook we did not write failed; still say where
        yield path, f"invalid value ({exc})", False
