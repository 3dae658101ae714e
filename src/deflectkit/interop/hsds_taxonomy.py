"""The deflectkit taxonomy: how our fields travel inside HSDS 3.0 ``attribute`` objects.

HSDS has no place for "officers may drop people off here" or "accepts Medicaid", so
(as HSDS's conformance rules ask) we add them as *attributes* tagged with terms of one
small published taxonomy, ``deflectkit``, rather than inventing new HSDS fields:

* a **word** of one of our vocabularies is the term ``<vocabulary>:<word>``, e.g.
  ``services:withdrawal_management``, ``payment:medicaid``, ``medications:buprenorphine``,
  ``asam_levels:3.7-WM``, ``populations:veterans``, ``accessibility:wheelchair``,
  ``languages:es``; SAMHSA's raw codes are ``samhsa_codes:OP``; the attribute has no value;
* a **field** is the term ``field:<name>`` with the value as text: ``field:otp`` =
  ``true``, ``field:intake.first_responder_dropoff`` = ``true``, ``field:intake.call_ahead``
  = ``+1 520-555-0142``, ``field:timezone`` = ``America/Phoenix``, ``field:hours`` and
  ``field:intake.hours`` = the hours shorthand as JSON, ``field:source`` = JSON.

Every id in an export is a UUID version 5 in :data:`NAMESPACE`, derived from the
provider's slug (or the term's code), so the same directory exports to the same ids every
time and other systems can follow a provider across exports.

Example:
    >>> term_code("services", "outpatient")
    'services:outpatient'
    >>> stable_id("service", "example-clinic") == stable_id("service", "example-clinic")
    True
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Mapping
from typing import Any, Final

from deflectkit.vocabulary import PROVIDER_LIST_FIELDS, Vocabulary

__all__ = [
    "FIELDS",
    "NAMESPACE",
    "TAXONOMY_NAME",
    "TAXONOMY_URI",
    "VOCABULARIES",
    "field_term",
    "is_deflectkit_term",
    "stable_id",
    "taxonomy",
    "taxonomy_term",
    "term_code",
]

#: deflectkit's UUID namespace: ``uuid5(NAMESPACE_URL, "https://example.org/deflectkit")``.
#: Never change it: every exported id depends on it.
NAMESPACE: Final = uuid.UUID("18672a49-6fe9-58e2-8073-0f4c51fde9a2")
TAXONOMY_NAME: Final = "deflectkit"
TAXONOMY_URI: Final = "https://example.org/deflectkit/taxonomy"

#: Provider list fields carried as one attribute per word.
VOCABULARIES: Final[dict[str, Vocabulary | None]] = {
    **PROVIDER_LIST_FIELDS,
    "samhsa_codes": None,  # SAMHSA's own codes: kept as they are, no vocabulary of ours
}

#: Single-valued provider fields carried as ``field:<name>`` attributes with a value.
FIELDS: Final[dict[str, str]] = {
    "otp": "Opioid Treatment Program (may dispense methadone), true or false.",
    "mental_health": "Treats mental illness as well as substance use, true or false.",
    "sample": "Fictional sample data, true or false.",
    "timezone": "IANA time zone of the provider's clock (HSDS keeps only an offset).",
    "hours": "Opening hours in deflectkit's shorthand, as JSON.",
    "intake.walk_in": "People may arrive without an appointment, true or false.",
    "intake.first_responder_dropoff": "Officers may bring people here directly, true or false.",
    "intake.call_ahead": "Number to call before arriving.",
    "intake.officer_minutes": "Typical minutes an officer spends on the hand-off.",
    "intake.hours": "Intake hours when they differ from opening hours, as JSON.",
    "intake.instructions": "Plain-language directions for officers.",
    "intake.instructions_es": "The intake directions in Spanish.",
    "description_es": "The description in Spanish (HSDS 3.0 has no field for translations).",
    "source": "Where the record was imported from, as JSON (name, id, date, url).",
    "slug": "The provider's file name in deflectkit, kept so a re-import keeps it.",
}


_NAMESPACE_BYTES: Final = NAMESPACE.bytes


def stable_id(kind: str, key: str) -> str:
    """A UUIDv5 for one HSDS object, from its kind and a stable key such as the slug.

    The same value as ``str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))``, computed without
    building ``UUID`` objects: an export makes one per attribute, 50,000 for a state.
    """
    # SHA-1 is what RFC 4122 prescribes for version 5 names; it is an id here, not security.
    name = _NAMESPACE_BYTES + f"{kind}:{key}".encode()
    digest = bytearray(hashlib.sha1(name, usedforsecurity=False).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def term_code(vocabulary: str, word: str) -> str:
    """The taxonomy code of one vocabulary word."""
    return f"{vocabulary}:{word}"


def taxonomy() -> dict[str, Any]:
    """The HSDS ``taxonomy`` object describing the deflectkit taxonomy."""
    return {
        "id": stable_id("taxonomy", TAXONOMY_NAME),
        "name": TAXONOMY_NAME,
        "description": (
            "Deflection profile of deflectkit: treatment services, medications, payment, "
            "populations and first-responder intake details, as vocabulary:word terms "
            "and field:name terms with a value."
        ),
        "uri": TAXONOMY_URI,
        "version": "1",
    }


def taxonomy_term(vocabulary: str, word: str) -> dict[str, Any]:
    """The HSDS ``taxonomy_term`` for one vocabulary word, labelled for people."""
    return dict(_taxonomy_term(vocabulary, word))


@functools.cache
def _taxonomy_term(vocabulary: str, word: str) -> dict[str, Any]:
    vocab = VOCABULARIES.get(vocabulary)
    if vocab is not None and word in vocab:
        term = vocab.term(word)
        name, description = term.label, term.description or term.label
    else:
        name = description = f"{vocabulary.replace('_', ' ')} {word}"
    code = term_code(vocabulary, word)
    return {
        "id": stable_id("taxonomy_term", code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": stable_id("taxonomy", TAXONOMY_NAME),
    }


def field_term(name: str) -> dict[str, Any]:
    """The HSDS ``taxonomy_term`` for one single-valued deflectkit field."""
    return dict(_field_term(name))


@functools.cache
def _field_term(name: str) -> dict[str, Any]:
    code = f"field:{name}"
    return {
        "id": stable_id("taxonomy_term", code),
        "code": code,
        "name": name,
        "description": FIELDS[name],
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": stable_id("taxonomy", TAXONOMY_NAME),
    }


def is_deflectkit_term(term: Mapping[str, Any]) -> bool:
    """Whether an HSDS ``taxonomy_term`` belongs to the deflectkit taxonomy."""
    detail = term.get("taxonomy_detail")
    return term.get("taxonomy") == TAXONOMY_NAME or (
        isinstance(detail, dict) and detail.get("name") == TAXONOMY_NAME
    )
