"""Field checks for provider files: one hook per kind of value, each saying what to write.

Every hook takes the raw YAML value (and the target type, which it ignores) and returns the
checked, normalised value, or raises :class:`~deflectkit.structure.InvalidValue` with a
message for a person who is not a programmer and the path of the mistake below the field.
The converter in :mod:`deflectkit.files.provider_converter` wires them in:
:data:`TYPE_HOOKS` by Python type, :data:`FIELD_HOOKS` for fields whose checks need more
than their type.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import urllib.parse
import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import phonenumbers

from deflectkit.core.hours import HoursError, WeeklyHours, parse_hours
from deflectkit.core.providers import (
    AGES,
    OFFICER_MINUTES,
    Address,
    Ages,
    Coordinates,
    Intake,
    Location,
    Phone,
    Provider,
    Source,
)
from deflectkit.files.provider_hints import (
    date_message,
    hours_item,
    label_match,
    misplaced_word,
)
from deflectkit.hints import hinted
from deflectkit.spelling import closest, hint
from deflectkit.structure import FieldPath, InvalidValue, describe, invalid
from deflectkit.vocabulary import PROVIDER_LIST_FIELDS, Vocabulary

__all__ = [
    "EMAIL_PATTERN",
    "FIELD_HOOKS",
    "HIDDEN_CHARACTERS",
    "PROVIDER_VOCABULARIES",
    "STATE_CODES",
    "TYPE_HOOKS",
    "InvalidValue",
    "describe",
    "invalid",
    "none_or",
    "phone_number",
]

#: Provider list fields checked against a controlled vocabulary, and what one word is called.
PROVIDER_VOCABULARIES: Final[Mapping[str, tuple[Vocabulary, str]]] = {
    field: (vocabulary, vocabulary.item) for field, vocabulary in PROVIDER_LIST_FIELDS.items()
}

_SPACE: Final = re.compile(r"\s")
#: The common ways to write a ten-digit US number, with or without the +1.
_US_PHONE: Final = re.compile(
    r"^\s*(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]?(\d{3})[ .-]?(\d{4})\s*$"
)
_POSTAL_CODE: Final = re.compile(r"^\d{5}(-\d{4})?$")
_STATE: Final = re.compile(r"^[A-Z]{2}$")
#: USPS codes of the states, DC and the territories, by name, for the exact fix when a
#: volunteer writes the name ("Texas" -> "TX"). https://pe.usps.com/text/pub28/28apb.htm
def _state_key(text: str) -> str:
    """A state's name compared without case, dots or extra spaces."""
    return " ".join(text.lower().replace(".", "").split())


_STATE_CODES: Final = {
    _state_key(name): code
    for code, name in (
        ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
        ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
        ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
        ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"),
        ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"),
        ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"),
        ("MS", "Mississippi"), ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"),
        ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"),
        ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"),
        ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"), ("OR", "Oregon"),
        ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
        ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
        ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"),
        ("WI", "Wisconsin"), ("WY", "Wyoming"), ("AS", "American Samoa"), ("GU", "Guam"),
        ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"),
        ("VI", "U.S. Virgin Islands"),
    )
}
#: Every USPS state code: the states, DC and territories above, the freely associated states
#: and the military "states" (AA, AE, AP). https://pe.usps.com/text/pub28/28apb.htm
STATE_CODES: Final = frozenset(_STATE_CODES.values()) | {"AA", "AE", "AP", "FM", "MH", "PW"}
# Deliberately simple: one @, no spaces, a dotted domain. Deliverability is not checkable here.
_EMAIL: Final = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
#: The same rule for the JSON Schema (one rule in one place).
EMAIL_PATTERN: Final = _EMAIL.pattern

T = TypeVar("T")


# --- scalar hooks --------------------------------------------------------------------------


#: Characters no provider text needs and that change what a terminal or a reader shows:
#: control characters other than line breaks and tabs (a double-quoted "\e[2J" is one),
#: and the invisible bidirectional overrides (https://trojansource.codes).
HIDDEN_CHARACTERS: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _text(value: object, _: object = None) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise invalid("is empty: write a value or remove the line")
        hidden = HIDDEN_CHARACTERS.search(value)
        if hidden:
            raise invalid(
                f"contains an invisible control character (U+{ord(hidden.group()):04X}) at "
                f"position {hidden.start() + 1}: remove it"
            )
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise invalid(f'expected text, got {describe(value)}; put it in quotes: "{value}"')
    raise invalid(f"expected text, got {describe(value)}")


def _boolean(value: object, _: object = None) -> bool:
    if isinstance(value, bool):
        return value
    raise invalid(f"expected true or false, got {describe(value)}")


def _integer(value: object, _: object = None) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise invalid(f"expected a whole number, got {describe(value)}")


def _number(value: object, _: object = None) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):  # .nan compares false with every bound: fail closed
            raise invalid(f"expected a number, got {value}")
        return number
    raise invalid(f"expected a number, got {describe(value)}")


def _date(value: object, _: object = None) -> dt.date:
    if isinstance(value, dt.datetime):
        raise invalid(f"write only the date, such as {value.date().isoformat()}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    fallback = f"expected a date such as 2026-10-01, got {describe(value)}"
    raise invalid(date_message(value) or fallback)


def _ranged(low: int, high: int, what: str) -> Callable[[object, object], int]:
    def hook(value: object, _: object = None) -> int:
        number = _integer(value)
        if not low <= number <= high:
            raise invalid(f"{what} must be between {low} and {high}, got {number}")
        return number

    return hook


def _coordinate(limit: int, name: str) -> Callable[[object, object], float]:
    def hook(value: object, _: object = None) -> float:
        number = _number(value)
        if not -limit <= number <= limit:
            swapped = name == "latitude" and abs(number) <= 180
            hint = " (are lat and lon swapped?)" if swapped else ""
            raise invalid(f"{name} must be between -{limit} and {limit}, got {value}{hint}")
        return number

    return hook


def phone_number(value: object, _: object = None) -> str:
    """A US (or other) phone number, checked by ``phonenumbers`` and written in E.164."""
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
        raise invalid(
            f"cannot read phone number {text!r}; write it like \"+1 520-555-0142\""
        ) from None
    # Try the US first: the general check walks every region sharing +1 (two dozen).
    us = phonenumbers.is_valid_number_for_region(parsed, "US")
    if not us and not phonenumbers.is_valid_number(parsed):
        raise invalid(
            f"{text!r} is not a valid phone number; write all ten digits with the area "
            'code, like "+1 520-555-0142"'
        )
    if parsed.extension:
        raise invalid(
            f"{text!r} has an extension; write the main number here and the extension "
            "in the label or the intake instructions"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _url(value: object, _: object = None) -> str:
    text = _text(value).strip()
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        if not parts.scheme and "." in text.split("/", 1)[0]:
            raise invalid(f"links must start with https:// or http://; write 'https://{text}'")
        raise invalid(f"links must start with https:// or http://, got {text!r}")
    if not parts.netloc or _SPACE.search(text):
        raise invalid(f"{text!r} is not a web address")
    return text


def _email(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if text.lower().startswith("mailto:"):
        raise invalid(f"write only the address, without 'mailto:': {text[7:]!r}")
    if not _EMAIL.match(text):
        raise invalid(f"{text!r} is not an e-mail address such as intake@example.org")
    return text


@functools.cache
def _zone_names() -> tuple[str, ...]:
    """Every IANA zone name, read once and only when a "did you mean" needs them."""
    return tuple(sorted(zoneinfo.available_timezones()))


def _timezone(value: object, _: object = None) -> str:
    name = _text(value).strip()
    try:
        # ZoneInfo caches instances itself, so repeated names cost a dict look-up.
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        near = closest(name, _zone_names(), cutoff=0.8)  # many zones differ by a letter
        tail = hint(near, otherwise=", such as 'America/Phoenix'")
        message = f"unknown time zone {name!r}: use an IANA name{tail}"
        raise invalid(hinted(message, suggestion=near, value=name)) from None
    return name


def _postal_code(value: object, _: object = None) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        raise invalid(f'write the ZIP code in quotes, such as "{value:05d}"')
    text = _text(value).strip()
    if not _POSTAL_CODE.match(text):
        raise invalid(f"{text!r} is not a ZIP code such as \"85701\" or \"85701-1234\"")
    return text


def _state(value: object, _: object = None) -> str:
    text = _text(value).strip()
    if not _STATE.match(text):
        upper = text.upper()
        code = upper if upper in _STATE_CODES.values() else _STATE_CODES.get(_state_key(text))
        if code is None:
            message = f"write the two-letter state code in capitals, such as 'AZ', not {text!r}"
        else:
            message = f"write the two-letter state code {code!r}, not {text!r}"
        raise invalid(hinted(message, suggestion=code, value=text))
    return text


def _hours(value: object, _: object = None) -> WeeklyHours:
    try:
        return parse_hours(value)
    except HoursError as exc:  # every bad entry, each at its own key and index
        raise InvalidValue(*(hours_item(error) for error in exc.errors)) from None


def _words(vocabulary: Vocabulary, noun: str) -> Callable[[object, object], tuple[str, ...]]:
    """A hook for a list of vocabulary words: every unknown word is reported."""
    if len(vocabulary) <= 20:
        choices = "use one of: " + ", ".join(vocabulary.words)
    else:
        choices = "use a two-letter ISO 639-1 code such as 'en' or 'es'"

    def hook(value: object, _: object = None) -> tuple[str, ...]:
        if not isinstance(value, list):
            example = vocabulary.words[0]
            raise invalid(f"expected a list such as [{example}], got {describe(value)}")
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
                near = vocabulary.suggest(word) or label_match(word, vocabulary)
                allowed = vocabulary.words if len(vocabulary) <= 20 else ()
                unknown = hinted(
                    f"unknown {noun} {word!r}" + hint(near, otherwise=f"; {choices}"),
                    allowed=allowed, suggestion=near, value=word,
                )
                message = misplaced_word(word, vocabulary.name) or unknown
            items.append(((index,), message))
        if items:
            raise InvalidValue(*items)
        return tuple(value)

    return hook


def _texts(value: object, _: object = None) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise invalid(f"expected a list, got {describe(value)}")
    items: list[tuple[FieldPath, str]] = []
    for index, item in enumerate(value):
        try:
            _text(item)
        except InvalidValue as exc:
            items.extend(((index, *sub), message) for sub, message in exc.items)
    if items:
        raise InvalidValue(*items)
    return tuple(value)



#: Per-class overrides: the field checks that need more than the field's Python type.
FIELD_HOOKS: Final[Mapping[type, Mapping[str, Callable[[object, object], object]]]] = {
    Provider: {
        "website": _url,
        "email": _email,
        "samhsa_codes": _texts,
        **{field: _words(vocab, noun) for field, (vocab, noun) in PROVIDER_VOCABULARIES.items()},
    },
    Phone: {"number": phone_number},
    Intake: {
        "call_ahead": phone_number,
        "officer_minutes": _ranged(OFFICER_MINUTES[0], OFFICER_MINUTES[-1], "officer_minutes"),
    },
    Location: {"timezone": _timezone},
    Address: {"postal_code": _postal_code, "state": _state},
    Coordinates: {"lat": _coordinate(90, "latitude"), "lon": _coordinate(180, "longitude")},
    Ages: {"min": _ranged(AGES[0], AGES[-1], "age"), "max": _ranged(AGES[0], AGES[-1], "age")},
    Source: {"url": _url},
}


def none_or(hook: Callable[[object, object], T]) -> Callable[[object, object], T | None]:
    """A hook for an optional field: nothing, or blank text, means "not given" (``None``).

    Blank text counts as absent because exports often write ``county: ''`` for "unknown",
    and a contributor clearing a value should not be told off for it.
    """

    def optional(value: object, cl: object = None) -> T | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return hook(value, cl)

    return optional


#: Hooks by Python type: strict (YAML's ``yes`` is not text, ``"5"`` is not a number).
TYPE_HOOKS: Final[Mapping[Any, Callable[[object, object], object]]] = {
    str: _text,
    str | None: none_or(_text),
    bool: _boolean,
    int: _integer,
    float: _number,
    dt.date: _date,
    WeeklyHours: _hours,
}
