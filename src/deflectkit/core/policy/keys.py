"""The keys of a policy file, written once: whether each is required, and what it holds.

Each table is a :data:`~deflectkit.structure.KeyTable`. The reader checks documents against
these tables (:func:`deflectkit.structure.check_keys`, through
:meth:`deflectkit.core.policy.reading.Reader.mapping`), and the editors' JSON Schema is
derived from them (:mod:`deflectkit.core.policy.schema`), so a required key cannot be
required by one and optional in the other. Each table lists its keys in the order the
schema shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, get_args

import attrs

from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.policy.decision import CHARGES, STATUSES
from deflectkit.core.policy.model import EFFECTS, FACT_TYPES, SCHEMA, SCOPES, DerivedKind
from deflectkit.structure import Key, KeyTable, object_schema
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS, SERVICES, Vocabulary

__all__ = [
    "CASE",
    "CHARGE",
    "CITE",
    "DATE",
    "DERIVED",
    "ELIGIBILITY",
    "EXPECT",
    "FACT",
    "FOLLOW_UP",
    "PARAMETER",
    "PATHWAY",
    "PERIOD",
    "REFERRAL",
    "ROUTE",
    "RULE",
    "SCALAR",
    "TOP",
]


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

#: A dated period: ``until`` is exclusive.
PERIOD: Final[KeyTable] = {
    "from": _opt(DATE),
    "until": _opt({**DATE, "description": "exclusive"}),
}

#: A citation: every key optional (the reader checks that it says something).
CITE: Final[KeyTable] = {
    "title": _opt(_TEXT),
    "href": _opt({"type": "string", "pattern": "^https?://"}),
    "section": _opt(_TEXT),
    "quote": _opt({"type": "string", "description": "the source's own words, short"}),
    "note": _opt(_TEXT),
    "model_choice": _opt({"type": "boolean",
                          "description": "true when no source says this; needs a note"}),
}

#: A safety rule, an eligibility criterion or an exclusion.
RULE: Final[KeyTable] = {
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
_FIRST_MATCH: Final[KeyTable] = {
    "id": _req(_TEXT),
    "priority": _req({"type": "integer"}),
    "label": _opt(_TEXT),
    "when": _opt(_ref("expr")),
    "default": _opt({"type": "boolean"}),
    "cite": _opt(_CITES),
    "effective": _opt(_ref("period")),
}

#: A pathway rule.
PATHWAY: Final[KeyTable] = {
    **_FIRST_MATCH,
    "pathway": _req(_words(PATHWAYS, "deflection pathway")),
}

#: A referral route.
ROUTE: Final[KeyTable] = {
    **_FIRST_MATCH,
    "need": _req({"type": "array", "items": _words(NEEDS, "need for dk.match")}),
    "services": _opt({"type": "array", "items": _words(SERVICES, "service")}),
}

#: A declared fact.
FACT: Final[KeyTable] = {
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
PARAMETER: Final[KeyTable] = {
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

#: A derived fact: a function of declared facts.
DERIVED: Final[KeyTable] = {
    "fn": _req({"enum": list(get_args(DerivedKind))}),
    "args": _req({"type": "array", "items": {"type": "string"}}),
    "label": _opt({"type": "string"}),
}

#: The follow-up plan: every field of ``FollowUpPlan``, each a positive whole number (a list
#: of them for the checkpoints).
_WHOLE: Final = {"type": "integer", "minimum": 1}
FOLLOW_UP: Final[KeyTable] = {
    a.name: _opt({"type": "array", "items": _WHOLE} if a.name == "checkpoints_days" else _WHOLE)
    for a in attrs.fields(FollowUpPlan)
}

#: ``eligibility:``, ``referral:`` and ``charge:``, the sections that hold rules.
ELIGIBILITY: Final[KeyTable] = {
    "criteria": _opt(_list_of("rule")),
    "exclusions": _opt(_list_of("rule")),
}
REFERRAL: Final[KeyTable] = {"routes": _req(_list_of("route"))}
CHARGE: Final[KeyTable] = {"in_play": _req(_ref("expr"))}

#: The top of a policy file.
TOP: Final[KeyTable] = {
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

#: What a policy test case expects of the decision (every key optional; at least one given).
_WORD_LIST: Final = {"type": "array", "items": {"type": "string"}}
EXPECT: Final[KeyTable] = {
    "status": _opt({"enum": list(STATUSES)}),
    "charge": _opt({"enum": list(CHARGES)}),
    "voluntary": _opt({"type": "boolean"}),
    "pathway": _opt({"anyOf": [_words(PATHWAYS, "pathway"), {"type": "null"}]}),
    "reasons": _opt({**_WORD_LIST, "description": "reason codes that must be reported"}),
    "not_reasons": _opt({**_WORD_LIST,
                         "description": "reason codes that must not be reported"}),
    "first_steps": _opt({**_WORD_LIST, "description": "first steps that must be given"}),
    "missing_facts": _opt({**_WORD_LIST, "description": "exactly these facts are missing"}),
    "route": _opt({"type": ["string", "null"]}),
    "need": _opt(_WORD_LIST),
}

#: One case of a policy test file.
CASE: Final[KeyTable] = {
    "name": _req({"type": "string", "minLength": 1}),
    "description": _opt(_TEXT),
    "as_of": _opt(DATE),
    "facts": _req({"type": "object"}),
    "expect": _req(object_schema(EXPECT, minProperties=1)),
}
