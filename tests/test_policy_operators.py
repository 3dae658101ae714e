"""The operator table: each operator means what Python means, with a value or a parameter,
and a missing fact is unknown (or false for an optional fact)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deflectkit.core.policy.compiler import compile_expr
from deflectkit.core.policy.expressions import OPERATORS, AllOf, AnyOf, Compare, Not, OpName

REFERENCE: dict[OpName, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
    "gt": operator.gt, "ge": operator.ge,
    "in": lambda x, y: x in y, "not_in": lambda x, y: x not in y,
    "between": lambda x, y: y[0] <= x <= y[1],
}
WORDS = ["a", "b", "c", "d"]
LIST_REFERENCE: dict[OpName, Callable[[Any, Any], bool]] = {
    "contains_any": lambda x, y: bool(set(x) & set(y)),
    "subset_of": lambda x, y: set(x) <= set(y),
}


def _operand(op: str, draw: st.DrawFn) -> Any:
    if op in ("in", "not_in"):
        return draw(st.lists(st.integers(-3, 3), max_size=4))
    if op == "between":
        low = draw(st.integers(-3, 3))
        return [low, draw(st.integers(low, 4))]
    return draw(st.integers(-3, 3))


@st.composite
def int_cases(draw: st.DrawFn) -> tuple[OpName, int, Any]:
    op = draw(st.sampled_from(sorted(REFERENCE)))
    return op, draw(st.integers(-4, 4)), _operand(op, draw)


def _frozen(op: str, operand: Any) -> Any:
    if op in ("in", "not_in"):
        return frozenset(operand)
    return tuple(operand) if isinstance(operand, list) else operand


def _as_param(operand: Any) -> Any:
    # Parameter list values are held as frozensets when a plan is made.
    return frozenset(operand) if isinstance(operand, list) else operand


class TestComparisons:
    """Each comparison agrees with Python's meaning of the operator."""

    @given(int_cases())
    def test_value_and_parameter_forms_match_python(self, case: tuple[OpName, int, Any]) -> None:
        """``{fact, op, value}`` and ``{fact, op, param}`` both give Python's answer."""
        op, x, operand = case
        with_value = compile_expr(Compare("n", op, value=_frozen(op, operand)), frozenset())
        with_param = compile_expr(Compare("n", op, param="p"), frozenset())
        expected = REFERENCE[op](x, operand)

        assert expected == with_value({"n": x}, {})
        assert expected == with_param({"n": x}, {"p": _as_param(operand)})

    @given(st.sampled_from(sorted(LIST_REFERENCE)),
           st.lists(st.sampled_from(WORDS), unique=True),
           st.lists(st.sampled_from(WORDS), unique=True))
    def test_list_operators_match_sets(
        self, op: OpName, fact: list[str], words: list[str]
    ) -> None:
        """``contains_any`` is a non-empty intersection; ``subset_of`` is set inclusion."""
        with_value = compile_expr(Compare("l", op, value=frozenset(words)), frozenset())
        with_param = compile_expr(Compare("l", op, param="p"), frozenset())
        expected = LIST_REFERENCE[op](fact, words)

        assert expected == with_value({"l": tuple(fact)}, {})
        assert expected == with_param({"l": tuple(fact)}, {"p": frozenset(words)})

    def test_every_operator_is_covered(self) -> None:
        """The reference tables and present/absent cover the whole operator table."""
        assert set(OPERATORS) == {*REFERENCE, *LIST_REFERENCE, "present", "absent"}


class TestMissingFacts:
    """A missing fact is unknown; an optional one is known to be absent."""

    @pytest.mark.parametrize("op", sorted(REFERENCE))
    def test_missing_is_unknown_and_optional_is_false(self, op: OpName) -> None:
        """Every comparison on a missing fact is None, or False when the fact is optional."""
        operand = _frozen(op, [0, 1]) if op in ("in", "not_in", "between") else 0
        node = Compare("n", op, value=operand)

        assert compile_expr(node, frozenset())({}, {}) is None
        assert compile_expr(node, frozenset({"n"}))({}, {}) is False

    def test_present_and_absent_are_always_decided(self) -> None:
        """``present`` and ``absent`` never give unknown."""
        present = compile_expr(Compare("n", "present"), frozenset())
        absent = compile_expr(Compare("n", "absent"), frozenset())

        assert (False, True) == (present({}, {}), absent({}, {}))
        assert (True, False) == (present({"n": 0}, {}), absent({"n": 0}, {}))

    @pytest.mark.parametrize(
        ("node", "expected"),
        [
            (AllOf((Compare("t", "eq", value=True), Compare("m", "eq", value=True))), None),
            (AllOf((Compare("f", "eq", value=True), Compare("m", "eq", value=True))), False),
            (AnyOf((Compare("t", "eq", value=True), Compare("m", "eq", value=True))), True),
            (AnyOf((Compare("f", "eq", value=True), Compare("m", "eq", value=True))), None),
            (Not(Compare("m", "eq", value=True)), None),
            (Not(Compare("f", "eq", value=True)), True),
        ],
    )
    def test_kleene_logic(self, node: Any, expected: bool | None) -> None:
        """``all``/``any``/``not`` follow Kleene's three-valued logic."""
        facts = {"t": True, "f": False}

        assert expected == compile_expr(node, frozenset())(facts, {})
