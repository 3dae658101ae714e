"""JSON Schema (draft-07) for provider files, generated from the model and the vocabulary.

The schema is never written by hand: it walks the attrs classes of
:mod:`deflectkit.core.providers` and enumerates each controlled list from
:mod:`deflectkit.vocabulary`, with every word's label as its description. Editors that read
the ``# yaml-language-server: $schema=...`` line at the top of each provider file then
autocomplete keys and words and underline mistakes while a contributor types.

The provider schema is published in draft-07, the draft the YAML language server (VS Code's
YAML extension) supports, and accepts what ``deflectkit validate`` accepts (``Mon-Fri`` as
well as ``mon-fri``, blank optional values). The schema checks shape; a few checks need code
and are made only by ``deflectkit validate``: phone numbers really exist, the time zone
exists, ``verified`` is not in the future, ``ages.min`` is not above ``ages.max``, a day is
not given twice in ``hours``, a span does not open and close at the same minute, and a key
is not written twice (YAML parsers keep the last). ``tests/test_schema.py`` runs both over
the same files and checks they agree except there.

Example:
    >>> schema = provider_schema()
    >>> schema["definitions"]["services"]["enum"][:2]
    ['assessment', 'outpatient']
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Union, get_args, get_origin

import attrs

from deflectkit.core.hours import WeeklyHours
from deflectkit.core.providers import (
    PROVIDER_SCHEMA,
    Address,
    Coordinates,
    Intake,
    Location,
    Phone,
    Provider,
)
from deflectkit.files.atomic import write_file_atomically
from deflectkit.files.provider_fields import EMAIL_PATTERN, FIELD_HOOKS
from deflectkit.files.providers import PROVIDER_VOCABULARIES
from deflectkit.vocabulary import DAYS, Vocabulary

__all__ = [
    "FIELD_HELP",
    "SCHEMA_BASE",
    "all_schemas",
    "dump_schema",
    "hours_schema",
    "provider_schema",
    "vocabulary_schema",
    "write_schemas",
]

#: Where the published schemas live; ``$id`` values are made from it.
SCHEMA_BASE: Final = "https://example.org/deflectkit/schemas/"
#: Draft-07: what the YAML language server, and so most editors, understand.
_DRAFT: Final = "http://json-schema.org/draft-07/schema#"
_REF: Final = "#/definitions/"

#: One plain sentence per field, by dotted path: the schema's descriptions and the
#: contributor guide say the same thing.
FIELD_HELP: Final[Mapping[str, str]] = {
    "schema": (f"The file's format, {PROVIDER_SCHEMA}. Optional: a file without it is read "
               "as that format; a newer one needs a newer deflectkit."),
    "name": "The provider's public name. Required.",
    "organization": "The organization that runs this provider, if it has a different name.",
    "description": "One or two plain sentences: what happens here and for whom.",
    "description_es": "The description in Spanish, for the Spanish directory (optional).",
    "sample": "true for fictional example data; the site shows a banner on sample providers.",
    "verified": "The day a person last checked these details with the provider (YYYY-MM-DD).",
    "phones": "Phone numbers, each with an optional label such as '24/7 intake'.",
    "phones.number": "A US phone number with area code, such as '+1 520-555-0142'.",
    "phones.label": "What this number is for, such as 'Admissions'.",
    "website": "The provider's web page; must start with https:// or http://.",
    "email": "An e-mail address for referrals, such as intake@example.org.",
    "location": "Where the provider is and which clock its hours follow.",
    "location.timezone": "The IANA time zone name, such as America/Phoenix. Required.",
    "location.address": "The street address.",
    "location.address.street": "Street and number, such as '100 Example Way'.",
    "location.address.city": "City or town.",
    "location.address.state": "Two-letter state code, such as AZ.",
    "location.address.postal_code": "Five-digit ZIP code in quotes, such as \"85701\".",
    "location.address.county": "County name without the word 'County', such as Pima.",
    "location.coordinates": "Latitude and longitude; if left out, the ZIP code's center is used.",
    "location.coordinates.lat": "Latitude in decimal degrees (-90 to 90).",
    "location.coordinates.lon": "Longitude in decimal degrees (-180 to 180).",
    "hours": (
        "Opening hours: '24/7', or days mapped to spans such as {mon-fri: '08:00-17:00'}. "
        "A span that ends before it starts ('20:00-08:00') runs overnight; '18:00-24:00' "
        "closes at midnight. Holidays: closed: [2026-12-25]."
    ),
    "intake": "How a first responder hands a person over.",
    "intake.walk_in": "true if people may arrive without an appointment.",
    "intake.first_responder_dropoff": "true if officers may bring people here directly.",
    "intake.call_ahead": "The number to ring before arriving.",
    "intake.officer_minutes": "Typical minutes an officer spends on the hand-off.",
    "intake.hours": "Intake hours, when they differ from the opening hours.",
    "intake.instructions": "Plain-language directions for officers.",
    "intake.instructions_es": "The directions in Spanish, for the Spanish directory (optional).",
    "services": "What the provider offers: words from the services list.",
    "asam_levels": "ASAM Criteria levels of care, in quotes, such as \"2.1\" or \"3.7-WM\".",
    "medications": "Medications for addiction treatment prescribed or dispensed here.",
    "substances": "Substances whose use the provider treats.",
    "payment": "Ways to pay that the provider accepts.",
    "languages": "Languages spoken, as two-letter ISO 639-1 codes such as en, es.",
    "accessibility": "Accessibility features.",
    "populations": "Groups a program is specially for (others may still be served).",
    "otp": "true for a certified Opioid Treatment Program (required to list methadone).",
    "mental_health": "true if the provider also treats mental illness.",
    "ages": "Ages served (inclusive); leave out a side for no limit.",
    "ages.min": "Youngest age served.",
    "ages.max": "Oldest age served.",
    "samhsa_codes": "Raw SAMHSA service codes kept from an import (such as OP, BU, METH).",
    "source": "Where an imported record came from.",
    "source.name": "The source, such as 'SAMHSA FindTreatment.gov'.",
    "source.id": "The record's id in that source.",
    "source.date": "The day the source was read (YYYY-MM-DD).",
    "source.url": "A link to the record in the source.",
}

def _any_case(word: str) -> str:
    """A regex matching ``word`` in any case: JSON Schema patterns have no ``(?i)``."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word)


def _words_pattern(*words: str) -> str:
    return r"^\s*(" + "|".join(_any_case(w) for w in words) + r")\s*$"


_CLOCK: Final = r"(([01]?\d|2[0-3]):[0-5]\d|24:00)"
_SPAN_PATTERN: Final = rf"^\s*{_CLOCK}\s*-\s*{_CLOCK}\s*$"
_DAY_WORD: Final = "(" + "|".join(_any_case(d) for d in DAYS.words) + ")"
_DAY_PART: Final = rf"\s*{_DAY_WORD}(-{_DAY_WORD})?\s*"
_DAY_KEY_PATTERN: Final = (
    rf"^(\s*({_any_case('daily')}|{_any_case('every_day')})\s*|{_DAY_PART}(,{_DAY_PART})*)$"
)
_ISO_DATE: Final = r"^\s*\d{4}-\d{2}-\d{2}\s*$"

#: Field formats beyond the Python type (the converter's hooks check the same things).
_FORMATS: Final[Mapping[str, Mapping[str, Any]]] = {
    "website": {"format": "uri", "pattern": "^https?://"},
    "source.url": {"format": "uri", "pattern": "^https?://"},
    "email": {"format": "email", "pattern": EMAIL_PATTERN},
    "location.address.state": {"pattern": "^[A-Z]{2}$"},
    "location.address.postal_code": {"pattern": r"^\d{5}(-\d{4})?$"},
    "location.coordinates.lat": {"minimum": -90, "maximum": 90},
    "location.coordinates.lon": {"minimum": -180, "maximum": 180},
    "ages.min": {"minimum": 0, "maximum": 120},
    "ages.max": {"minimum": 0, "maximum": 120},
    "intake.officer_minutes": {"minimum": 0, "maximum": 1440},
}


def vocabulary_schema(vocabulary: Vocabulary) -> dict[str, Any]:
    """A string enum of the vocabulary's words, each word's label as its description."""
    return {
        "type": "string",
        "title": vocabulary.title,
        "enum": list(vocabulary.words),
        # Read by editors (VS Code, yaml-language-server) to label each choice.
        "enumDescriptions": [t.label for t in vocabulary.terms],
    }


def hours_schema() -> dict[str, Any]:
    """The hours shorthand: ``24/7`` or a mapping of day keys to spans."""
    span = {"type": "string", "pattern": _SPAN_PATTERN, "examples": ["08:00-17:00"]}
    closed = {"type": "string", "pattern": _words_pattern("closed", "none", "24h", "open_24h")}
    day_value = {"anyOf": [span, closed, {"type": "array", "items": span}]}
    closed_dates = {
        "description": "Dates closed all day, such as holidays (YYYY-MM-DD).",
        "type": "array",
        "items": {"type": "string", "format": "date", "pattern": _ISO_DATE},
    }
    return {
        "anyOf": [
            {"type": "string", "pattern": _words_pattern("24/7", "24x7", "always")},
            {
                "type": "object",
                "properties": {"closed": {"anyOf": [closed_dates, closed_dates["items"]]}},
                "propertyNames": {"anyOf": [{"pattern": _DAY_KEY_PATTERN}, {"const": "closed"}]},
                "additionalProperties": day_value,
            },
        ],
        "examples": ["24/7", {"mon-fri": "08:00-17:00", "sat": "09:00-12:00"}],
    }


def _is_optional(tp: Any) -> tuple[bool, Any]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return True, args[0]
    return False, tp


def _type_schema(
    tp: Any, path: str, defs: dict[str, Any], *, checked_by_hook: bool = False
) -> dict[str, Any]:
    optional, inner = _is_optional(tp)
    schema = _inner_schema(inner, path, defs)
    if optional and (inner is str or checked_by_hook):
        # Optional text, or a value with its own check: blank text means "not given", as
        # the validator reads it (see provider_fields.none_or).
        return {"anyOf": [schema, {"type": "null"}, {"type": "string", "pattern": r"^\s*$"}]}
    if optional:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _inner_schema(tp: Any, path: str, defs: dict[str, Any]) -> dict[str, Any]:
    leaf = path.rsplit(".", 1)[-1]
    if path in PROVIDER_VOCABULARIES:
        vocabulary = PROVIDER_VOCABULARIES[path][0]
        defs.setdefault(vocabulary.name, vocabulary_schema(vocabulary))
        return {"type": "array", "items": {"$ref": _REF + vocabulary.name}}
    if tp is WeeklyHours:
        defs.setdefault("hours", hours_schema())
        return {"$ref": _REF + "hours"}
    if tp is Phone:
        phone = _class_schema(Phone, path, defs)
        number = {"type": "string", "description": FIELD_HELP["phones.number"]}
        return {"anyOf": [number, phone]}
    if attrs.has(tp):
        return _class_schema(tp, path, defs)
    if get_origin(tp) is tuple:
        return {"type": "array", "items": _inner_schema(get_args(tp)[0], path, defs)}
    simple: dict[Any, dict[str, Any]] = {
        str: {"type": "string", "pattern": r"\S"},
        bool: {"type": "boolean"},
        int: {"type": "integer"},
        float: {"type": "number"},
        dt.date: {"type": "string", "format": "date", "pattern": _ISO_DATE},
    }
    if tp in simple:
        schema = dict(simple[tp])
        if leaf == "call_ahead":
            schema["description"] = FIELD_HELP["phones.number"]
        schema.update(_FORMATS.get(path, {}))
        return schema
    msg = f"no JSON Schema for {tp!r} at {path}"  # a new model type: teach this module
    raise TypeError(msg)


def _class_schema(cl: type, prefix: str, defs: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cl)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cl):
        if field.name == "slug" and cl is Provider:
            continue  # the file name
        path = f"{prefix}.{field.name}" if prefix else field.name
        hooked = field.name in FIELD_HOOKS.get(cl, {})
        schema = _type_schema(hints[field.name], path, defs, checked_by_hook=hooked)
        help_text = FIELD_HELP.get(path)
        if help_text:
            schema = {"description": help_text, **schema}
        properties[field.name] = schema
        if field.default is attrs.NOTHING:
            required.append(field.name)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def provider_schema() -> dict[str, Any]:
    """The JSON Schema of a provider file (``data/providers/<slug>.yaml``)."""
    defs: dict[str, Any] = {}
    body = _class_schema(Provider, "", defs)
    # Not a field of the model: the reader checks it and sets it aside before structuring.
    schema_key = {"description": FIELD_HELP["schema"], "const": PROVIDER_SCHEMA}
    body["properties"] = {"schema": schema_key, **body["properties"]}
    return {
        "$schema": _DRAFT,
        "$id": SCHEMA_BASE + "provider.schema.json",
        "title": "deflectkit provider",
        "description": (
            "One treatment or support provider that first responders refer people to. "
            "The file name (without .yaml) is the provider's slug."
        ),
        **body,
        **_METHADONE_NEEDS_OTP,
        "definitions": dict(sorted(defs.items())),
    }


#: Methadone for opioid use disorder is dispensed only by an Opioid Treatment Program.
_METHADONE_NEEDS_OTP: Final = {
    "if": {
        "properties": {"medications": {"type": "array", "contains": {"const": "methadone"}}},
        "required": ["medications"],
    },
    "then": {"properties": {"otp": {"const": True}}, "required": ["otp"]},
}


# The model classes the schema walks; listed so a rename breaks this import, not the schema.
_MODEL: Final = (Address, Coordinates, Intake, Location, Phone, Provider)

_OPTIONAL: Final[Mapping[str, tuple[str, str]]] = {
    "policy.schema.json": ("deflectkit.core.policy.schema", "policy_schema"),
    "policy-tests.schema.json": ("deflectkit.core.policy.schema", "policy_tests_schema"),
}


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema deflectkit publishes, by file name.

    The policy schemas come from :mod:`deflectkit.core.policy.schema` when it is present.
    """
    out: dict[str, dict[str, Any]] = {"provider.schema.json": provider_schema()}
    for name, (module, function) in _OPTIONAL.items():
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name is not None and not module.startswith(exc.name):
                raise
            continue
        make: Callable[[], dict[str, Any]] | None = getattr(loaded, function, None)
        if make is not None:
            out[name] = make()
    return out


def dump_schema(schema: Mapping[str, Any]) -> str:
    """The schema as stable, readable JSON text (sorted nowhere: field order is meaningful)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out_dir: str | Path) -> list[Path]:
    """Write every schema into ``out_dir`` (created if needed); return the files written.

    Each file is written to a temporary name and renamed, so a reader never sees half a file.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, schema in all_schemas().items():
        # The shared writer: all or nothing, and the file keeps its mode (or gets the
        # umask's: a schema is public, mkstemp made it 0600).
        write_file_atomically(folder / name, dump_schema(schema))
        written.append(folder / name)
    return written
