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

import datetime as dt
import difflib
import re
import typing
import urllib.parse
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
import phonenumbers
from cattrs.errors import (
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, override

from deflectkit.core.hours import HoursError, WeeklyHours, parse_hours
from deflectkit.core.providers import (
    Address,
    Ages,
    Coordinates,
    Intake,
    Location,
    Phone,
    Provider,
    Source,
)
from deflectkit.files.yamlio import FieldPath
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    ASAM_LEVELS,
    LANGUAGES,
    MEDICATIONS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
    Vocabulary,
)

__all__ = [
    "PROVIDER_CONVERTER",
    "PROVIDER_VOCABULARIES",
    "InvalidValue",
    "describe",
    "problem_paths",
]

#: Provider list fields checked against a controlled vocabulary, and what one word is called.
PROVIDER_VOCABULARIES: Final[Mapping[str, tuple[Vocabulary, str]]] = {
    "services": (SERVICES, "service"),
    "medications": (MEDICATIONS, "medication"),
    "substances": (SUBSTANCES, "substance"),
    "payment": (PAYMENT, "payment option"),
    "asam_levels": (ASAM_LEVELS, "ASAM level"),
    "languages": (LANGUAGES, "language code"),
    "accessibility": (ACCESSIBILITY, "accessibility feature"),
    "populations": (POPULATIONS, "population"),
}

_SPACE: Final = re.compile(r"\s")
#: The common ways to write a ten-digit US number, with or without the +1.
_US_PHONE: Final = re.compile(
    r"^\s*(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?(\d{3})[ .-]?(\d{4})\s*$"
)
_POSTAL_CODE: Final = re.compile(r"^\d{5}(-\d{4})?$")
_STATE: Final = re.compile(r"^[A-Z]{2}$")
# Deliberately simple: one @, no spaces, a dotted domain. Deliverability is not checkable here.
_EMAIL: Final = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

T = TypeVar("T")


class InvalidValue(ValueError):  # noqa: N818 - a verdict, read by problem_paths
    """A hook's verdict: one or more messages, each at a path below the hook's value."""

    def __init__(self, *items: tuple[FieldPath, str]) -> None:
        super().__init__("; ".join(message for _, message in items))
        self.items = items


def _invalid(message: str, *path: str | int) -> InvalidValue:
    return InvalidValue((tuple(path), message))


def describe(value: object) -> str:
    """Name a YAML value the way a contributor sees it."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
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


# --- scalar hooks --------------------------------------------------------------------------


def _text(value: object, _: object = None) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise _invalid("is empty: write a value or remove the line")
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise _invalid(f'expected text, got {describe(value)}; put it in quotes: "{value}"')
    raise _invalid(f"expected text, got {describe(value)}")


def _boolean(value: object, _: object = None) -> bool:
    if isinstance(value, bool):
        return value
    raise _invalid(f"expected true or false, got {describe(value)}")


def _integer(value: object, _: object = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise _invalid(f"expected a whole number, got {describe(value)}")


def _number(value: object, _: object = None) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise _invalid(f"expected a number, got {describe(value)}")


def _date(value: object, _: object = None) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _invalid(f"write only the date, such as {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise _invalid(f"expected a date such as 2026-10-01, got {describe(value)}")


def _ranged(low: int, high: int, what: str) -> Callable[[object, object], int]:
    def hook(value: object, _: object = None) -> int:
        number = _integer(value)
        if not low <= number <= high:
            raise _invalid(f"{what} must be between {low} and {high}, got {number}")
        return number

    return hook


def _coordinate(limit: int, name: str) -> Callable[[object, object], float]:
    def hook(value: object, _: object = None) -> float:
        number = _number(value)
        if not -limit <= number <= limit:
            swapped = name == "latitude" and abs(number) <= 180
            hint = " (are lat and lon swapped?)" if swapped else ""
            raise _invalid(f"{name} must be between -{limit} and {limit}, got {value}{hint}")
        return number

    return hook


def _phone_number(value: object, _: object = None) -> str:
    text = _text(value)
    plain = _US_PHONE.match(text)
    if plain:
        # The usual US shapes ("+1 520-555-0142", "(520) 555-0142"): build the number that
        # phonenumbers.parse would return, skipping its costly general parse; the
        # validity check below is the library's own.
        digits = "".join(plain.groups())
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
        if phonenumbers.is_valid_number_for_region(number, "US"):
            return "+1" + digits
    try:
        parsed = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        raise _invalid(
            f"cannot read phone number {text!r}; write it like \"+1 520-555-0142\""
        ) from None
    # Try the US first: the general check walks every region sharing +1 (two dozen).
    us = phonenumbers.is_valid_number_for_region(parsed, "US")
    if not us and not phonenumbers.is_valid_number(parsed):
        raise _invalid(
            f"{text!r} is not a valid phone number; write all ten digits with the area "
            'code, like "+1 520-555-0142"'
        )
    if parsed.extension:
        raise _invalid(
            f"{text!r} has an extension; write the main number here and the extension "
            "in the label or the intake instructions"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _url(value: object, _: object = None) -> str:
    text = _text(value).strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        if not parts.scheme and "." in text.split("/", 1)[0]:
            raise _invalid(f"links must start with https:// or http://; write 'https://{text}'")
        raise _invalid(f"links must start with https:// or http://, got {text!r}")
    if not parts.netloc or _SPACE.search(text):
        raise _invalid(f"{text!r} is not a web address")
    return text


def _email(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if text.lower().startswith("mailto:"):
        raise _invalid(f"write only the address, without 'mailto:': {text[7:]!r}")
    if not _EMAIL.match(text):
        raise _invalid(f"{text!r} is not an e-mail address such as intake@example.org")
    return text


_ZONE_NAMES: list[str] = []  # filled on the first unknown zone; only used for suggestions


def _timezone(value: object, _: object = None) -> str:
    name = _text(value).strip()
    try:
        # ZoneInfo caches instances itself, so repeated names cost a dict look-up.
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if not _ZONE_NAMES:
            _ZONE_NAMES.extend(sorted(zoneinfo.available_timezones()))
        close = difflib.get_close_matches(name, _ZONE_NAMES, n=1, cutoff=0.8)
        hint = f"; did you mean {close[0]!r}?" if close else ", such as 'America/Phoenix'"
        raise _invalid(f"unknown time zone {name!r}: use an IANA name{hint}") from None
    return name


def _postal_code(value: object, _: object = None) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise _invalid(f'write the ZIP code in quotes, such as "{value:05d}"')
    text = _text(value).strip()
    if not _POSTAL_CODE.match(text):
        raise _invalid(f"{text!r} is not a ZIP code such as \"85701\" or \"85701-1234\"")
    return text


def _state(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if not _STATE.match(text):
        raise _invalid(f"write the two-letter state code in capitals, such as 'AZ', not {text!r}")
    return text


def _hours(value: object, _: object = None) -> WeeklyHours:
    try:
        return parse_hours(value)
    except HoursError as exc:
        path: list[str | int] = []
        if exc.key is not None:
            path.append(exc.key)
            if exc.index is not None:
                path.append(exc.index)
        raise _invalid(str(exc), *path) from None


def _words(vocabulary: Vocabulary, noun: str) -> Callable[[object, object], tuple[str, ...]]:
    """A hook for a list of vocabulary words: every unknown word is reported."""
    if len(vocabulary) <= 20:
        choices = "use one of: " + ", ".join(vocabulary.words)
    else:
        choices = "use a two-letter ISO 639-1 code such as 'en' or 'es'"

    def hook(value: object, _: object = None) -> tuple[str, ...]:
        if not isinstance(value, list):
            example = vocabulary.words[0]
            raise _invalid(f"expected a list such as [{example}], got {describe(value)}")
        items: list[tuple[FieldPath, str]] = []
        for index, word in enumerate(value):
            if isinstance(word, str) and word in vocabulary:
                continue
            if not isinstance(word, str):
                if isinstance(word, int | float) and not isinstance(word, bool):
                    message = f'write {noun}s as text in quotes, such as "{word}"'
                else:
                    message = f"expected a {noun}, got {describe(word)}"
            else:
                near = vocabulary.suggest(word)
                hint = f"did you mean {near!r}?" if near else choices
                message = f"unknown {noun} {word!r}; {hint}"
            items.append(((index,), message))
        if items:
            raise InvalidValue(*items)
        return tuple(value)

    return hook


def _texts(value: object, _: object = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _invalid(f"expected a list, got {describe(value)}")
    items: list[tuple[FieldPath, str]] = []
    for index, item in enumerate(value):
        try:
            _text(item)
        except InvalidValue as exc:
            items.extend(((index, *sub), message) for sub, message in exc.items)
    if items:
        raise InvalidValue(*items)
    return tuple(value)


# --- the converter -------------------------------------------------------------------------

#: Per-class overrides: the field checks that need more than the field's Python type.
_OVERRIDES: Final[Mapping[type, Mapping[str, Callable[[object, object], object]]]] = {
    Provider: {
        "website": _url,
        "email": _email,
        "samhsa_codes": _texts,
        **{field: _words(vocab, noun) for field, (vocab, noun) in PROVIDER_VOCABULARIES.items()},
    },
    Phone: {"number": _phone_number},
    Intake: {
        "call_ahead": _phone_number,
        "officer_minutes": _ranged(0, 24 * 60, "officer_minutes"),
    },
    Location: {"timezone": _timezone},
    Address: {"postal_code": _postal_code, "state": _state},
    Coordinates: {"lat": _coordinate(90, "latitude"), "lon": _coordinate(180, "longitude")},
    Ages: {"min": _ranged(0, 120, "age"), "max": _ranged(0, 120, "age")},
    Source: {"url": _url},
}


def _none_or(hook: Callable[[object, object], T]) -> Callable[[object, object], T | None]:
    """A hook for an optional field: nothing, or blank text, means "not given" (``None``).

    Blank text counts as absent because exports often write ``county: ''`` for "unknown",
    and a contributor clearing a value should not be told off for it.
    """

    def optional(value: object, cl: object = None) -> T | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return hook(value, cl)

    return optional


def _build_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _text)
    conv.register_structure_hook(str | None, _none_or(_text))
    conv.register_structure_hook(bool, _boolean)
    conv.register_structure_hook(int, _integer)
    conv.register_structure_hook(float, _number)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(WeeklyHours, _hours)

    def tuple_of(cl: Any) -> Callable[[object, object], tuple[Any, ...]]:
        inner = get_args(cl)[0]

        def hook(value: object, _: object = None) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise _invalid(f"expected a list, got {describe(value)}")
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
                struct_hook=_none_or(hook) if type(None) in get_args(hints[name]) else hook
            )
            for name, hook in _OVERRIDES.get(cl, {}).items()
        }
        structure = make_dict_structure_fn(cl, conv, **overrides)  # type: ignore[arg-type]

        def hook(value: object, _: object = None) -> T:
            if not isinstance(value, dict):
                raise _invalid(f"expected a mapping of keys and values, got {describe(value)}")
            return structure(value, cl)

        return hook

    conv.register_structure_hook_factory(attrs.has, attrs_class)

    def phone(value: object, cl: object = None) -> Phone:
        if isinstance(value, str):
            return Phone(_phone_number(value))
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
        return f"unknown key {text!r}; did you mean {alias!r}?"
    if top_level and text in _NESTED_HOMES:
        home = _NESTED_HOMES[text]
        return f"unknown key {text!r}: it belongs under '{home}' (write it as {home}.{text})"
    close = difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.7)
    if not close:  # `dropoff` for `first_responder_dropoff`: a part of exactly one key
        close = [k for k in known if len(text) >= 3 and text.lower() in k]
    if len(close) == 1:
        return f"unknown key {text!r}; did you mean {close[0]!r}?"
    return f"unknown key {text!r}; the keys allowed here are: {', '.join(known)}"


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
