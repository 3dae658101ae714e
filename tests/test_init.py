"""``deflectkit init``: a ready project from the package, never a file overwritten."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

import deflectkit as dk
from deflectkit.cli import main
from deflectkit.cli.init import _create, requirement
from deflectkit.files.policy_tests import run_file

TODAY = dt.date.today()  # init stamps the example provider's `verified` with today's date

EXPECTED_FILES = {
    ".github/workflows/directory.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "README.md",
    "data/events/README.md",
    "data/events/events.csv",
    "data/policies/example-county-sheriff-deflection.tests.yaml",
    "data/policies/example-county-sheriff-deflection.yaml",
    "data/providers/README.md",
    "data/providers/example-recovery-center.yaml",
    "docs/index.md",
    "mkdocs.yml",
    "requirements.txt",
    "schemas/policy-tests.schema.json",
    "schemas/policy.schema.json",
    "schemas/provider.schema.json",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _init(*args: str) -> int:
    return main(["init", *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "pima"
    assert 0 == _init(str(root), "--agency", "Example County Sheriff", "--state", "AZ")
    return root


def test_writes_every_file_of_a_project(project: Path) -> None:
    assert EXPECTED_FILES == _files(project)


def test_project_validates_and_its_policy_tests_pass(project: Path) -> None:
    policy_file = project / "data/policies/example-county-sheriff-deflection.yaml"

    assert [] == dk.check_files([project / "data"])
    outcomes = run_file(policy_file.with_name("example-county-sheriff-deflection.tests.yaml"))
    assert len(outcomes) > 20
    assert [] == [o for o in outcomes if not o.passed]


def test_policy_is_the_model_renamed_with_every_comment_kept(project: Path) -> None:
    copy = (project / "data/policies/example-county-sheriff-deflection.yaml").read_text("utf-8")
    policy = dk.load_policy(project / "data/policies/example-county-sheriff-deflection.yaml")
    model = dk.MODEL_POLICY.read_text("utf-8")

    assert ("example-county-sheriff-deflection", "Example County Sheriff deflection policy",
            "America/Phoenix") == (policy.id, policy.label, policy.timezone)
    comments = [line for line in model.splitlines() if line.lstrip().startswith("#")]
    assert comments
    assert [c for c in comments if c not in copy.splitlines()] == []
    assert copy.startswith("# yaml-language-server: $schema=../../schemas/policy.schema.json\n")
    # Line for line the model, but for id and label and one comment saying where it came from.
    expected = [
        {"id: model-deflection": "id: example-county-sheriff-deflection",
         "label: Model pre-arrest deflection policy":
         'label: "Example County Sheriff deflection policy"'}.get(line, line)
        for line in model.splitlines()
    ]
    lines = copy.splitlines()
    assert lines[1].startswith("# Example County Sheriff's copy of deflectkit's model policy")
    assert expected == lines[:1] + lines[2:]


def test_state_and_timezone_place_the_example(tmp_path: Path) -> None:
    """`--state ma` (any case) puts the example at a real MA ZIP, on Eastern time by default."""
    root = tmp_path / "springfield"
    assert 0 == _init(str(root), "--state", "ma")

    provider = yaml.safe_load((root / "data/providers/example-recovery-center.yaml").read_text())
    policy = dk.load_policy(next((root / "data/policies").glob("*-deflection.yaml")))
    assert ("MA", "America/New_York") == (provider["location"]["address"]["state"],
                                         provider["location"]["timezone"])
    assert ("springfield-deflection", "America/New_York") == (policy.id, policy.timezone)
    assert [] == dk.check_files([root / "data"])


def test_timezone_option_wins_over_the_state(tmp_path: Path) -> None:
    root = tmp_path / "x"
    assert 0 == _init(str(root), "--state", "TX", "--timezone", "America/Denver")
    assert "America/Denver" == dk.load_policy(next((root / "data/policies").glob(
        "*-deflection.yaml"))).timezone


def test_example_provider_is_plainly_fictional(project: Path) -> None:
    text = (project / "data/providers/example-recovery-center.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    assert data["sample"] is True
    assert data["name"].startswith("Example ")
    assert all(re.fullmatch(r"\+1 \d{3}-555-01\d\d", p["number"]) for p in data["phones"])
    assert data["website"].startswith("https://example.org/")
    assert data["email"].endswith("@example.org")


def test_site_config_names_the_agency(project: Path) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text("utf-8"))

    assert "Example County Sheriff" == config["site_name"]
    plugin = config["plugins"][1]["deflectkit"]
    assert ("data/providers", "data/policies", "data/events/events.csv") == (
        plugin["providers_dir"], plugin["policies_dir"], plugin["events_file"])
    assert config["theme"]["font"] is False


def test_event_log_is_an_empty_log_with_the_header(project: Path) -> None:
    assert [] == list(dk.read_events(project / "data/events/events.csv"))
    header = (project / "data/events/events.csv").read_text("utf-8")
    columns = "event_id,at,referral_id,type,pathway,officer_hash,provider_id,detail,minutes"
    assert columns + "\n" == header


def test_pre_commit_hooks_run_clean(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each local hook's entry, run as pre-commit would in the project, passes."""
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    monkeypatch.chdir(project)
    files = sorted(str(p.relative_to(project)) for p in (project / "data").rglob("*.yaml"))

    assert 2 == len(hooks)
    for hook in hooks:
        command = hook["entry"].split()
        assert "deflectkit" == command[0]
        args = command[1:] + ([] if hook.get("pass_filenames") is False else files)
        assert 0 == main(args), hook["id"]


def test_workflow_validates_pull_requests_and_publishes(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/directory.yml").read_text("utf-8"))
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]

    assert {"validate", "publish"} == set(workflow["jobs"])
    assert any("deflectkit validate" in r for r in runs)
    assert any("deflectkit test data/policies" in r for r in runs)
    assert any("mkdocs build --strict" in r for r in runs)
    requirements = (project / "requirements.txt").read_text("utf-8")
    assert requirement(dk.__version__) in requirements


def test_a_release_is_required_from_the_index() -> None:
    """A release line is a specifier pip resolves on PyPI, bug-fix releases included."""
    line = requirement("1.2.0")
    assert "deflectkit[site]~=1.2.0" == line
    assert Requirement(line).specifier.contains("1.2.3")


@pytest.mark.parametrize("version", ["0.1.0.dev0", "1.0.0rc1", "0.1.0.dev3+g1a2b3c"])
def test_a_development_build_is_required_as_a_committed_wheel(version: str) -> None:
    """``==0.1.0.dev0`` is on no index: the line is the wheel's path, with how to put it there.

    pip reads ``./wheels/<name>.whl[site]`` as a local wheel with the ``site`` extra.
    """
    *comments, line = requirement(version).splitlines()
    assert f"./wheels/deflectkit-{version}-py3-none-any.whl[site]" == line
    assert all(c.startswith("# ") for c in comments)
    assert "python -m pip wheel" in " ".join(comments)
    assert "==" not in line


def test_init_from_a_development_build_says_where_the_wheel_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The message after init points at wheels/ when this deflectkit is not a release."""
    monkeypatch.setattr("importlib.metadata.version", lambda _: "0.1.0.dev0")
    assert 0 == main(["init", str(tmp_path / "p"), "--agency", "Example"])
    requirements = (tmp_path / "p" / "requirements.txt").read_text("utf-8")
    assert "./wheels/deflectkit-0.1.0.dev0-py3-none-any.whl[site]" in requirements
    assert "deflectkit[site]==" not in requirements
    assert "development build: put its wheel in" in capsys.readouterr().out


def test_refuses_a_folder_that_is_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")

    assert 2 == _init(str(tmp_path))
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "is not empty" in err
    assert {"notes.txt"} == _files(tmp_path)


def test_force_adds_missing_files_and_keeps_the_rest(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "README.md").write_text("our own readme\n", "utf-8")
    (project / "mkdocs.yml").unlink()
    capsys.readouterr()

    assert 0 == _init(str(project), "--agency", "Example County Sheriff", "--force")
    out = capsys.readouterr().out
    assert "our own readme\n" == (project / "README.md").read_text("utf-8")
    assert (project / "mkdocs.yml").is_file()
    assert f"wrote {project / 'mkdocs.yml'}" in out
    assert f"kept {project / 'README.md'} (it exists; not overwritten)" in out


def test_a_symlink_in_the_way_is_kept_and_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched", "utf-8")
    root = tmp_path / "p"
    root.mkdir()
    (root / "README.md").symlink_to(outside)

    assert 0 == _init(str(root), "--force")
    assert "untouched" == outside.read_text("utf-8")
    assert (root / "README.md").is_symlink()


def test_create_never_replaces_a_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    assert _create(target, "first")
    assert not _create(target, "second")
    assert "first" == target.read_text("utf-8")
    assert ["a.txt"] == [p.name for p in tmp_path.iterdir()]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--state", "ZZ"], "--state 'ZZ' is not a two-letter US state code"),
        (["--state", "AP"], "--state 'AP' is not a two-letter US state code"),
        (["--timezone", "America/Chicgo"], "(did you mean 'America/Chicago'?)"),
        (["--timezone", "Mars/Olympus"], "is not an IANA time zone"),
        (["--agency", "  "], "--agency is empty"),
        (["--agency", "x" * 101], "at most 100 characters"),
        (["--agency", "Example\x07PD"], "one line"),
        (["--agency", "<script>alert(1)</script>"], "may not contain < or >"),
    ],
)
def test_bad_options_are_one_line_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    root = tmp_path / "p"

    assert 2 == _init(str(root), *args)
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert err.startswith("deflectkit init: error: ")
    assert message in err
    assert not root.exists()


def test_a_file_in_place_of_the_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("x", "utf-8")

    assert 2 == _init(str(tmp_path / "f"))
    assert "exists and is not a folder" in capsys.readouterr().err


def test_json_output_lists_what_was_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert 0 == _init(str(tmp_path / "p"), "--agency", "Example County Sheriff",
                      "--format", "json")
    report = json.loads(capsys.readouterr().out)
    assert EXPECTED_FILES == set(report["written"])
    assert ([], "example-county-sheriff-deflection", "America/Phoenix") == (
        report["kept"], report["policy"], report["timezone"])


def test_agency_defaults_to_the_folder_name(tmp_path: Path) -> None:
    assert 0 == _init(str(tmp_path / "pima-county_sheriff"))
    policy = dk.load_policy(tmp_path / "pima-county_sheriff/data/policies/"
                            "pima-county-sheriff-deflection.yaml")
    assert "Pima County Sheriff deflection policy" == policy.label


def test_files_carry_the_current_format_versions(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Policy and provider name the formats this release writes; migrate has nothing to do."""
    from deflectkit.core.policy.model import SCHEMA
    from deflectkit.core.providers import PROVIDER_SCHEMA

    policy = yaml.safe_load(
        (project / "data/policies/example-county-sheriff-deflection.yaml").read_text("utf-8"))
    provider_text = (project / "data/providers/example-recovery-center.yaml").read_text("utf-8")
    assert "deflectkit/policy@1" == SCHEMA == policy["schema"]
    assert "deflectkit/provider@1" == PROVIDER_SCHEMA == yaml.safe_load(provider_text)["schema"]
    assert f"schema: {PROVIDER_SCHEMA}" == provider_text.splitlines()[2]  # after the comments
    capsys.readouterr()
    assert 0 == main(["migrate", str(project / "data"), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert {"current"} == {r["status"] for r in report}
    assert {"policy", "policy_tests", "provider"} == {r["kind"] for r in report}
