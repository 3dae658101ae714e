"""The keys of a policy file, written once: whether each is required, and what it holds.

The reader checks documents against these tables (:mod:`deflectkit.core.policy.reading`,
:mod:`deflectkit.core.policy.build`), and the editors' JSON Schema is derived from them
(:mod:`deflectkit.core.policy.schema`), so a required key cannot be required by one and
optional in the other. Each table lists its keys in the order the schema shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from deflectkit.core.policy.model import EFFECTS, FACT_TYPES, SCHEMA, SCOPES
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS, SERVICES, Vocabulary

__all__ = [
    "CHARGE",
    "CITE",
    "DATE",
    "ELIGIBILITY",
    "FACT",
    "PARAMETER",
    "PATHWAY",
    "REFERRAL",
    "ROUTE",
    "RULE",
    "SCALAR",
    "TOP",
    "Key",
    "object_schema",
    "required_of",
]


@attrs.frozen
class Key:
    """One key of a policy document: required or not, and the JSON Schema of its value."""

    required: bool
    schema: Mapping[str, Any]


def required_of(table: Mapping[str, Key]) -> dict[str, bool]:
    """``key -> required`` for the reader (:meth:`~.reading.Reader.mapping`)."""
    return {name: key.required for name, key in table.items()}


def object_schema(table: Mapping[str, Key], **extra: Any) -> dict[str, Any]:
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


def _words(vocabulary: Vocabulary, description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(vocabulary.words), "description": description}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _opt(schema: Mapping[str, Any]) -> Key:
    return Key(required=False, schema=schema)


def _req(schema: Mapping[str, Any]) -> Key:
    return Key(required=True, schema=schema)


DATE: Final = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}
#: JSON has no NaN or infinity; YAML's .nan and .inf are refused by the loader.
SCALAR: Final = {"type": ["boolean", "number", "string"]}
_TEXT: Final = {"type": "string"}
_CITES: Final = {"type": "array", "minItems": 1, "items": _ref("cite")}

#: A citation: every key optional (the reader checks that it says something).
CITE: Final[Mapping[str, Key]] = {
    "title": _opt(_TEXT),
    "href": _opt({"type": "string", "pattern": "^https?://"}),
    "section": _opt(_TEXT),
    "quote": _opt({"type": "string", "description": "the source's own words, short"}),
    "note": _opt(_TEXT),
    "model_choice": _opt({"type": "boolean",
                          "description": "true when no source says this; needs a note"}),
}

#: A safety rule, an eligibility criterion or an exclusion.
RULE: Final[Mapping[str, Key]] = {
    "id": _req(_TEXT),
    "label": _req(_TEXT),
    "reason": _req({"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"}),
    "cite": _req(_CITES),
    "when": _req(_ref("expr")),
    "effect": _opt({"enum": [*EFFECTS, "require"],
                    "description": "what a hit (a failed criterion) does; criteria default to"
                                   " exclude (require is the first format's word for it)"}),
    "scope": _opt({"enum": list(SCOPES), "default": "encounter",
                   "description": "charge: applies only when a charge is in play"}),
    "first_step": _opt({"type": "string", "examples": list(FIRST_STEPS.words)}),
    "effective": _opt(_ref("period")),
    "description": _opt(_TEXT),
}

#: What pathway rules and referral routes share (the first that matches wins).
_FIRST_MATCH: Final[Mapping[str, Key]] = {
    "id": _req(_TEXT),
    "priority": _req({"type": "integer"}),
    "label": _opt(_TEXT),
    "when": _opt(_ref("expr")),
    "default": _opt({"type": "boolean"}),
    "cite": _opt(_CITES),
    "effective": _opt(_ref("period")),
}

#: A pathway rule.
PATHWAY: Final[Mapping[str, Key]] = {
    **_FIRST_MATCH,
    "pathway": _req(_words(PATHWAYS, "deflection pathway")),
}

#: A referral route.
ROUTE: Final[Mapping[str, Key]] = {
    **_FIRST_MATCH,
    "need": _req({"type": "array", "items": _words(NEEDS, "need for dk.match")}),
    "services": _opt({"type": "array", "items": _words(SERVICES, "service")}),
}

#: A declared fact.
FACT: Final[Mapping[str, Key]] = {
    "type": _req({"enum": list(FACT_TYPES)}),
    "values": _opt({"type": "array", "items": {"type": "string"}, "minItems": 1}),
    "of": _opt({"const": "enum"}),
    "optional": _opt({"type": "boolean"}),
    "label": _opt(_TEXT),
    "unit": _opt(_TEXT),
    "min": _opt({"type": ["number", "null"],
                 "description": "number facts: the smallest value (default 0; null: none)"}),
}

#: A dated parameter.
PARAMETER: Final[Mapping[str, Key]] = {
    "label": _req(_TEXT),
    "unit": _opt(_TEXT),
    "description": _opt(_TEXT),
    "cite": _opt(_CITES),
    "values": _req({
        "type": "object",
        "description": "start date (inclusive) -> value; null retires the parameter",
        "propertyNames": {"pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "additionalProperties": {
            "anyOf": [SCALAR, {"type": "null"}, {"type": "array", "items": SCALAR}]
        },
        "minProperties": 1,
    }),
}

#: ``eligibility:``, ``referral:`` and ``charge:``, the sections that hold rules.
ELIGIBILITY: Final[Mapping[str, Key]] = {
    "criteria": _opt(_list_of("rule")),
    "exclusions": _opt(_list_of("rule")),
}
REFERRAL: Final[Mapping[str, Key]] = {"routes": _req(_list_of("route"))}
CHARGE: Final[Mapping[str, Key]] = {"in_play": _req(_ref("expr"))}

#: The top of a policy file.
TOP: Final[Mapping[str, Key]] = {
    "schema": _req({"const": SCHEMA}),
    "id": _req(_TEXT),
    "label": _req(_TEXT),
    "description": _opt(_TEXT),
    "timezone": _req({"type": "string", "examples": ["America/Phoenix"]}),
    "effective": _req(_ref("period")),
    "cite": _req(_CITES),
    "as_of_fact": _opt(_TEXT),
    "facts": _req({"type": "object", "additionalProperties": _ref("fact")}),
    "derived": _opt({"type": "object", "additionalProperties": _ref("derived")}),
    "parameters": _opt({"type": "object", "additionalProperties": _ref("parameter")}),
    "charge": _opt(object_schema(CHARGE)),
    "safety": _opt(_list_of("rule")),
    "eligibility": _opt(object_schema(ELIGIBILITY)),
    "pathways": _req(_list_of("pathway")),
    "referral": _opt(object_schema(REFERRAL)),
    "follow_up": _opt(_ref("follow_up")),
}
