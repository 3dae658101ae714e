"""US ZIP code centroids and time zones, from the ``zipcodes`` package's bundled table.

``zipcodes`` ships its ~42,000 ZIP records inside the wheel, so this works offline, with no
request at run time. Answers are remembered once looked up: a read-only reference table,
like the IANA zone files behind ``zoneinfo``.

ZIP codes without a usable centroid (military APO/FPO codes are listed at 0,0) have none.

Example:
    >>> zip_centroid("85701")
    Coordinates(lat=32.2139, lon=-110.9694)
    >>> zip_timezone("85701")
    'America/Phoenix'
"""

from __future__ import annotations

import functools
import re
from typing import Any

from deflectkit.core.providers import Coordinates

__all__ = ["zip_centroid", "zip_timezone"]

_ZIP5 = re.compile(r"^(\d{5})(?:-\d{4})?$")


@functools.cache
def _lookup(zip5: str) -> tuple[Coordinates, str | None] | None:
    """(centroid, IANA zone) of one five-digit ZIP, remembered once looked up.

    One ZIP at a time: the package answers a single look-up in about a millisecond, while
    turning its whole table into Python objects takes seconds.
    """
    import zipcodes  # imported here: the table is large, and most commands never need it

    records: list[dict[str, Any]] = zipcodes.matching(zip5)  # type: ignore[no-untyped-call]
    for record in records:
        try:
            lat, lon = float(record["lat"]), float(record["long"])
        except (KeyError, TypeError, ValueError):
            continue
        if lat == 0 and lon == 0:
            continue  # the package's placeholder for "no location" (APO/FPO codes)
        return Coordinates(lat, lon), record.get("timezone") or None
    return None


def _normalise(zip_code: str) -> str | None:
    match = _ZIP5.match(zip_code.strip())
    return match.group(1) if match else None


def zip_centroid(zip_code: str) -> Coordinates | None:
    """The centroid of a US ZIP code (``"85701"`` or ZIP+4), or ``None`` if unknown."""
    zip5 = _normalise(zip_code)
    entry = _lookup(zip5) if zip5 else None
    return entry[0] if entry else None


def zip_timezone(zip_code: str) -> str | None:
    """The IANA time zone of a US ZIP code, or ``None`` if unknown."""
    zip5 = _normalise(zip_code)
    entry = _lookup(zip5) if zip5 else None
    return entry[1] if entry else None
