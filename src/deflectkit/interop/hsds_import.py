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

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Final, TypeGuard

import attrs

from deflectkit.core.hours import HoursError, parse_hours
from deflectkit.errors import DataError, Problem
from deflectkit.interop.hsds_hours import days_from_rows, read_free_text, shorthand_from_days
from deflectkit.interop.hsds_tabular import ServiceRecord, read_datapackage
from deflectkit.interop.hsds_taxonomy import FIELDS, TAXONOMY_NAME, VOCABULARIES
from deflectkit.interop.records import (
    Candidate,
    ImportResult,
    assign_slugs,
    normalise_phone,
    normalise_website,
    us_timezone,
)
from deflectkit.vocabulary import ACCESSIBILITY, LANGUAGES, Vocabulary

__all__ = ["OWNED_KEYS", "SOURCE_NAME", "read_hsds"]

SOURCE_NAME: Final = "Open Referral HSDS"

#: Keys an HSDS import is responsible for; ``--update`` keeps any other key a person added.
OWNED_KEYS: Final = frozenset({
    "name", "organization", "description", "sample", "verified", "phones", "website", "email",
    "location", "hours", "services", "medications", "otp", "substances", "mental_health",
    "ages", "payment", "languages", "accessibility", "populations", "source",
})

#: Largest JSON document read (a whole 211 directory is a few tens of megabytes).
MAX_JSON_BYTES: Final = 200_000_000

# Other taxonomies' term names (e.g. a 211's AIRS terms), read by keyword: (pattern, field,
# word). Best effort; deflectkit's own taxonomy is exact and always wins.
_TERM_KEYWORDS: Final = tuple(
    (re.compile(pattern, re.IGNORECASE), field, word)
    for pattern, field, word in (
        (r"detox", "services", "withdrawal_management"),
        (r"residential .*(drug|alcohol|substance).*treatment", "services", "residential"),
        (r"inpatient (drug|alcohol|substance)|psychiatric inpatient", "services", "inpatient"),
        (r"outpatient .*(drug|alcohol|substance)|(drug|alcohol|substance) use disorder "
         r"counseling", "services", "outpatient"),
        (r"(drug|alcohol|substance) use disorder day treatment|psychiatric day treatment",
         "services", "partial_hospitalization"),
        (r"methadone|medication assisted|opioid treatment program", "services", "medications"),
        (r"mobile crisis", "services", "mobile_crisis"),
        (r"crisis stabilization|crisis receiving", "services", "crisis_stabilization"),
        (r"mental health|psychiatr", "services", "mental_health_care"),
        (r"harm reduction", "services", "harm_reduction"),
        (r"needle|syringe", "services", "syringe_services"),
        (r"naloxone|narcan", "services", "naloxone_distribution"),
        (r"peer support|recovery coach", "services", "peer_support"),
        (r"case management|care coordination", "services", "case_management"),
        (r"sober living|recovery home|halfway house", "services", "recovery_housing"),
        (r"homeless shelter|transitional housing|supportive housing|rapid re-?housing",
         "services", "housing_assistance"),
        (r"opioid|heroin", "substances", "opioids"),
        (r"alcohol", "substances", "alcohol"),
        (r"cocaine|methamphetamine|stimulant", "substances", "stimulants"),
        (r"marijuana|cannabis", "substances", "cannabis"),
        (r"veteran", "populations", "veterans"),
        (r"pregnant", "populations", "pregnant_postpartum"),
        (r"lgbt|gay/lesbian", "populations", "lgbtq"),
        (r"homeless", "populations", "unhoused"),
        (r"ex-offender|reentry|re-entry", "populations", "justice_involved"),
    )
)
_ACCESSIBILITY_KEYWORDS: Final = tuple(
    (re.compile(pattern, re.IGNORECASE), word)
    for pattern, word in (
        (r"wheelchair|handicap(ped)? access|accessible entrance|ramp", "wheelchair"),
        (r"restroom|toilet", "accessible_restroom"),
        (r"parking", "accessible_parking"),
        (r"elevator|lift\b", "elevator"),
        (r"sign language|\basl\b|deaf", "sign_language"),
        (r"hearing loop|induction loop", "hearing_loop"),
        (r"braille|large print", "braille"),
        (r"service (animal|dog)", "service_animals"),
    )
)
# Language names 211s write, beyond our vocabulary's labels ("Creole" in Miami is Haitian).
_LANGUAGE_NAMES: Final = {
    **{t.label.lower(): t.word for t in LANGUAGES},
    "creole": "ht", "haitian": "ht", "farsi": "fa", "mandarin": "zh", "cantonese": "zh",
    "tagalog": "tl", "filipino": "tl",
}


def read_hsds(
    path: str | Path,
    *,
    existing: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read HSDS data (3.0 JSON or a 1.x data package) into provider mappings by slug.

    Args:
        path: a JSON file, a folder of JSON files, a ``datapackage.json``, or its folder.
        existing: ``source.id -> slug`` of files already imported, to keep their names.
        progress: called with the number of services read so far.

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
    preferred: dict[str, str] = {}
    for count, record in enumerate(records, start=1):
        if progress is not None:
            progress(count)
        locations: list[Mapping[str, Any] | None] = list(record.locations) or [None]
        for location in locations:
            candidate = _candidate(record, location, len(locations) > 1, problems)
            if candidate is not None:
                slug = candidate.mapping.pop("_slug", None)
                if isinstance(slug, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
                    preferred.setdefault(candidate.source_id, slug)
                candidates.append(candidate)
    _fill_timezones(candidates, problems)
    slugs = assign_slugs(candidates, {**preferred, **(existing or {})})
    return ImportResult(
        providers={slug: c.mapping for slug, c in slugs.items()},
        problems=tuple(problems),
        records=len(records),
        skipped=sum(1 for p in problems if p.is_error),
        lines={slug: c.line for slug, c in slugs.items()},
    )


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
            try:
                yield from _json_records(file)
            except DataError as exc:  # in a folder, one odd file does not stop the rest
                problems.extend(attrs.evolve(p, severity="warning") for p in exc.problems)
        return
    if base.name == "datapackage.json":
        yield from read_datapackage(base)
        return
    yield from _json_records(base)


def _json_records(file: Path) -> Iterator[ServiceRecord]:
    name = str(file)
    try:
        if file.stat().st_size > MAX_JSON_BYTES:
            raise DataError([Problem(name, None, None, "", "file too large to import")])
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise DataError([Problem(name, None, None, "", f"cannot read: {exc.strerror}")]) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise DataError([Problem(name, line, None, "", f"not valid JSON: {exc}")]) from None
    found = list(_walk(data, name, ""))
    if not found and not _is_empty_page(data):
        msg = (
            "no services in this JSON, so nothing to import (organizations without "
            "services, locations and taxonomies alone do not make providers)"
        )
        raise DataError([Problem(name, None, None, "", msg)])
    yield from found


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
        and not _is_ours(term)
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


def _is_ours(term: Mapping[str, Any]) -> bool:
    detail = term.get("taxonomy_detail")
    return term.get("taxonomy") == TAXONOMY_NAME or (
        isinstance(detail, dict) and detail.get("name") == TAXONOMY_NAME
    )


# --- mapping -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """Clean text: 211 exports carry literal backslash-n for line breaks."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = str(value).replace("\\n", "\n").replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def _candidate(
    record: ServiceRecord,
    location: Mapping[str, Any] | None,
    several: bool,
    problems: list[Problem],
) -> Candidate | None:
    service, org = record.service, record.organization or {}
    label = _text(service.get("name")) or "(no name)"
    where = f"{record.where} ({label})" if record.where else label

    def warn(message: str) -> None:
        problems.append(Problem(record.path, record.line, None, where, message, "warning"))

    name = _text(service.get("name")) or _text(org.get("name"))
    if not name:
        problems.append(Problem(record.path, record.line, None, where,
                                "no service or organization name; not imported"))
        return None
    status = _text(service.get("status")).lower()
    if status in {"inactive", "defunct"}:
        warn(f"status is {status!r}; not imported")
        return None
    if several and location is not None:
        place = _text(location.get("name")) or _city(location)
        if place and place.casefold() != name.casefold():
            name = f"{name} — {place}"
    ours = _our_attributes(service, warn)
    mapping: dict[str, Any] = {"name": name}
    org_name = _text(org.get("name"))
    if org_name and org_name.casefold() != _text(service.get("name")).casefold():
        mapping["organization"] = org_name
    # The organization's description is about the organization, not this service: unused.
    description = _text(service.get("description"))
    if description and description != org_name:
        mapping["description"] = description
    mapping["sample"] = ours.get("sample") is True
    verified = _date(service.get("assured_date"))
    if verified is not None:
        mapping["verified"] = verified
    mapping["phones"] = _phones(service, location, org, warn)
    website = _text(service.get("url")) or _text(org.get("website"))
    if website:
        link = normalise_website(website)
        if link is None:
            warn(f"website {website!r} is not an http(s) link; left out")
        else:
            mapping["website"] = link
    email = _text(service.get("email")) or _text(org.get("email"))
    if email and re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        mapping["email"] = email
    elif email:
        warn(f"e-mail {email!r} is not an address; left out")
    mapping["location"] = _location(location, ours.get("timezone"), warn)
    hours = ours.get("hours") or _hours(record, location, warn)
    if hours is not None:
        mapping["hours"] = hours
    intake = ours.get("intake") or {}
    process = _text(service.get("application_process"))
    if process and "instructions" not in intake and not ours:
        intake["instructions"] = process
    if intake:
        mapping["intake"] = intake
    words = _words(record, location, ours, warn)
    mapping.update(words)
    for flag in ("otp", "mental_health"):
        if ours.get(flag) is True:
            mapping[flag] = True
    if "mental_health" not in mapping and "mental_health_care" in words.get("services", []):
        mapping["mental_health"] = True
    ages = {k: int(v) for k, v in (("min", service.get("minimum_age")),
                                   ("max", service.get("maximum_age"))) if _is_age(v)}
    if ages:
        mapping["ages"] = ages
    # A deflectkit export carries the provider's own provenance (or none); anything else
    # records where it came from, and its ids let a re-import find the file again.
    source = ours.get("source") if ours else {
        "name": SOURCE_NAME,
        "id": _source_id(service, location),
        "date": _date(str(service.get("last_modified") or "")[:10]),
    }
    if isinstance(source, dict):
        mapping["source"] = {k: v for k, v in source.items() if v not in (None, "")}
    mapping = {k: v for k, v in mapping.items() if v not in (None, [], {})}
    if isinstance(ours.get("slug"), str):
        mapping["_slug"] = ours["slug"]  # taken out again by read_hsds
    street = _street(location)
    key = str((mapping.get("source") or {}).get("id") or _source_id(service, location) or name)
    return Candidate(
        key, name, _city(location), street, mapping,
        record.line, record.path, where,
    )


def _source_id(service: Mapping[str, Any], location: Mapping[str, Any] | None) -> str:
    sid = _text(service.get("id"))
    lid = _text(location.get("id")) if location else ""
    return f"{sid}@{lid}" if lid and lid != sid else sid


def _is_age(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 130


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _city(location: Mapping[str, Any] | None) -> str:
    address = _address(location)
    return _text(address.get("city")) if address else ""


def _street(location: Mapping[str, Any] | None) -> str:
    address = _address(location)
    return _text(address.get("address_1")) if address else ""


def _address(location: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not location:
        return None
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    physical = [a for a in addresses if a.get("address_type") in (None, "", "physical")]
    chosen = physical or addresses
    return chosen[0] if chosen else None


def _location(
    location: Mapping[str, Any] | None, zone: Any, warn: Callable[[str], None]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    address = _address(location)
    state = ""
    if address is not None:
        country = _text(address.get("country")).upper()
        state = _text(address.get("state_province")).upper()
        postal = _text(address.get("postal_code"))
        city = _text(address.get("city"))
        if not (city or state or postal or _text(address.get("address_1"))):
            warn("address is empty; left out")
        elif country not in {"", "US", "USA"}:
            warn(f"address is in {country!r}; deflectkit holds US addresses only, left out")
        elif not re.fullmatch(r"[A-Z]{2}", state) or not re.fullmatch(r"\d{5}(-\d{4})?", postal):
            warn(f"address {city}, {state} {postal} has no US state code or ZIP; left out")
        elif not city:
            warn("address has no city; left out")
        else:
            street = ", ".join(
                s for s in (_text(address.get("address_1")), _text(address.get("address_2"))) if s
            )
            out["address"] = {
                k: v for k, v in (("street", street), ("city", city), ("state", state),
                                  ("postal_code", postal[:5]),
                                  ("county", _text(address.get("region"))))
                if v
            }
    if location:
        lat, lon = location.get("latitude"), location.get("longitude")
        coordinates: tuple[float, float] | None
        try:
            coordinates = (float(lat), float(lon))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            coordinates = None
        if coordinates is not None:
            flat, flon = coordinates
            if -90 <= flat <= 90 and -180 <= flon <= 180 and (flat, flon) != (0, 0):
                out["coordinates"] = {"lat": round(flat, 6), "lon": round(flon, 6)}
            else:
                warn(f"coordinates {lat}, {lon} are not on Earth's map; left out")
    if isinstance(zone, str) and zone:
        out["timezone"] = zone
    else:
        found = us_timezone(out.get("address", {}).get("postal_code", ""), state)
        if found is not None:
            out["timezone"] = found  # else read_hsds fills in the import's usual zone
    return out


def _phones(
    service: Mapping[str, Any],
    location: Mapping[str, Any] | None,
    org: Mapping[str, Any],
    warn: Callable[[str], None],
) -> list[dict[str, str]]:
    sources: list[Any] = []
    if location:
        sources.extend(location.get("_sal_phones") or [])
    sources.extend(service.get("phones") or [])
    if location:
        sources.extend(location.get("phones") or [])
    if not sources:
        sources.extend(org.get("phones") or [])
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for phone in sources:
        if not isinstance(phone, dict):
            continue
        raw = _text(phone.get("number"))
        if not raw:
            continue
        number = normalise_phone(raw)
        if number is None:
            warn(f"phone {raw!r} is not a valid US number; left out")
            continue
        if number in seen:
            continue
        seen.add(number)
        entry = {"number": number}
        label = _text(phone.get("description"))
        if label and len(label) <= 80 and "\n" not in label:
            entry["label"] = label
        out.append(entry)
    return out


def _hours(
    record: ServiceRecord, location: Mapping[str, Any] | None, warn: Callable[[str], None]
) -> Any:
    """Structured schedules first (site-specific, then service, then location), else text."""
    candidates = [
        list(location.get("_sal_schedules") or []) if location else [],
        list(record.service.get("schedules") or []),
        list(location.get("schedules") or []) if location else [],
    ]
    for candidate in candidates:
        rows = [r for r in candidate if isinstance(r, dict)]
        if not rows:
            continue
        days, trouble = days_from_rows(rows)
        texts = list(record.hours_text) or sorted(
            {_text(r.get("description")) for r in rows if _text(r.get("description"))}
        )
        if trouble and texts:
            # The structured rows could not all be read: the text may say more.
            return _hours_from_text(texts, warn)
        for message in trouble:
            warn(f"hours: {message}")
        shorthand = shorthand_from_days(days)
        if shorthand is not None and _valid_hours(shorthand, warn):
            return shorthand
    if record.hours_text:
        return _hours_from_text(list(record.hours_text), warn)
    return None


def _hours_from_text(texts: list[str], warn: Callable[[str], None]) -> Any:
    result = read_free_text("\n".join(texts))
    for fragment in result.unread:
        warn(f"hours: could not read {fragment!r}; check the hours by hand")
    if result.shorthand is None:
        return None
    return result.shorthand if _valid_hours(result.shorthand, warn) else None


def _valid_hours(shorthand: Any, warn: Callable[[str], None]) -> bool:
    try:
        parse_hours(shorthand)
    except HoursError as exc:
        warn(f"hours: {exc}; left out")
        return False
    return True


def _our_attributes(service: Mapping[str, Any], warn: Callable[[str], None]) -> dict[str, Any]:
    """deflectkit-taxonomy attributes back into provider fields."""
    out: dict[str, Any] = {}
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict) or not _is_ours(term):
            continue
        code = str(term.get("code") or "")
        group, _, word = code.partition(":")
        value = attribute.get("value")
        if group in VOCABULARIES and word:
            out.setdefault(group, []).append(word)
        elif group == "field" and word in FIELDS:
            _set_field(out, word, value, warn)
    return out


def _set_field(out: dict[str, Any], name: str, value: Any, warn: Callable[[str], None]) -> None:
    text = value if isinstance(value, str) else ""
    parsed: Any = text
    try:
        if name in {"hours", "intake.hours", "source"}:
            parsed = json.loads(text)
            if name == "source" and isinstance(parsed, dict) and parsed.get("date"):
                parsed["date"] = _date(parsed["date"])
        elif name in {"otp", "mental_health", "sample", "intake.walk_in",
                      "intake.first_responder_dropoff"}:
            parsed = text.strip().lower() == "true"
        elif name == "intake.officer_minutes":
            parsed = int(text)
    except ValueError:
        warn(f"deflectkit attribute field:{name} has an unreadable value {text!r}; left out")
        return
    if name.startswith("intake."):
        out.setdefault("intake", {})[name.removeprefix("intake.")] = parsed
    else:
        out[name] = parsed


_LANGUAGE_NOTE: Final = re.compile(
    r"translat|interpret|availab|request|upon|line|other|bilingual|volunteer|staff|limited|"
    r"some|assist|call|provided|all\b|any\b|most\b",
    re.IGNORECASE,
)


def _language_words(text: str) -> tuple[list[str], list[str]]:
    """Language codes named in a 211 language note, and the parts that name none.

    "English and Spanish", "Spanish (limited)", "Haitian-Creole", "Creole translator
    provided" all name languages; "other languages available upon request" is a note and
    is passed over quietly. Sign language becomes the word ``sign_language``.
    """
    found: list[str] = []
    unknown: list[str] = []
    cleaned = re.sub(r"\(.*?\)", " ", text.replace("-", " ")).lower()
    for raw in re.split(r"[,;/.\n]|\band\b|\bor\b|&", cleaned):
        part = " ".join(raw.split())
        if not part:
            continue
        if "sign language" in part or part == "asl":
            found.append("sign_language")
        elif part in _LANGUAGE_NAMES:
            found.append(_LANGUAGE_NAMES[part])
        elif named := [c for n, c in _LANGUAGE_NAMES.items() if re.search(rf"\b{n}\b", part)]:
            found.extend(named)
        elif not _LANGUAGE_NOTE.search(part):
            unknown.append(part)
    return found, unknown


def _vocabulary_order(words: Iterable[str], vocabulary: Vocabulary | None) -> list[str]:
    unique = list(dict.fromkeys(words))
    if vocabulary is None:
        return unique
    return [w for w in vocabulary.words if w in unique]


def _words(
    record: ServiceRecord,
    location: Mapping[str, Any] | None,
    ours: Mapping[str, Any],
    warn: Callable[[str], None],
) -> dict[str, list[str]]:
    """Vocabulary lists: our attributes when present, else keywords and HSDS's own fields."""
    if any(group in ours for group in VOCABULARIES):
        # Our own export: the words come in the order the provider file had them.
        return {
            group: list(dict.fromkeys(ours[group])) for group in VOCABULARIES if ours.get(group)
        }
    found: dict[str, list[str]] = {}
    for term in record.terms:
        for pattern, field, word in _TERM_KEYWORDS:
            if pattern.search(term):
                found.setdefault(field, []).append(word)
    accessibility: list[str] = []
    for item in (location.get("accessibility") or []) if location else []:
        text = f"{_text(item.get('description'))} {_text(item.get('details'))}" \
            if isinstance(item, dict) else ""
        accessibility.extend(w for p, w in _ACCESSIBILITY_KEYWORDS if p.search(text))
    languages: list[str] = []
    unknown: list[str] = []
    entries = list(record.service.get("languages") or [])
    if location:
        entries.extend(location.get("languages") or [])
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        code = _text(entry.get("code")).lower()
        if code in LANGUAGES:
            languages.append(code)
            continue
        words, notes = _language_words(_text(entry.get("name")))
        for word in words:
            if word == "sign_language":
                accessibility.append(word)
            else:
                languages.append(word)
        unknown.extend(notes)
    if unknown:
        warn(f"languages: not a language name we know: {', '.join(sorted(set(unknown)))}")
    if accessibility:
        found["accessibility"] = accessibility
    if languages:
        found["languages"] = languages
    # Languages keep the source's order (the first is usually the main one).
    return {
        group: _vocabulary_order(
            words,
            None if group == "languages"
            else ACCESSIBILITY if group == "accessibility" else VOCABULARIES.get(group),
        )
        for group, words in found.items()
    }
