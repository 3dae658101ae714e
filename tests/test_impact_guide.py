"""The impact guide's examples are real: its code runs, and its outputs are the tool's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from deflectkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "guide" / "impact.md"
ARGS = ["impact", "--policy", "data/policies/model-deflection.yaml",
        "--against", "examples/impact/model-deflection-3g.yaml", "data/encounters/sample.csv"]


def _blocks(kind: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(rf"```{kind}\n(.*?)```", text, flags=re.DOTALL)


def _within(shown: Any, real: Any, where: str = "") -> list[str]:
    """Where the guide's JSON differs from the real JSON (it may leave keys and items out)."""
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [f"{where}: not an object"]
        return [d for k, v in shown.items()
                for d in ([f"{where}.{k}: missing"] if k not in real
                          else _within(v, real[k], f"{where}.{k}"))]
    if isinstance(shown, list):
        if not isinstance(real, list) or len(real) < len(shown):
            return [f"{where}: too few items"]
        return [d for i, v in enumerate(shown) for d in _within(v, real[i], f"{where}[{i}]")]
    return [] if shown == real else [f"{where}: guide {shown!r}, real {real!r}"]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_json_example_is_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    """The guide's JSON is (a part of) what `--format json --examples 1` prints."""
    (shown,) = _blocks("json")

    assert 0 == main([*ARGS, "--examples", "1", "--format", "json"])
    real = json.loads(capsys.readouterr().out)

    assert [] == _within(json.loads(shown), real)


def test_text_example_is_the_real_output(capsys: pytest.CaptureFixture[str]) -> None:
    """Every line of the guide's report excerpt is a line of the real report."""
    shown = _blocks("text")[0]

    assert 0 == main([*ARGS, "--examples", "1"])
    real = capsys.readouterr().out.splitlines()

    assert [] == [line for line in shown.splitlines() if line and line not in real]


def test_python_example_runs_and_prints_what_the_guide_says() -> None:
    """The Python example, run as a reader runs it, prints the guide's text."""
    (code,) = _blocks("python")
    printed = _blocks("text")[1]

    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)

    assert (0, "") == (done.returncode, done.stderr)
    assert printed == done.stdout


def test_good_samaritan_figure(capsys: pytest.CaptureFixture[str]) -> None:
    """The guide's figure for the Good Samaritan lapse is the tool's."""
    assert 0 == main(["impact", "--policy", "data/policies/model-deflection.yaml",
                      "--as-of", "2028-06-30", "--against", "data/policies/model-deflection.yaml",
                      "--as-of", "2028-07-01", "data/encounters/sample.csv", "--format", "json"])
    changed = json.loads(capsys.readouterr().out)["changed"]

    assert f"On the sample, {changed} decisions change" in GUIDE.read_text(encoding="utf-8")
