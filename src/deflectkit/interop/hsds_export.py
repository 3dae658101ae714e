"""Export a provider directory as Open Referral HSDS 3.0 JSON.

The output is a JSON array of HSDS ``organization`` documents, each with its ``services``
and ``locations`` (the shape of HSDS's compiled organization schema). Providers are
grouped into organizations by their ``organization`` field (a provider without one is its
own organization). Each provider becomes one ``service`` delivered at one ``location``
through one ``service_at_location``.

What HSDS holds is written in HSDS's own fields (names, description, phones, website,
e-mail, address, coordinates, ages, ``verified`` as ``assured_date``, intake instructions
as ``application_process``, languages, accessibility, opening hours as weekly
``schedule`` rows with 24 hours written as 00:00–23:59). Everything deflection-specific is
added as attributes of the documented ``deflectkit`` taxonomy
(:mod:`deflectkit.interop.hsds_taxonomy`), so ``deflectkit import hsds`` reads an export
back to the same provider files. Ids are UUIDv5 from the slugs: stable across exports.

Example:
    >>> from deflectkit.core.hours import parse_hours
    >>> from deflectkit.core.providers import Location, Provider
    >>> p = Provider("example-clinic", "Example Clinic", Location("America/Phoenix"),
    ...              hours=parse_hours({"mon-fri": "08:00-17:00"}))
    >>> org = export_hsds([p])[0]
    >>> org["services"][0]["schedules"][0]["byday"], org["services"][0]["status"]
    ('MO,TU,WE,TH,FR', 'active')
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final

from deflectkit.core.hours import WeeklyHours
from deflectkit.core.providers import Provider
from deflectkit.files.provider_writer import provider_to_mapping
from deflectkit.interop.hsds_taxonomy import field_term, stable_id, taxonomy_term
from deflectkit.interop.records import slugify
from deflectkit.vocabulary import ACCESSIBILITY, DAYS, LANGUAGES

__all__ = ["export_hsds", "schedule_rows"]

_RRULE_DAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _hhmm(minutes: int) -> str:
    # HSDS has no 24:00; its guidance writes the end of the day as 23:59.
    minutes = min(minutes, 23 * 60 + 59)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule_rows(hours: WeeklyHours, owner: str, key: str) -> list[dict[str, Any]]:
    """HSDS ``schedule`` rows for weekly hours: one row per span and set of days.

    Args:
        hours: the hours.
        owner: the id of the service the rows belong to.
        key: a stable key (the slug) from which row ids are derived.

    Example:
        >>> from deflectkit.core.hours import parse_hours
        >>> rows = schedule_rows(parse_hours("24/7"), "s", "x")
        >>> rows[0]["byday"], rows[0]["opens_at"], rows[0]["closes_at"]
        ('MO,TU,WE,TH,FR,SA,SU', '00:00', '23:59')
    """
    groups: dict[tuple[int, int], list[int]] = {}
    for day, spans in enumerate(hours.days):
        for span in spans:
            groups.setdefault(span, []).append(day)
    rows: list[dict[str, Any]] = []
    for (start, end), days in sorted(groups.items(), key=lambda kv: (kv[1][0], kv[0])):
        byday = ",".join(_RRULE_DAYS[d] for d in days)
        names = ", ".join(DAYS.label(DAYS.words[d]) for d in days)
        description = (
            "Open 24 hours a day, 7 days a week"
            if hours.always
            else f"{names}: {_hhmm(start)}–{'24:00' if end == 1440 else _hhmm(end)}"
        )
        rows.append({
            "id": stable_id("schedule", f"{key}:{byday}:{start}-{end}"),
            "service_id": owner,
            "freq": "WEEKLY",
            "byday": byday,
            "opens_at": _hhmm(start),
            "closes_at": _hhmm(end),
            "description": description,
        })
    return rows


def _attribute(slug: str, owner: str, group: str, word: str) -> dict[str, Any]:
    term = taxonomy_term(group, word)
    return {
        "id": stable_id("attribute", f"{slug}:{term['code']}"),
        "link_id": owner,
        "link_type": group,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def _field(slug: str, owner: str, name: str, value: str) -> dict[str, Any]:
    term = field_term(name)
    return {
        "id": stable_id("attribute", f"{slug}:{term['code']}"),
        "link_id": owner,
        "link_type": "deflectkit",
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "value": value,
    }


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)


def _attributes(provider: Provider, mapping: dict[str, Any], owner: str) -> list[dict[str, Any]]:
    slug = provider.slug
    out: list[dict[str, Any]] = []
    groups = ("services", "medications", "substances", "payment", "asam_levels",
              "accessibility", "populations", "languages", "samhsa_codes")
    for group in groups:
        for word in mapping.get(group, []):
            out.append(_attribute(slug, owner, group, str(word)))
    fields: dict[str, str] = {"slug": slug, "timezone": provider.location.timezone}
    for flag in ("otp", "mental_health", "sample"):
        if mapping.get(flag) is True:
            fields[flag] = "true"
    if "description_es" in mapping:
        fields["description_es"] = str(mapping["description_es"])
    if "hours" in mapping:
        fields["hours"] = _json_text(mapping["hours"])
    for key, value in (mapping.get("intake") or {}).items():
        if key == "hours":
            fields["intake.hours"] = _json_text(value)
        elif isinstance(value, bool):
            fields[f"intake.{key}"] = "true" if value else "false"
        else:
            fields[f"intake.{key}"] = str(value)
    if "source" in mapping:
        fields["source"] = _json_text(mapping["source"])
    out.extend(_field(slug, owner, name, value) for name, value in fields.items())
    return out


def _location(provider: Provider, org_id: str) -> dict[str, Any]:
    slug = provider.slug
    location_id = stable_id("location", slug)
    place = provider.location
    out: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical" if place.address or place.coordinates else "virtual",
        "organization_id": org_id,
        "name": provider.name,
    }
    if place.coordinates is not None:
        out["latitude"] = place.coordinates.lat
        out["longitude"] = place.coordinates.lon
    if place.address is not None:
        address: dict[str, Any] = {
            "id": stable_id("address", slug),
            "location_id": location_id,
            "address_1": place.address.street or "",
            "city": place.address.city,
            "state_province": place.address.state,
            "postal_code": place.address.postal_code,
            "country": "US",
            "address_type": "physical",
        }
        if place.address.county:
            address["region"] = place.address.county
        out["addresses"] = [address]
    if provider.accessibility:
        out["accessibility"] = [
            {
                "id": stable_id("accessibility", f"{slug}:{word}"),
                "location_id": location_id,
                "description": ACCESSIBILITY.label(word),
            }
            for word in provider.accessibility
        ]
    return out


def _service(provider: Provider, org_id: str) -> dict[str, Any]:
    slug = provider.slug
    mapping = provider_to_mapping(provider)
    service_id = stable_id("service", slug)
    location_id = stable_id("location", slug)
    service: dict[str, Any] = {
        "id": service_id,
        "organization_id": org_id,
        "name": provider.name,
        "status": "active",
    }
    if provider.description:
        service["description"] = provider.description
    if provider.website:
        service["url"] = provider.website
    if provider.email:
        service["email"] = provider.email
    if provider.intake.instructions:
        service["application_process"] = provider.intake.instructions
    if provider.ages.min is not None:
        service["minimum_age"] = provider.ages.min
    if provider.ages.max is not None:
        service["maximum_age"] = provider.ages.max
    if provider.verified is not None:
        service["assured_date"] = provider.verified.isoformat()
    service["phones"] = [
        {
            "id": stable_id("phone", f"{slug}:{i}"),
            "service_id": service_id,
            "number": phone["number"],
            "type": "voice",
            **({"description": phone["label"]} if phone.get("label") else {}),
        }
        for i, phone in enumerate(mapping.get("phones", []))
    ]
    if provider.hours is not None:
        service["schedules"] = schedule_rows(provider.hours, service_id, slug)
    service["languages"] = [
        {
            "id": stable_id("language", f"{slug}:{code}"),
            "service_id": service_id,
            "code": code,
            "name": LANGUAGES.label(code),
        }
        for code in provider.languages
    ]
    service["service_at_locations"] = [{
        "id": stable_id("service_at_location", slug),
        "service_id": service_id,
        "location_id": location_id,
    }]
    service["attributes"] = _attributes(provider, mapping, service_id)
    return {k: v for k, v in service.items() if v != []}


def export_hsds(providers: Iterable[Provider]) -> list[dict[str, Any]]:
    """HSDS 3.0 organization documents for ``providers``, in a stable order.

    Returns:
        A list of organizations (each with ``services`` and ``locations``), ready for
        ``json.dumps``; the same directory always gives the same list.
    """
    groups: dict[str, list[Provider]] = {}
    for provider in sorted(providers, key=lambda p: p.slug):
        name = provider.organization or provider.name
        groups.setdefault(name, []).append(provider)
    out: list[dict[str, Any]] = []
    for name in sorted(groups, key=lambda n: (slugify(n), n)):
        members = groups[name]
        key = slugify(name) or members[0].slug
        org_id = stable_id("organization", key)
        names = ", ".join(p.name for p in members)
        out.append({
            "id": org_id,
            "name": name,
            "description": f"Organization providing: {names}.",
            "services": [_service(p, org_id) for p in members],
            "locations": [_location(p, org_id) for p in members],
        })
    return out
