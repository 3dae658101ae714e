"""JSON Schemas (draft 2020-12) for policy files and policy test files, for editors.

The schemas help as you type (completion, unknown keys, wrong shapes); the loader remains
the authority, since some checks (types of comparisons, parameter coverage) need the whole
policy. ``deflectkit schema --out schemas`` writes them next to the data.
"""

from __future__ import annotations

from typing import Any

from deflectkit.core.policy import keys
from deflectkit.core.policy.expressions import OPERATORS
from deflectkit.core.policy.keys import SCALAR
from deflectkit.structure import object_schema

__all__ = ["policy_schema", "policy_tests_schema"]

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _obj(props: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = required
    out.update(extra)
    return out


def _expr() -> dict[str, Any]:
    """A condition: ``all``, ``any``, ``not`` or a comparison (parsed by ``expressions``)."""
    compare = _obj(
        {
            "fact": {"type": "string"},
            "derived": {"type": "string"},
            "op": {"enum": list(OPERATORS)},
            "value": {"anyOf": [SCALAR, {"type": "array", "items": SCALAR}]},
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
    items = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/expr"}}
    return {
        "description": "all, any, not, or a comparison {fact|derived, op, value|param|other}",
        "anyOf": [
            _obj({"all": items}, ["all"]),
            _obj({"any": items}, ["any"]),
            _obj({"not": {"$ref": "#/$defs/expr"}}, ["not"]),
            compare,
        ],
    }


def policy_schema() -> dict[str, Any]:
    """The JSON Schema of a ``deflectkit/policy@1`` file, from the reader's key tables.

    Example:
        >>> policy_schema()["properties"]["schema"]["const"]
        'deflectkit/policy@1'
    """
    return {
        "$schema": _DRAFT,
        "$id": "https://deflectkit.example.org/schemas/policy.schema.json",
        "title": "deflectkit policy",
        "description": "An agency's deflection policy as data.",
        **object_schema(keys.TOP),
        "$defs": {
            "cite": object_schema(keys.CITE),
            "period": object_schema(keys.PERIOD),
            "expr": _expr(),
            "rule": object_schema(keys.RULE),
            "pathway": object_schema(keys.PATHWAY),
            "route": object_schema(keys.ROUTE),
            "fact": object_schema(keys.FACT),
            "parameter": object_schema(keys.PARAMETER),
            "follow_up": object_schema(keys.FOLLOW_UP),
            "derived": object_schema(keys.DERIVED),
        },
    }


def policy_tests_schema() -> dict[str, Any]:
    """The JSON Schema of a policy test file (a list of ``{name, as_of, facts, expect}``)."""
    return {
        "$schema": _DRAFT,
        "$id": "https://deflectkit.example.org/schemas/policy-tests.schema.json",
        "title": "deflectkit policy tests",
        "description": "Cases for a policy: facts in, expected decision out.",
        "type": "array",
        "minItems": 1,
        "items": object_schema(keys.CASE),
    }
