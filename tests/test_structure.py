"""deflectkit.structure: one way a mapping becomes values, every error kept with its path."""

from __future__ import annotations

import doctest

import attrs
import cattrs
import pytest

from deflectkit import structure
from deflectkit.core.policy import keys
from deflectkit.hints import allowed_of, suggestion_of, value_of
from deflectkit.structure import (
    InvalidValue,
    Issue,
    Key,
    check_keys,
    describe,
    invalid,
    issues_of,
    missing_key,
    not_a_mapping,
    object_schema,
    unknown_key,
)

TABLE = {"id": Key(required=True), "label": Key(required=False), "first_step": Key(False)}


@attrs.frozen
class Inner:
    """A nested mapping for the cattrs tests."""

    city: str
    zip_code: str = ""


@attrs.frozen
class Outer:
    """A document with a required key, a nested mapping and a list."""

    name: str
    inner: Inner
    tags: list[int] = attrs.field(factory=list)


def _converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    def text(value: object, _: object = None) -> str:
        if not isinstance(value, str):
            raise invalid(f"expected text, got {describe(value)}")
        return value

    def number(value: object, _: object = None) -> int:
        if not isinstance(value, int):
            raise InvalidValue(((), "expected a whole number"), (("why",), "a note below it"))
        return value

    conv.register_structure_hook(str, text)
    conv.register_structure_hook(int, number)
    return conv


class TestCheckKeys:
    """The key-table check the policy reader uses."""

    def test_a_good_mapping_has_no_issues(self) -> None:
        """Required keys present, no others: nothing to say."""
        assert [] == check_keys({"id": "x", "label": "y"}, ("rules", 0), TABLE, "rule")

    def test_unknown_and_missing_keys_are_all_collected_with_their_paths(self) -> None:
        """An unknown key points at itself; a missing one at the mapping."""
        issues = check_keys({"lable": "y", "weight": 3}, ("rules", 2), TABLE, "rule")

        assert [
            Issue(("rules", 2, "lable"), "unknown key 'lable' in rule; did you mean 'label'?",
                  key=True),
            Issue(("rules", 2, "weight"), "unknown key 'weight' in rule; the keys allowed"
                  " here are: id, label, first_step", key=True),
            Issue(("rules", 2), "rule is missing the required key 'id'"),
        ] == issues

    def test_a_value_that_is_no_mapping_is_named_as_a_contributor_sees_it(self) -> None:
        """Not a Python type name: what the person wrote."""
        assert [Issue(("x",), "rule must be a mapping of keys and values, got a list")] == (
            check_keys([1], ("x",), TABLE, "rule")
        )

    def test_unknown_key_messages_carry_their_hints(self) -> None:
        """Forms and editors get the allowed keys, the suggestion and the key as written."""
        (issue,) = check_keys({"id": "x", "lable": "y"}, (), TABLE, "rule")

        assert ("id", "label", "first_step") == allowed_of(issue)
        assert "label" == suggestion_of(issue)
        assert "lable" == value_of(issue)

    def test_the_policy_tables_are_what_the_reader_checks(self) -> None:
        """A missing required key of the policy's top table is reported by name."""
        missing = {i.message for i in check_keys({}, (), keys.TOP, "policy")}

        required = {name for name, key in keys.TOP.items() if key.required}
        assert {f"policy is missing the required key {name!r}" for name in required} == missing


class TestUnknownKey:
    """The fix offered for an unknown key, in order of preference."""

    def test_another_word_people_use_comes_first(self) -> None:
        """``phone`` for ``phones``, whatever the case."""
        message = unknown_key("Phone", ["name", "phones"], aliases={"phone": "phones"})

        assert "unknown key 'Phone'; did you mean 'phones'?" == message

    def test_a_key_of_a_nested_mapping_says_where_it_belongs(self) -> None:
        """Written at the top, ``city`` belongs under ``location.address``."""
        message = unknown_key("city", ["name"], homes={"city": "location.address"})

        assert ("unknown key 'city': it belongs under 'location.address'"
                " (write it as location.address.city)") == message

    def test_a_part_of_exactly_one_key_is_suggested(self) -> None:
        """``dropoff`` is too short for difflib but is a part of one key only."""
        assert "unknown key 'dropoff'; did you mean 'first_responder_dropoff'?" == unknown_key(
            "dropoff", ["first_responder_dropoff", "walk_in"]
        )

    def test_a_part_of_two_keys_lists_the_keys_allowed(self) -> None:
        """No guess when two keys contain the word."""
        assert "unknown key 'min'; the keys allowed here are: min_age, min_days" == (
            unknown_key("min", ["min_age", "min_days"])
        )

    def test_a_key_that_is_no_text_is_shown_as_written(self) -> None:
        """YAML keys may be numbers; the message still names them."""
        assert unknown_key(3, ["id"]).startswith("unknown key '3'")


class TestIssuesOf:
    """Flattening a cattrs exception tree into issues, each at its path."""

    def test_every_error_of_a_document_is_collected_at_its_path(self) -> None:
        """Unknown, missing, invalid and list items, all in one pass."""
        data = {"inner": {"cty": "Tucson", "zip_code": 85701}, "tags": [1, "two"], "x": 1}
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs raises a group
            _converter().structure(data, Outer)

        found = {(i.path, i.message, i.key) for i in issues_of(info.value)}

        assert {
            (("x",), "unknown key 'x'; the keys allowed here are: name, inner, tags", True),
            (("name",), "this required key is missing", True),
            (("inner", "cty"), "unknown key 'cty'; did you mean 'city'?", True),
            (("inner", "city"), "this required key is missing", True),
            (("inner", "zip_code"), "expected text, got the number 85701", False),
            (("tags", 1), "expected a whole number", False),
            (("tags", 1, "why"), "a note below it", False),
        } == found

    def test_the_reader_words_its_own_unknown_keys(self) -> None:
        """A reader passes the words it knows (the provider reader: aliases, homes)."""
        with pytest.raises(Exception) as info:  # noqa: PT011 - cattrs raises a group
            _converter().structure({"name": "n", "inner": {"city": "c"}, "tag": []}, Outer)

        def wording(cl: type, key: object, path: tuple[str | int, ...]) -> str:
            return f"{cl.__name__} at {path!r} has no {key!r}"

        assert [Issue(("tag",), "Outer at () has no 'tag'", key=True)] == list(
            issues_of(info.value, (), wording)
        )


class TestMessages:
    """The shared wording, where the path does or does not name the mapping."""

    def test_missing_key(self) -> None:
        """At the mapping it names the key; at the key the path already does."""
        assert "fact age is missing the required key 'type'" == missing_key("type", "fact age")
        assert "this required key is missing" == missing_key("type")

    def test_not_a_mapping(self) -> None:
        """``expected …`` at a field; ``<what> must be …`` when the mapping is named."""
        assert "expected a mapping of keys and values, got nothing (an empty value)" == (
            not_a_mapping(None)
        )
        assert "policy must be a mapping of keys and values, got true (yes/no)" == (
            not_a_mapping(True, "policy")
        )

    def test_describe_shortens_long_text(self) -> None:
        """A stranger's megabyte of text is never repeated whole."""
        assert f"the text '{'x' * 37}...'" == describe("x" * 1_000_000)


def test_object_schema_lists_the_required_keys_of_its_table() -> None:
    """The editors' schema and the reader read the same table."""
    schema = object_schema({"a": Key(True, {"type": "string"}), "b": Key(False)}, minProperties=1)

    assert {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {}},
        "additionalProperties": False,
        "required": ["a"],
        "minProperties": 1,
    } == schema


def test_the_derived_functions_are_one_list() -> None:
    """The reader's functions, the model's closed set and the schema's enum agree."""
    from typing import get_args

    from deflectkit.core.policy.model import DerivedKind
    from deflectkit.core.policy.reading import _ARITY

    assert list(get_args(DerivedKind)) == list(_ARITY) == keys.DERIVED["fn"].schema["enum"]


def test_the_examples_in_the_module_run() -> None:
    """The module's docstring examples are true."""
    results = doctest.testmod(structure)

    assert (0, True) == (results.failed, results.attempted >= 7)


def test_a_suggestion_is_not_looked_for_among_too_many_choices() -> None:
    """Choices may come from a stranger's file (3,000 declared facts); each costs ~30 µs."""
    from deflectkit.spelling import MAX_CHOICES, closest

    names = [f"fact_number_{i}" for i in range(MAX_CHOICES)]
    assert "fact_number_7" == closest("fact_numbr_7", names)
    assert closest("fact_numbr_7", [*names, "one_more"]) is None
    assert closest("fact_numbr_7", iter([*names, "one_more"])) is None  # any iterable


def test_undeclared_names_past_the_listed_problems_get_no_suggestion() -> None:
    """Only a file's first problems are listed; looking for more hints was quadratic."""
    from deflectkit.core.policy.build import build_policy
    from deflectkit.errors import MAX_PROBLEMS_PER_FILE

    count = MAX_PROBLEMS_PER_FILE + 20
    data = {
        "schema": "deflectkit/policy@1", "id": "example/p", "label": "Example",
        "timezone": "America/Phoenix", "effective": {"from": "2025-01-01"},
        "facts": {f"fact_number_{i}": {"type": "bool"} for i in range(count)},
        "eligibility": {"criteria": [
            {"id": f"C{i}", "label": "l", "reason": "R", "cite": [{"title": "t"}],
             "when": {"fact": f"fact_numbr_{i}", "op": "eq", "value": True}}
            for i in range(count)]},
    }
    _, issues = build_policy(data)
    undeclared = [i.message for i in issues if i.message.startswith("undeclared fact")]
    assert count == len(undeclared)
    assert "did you mean 'fact_number_0'" in undeclared[0]
    assert not any("did you mean" in m for m in undeclared[MAX_PROBLEMS_PER_FILE:])
