"""Deterministic synthetic providers for every scale benchmark (issue 10).

Providers are spread over real US ZIP codes (their centroids, counties and IANA time zones
come from the ``zipcodes`` package, offline) with a realistic mix of services and hours:
most keep business hours, some run evenings or overnight, a few are open around the clock
and take police drop-offs. Names carry "Example", phones are 555-01xx numbers in the ZIP's
area code and sites live on example.org, so nothing here can be mistaken for a real
provider. The same ``seed`` always gives the same directory.

Example:
    >>> rows = synthetic_provider_dicts(3, seed=1)
    >>> [r["sample"] for r in rows]
    [True, True, True]
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from deflectkit.vocabulary import (
    ACCESSIBILITY,
    LANGUAGES,
    PAYMENT,
    POPULATIONS,
)

__all__ = ["synthetic_provider_dicts", "synthetic_providers", "write_directory"]

class _Kind(NamedTuple):
    """One kind of provider and how common it is among the synthetic ones."""

    weight: int
    services: tuple[str, ...]
    medications: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    mental_health: bool = False
    asam: tuple[str, ...] = ()


_SUD = ("alcohol", "opioids", "stimulants")
_KINDS: tuple[_Kind, ...] = (
    _Kind(30, ("outpatient", "assessment", "case_management"), (),
          ("alcohol", "stimulants", "cannabis"), asam=("1",)),
    _Kind(12, ("outpatient", "medications", "peer_support"), ("buprenorphine", "naltrexone"),
          ("opioids", "alcohol"), asam=("1",)),
    _Kind(6, ("medications", "outpatient", "assessment"), ("methadone", "buprenorphine"),
          ("opioids",), asam=("1-OTP",)),
    _Kind(10, ("intensive_outpatient", "outpatient"), (), _SUD, True, ("2.1",)),
    _Kind(8, ("residential", "withdrawal_management"), ("buprenorphine",),
          ("opioids", "alcohol", "sedatives"), True, ("3.5", "3.7-WM")),
    _Kind(5, ("crisis_stabilization", "mental_health_care", "assessment"), (), _SUD, True),
    _Kind(14, ("mental_health_care", "outpatient", "telehealth"), mental_health=True),
    _Kind(6, ("harm_reduction", "naloxone_distribution", "syringe_services"), (),
          ("opioids", "stimulants")),
    _Kind(5, ("recovery_housing", "peer_support"), (), ("alcohol", "opioids"), asam=("3.1",)),
    _Kind(4, ("peer_support", "family_support"), (), ("opioids", "alcohol")),
)
_WORDS = ("Harbor", "Summit", "Riverside", "Cedar", "Mesa", "Prairie", "Lakeside", "Pioneer",
          "Canyon", "Valley", "Beacon", "Northgate", "Willow", "Granite", "Sunrise", "Juniper")
_STREETS = ("St", "Ave", "Rd", "Blvd")
_KIND_NAMES = ("Recovery Center", "Health Clinic", "Treatment Services", "Wellness Center",
               "Counseling", "Crisis Center", "Recovery House", "Peer Network")


@cache
def _zips() -> tuple[dict[str, Any], ...]:
    import zipcodes

    return tuple(
        z for z in zipcodes.list_all()  # type: ignore[no-untyped-call]
        if z["active"] and z["zip_code_type"] == "STANDARD" and z["timezone"] and z["area_codes"]
        and z["lat"] and z["long"]
    )


def _hours(rng: random.Random) -> tuple[object, bool]:
    roll = rng.random()
    if roll < 0.10:
        return "24/7", True
    if roll < 0.70:
        return {"mon-fri": rng.choice(["08:00-17:00", "09:00-17:00", "07:30-16:30"])}, False
    if roll < 0.85:
        return {"mon-fri": "08:00-20:00", "sat": "09:00-13:00"}, False
    if roll < 0.93:
        return {"mon-thu": ["08:00-12:00", "13:00-17:00"], "fri": "08:00-12:00"}, False
    return {"daily": "18:00-08:00"}, False  # an overnight programme


def synthetic_provider_dicts(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` provider mappings, deterministically (docs/design/formats.md#provider-files)."""
    rng = random.Random(seed)
    zips = _zips()
    weights = [k.weight for k in _KINDS]
    payments = PAYMENT.words
    langs = ("es", "es", "es", "vi", "zh", "tl", "ar", "fr", "ko", "ru", "ht", "nv")
    out: list[dict[str, Any]] = []
    for i in range(n):
        z = zips[rng.randrange(len(zips))]
        kind = rng.choices(_KINDS, weights)[0]
        services, meds, substances = kind.services, kind.medications, kind.substances
        mental_health, asam = kind.mental_health, kind.asam
        hours, always = _hours(rng)
        area = z["area_codes"][0]
        phone = f"+1 {area}-555-01{rng.randrange(100):02d}"
        lat = round(float(z["lat"]) + rng.uniform(-0.02, 0.02), 5)
        lon = round(float(z["long"]) + rng.uniform(-0.02, 0.02), 5)
        name = f"Example {rng.choice(_WORDS)} {rng.choice(_KIND_NAMES)} {i:05d}"
        dropoff = always or rng.random() < 0.08
        row: dict[str, Any] = {
            "name": name,
            "organization": f"Example {rng.choice(_WORDS)} Health Network",
            "description": "Synthetic provider generated for benchmarks; not a real service.",
            "sample": True,
            "verified": dt.date(2026, rng.randint(1, 10), rng.randint(1, 28)),
            "phones": [{"number": phone, "label": "Main line"}],
            "website": f"https://example.org/p{i:05d}",
            "email": f"intake{i:05d}@example.org",
            "location": {
                "address": {
                    "street": f"{rng.randint(10, 9999)} Example {rng.choice(_STREETS)}",
                    "city": z["city"].title(),
                    "state": z["state"],
                    "postal_code": z["zip_code"],
                    "county": z["county"].removesuffix(" County"),
                },
                "coordinates": {"lat": lat, "lon": lon},
                "timezone": z["timezone"],
            },
            "hours": hours,
            "intake": {
                "walk_in": always or rng.random() < 0.4,
                "first_responder_dropoff": dropoff,
                **(
                    {"call_ahead": phone, "officer_minutes": rng.choice([5, 10, 20])}
                    if dropoff
                    else {}
                ),
            },
            "services": list(services),
            "medications": list(meds),
            "otp": "methadone" in meds,
            "substances": list(substances),
            "mental_health": mental_health,
            "asam_levels": list(asam),
            "ages": {"min": 18} if rng.random() < 0.85 else {"min": 12, "max": 17},
            "payment": sorted(set(rng.sample(payments, rng.randint(2, 5)))),
            "languages": ["en", *sorted(set(rng.sample(langs, rng.randint(0, 2))))],
            "accessibility": sorted(set(rng.sample(ACCESSIBILITY.words, rng.randint(0, 3)))),
        }
        if rng.random() < 0.1:
            row["populations"] = [rng.choice(POPULATIONS.words)]
        # drop empty lists so files look like hand-written ones
        out.append({k: v for k, v in row.items() if v != []})
    assert all(lang in LANGUAGES for r in out for lang in r["languages"])
    return out


def synthetic_providers(n: int, seed: int = 0) -> list[Any]:
    """``n`` in-memory :class:`~deflectkit.core.providers.Provider` values (no files)."""
    from deflectkit.core.hours import parse_hours
    from deflectkit.core.providers import (
        Address,
        Ages,
        Coordinates,
        Intake,
        Location,
        Phone,
        Provider,
    )

    providers = []
    for i, row in enumerate(synthetic_provider_dicts(n, seed)):
        loc = row["location"]
        intake = row["intake"]
        providers.append(
            Provider(
                slug=f"example-{i:05d}",
                name=row["name"],
                organization=row["organization"],
                description=row["description"],
                sample=True,
                verified=row["verified"],
                phones=tuple(Phone(_e164(p["number"]), p["label"]) for p in row["phones"]),
                website=row["website"],
                email=row["email"],
                location=Location(
                    timezone=loc["timezone"],
                    address=Address(**loc["address"]),
                    coordinates=Coordinates(**loc["coordinates"]),
                ),
                hours=parse_hours(row["hours"]),
                intake=Intake(
                    walk_in=intake["walk_in"],
                    first_responder_dropoff=intake["first_responder_dropoff"],
                    call_ahead=_e164(intake["call_ahead"]) if "call_ahead" in intake else None,
                    officer_minutes=intake.get("officer_minutes"),
                ),
                services=tuple(row.get("services", ())),
                medications=tuple(row.get("medications", ())),
                otp=row["otp"],
                substances=tuple(row.get("substances", ())),
                mental_health=row["mental_health"],
                asam_levels=tuple(row.get("asam_levels", ())),
                ages=Ages(**row["ages"]),
                payment=tuple(row.get("payment", ())),
                languages=tuple(row.get("languages", ())),
                accessibility=tuple(row.get("accessibility", ())),
                populations=tuple(row.get("populations", ())),
            )
        )
    return providers


def _e164(number: str) -> str:
    return "+" + "".join(ch for ch in number if ch.isdigit())


def iter_files(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``(file name, YAML text)`` for each synthetic provider."""
    header = "# Synthetic provider for benchmarks (fictional).\n"
    for i, row in enumerate(synthetic_provider_dicts(n, seed)):
        text = yaml.safe_dump(row, sort_keys=False, allow_unicode=True, width=100)
        yield f"example-{i:05d}.yaml", header + text


def write_directory(n: int, out_dir: Path, seed: int = 0) -> Path:
    """Write ``n`` synthetic provider files into ``out_dir`` (created) and return it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in iter_files(n, seed):
        (out_dir / name).write_text(text, encoding="utf-8")
    return out_dir
