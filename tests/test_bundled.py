"""The data shipped in the wheel: present, loadable, and the same as the repository's copies."""

from __future__ import annotations

import datetime as dt
import importlib.resources
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import deflectkit as dk
from deflectkit.bundled import bundled_file
from deflectkit.files.policy_tests import run_file
from tests.conftest import ROOT

BUNDLED = ROOT / "src" / "deflectkit" / "bundled"
TODAY = dt.date(2026, 12, 1)


def _sync_tool() -> ModuleType:
    """tools/sync_bundled.py as a module (tools/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sync_bundled", ROOT / "tools/sync_bundled.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bundled_copies_match_the_repository() -> None:
    """Each bundled file equals its repository copy; if not, `make bundle` copies them."""
    result = subprocess.run(
        [sys.executable, "tools/sync_bundled.py", "--check"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert 0 == result.returncode, (
        "the wheel's copies under src/deflectkit/bundled/ differ from data/ and schemas/:\n"
        f"{result.stderr}Run `make bundle` (python tools/sync_bundled.py) and commit the copies."
    )


def test_every_policy_and_schema_is_bundled() -> None:
    """The policies and schemas folders are bundled whole; the providers are a chosen few."""
    names = {p.name for p in (ROOT / "data/policies").iterdir()}
    assert names == {p.name for p in (BUNDLED / "policies").iterdir()}
    assert {p.name for p in (ROOT / "schemas").iterdir()} == {
        p.name for p in (BUNDLED / "schemas").iterdir()
    }
    samples = sorted(p.name for p in (BUNDLED / "providers").iterdir())
    assert 3 <= len(samples) <= 5
    assert all((ROOT / "data/providers" / n).is_file() for n in samples)


def test_no_bundled_file_is_a_symlink() -> None:
    """A wheel needs the bytes; a symlink would break on install or point outside."""
    assert [] == [p for p in BUNDLED.rglob("*") if p.is_symlink()]


def test_sync_reports_and_repairs_a_difference(tmp_path: Path) -> None:
    """A changed repository file is reported, then copied; a removed one leaves the bundle."""
    tool = _sync_tool()
    for folder in ("data/policies", "data/providers", "schemas", "src/deflectkit/bundled"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.py*"))
    policy = tmp_path / "data/policies/model-deflection.yaml"
    policy.write_text(policy.read_text("utf-8") + "# edited\n", "utf-8")
    (tmp_path / "schemas/policy-tests.schema.json").unlink()

    found = tool.differences(tmp_path)
    assert [
        "src/deflectkit/bundled/policies/model-deflection.yaml: differs from "
        "data/policies/model-deflection.yaml",
        "src/deflectkit/bundled/schemas/policy-tests.schema.json: no "
        "schemas/policy-tests.schema.json to copy",
    ] == found
    tool.sync(tmp_path)
    assert [] == tool.differences(tmp_path)
    assert policy.read_bytes() == (
        tmp_path / "src/deflectkit/bundled/policies/model-deflection.yaml"
    ).read_bytes()
    assert not (tmp_path / "src/deflectkit/bundled/schemas/policy-tests.schema.json").exists()


def test_model_policy_loads_and_its_tests_pass() -> None:
    """`dk.load_policy(dk.MODEL_POLICY)` works, and the bundled cases pass against it."""
    policy = dk.load_policy(dk.MODEL_POLICY)
    outcomes = run_file(dk.MODEL_POLICY_TESTS)

    assert "model-deflection" == policy.id
    assert dk.MODEL_POLICY.parent == dk.MODEL_POLICY_TESTS.parent
    assert len(outcomes) > 20
    assert [] == [o for o in outcomes if not o.passed]


def test_bundled_data_validates() -> None:
    """Sample providers, policy, tests: no problem at all (dates compared with a fixed day)."""
    assert [] == dk.check_files([dk.SAMPLE_PROVIDERS, dk.MODEL_POLICY.parent], today=TODAY)
    directory = dk.load_directory(dk.SAMPLE_PROVIDERS, today=TODAY)
    assert all(p.sample for p in directory)


def test_loaders_take_a_path_from_importlib_resources() -> None:
    """A path extracted with `importlib.resources.as_file` loads like any other file."""
    resource = importlib.resources.files("deflectkit.bundled") / "policies/model-deflection.yaml"
    with importlib.resources.as_file(resource) as path:
        assert "model-deflection" == dk.load_policy(path).id
        assert [] == dk.check_files([path], today=TODAY)


def test_schemas_are_json_schemas() -> None:
    """The three schemas, as JSON with a `$schema` key, readable without a file path."""
    import json

    names = sorted(p.name for p in dk.SCHEMAS.iterdir())
    assert ["policy-tests.schema.json", "policy.schema.json", "provider.schema.json"] == names
    for name in names:
        assert "$schema" in json.loads(bundled_file(f"schemas/{name}").read_text("utf-8"))


def test_unknown_bundled_name_is_refused() -> None:
    with pytest.raises(FileNotFoundError, match=r"bundles no 'policies/nope\.yaml'"):
        bundled_file("policies/nope.yaml")


def test_every_package_file_is_package_data() -> None:
    """pyproject's package-data patterns take every non-Python file of the package into the wheel.

    (The site's app icons were once left out: the wheel's site build failed on icon.svg.)

    (tools/check_wheel.py proves it end to end in CI; this says which file at once.)
    """
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["deflectkit"]
    package = ROOT / "src" / "deflectkit"
    missing = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
        and not any(fnmatch.fnmatch(path.relative_to(package).as_posix(), p) for p in patterns)
    ]
    assert [] == missing
