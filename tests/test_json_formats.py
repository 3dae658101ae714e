"""Stored JSON names its format, and ``dk.from_json`` reads it back (``dk.to_json``'s inverse)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import deflectkit as dk
from deflectkit.convert import FORMATS, from_json, schema_id
from deflectkit.core.policy.model import Policy

ROOT = Path(__file__).resolve().parent.parent
MODEL: Policy = dk.load_policy(ROOT / "data" / "policies" / "model-deflection.yaml")
BASE: dict[str, Any] = {"contact_at": "2025-03-01T10:00:00-07:00", "contact_type": "patrol",
                        "age": 30, "offenses": ["drug_possession"], "drug_amount_grams": 0.8}


def _stored(**facts: Any) -> dict[str, Any]:
    """A decision as an audit log keeps it: through real JSON text."""
    decision = dk.assess(MODEL, {**BASE, **facts}, explain=True)
    data: dict[str, Any] = json.loads(json.dumps(dk.to_json(decision)))
    return data


def _refusal(data: Any) -> dk.Problem:
    with pytest.raises(dk.DataError) as info:
        dk.from_json(dk.Decision, data)
    (problem,) = info.value.problems
    return problem


def test_decision_round_trip() -> None:
    """from_json(Decision, to_json(d)) == d, with the format key first."""
    for facts in ({}, {"weapon_present": True}, {"medical_emergency": True}, {"age": None}):
        decision = dk.assess(MODEL, {**BASE, **facts})
        data = json.loads(json.dumps(dk.to_json(decision)))
        assert "deflectkit/decision@1" == next(iter(data.values()))
        assert decision == dk.from_json(dk.Decision, data)


def test_json_without_the_key_is_version_one() -> None:
    """Decisions stored before the key existed still read."""
    data = _stored()
    del data["schema"]
    assert data["status"] == dk.from_json(dk.Decision, data).status


def test_newer_version_is_refused() -> None:
    """A record written by a later release says to upgrade, instead of being misread."""
    problem = _refusal({**_stored(), "schema": "deflectkit/decision@2"})
    assert ("schema", True) == (problem.field, "upgrade deflectkit" in problem.message)


def test_other_kind_is_refused() -> None:
    """A referral is not read as a decision."""
    problem = _refusal({**_stored(), "schema": "deflectkit/referral@1"})
    assert "this is a referral" in problem.message


@pytest.mark.parametrize("schema", ["decision@1", "deflectkit/decision@0", "deflectkit/decision",
                                    7, None])
def test_malformed_key_is_refused(schema: object) -> None:
    """The key must read ``deflectkit/<kind>@<version>``."""
    assert "schema" == _refusal({**_stored(), "schema": schema}).field


def _nested(depth: int) -> list[object]:
    outer: list[object] = []
    inner = outer
    for _ in range(depth):
        inner.append([])
        inner = inner[0]  # type: ignore[assignment]
    return outer


@pytest.mark.parametrize(("schema", "shown"), [
    ("x" * 5_000_000, "'xxxxxxxxxx"),  # the whole error was 5 MB long
    (["a"] * 1_000_000, "schema a list is"),
    ({"a": "b" * 1_000_000}, "schema a mapping"),
    (10 ** 5_000, "too long to show"),  # printing it raised ValueError (4,300 digits)
    (_nested(100_000), "schema a list is"),  # its repr raised RecursionError
], ids=["long-text", "long-list", "long-mapping", "huge-int", "deep-list"])
def test_a_hostile_schema_value_is_refused_with_a_short_message(
    schema: object, shown: str
) -> None:
    """The value is cut or named, never repeated whole; the error is a DataError."""
    with pytest.raises(dk.DataError) as caught:
        dk.from_json(dk.Decision, {**_stored(), "schema": schema})
    assert len(str(caught.value)) < 3_000
    assert shown in caught.value.problems[0].message
    assert "schema" == caught.value.problems[0].field


def test_missing_field_is_named() -> None:
    """A record that lost a key says which."""
    data = _stored()
    del data["as_of"]
    assert ("as_of", "a stored decision needs the key 'as_of'") == (
        _refusal(data).field, _refusal(data).message)


def test_bad_field_is_refused_without_quoting_it() -> None:
    """A value that does not read is refused; its text is not repeated."""
    problem = _refusal({**_stored(), "as_of": "March Example"})
    assert "wrong type" in problem.message
    assert "Example" not in problem.message
    assert "JSON object" in _refusal(["not", "a", "decision"]).message


def test_class_without_a_format_is_a_type_error() -> None:
    """Asking for a class that is never stored is a programming error."""
    with pytest.raises(TypeError, match="from_json reads: Decision"):
        from_json(dk.Problem, {})


def test_formats_are_consistent() -> None:
    """Each format names a real class and reader, and one kind once."""
    assert len({f.kind for f in FORMATS}) == len(FORMATS)
    for fmt in FORMATS:
        assert schema_id(fmt.kind) == fmt.schema == f"deflectkit/{fmt.kind}@{fmt.version}"
        module, _, name = fmt.cls.partition(":")
        cls = getattr(__import__(module, fromlist=[name]), name)
        assert fmt.cls.rpartition(":")[2] == cls.__qualname__
        module, _, name = fmt.reader.partition(":")
        assert callable(getattr(__import__(module, fromlist=[name]), name))


@pytest.mark.parametrize(("field", "change"), [
    ("status", lambda d: d.update(status="eligble")),
    ("charge", lambda d: d.update(charge="dropped")),
    ("reasons[0].result", lambda d: d["reasons"][0].update(result="hits")),
    ("reasons[0].effect", lambda d: d["reasons"][0].update(effect="ban")),
    ("reasons[0].scope", lambda d: d["reasons"][0].update(scope="person")),
])
def test_closed_words_are_checked(field: str, change: Any) -> None:
    """A stored word outside its closed set is refused at its field, not read as is."""
    data = _stored(weapon_present=True)
    change(data)
    problem = _refusal(data)
    assert (field, True) == (problem.field, "is not one of" in problem.message)


def test_results_list_every_result() -> None:
    """The tuple of results the reader accepts is the Literal's."""
    from typing import get_args

    from deflectkit.core.policy.decision import RESULTS, Result

    assert get_args(Result) == RESULTS


def test_to_json_needs_no_earlier_import() -> None:
    """A Policy built by hand converts in a fresh interpreter: no hook waits on an import."""
    script = textwrap.dedent("""
        import sys
        import deflectkit as dk
        from deflectkit.core.policy.model import Period
        policy = dk.Policy(id="p", label="P", timezone="UTC", effective=Period(), facts=(),
                           parameters=(), safety=(), criteria=(), exclusions=(),
                           pathways=(), routes=())
        assert "deflectkit.core.policy.serialize" not in sys.modules
        data = dk.to_json(policy)
        assert data["id"] == "p" and "digest" in data, data
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=False)

    assert (0, "ok\n") == (done.returncode, done.stdout), done.stderr



def test_only_the_factory_registers_hooks() -> None:
    """No module but ``convert.make_converter`` adds a hook: importing changes nothing."""
    src = ROOT / "src" / "deflectkit"
    registering = sorted(
        str(f.relative_to(src)) for f in src.rglob("*.py")
        if "register_unstructure_hook" in f.read_text(encoding="utf-8")
    )

    assert ["convert.py"] == registering
