"""Import Open Referral HSDS: 3.0 JSON documents and 1.x tabular data packages.

Accepted input (``read_hsds(path)``):

* an HSDS 3.0 JSON file holding an organization (with ``services`` and ``locations``), a
  service (with ``service_at_locations``), a service-at-location, a list of any of these,
  or an API page (``{"contents": [...]}``), such as ``deflectkit export hsds`` writes;
* a folder of such JSON files;
* an HSDS 1.x tabular data package (``datapackage.json`` and its CSV tables), or the
  folder holding it.

Each service delivered at a location becomes one provider (a service at several locations
becomes one provider per location). What HSDS holds maps directly: names, description,
phones, website, e-mail, address, coordinates, ages, ``assured_date`` → ``verified``,
``application_process`` → intake instructions, languages, schedules → hours. deflectkit's
own fields come back from the attributes of the ``deflectkit`` taxonomy
(:mod:`deflectkit.interop.hsds_taxonomy`), so an export re-imports to the same providers.
Other systems' taxonomy terms (a 211's AIRS terms) are read by keyword, best effort.
Whatever cannot be carried over (a non-US phone, a schedule in free text that cannot be
read) is reported as a warning naming the record; the provider is still imported.
"""


from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from deflectkit.errors import DataError, Problem, shorten
from deflectkit.files.yamlio import confined_link_problem, read_regular_file
from deflectkit.interop.hsds_mapping import SOURCE_NAME, to_candidate
from deflectkit.interop.hsds_tabular import ServiceRecord, loads_strict, read_datapackage
from deflectkit.interop.hsds_taxonomy import is_deflectkit_term
from deflectkit.interop.records import Candidate, ImportResult, assign_slugs

__all__ = ["DEFAULT_TIMEZONE", "MAX_JSON_BYTES", "OWNED_KEYS", "SOURCE_NAME", "read_hsds"]

#: Keys an HSDS import is responsible for; ``--update`` keeps any other key a person added.
OWNED_KEYS: Final = frozenset({
    "name", "organization", "description", "description_es", "sample", "verified", "phones",
    "website", "email", "location", "hours", "services", "medications", "otp", "substances",
    "mental_health", "ages", "payment", "languages", "accessibility", "populations", "source",
})

#: Largest JSON document read (a whole 211 directory is a few tens of megabytes).
MAX_JSON_BYTES: Final = 200_000_000


def read_hsds(
    path: str | Path,
    *,
    existing: Mapping[str, str] | None = None,
    reserved: Collection[str] = (),
    progress: Callable[[int], None] | None = None,
    taken_sources: Mapping[str, Any] | None = None,
) -> ImportResult:
    """Read HSDS data (3.0 JSON or a 1.x data package) into provider mappings by slug.

    Args:
        path: a JSON file, a folder of JSON files, a ``datapackage.json``, or its folder.
        existing: ``source.id -> slug`` of files already imported, to keep their names.
        reserved: slugs of other files in the folder, never given to a new provider.
        progress: called with the number of services read so far.
        taken_sources: ``slug -> source`` (``None`` when it has none) of every file already
            in the folder, so that an export can come back to the files it came from.

    Raises:
        DataError: the input cannot be read or is not HSDS at all.

    Example:
        >>> import json, pathlib, tempfile
        >>> doc = {"id": "o1", "name": "Example Org", "description": "x", "services": [
        ...     {"id": "s1", "name": "Example Clinic", "status": "active",
        ...      "minimum_age": 18, "schedules": [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
        ...      "opens_at": "09:00", "closes_at": "17:00"}]}]}
        >>> file = pathlib.Path(tempfile.mkdtemp()) / "org.json"
        >>> _ = file.write_text(json.dumps(doc))
        >>> provider = read_hsds(file).providers["example-clinic"]
        >>> provider["hours"], provider["ages"], provider["organization"]
        ({'mon-fri': '09:00-17:00'}, {'min': 18}, 'Example Org')
    """
    base = Path(path)
    problems: list[Problem] = []
    records = list(_records(base, problems))
    candidates: list[Candidate] = []
    preferred: dict[str, tuple[str, Any]] = {}
    for count, record in enumerate(records, start=1):
        if progress is not None:
            progress(count)
        locations: list[Mapping[str, Any] | None] = list(record.locations) or [None]
        for location in locations:
            candidate = to_candidate(record, location, len(locations) > 1, problems)
            if candidate is not None:
                slug = candidate.mapping.pop("_slug", None)
                if isinstance(slug, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
                    wish = (slug, candidate.mapping.get("source"))
                    preferred.setdefault(candidate.source_id, wish)
                candidates.append(candidate)
    _fill_timezones(candidates, problems)
    known = dict(existing or {})
    taken = set(reserved) | set(known.values())
    for source_id, (slug, source) in preferred.items():
        if source_id not in known and _may_take(slug, source, taken, taken_sources):
            known[source_id] = slug
            taken.add(slug)
    slugs = assign_slugs(candidates, known, reserved)
    return ImportResult(
        providers={slug: c.mapping for slug, c in slugs.items()},
        problems=tuple(problems),
        records=len(records),
        skipped=sum(1 for p in problems if p.is_error),
        lines={slug: c.line for slug, c in slugs.items()},
    )


def _may_take(
    slug: str, source: Any, taken: Collection[str], taken_sources: Mapping[str, Any] | None
) -> bool:
    """Whether a feed's own ``field:slug`` may name its provider's file.

    The slug is only a wish: it is granted when no file has it, or when the file that has
    it holds the same ``source`` as the record (none for both, for a hand-written
    provider): an export coming back to the folder it came from finds its files unchanged
    instead of writing duplicates. Whatever slug a record gets, the writer rewrites only a
    file of the same source and record, so a feed naming someone else's file can at most be
    reported as differing from it, never write it.
    """
    if slug not in taken:
        return True
    return taken_sources is not None and slug in taken_sources and taken_sources[slug] == source


#: Used only when nothing in an import tells the time zone (no US address anywhere).
DEFAULT_TIMEZONE: Final = "America/New_York"


def _fill_timezones(candidates: list[Candidate], problems: list[Problem]) -> None:
    """Give providers without a US address the zone most other providers in the import have.

    A 211 lists one region; a crisis line without an address is in the same zone as the
    rest. The guess is reported, once per provider, so a person can check it.
    """
    zones = Counter(
        c.mapping["location"]["timezone"] for c in candidates
        if "timezone" in c.mapping.get("location", {})
    )
    usual = zones.most_common(1)[0][0] if zones else DEFAULT_TIMEZONE
    for c in candidates:
        location = c.mapping.setdefault("location", {})
        if "timezone" not in location:
            location["timezone"] = usual
            problems.append(Problem(
                c.path, c.line, None, c.where or c.name,
                f"no US address to tell the time zone from; used {usual} — check it",
                "warning",
            ))


# --- reading ------------------------------------------------------------------------------


def _records(base: Path, problems: list[Problem]) -> Iterator[ServiceRecord]:
    if not base.exists():
        raise DataError([Problem(str(base), None, None, "", "no such file or folder")])
    if base.is_dir():
        package = base / "datapackage.json"
        if package.is_file():
            yield from read_datapackage(package)
            return
        files = sorted(base.glob("*.json"))
        if not files:
            msg = "no datapackage.json and no *.json files: nothing to import"
            raise DataError([Problem(str(base), None, None, "", msg)])
        for file in files:
            try:  # (a link leading out of the folder is refused by _load_json)
                yield from _json_records(file)
            except DataError as exc:  # in a folder, one odd file does not stop the rest
                problems.extend(attrs.evolve(p, severity="warning") for p in exc.problems)
        return
    if base.name == "datapackage.json":
        yield from read_datapackage(base)
        return
    yield from _json_records(base)


#: Deepest nesting of lists and objects read. HSDS 3 nests about eight levels (a page of
#: organizations, their services, their locations, addresses …).
MAX_JSON_DEPTH: Final = 64


def _json_records(file: Path) -> Iterator[ServiceRecord]:
    name = str(file)
    data = _load_json(file, name)
    found = list(_walk(data, name, ""))
    if not found and not _is_empty_page(data):
        msg = (
            "no services in this JSON, so nothing to import (organizations without "
            "services, locations and taxonomies alone do not make providers)"
        )
        raise DataError([Problem(name, None, None, "", msg)])
    yield from found


def _load_json(file: Path, name: str) -> Any:
    """The JSON value in ``file``: strict JSON (no NaN), bounded in size and depth."""
    link = confined_link_problem(file)
    if link is not None:
        raise DataError([link])
    raw = read_regular_file(file, name, MAX_JSON_BYTES)
    try:
        data = loads_strict(raw.decode("utf-8-sig"))
    except ValueError as exc:  # bad JSON, bad UTF-8, a 5,000-digit number
        line = getattr(exc, "lineno", None)
        message = f"not valid JSON: {shorten(str(exc), 200)}"
        raise DataError([Problem(name, line, None, "", message)]) from None
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise DataError([Problem(name, None, None, "", _too_deep())])
    return data


def _too_deep() -> str:
    return f"lists and objects are nested more than {MAX_JSON_DEPTH} levels deep: not HSDS"


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether lists and objects nest deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _is_empty_page(data: Any) -> bool:
    return isinstance(data, dict) and data.get("contents") == []


def _walk(data: Any, name: str, where: str) -> Iterator[ServiceRecord]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _walk(item, name, f"{where}[{i}]")
        return
    if not isinstance(data, dict):
        return
    if isinstance(data.get("contents"), list):
        yield from _walk(data["contents"], name, f"{where}contents")
    elif isinstance(data.get("services"), list):  # an organization
        yield from _organization(data, name, where)
    elif "service" in data and isinstance(data.get("service"), dict):  # a service_at_location
        service = dict(data["service"])
        location = _with_sal(data.get("location") or {}, data)
        yield _service_record(service, service.get("organization"), [location], name, where)
    elif "status" in data or "service_at_locations" in data:  # a service
        yield _service_record(data, data.get("organization"), None, name, where)


def _with_sal(location: Mapping[str, Any], sal: Mapping[str, Any]) -> dict[str, Any]:
    """A location with its service-at-location phones and schedules (which take priority)."""
    out = dict(location)
    out["_sal_phones"] = list(sal.get("phones") or [])
    out["_sal_schedules"] = list(sal.get("schedules") or [])
    out["_sal_id"] = sal.get("id")
    return out


def _organization(org: Mapping[str, Any], name: str, where: str) -> Iterator[ServiceRecord]:
    org_locations = {
        loc.get("id"): loc for loc in org.get("locations") or [] if isinstance(loc, dict)
    }
    for i, service in enumerate(org.get("services") or []):
        if not isinstance(service, dict):
            continue
        sals = [s for s in service.get("service_at_locations") or [] if isinstance(s, dict)]
        locations = [
            _with_sal(s.get("location") or org_locations.get(s.get("location_id")) or {}, s)
            for s in sals
        ]
        if not sals and len(org_locations) == 1:
            locations = [dict(next(iter(org_locations.values())))]
        yield _service_record(service, org, locations, name, f"{where}services[{i}]")


def _service_record(
    service: Mapping[str, Any],
    org: Any,
    locations: list[dict[str, Any]] | None,
    name: str,
    where: str,
) -> ServiceRecord:
    if locations is None:
        locations = [
            _with_sal(s.get("location") or {}, s)
            for s in service.get("service_at_locations") or []
            if isinstance(s, dict)
        ]
    terms = tuple(
        str(term.get("name"))
        for a in service.get("attributes") or []
        if isinstance(a, dict)
        and isinstance(term := a.get("taxonomy_term"), dict)
        and not is_deflectkit_term(term)
        and term.get("name")
    )
    return ServiceRecord(
        service=service,
        organization=org if isinstance(org, dict) else None,
        locations=tuple(loc for loc in locations if loc),
        path=name,
        where=where.lstrip("."),
        terms=terms,
    )
