"""Files name their format (``schema: deflectkit/<kind>@<n>``); readers and writers honour it.

A provider file may say ``schema: deflectkit/provider@1`` (without it, it reads as @1); a
policy says ``schema: deflectkit/policy@1``. Another kind or a newer version is refused with
file, line and field; an older form still loads and its warning names the command that
brings it up to date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deflectkit.core.formats import format_name, format_problem, parse_format
from deflectkit.core.providers import PROVIDER_SCHEMA
from deflectkit.errors import DataError, PolicyError
from deflectkit.files.policy import check_policy, load_policy
from deflectkit.files.provider_writer import provider_yaml, write_providers
from deflectkit.files.providers import check_provider_file, load_directory
from deflectkit.files.validation import validate as check_files
from tests.conftest import DATA

MODEL = DATA / "policies/model-deflection.yaml"
COUNTY = Path(__file__).parent / "data/policies/example-county.yaml"
PROVIDER = {"name": "Example Clinic", "sample": True, "location": {"timezone": "America/Phoenix"}}


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")
    return folder / name


# --- the one rule -----------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "expected"), [
    ("deflectkit/policy@1", ("policy", 1)),
    ("deflectkit/provider@12", ("provider", 12)),
    ("deflectkit/policy@0", None),
    ("deflectkit/Policy@1", None),
    ("deflectkit/policy@1 ", None),
    (1, None),
    (None, None),
])
def test_parse_format(given: object, expected: tuple[str, int] | None) -> None:
    assert expected == parse_format(given)


def test_an_older_version_is_told_how_to_migrate() -> None:
    assert format_problem("deflectkit/policy@1", "policy", 2) is None  # read as it is
    message = format_problem("deflectkit/policy@1", "policy", 2, older="run the migration")
    assert ("deflectkit/policy@1 is an older format (this deflectkit reads "
            "deflectkit/policy@2): run the migration") == message
    assert "deflectkit/provider@3" == format_name("provider", 3)


# --- policies ---------------------------------------------------------------------------------

def test_a_newer_policy_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    text = MODEL.read_text("utf-8").replace("deflectkit/policy@1", "deflectkit/policy@2")
    policy = _write(tmp_path / "policies", "p.yaml", text)
    line = text.splitlines().index("schema: deflectkit/policy@2") + 1

    with pytest.raises(PolicyError) as info:
        load_policy(policy)
    problem = info.value.problems[0]
    assert (str(policy), line, 9, "schema") == (
        problem.path, problem.line, problem.column, problem.field)
    assert problem.message == (
        "deflectkit/policy@2 is newer than this deflectkit reads (up to deflectkit/policy@1): "
        "upgrade deflectkit (pip install -U deflectkit) to read it")


def test_an_older_policy_format_names_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the policy format moves on, a file in the old one is told what to run."""
    from deflectkit.core.policy import build

    monkeypatch.setattr(build, "SCHEMA_VERSION", 2)
    problems = [p for p in check_policy(MODEL) if p.is_error]
    assert ["schema"] == [p.field for p in problems]
    assert problems[0].message == (
        "deflectkit/policy@1 is an older format (this deflectkit reads deflectkit/policy@2): "
        f"run `deflectkit migrate {MODEL} --write` on this file: it rewrites it in the current "
        "format, keeping its comments")


def test_a_policy_naming_no_format_is_told_the_command(tmp_path: Path) -> None:
    text = MODEL.read_text("utf-8").replace("schema: deflectkit/policy@1\n", "", 1)
    policy = _write(tmp_path / "policies", "p.yaml", text)

    with pytest.raises(PolicyError) as info:
        load_policy(policy)
    (problem,) = info.value.problems
    assert ("error", 13, "schema") == (problem.severity, problem.line, problem.field)  # `id:`
    assert problem.message == (
        "policy is missing the required key 'schema', the format it is written in "
        f"(deflectkit/policy@1); run `deflectkit migrate {policy} --write` on this file: it "
        "rewrites it in the current format, keeping its comments")


def test_a_policy_without_its_format_line_named_outside_policies_is_read_as_a_policy(
    tmp_path: Path,
) -> None:
    """`deflectkit validate my town.yaml` on a policy that lost `schema:` says how to add it.

    Without the line, and outside a `policies` folder, only its keys say it is a policy; read
    as a provider it would get a list of provider keys instead of the command that fixes it.
    """
    text = MODEL.read_text("utf-8").replace("schema: deflectkit/policy@1\n", "", 1)
    named = tmp_path / "my town.yaml"
    named.write_text(text, "utf-8")

    errors = [p for p in check_files([named]) if p.is_error]
    assert ["schema"] == [p.field for p in errors]
    assert f"run `deflectkit migrate '{named}' --write`" in errors[0].message


def test_a_first_format_policy_loads_with_a_warning_naming_the_command() -> None:
    problems = check_policy(COUNTY)
    assert not any(p.is_error for p in problems)
    (warning,) = [p for p in problems if p.field == "eligibility"]
    assert "warning" == warning.severity
    assert warning.line is not None
    assert COUNTY.read_text("utf-8").splitlines()[warning.line - 1] == "eligibility:"
    assert warning.message.startswith("written in the first policy format (no `charge:`")
    assert f"`deflectkit migrate {COUNTY} --write` writes `scope: encounter`" in warning.message


def test_the_model_policy_has_no_format_warning() -> None:
    assert [] == [p for p in check_policy(MODEL) if p.field in ("schema", "eligibility")]


# --- providers --------------------------------------------------------------------------------

def test_a_provider_with_or_without_the_schema_key_loads(tmp_path: Path) -> None:
    folder = tmp_path / "providers"
    _write(folder, "with-schema.yaml", provider_yaml(PROVIDER))
    _write(folder, "without-schema.yaml", provider_yaml(PROVIDER).replace(
        f"schema: {PROVIDER_SCHEMA}\n", ""))

    directory = load_directory(folder, today=dt.date(2026, 12, 1))
    assert ["with-schema", "without-schema"] == sorted(p.slug for p in directory)
    assert [] == list(directory.warnings)


def test_a_newer_provider_is_refused_before_its_other_keys(tmp_path: Path) -> None:
    """One message, at the schema line: the rest is not this release's to judge."""
    text = "schema: deflectkit/provider@3\nname: Example Clinic\nlocation: {geo: [1, 2]}\n"
    provider = _write(tmp_path / "providers", "example.yaml", text)

    found, problems = check_provider_file(provider, today=None)
    assert found is None
    assert [f"{provider}:1:9: error: schema: deflectkit/provider@3 is newer than this deflectkit"
            " reads (up to deflectkit/provider@1): upgrade deflectkit (pip install -U "
            "deflectkit) to read it"] == [p.format().splitlines()[0] for p in problems]


def test_a_misspelt_schema_value_is_reported_with_the_rest(tmp_path: Path) -> None:
    text = "schema: deflectkit/provider@1.0\nname: Example Clinic\nlocation: {}\n"
    provider = _write(tmp_path / "providers", "example.yaml", text)

    _, problems = check_provider_file(provider, today=None)
    assert [(1, "schema"), (3, "location.timezone")] == [(p.line, p.field) for p in problems]
    assert problems[0].message == (
        "'deflectkit/provider@1.0' is not a deflectkit format; this deflectkit reads provider "
        "files written as 'deflectkit/provider@1'")


@pytest.mark.parametrize(("given", "shown"), [
    ("x" * 500_000, "'" + "x" * 60 + "'… (500,000 characters)"),
    ("\x1b[2J\u202e", "'\\x1b[2J\\u202e'"),
    (["deflectkit/provider@1"], "a list"),
    ({"kind": "provider"}, "a mapping (key: value pairs)"),
    (None, "nothing (an empty value)"),
    (10 ** 5_000, "a whole number too long to show"),
], ids=["long-text", "escapes", "list", "mapping", "null", "huge-int"])
def test_a_schema_value_is_quoted_cut_or_named(given: object, shown: str) -> None:
    """A stranger's value is never repeated whole: a 500,000-character one made migrate
    print 500 KB."""
    assert format_problem(given, "provider", 1) == (
        f"{shown} is not a deflectkit format; this deflectkit reads provider files written "
        "as 'deflectkit/provider@1'")


def test_the_writer_names_the_format_and_never_downgrades_a_newer_file(tmp_path: Path) -> None:
    folder = tmp_path / "providers"
    report = write_providers(folder, {"example-clinic": PROVIDER})
    text = (folder / "example-clinic.yaml").read_text("utf-8")
    assert f"schema: {PROVIDER_SCHEMA}" == text.splitlines()[1]
    assert 1 == write_providers(folder, {"example-clinic": PROVIDER}).count("unchanged")
    assert 1 == report.count("create")

    newer = text.replace(PROVIDER_SCHEMA, "deflectkit/provider@2")
    (folder / "example-clinic.yaml").write_text(newer, "utf-8")
    report = write_providers(folder, {"example-clinic": PROVIDER}, update=True)
    assert newer == (folder / "example-clinic.yaml").read_text("utf-8")
    assert ["kept"] == [f.action for f in report.files]
    assert "deflectkit/provider@2 is newer" in report.problems[0].message
    assert "left alone" in report.problems[0].message


def test_an_update_stamps_an_older_unversioned_file(tmp_path: Path) -> None:
    folder = tmp_path / "providers"
    _write(folder, "example-clinic.yaml", provider_yaml(PROVIDER).replace(
        f"schema: {PROVIDER_SCHEMA}\n", ""))

    report = write_providers(folder, {"example-clinic": PROVIDER}, update=True)
    assert [("update", (f"schema: added '{PROVIDER_SCHEMA}'",))] == [
        (f.action, f.changes) for f in report.files]


def test_exports_leave_the_format_key_out(tmp_path: Path) -> None:
    """The site and the exports work from the loaded values; the key is the file's, not theirs."""
    from deflectkit.files.provider_writer import provider_to_mapping

    folder = tmp_path / "providers"
    write_providers(folder, {"example-clinic": PROVIDER})
    (provider,) = load_directory(folder)
    assert "schema" not in provider_to_mapping(provider)


def test_load_directory_reports_the_schema_line(tmp_path: Path) -> None:
    _write(tmp_path / "providers", "a.yaml", "schema: deflectkit/policy@1\nname: A\n"
           "location: {timezone: America/Phoenix}\n")
    with pytest.raises(DataError) as info:
        load_directory(tmp_path / "providers")
    assert ["schema"] == [p.field for p in info.value.problems]
    assert "this names a policy (deflectkit/policy@1), not a provider" in (
        info.value.problems[0].message)
