"""``description_es`` and ``intake.instructions_es``: read, checked, written, schema, HSDS."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml

from deflectkit.files.provider_writer import provider_to_mapping, write_providers
from deflectkit.files.providers import check_provider_document, load_directory
from deflectkit.files.schema import provider_schema
from deflectkit.files.yamlio import parse_yaml
from deflectkit.interop.hsds_export import export_hsds
from deflectkit.interop.hsds_import import read_hsds

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)

BASE = """\
name: Example Clinic
description: Help for adults.
location: {timezone: America/Phoenix}
intake:
  instructions: Ring the bell.
"""


def _check(text: str) -> tuple[object, list[str]]:
    provider, problems = check_provider_document(parse_yaml(text, "example-clinic.yaml"),
                                                 today=None)
    return provider, [str(p) for p in problems]


def test_both_fields_are_read() -> None:
    """The Spanish texts land on the provider and its intake."""
    text = BASE.replace("location:", "description_es: Ayuda para adultos.\nlocation:") + (
        "  instructions_es: Toque el timbre.\n"
    )
    provider, problems = _check(text)

    assert [] == problems
    assert provider is not None
    assert "Ayuda para adultos." == provider.description_es  # type: ignore[attr-defined]
    assert "Toque el timbre." == provider.intake.instructions_es  # type: ignore[attr-defined]


def test_a_copy_of_the_english_text_is_a_warning_naming_line_and_field() -> None:
    """Pasting the English text as the Spanish one is caught; the provider still loads."""
    text = BASE.replace("location:", 'description_es: "Help  for adults."\nlocation:') + (
        "  instructions_es: Ring the bell.\n"
    )
    provider, problems = _check(text)

    assert provider is not None
    assert [
        "example-clinic.yaml:3:17: warning: description_es: is the same text as description: "
        "write it in Spanish, or remove the line (the Spanish directory then shows the "
        "English text)",
        "example-clinic.yaml:7:20: warning: intake.instructions_es: is the same text as "
        "instructions: write it in Spanish, or remove the line (the Spanish directory then "
        "shows the English text)",
    ] == problems


def test_spanish_without_english_is_a_warning() -> None:
    """A Spanish text with no English one beside it: the English directory would show none."""
    text = "name: Example Clinic\ndescription_es: Ayuda.\nlocation: {timezone: America/Phoenix}\n"
    provider, problems = _check(text)

    assert provider is not None
    assert ["example-clinic.yaml:2:17: warning: description_es: has no English description "
            "beside it: add one, so the English directory shows it too"] == problems


def test_wrong_type_and_misspelt_key_are_errors() -> None:
    """A number is not text; a misspelt key is reported like any other unknown key."""
    provider, problems = _check(BASE + "  instructions_es: 5\n")
    assert provider is None
    assert any("intake.instructions_es" in p and "expected text" in p for p in problems)
    provider, problems = _check(BASE.replace("location:", "descripton_es: Ayuda.\nlocation:"))
    assert provider is None
    assert any("descripton_es" in p for p in problems)


def test_schema_and_published_schema_have_both_fields() -> None:
    """The editor schema offers both, with help text; the published file is up to date."""
    schema = provider_schema()
    published = json.loads((ROOT / "schemas" / "provider.schema.json").read_text("utf-8"))
    intake = schema["properties"]["intake"]["properties"]

    assert "Spanish" in schema["properties"]["description_es"]["description"]
    assert "Spanish" in intake["instructions_es"]["description"]
    assert schema == published


def test_writer_puts_them_beside_the_english_text(tmp_path: Path) -> None:
    """Written files keep each Spanish text right after its English one."""
    directory = load_directory(ROOT / "data" / "providers", today=TODAY)
    hub = directory["example-harm-reduction-hub"]
    write_providers(tmp_path, {hub.slug: provider_to_mapping(hub)})
    written = yaml.safe_load((tmp_path / f"{hub.slug}.yaml").read_text("utf-8"))
    keys = list(written)

    assert keys.index("description_es") == keys.index("description") + 1
    assert ["instructions", "instructions_es"] == list(written["intake"])[-2:]


def test_hsds_export_carries_them_and_reads_them_back(tmp_path: Path) -> None:
    """HSDS 3.0 has no translations: they travel as deflectkit field attributes and return."""
    directory = load_directory(ROOT / "data" / "providers", today=TODAY)
    spanish = [p for p in directory if p.description_es or p.intake.instructions_es]
    file = tmp_path / "export.json"
    file.write_text(json.dumps(export_hsds(spanish)), encoding="utf-8")
    result = read_hsds(file)

    assert len(spanish) >= 3
    assert {p.slug: provider_to_mapping(p) for p in spanish} == {
        slug: dict(m) for slug, m in result.providers.items()
    }
    codes = {
        a["taxonomy_term"]["code"]
        for org in export_hsds(spanish) for s in org["services"] for a in s["attributes"]
    }
    assert {"field:description_es", "field:intake.instructions_es"} <= codes
