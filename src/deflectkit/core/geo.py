"""Distances on the Earth and a grid index that finds nearby points without scanning all.

A national directory holds ~30,000 providers. An officer wants the ten nearest that fit, so
matching asks :class:`GridIndex` for the points in widening rings around the officer
(:meth:`GridIndex.rings`) and stops as soon as the rings hold enough good answers. Each ring
is exact in what it promises: every point within its radius has been handed out.

The index is an immutable value built once per directory: points bucketed by a fixed grid
of latitude and longitude cells.

Example:
    >>> tucson, phoenix = Coordinates(32.2217, -110.9265), Coordinates(33.4484, -112.0740)
    >>> round(haversine_km(tucson, phoenix))
    173
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Final, Generic, TypeVar

import attrs

from deflectkit.core.providers import Coordinates

__all__ = [
    "EARTH_RADIUS_KM",
    "GridIndex",
    "Ring",
    "haversine_km",
    "parse_near",
    "parse_point",
]

#: The mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM: Final = 6371.0088
_KM_PER_DEGREE: Final = math.pi * EARTH_RADIUS_KM / 180
_HALF_CIRCUMFERENCE_KM: Final = math.pi * EARTH_RADIUS_KM
_POINT = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*,\s*([-+]?\d+(?:\.\d+)?)\s*$")
_ZIP = re.compile(r"^\s*(\d{5})(?:-\d{4})?\s*$")

K = TypeVar("K")


def haversine_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance between two points, in kilometres (spherical Earth).

    Good to about 0.5 %, far better than the precision of an address or a ZIP centroid.
    """
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def parse_point(text: str) -> Coordinates:
    """Read ``"LAT,LON"`` in decimal degrees; ``ValueError`` saying what is wrong.

    Example:
        >>> parse_point("32.2217,-110.9265")
        Coordinates(lat=32.2217, lon=-110.9265)
    """
    match = _POINT.match(text)
    if not match:
        msg = f"cannot read {text!r} as a point: write LAT,LON in degrees, e.g. 32.2217,-110.9265"
        raise ValueError(msg)
    lat, lon = float(match.group(1)), float(match.group(2))
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        msg = f"{text!r} is not on the Earth: latitude is -90..90 and longitude -180..180"
        raise ValueError(msg)
    return Coordinates(lat, lon)


def parse_near(
    text: str, zip_centroid: Callable[[str], Coordinates | None] | None
) -> tuple[Coordinates, str]:
    """Read ``--near``: a US ZIP code (its centroid) or ``LAT,LON``.

    Args:
        text: what the user wrote.
        zip_centroid: looks a five-digit ZIP up (see
            :func:`deflectkit.files.zip_centroids.zip_centroid`); passed in so that this
            module stays free of data files. ``None``: a ZIP code is refused.

    Returns:
        The point and a short description for reasons ("ZIP 85701" or "32.22,-110.93").

    Raises:
        ValueError: neither a known ZIP nor a point.
    """
    zip_match = _ZIP.match(text)
    if zip_match:
        zip5 = zip_match.group(1)
        if zip_centroid is None:
            msg = (f"{zip5!r} is a ZIP code but no ZIP table was given (zip_centroid=); "
                   "deflectkit.match passes the one shipped with deflectkit")
            raise ValueError(msg)
        point = zip_centroid(zip5)
        if point is None:
            msg = f"unknown ZIP code {zip5!r}: no centroid is known for it"
            raise ValueError(msg)
        return point, f"ZIP {zip5}"
    if text.strip().isdigit():
        msg = f"{text!r} is not a ZIP code: a ZIP code has five digits"
        raise ValueError(msg)
    point = parse_point(text)
    return point, f"{point.lat:.4f},{point.lon:.4f}"


@attrs.frozen
class Ring(Generic[K]):
    """One widening step of a nearby search.

    Attributes:
        radius_km: every indexed point within this distance of the centre has now been
            handed out (in this ring or an earlier one).
        items: the points handed out for the first time, with their coordinates. Some may
            lie beyond ``radius_km``: the grid cells are coarse; callers check distance.
        exhausted: every indexed point has been handed out.
    """

    radius_km: float
    items: tuple[tuple[K, Coordinates], ...]
    exhausted: bool


_Cell = tuple[int, int]


def _cell_of(point: Coordinates, cell_deg: float, columns: int) -> _Cell:
    row = math.floor((point.lat + 90) / cell_deg)
    column = math.floor((point.lon + 180) / cell_deg) % columns
    return row, column


@attrs.frozen(eq=False)
class GridIndex(Generic[K]):
    """Points bucketed into cells of ``cell_deg`` degrees of latitude and longitude.

    Build with :meth:`build`; then :meth:`rings` walks outward from a point. The index is
    immutable and holds no reference to any clock or file, so one index serves every query.

    Example:
        >>> points = [("a", Coordinates(32.2, -110.9)), ("b", Coordinates(40.0, -105.0))]
        >>> idx = GridIndex.build(points)
        >>> first = next(idx.rings(Coordinates(32.25, -110.95), start_km=10))
        >>> [key for key, _ in first.items]
        ['a']
    """

    cell_deg: float
    size: int
    _cells: Mapping[_Cell, tuple[tuple[K, Coordinates], ...]] = attrs.field(repr=False)

    @classmethod
    def build(cls, items: Iterable[tuple[K, Coordinates]], cell_deg: float = 0.25) -> GridIndex[K]:
        """Index ``(key, coordinates)`` pairs. A quarter degree is ~28 km north to south."""
        if not 0 < cell_deg <= 90:
            msg = f"cell size must be between 0 and 90 degrees, not {cell_deg}"
            raise ValueError(msg)
        columns = math.ceil(360 / cell_deg)
        cells: dict[_Cell, list[tuple[K, Coordinates]]] = {}
        size = 0
        for key, point in items:
            cells.setdefault(_cell_of(point, cell_deg, columns), []).append((key, point))
            size += 1
        frozen = MappingProxyType({cell: tuple(members) for cell, members in cells.items()})
        return cls(cell_deg, size, frozen)

    def __len__(self) -> int:
        return self.size

    def _cells_within(self, centre: Coordinates, radius_km: float) -> Iterator[_Cell]:
        """Every non-empty cell that may hold a point within ``radius_km`` of ``centre``."""
        columns = math.ceil(360 / self.cell_deg)
        dlat = radius_km / _KM_PER_DEGREE
        south, north = centre.lat - dlat, centre.lat + dlat
        widest = max(abs(south), abs(north))
        if widest >= 90 or radius_km >= _HALF_CIRCUMFERENCE_KM:
            all_columns = True
            dlon = 180.0
        else:
            # A degree of longitude shrinks towards the poles: size the box for the widest
            # latitude it reaches.
            dlon = radius_km / (_KM_PER_DEGREE * math.cos(math.radians(widest)))
            all_columns = dlon >= 180
        row_lo = math.floor((max(south, -90) + 90) / self.cell_deg)
        row_hi = math.floor((min(north, 90) + 90) / self.cell_deg)
        col_lo = math.floor((centre.lon - dlon + 180) / self.cell_deg)
        col_hi = math.floor((centre.lon + dlon + 180) / self.cell_deg)
        span = columns if all_columns else min(columns, col_hi - col_lo + 1)
        if (row_hi - row_lo + 1) * span > len(self._cells):
            # A wide box has more cells than the index holds: test the occupied ones instead.
            for row, column in self._cells:
                if row_lo <= row <= row_hi and (all_columns or (column - col_lo) % columns < span):
                    yield row, column
            return
        for row in range(row_lo, row_hi + 1):
            for offset in range(span):
                cell = (row, (col_lo + offset) % columns)
                if cell in self._cells:
                    yield cell

    def rings(self, centre: Coordinates, start_km: float = 10.0) -> Iterator[Ring[K]]:
        """Hand out the points in widening rings (radius doubling) until all are out.

        Each point is handed out once. Stop iterating as soon as you have enough.
        """
        seen: set[_Cell] = set()
        handed = 0
        radius = max(start_km, 1e-3)
        while True:
            fresh: list[tuple[K, Coordinates]] = []
            for cell in self._cells_within(centre, radius):
                if cell not in seen:
                    seen.add(cell)
                    fresh.extend(self._cells[cell])
            handed += len(fresh)
            exhausted = handed >= self.size
            yield Ring(radius, tuple(fresh), exhausted)
            if exhausted:
                return
            radius *= 2
