"""A directory prepared for referral matching: needs served, locations, spatial indexes.

Built once per directory (:func:`build_index`) and shared by every query: each provider's
served needs (:data:`deflectkit.core.needs.NEED_RULES`), its point (coordinates, else its
address's ZIP centroid), its time zone, and grid indexes of the located providers, one for
all and one per need word so a query walks only providers that could serve it.

Example:
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.providers import Coordinates, Location, Provider
    >>> p = Provider(slug="example", name="Example Clinic", substances=("opioids",),
    ...     location=Location("America/Phoenix", coordinates=Coordinates(32.2, -110.9)))
    >>> index = build_index([p])
    >>> len(index), len(index.by_need["opioids"]), len(index.by_need["housing"])
    (1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo

import attrs

from deflectkit.core.geo import GridIndex
from deflectkit.core.localtime import zone
from deflectkit.core.needs import needs_served
from deflectkit.core.providers import Coordinates, Provider
from deflectkit.vocabulary import NEEDS

__all__ = ["Entry", "LocatedBy", "MatchIndex", "ZipLookup", "build_index"]

#: How a provider's point was found.
LocatedBy = Literal["coordinates", "zip_centroid"]
#: ZIP code -> centroid (``None`` when unknown). The core holds no ZIP table: the edges pass
#: :func:`deflectkit.files.zip_centroids.zip_centroid` (``deflectkit.match`` and the CLI do).
ZipLookup = Callable[[str], Coordinates | None]


@attrs.frozen
class Entry:
    """A provider with what every query needs precomputed."""

    provider: Provider
    point: Coordinates | None
    located_by: LocatedBy | None
    tz: ZoneInfo | None
    needs: frozenset[str]


@attrs.frozen(eq=False)
class MatchIndex:
    """A directory prepared for matching: needs served, locations and spatial indexes.

    Build once with :func:`build_index` and pass it instead of the directory to run many
    queries; :func:`match` builds one on the fly otherwise.

    Attributes:
        entries: every provider with its location, zone and the needs it serves.
        grid: every located provider.
        by_need: for each need word, the located providers serving it.
        unlocated: positions of providers with no known location.
    """

    entries: tuple[Entry, ...]
    grid: GridIndex[int] = attrs.field(repr=False)
    by_need: Mapping[str, GridIndex[int]] = attrs.field(repr=False)
    unlocated: tuple[int, ...] = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.entries)


def build_index(
    providers: Iterable[Provider], *, zip_centroid: ZipLookup | None = None
) -> MatchIndex:
    """Prepare providers (a ``Directory`` or any iterable) for repeated matching.

    Args:
        providers: the providers.
        zip_centroid: ZIP -> centroid, for providers without coordinates (the edges pass
            :func:`deflectkit.files.zip_centroids.zip_centroid`); ``None`` leaves them
            unlocated, ranked after every located provider.
    """
    entries: list[Entry] = []
    for provider in providers:
        point = provider.location.coordinates
        located_by: LocatedBy | None = None
        if point is not None:
            located_by = "coordinates"
        elif provider.location.address is not None and zip_centroid is not None:
            point = zip_centroid(provider.location.address.postal_code)
            located_by = "zip_centroid" if point is not None else None
        try:
            tz: ZoneInfo | None = zone(provider.location.timezone)
        except ValueError:
            tz = None  # its hours cannot be read as instants: treated as unknown
        entries.append(Entry(provider, point, located_by, tz, needs_served(provider)))
    located = [(i, e) for i, e in enumerate(entries) if e.point is not None]
    grid = GridIndex.build((i, e.point) for i, e in located if e.point is not None)
    by_need = {
        need: GridIndex.build(
            (i, e.point) for i, e in located if e.point is not None and need in e.needs
        )
        for need in NEEDS.words
    }
    unlocated = tuple(i for i, e in enumerate(entries) if e.point is None)
    return MatchIndex(tuple(entries), grid, MappingProxyType(by_need), unlocated)
