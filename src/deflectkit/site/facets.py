"""What the directory filters on: each provider's needs, flags and hours as compact data.

The directory home filters in the browser from a small JSON index (``directory/index.json``)
built here; Pagefind filters and the browse-by-need pages use the same facets, so the three
ways of narrowing the list agree.

Example:
    >>> from deflectkit.core.providers import Location, Provider
    >>> p = Provider(slug="x", name="X", location=Location("America/Phoenix"),
    ...              services=("withdrawal_management",), substances=("opioids",))
    >>> provider_needs(p)
    ('opioids', 'substance_use', 'withdrawal')
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from deflectkit.core.needs import needs_served
from deflectkit.core.providers import Provider
from deflectkit.vocabulary import LANGUAGES, MEDICATIONS, NEEDS, PAYMENT

__all__ = [
    "INDEX_FIELDS",
    "directory_index",
    "dumps_compact",
    "provider_needs",
    "weekly_spans",
    "zip_centroids",
]

#: Column order of each provider row in ``directory/index.json`` (kept in the file as ``fields``).
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
)


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


def _bits(words: Iterable[str], order: Sequence[str]) -> int:
    """A bit set of ``words`` by their position in ``order`` (small JSON, fast tests in JS)."""
    value = 0
    for word in words:
        if word in order:
            value |= 1 << order.index(word)
    return value


def _interned(table: dict[Any, int], key: Any) -> int:
    """The position of ``key`` in a shared table, adding it on first sight."""
    index = table.get(key)
    if index is None:
        index = table[key] = len(table)
    return index


def directory_index(providers: Iterable[Provider]) -> dict[str, Any]:
    """The JSON index the directory home filters: vocabularies once, one row per provider.

    Needs, medications and payment are bit sets over the ``vocab`` lists; languages are a
    list of codes. ``place`` points into ``places`` (``[city, county, state, time zone]``)
    and ``hours`` into ``hours`` (:func:`weekly_spans`), or is null for 24/7 and for "call
    for hours": providers share a handful of timetables and towns, so each is written once.
    """
    places: dict[tuple[str, str, str, str], int] = {}
    timetables: dict[str, int] = {}
    hours_list: list[Any] = []
    rows: list[list[Any]] = []
    for p in providers:
        address = p.location.address
        coords = p.location.coordinates
        place = (
            address.city if address else "",
            (address.county or "") if address else "",
            address.state if address else "",
            p.location.timezone,
        )
        spans = None if p.is_24_7 else weekly_spans(p)
        hours_index = None
        if spans is not None:
            key = dumps_compact(spans)
            if key not in timetables:
                hours_list.append(spans)
            hours_index = _interned(timetables, key)
        rows.append(
            [
                p.slug,
                p.name,
                _interned(places, place),
                round(coords.lat, 4) if coords else None,
                round(coords.lon, 4) if coords else None,
                _bits(provider_needs(p), NEEDS.words),
                _bits(p.medications, MEDICATIONS.words),
                _bits(p.payment, PAYMENT.words),
                list(p.languages),
                1 if p.is_24_7 else 0,
                1 if p.intake.first_responder_dropoff else 0,
                hours_index,
            ]
        )
    used_langs = sorted({code for row in rows for code in row[8]})
    return {
        "version": 2,
        "fields": list(INDEX_FIELDS),
        "vocab": {
            "needs": [[t.word, t.label] for t in NEEDS],
            "meds": [[t.word, t.label] for t in MEDICATIONS],
            "pay": [[t.word, t.label] for t in PAYMENT],
            "langs": [[code, LANGUAGES.label(code)] for code in used_langs],
        },
        "places": [list(k) for k in places],
        "hours": hours_list,
        "providers": rows,
    }


def zip_centroids(states: Iterable[str]) -> dict[str, list[float]]:
    """ZIP code → ``[lat, lon]`` for every ZIP in ``states`` (bundled data, no network).

    Only the states the directory covers are shipped, to keep the download small.
    """
    import zipcodes  # imported here: loading the ZIP table is not free

    wanted = {s.upper() for s in states if s}
    # filter_by scans the whole table once per call: for many states one pass is cheaper.
    rows: list[dict[str, Any]] = []
    if len(wanted) > 12:
        rows = [r for r in zipcodes.list_all() if r.get("state") in wanted]  # type: ignore[no-untyped-call,unused-ignore]
    else:
        for state in sorted(wanted):
            rows += zipcodes.filter_by(state=state)  # type: ignore[no-untyped-call,unused-ignore]
    table: dict[str, list[float]] = {}
    for row in rows:
        try:
            table[str(row["zip_code"])] = [
                round(float(row["lat"]), 4),
                round(float(row["long"]), 4),
            ]
        except (KeyError, TypeError, ValueError):
            continue
    return table


def dumps_compact(value: object) -> str:
    """JSON without spaces (the index is downloaded on a phone)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
