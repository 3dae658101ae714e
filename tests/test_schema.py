"""The provider JSON Schema: generated from the model, committed, and in step with validation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from deflectkit.cli import main
from deflectkit.files.schema import all_schemas, dump_schema, provider_schema
from deflectkit.vocabulary import LANGUAGES, SERVICES

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
PROVIDERS = sorted((ROOT / "data" / "providers").glob("*.yaml"))


def as_json(value: Any) -> Any:
    """YAML values as JSON would carry them (dates become strings)."""
    return json.loads(json.dumps(value, default=str))


@pytest.fixture(name="validator", scope="module")
def _validator() -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(
        provider_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def test_schema_is_valid_draft_07() -> None:
    """The generated schema is itself a valid draft-07 schema (what editors support)."""
    jsonschema.Draft7Validator.check_schema(provider_schema())


def test_committed_provider_schema_is_up_to_date() -> None:
    """schemas/provider.schema.json equals what `deflectkit schema --out schemas` writes now."""
    committed = (SCHEMAS / "provider.schema.json").read_text(encoding="utf-8")

    assert dump_schema(provider_schema()) == committed


@pytest.mark.parametrize("name", sorted(set(all_schemas()) - {"provider.schema.json"}))
def test_committed_policy_schemas_are_up_to_date(name: str) -> None:
    """Committed policy schemas match the policy engine's (run `deflectkit schema` if not)."""
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{name} not committed yet: run `deflectkit schema --out schemas`")

    assert dump_schema(all_schemas()[name]) == path.read_text(encoding="utf-8")


def test_vocabulary_enums_with_labels() -> None:
    """Vocabulary lists are enums of the words, each labelled."""
    services = provider_schema()["definitions"]["services"]

    assert list(SERVICES.words) == services["enum"]
    assert [t.label for t in SERVICES.terms] == services["enumDescriptions"]
    assert list(LANGUAGES.words) == provider_schema()["definitions"]["languages"]["enum"]


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda p: p.stem)
def test_sample_files_pass_schema(
    path: Path, validator: jsonschema.Draft7Validator
) -> None:
    """Every sample provider file satisfies the schema."""
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))

    assert [] == [e.message for e in validator.iter_errors(data)]


def test_sample_files_point_at_schema() -> None:
    """Each sample file starts with the yaml-language-server schema line."""
    first_lines = {p.read_text(encoding="utf-8").split("\n", 1)[0] for p in PROVIDERS}

    assert {"# yaml-language-server: $schema=../../schemas/provider.schema.json"} == first_lines


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"servics": ["outpatient"]}, []),
        ({"services": ["outpatien"]}, ["services", 0]),
        ({"website": "ftp://example.org"}, ["website"]),
        ({"hours": "24/8"}, ["hours"]),
        ({"hours": {"funday": "08:00-17:00"}}, ["hours"]),
        ({"asam_levels": [2.1]}, ["asam_levels", 0]),
        ({"ages": {"min": -1}}, ["ages", "min"]),
    ],
)
def test_schema_flags_mistakes(
    extra: dict[str, Any], path: list[Any], validator: jsonschema.Draft7Validator
) -> None:
    """Mistakes the validator reports are also flagged by the schema, at the same place."""
    data = {"name": "Example", "location": {"timezone": "America/Phoenix"}, **extra}

    places = {tuple(e.absolute_path) for e in validator.iter_errors(data)}

    assert [tuple(path)] == sorted(places)


def test_command_writes_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`deflectkit schema --out DIR` writes every schema and lists them."""
    code = main(["schema", "--out", str(tmp_path / "out")])

    assert 0 == code
    assert sorted(all_schemas()) == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert f"wrote {tmp_path / 'out' / 'provider.schema.json'}" in capsys.readouterr().out


# --- the schema and the validator agree on the same corpus -----------------------------------

BROKEN = sorted((ROOT / "tests" / "data" / "broken_providers").glob("*.yaml"))
#: Files the validator rejects and the schema cannot: each a check that needs code or context.
SCHEMA_CANNOT: dict[str, str] = {
    "Bad_Name": "the file name is the slug; a schema sees only the content",
    "ages-reversed": "comparing two fields (min above max)",
    "call-ahead-invalid": "whether a phone number exists (phonenumbers' tables)",
    "phone-invalid": "whether a phone number exists (phonenumbers' tables)",
    "phone-extension": "a number with an extension parses only with phonenumbers",
    "hours-day-twice": "a day under two keys ('mon-fri' and 'fri')",
    "timezone-unknown": "whether the zone is in the installed tz database",
    "verified-future": "comparing with today's date",
}


def _schema_accepts(path: Path, validator: jsonschema.Draft7Validator) -> bool | None:
    """The schema's verdict on the file as loaded; ``None`` when it is not loadable YAML.

    Loading goes through deflectkit's safe reader (size, alias and duplicate-key limits), so
    YAML that no schema could see is judged the same way on both sides.
    """
    from deflectkit.errors import DataError
    from deflectkit.files.yamlio import read_yaml

    try:
        data = as_json(read_yaml(path).value)
    except DataError:
        return None
    return not any(True for _ in validator.iter_errors(data))


@pytest.mark.parametrize("path", BROKEN + PROVIDERS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_schema_and_validator_agree(path: Path, validator: jsonschema.Draft7Validator) -> None:
    """Valid for one is valid for the other, except the documented checks a schema cannot do."""
    import datetime as dt

    from deflectkit.files.providers import check_provider_file

    _, problems = check_provider_file(path, today=dt.date(2026, 11, 27))
    valid = not any(p.is_error for p in problems)
    schema_valid = bool(_schema_accepts(path, validator))

    if path.stem in SCHEMA_CANNOT and path.parent.name == "broken_providers":
        assert (False, True) == (valid, schema_valid), SCHEMA_CANNOT[path.stem]
    else:
        assert valid == schema_valid


@pytest.mark.parametrize(
    "extra",
    [
        {"hours": {"Mon-Fri": "08:00-17:00", "SAT": "Closed"}},
        {"hours": {"mon, wed": "08:00-12:00", "closed": ["2026-12-25"]}},
        {"hours": {"daily": "20:00-08:00", "closed": "2026-12-25"}},
        {"hours": "Always"},
        {"website": "", "email": " ", "description": "", "intake": {"officer_minutes": ""}},
        {"medications": ["methadone"], "otp": True},
    ],
)
def test_schema_accepts_what_the_validator_accepts(
    extra: dict[str, Any], validator: jsonschema.Draft7Validator
) -> None:
    """Spellings the validator reads (any-case days, blank optional values) pass the schema."""
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml

    data = {"name": "Example", "location": {"timezone": "America/Phoenix"}, **extra}
    _, problems = check_provider_document(parse_yaml(json.dumps(data), "x.yaml"), today=None)

    assert [] == [p.message for p in problems]
    assert [] == [e.message for e in validator.iter_errors(data)]


@pytest.mark.parametrize(
    "extra",
    [
        {"medications": ["methadone"]},
        {"hours": {"mon": "08:00-25:00"}},
        {"hours": {"closed": ["12/25/2026"]}},
        {"name": "   "},
        {"verified": ""},
    ],
)
def test_schema_rejects_what_the_validator_rejects(
    extra: dict[str, Any], validator: jsonschema.Draft7Validator
) -> None:
    """Mistakes a pattern or a condition can express fail both."""
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml

    data = {"name": "Example", "location": {"timezone": "America/Phoenix"}, **extra}
    _, problems = check_provider_document(parse_yaml(json.dumps(data), "x.yaml"), today=None)

    assert any(p.is_error for p in problems)
    assert list(validator.iter_errors(data))
