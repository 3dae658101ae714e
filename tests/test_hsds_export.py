"""HSDS 3.0 export: valid against the official schemas, stable ids, lossless round trip."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from deflectkit.core.directory import Directory
from deflectkit.files.provider_writer import provider_to_mapping, write_providers
from deflectkit.files.providers import load_directory
from deflectkit.interop.hsds_export import export_hsds
from deflectkit.interop.hsds_import import read_hsds
from deflectkit.interop.hsds_taxonomy import NAMESPACE, TAXONOMY_NAME, VOCABULARIES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "data" / "interop" / "providers"
SCHEMAS = ROOT.parent / "shared" / "datasets" / "hsds_3_0_schema" / "schema"
TODAY = dt.date(2026, 11, 1)

needs_schemas = pytest.mark.skipif(
    not SCHEMAS.exists() and not os.environ.get("CI"),
    reason="the shared datasets folder (../shared) is not present",
)


@pytest.fixture(name="directory", scope="module")
def _directory() -> Directory:
    return load_directory(FIXTURES, today=TODAY)


@pytest.fixture(name="organizations", scope="module")
def _organizations(directory: Directory) -> list[dict[str, Any]]:
    return export_hsds(directory)


@pytest.fixture(name="validators", scope="module")
def _validators() -> dict[str, Draft202012Validator]:
    resources = {
        path.name: Resource.from_contents(
            json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
        )
        for path in SCHEMAS.glob("*.json")
    }
    registry: Registry[Any] = Registry().with_resources(resources.items())
    checker = Draft202012Validator.FORMAT_CHECKER
    out = {
        name: Draft202012Validator(resources[f"{name}.json"].contents, registry=registry,
                                   format_checker=checker)
        for name in ("organization", "service", "location", "taxonomy_term", "taxonomy")
    }
    compiled = json.loads((SCHEMAS / "compiled" / "organization.json").read_text("utf-8"))
    out["compiled_organization"] = Draft202012Validator(compiled, format_checker=checker)
    return out


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


@needs_schemas
class TestSchemas:
    """The export validates against the official HSDS 3.0 JSON Schemas."""

    def test_organizations_validate(self, organizations: list[dict[str, Any]],
                                    validators: dict[str, Draft202012Validator]) -> None:
        """Each organization passes the modular and the compiled organization schema."""
        errors = [
            e for org in organizations
            for name in ("organization", "compiled_organization")
            for e in _errors(validators[name], org)
        ]

        assert [] == errors

    def test_services_and_locations_validate(self, organizations: list[dict[str, Any]],
                                             validators: dict[str, Draft202012Validator]
                                             ) -> None:
        """Services (with attributes, schedules, phones) and locations validate, $refs and all."""
        errors = [
            e for org in organizations for s in org["services"]
            for e in _errors(validators["service"], s)
        ] + [
            e for org in organizations for loc in org["locations"]
            for e in _errors(validators["location"], loc)
        ]

        assert [] == errors

    def test_taxonomy_terms_validate(self, organizations: list[dict[str, Any]],
                                     validators: dict[str, Draft202012Validator]) -> None:
        """Every deflectkit term is a valid taxonomy_term of the documented taxonomy."""
        from deflectkit.interop.hsds_taxonomy import taxonomy

        terms = [
            a["taxonomy_term"] for org in organizations for s in org["services"]
            for a in s["attributes"]
        ]

        assert [] == [e for t in terms for e in _errors(validators["taxonomy_term"], t)]
        assert [] == _errors(validators["taxonomy"], taxonomy())
        assert {TAXONOMY_NAME} == {t["taxonomy"] for t in terms}
        groups = {t["code"].partition(":")[0] for t in terms}
        assert groups <= {*VOCABULARIES, "field"}


class TestIds:
    """Ids are UUIDv5 from slugs: the same on every export."""

    def test_ids_are_stable_uuid5(self, directory: Directory,
                                  organizations: list[dict[str, Any]]) -> None:
        """Exporting twice gives identical documents; ids derive from the slug."""
        again = export_hsds(load_directory(FIXTURES, today=TODAY))
        ids = [d["id"] for d in _walk(organizations) if "id" in d]
        service = next(
            s for org in organizations for s in org["services"]
            if s["name"] == "Example Night Shelter & Respite"
        )

        assert organizations == again
        assert {5} == {uuid.UUID(i).version for i in ids}
        assert str(uuid.uuid5(NAMESPACE, "service:example-night-shelter")) == service["id"]

    def test_ids_are_unique_where_hsds_requires(self,
                                                organizations: list[dict[str, Any]]) -> None:
        """No two services, locations, phones, schedules or attributes share an id."""
        kinds = ("services", "locations", "phones", "schedules", "attributes")
        for kind in kinds:
            ids = [
                item["id"] for d in _walk(organizations) for item in d.get(kind, [])
                if isinstance(item, dict)
            ]
            assert len(ids) == len(set(ids)), kind


class TestRoundTrip:
    """Export, re-import: the same provider files."""

    def test_reimport_gives_the_same_providers(self, tmp_path: Path, directory: Directory,
                                               organizations: list[dict[str, Any]]) -> None:
        """Every field survives HSDS and back, slugs included."""
        file = tmp_path / "export.json"
        file.write_text(json.dumps(organizations), encoding="utf-8")
        result = read_hsds(file)

        assert {p.slug: provider_to_mapping(p) for p in directory} == {
            slug: dict(m) for slug, m in result.providers.items()
        }
        assert [] == list(result.problems)
        write_providers(tmp_path / "providers", result.providers)
        assert list(directory) == list(load_directory(tmp_path / "providers", today=TODAY))

    def test_fields_hsds_itself_holds_survive_without_our_attributes(
        self, tmp_path: Path, directory: Directory, organizations: list[dict[str, Any]]
    ) -> None:
        """A consumer that drops our attributes still round-trips HSDS's own fields."""
        from deflectkit.core.hours import parse_hours

        bare = json.loads(json.dumps(organizations))
        for org in bare:
            for service in org["services"]:
                del service["attributes"]
        file = tmp_path / "bare.json"
        file.write_text(json.dumps(bare), encoding="utf-8")
        result = read_hsds(file)
        by_name = {m["name"]: m for m in result.providers.values()}
        shared = ("name", "organization", "description", "verified", "phones", "website",
                  "email", "ages", "languages")

        for provider in directory:
            expected = provider_to_mapping(provider)
            actual = dict(by_name[provider.name])
            assert {k: expected.get(k) for k in shared} == {k: actual.get(k) for k in shared}
            location = expected["location"]
            assert location.get("address") == actual["location"].get("address")
            assert location.get("coordinates") == actual["location"].get("coordinates")
            if provider.hours is not None:
                assert provider.hours == parse_hours(actual["hours"])
            assert sorted(provider.accessibility) == sorted(actual.get("accessibility", []))


def test_bundled_sample_directory_round_trips(tmp_path: Path) -> None:
    """The repository's own sample providers export and re-import unchanged."""
    folder = ROOT / "data" / "providers"
    if not any(folder.glob("*.yaml")):
        pytest.skip("no bundled providers yet")
    directory = load_directory(folder, today=TODAY)
    file = tmp_path / "export.json"
    file.write_text(json.dumps(export_hsds(directory)), encoding="utf-8")
    result = read_hsds(file)

    assert {p.slug: provider_to_mapping(p) for p in directory} == {
        slug: dict(m) for slug, m in result.providers.items()
    }
