"""A deterministic, fictional year of encounters, for impact analyses (``dk.impact``).

Nothing here describes real people. The encounters are made so that a policy change has
something realistic to work on: a year (2025, in Tucson's zone, UTC−7 all year) of a
mid-sized city's contacts with people who use drugs, as the model policy describes them:

* every way a contact begins: patrol stops, calls for service, walk-ins asking for help,
  outreach and overdose responses, with the responders who answer them;
* offences that fit the contact: possession and paraphernalia most often, trespass,
  public intoxication and disorderly conduct on calls for service, a few thefts, sales,
  DUIs and assaults; a patrol stop or an outreach contact often has no offence at all;
* drug amounts that are mostly small, with a tail above the 2 g personal-use limit (some
  between 2 and 3 g, so that moving the limit matters);
* warrants, supervision, violence, weapons, emergencies and consent at plausible rates;
* **missing facts**: an officer's form is not always complete, so a few cells of the
  facts most often left blank (warrant, supervision, consent, needs, age) are empty.

Only the facts the given policy declares are written, in its order, so the same
generator serves a policy that declares more or fewer facts. The same seed, count and
policy always give the same bytes.

Example:
    >>> from deflectkit.impact_samples import generate_encounters
    >>> rows = list(generate_encounters(["contact_type", "age"], count=3))
    >>> sorted(rows[0])
    ['age', 'contact_type']
"""

from __future__ import annotations

import datetime as dt
import io
import math
import random
import sys
from collections.abc import Iterator, Sequence

__all__ = ["SAMPLE_COUNT", "SAMPLE_SEED", "generate_encounters", "main", "sample_csv"]

#: Seed of the committed sample (``data/encounters/sample.csv``).
SAMPLE_SEED = 21
#: Encounters in the committed sample.
SAMPLE_COUNT = 2000

_ZONE = dt.timezone(dt.timedelta(hours=-7))  # America/Phoenix keeps UTC−7 all year
_START = dt.datetime(2025, 1, 1, tzinfo=_ZONE)
_CONTACTS = {
    "patrol": 0.34, "call_for_service": 0.26, "outreach": 0.14,
    "overdose_response": 0.16, "self_referral": 0.10,
}  # fmt: skip
# Chance of each offence, by how the contact began (several may apply).
_OFFENCES: dict[str, dict[str, float]] = {
    "patrol": {"drug_possession": 0.55, "paraphernalia": 0.35, "trespass": 0.08,
               "theft": 0.06, "drug_sales": 0.03, "dui": 0.03, "weapon_offense": 0.01,
               "civil_infraction": 0.05, "public_intoxication": 0.04},
    "call_for_service": {"trespass": 0.30, "disorderly_conduct": 0.14,
                         "public_intoxication": 0.14, "drug_possession": 0.22,
                         "paraphernalia": 0.15, "theft": 0.08, "assault": 0.03,
                         "domestic_violence": 0.02, "other": 0.02},
    "outreach": {"paraphernalia": 0.12, "drug_possession": 0.08, "trespass": 0.10},
    "overdose_response": {"drug_possession": 0.45, "paraphernalia": 0.35},
    "self_referral": {"drug_possession": 0.15, "paraphernalia": 0.10},
}
_RESPONDERS = {
    "overdose_response": {"fire_ems": 0.55, "police": 0.35, "co_responder": 0.10},
    "call_for_service": {"police": 0.62, "co_responder": 0.20, "civilian_team": 0.18},
    "outreach": {"civilian_team": 0.45, "co_responder": 0.30, "police": 0.25},
}
_NEEDS = {"opioids": 0.45, "stimulants": 0.30, "alcohol": 0.20, "mental_health": 0.22,
          "housing": 0.25}


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _flag(rng: random.Random, chance: float) -> str:
    return "true" if rng.random() < chance else "false"


def _blank(rng: random.Random, chance: float, value: str) -> str:
    """``value``, or an empty cell (a missing fact) with the given chance."""
    return "" if rng.random() < chance else value


def _amount(rng: random.Random) -> str:
    """Grams found: mostly under a gram; about one in eight over 2 g, half of those over 3 g."""
    band = rng.random()
    if band < 0.06:
        grams = rng.uniform(3.05, 14.0)
    elif band < 0.13:
        grams = rng.uniform(2.05, 3.0)
    else:
        grams = min(2.0, math.exp(rng.gauss(-0.6, 0.6)))
    return f"{grams:.1f}"


def _one(rng: random.Random, share: float) -> dict[str, str]:
    """One encounter's facts as CSV cells (every fact the generator knows).

    ``share`` (0 to 1) is how far through the year it falls: the file is in time order.
    """
    contact = _pick(rng, _CONTACTS)
    offences = [o for o, p in _OFFENCES[contact].items() if rng.random() < p]
    drugs = "drug_possession" in offences or "drug_sales" in offences
    overdose = contact == "overdose_response"
    danger_self = rng.random() < (0.08 if contact == "call_for_service" else 0.02)
    danger_others = rng.random() < (0.03 if "assault" in offences else 0.01)
    at = _START + dt.timedelta(minutes=int(share * 365 * 24 * 60) + rng.randrange(30))
    needs = [n for n, p in _NEEDS.items() if rng.random() < p]
    if overdose and "opioids" not in needs and rng.random() < 0.7:
        needs.insert(0, "opioids")
    violent_days = str(rng.randrange(20, 1500)) if rng.random() < 0.06 else ""
    return {
        "contact_at": at.isoformat(),
        "contact_type": contact,
        "responder": _pick(rng, _RESPONDERS.get(contact, {"police": 1.0})),
        "age": _blank(rng, 0.01, str(rng.randrange(18, 72) if rng.random() < 0.96
                                     else rng.randrange(14, 18))),
        "offenses": "|".join(offences) if offences else "[]",
        "drug_amount_grams": _amount(rng) if drugs else "0",
        "sales_indicators": _flag(rng, 0.12 if "drug_sales" in offences else 0.03),
        "warrant": _blank(rng, 0.03, _pick(rng, {"none": 0.89, "other": 0.07,
                                                  "violent": 0.025, "domestic_violence": 0.015})),
        "supervision": _blank(rng, 0.03, _pick(rng, {"none": 0.86, "nonviolent": 0.11,
                                                      "violent": 0.03})),
        "days_since_violent_arrest": violent_days,
        "weapon_present": _flag(rng, 0.03),
        "violence": _flag(rng, 0.5 if "assault" in offences else 0.02),
        "identified_victim": _flag(rng, 0.6 if "theft" in offences else 0.02),
        "medical_emergency": _flag(rng, 0.55 if overdose else 0.03),
        "imminent_danger": "true" if danger_self or danger_others else "false",
        "danger_to_self": "true" if danger_self else "false",
        "danger_to_others": "true" if danger_others else "false",
        "capable_of_consent": _blank(rng, 0.02, _flag(rng, 0.85 if overdose else 0.97)),
        "consents": _blank(rng, 0.07, _flag(rng, 0.82)),
        "needs": _blank(rng, 0.03, "|".join(needs) if needs else "[]"),
        "prior_deflections": str(min(6, int(rng.expovariate(1.4)))),
    }


def generate_encounters(
    facts: Sequence[str], *, seed: int = SAMPLE_SEED, count: int = SAMPLE_COUNT
) -> Iterator[dict[str, str]]:
    """Yield ``count`` fictional encounters as CSV cells, keeping only the facts named.

    Args:
        facts: the fact names to write (a policy's declared facts); others are dropped,
            and a fact the generator does not know is left empty.
        seed: the random seed; the same arguments always give the same rows.
        count: how many encounters.

    Yields:
        fact name -> cell text (``""`` is a missing fact), in the order of ``facts``.
    """
    rng = random.Random(seed)  # noqa: S311 - fictional data, not secrets
    for i in range(count):
        made = _one(rng, i / count)
        yield {name: made.get(name, "") for name in facts}


def sample_csv(facts: Sequence[str], *, seed: int = SAMPLE_SEED,
               count: int = SAMPLE_COUNT) -> str:
    """The sample as CSV text: a header of ``facts``, then one encounter a line."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(facts)
    for row in generate_encounters(facts, seed=seed, count=count):
        writer.writerow(row.values())
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m deflectkit.impact_samples POLICY.yaml OUT.csv [COUNT]``."""
    from deflectkit.files.policy import load_policy
    from deflectkit.files.provider_writer import write_file_atomically

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (2, 3) or (len(args) == 3 and not args[2].isdigit()):
        print("usage: python -m deflectkit.impact_samples POLICY.yaml OUT.csv [COUNT]",
              file=sys.stderr)
        return 2
    policy = load_policy(args[0])
    count = int(args[2]) if len(args) == 3 else SAMPLE_COUNT
    write_file_atomically(args[1], sample_csv([f.name for f in policy.facts], count=count))
    print(f"wrote {count} fictional encounters to {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
