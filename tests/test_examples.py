"""The tutorial scripts in ``examples/`` run and print what the guide says they print.

Each script is run the way a reader runs it: ``python examples/NAME.py`` from the
repository root, in a fresh interpreter. The guide embeds these files verbatim, so a change
in the library that breaks a tutorial fails here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Lines (or parts of lines) each script must print. Facts that depend only on the
#: example's own inputs and the library's rules, not on the shared sample data.
EXPECTED: dict[str, list[str]] = {
    "assess_encounter.py": [
        "status: eligible",
        "status: ineligible",
        "reason: WEAPON (hit): Weapon present",
        "status: deferred",
        "first steps: call_ems",
        "status: needs_info",
        "ask about: warrant",
        "refer to: R-OUD (needs opioids)",
        "This is advice: the officer's discretion is final.",
        "status eligible, charge deflect as of 2025-03-01 (policy model-deflection)",
        "charge: deflect",
        "offer, voluntary: R-OUD (needs opioids)",
        "status: declined",
        "pathway: naloxone_plus",
        '"status": "eligible"',
        "age: age must be a whole number; got text",
    ],
    "find_provider_and_refer.py": [
        "decision: eligible, pathway officer_intervention",
        "route: R-OUD, needs ['opioids']",
        "open for intake now",
        "takes police drop-offs",
        "person in repr: False",
        "refused: cannot share referral ref-example-0001 with 'example-other-clinic'",
    ],
    "followup_calendar.py": [
        "plan: checkpoints at days [1, 7, 30, 90, 180]",
        "as of 2025-03-13 16:30: status initiated, initiated True, engaged False",
        "DUE NOW: Re-engagement after a return to use",
        "as of 2025-03-23 14:30: status engaged, initiated True, engaged True",
        "refused: at: 2025-03-04T14:30:00-07:00 is out of time order",
        "pending contacts in it: 3",
        "DTSTART;TZID=America/Phoenix:20250402T143000",
        "person data in calendar: False",
    ],
    "policy_test_and_diff.py": [
        "11 passed, 0 failed",
        "lint: 0 finding(s)",
        "personal_use_grams: 1.0 -> 2.0 (since 2026-07-01)",
        "status: expected eligible, got ineligible",
        "trespass on 2026-07-01: eligible, as expected",
        "held for 60 generated encounters",
    ],
    "publish_site.py": [
        "mkdocs build --strict: ok",
        "providers/example-town-crisis-center/index.html",
        "policy/example-town/index.html",
        "provider page shows the phone: True",
    ],
    "integrate_records_system.py": [
        "without checkboxes=: needs_info, asks about ",
        "with checkboxes=: eligible, charge deflect, pathway officer_intervention",
        "contact (program time): 2026-11-30 03:10:00-07:00",
        "fix age: age must be a whole number such as 34",
        "fix contact_at: contact_at must be a date and time like 2026-03-02 03:10",
        "fix contact_type: contact_type is not one of its words (did you mean 'patrol'?)",
        "match: ",
        "first follow-up: day-1 due 2026-12-01 03:10",
        "stored schema: deflectkit/decision@1",
        "read back equal: True",
        "This is advice: the officer's discretion is final.",
    ],
    "import_data.py": [
        "4 rows read, 2 providers, 1 row(s) not imported",
        "FindTreatment_Facility_listing_2026_09_01_120000.csv:5: error: city: no city",
        "create: example-family-counseling-tucson.yaml",
        "validate: 0 problem(s)",
    ],
}


def test_every_example_is_checked() -> None:
    """A new script in examples/ must get its expected lines here too."""
    assert sorted(EXPECTED) == sorted(p.name for p in EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name: str) -> None:
    """The script exits 0 and prints each expected line."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert (0, "") == (done.returncode, done.stderr if done.returncode else "")
    missing = [line for line in EXPECTED[name] if line not in done.stdout]
    assert [] == missing, done.stdout
