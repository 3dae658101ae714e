"""What the directory filters on: each provider's needs, flags and hours as compact data.

The directory home filters in the browser from small JSON indexes, one per state
(``directory/index/<ST>.json``), built here; Pagefind filters and the browse-by-need pages
use the same facets, so the three ways of narrowing the list agree.

Example:
    >>> from deflectkit.core.providers import Location, Provider
    >>> p = Provider(slug="x", name="X", location=Location("America/Phoenix"),
    ...              services=("withdrawal_management",), substances=("opioids",))
    >>> provider_needs(p)
    ('opioids', 'substance_use', 'withdrawal')
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from deflectkit.core.geo import EARTH_RADIUS_KM
from deflectkit.core.needs import needs_served
from deflectkit.core.providers import Coordinates, Provider
from deflectkit.core.ranking import NEVER_OPENS_HOURS, WEIGHTS, Weights
from deflectkit.vocabulary import (
    LANGUAGES,
    MEDICATIONS,
    NEEDS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    Vocabulary,
)

__all__ = [
    "INDEX_FIELDS",
    "directory_index",
    "dumps_compact",
    "index_shards",
    "provider_needs",
    "ranking_data",
    "ranking_point",
    "shard_bounds",
    "shard_key",
    "weekly_spans",
    "zip_tables",
]

#: Column order of each provider row in ``directory/index/<ST>.json`` (also in it, ``fields``).
INDEX_FIELDS = (
    "slug",
    "name",
    "place",
    "lat",
    "lon",
    "needs",
    "meds",
    "pay",
    "langs",
    "always",
    "dropoff",
    "hours",
    "tel",
    "phone",
    "street",
    "walkin",
    "minutes",
    "services",
    "pops",
    "agemin",
    "agemax",
    "verified",
)

#: Day numbers count whole days from this date (``verified_base``).
_EPOCH = dt.date(1970, 1, 1)


def provider_needs(provider: Provider) -> tuple[str, ...]:
    """The needs (vocabulary ``NEEDS``) a provider can meet, in vocabulary order.

    The same rules as referral matching (:data:`deflectkit.core.needs.NEED_RULES`), so the
    directory's "need" filter and ``dk.match`` never disagree.
    """
    served = needs_served(provider)
    return tuple(w for w in NEEDS.words if w in served)


def weekly_spans(provider: Provider) -> list[list[list[int]]] | None:
    """Intake hours as seven lists of ``[start, end)`` minute spans (Monday first), or None."""
    hours = provider.intake_hours
    if hours is None:
        return None
    return [[[start, end] for start, end in day] for day in hours.days]


def ranking_data(weights: Weights = WEIGHTS) -> dict[str, Any]:
    """What the script needs to rank result cards as ``dk.match`` does, from the library.

    The weights of :mod:`deflectkit.core.ranking`, the wait charged for a provider that
    will not open within the look-ahead, and the Earth radius of
    :func:`deflectkit.core.geo.haversine_km`: written here, never retyped in JavaScript.
    """
    return {
        "weights": attrs.asdict(weights),
        "never_hours": NEVER_OPENS_HOURS,
        "earth_km": EARTH_RADIUS_KM,
    }


def ranking_point(provider: Provider) -> tuple[Coordinates | None, bool]:
    """Where ``dk.match`` places ``provider``, and whether that is its ZIP code's centroid.

    Coordinates when given, else the centroid of the address's ZIP code (as ``dk.match``
    does), so the directory ranks an address-only provider where the library does.
    """
    from deflectkit.files.zip_centroids import zip_centroid

    coords = provider.location.coordinates
    if coords is not None:
        return coords, False
    address = provider.location.address
    centroid = zip_centroid(address.postal_code) if address is not None else None
    return centroid, centroid is not None


def _epoch_day(day: dt.date | None) -> int | None:
    """``day`` as whole days since 1970-01-01 (the script compares it with today's)."""
    return None if day is None else (day - _EPOCH).days


def _days_before_newest(rows: list[list[Any]], column: int) -> int | None:
    """Rewrite ``column`` (day numbers) as days before the newest; return the newest.

    Most providers were verified within a year or two of each other: two or three digits a
    row instead of five (about 4 KB less in a state of 1,700 providers).
    """
    days: list[int] = [row[column] for row in rows if row[column] is not None]
    if not days:
        return None
    newest = max(days)
    for row in rows:
        if row[column] is not None:
            row[column] = newest - row[column]
    return newest


def _bits(words: Iterable[str], order: Sequence[str]) -> int:
    """A bit set of ``words`` by their position in ``order`` (small JSON, fast tests in JS)."""
    value = 0
    for word in words:
        if word in order:
            value |= 1 << order.index(word)
    return value


def _care_types(provider: Provider) -> tuple[str, ...]:
    """The provider's services, with mental-health care when the provider flags it."""
    if provider.mental_health and "mental_health_care" not in provider.services:
        return (*provider.services, "mental_health_care")
    return provider.services


def _contact(provider: Provider) -> tuple[str | None, str | None, str | None]:
    """``tel:`` number, readable number and address line for the result card."""
    from deflectkit.core.providers import readable_phone
    from deflectkit.site.cards import address_line, call_number
    from deflectkit.site.markup import tel_url

    number = call_number(provider)
    href = tel_url(number) if number else None
    return (
        href.removeprefix("tel:") if href else None,
        readable_phone(number) if number and href else None,
        address_line(provider) or None,
    )


def _interned(table: dict[Any, int], key: Any) -> int:
    """The position of ``key`` in a shared table, adding it on first sight."""
    index = table.get(key)
    if index is None:
        index = table[key] = len(table)
    return index


def _labels(vocabulary: Vocabulary, words: Iterable[str]) -> list[list[str]]:
    """``[word, English label, Spanish label]`` for each word."""
    return [[w, vocabulary.label(w), vocabulary.label(w, "es")] for w in words]


def _vocabularies(used_langs: Iterable[str]) -> dict[str, list[list[str]]]:
    """The index's word lists, each word with its English and Spanish label.

    The search box of either directory then finds a provider by the words of its language.
    """
    return {
        "needs": _labels(NEEDS, NEEDS.words),
        "meds": _labels(MEDICATIONS, MEDICATIONS.words),
        "pay": _labels(PAYMENT, PAYMENT.words),
        "langs": _labels(LANGUAGES, used_langs),
        "services": _labels(SERVICES, SERVICES.words),
        "pops": _labels(POPULATIONS, POPULATIONS.words),
    }


def _place(provider: Provider) -> tuple[str, str, str, str]:
    """``(city, county, state, time zone)``: the row's town, shared by its neighbours."""
    address = provider.location.address
    return (
        address.city if address else "",
        (address.county or "") if address else "",
        address.state if address else "",
        provider.location.timezone,
    )


def _timetable(provider: Provider, seen: dict[str, int], timetables: list[Any]) -> int | None:
    """The position of the provider's intake hours in ``timetables`` (added once), or None.

    None for 24/7 and for unknown hours: the script reads the ``always`` flag first.
    """
    spans = None if provider.is_24_7 else weekly_spans(provider)
    if spans is None:
        return None
    key = dumps_compact(spans)
    if key not in seen:
        timetables.append(spans)
    return _interned(seen, key)


def directory_index(providers: Iterable[Provider]) -> dict[str, Any]:
    """The JSON index the directory home filters: vocabularies once, one row per provider.

    Needs, medications and payment are bit sets over the ``vocab`` lists; languages are a
    list of codes. ``place`` points into ``places`` (``[city, county, state, time zone]``)
    and ``hours`` into ``hours`` (:func:`weekly_spans`), or is null for 24/7 and for "call
    for hours": providers share a handful of timetables and towns, so each is written once.
    ``lat``/``lon`` of a provider without coordinates are its ZIP code's centroid
    (:func:`ranking_point`), its row number listed in ``zip_located`` (directions then go
    to the address). ``verified`` is how many days before ``verified_base`` (a day number,
    days since 1970-01-01) a person last checked the row, or null; ``ranking`` holds the
    library's weights (:func:`ranking_data`): the script ranks the cards as ``dk.match``
    does.
    """
    places: dict[tuple[str, str, str, str], int] = {}
    timetables: dict[str, int] = {}
    hours_list: list[Any] = []
    rows: list[list[Any]] = []
    zip_located: list[int] = []
    for p in providers:
        coords, by_zip = ranking_point(p)
        if by_zip:
            zip_located.append(len(rows))
        rows.append(
            [
                p.slug,
                p.name,
                _interned(places, _place(p)),
                round(coords.lat, 4) if coords else None,
                round(coords.lon, 4) if coords else None,
                _bits(provider_needs(p), NEEDS.words),
                _bits(p.medications, MEDICATIONS.words),
                _bits(p.payment, PAYMENT.words),
                list(p.languages),
                1 if p.is_24_7 else 0,
                1 if p.intake.first_responder_dropoff else 0,
                _timetable(p, timetables, hours_list),
                *_contact(p),
                1 if p.intake.walk_in else 0,
                p.intake.officer_minutes,
                _bits(_care_types(p), SERVICES.words),
                _bits(p.populations, POPULATIONS.words),
                p.ages.min,
                p.ages.max,
                _epoch_day(p.verified),
            ]
        )
    used_langs = sorted({code for row in rows for code in row[8]})
    verified_base = _days_before_newest(rows, INDEX_FIELDS.index("verified"))
    return {
        "version": 4,
        "fields": list(INDEX_FIELDS),
        "ranking": ranking_data(),
        "verified_base": verified_base,
        "zip_located": zip_located,
        "vocab": _vocabularies(used_langs),
        "places": [list(k) for k in places],
        "hours": hours_list,
        "providers": rows,
    }


def shard_key(provider: Provider) -> str:
    """The index shard a provider's row goes to: its state, ``none`` without an address."""
    address = provider.location.address
    return address.state.upper() if address and address.state else "none"


def index_shards(providers: Iterable[Provider]) -> dict[str, dict[str, Any]]:
    """One :func:`directory_index` per state: a phone loads only the places it searches."""
    groups: dict[str, list[Provider]] = {}
    for p in providers:
        groups.setdefault(shard_key(p), []).append(p)
    return {key: directory_index(group) for key, group in sorted(groups.items())}


def shard_bounds(providers: Iterable[Provider]) -> dict[str, list[float | int | None]]:
    """State → ``[providers, south, west, north, east]`` (``None`` bounds without coordinates).

    The script loads the shards whose box lies near the searched point, so a ZIP code near a
    state line also lists the providers across it.
    """
    out: dict[str, list[float | int | None]] = {}
    for p in providers:
        key = shard_key(p)
        box = out.setdefault(key, [0, None, None, None, None])
        box[0] = int(box[0] or 0) + 1
        c = p.location.coordinates
        if c is None:
            continue
        box[1] = c.lat if box[1] is None else min(float(box[1]), c.lat)
        box[2] = c.lon if box[2] is None else min(float(box[2]), c.lon)
        box[3] = c.lat if box[3] is None else max(float(box[3]), c.lat)
        box[4] = c.lon if box[4] is None else max(float(box[4]), c.lon)
    return out


def zip_tables(states: Iterable[str]) -> tuple[dict[str, dict[str, list[float]]], dict[str, str]]:
    """Per state, ZIP code → ``[lat, lon]``; and ZIP prefix (3 digits) → state.

    Bundled data (no network); only the states the directory covers are shipped. The prefix
    table tells the script which state's ZIP table to fetch for a typed ZIP code.
    """
    import zipcodes  # imported here: loading the ZIP table is not free

    wanted = {s.upper() for s in states if s}
    tables: dict[str, dict[str, list[float]]] = {s: {} for s in sorted(wanted)}
    prefixes: dict[str, str] = {}
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call,unused-ignore]
        state = row.get("state")
        if state not in wanted:
            continue
        try:
            code = str(row["zip_code"])
            tables[state][code] = [round(float(row["lat"]), 4), round(float(row["long"]), 4)]
        except (KeyError, TypeError, ValueError):
            continue
        prefixes.setdefault(code[:3], state)
    return tables, prefixes


def dumps_compact(value: object) -> str:
    """JSON without spaces (the index is downloaded on a phone)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
