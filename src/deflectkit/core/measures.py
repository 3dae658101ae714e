"""Program measures from a de-identified event log, in one streaming pass (DESIGN §8).

Definitions (each one a sentence a chief or an evaluator can check by hand):

* **referral** (one deflection): a ``referred`` event. A referral belongs to the period when
  its own date is in it; its outcomes (hand-off, intake, contacts) follow it even when they
  fall after the period ends (a cohort view).
* **offers** / **declined**: ``offered`` / ``declined`` events dated in the period.
* **acceptance_rate**: referrals that follow an ``offered`` event of the same referral id,
  over offers. When every referral was offered (as §8 assumes) this is referrals / offers;
  a referral with no recorded offer (some self-referrals) is not counted as an accepted
  offer, so the rate stays a proportion.
* **handoffs_completed**: referrals with a ``handoff_completed`` event.
* **initiated_14d**: referrals with an ``intake`` 0–14 calendar days after the referral day
  (HEDIS IET initiation, SOURCES §4 [M1]).
* **engaged_34d**: initiated referrals with 2 or more ``treatment_contact`` events on the
  calendar days after the intake day through day 34, day 34 included (HEDIS IET
  engagement; SOURCES §4 [M1], §4.1 item 5).
* **active_30d / 90d / 180d**: referrals with an ``intake``, ``treatment_contact`` or
  ``followup_reached`` event on or after calendar day 30 / 90 / 180 after the referral day:
  the person was still in touch with treatment or follow-up at that checkpoint or later
  (SOURCES §4.1 item 3 checkpoints; §5 [MODEL] metric set "active at day 30/90/180").
  Referrals too recent to have reached day N count as not active: read these with the
  period's end in mind.
* **rates** are over referrals (§8); a rate with a zero denominator is ``None``.
* **officers_referring**: distinct ``officer_hash`` on referrals; **officer_participation**
  divides it by the sworn officers given (SOURCES §5 [M3]).
* **officer_hours_saved**: referrals × (minutes of an arrest and booking − minutes of a
  deflection) / 60; **booking_costs_avoided**: referrals × booking cost (SOURCES §5
  [MODEL]). Both assume each deflection stood in for an arrest and booking, as Tucson's
  published figure does [T4]. The default minutes are model assumptions (no published
  figure exists, SOURCES §2.3 and §9 item 1): give your own records' figures.

Memory: no list of events is kept. State is one small record per referral id (a few
hundred bytes) plus the set of officers, so memory grows with the number of referrals, not
of events. That is the least a one-pass computation can keep when the log is sorted only
within each referral: any referral may still get an event that changes its outcome.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from deflectkit.convert import register_unstructure_hook
from deflectkit.core.events import Event
from deflectkit.vocabulary import PATHWAYS

__all__ = [
    "ACTIVE_DAYS",
    "DEFAULT_BOOKING_COST",
    "DEFAULT_MINUTES_ARREST",
    "DEFAULT_MINUTES_DEFLECTION",
    "ENGAGEMENT_DAYS",
    "INITIATION_DAYS",
    "MILESTONE_LABELS",
    "Assumptions",
    "Measures",
    "Milestone",
    "MonthRow",
    "Period",
    "measures",
]

#: [MODEL] Officer minutes for an arrest, transport and booking. No published figure was
#: found (SOURCES §2.3 "NOT FOUND", §9 item 1); replace it with your own records.
DEFAULT_MINUTES_ARREST = 180.0
#: [MODEL] Officer minutes for a deflection with a warm hand-off (same caveat).
DEFAULT_MINUTES_DEFLECTION = 60.0
#: [DERIVED] USD per booking: Tucson's $178,000 booking costs avoided over ~500
#: deflections in FY2019 (SOURCES §2.4 [T4]); an upper bound, since T4 says ">500".
DEFAULT_BOOKING_COST = 356.0
#: Calendar days from referral to intake that count as initiation (HEDIS IET, [M1]).
INITIATION_DAYS = 14
#: Calendar days after the intake day in which 2 contacts make engagement ([M1]).
ENGAGEMENT_DAYS = 34
#: Checkpoints for "active at day N" (SOURCES §4.1 item 3).
ACTIVE_DAYS = (30, 90, 180)
#: Deflections between "each 100 deflections" milestones.
MILESTONE_STEP = 100
#: What each milestone name means, for reports and the site.
MILESTONE_LABELS: Mapping[str, str] = {
    "first_deflection": "First deflection",
    "first_naloxone_plus_followup_reached": "First naloxone-plus follow-up reached",
    "first_person_engaged": "First person engaged in treatment",
}

_ACTIVE_TYPES = frozenset({"intake", "treatment_contact", "followup_reached"})


@attrs.frozen
class Period:
    """Inclusive dates bounding the referrals measured; ``None`` leaves an end open.

    Attributes:
        start: first day (JSON ``from``).
        end: last day (JSON ``to``).
    """

    start: dt.date | None = None
    end: dt.date | None = None

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@attrs.frozen
class Milestone:
    """A quick win worth announcing: its name (see :data:`MILESTONE_LABELS`) and moment.

    ``deflections_N`` names the N-th deflection (every 100).
    """

    name: str
    at: dt.datetime

    @property
    def label(self) -> str:
        """The milestone in words."""
        if self.name.startswith("deflections_"):
            return f"{int(self.name.split('_')[1]):,} deflections"
        return MILESTONE_LABELS.get(self.name, self.name.replace("_", " ").capitalize())


@attrs.frozen
class Assumptions:
    """The configured figures behind officer participation, hours and costs."""

    sworn: int | None = None
    minutes_arrest: float = DEFAULT_MINUTES_ARREST
    minutes_deflection: float = DEFAULT_MINUTES_DEFLECTION
    booking_cost: float = DEFAULT_BOOKING_COST

    @property
    def hours_per_deflection(self) -> float:
        """Officer hours one deflection returns to patrol."""
        return (self.minutes_arrest - self.minutes_deflection) / 60


@attrs.frozen
class MonthRow:
    """One month of the series the site charts (referrals counted in their own month)."""

    month: str
    by_pathway: Mapping[str, int]
    offers: int
    referrals: int
    handoffs_completed: int
    initiated_14d: int
    engaged_34d: int
    officers_referring: int
    officer_hours_saved_cumulative: float


@attrs.frozen
class Measures:
    """The program's measures for a period (DESIGN §8); JSON keys are exactly §8's.

    ``monthly`` (the chart series) and ``assumptions`` are for Python callers and the site;
    they are not part of the JSON contract.

    Example:
        >>> import deflectkit as dk
        >>> from deflectkit.samples import generate_events
        >>> m = dk.measures(generate_events(days=60))
        >>> m.referrals >= m.initiated_14d >= m.engaged_34d
        True
        >>> sorted(dk.to_json(m))[:3]
        ['acceptance_rate', 'active_180d', 'active_30d']
    """

    period: Period
    referrals: int
    by_pathway: Mapping[str, int]
    by_month: Mapping[str, int]
    offers: int
    declined: int
    acceptance_rate: float | None
    handoffs_completed: int
    initiated_14d: int
    initiation_rate: float | None
    engaged_34d: int
    engagement_rate: float | None
    active_30d: int
    active_90d: int
    active_180d: int
    officers_referring: int
    officer_participation: float | None
    officer_hours_saved: float
    booking_costs_avoided: float
    milestones: tuple[Milestone, ...]
    monthly: tuple[MonthRow, ...] = ()
    assumptions: Assumptions = Assumptions()


class _Referral:
    """What one referral id needs remembered (mutable, private to one pass)."""

    __slots__ = ("active", "at", "contacts", "day", "engaged_at", "handoff", "intake", "offered",
                 "officer", "pathway", "reached_at")  # fmt: skip

    def __init__(self) -> None:
        self.at: dt.datetime | None = None
        self.day: dt.date | None = None
        self.pathway = ""
        self.officer: str | None = None
        self.offered = False
        self.handoff = False
        self.intake: dt.date | None = None
        self.contacts = 0
        self.engaged_at: dt.datetime | None = None
        self.reached_at: dt.datetime | None = None
        self.active = 0  # bit i set: active at ACTIVE_DAYS[i]


#: Each pathway word as one shared string (see ``measures``).
_PATHWAY_WORDS: Final[Mapping[str | None, str]] = MappingProxyType({w: w for w in PATHWAYS.words})


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def measures(
    events: Iterable[Event],
    *,
    period: Period | tuple[dt.date | None, dt.date | None] | None = None,
    sworn: int | None = None,
    minutes_arrest: float = DEFAULT_MINUTES_ARREST,
    minutes_deflection: float = DEFAULT_MINUTES_DEFLECTION,
    booking_cost: float = DEFAULT_BOOKING_COST,
) -> Measures:
    """Compute every §8 measure in one pass over ``events`` (any order across referrals).

    Args:
        events: the log, e.g. ``read_events(path)``; each referral's events in time order.
        period: referrals dated in it are measured (a :class:`Period` or a ``(from, to)``
            pair of dates, either end ``None`` for open); ``None`` measures the whole log.
        sworn: sworn officers, for officer participation (``None``: not computed).
        minutes_arrest: officer minutes an arrest and booking takes.
        minutes_deflection: officer minutes a deflection takes.
        booking_cost: USD a booking costs.

    Returns:
        The frozen :class:`Measures`.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.events import Event
        >>> t = dt.datetime(2025, 3, 3, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> log = [Event("1", t, "r1", "offered"), Event("2", t, "r1", "referred",
        ...        pathway="officer_intervention", officer_hash="k3x9")]
        >>> m = measures(log)
        >>> m.referrals, m.acceptance_rate, m.officer_hours_saved
        (1, 1.0, 2.0)
    """
    window = Period(*period) if isinstance(period, tuple) else period or Period()
    assumptions = Assumptions(sworn, minutes_arrest, minutes_deflection, booking_cost)
    referrals: dict[str, _Referral] = {}
    officers: dict[str, str] = {}
    offers_by_month: Counter[str] = Counter()
    declined = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    for event in events:
        kind = event.type
        day = event.at.date()
        if first_day is None or day < first_day:
            first_day = day
        if last_day is None or day > last_day:
            last_day = day
        state = referrals.get(event.referral_id)
        if kind == "referred":
            if state is None:
                state = referrals[event.referral_id] = _Referral()
            state.at, state.day = event.at, day
            # One string object per pathway word and per officer, however many referrals
            # name it: each row read is a new string, and a referral outlives its rows.
            state.pathway = _PATHWAY_WORDS.get(event.pathway, event.pathway or "")
            officer = event.officer_hash
            state.officer = officers.setdefault(officer, officer) if officer else officer
            continue
        if kind == "offered":
            if state is None:
                state = referrals[event.referral_id] = _Referral()
            state.offered = True
            if day in window:
                offers_by_month[f"{day:%Y-%m}"] += 1
            continue
        if kind == "declined":
            declined += day in window
            continue
        if state is None or state.day is None:
            continue  # no referral (the reader reports it); nothing to measure
        days = (day - state.day).days
        if kind == "handoff_completed":
            state.handoff = True
        elif kind == "intake":
            if state.intake is None and 0 <= days <= INITIATION_DAYS:
                state.intake = day
        elif kind == "treatment_contact":
            if (
                state.intake is not None
                and state.engaged_at is None
                # from the day after the intake day through day 34, as follow-up counts it
                and 1 <= (day - state.intake).days <= ENGAGEMENT_DAYS
            ):
                state.contacts += 1
                if state.contacts >= 2:
                    state.engaged_at = event.at
        elif kind == "followup_reached" and state.reached_at is None:
            state.reached_at = event.at
        if kind in _ACTIVE_TYPES:
            for bit, threshold in enumerate(ACTIVE_DAYS):
                if days >= threshold:
                    state.active |= 1 << bit
    return _summarise(
        referrals,
        offers_by_month=offers_by_month,
        declined=declined,
        window=window,
        first_day=first_day,
        last_day=last_day,
        assumptions=assumptions,
    )


def _summarise(
    referrals: dict[str, _Referral],
    *,
    offers_by_month: Counter[str],
    declined: int,
    window: Period,
    first_day: dt.date | None,
    last_day: dt.date | None,
    assumptions: Assumptions,
) -> Measures:
    by_pathway = dict.fromkeys(PATHWAYS.words, 0)
    month_pathway: dict[str, Counter[str]] = {}
    month_counts: dict[str, Counter[str]] = {}
    month_officers: dict[str, set[str]] = {}
    officers: set[str] = set()
    times: list[dt.datetime] = []
    totals: Counter[str] = Counter()
    firsts: dict[str, dt.datetime] = {}

    def first(name: str, at: dt.datetime | None) -> None:
        if at is not None and (name not in firsts or at < firsts[name]):
            firsts[name] = at

    for state in referrals.values():
        if state.at is None or state.day not in window:
            continue
        month = f"{state.day:%Y-%m}"
        times.append(state.at)
        by_pathway[state.pathway] = by_pathway.get(state.pathway, 0) + 1
        month_pathway.setdefault(month, Counter())[state.pathway] += 1
        counts = month_counts.setdefault(month, Counter())
        flags = {
            "referrals": True,
            "accepted": state.offered,
            "handoffs_completed": state.handoff,
            "initiated_14d": state.intake is not None,
            "engaged_34d": state.engaged_at is not None,
            **{f"active_{n}d": bool(state.active & (1 << i)) for i, n in enumerate(ACTIVE_DAYS)},
        }
        for key, value in flags.items():
            totals[key] += value
            counts[key] += value
        if state.officer:
            officers.add(state.officer)
            month_officers.setdefault(month, set()).add(state.officer)
        first("first_engaged", state.engaged_at)
        if state.pathway == "naloxone_plus":
            first("first_reached", state.reached_at)

    times.sort()
    milestones: list[Milestone] = []
    if times:
        milestones.append(Milestone("first_deflection", times[0]))
    if "first_reached" in firsts:
        milestones.append(
            Milestone("first_naloxone_plus_followup_reached", firsts["first_reached"])
        )
    if "first_engaged" in firsts:
        milestones.append(Milestone("first_person_engaged", firsts["first_engaged"]))
    milestones.extend(
        Milestone(f"deflections_{n}", times[n - 1])
        for n in range(MILESTONE_STEP, len(times) + 1, MILESTONE_STEP)
    )
    milestones.sort(key=lambda m: (m.at, m.name))

    hours_each = assumptions.hours_per_deflection
    monthly: list[MonthRow] = []
    months = sorted(set(month_counts) | set(offers_by_month))
    cumulative = 0
    for month in _months(months[0], months[-1]) if months else []:
        counts = month_counts.get(month, Counter())
        cumulative += counts["referrals"]
        per_pathway = month_pathway.get(month, Counter())
        monthly.append(
            MonthRow(
                month=month,
                by_pathway={p: per_pathway[p] for p in PATHWAYS.words},
                offers=offers_by_month[month],
                referrals=counts["referrals"],
                handoffs_completed=counts["handoffs_completed"],
                initiated_14d=counts["initiated_14d"],
                engaged_34d=counts["engaged_34d"],
                officers_referring=len(month_officers.get(month, ())),
                officer_hours_saved_cumulative=round(cumulative * hours_each, 2),
            )
        )

    n = totals["referrals"]
    sworn = assumptions.sworn
    return Measures(
        period=Period(window.start or first_day, window.end or last_day),
        referrals=n,
        by_pathway=by_pathway,
        by_month={row.month: row.referrals for row in monthly if row.referrals},
        offers=sum(offers_by_month.values()),
        declined=declined,
        acceptance_rate=_rate(totals["accepted"], sum(offers_by_month.values())),
        handoffs_completed=totals["handoffs_completed"],
        initiated_14d=totals["initiated_14d"],
        initiation_rate=_rate(totals["initiated_14d"], n),
        engaged_34d=totals["engaged_34d"],
        engagement_rate=_rate(totals["engaged_34d"], n),
        active_30d=totals["active_30d"],
        active_90d=totals["active_90d"],
        active_180d=totals["active_180d"],
        officers_referring=len(officers),
        officer_participation=_rate(len(officers), sworn) if sworn else None,
        officer_hours_saved=round(n * hours_each, 2),
        booking_costs_avoided=round(n * assumptions.booking_cost, 2),
        milestones=tuple(milestones),
        monthly=tuple(monthly),
        assumptions=assumptions,
    )


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _to_json(m: Measures) -> dict[str, Any]:
    """The §8 JSON: exactly its keys, in its order."""
    return {
        "period": {"from": _iso(m.period.start), "to": _iso(m.period.end)},
        "referrals": m.referrals,
        "by_pathway": dict(m.by_pathway),
        "by_month": dict(m.by_month),
        "offers": m.offers,
        "declined": m.declined,
        "acceptance_rate": m.acceptance_rate,
        "handoffs_completed": m.handoffs_completed,
        "initiated_14d": m.initiated_14d,
        "initiation_rate": m.initiation_rate,
        "engaged_34d": m.engaged_34d,
        "engagement_rate": m.engagement_rate,
        "active_30d": m.active_30d,
        "active_90d": m.active_90d,
        "active_180d": m.active_180d,
        "officers_referring": m.officers_referring,
        "officer_participation": m.officer_participation,
        "officer_hours_saved": m.officer_hours_saved,
        "booking_costs_avoided": m.booking_costs_avoided,
        "milestones": [{"name": x.name, "at": x.at.isoformat()} for x in m.milestones],
    }


register_unstructure_hook(Measures, _to_json)
