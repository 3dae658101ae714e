"""The pytest plugin collects ``*.tests.yaml`` files and reports failures readably."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

COUNTY = Path(__file__).parent / "data" / "policies" / "example-county.yaml"

CASES = """\
- name: adult trespass is eligible
  facts: {contact_date: 2025-06-01, date_of_birth: 1980-01-01, offense_code: trespass,
          weapon_involved: false, in_crisis: false}
  expect: {status: eligible}
- name: wrong on purpose
  facts: {contact_date: 2025-06-01, date_of_birth: 1980-01-01, offense_code: trespass,
          weapon_involved: false, in_crisis: false}
  expect: {status: ineligible, reasons: [WEAPON]}
"""


def test_plugin_collects_cases_and_reports_a_failure(tmp_path: Path) -> None:
    """Each case is an item; a failing case shows file:line, the difference and the trace."""
    (tmp_path / "county.yaml").write_text(COUNTY.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "county.tests.yaml").write_text(CASES, encoding="utf-8")

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), str(tmp_path)],
        capture_output=True, text=True, cwd=tmp_path, check=False, timeout=120,
    )

    assert 1 == run.returncode, run.stdout + run.stderr
    assert "county.tests.yaml:5: wrong on purpose" in run.stdout
    assert "status: expected ineligible, got eligible" in run.stdout
    assert "decision trace:" in run.stdout
    assert "1 failed, 1 passed" in run.stdout
    assert "Traceback" not in run.stdout
