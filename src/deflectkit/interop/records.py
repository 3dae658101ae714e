"""What every importer shares: the result type, stable slugs, phones, links and time zones.

An importer turns foreign records into *candidate* provider mappings, each with the key
it was known by in the source. :func:`assign_slugs` then gives every candidate a file
name that is readable (name + city), unique, and the same on every run over the same data.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any, Final

import attrs

from deflectkit.errors import Problem

__all__ = [
    "MAX_SLUG_LENGTH",
    "Candidate",
    "ImportResult",
    "assign_slugs",
    "check_imported",
    "normalise_phone",
    "normalise_website",
    "short_hash",
    "slugify",
    "us_timezone",
]

#: File names stay readable in a terminal and well under file-system limits.
MAX_SLUG_LENGTH: Final = 72


@attrs.frozen
class Candidate:
    """One provider an importer found, before it has a file name.

    Attributes:
        source_id: the record's identity in the source (stable across exports).
        name: the provider name, the first part of the slug.
        city: the city, the second part of the slug (may be empty).
        street: used only to tell apart two providers with the same name and city.
        mapping: the provider file's content.
        line: where the record starts in the source, for messages.
        path: the source file, for messages.
        where: the record inside that file (``services[2] (Name)``), for messages.
    """

    source_id: str
    name: str
    city: str
    street: str
    mapping: dict[str, Any]
    line: int | None = None
    path: str = ""
    where: str = ""


@attrs.frozen
class ImportResult:
    """Provider mappings by slug, and every problem met on the way.

    Attributes:
        providers: ``slug -> mapping`` in slug order, ready for ``write_providers``.
        problems: errors (records not imported) and warnings (imported with a gap).
        records: how many source records were read.
        skipped: how many records could not be imported.
        lines: where each provider's record starts in the source, by slug.
    """

    providers: Mapping[str, Mapping[str, Any]]
    problems: tuple[Problem, ...] = ()
    records: int = 0
    skipped: int = 0
    lines: Mapping[str, int | None] = attrs.field(factory=dict)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stopped a record from being imported."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the import worked around (a dropped phone, unreadable hours …)."""
        return [p for p in self.problems if not p.is_error]


def check_imported(result: ImportResult, source: str, *, today: dt.date) -> ImportResult:
    """Check every imported mapping exactly as ``deflectkit validate`` will check its file.

    A mapping with errors is dropped and each error is reported at the source record
    (``source:line``), so an import never writes a file that fails validation. Warnings
    from the check (an old ``verified`` date …) are kept as warnings.
    """
    from deflectkit.files.provider_writer import provider_yaml
    from deflectkit.files.providers import check_provider_document
    from deflectkit.files.yamlio import parse_yaml

    kept: dict[str, Mapping[str, Any]] = {}
    problems = list(result.problems)
    skipped = result.skipped
    # A warning every file shares (the export is over a year old) is said once, not 466 times.
    common: dict[tuple[str, str], list[tuple[str, int | None]]] = defaultdict(list)
    for slug, mapping in result.providers.items():
        doc = parse_yaml(provider_yaml(mapping), f"{slug}.yaml")
        _, found = check_provider_document(doc, today=today, slug=slug)
        line = result.lines.get(slug)
        for p in found:
            if not p.is_error:
                common[(p.field, p.message)].append((slug, line))
                continue
            field = f"{slug}: {p.field}" if p.field else slug
            problems.append(Problem(source, line, None, field, p.message + "; not imported"))
        if any(p.is_error for p in found):
            skipped += 1
        else:
            kept[slug] = mapping
    for (field, message), where in common.items():
        if len(where) == 1:
            slug, line = where[0]
            named = f"{slug}: {field}" if field else slug
            problems.append(Problem(source, line, None, named, message, "warning"))
        else:
            text = f"{message} ({len(where)} providers)"
            problems.append(Problem(source, None, None, field, text, "warning"))
    return attrs.evolve(
        result,
        providers=kept,
        problems=tuple(sorted(problems, key=lambda p: (p.line or 0, p.field))),
        skipped=skipped,
        lines={s: result.lines.get(s) for s in kept},
    )


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens.

    Example:
        >>> slugify("Café Recovery — Downtown (Unit #2)")
        'cafe-recovery-downtown-unit-2'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("&", " and ").replace("'", "")
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _clip(slug: str, limit: int = MAX_SLUG_LENGTH) -> str:
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0] or slug[:limit]


def short_hash(*parts: str) -> str:
    """Sixteen hex digits identifying ``parts`` (case and spacing ignored).

    Used as the source id when a source has none, so re-imports can find a record again.
    """
    text = "|".join(" ".join(p.lower().split()) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def assign_slugs(
    candidates: Iterable[Candidate],
    existing: Mapping[str, str] | None = None,
    reserved: Collection[str] = (),
) -> dict[str, Candidate]:
    """Give each candidate a unique, stable slug.

    A record already imported before (its ``source_id`` is in ``existing``) keeps its
    slug. Others get ``name-city``; when two share that, each gets the street added, then
    the source id's first digits: decided by the data, never by row order. Slugs in
    ``reserved`` (files in the folder that came from elsewhere, such as a provider a person
    wrote) are never given to a new record, so an import cannot overwrite them.

    Example:
        >>> a = Candidate("1", "Example Clinic", "Tucson", "1 A St", {})
        >>> b = Candidate("2", "Example Clinic", "Tucson", "9 B St", {})
        >>> sorted(assign_slugs([b, a]))
        ['example-clinic-tucson-1-a-st', 'example-clinic-tucson-9-b-st']
    """
    existing = existing or {}
    out: dict[str, Candidate] = {}
    fresh: list[Candidate] = []
    for cand in candidates:
        slug = existing.get(cand.source_id)
        if slug and slug not in out:
            out[slug] = cand
        else:
            fresh.append(cand)
    taken = set(out) | set(existing.values()) | set(reserved)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for cand in fresh:
        base = _clip(slugify(f"{cand.name} {cand.city}")) or "provider"
        groups[base].append(cand)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda c: c.source_id)
        if len(members) == 1 and base not in taken:
            out[base] = members[0]
            taken.add(base)
            continue
        for cand in members:
            street = slugify(cand.street)
            tries = [
                _clip(f"{base}-{street}", MAX_SLUG_LENGTH + 24) if street else "",
                f"{base}-{slugify(cand.source_id)[:8]}",
            ]
            slug = next((t for t in tries if t and t not in taken), "")
            counter = 2
            while not slug:
                attempt = f"{base}-{slugify(cand.source_id)[:8]}-{counter}"
                slug = attempt if attempt not in taken else ""
                counter += 1
            out[slug] = cand
            taken.add(slug)
    return dict(sorted(out.items()))


def normalise_phone(text: str) -> str | None:
    """A US phone number in readable E.164 form (``+1 520-555-0142``), or ``None``.

    Extensions are dropped (the file format has no place for them).

    Example:
        >>> normalise_phone("(866) 781-6727"), normalise_phone("n/a")
        ('+1 866-781-6727', None)
    """
    import phonenumbers

    text = text.strip().strip('"')
    if not text:
        return None
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    number.extension = None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_website(text: str) -> str | None:
    """An http(s) link, adding ``https://`` to a bare domain; ``None`` for anything else.

    Example:
        >>> normalise_website("www.example.org"), normalise_website("javascript:alert(1)")
        ('https://www.example.org', None)
    """
    text = text.strip()
    if not text:
        return None
    if re.match(r"^https?://[^\s/$.?#][^\s]*$", text, re.IGNORECASE):
        return text
    if re.match(r"^[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", text, re.IGNORECASE):
        return f"https://{text}"
    return None


# The zone most of each state keeps, used only when a ZIP code is not in the ZIP table.
_STATE_ZONES: Final = {
    "AL": "America/Chicago", "AK": "America/Anchorage", "AZ": "America/Phoenix",
    "AR": "America/Chicago", "CA": "America/Los_Angeles", "CO": "America/Denver",
    "CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York",
    "FL": "America/New_York", "GA": "America/New_York", "HI": "Pacific/Honolulu",
    "ID": "America/Boise", "IL": "America/Chicago", "IN": "America/Indiana/Indianapolis",
    "IA": "America/Chicago", "KS": "America/Chicago", "KY": "America/New_York",
    "LA": "America/Chicago", "ME": "America/New_York", "MD": "America/New_York",
    "MA": "America/New_York", "MI": "America/Detroit", "MN": "America/Chicago",
    "MS": "America/Chicago", "MO": "America/Chicago", "MT": "America/Denver",
    "NE": "America/Chicago", "NV": "America/Los_Angeles", "NH": "America/New_York",
    "NJ": "America/New_York", "NM": "America/Denver", "NY": "America/New_York",
    "NC": "America/New_York", "ND": "America/Chicago", "OH": "America/New_York",
    "OK": "America/Chicago", "OR": "America/Los_Angeles", "PA": "America/New_York",
    "RI": "America/New_York", "SC": "America/New_York", "SD": "America/Chicago",
    "TN": "America/Chicago", "TX": "America/Chicago", "UT": "America/Denver",
    "VT": "America/New_York", "VA": "America/New_York", "WA": "America/Los_Angeles",
    "WV": "America/New_York", "WI": "America/Chicago", "WY": "America/Denver",
    "PR": "America/Puerto_Rico", "GU": "Pacific/Guam", "VI": "America/St_Thomas",
}


@functools.cache
def _zip_zones() -> dict[str, str]:
    """ZIP → IANA zone from the bundled table, built once (a scan per look-up is slow)."""
    import zipcodes

    return {
        str(z["zip_code"]): str(z["timezone"])
        for z in zipcodes.list_all()  # type: ignore[no-untyped-call]
        if z.get("timezone")
    }


def us_timezone(postal_code: str, state: str) -> str | None:
    """The IANA zone of a US ZIP code (from the bundled ZIP table), else of its state.

    Example:
        >>> us_timezone("85701", "AZ"), us_timezone("", "MA")
        ('America/Phoenix', 'America/New_York')
    """
    zone = _zip_zones().get(postal_code.strip()[:5])
    return zone or _STATE_ZONES.get(state.strip().upper())

