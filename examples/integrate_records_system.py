"""Tutorial: put deflectkit behind a records system's encounter form.

A records management system (RMS) stores an encounter as form text: numbers, words and a
ticked checkbox as ``"on"``; an unticked checkbox is not sent at all. This script reads such
a form into typed facts, decides, finds who can take the person now, opens the follow-up
case, stores the decision as JSON (with its format key) and reads it back, as an
integration would on the day the officer files the report and years later in an audit.
Every name, number and place is fictional.

Run it from the repository root::

    python examples/integrate_records_system.py
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import deflectkit as dk

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "data" / "policies" / "model-deflection.yaml"
PROVIDERS = ROOT / "data" / "providers"

#: The clock the RMS writes its local times in (no UTC offset in the stored text).
RMS_TIMEZONE = "America/Phoenix"
#: The yes/no facts the encounter form shows as checkboxes. A browser sends nothing for an
#: unticked box, so only for these does a missing field mean "no".
CHECKBOXES = ("sales_indicators", "weapon_present", "violence", "identified_victim",
              "medical_emergency", "danger_to_self", "danger_to_others",
              "capable_of_consent", "consents")

#: One submitted form, as the RMS hands it over (every value is text; unticked boxes absent).
FORM = {
    "contact_at": "2026-11-30 03:10",
    "contact_type": "patrol",
    "responder": "police",
    "age": "34",
    "offenses": "drug_possession,paraphernalia",
    "drug_amount_grams": "0.4",
    "warrant": "none",
    "supervision": "none",
    "capable_of_consent": "on",
    "consents": "on",
    "needs": "opioids",
    "prior_deflections": "0",
}


def read_form(policy: dk.Policy, form: dict[str, str]) -> dict[str, object] | None:
    """The form's facts, or ``None`` after printing what to fix (per field, for the UI)."""
    try:
        return dk.parse_facts(policy, form, naive_timezone=RMS_TIMEZONE, checkboxes=CHECKBOXES)
    except dk.PolicyError as error:
        for problem in error.problems:
            print(f"  fix {problem.field}: {problem.message}")
        return None


def main() -> int:
    """Form to facts, decision, providers, follow-up case, stored JSON and back."""
    policy = dk.load_policy(POLICY_FILE)

    # 1. The same form without the checkbox list: the unticked boxes are unknown.
    unsure = dk.assess(policy, dk.parse_facts(policy, FORM, naive_timezone=RMS_TIMEZONE))
    print(f"without checkboxes=: {unsure.status}, asks about {', '.join(unsure.missing_facts)}")

    # 2. With it, an unticked box means "no", and the policy can decide.
    facts = read_form(policy, FORM)
    assert facts is not None
    decision = dk.assess(policy, facts)
    print(f"with checkboxes=: {decision.status}, charge {decision.charge}, "
          f"pathway {decision.pathway}")
    print(f"contact (program time): {facts['contact_at']}")

    # 3. A mistyped form gives one message per field, and never repeats what was typed.
    print("a mistyped form:")
    read_form(policy, {**FORM, "age": "3 4", "contact_at": "11/30/2026 03:10",
                       "contact_type": "patrl"})

    # 4. Who can take the person now? `today` is the day the directory's `verified` dates
    #    are checked against: in production the day you load it; fixed here so that this
    #    tutorial prints the same every time.
    assert decision.referral is not None
    directory = dk.load_directory(PROVIDERS, today=dt.date(2026, 12, 1))
    at = facts["contact_at"]
    assert isinstance(at, dt.datetime)
    matches = dk.match(directory, decision.referral.need, at=at, near="85705", limit=3)
    for m in matches:
        print(f"match: {m.provider.name} ({m.provider.slug})")
    if not matches:
        print("nobody is open now: match(..., include_closed=True) shows who opens next")

    # 5. The follow-up case, under the RMS's own report number for the referral.
    case = dk.open_case(decision, policy.follow_up, referral_at=at, timezone=policy.timezone,
                        referral_id="rms-example-2026-0001")
    first = case.at(at).contacts[0]
    print(f"first follow-up: {first.id} due {first.due:%Y-%m-%d %H:%M}")

    # 6. Store the decision with the report, as JSON text; read it back later.
    with tempfile.TemporaryDirectory() as folder:
        stored = Path(folder) / "decision.json"
        stored.write_text(json.dumps(dk.to_json(decision), indent=2), encoding="utf-8")
        data = json.loads(stored.read_text(encoding="utf-8"))
    print(f"stored schema: {data['schema']}")
    again = dk.from_json(dk.Decision, data)
    print(f"read back equal: {again == decision}")
    print(again.summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
