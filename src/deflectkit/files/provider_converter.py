"""The cattrs converter for provider files: field checks and normalisation, built once.

Structuring uses ``forbid_extra_keys`` and detailed validation, so one pass collects every
shape error with its path. Hooks do the field checks that normalise a value (phone numbers
to E.164, hours to a timetable) or that a Python type cannot say (a vocabulary word, an
http(s) link, a ZIP code). Each failure is an :class:`~deflectkit.structure.InvalidValue`
carrying its message and the path below the field; :func:`provider_issues` flattens
cattrs' exception tree into :class:`~deflectkit.structure.Issue` values, worded by
:mod:`deflectkit.structure` as the policy reader's are, for :mod:`deflectkit.files.providers`.

The converter is built at import and never changed afterwards, so it is safe to share.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import IterableValidationError, IterableValidationNote
from cattrs.gen import make_dict_structure_fn, override

from deflectkit.core.providers import Address, Coordinates, Intake, Location, Phone, Provider
from deflectkit.files.provider_fields import (
    FIELD_HOOKS,
    PROVIDER_VOCABULARIES,
    TYPE_HOOKS,
    none_or,
    phone_number,
)
from deflectkit.structure import (
    FieldPath,
    InvalidValue,
    Issue,
    describe,
    invalid,
    issues_of,
    unknown_key,
)

__all__ = [
    "PROVIDER_CONVERTER",
    "PROVIDER_VOCABULARIES",
    "InvalidValue",
    "describe",
    "provider_issues",
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
    names = [f.name for f in attrs.fields(cl) if f.name != "slug"]
    # `schema:` is read before structuring (files/providers.py), yet it is a key a file may hold.
    return ["schema", *names] if cl is Provider else names


def _unknown_key(cl: type, key: object, path: FieldPath) -> str:
    """An unknown key of a provider file, with the aliases and nested homes we know."""
    homes = _NESTED_HOMES if not path else None
    return unknown_key(key, _key_names(cl), aliases=_ALIASES, homes=homes)


def provider_issues(exc: BaseException) -> Iterator[Issue]:
    """The issues in the exception :data:`PROVIDER_CONVERTER` raised, each at its path."""
    return issues_of(exc, (), _unknown_key)
