"""Tutorial 1: assess an encounter and explain the decision in your own app.

A records or dispatch system collects the facts of one encounter, asks the agency's policy
what it advises, and shows the officer the status, what to do first, what happens to the
charge, where to refer, and why. A decision answers two questions: can this person be
linked to care now, and, where an offense could be charged, can the charge be deflected.
The decision is advice: the officer's discretion is final.

Run it from the repository root::

    python examples/assess_encounter.py
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import deflectkit as dk

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "data" / "policies" / "model-deflection.yaml"

# Time is always a parameter: the contact time comes from your record, never from the clock.
CONTACT_AT = dt.datetime(2025, 3, 1, 10, 0, tzinfo=ZoneInfo("America/Phoenix"))


def encounter(**changes: Any) -> dict[str, Any]:
    """The facts of one patrol encounter (fictional), as your form would collect them."""
    facts: dict[str, Any] = {
        "contact_at": CONTACT_AT,
        "contact_type": "patrol",
        "responder": "police",
        "age": 34,
        "offenses": ["drug_possession"],
        "drug_amount_grams": 0.8,
        "sales_indicators": False,
        "warrant": "none",
        "supervision": "none",
        "weapon_present": False,
        "violence": False,
        "identified_victim": False,
        "medical_emergency": False,
        "danger_to_self": False,
        "danger_to_others": False,
        "capable_of_consent": True,
        "consents": True,
        "needs": ["opioids"],
        "prior_deflections": 0,
    }
    facts.update(changes)
    return facts


def show(title: str, decision: dk.Decision) -> None:
    """What an officer's screen would show: status, charge, first steps, reasons, summary."""
    print(f"== {title}")
    print(f"status: {decision.status}")
    print(f"charge: {decision.charge}")  # none, deflect, review, proceed or pending
    print(f"pathway: {decision.pathway}")
    if decision.first_steps:
        print(f"first steps: {', '.join(decision.first_steps)}")
    for reason in decision.reasons:
        if reason.decisive or reason.result == "unknown":
            print(f"reason: {reason.reason} ({reason.result}): {reason.label}")
    if decision.missing_facts:
        print(f"ask about: {', '.join(decision.missing_facts)}")
    if decision.referral is not None:
        offer = "offer, voluntary" if decision.referral.voluntary else "refer to"
        print(f"{offer}: {decision.referral.route} (needs {', '.join(decision.referral.need)})")
    print(f"summary: {decision.summary}")
    print()


def main() -> int:
    """Assess several encounters; print each decision, one trace, and the JSON for a log."""
    policy = dk.load_policy(POLICY_FILE)
    print(f"policy {policy.id} ({policy.label}), time zone {policy.timezone}")
    print()

    eligible = dk.assess(policy, encounter())
    show("adult with 0.8 g, wants help with opioids", eligible)

    show("a weapon was present", dk.assess(policy, encounter(weapon_present=True)))
    show("medical emergency first", dk.assess(policy, encounter(medical_emergency=True)))

    # A rule about the charge lets the charge proceed but never stops the referral.
    show("3 g: more than personal use", dk.assess(policy, encounter(drug_amount_grams=3.0)))
    # At an overdose, possession is not charged (Good Samaritan law): no charge is in play,
    # so the charge rules do not apply at all.
    show("after an overdose, 3 g", dk.assess(policy, encounter(
        contact_type="overdose_response", responder="fire_ems", drug_amount_grams=3.0)))
    show("the person says no", dk.assess(policy, encounter(consents=False)))

    # A fact left out is unknown, never assumed: the decision asks for it.
    unknown = encounter()
    del unknown["warrant"]
    show("warrant not checked yet", dk.assess(policy, unknown))

    # Explain mode also lists the rules that passed: the full trace, for a supervisor.
    print("== trace (explain mode)")
    print(dk.assess(policy, encounter(), explain=True).trace())
    print()

    # Store the decision as JSON in your own audit log (docs/design/formats.md#stored-json).
    record = dk.to_json(eligible)
    print("== JSON for your audit log (first keys)")
    print(json.dumps({k: record[k] for k in ("status", "charge", "as_of", "pathway",
                                              "referral")}))

    # Bad input is a clear error naming the fact, never a traceback in your app.
    try:
        dk.assess(policy, encounter(age="thirty"))
    except dk.PolicyError as error:
        print()
        print("== a typing mistake in the facts")
        for problem in error.problems:
            print(f"{problem.field}: {problem.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
