"""The README's Python example runs as written (so the front page never lies)."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT


def test_readme_python_example_runs() -> None:
    """Every ```python block of the README runs from the repository root and exits 0."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)

    assert blocks
    for block in blocks:
        result = subprocess.run(
            [sys.executable, "-c", block], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert 0 == result.returncode, result.stderr
        assert "eligible deflect officer_intervention" in result.stdout
        assert "Refer to: Medications for opioid use disorder" in result.stdout
        assert "day-1 2026-03-03T03:00:00-07:00" in result.stdout


def test_readme_opens_with_the_two_commands() -> None:
    """The README starts with `make serve` and `make test`, the two set-up commands."""
    first_block = (ROOT / "README.md").read_text(encoding="utf-8").split("```")[1]

    assert ["make serve", "make test"] == re.findall(r"^make \w+", first_block, flags=re.M)
