"""An unknown operator is answered with the operator that means the same, never a look-alike."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from deflectkit.core.policy.build import build_policy
from deflectkit.core.policy.expressions import OPERATOR_ALIASES, OPERATORS, operator_hint

MODEL = Path(__file__).resolve().parent.parent / "data" / "policies" / "model-deflection.yaml"

#: What someone means by a spelling from another language, and our word for it.
MEANT = {"gte": "ge", ">=": "ge", "=>": "ge", "lte": "le", "<=": "le", "==": "eq", "=": "eq",
         "!=": "ne", "<>": "ne", "neq": "ne", "eq?": "eq", "equals": "eq", ">": "gt",
         "<": "lt", "contains": "contains_any", "in_list": "in", "nin": "not_in",
         "GTE": "ge", " gte ": "ge"}


@pytest.mark.parametrize(("word", "ours"), MEANT.items())
def test_alias_hint(word: str, ours: str) -> None:
    """Each spelling gets the operator with the same meaning."""
    assert f" (did you mean {ours!r}?)" == operator_hint(word)


def test_aliases_are_hints_only() -> None:
    """Every alias points at a real operator and is not itself accepted."""
    assert set(OPERATOR_ALIASES.values()) <= set(OPERATORS)
    assert not set(OPERATOR_ALIASES) & set(OPERATORS)


def test_other_misspellings_use_the_nearest_word() -> None:
    """Words that are not aliases still get the closest spelling, or nothing."""
    assert " (did you mean 'between'?)" == operator_hint("betwen")
    assert "" == operator_hint("zzz")
    assert "" == operator_hint(3)


def _with_first_criterion_op(op: Any) -> dict[str, Any]:
    data = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    criterion = changed["eligibility"]["criteria"][0]["when"]
    assert "op" in criterion, criterion  # the model's first criterion is a comparison
    criterion["op"] = op
    out: dict[str, Any] = changed
    return out


@pytest.mark.parametrize("op", ["gte", ">=", "neq"])
def test_policy_load_gives_the_hint_and_refuses(op: str) -> None:
    """A policy with an alias does not load: the message names the operator to write."""
    policy, issues = build_policy(_with_first_criterion_op(op))
    messages = [i.message for i in issues if i.severity == "error"]

    assert policy is None
    assert [f"unknown operator {op!r}{operator_hint(op)}"] == [m.split(";")[0] for m in messages]
    assert f"(did you mean {MEANT[op]!r}?)" in messages[0]
