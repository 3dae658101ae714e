"""Tutorial 2: find a provider that will take someone now, and record a referral with consent.

The officer's decision said "eligible, refer for opioid use". This script asks the provider
directory who can take the person *at this moment* near where the officer is, records the
referral with the person's permission to pass their contact details to that provider, and
with a 42 CFR Part 2 consent for the provider to tell the program whether treatment started.

Run it from the repository root::

    python examples/find_provider_and_refer.py
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import deflectkit as dk
from deflectkit.core.referral import Person, receive_from_provider, share_with_provider

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "data" / "policies" / "model-deflection.yaml"
PROVIDERS = ROOT / "data" / "providers"

ZONE = ZoneInfo("America/Phoenix")
# A Tuesday at 2:30 in the morning: most clinics are closed. Time is a parameter, so the
# answer is the same every time this runs.
NOW = dt.datetime(2026, 12, 1, 2, 30, tzinfo=ZONE)


def main() -> int:
    """Decide, match, refer, share; print what the officer and the program would see."""
    policy = dk.load_policy(POLICY_FILE)
    decision = dk.assess(policy, {
        "contact_at": NOW, "contact_type": "patrol", "age": 41,
        "offenses": ["drug_possession"], "drug_amount_grams": 0.5, "sales_indicators": False,
        "warrant": "none", "supervision": "none", "weapon_present": False, "violence": False,
        "identified_victim": False, "medical_emergency": False, "danger_to_self": False,
        "danger_to_others": False, "responder": "police",
        "capable_of_consent": True, "consents": True, "needs": ["opioids"],
        "prior_deflections": 1,
    })
    print(f"decision: {decision.status}, pathway {decision.pathway}")
    assert decision.referral is not None  # no route only when declined or unsafe
    print(f"route: {decision.referral.route}, needs {list(decision.referral.need)}")
    print()

    # No `today`: the date checks ("verified ... in the future") belong to `deflectkit
    # validate`, which passes the real date; the encounter's date is not the day the data
    # was checked.
    directory = dk.load_directory(PROVIDERS)
    print(f"directory: {len(directory)} providers")

    # Who can take the person now, near ZIP 85705, and takes police drop-offs?
    matches = dk.match(directory, decision.referral.need, at=NOW, near="85705",
                       dropoff=True, limit=3)
    print(f"open now for {', '.join(decision.referral.need)} near 85705: {len(matches)} shown")
    for rank, m in enumerate(matches, start=1):
        distance = "?" if m.distance_km is None else f"{m.distance_km:.1f} km"
        print(f"{rank}. {m.provider.name} ({m.provider.slug}), {distance}")
        for reason in m.reasons:
            print(f"     + {reason}")
        for lack in m.lacks:
            print(f"     - {lack}")
    if not matches:
        print("nobody is open now; try include_closed=True for who opens next")
        return 0
    chosen = matches[0].provider
    print()

    # Police -> provider: the person agrees the officer may pass their details on.
    permission = dk.ContactPermission(
        providers=(chosen.slug,),
        given_at=NOW + dt.timedelta(minutes=5),
        recorded_by="patrol officer",
    )
    # Provider -> program: a Part 2 consent (42 CFR 2.31 elements) for the provider to tell
    # the program about intake and attendance. Not legal advice: counsel writes the form.
    consent = dk.Consent(
        discloser=chosen.name,
        discloser_ids=(chosen.slug,),
        recipient="Example Police Department deflection program",
        information="Whether I attended intake and treatment appointments",
        purpose="Follow-up and program measures",
        signed_at=NOW + dt.timedelta(minutes=5),
        expires_at=NOW + dt.timedelta(days=365),
        signature_ref="form-0001",
    )
    referral = dk.Referral.from_decision(
        decision,
        provider_id=chosen.slug,
        referred_at=NOW + dt.timedelta(minutes=10),
        charge_disposition="not_filed",
        consent=consent,
        contact_permission=permission,
        person=Person("Pat Example", date_of_birth=dt.date(1985, 6, 1)),
        referral_id="ref-example-0001",
        timezone=policy.timezone,
    )
    # The person is never in repr, str or default JSON, so logging a referral is safe.
    print(f"recorded: {referral}")
    print(f"person in repr: {'Pat' in repr(referral)}")
    print(f"JSON keys: {sorted(dk.to_json(referral))}")
    print()

    shared = share_with_provider(referral, chosen.slug, at=NOW + dt.timedelta(minutes=15))
    print(f"shared with {shared.recipient}: {shared.person.name} "
          f"(permission recorded by a {shared.recorded_by})")

    # Any other provider is refused, with the reason.
    try:
        share_with_provider(referral, "example-other-clinic", at=NOW + dt.timedelta(minutes=15))
    except dk.ConsentError as error:
        print(f"refused: {error}")

    # Next day the provider reports the intake: accepted under the consent, with the notice.
    report = receive_from_provider(referral, chosen.slug, at=NOW + dt.timedelta(days=1))
    print(f"intake report from {report.discloser} under consent {report.consent_ref}")
    print(f"notice: {report.notice[:60]}...")
    print()
    print("referral JSON for the program's records:")
    print(json.dumps(dk.to_json(referral), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
