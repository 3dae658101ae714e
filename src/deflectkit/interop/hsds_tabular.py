"""HSDS 1.x tabular data packages (``datapackage.json`` + CSVs) as HSDS 3-shaped records.

211 systems still publish the pre-3.0 tables: ``services``, ``locations``,
``services_at_location``, ``physical_addresses``, ``phones``, ``regular_schedules``
(``weekday``, ``opens_at``, ``closes_at`` and, from the Open211 transformer, the
``original_text`` the call centre typed), ``languages``, ``accessibility_for_disabilities``,
``eligibility``, ``services_taxonomy`` + ``taxonomy``. This module joins them into the
nested HSDS 3 shape the JSON importer already reads, remembering each service's CSV line.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from deflectkit.errors import DataError, Problem, shorten
from deflectkit.files.yamlio import is_inside, read_regular_file

#: Largest ``datapackage.json`` read: it only lists the tables.
MAX_PACKAGE_BYTES = 10_000_000

__all__ = ["ServiceRecord", "loads_strict", "read_datapackage"]


def loads_strict(text: str) -> Any:
    """JSON as the standard has it: no ``NaN``/``Infinity``, no thousand-digit numbers.

    Raises:
        ValueError: not JSON, or nested so deep that Python's reader gives up.
    """
    try:
        return json.loads(
            text, parse_constant=_no_constant, parse_int=_short_int, parse_float=_finite
        )
    except RecursionError:
        raise ValueError("lists and objects are nested too deeply") from None


def _no_constant(word: str) -> Any:
    """``NaN``, ``Infinity``: Python's reader takes them; JSON does not have them."""
    raise ValueError(f"{word} is not a JSON number")


def _finite(digits: str) -> float:
    """A JSON number with a fraction or exponent; ``1e999`` would read as infinity."""
    value = float(digits)
    if not math.isfinite(value):
        raise ValueError(f"{shorten(digits, 20)} is too large a number")
    return value


def _short_int(digits: str) -> int:
    """A JSON whole number; thousands of digits are refused before converting them."""
    if len(digits) > 100:
        raise ValueError(f"a number of {len(digits):,} digits is far too long")
    return int(digits)


@attrs.frozen
class ServiceRecord:
    """One HSDS service with what it needs to become providers.

    Attributes:
        service: the service in HSDS 3 shape (phones, schedules, languages, attributes…).
        organization: its organization, if known.
        locations: where it is delivered (HSDS 3 ``location`` objects); SAL-level phones and
            schedules are already merged into them.
        path: the file it came from, for messages.
        line: its line in that file (CSV), or ``None`` (JSON).
        where: where it sits inside a JSON document (``services[2]``), or ``""``.
        terms: names of taxonomy terms from other taxonomies (AIRS …), for keyword mapping.
        hours_text: free-text hours notes, read when no schedule row can be.
    """

    service: Mapping[str, Any]
    organization: Mapping[str, Any] | None
    locations: tuple[Mapping[str, Any], ...]
    path: str
    line: int | None = None
    where: str = ""
    terms: tuple[str, ...] = ()
    hours_text: tuple[str, ...] = ()


def _table(path: Path | None) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each row of a CSV table; nothing if the table is absent."""
    if path is None or not path.is_file():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        line = 2
        try:
            for row in reader:
                if None in row:  # more fields than the header names
                    message = (
                        f"this row has {len(row) - 1 + len(row[None]):,} fields but the "
                        f"header names {len(row) - 1:,}: a comma too many, or a quote missing?"
                    )
                    raise DataError([Problem(str(path), line, None, "", message)])
                yield line, {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                line = reader.line_num + 1
        except csv.Error as exc:
            message = f"bad CSV: {shorten(str(exc), 200)}"
            raise DataError([Problem(str(path), line, None, "", message)]) from None
        except UnicodeDecodeError as exc:
            message = f"not UTF-8 text ({exc.reason}); save the table as UTF-8 CSV"
            raise DataError([Problem(str(path), line, None, "", message)]) from None


def _resources(package: Path) -> dict[str, str]:
    try:
        data = read_regular_file(package, str(package), MAX_PACKAGE_BYTES)
        meta = loads_strict(data.decode("utf-8-sig"))
    except ValueError as exc:
        message = f"cannot read: {shorten(str(exc), 200)}"
        raise DataError([Problem(str(package), None, None, "", message)]) from None
    out: dict[str, str] = {}
    for resource in meta.get("resources", []) if isinstance(meta, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("path"), str):
            out[str(resource.get("name"))] = resource["path"]
    return out


#: ``rows(name, default) -> (line, row)`` of the table a data package names ``name``.
_Rows = Callable[[str, str], Iterator[tuple[int, dict[str, str]]]]
_Grouped = dict[str, list[dict[str, Any]]]


def _finder(package: Path) -> Callable[[str, str], Path | None]:
    """Where the package's tables are, never outside its folder.

    As ``datapackage.json`` says, beside it, or in ``data/`` beside it (where exporters
    such as Open211's put them).
    """
    resources = _resources(package)
    folder = package.parent
    top = os.path.realpath(folder)

    def find(name: str, default: str) -> Path | None:
        declared = resources.get(name, default)
        for candidate in (declared, f"data/{Path(declared).name}", default, f"data/{default}"):
            path = folder / candidate
            if not is_inside(os.path.realpath(path), top):
                message = (
                    f"the {shorten(name, 40)!r} table's path {shorten(candidate, 80)!r} "
                    "leads outside the package folder: refused (tables must be inside it)"
                )
                raise DataError([Problem(str(package), None, None, "resources", message)])
            if path.is_file():
                return path
        return None

    return find


@attrs.frozen
class _Joined:
    """The package's other tables, by the id of the service, location or owner they join."""

    organizations: dict[str, dict[str, str]]
    locations: dict[str, dict[str, Any]]
    phones: dict[tuple[str, str], list[dict[str, Any]]]
    schedules: _Grouped
    hours_text: dict[str, list[str]]
    languages: _Grouped
    eligibility: dict[str, list[str]]
    terms: dict[str, list[str]]
    at: dict[str, list[str]]


def _locations(rows: _Rows) -> dict[str, dict[str, Any]]:
    """Each location by id, with its addresses and accessibility.

    Its phones and schedules are added where a service names it (:func:`_location`).
    """
    locations = {r["id"]: dict(r) for _, r in rows("location", "locations.csv") if r.get("id")}
    addresses: _Grouped = defaultdict(list)
    for _, r in rows("physical_address", "physical_addresses.csv"):
        addresses[r.get("location_id", "")].append({**r, "address_type": "physical"})
    accessibility: _Grouped = defaultdict(list)
    for _, r in rows("accessibility_for_disabilities", "accessibility_for_disabilities.csv"):
        if r.get("accessibility") or r.get("details"):
            accessibility[r.get("location_id", "")].append(
                {"description": r.get("accessibility", ""), "details": r.get("details", "")}
            )
    return {
        lid: {**raw, "addresses": addresses.get(lid, []),
              "accessibility": accessibility.get(lid, [])}
        for lid, raw in locations.items()
    }


def _contact_and_hours(
    rows: _Rows,
) -> tuple[dict[tuple[str, str], list[dict[str, Any]]], _Grouped, dict[str, list[str]]]:
    """Phones by ``(owner column, owner id)``; schedule rows and hours notes by owner id."""
    phones: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for _, r in rows("phone", "phones.csv"):
        phone = {"number": r.get("number", ""), "description": r.get("description", ""),
                 "type": r.get("type", "")}
        for owner in ("service_id", "location_id", "organization_id"):
            if r.get(owner):
                phones[(owner, r[owner])].append(phone)
                break
    schedules: _Grouped = defaultdict(list)
    hours_text: dict[str, list[str]] = defaultdict(list)
    for _, r in rows("regular_schedule", "regular_schedules.csv"):
        owner = r.get("service_id") or r.get("location_id") or ""
        schedules[owner].append(r)
        text = r.get("original_text", "")
        if text and text not in hours_text[owner]:
            hours_text[owner].append(text)
    return phones, schedules, hours_text


def _join(rows: _Rows) -> _Joined:
    """Every table but the services, indexed for joining.

    Rows are joined by id: a table without an id column joins nothing (never a
    ``KeyError``). Tables are read in the order of the HSDS 1.1 data package.
    """
    organizations = {
        r["id"]: r for _, r in rows("organization", "organizations.csv") if r.get("id")
    }
    locations = _locations(rows)
    phones, schedules, hours_text = _contact_and_hours(rows)
    languages: _Grouped = defaultdict(list)
    for _, r in rows("language", "languages.csv"):
        owner = r.get("service_id") or r.get("location_id") or ""
        languages[owner].append({"name": r.get("language", "")})
    eligibility: dict[str, list[str]] = defaultdict(list)
    for _, r in rows("eligibility", "eligibility.csv"):
        if r.get("service_id") and r.get("eligibility"):
            eligibility[r["service_id"]].append(r["eligibility"])
    term_names = {
        r["id"]: r.get("name", "") for _, r in rows("taxonomy", "taxonomy.csv") if r.get("id")
    }
    terms: dict[str, list[str]] = defaultdict(list)
    for _, r in rows("service_taxonomy", "services_taxonomy.csv"):
        name = term_names.get(r.get("taxonomy_id", ""), "")
        if name:
            terms[r.get("service_id", "")].append(name)
    at: dict[str, list[str]] = defaultdict(list)
    for _, r in rows("service_at_location", "services_at_location.csv"):
        if r.get("service_id") and r.get("location_id"):
            at[r["service_id"]].append(r["location_id"])
    return _Joined(organizations, locations, phones, schedules, hours_text, languages,
                   eligibility, terms, at)


def _location(joined: _Joined, location_id: str) -> dict[str, Any] | None:
    """A location in HSDS 3 shape with its phones and schedules, or ``None`` if unknown."""
    raw = joined.locations.get(location_id)
    if raw is None:
        return None
    return {
        **raw,
        "phones": joined.phones.get(("location_id", location_id), []),
        "schedules": joined.schedules.get(location_id, []),
    }


def _record(row: dict[str, str], line: int, joined: _Joined, display: str) -> ServiceRecord:
    """One ``services.csv`` row joined with its organization, locations and details."""
    service_id = row.get("id", "")
    service: dict[str, Any] = {
        **row,
        "phones": joined.phones.get(("service_id", service_id), []),
        "schedules": joined.schedules.get(service_id, []),
        "languages": joined.languages.get(service_id, []),
        "eligibility_description": "\n".join(joined.eligibility.get(service_id, [])),
    }
    organization: dict[str, Any] | None = None
    org = joined.organizations.get(row.get("organization_id", ""))
    if org is not None:
        phones = joined.phones.get(("organization_id", org.get("id", "")), [])
        organization = {**org, "website": org.get("url", ""), "phones": phones}
    found = [loc for lid in joined.at.get(service_id, [])
             if (loc := _location(joined, lid)) is not None]
    return ServiceRecord(
        service=service,
        organization=organization,
        locations=tuple(found),
        path=display,
        line=line,
        terms=tuple(joined.terms.get(service_id, [])),
        hours_text=tuple(joined.hours_text.get(service_id, [])),
    )


def read_datapackage(package: Path) -> list[ServiceRecord]:
    """Join an HSDS 1.x data package's tables into one record per service.

    Tables are found where ``datapackage.json`` says, or beside it, or in a ``data``
    folder beside it (where exporters such as Open211's put them).

    Raises:
        DataError: the package has no ``services`` table, or a CSV cannot be parsed.
    """
    find = _finder(package)
    services_path = find("service", "services.csv")
    if services_path is None:
        if find("service", "service.csv") is not None:
            msg = "an HSDS 3 tabular package: import its JSON form instead"
        else:
            msg = "no services table: is this an HSDS data package?"
        raise DataError([Problem(str(package), None, None, "", msg)])

    def rows(name: str, default: str) -> Iterator[tuple[int, dict[str, str]]]:
        return _table(find(name, default))

    joined = _join(rows)
    display = str(services_path)
    return [_record(row, line, joined, display) for line, row in rows("service", "services.csv")]
