"""dk.check_files and ``deflectkit validate``: every file classified, every problem reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import deflectkit as dk
from deflectkit.cli import main
from deflectkit.files.validation import _checker, classify, find_files, validate

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = "name: Example Clinic\nlocation: {timezone: America/Phoenix}\n"


@pytest.fixture(name="tree")
def _tree(tmp_path: Path) -> Path:
    """A data folder with providers, policies, a policy test file and an unrelated file."""
    (tmp_path / "providers").mkdir()
    (tmp_path / "policies").mkdir()
    (tmp_path / "events").mkdir()
    (tmp_path / "providers" / "good.yaml").write_text(MINIMAL)
    (tmp_path / "providers" / "bad.yaml").write_text(MINIMAL + "otp: maybe\n")
    (tmp_path / "policies" / "p.yaml").write_text("schema: deflectkit/policy@1\nid: p\n")
    (tmp_path / "policies" / "p.tests.yaml").write_text("- name: t\n")
    (tmp_path / "events" / "log.yaml").write_text("- at: 2026-01-01\n")
    return tmp_path


class TestClassify:
    """Where a file lives says what it is."""

    def test_kinds(self, tree: Path) -> None:
        """Providers, policies and tests by folder and name; other YAML is skipped."""
        found, problems = find_files([tree])

        assert [] == problems
        assert [
            ("events/log.yaml", None),
            ("policies/p.tests.yaml", "policy_tests"),
            ("policies/p.yaml", "policy"),
            ("providers/bad.yaml", "provider"),
            ("providers/good.yaml", "provider"),
        ] == sorted(
            [(p.relative_to(tree).as_posix(), k) for p, k in found]
            + [("events/log.yaml", classify(tree / "events" / "log.yaml", tree))]
        )

    def test_schema_header_makes_a_policy(self, tmp_path: Path) -> None:
        """A file anywhere that declares the policy schema is a policy."""
        path = tmp_path / "mine.yaml"
        path.write_text("# our policy\nschema: deflectkit/policy@1\n")

        assert "policy" == classify(path)

    def test_named_file_is_a_provider(self, tmp_path: Path) -> None:
        """A file named directly that is nothing else is a provider."""
        path = tmp_path / "x.yaml"
        path.write_text(MINIMAL)

        assert "provider" == classify(path)

    def test_plain_folder_of_providers(self, tmp_path: Path) -> None:
        """A folder without providers/ or policies/ inside holds providers."""
        (tmp_path / "x.yaml").write_text(MINIMAL)

        assert "provider" == classify(tmp_path / "x.yaml", tmp_path)

    def test_missing_checker_module(self) -> None:
        """A checker module that does not exist yet means no checker, not a crash."""
        assert _checker("deflectkit.files.no_such_module", "check") is None


class TestValidate:
    """The library call."""

    def test_reports_provider_errors(self, tree: Path) -> None:
        """The bad provider's error is reported with file, line and field."""
        problems = [p for p in validate([tree / "providers"]) if p.is_error]

        assert [
            f"{tree / 'providers' / 'bad.yaml'}:3:6: error: otp: expected true or false, "
            "got the text 'maybe'"
        ] == [p.format() for p in problems]

    def test_missing_path_is_a_problem(self, tmp_path: Path) -> None:
        """A path that does not exist is reported, not raised."""
        problems = validate([tmp_path / "nope"])

        assert [f"{tmp_path / 'nope'}: error: no such file or folder"] == [
            p.format() for p in problems
        ]

    def test_same_file_twice_checked_once(self, tree: Path) -> None:
        """Naming a folder and a file inside it does not double the problems."""
        bad = tree / "providers" / "bad.yaml"

        assert 1 == len([p for p in validate([tree / "providers", bad]) if p.is_error])

    def test_bundled_data_is_valid(self) -> None:
        """The bundled sample providers have no errors."""
        problems = dk.check_files([ROOT / "data" / "providers"])

        assert [] == [p.format() for p in problems if p.is_error]


class TestCommand:
    """``deflectkit validate`` output and exit codes."""

    def test_ok_exit_0(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Valid data exits 0 with a summary line."""
        (tmp_path / "ok.yaml").write_text(MINIMAL)

        code = main(["validate", str(tmp_path)])

        assert 0 == code
        assert "1 file checked: 0 errors, 0 warnings\n" == capsys.readouterr().out

    def test_errors_exit_1_with_snippet(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Each error prints its line, the source line and a caret, then the summary."""
        (tmp_path / "bad.yaml").write_text(MINIMAL + "servics: []\n")

        code = main(["validate", str(tmp_path / "bad.yaml")])

        assert 1 == code
        assert (
            f"{tmp_path / 'bad.yaml'}:3:1: error: servics: unknown key 'servics'; "
            "did you mean 'services'?\n"
            "  servics: []\n"
            "  ^\n"
            "1 file checked: 1 error in 1 file, 0 warnings\n"
        ) == capsys.readouterr().out

    def test_json(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--format json prints the problems as a JSON list."""
        (tmp_path / "bad.yaml").write_text(MINIMAL + "email: x\n")

        code = main(["validate", "--format", "json", str(tmp_path)])
        out = json.loads(capsys.readouterr().out)

        assert 1 == code
        assert [("email", 3, 8, "error")] == [
            (p["field"], p["line"], p["column"], p["severity"]) for p in out
        ]

    def test_missing_path_exit_2(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A path that does not exist is a usage error: exit 2, message on stderr."""
        code = main(["validate", str(tmp_path / "nope")])

        assert 2 == code
        assert (
            f"deflectkit validate: error: {tmp_path / 'nope'}: no such file or folder\n"
            == capsys.readouterr().err
        )

    def test_warnings_do_not_fail(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A stale verified date warns and still exits 0."""
        (tmp_path / "old.yaml").write_text(MINIMAL + "verified: 2020-01-01\n")

        code = main(["validate", "--today", "2026-11-27", "--no-snippets", str(tmp_path)])

        assert 0 == code
        assert "0 errors, 1 warning" in capsys.readouterr().out


class TestPreCommitHook:
    """The published pre-commit hooks check only the data folders."""

    HOOKS = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"

    def _files(self, hook_id: str) -> re.Pattern[str]:
        import yaml

        hooks = {h["id"]: h for h in yaml.safe_load(self.HOOKS.read_text(encoding="utf-8"))}
        return re.compile(hooks[hook_id]["files"])  # pre-commit uses re.search, like this

    @pytest.mark.parametrize(
        "name",
        [
            "data/providers/example-clinic.yaml",
            "data/providers/example-clinic.yml",
            "data/providers/Example-Clinic.YAML",
            "data/providers/example-clinic",
            "data/providers/tucson/example-clinic.yaml",
            "data/policies/model-deflection.yaml",
            "data/policies/model-deflection.tests.yaml",
            "data/example-too-high.yaml",
        ],
    )
    def test_checks_data(self, name: str) -> None:
        """Provider and policy files (and misnamed or misplaced ones, to warn) are passed."""
        assert self._files("deflectkit-validate").search(name)

    @pytest.mark.parametrize(
        "name",
        [
            "mkdocs.yml",
            ".pre-commit-config.yaml",
            ".github/workflows/ci.yml",
            "data/providers/README.md",
            "data/events/sample.csv",
            "data/events/config.yaml",
            "docs/data/example.yaml",
        ],
    )
    def test_leaves_other_yaml_alone(self, name: str) -> None:
        """Other YAML in the repository is not deflectkit's."""
        assert not self._files("deflectkit-validate").search(name)

    def test_policy_tests_hook(self) -> None:
        """The policy test hook runs on policy changes only."""
        files = self._files("deflectkit-test")
        assert files.search("data/policies/model-deflection.yaml")
        assert not files.search("mkdocs.yml")


def test_validate_is_a_deprecated_alias() -> None:
    """``dk.validate`` still works for one minor version, with a warning naming check_files."""
    with pytest.warns(DeprecationWarning, match="use deflectkit.check_files"):
        old = dk.validate

    assert dk.check_files is old
