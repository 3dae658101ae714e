"""JSON Schemas (draft 2020-12) for policy files and policy test files, for editors.

The schemas help as you type (completion, unknown keys, wrong shapes); the loader remains
the authority, since some checks (types of comparisons, parameter coverage) need the whole
policy. ``deflectkit schema --out schemas`` writes them next to the data.
"""

from __future__ import annotations

from typing import Any

from deflectkit.core.policy.decision import CHARGES, STATUSES
from deflectkit.core.policy.expressions import OPERATORS
from deflectkit.core.policy.model import EFFECTS, FACT_TYPES, SCHEMA, SCOPES
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS, SERVICES

__all__ = ["policy_schema", "policy_tests_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}


def _obj(props: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    out.update(extra)
    return out


def _words(vocab_words: tuple[str, ...], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(vocab_words), "description": description}


def policy_schema() -> dict[str, Any]:
    """The JSON Schema of a ``deflectkit/policy@1`` file.

    Example:
        >>> policy_schema()["properties"]["schema"]["const"]
        'deflectkit/policy@1'
    """
    cite = _obj({
        "title": {"type": "string"},
        "href": {"type": "string", "pattern": "^https?://"},
        "section": {"type": "string"},
        "quote": {"type": "string", "description": "the source's own words, short"},
        "note": {"type": "string"},
        "model_choice": {"type": "boolean",
                         "description": "true when no source says this; needs a note"},
    })
    period = _obj({"from": _DATE, "until": {**_DATE, "description": "exclusive"}})
    # JSON has no NaN or infinity; YAML's .nan and .inf are refused by the loader.
    scalar = {"type": ["boolean", "number", "string"]}
    compare = _obj(
        {
            "fact": {"type": "string"},
            "derived": {"type": "string"},
            "op": {"enum": list(OPERATORS)},
            "value": {"anyOf": [scalar, {"type": "array", "items": scalar}]},
            "param": {"anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}, "minItems": 2,
                 "uniqueItems": True,
                 "description": "list parameters joined into one list (a union)"},
            ]},
            "other": {"type": "string"},
        },
        ["op"],
        oneOf=[{"required": ["fact"]}, {"required": ["derived"]}],
    )
    expr: dict[str, Any] = {
        "description": "all, any, not, or a comparison {fact|derived, op, value|param|other}",
        "anyOf": [
            _obj({"all": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/expr"}}},
                 ["all"]),
            _obj({"any": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/expr"}}},
                 ["any"]),
            _obj({"not": {"$ref": "#/$defs/expr"}}, ["not"]),
            compare,
        ],
    }
    cites = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/cite"}}
    rule_props = {
        "id": {"type": "string"},
        "label": {"type": "string"},
        "reason": {"type": "string", "pattern": "^[A-Z][A-Z0-9_]*$"},
        "cite": cites,
        "when": {"$ref": "#/$defs/expr"},
        "effect": {"enum": [*EFFECTS, "require"],
                   "description": "what a hit (a failed criterion) does; criteria default to"
                                  " exclude (require is the first format's word for it)"},
        "scope": {"enum": list(SCOPES), "default": "encounter",
                  "description": "charge: applies only when a charge is in play"},
        "first_step": {"type": "string", "examples": list(FIRST_STEPS.words)},
        "effective": {"$ref": "#/$defs/period"},
        "description": {"type": "string"},
    }
    rule = _obj(rule_props, ["id", "label", "reason", "cite", "when"])
    first_match = {
        "id": {"type": "string"},
        "priority": {"type": "integer"},
        "label": {"type": "string"},
        "when": {"$ref": "#/$defs/expr"},
        "default": {"type": "boolean"},
        "cite": cites,
        "effective": {"$ref": "#/$defs/period"},
    }
    pathway = _obj({**first_match, "pathway": _words(PATHWAYS.words, "deflection pathway")},
                   ["id", "priority", "pathway"])
    route = _obj(
        {
            **first_match,
            "need": {"type": "array", "items": _words(NEEDS.words, "need for dk.match")},
            "services": {"type": "array", "items": _words(SERVICES.words, "service")},
        },
        ["id", "priority", "need"],
    )
    fact = _obj(
        {
            "type": {"enum": list(FACT_TYPES)},
            "values": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "of": {"const": "enum"},
            "optional": {"type": "boolean"},
            "label": {"type": "string"},
            "unit": {"type": "string"},
            "min": {"type": ["number", "null"],
                    "description": "number facts: the smallest value (default 0; null: none)"},
        },
        ["type"],
    )
    parameter = _obj(
        {
            "label": {"type": "string"},
            "unit": {"type": "string"},
            "description": {"type": "string"},
            "cite": cites,
            "values": {
                "type": "object",
                "description": "start date (inclusive) -> value; null retires the parameter",
                "propertyNames": {"pattern": r"^\d{4}-\d{2}-\d{2}$"},
                "additionalProperties": {
                    "anyOf": [scalar, {"type": "null"}, {"type": "array", "items": scalar}]
                },
                "minProperties": 1,
            },
        },
        ["label", "values"],
    )
    follow_up = _obj({
        "checkpoints_days": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        **{k: {"type": "integer", "minimum": 1} for k in (
            "attempts", "attempt_window_hours", "lost_after_unreached", "initiation_days",
            "engagement_days", "engagement_contacts", "re_engagement_hours",
            "re_contact_hours", "overdose_outreach_hours")},
    })
    derived = _obj(
        {"fn": {"enum": ["years_between", "days_between", "count"]},
         "args": {"type": "array", "items": {"type": "string"}},
         "label": {"type": "string"}},
        ["fn", "args"],
    )
    return {
        "$schema": _DRAFT,
        "$id": "https://deflectkit.example.org/schemas/policy.schema.json",
        "title": "deflectkit policy",
        "description": "An agency's deflection policy as data (DESIGN §5).",
        **_obj(
            {
                "schema": {"const": SCHEMA},
                "id": {"type": "string"},
                "label": {"type": "string"},
                "description": {"type": "string"},
                "timezone": {"type": "string", "examples": ["America/Phoenix"]},
                "effective": {"$ref": "#/$defs/period"},
                "cite": cites,
                "as_of_fact": {"type": "string"},
                "facts": {"type": "object", "additionalProperties": {"$ref": "#/$defs/fact"}},
                "derived": {"type": "object",
                            "additionalProperties": {"$ref": "#/$defs/derived"}},
                "parameters": {"type": "object",
                               "additionalProperties": {"$ref": "#/$defs/parameter"}},
                "charge": _obj({"in_play": {"$ref": "#/$defs/expr"}}, ["in_play"]),
                "safety": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                "eligibility": _obj({
                    "criteria": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                    "exclusions": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
                }),
                "pathways": {"type": "array", "items": {"$ref": "#/$defs/pathway"}},
                "referral": _obj({"routes": {"type": "array",
                                             "items": {"$ref": "#/$defs/route"}}}, ["routes"]),
                "follow_up": {"$ref": "#/$defs/follow_up"},
            },
            ["schema", "id", "label", "timezone", "effective", "cite", "facts", "pathways"],
        ),
        "$defs": {
            "cite": cite, "period": period, "expr": expr, "rule": rule, "pathway": pathway,
            "route": route, "fact": fact, "parameter": parameter, "follow_up": follow_up,
            "derived": derived,
        },
    }


def policy_tests_schema() -> dict[str, Any]:
    """The JSON Schema of a policy test file (a list of ``{name, as_of, facts, expect}``)."""
    words = {"type": "array", "items": {"type": "string"}}
    expect = _obj(
        {
            "status": {"enum": list(STATUSES)},
            "charge": {"enum": list(CHARGES)},
            "voluntary": {"type": "boolean"},
            "pathway": {"anyOf": [_words(PATHWAYS.words, "pathway"), {"type": "null"}]},
            "reasons": {**words, "description": "reason codes that must be reported"},
            "not_reasons": {**words, "description": "reason codes that must not be reported"},
            "first_steps": {**words, "description": "first steps that must be given"},
            "missing_facts": {**words, "description": "exactly these facts are missing"},
            "route": {"type": ["string", "null"]},
            "need": words,
        },
        minProperties=1,
    )
    case = _obj(
        {
            "name": {"type": "string", "minLength": 1},
            "description": {"type": "string"},
            "as_of": _DATE,
            "facts": {"type": "object"},
            "expect": expect,
        },
        ["name", "facts", "expect"],
    )
    return {
        "$schema": _DRAFT,
        "$id": "https://deflectkit.example.org/schemas/policy-tests.schema.json",
        "title": "deflectkit policy tests",
        "description": "Cases for a policy: facts in, expected decision out (DESIGN §5).",
        "type": "array",
        "minItems": 1,
        "items": case,
    }
