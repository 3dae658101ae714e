"""Who can take this person right now: providers ranked for a need at a moment, with reasons.

Matching is two steps, in this order:

1. **Hard constraints** (a provider failing any is excluded, and :func:`search` with
   ``explain`` says which):

   * it serves **every** need asked (:data:`deflectkit.core.needs.NEED_RULES`);
   * it is **open for intake** at ``at`` (its intake hours, else its opening hours, in its
     own time zone). With ``include_closed=True`` closed providers stay in, with the time
     they next open;
   * **hours unknown** means "call ahead": such a provider is *excluded* unless
     ``include_closed=True``. An officer standing with a person at 3 a.m. must not drive to
     a locked door on a guess; the explanation names the number to call;
   * when asked: the person's ``age``, police ``dropoff``, ``payment`` (a provider that is
     free of charge takes any payer), ``language`` (a provider that lists no languages is
     taken to speak English only) and ``medication``.

2. **Ranking** by a score in kilometres: the distance plus a penalty for each thing a
   provider lacks, with the penalties in :class:`~deflectkit.core.ranking.Weights` (one
   readable place; an agency may pass its own). A provider without police drop-off "is
   5 km further away". Without ``near`` the score is the penalties alone.

With ``near``, the search walks outward through a :class:`~deflectkit.core.geo.GridIndex`
of the providers serving the rarest need asked, and stops as soon as ``limit`` matches
score no more than the searched radius (penalties are never negative, so no unexamined
provider can beat them). The answer is exactly the one a scan of every provider gives; the
tests and the benchmark check that. Reasons are written only for the matches returned.

Providers without coordinates are placed at their address's ZIP centroid, and the reasons
say so. Providers with neither come after every located match.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.directory import Directory
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.providers import Coordinates, Intake, Location, Provider
    >>> crisis = Provider(slug="example-crisis", name="Example Crisis Center",
    ...     location=Location("America/Phoenix", coordinates=Coordinates(32.22, -110.93)),
    ...     hours=parse_hours("24/7"), services=("crisis_stabilization",),
    ...     intake=Intake(first_responder_dropoff=True, officer_minutes=10))
    >>> at = dt.datetime(2026, 3, 4, 3, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
    >>> [m.provider.slug for m in match(Directory([crisis]), ["crisis"], at=at)]
    ['example-crisis']
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from deflectkit.core.availability import closes_at
from deflectkit.core.constraints import (
    Candidate,
    Query,
    ResolvedQuery,
    admissible,
    call_ahead_text,
    candidate,
    closed_text,
    failed_filters,
    intake_excludes,
    open_state,
    when_text,
)
from deflectkit.core.directory import Directory
from deflectkit.core.geo import Ring, haversine_km
from deflectkit.core.localtime import SUPPORTED_YEARS
from deflectkit.core.match_index import (
    Entry,
    LocatedBy,
    MatchIndex,
    ZipLookup,
    build_index,
)
from deflectkit.core.needs import NEED_RULES
from deflectkit.core.providers import AGES, Coordinates, Provider
from deflectkit.core.ranking import WEIGHTS, Weights
from deflectkit.vocabulary import LANGUAGES, MEDICATIONS, NEEDS, PAYMENT, Term, Vocabulary

__all__ = [
    "MATCH_REASONS",
    "WEIGHTS",
    "Exclusion",
    "Match",
    "MatchIndex",
    "MatchResult",
    "Query",
    "Weights",
    "build_index",
    "exclusion_row",
    "match",
    "match_row",
    "search",
]


@attrs.frozen
class Match:
    """One provider offered for a referral.

    Attributes:
        provider: the provider.
        distance_km: straight-line distance from ``near``; ``None`` without ``near`` or
            when the provider's location is unknown.
        open_now: open for intake at the moment asked; ``None`` when its hours are unknown.
        opens_at: when closed, the next time intake opens (provider's zone); else ``None``.
        closes_at: when open, the time intake next closes; ``None`` for 24/7.
        reasons: why it matched, in plain words.
        lacks: what it lacks or what to check (call ahead, not verified recently …).
        score: the ranking score (kilometres; lower first), see
            :mod:`deflectkit.core.ranking`.
        located_by: how the distance was measured: the provider's ``coordinates`` or its
            address's ``zip_centroid``.
        reason_codes: one :data:`MATCH_REASONS` word per entry of ``reasons``, in the
            same order, for programs (``dk.label(code)`` gives its label).
        lack_codes: likewise for ``lacks``.

    Example:
        >>> import datetime as dt
        >>> import deflectkit as dk
        >>> directory = dk.load_directory("data/providers", today=dt.date(2026, 12, 1))
        >>> at = dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> best = dk.match(directory, ["opioids"], at=at, near="85705", dropoff=True)[0]
        >>> best.open_now, "takes police drop-offs" in best.reasons
        (True, True)
    """

    provider: Provider
    distance_km: float | None
    open_now: bool | None
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    reasons: tuple[str, ...]
    lacks: tuple[str, ...]
    score: float
    located_by: LocatedBy | None = None
    reason_codes: tuple[str, ...] = ()
    lack_codes: tuple[str, ...] = ()


#: The codes of :attr:`Match.reason_codes` and :attr:`Match.lack_codes`, with labels.
MATCH_REASONS: Final = Vocabulary(
    "match_reasons",
    "Why a provider matched, or what to check",
    tuple(
        Term(*term)
        for term in (
            ("serves_need", "Serves the need", "The provider serves a need asked for."),
            ("open_24_7", "Open 24/7"),
            ("open_now", "Open for intake now"),
            ("distance", "Distance", "Straight-line distance from the place asked."),
            ("takes_dropoff", "Takes police drop-offs"),
            ("officer_minutes", "Officer hand-off time"),
            ("verified_recently", "Verified recently"),
            ("serves_age", "Serves this age"),
            ("accepts_payment", "Accepts this payment"),
            ("free_of_charge", "Free of charge"),
            ("speaks_language", "Speaks this language"),
            ("offers_medication", "Offers this medication"),
            ("closed_now", "Closed for intake now", "Closed now; the time it opens is given."),
            ("no_intake_hours", "No intake hours", "No intake hours in the next week."),
            ("hours_unknown", "Hours unknown: call ahead"),
            ("location_unknown", "Location unknown"),
            ("no_dropoff", "No police drop-off listed"),
            ("not_verified_recently", "Not verified recently"),
            ("never_verified", "Never verified"),
        )
    ),
    item="reason code",
)


@attrs.frozen
class Exclusion:
    """A provider left out, and every hard constraint it failed."""

    provider: Provider
    distance_km: float | None
    reasons: tuple[str, ...]


@attrs.frozen
class MatchResult:
    """What :func:`search` found.

    Attributes:
        matches: ranked matches, best first, at most ``limit``.
        excluded: the closest providers left out (``explain`` of them), with why.
        searched_km: the radius searched around ``near`` (``None`` without ``near``, or
            when every provider was examined).
    """

    matches: tuple[Match, ...]
    excluded: tuple[Exclusion, ...] = ()
    searched_km: float | None = None


def _exclusion(entry: Entry, q: ResolvedQuery, distance: float | None) -> Exclusion | None:
    """Every hard constraint ``entry`` fails, with when it opens; ``None`` if it passes."""
    p = entry.provider
    failed = failed_filters(entry, q)
    if not q.include_closed:  # else the hours cannot exclude: skip the clock
        open_now = open_state(entry, q.at)
        if intake_excludes(open_now, q):
            failed.append(closed_text(entry, q, open_now))
    if not failed:
        return None
    return Exclusion(p, None if distance is None else round(distance, 3), tuple(failed))


# --- describing a match -----------------------------------------------------------------------


def _describe(index: MatchIndex, c: Candidate, q: ResolvedQuery) -> Match:
    """Reasons, lacks (each with its :data:`MATCH_REASONS` code) and closing time."""
    entry = index.entries[c.position]
    p, w = entry.provider, q.weights
    reasons: list[tuple[str, str]] = []
    lacks: list[tuple[str, str]] = []
    closes = None
    for need in q.needs:
        evidence = NEED_RULES[need].evidence(p)
        reasons.append(("serves_need", f"serves {NEEDS.label(need).lower()}: {evidence}"))
    if c.open_now and p.is_24_7:
        reasons.append(("open_24_7", "open for intake now, 24/7"))
    elif c.open_now:
        assert entry.tz is not None and p.intake_hours is not None  # noqa: PT018 - open
        closes = closes_at(p.intake_hours, entry.tz, q.at)
        until = f" until {when_text(closes)}" if closes else ""
        reasons.append(("open_now", "open for intake now" + until))
    elif c.open_now is False and c.opens:
        lacks.append(("closed_now", f"closed for intake now; opens {when_text(c.opens)}"))
    elif c.open_now is False:
        lacks.append(("no_intake_hours", "no intake hours"))
    else:
        lacks.append(("hours_unknown", call_ahead_text(p)))
    if c.distance is not None:
        where = f"{c.distance:.1f} km from {q.near_label}"
        if entry.located_by == "zip_centroid" and p.location.address is not None:
            zip5 = p.location.address.postal_code
            where += f" (to the ZIP {zip5} centroid: no coordinates on file)"
        reasons.append(("distance", where))
    elif q.near is not None:
        lacks.append(("location_unknown", "location unknown: no coordinates and no known ZIP code"))
    if p.intake.first_responder_dropoff:
        reasons.append(("takes_dropoff", "takes police drop-offs"))
    else:
        lacks.append(("no_dropoff", "no police drop-off listed"))
    if p.intake.officer_minutes is not None:
        minutes = f"officer hand-off about {p.intake.officer_minutes} min"
        reasons.append(("officer_minutes", minutes))
    if not w.is_stale(p.verified, q.at.date()) and p.verified is not None:
        reasons.append(("verified_recently", f"verified {p.verified.isoformat()}"))
    elif p.verified is not None:
        lacks.append(("not_verified_recently", f"not verified since {p.verified.isoformat()}"))
    else:
        lacks.append(("never_verified", "never verified"))
    reasons.extend(_asked_for(p, q))
    return Match(
        p,
        None if c.distance is None else round(c.distance, 3),
        c.open_now,
        c.opens,
        closes,
        tuple(text for _, text in reasons),
        tuple(text for _, text in lacks),
        c.score,
        entry.located_by if c.distance is not None else None,
        reason_codes=tuple(code for code, _ in reasons),
        lack_codes=tuple(code for code, _ in lacks),
    )


def _asked_for(p: Provider, q: ResolvedQuery) -> Iterator[tuple[str, str]]:
    """The reasons for the filters asked for: age, payment, language, medication."""
    if q.age is not None:
        yield "serves_age", f"serves age {q.age}"
    if q.payment is not None and q.payment in p.payment:
        yield "accepts_payment", f"accepts {PAYMENT.label(q.payment)}"
    elif q.payment is not None:
        yield "free_of_charge", "free of charge"
    if q.language is not None:
        yield "speaks_language", f"speaks {LANGUAGES.label(q.language)}"
    if q.medication is not None:
        yield "offers_medication", f"offers {MEDICATIONS.label(q.medication).lower()}"


# --- searching --------------------------------------------------------------------------------


#: Ages a query may name, in years.
_AGES: Final = range(131)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_query(at: dt.datetime, limit: int, age: int | None) -> None:
    """Refuse a moment, limit or age no person could mean (``ValueError`` saying which)."""
    if at.tzinfo is None or at.utcoffset() is None:
        msg = f"{at.isoformat()} has no UTC offset; give the time with its offset"
        raise ValueError(msg)
    if at.year not in SUPPORTED_YEARS:
        msg = f"{at.isoformat()} is out of range: give a year from 1900 to 2999"
        raise ValueError(msg)
    if not _whole(limit) or limit < 1:  # callers from Python may pass anything
        msg = f"limit must be at least 1 (a whole number), not {limit!r}"
        raise ValueError(msg)
    if age is not None and (not _whole(age) or age not in AGES):
        msg = f"age must be a whole number of years from {AGES[0]} to {AGES[-1]}, not {age!r}"
        raise ValueError(msg)


def search(
    directory: Iterable[Provider] | MatchIndex,
    query: Query | Iterable[str] | str,
    /,
    *,
    explain: int = 0,
    spatial: bool = True,
    **fields: Any,
) -> MatchResult:
    """Match, and optionally explain the closest exclusions.

    Args:
        directory: as for :func:`match`.
        query: a :class:`Query`, or its needs with its other fields as keywords
            (``search(directory, ["opioids"], at=..., near="85705")``).
        explain: how many excluded providers to report (the closest to ``near``, else
            those that failed fewest constraints), each with every constraint it failed.
        spatial: use the grid index (default). ``False`` scans every provider; the answer is
            the same (the benchmark compares the two).
        **fields: :class:`Query` fields, when ``query`` is its needs.

    Raises:
        ValueError: a naive ``at``, an unknown word (with a suggestion) or a bad ``near``.
        TypeError: a keyword that is not a :class:`Query` field.
    """
    asked = query if isinstance(query, Query) else Query(query, **fields)
    _check_query(asked.at, asked.limit, asked.age)
    q = asked.resolve()  # near_point: Coordinates refuses NaN and off-Earth points
    index: MatchIndex
    if isinstance(directory, MatchIndex):
        index = directory
    elif isinstance(directory, Directory):
        index = directory.match_index(asked.zip_centroid)  # built on the first query, then kept
    else:
        index = build_index(directory, zip_centroid=asked.zip_centroid)
    if q.near is None:
        return _scan(index, q, asked.limit, explain)
    return _nearby(index, q, q.near, asked.limit, explain, spatial=spatial)


def _scan(index: MatchIndex, q: ResolvedQuery, limit: int, explain: int) -> MatchResult:
    """Without a point: every provider, ranked by penalties alone."""
    found = [c for i, e in enumerate(index.entries) if (c := candidate(e, i, q, None)) is not None]
    best = heapq.nsmallest(limit, found, key=lambda c: c.key)
    excluded: list[Exclusion] = []
    if explain:
        excluded = [x for e in index.entries if (x := _exclusion(e, q, None)) is not None]
        excluded.sort(key=lambda x: (len(x.reasons), x.provider.slug))
    return MatchResult(tuple(_describe(index, c, q) for c in best), tuple(excluded[:explain]))


def _nearby(
    index: MatchIndex, q: ResolvedQuery, near: Coordinates, limit: int, explain: int,
    *, spatial: bool,
) -> MatchResult:
    """With a point: widening rings until ``limit`` matches are certain (module docs)."""
    found: list[Candidate] = []
    rings: Iterator[Ring[int]]
    if spatial:
        # Walk only the providers serving the rarest need asked: the others cannot match.
        grid = min((index.by_need[n] for n in q.needs), key=len)
        rings = grid.rings(near, start_km=10.0)
    else:  # the plain linear scan: one "ring" holding every located provider
        everything = tuple((i, e.point) for i, e in enumerate(index.entries) if e.point is not None)
        rings = iter([Ring(math.inf, everything, exhausted=True)])
    radius, exhausted = 0.0, True
    for ring in rings:
        for i, point in ring.items:
            entry = index.entries[i]
            if admissible(entry, q):  # cheap checks before the distance and the clock
                scored = candidate(entry, i, q, haversine_km(near, point), checked=True)
                if scored is not None:
                    found.append(scored)
        radius, exhausted = ring.radius_km, ring.exhausted
        if not exhausted and len(found) >= limit:
            kth = heapq.nsmallest(limit, found, key=lambda c: c.key)[-1]
            if kth.score <= radius:
                break
    best = heapq.nsmallest(limit, found, key=lambda c: c.key)
    if len(best) < limit and exhausted:
        # Providers with no known location come after every located one.
        extra = [
            c for i in index.unlocated if (c := candidate(index.entries[i], i, q, None)) is not None
        ]
        best += heapq.nsmallest(limit - len(best), extra, key=lambda c: c.key)
    matches = tuple(_describe(index, c, q) for c in best)
    chosen = {c.position for c in best}
    excluded = _closest_excluded(index, q, near, explain, chosen) if explain else ()
    return MatchResult(matches, excluded, None if exhausted else radius)


def _closest_excluded(
    index: MatchIndex, q: ResolvedQuery, near: Coordinates, count: int, chosen: set[int]
) -> tuple[Exclusion, ...]:
    """The ``count`` nearest providers that fail a hard constraint, with every failure."""
    pending: list[tuple[float, int]] = []
    for ring in index.grid.rings(near, start_km=5.0):
        pending.extend((haversine_km(near, point), i) for i, point in ring.items if i not in chosen)
        pending.sort()
        # Every provider within the radius has been seen; once all are, any distance will do.
        reach = math.inf if ring.exhausted else ring.radius_km
        out: list[Exclusion] = []
        for distance, i in pending:
            if distance > reach or len(out) == count:
                break
            exclusion = _exclusion(index.entries[i], q, distance)
            if exclusion is not None:
                out.append(exclusion)
        if len(out) == count or ring.exhausted:
            return tuple(out)
    return ()  # pragma: no cover - the last ring is always exhausted


def match(
    directory: Iterable[Provider] | MatchIndex,
    needs: Query | Iterable[str] | str,
    *,
    at: dt.datetime | None = None,
    near: Coordinates | tuple[float, float] | str | None = None,
    limit: int = 10,
    dropoff: bool = False,
    payment: str | None = None,
    language: str | None = None,
    medication: str | None = None,
    age: int | None = None,
    include_closed: bool = False,
    weights: Weights = WEIGHTS,
    zip_centroid: ZipLookup | None = None,
) -> list[Match]:
    """Providers that can take a person with ``needs`` at ``at``, best first, with reasons.

    A convenience over :func:`search`: the keywords are the fields of :class:`Query`
    (documented there), or pass a ready ``Query`` as ``needs``.

    Args:
        directory: a :class:`~deflectkit.core.directory.Directory` (its match index is
            built on the first query and kept on it, see
            :meth:`~deflectkit.core.directory.Directory.match_index`), any other iterable of
            providers (indexed afresh on every call), or a :class:`MatchIndex` built once
            with :func:`build_index`.
        needs: a :class:`Query`, or ``NEEDS`` words (``["opioids"]``, ``"a,b"``, or a
            decision's route: ``match(directory, decision.referral.need, at=...)``).
        at: the moment, an aware datetime (required unless ``needs`` is a ``Query``).
        near: where the person is (:attr:`Query.near`).
        limit: at most this many matches.
        dropoff: only providers that take police drop-offs.
        payment: a payer the provider must accept.
        language: a language the provider must list.
        medication: a medication the provider must offer.
        age: the person's age in years.
        include_closed: keep providers closed now or with unknown hours.
        weights: the ranking penalties.
        zip_centroid: ZIP lookup (:attr:`Query.zip_centroid`). ``deflectkit.match`` fills in
            the ZIP table shipped with deflectkit; this core function alone knows no ZIP codes.

    Raises:
        ValueError: a naive ``at``, an unknown word (with a suggestion) or a bad ``near``.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.directory import Directory
        >>> from deflectkit.core.hours import parse_hours
        >>> from deflectkit.core.providers import Coordinates, Intake, Location, Provider
        >>> clinic = Provider(slug="example-clinic", name="Example Clinic",
        ...     location=Location("America/Phoenix", coordinates=Coordinates(32.22, -110.93)),
        ...     hours=parse_hours({"mon-fri": "08:00-17:00"}), services=("medications",),
        ...     medications=("buprenorphine",), substances=("opioids",),
        ...     intake=Intake(first_responder_dropoff=True))
        >>> at = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=-7)))
        >>> m = match(Directory([clinic]), ["opioids"], at=at, near=(32.25, -110.97))[0]
        >>> m.provider.slug, m.open_now, round(m.distance_km, 1)
        ('example-clinic', True, 5.0)
        >>> match(Directory([clinic]), ["opioids"], at=at.replace(hour=22))
        []
    """
    if isinstance(needs, Query):
        return list(search(directory, needs).matches)
    if at is None:
        msg = "match needs at=, the moment to match for (an aware datetime)"
        raise TypeError(msg)
    query = Query(
        needs, at, near=near, limit=limit, dropoff=dropoff, payment=payment,
        language=language, medication=medication, age=age, include_closed=include_closed,
        weights=weights, zip_centroid=zip_centroid,
    )
    return list(search(directory, query).matches)


def match_row(m: Match) -> dict[str, Any]:
    """The JSON row for a match (``dk.to_json(match)`` and ``deflectkit match --format json``)."""
    return {
        "id": m.provider.slug,
        "name": m.provider.name,
        "distance_km": None if m.distance_km is None else round(m.distance_km, 1),
        "open_now": m.open_now,
        "opens_at": m.opens_at.isoformat() if m.opens_at else None,
        "closes_at": m.closes_at.isoformat() if m.closes_at else None,
        "phones": [{"number": ph.number, "label": ph.label} for ph in m.provider.phones],
        "intake_phone": intake.number if (intake := m.provider.intake_phone) else None,
        "reasons": list(m.reasons),
        "reason_codes": list(m.reason_codes),
        "lacks": list(m.lacks),
        "lack_codes": list(m.lack_codes),
        "score": m.score,
        "located_by": m.located_by,
    }


def exclusion_row(e: Exclusion) -> dict[str, Any]:
    """The JSON row for an excluded provider (``--explain``)."""
    return {
        "id": e.provider.slug,
        "name": e.provider.name,
        "distance_km": None if e.distance_km is None else round(e.distance_km, 1),
        "excluded_because": list(e.reasons),
    }

