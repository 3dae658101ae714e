"""A deterministic, fictional event log of a mid-sized deflection program.

Nothing here describes real people, officers or providers. The log is made so that the
measures, the site's charts and the benchmarks have something realistic to work on:

* one year (by default 2025, in Tucson's zone, UTC−7 all year) of a program in a city with
  220 sworn officers;
* **ramp-up**: a handful of champion officers at launch, more joining month by month as
  buy-in grows (Kotter's "short-term wins", SOURCES §8), so referrals rise through the year;
* **seasonality**: more encounters in late spring and summer, fewer at weekends;
* all six PTACC pathways (SOURCES §1.2), officer intervention the most common;
* a plausible funnel: most assessed encounters get an offer, about three in four offers are
  accepted, most hand-offs complete, about two thirds of referrals start treatment within
  14 days (many the same day at a 24/7 clinic), about half of those engage, and people
  drift away over the following months; follow-up checkpoints at days 1, 7, 30, 90 and 180.

Events come out in time order, streamed: pending future events wait in a heap bounded by
the follow-up horizon, so a ten-million-event log needs no more memory than a small one.

Example:
    >>> from deflectkit.samples import generate_events
    >>> events = list(generate_events(days=30))
    >>> events[0].type
    'encounter_assessed'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import math
import random
import sys
from collections.abc import Iterator, Sequence

from deflectkit.core.events import Event
from deflectkit.vocabulary import PATHWAYS

__all__ = ["SAMPLE_SEED", "SAMPLE_START", "SWORN", "generate_events", "main"]

#: Seed of the committed sample (``data/events/sample.csv``).
SAMPLE_SEED = 8
#: First day of the committed sample.
SAMPLE_START = dt.date(2025, 1, 1)
#: Sworn officers of the fictional department.
SWORN = 220

_ZONE = dt.timezone(dt.timedelta(hours=-7))  # America/Phoenix keeps UTC−7 all year
_PATHWAY_MIX = {
    "officer_intervention": 0.40,
    "officer_prevention": 0.20,
    "self_referral": 0.12,
    "naloxone_plus": 0.10,
    "active_outreach": 0.10,
    "community_response": 0.08,
}
_PROVIDERS = (
    "example-recovery-center-247",
    "example-community-clinic",
    "example-crisis-response-center",
    "example-peer-navigation",
)
_CHECKPOINTS = (1, 7, 30, 90, 180)

assert set(_PATHWAY_MIX) == set(PATHWAYS.words)


def _token(seed: int, kind: str, n: int) -> str:
    """An opaque, random-looking, reproducible id (never derived from real data)."""
    return hashlib.blake2b(f"{seed}:{kind}:{n}".encode(), digest_size=6).hexdigest()


def _daily_rate(day: int, date: dt.date, scale: float) -> float:
    ramp = 0.35 + 0.65 * min(1.0, day / 240)  # buy-in grows over the first eight months
    season = 1 + 0.2 * math.sin(2 * math.pi * (date.timetuple().tm_yday - 80) / 365)
    weekend = 0.7 if date.weekday() >= 5 else 1.0
    return 3.4 * scale * ramp * season * weekend


def _later(rng: random.Random, t: dt.datetime, days: int) -> dt.datetime:
    """A moment in office hours ``days`` calendar days after ``t``'s day."""
    day = t.date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), _ZONE)


_Row = tuple[dt.datetime, str, str | None, str | None, float | None]


def _story(
    rng: random.Random, extra: random.Random, start: dt.datetime, pathway: str
) -> list[_Row]:
    """The events of one encounter: (time, type, provider, detail, minutes) in time order.

    ``rng`` draws the funnel (the same draws as every earlier version of this file, so the
    referrals stay the same); ``extra`` draws what later versions added: hand-off minutes,
    provider refusals, consent, overdose reversals.
    """
    minute = dt.timedelta(minutes=1)
    out: list[_Row] = [(start, "encounter_assessed", None, None, None)]
    if pathway == "naloxone_plus" and extra.random() < 0.8:
        # the responder reversed the overdose the naloxone-plus contact follows
        out.append((start - extra.randint(5, 30) * minute, "overdose_reversal", None, None, None))
    if rng.random() > 0.85:  # not eligible, or the officer chose otherwise
        return _sorted(out)
    t = start + rng.randint(3, 12) * minute
    out.append((t, "offered", None, None, None))
    if rng.random() < 0.24:
        out.append((t + rng.randint(2, 10) * minute, "declined", None, None, None))
        return _sorted(out)
    t += rng.randint(5, 20) * minute
    out.append((t, "referred", None, None, None))
    provider = rng.choice(_PROVIDERS)
    if extra.random() < 0.05:  # one bad night: the first provider turned the hand-off away
        turned_away = _PROVIDERS[(_PROVIDERS.index(provider) + 1) % len(_PROVIDERS)]
        out.append((t + extra.randint(5, 15) * minute, "provider_refused", turned_away, None, None))
    if rng.random() < 0.88:
        t += rng.randint(20, 90) * minute
        minutes = float(extra.randint(25, 80)) if extra.random() < 0.6 else None
        out.append((t, "handoff_completed", provider, None, minutes))
    # When the person drifts away from treatment and follow-up (days after referral).
    stay = rng.expovariate(1 / 75)
    provider_rows = _treatment(rng, t, stay, provider)
    if provider_rows:
        out += _consent(extra, t)
    out += provider_rows
    out += _followups(rng, t, stay)
    if stay < 200:
        out.append((_later(rng, t, max(round(stay), 1) + 14), "closed", None, None, None))
    return _sorted(out)


def _sorted(rows: list[_Row]) -> list[_Row]:
    return sorted(rows, key=lambda e: e[0])


def _consent(extra: random.Random, t: dt.datetime) -> list[_Row]:
    """The person's Part 2 consent for the provider to tell the program about treatment.

    Most give it at the hand-off, until revoked or for a year; a few never do (their
    provider events are then left out of the measures), a few give one for 90 days, and a
    few revoke it later.
    """
    roll = extra.random()
    if roll < 0.02:
        return []
    signed = t + dt.timedelta(minutes=1)
    if roll < 0.5:
        end = ""
    elif roll < 0.97:
        end = (t.date() + dt.timedelta(days=365)).isoformat()
    else:
        end = (t.date() + dt.timedelta(days=90)).isoformat()
    rows: list[_Row] = [(signed, "consent_recorded", None, end or None, None)]
    if extra.random() < 0.03:
        revoked = _later(extra, t, extra.randint(20, 120))
        rows.append((revoked, "consent_revoked", None, None, None))
    return rows


def _treatment(rng: random.Random, t: dt.datetime, stay: float, provider: str) -> list[_Row]:
    """What the provider reports: intake (or a missed one), contacts, returns to use."""
    minute = dt.timedelta(minutes=1)
    out: list[_Row] = []
    intake_day: int | None = None
    roll = rng.random()
    if roll < 0.42:
        intake_day = 0  # the 24/7 clinic: same day
    elif roll < 0.62:
        intake_day = rng.randint(1, 14)
    elif roll < 0.68:
        intake_day = rng.randint(15, 30)  # too late to count as initiation
    elif roll < 0.75:
        out.append((_later(rng, t, rng.randint(1, 3)), "intake_missed", provider, None, None))
    if intake_day is None:
        return out
    intake_at = t + rng.randint(30, 120) * minute if intake_day == 0 else _later(rng, t, intake_day)
    out.append((intake_at, "intake", provider, None, None))
    contact = intake_at
    gap = rng.uniform(3, 12) if rng.random() < 0.75 else rng.uniform(20, 40)
    while True:
        contact = _later(rng, contact, max(1, round(gap * rng.uniform(0.6, 1.4))))
        if (contact - t).days > min(stay, 230):
            return out
        out.append((contact, "treatment_contact", provider, None, None))
        if rng.random() < 0.03:
            back = contact + rng.randint(120, 2880) * minute
            out.append((back, "return_to_use", provider, None, None))


def _followups(rng: random.Random, t: dt.datetime, stay: float) -> list[_Row]:
    """The program's own follow-up calls at days 1, 7, 30, 90 and 180."""
    minute = dt.timedelta(minutes=1)
    out: list[_Row] = []
    for day in _CHECKPOINTS:
        reachable = day < stay or rng.random() < 0.15
        for attempt in range(3):
            at = _later(rng, t, day + attempt)
            out.append((at, "followup_attempt", None, None, None))
            if reachable and rng.random() < 0.7:
                out.append((at + minute, "followup_reached", None, None, None))
                break
    return out


def generate_events(
    *, seed: int = SAMPLE_SEED, start: dt.date = SAMPLE_START, days: int = 365, scale: float = 1.0
) -> Iterator[Event]:
    """Yield a fictional program's log, in time order, ending on the last day.

    Args:
        seed: the random seed; the same arguments always give the same log.
        start: the program's first day.
        days: how many days the log covers.
        scale: multiplies the encounter rate (``scale=1``: a mid-sized city, ~600
            referrals a year; benchmarks use larger scales).

    Yields:
        Events whose ids, referral ids and officer hashes are opaque tokens.
    """
    rng = random.Random(seed)  # noqa: S311 - fictional data, not secrets
    pending: list[
        tuple[dt.datetime, int, str, str, str, str, str | None, str | None, float | None]
    ] = []
    sequence = 0
    emitted = 0
    encounters = 0
    end = dt.datetime.combine(start + dt.timedelta(days=days), dt.time(), _ZONE)
    pathways = list(_PATHWAY_MIX)
    weights = list(_PATHWAY_MIX.values())
    for day in range(days + 1):
        date = start + dt.timedelta(days=day)
        midnight = dt.datetime.combine(date, dt.time(), _ZONE)
        # Flush everything due before today, in time order.
        while pending and pending[0][0] < min(midnight, end):
            at, _, kind, referral, pathway, officer, provider, detail, minutes = heapq.heappop(
                pending
            )
            emitted += 1
            yield Event(
                f"e{emitted:07d}",
                at,
                referral,
                kind,
                pathway if kind in {"referred", "encounter_assessed", "offered"} else None,
                officer if kind in {"referred", "encounter_assessed", "offered"} else None,
                provider,
                detail,
                minutes,
            )
        if midnight >= end:
            return
        officers_in = max(6, round(SWORN * 0.4 * min(1.0, 0.08 + day / 300)))
        expected = _daily_rate(day, date, scale)
        count = int(expected) + (rng.random() < expected - int(expected))
        for _ in range(count):
            encounters += 1
            hour = rng.choice((9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23))
            begin = midnight + dt.timedelta(hours=hour, minutes=rng.randint(0, 59))
            pathway = rng.choices(pathways, weights)[0]
            # Champions (the first officers) refer more often than later joiners.
            officer = _token(seed, "officer", int(officers_in * rng.random() ** 1.8))
            referral = _token(seed, "referral", encounters)
            # A second generator per encounter, seeded by its id, draws what later versions
            # of the sample added, so the referrals of earlier versions stay the same.
            extra = random.Random(f"{seed}:{referral}")  # noqa: S311 - fictional data
            for at, kind, provider, detail, minutes in _story(rng, extra, begin, pathway):
                sequence += 1
                row = (at, sequence, kind, referral, pathway, officer, provider, detail, minutes)
                heapq.heappush(pending, row)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the committed sample: ``python -m deflectkit.samples data/events/sample.csv``."""
    from deflectkit.files.events import write_events

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m deflectkit.samples OUT.csv", file=sys.stderr)
        return 2
    count = write_events(generate_events(), args[0])
    print(f"wrote {count} fictional events to {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
