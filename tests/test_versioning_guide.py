"""docs/guide/versioning.md works as written: its migrate example is run, output and all.

The page shows a provider file written before providers named their format, then the
commands that bring it up to date with what each prints. This test writes the file the page
shows into a temporary project, runs each ``$`` line in order and compares what it prints
with the lines the page shows under it; a command it does not know fails the test.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from deflectkit.cli import main
from deflectkit.core.providers import PROVIDER_SCHEMA
from tests.conftest import ROOT

GUIDE = ROOT / "docs/guide/versioning.md"


def _section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## File formats and `deflectkit migrate`")
    return text[start:text.index("\n## ", start + 1)]


def _steps(console: str) -> list[tuple[str, list[str]]]:
    """``(command, lines it prints)`` for each ``$`` line of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def test_the_migrate_example_runs_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    section = _section()
    (example,) = re.findall(r"^```yaml\n(.*?)^```", section, re.M | re.S)
    (console,) = re.findall(r"^```console\n(.*?)^```", section, re.M | re.S)
    provider = tmp_path / "data/providers/example-clinic.yaml"
    provider.parent.mkdir(parents=True)
    provider.write_text(example, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    steps = _steps(console)
    assert 3 == len(steps)
    for command, shown in steps:
        words = shlex.split(command)
        assert "deflectkit" == words[0], f"the test does not know how to run {command!r}"
        code = main(words[1:])
        assert shown == capsys.readouterr().out.splitlines(), command
        assert code == (1 if "would migrate" in "\n".join(shown) else 0), command
    lines = example.splitlines()
    assert [lines[0], f"schema: {PROVIDER_SCHEMA}", *lines[1:]] == (
        provider.read_text("utf-8").splitlines())


def test_the_table_names_the_current_formats() -> None:
    from deflectkit.core.policy.model import SCHEMA

    section = _section()
    assert f"`schema: {SCHEMA}`" in section
    assert f"`schema: {PROVIDER_SCHEMA}`" in section
