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
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        provider_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_schema_is_valid_draft_2020_12() -> None:
    """The generated schema is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(provider_schema())


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
    services = provider_schema()["$defs"]["services"]

    assert list(SERVICES.words) == services["enum"]
    assert [t.label for t in SERVICES.terms] == services["enumDescriptions"]
    assert list(LANGUAGES.words) == provider_schema()["$defs"]["languages"]["enum"]


@pytest.mark.parametrize("path", PROVIDERS, ids=lambda p: p.stem)
def test_sample_files_pass_schema(
    path: Path, validator: jsonschema.Draft202012Validator
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
    extra: dict[str, Any], path: list[Any], validator: jsonschema.Draft202012Validator
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
