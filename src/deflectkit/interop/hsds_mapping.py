"""One HSDS service at one location → one provider mapping (a :class:`Candidate`).

HSDS's own fields map directly; deflectkit's fields come from the ``deflectkit`` taxonomy
attributes when present (see :mod:`deflectkit.interop.hsds_words`). Whatever cannot be
carried over (a non-US address, a phone that is not a US number, unreadable hours) is a
warning naming the record, and the provider is still imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeGuard

from deflectkit.core.hours import HoursError, parse_hours
from deflectkit.errors import Problem
from deflectkit.interop.hsds_hours import days_from_rows, read_free_text, shorthand_from_days
from deflectkit.interop.hsds_tabular import ServiceRecord
from deflectkit.interop.hsds_words import (
    clean_text,
    our_attributes,
    parse_date,
    vocabulary_words,
)
from deflectkit.interop.records import Candidate, normalise_phone, normalise_website, us_timezone

__all__ = ["SOURCE_NAME", "to_candidate"]

SOURCE_NAME: Final = "Open Referral HSDS"


def to_candidate(
    record: ServiceRecord,
    location: Mapping[str, Any] | None,
    several: bool,
    problems: list[Problem],
) -> Candidate | None:
    """The provider for ``record`` delivered at ``location``, or ``None`` if it cannot be.

    Args:
        record: the service and what it needs.
        location: one of its locations (``None`` when it has none).
        several: the service has several locations, so the name gets the place added.
        problems: warnings (and the error for a record without a name) are appended here.
    """
    service, org = record.service, record.organization or {}
    label = clean_text(service.get("name")) or "(no name)"
    where = f"{record.where} ({label})" if record.where else label

    def warn(message: str) -> None:
        problems.append(Problem(record.path, record.line, None, where, message, "warning"))

    name = clean_text(service.get("name")) or clean_text(org.get("name"))
    if not name:
        problems.append(Problem(record.path, record.line, None, where,
                                "no service or organization name; not imported"))
        return None
    status = clean_text(service.get("status")).lower()
    if status in {"inactive", "defunct"}:
        warn(f"status is {status!r}; not imported")
        return None
    if several and location is not None:
        place = clean_text(location.get("name")) or _city(location)
        if place and place.casefold() != name.casefold():
            name = f"{name} — {place}"
    ours = our_attributes(service, warn)
    mapping: dict[str, Any] = {
        "name": name,
        **_about(service, org, ours),
        **_contacts(service, org, location, warn),
        "location": _location(location, ours.get("timezone"), warn),
        **_care(record, location, ours, warn),
        "source": _provenance(service, location, ours),
    }
    mapping = {k: v for k, v in mapping.items() if v not in (None, [], {})}
    if isinstance(ours.get("slug"), str):
        mapping["_slug"] = ours["slug"]  # taken out again by read_hsds
    street = _street(location)
    key = str((mapping.get("source") or {}).get("id") or _source_id(service, location) or name)
    return Candidate(
        key, name, _city(location), street, mapping,
        record.line, record.path, where,
    )


def _about(
    service: Mapping[str, Any], org: Mapping[str, Any], ours: Mapping[str, Any]
) -> dict[str, Any]:
    """Organization, description(s), the sample flag and the date the record was assured."""
    about: dict[str, Any] = {}
    org_name = clean_text(org.get("name"))
    if org_name and org_name.casefold() != clean_text(service.get("name")).casefold():
        about["organization"] = org_name
    # The organization's description is about the organization, not this service: unused.
    description = clean_text(service.get("description"))
    if description and description != org_name:
        about["description"] = description
    if isinstance(ours.get("description_es"), str):
        about["description_es"] = ours["description_es"]
    about["sample"] = ours.get("sample") is True
    about["verified"] = parse_date(service.get("assured_date"))
    return about


def _contacts(
    service: Mapping[str, Any], org: Mapping[str, Any], location: Mapping[str, Any] | None,
    warn: Callable[[str], None],
) -> dict[str, Any]:
    """Phones, website and e-mail, the service's own before its organization's."""
    contacts: dict[str, Any] = {"phones": _phones(service, location, org, warn)}
    website = clean_text(service.get("url")) or clean_text(org.get("website"))
    if website:
        link = normalise_website(website)
        if link is None:
            warn(f"website {website!r} is not an http(s) link; left out")
        contacts["website"] = link
    email = clean_text(service.get("email")) or clean_text(org.get("email"))
    if email and re.fullmatch(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+", email):
        contacts["email"] = email
    elif email:
        warn(f"e-mail {email!r} is not an address; left out")
    return contacts


def _care(
    record: ServiceRecord, location: Mapping[str, Any] | None, ours: Mapping[str, Any],
    warn: Callable[[str], None],
) -> dict[str, Any]:
    """Hours, intake, the vocabulary words, OTP and mental-health flags, and ages."""
    service = record.service
    care: dict[str, Any] = {"hours": ours.get("hours") or _hours(record, location, warn)}
    intake = ours.get("intake") or {}
    process = clean_text(service.get("application_process"))
    if process and "instructions" not in intake and not ours:
        intake["instructions"] = process
    care["intake"] = intake
    words = vocabulary_words(record, location, ours, warn)
    care.update(words)
    for flag in ("otp", "mental_health"):
        if ours.get(flag) is True:
            care[flag] = True
    if "mental_health" not in care and "mental_health_care" in words.get("services", []):
        care["mental_health"] = True
    care["ages"] = {k: int(v) for k, v in (("min", service.get("minimum_age")),
                                           ("max", service.get("maximum_age"))) if _is_age(v)}
    return care


def _provenance(
    service: Mapping[str, Any], location: Mapping[str, Any] | None, ours: Mapping[str, Any]
) -> dict[str, Any] | None:
    """Where the record came from, its ids letting a re-import find the file again.

    A deflectkit export carries the provider's own provenance (or none).
    """
    source = ours.get("source") if ours else {
        "name": SOURCE_NAME,
        "id": _source_id(service, location),
        "date": parse_date(str(service.get("last_modified") or "")[:10]),
    }
    if isinstance(source, dict):
        return {k: v for k, v in source.items() if v not in (None, "")}
    return None


def _source_id(service: Mapping[str, Any], location: Mapping[str, Any] | None) -> str:
    sid = clean_text(service.get("id"))
    lid = clean_text(location.get("id")) if location else ""
    return f"{sid}@{lid}" if lid and lid != sid else sid


def _is_age(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 130


def _city(location: Mapping[str, Any] | None) -> str:
    address = _address(location)
    return clean_text(address.get("city")) if address else ""


def _street(location: Mapping[str, Any] | None) -> str:
    address = _address(location)
    return clean_text(address.get("address_1")) if address else ""


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
        country = clean_text(address.get("country")).upper()
        state = clean_text(address.get("state_province")).upper()
        postal = clean_text(address.get("postal_code"))
        city = clean_text(address.get("city"))
        if not (city or state or postal or clean_text(address.get("address_1"))):
            warn("address is empty; left out")
        elif country not in {"", "US", "USA"}:
            warn(f"address is in {country!r}; deflectkit holds US addresses only, left out")
        elif not re.fullmatch(r"[A-Z]{2}", state) or not re.fullmatch(r"\d{5}(-\d{4})?", postal):
            warn(f"address {city}, {state} {postal} has no US state code or ZIP; left out")
        elif not city:
            warn("address has no city; left out")
        else:
            lines = (clean_text(address.get("address_1")), clean_text(address.get("address_2")))
            street = ", ".join(s for s in lines if s)
            out["address"] = {
                k: v for k, v in (("street", street), ("city", city), ("state", state),
                                  ("postal_code", postal[:5]),
                                  ("county", clean_text(address.get("region"))))
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
        raw = clean_text(phone.get("number"))
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
        label = clean_text(phone.get("description"))
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
            {clean_text(r.get("description")) for r in rows if clean_text(r.get("description"))}
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
