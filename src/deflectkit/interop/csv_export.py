"""Export a provider directory as CSV: one row per provider, for spreadsheets.

Lists are joined with ``"; "``, phones as ``number (label)``, hours in the shorthand
(``mon-fri 08:00-17:00; sat 09:00-12:00`` or ``24/7``). The file starts with a UTF-8 byte
order mark so that spreadsheet programs show accents correctly.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) are prefixed with an apostrophe, the usual defence against
formula injection: provider data comes from many hands. That includes phone numbers
(``'+1 520-555-0142``).

Example:
    >>> from deflectkit.core.providers import Location, Provider
    >>> text = export_csv([Provider("x", "Example Clinic", Location("America/Phoenix"),
    ...                             services=("outpatient", "peer_support"))])
    >>> text.splitlines()[1].split(",")[:2], "outpatient; peer_support" in text
    (['x', 'Example Clinic'], True)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, Final

from deflectkit.core.providers import Provider
from deflectkit.files.provider_writer import provider_to_mapping

__all__ = ["COLUMNS", "export_csv", "hours_text"]

#: Column names, in order.
COLUMNS: Final = (
    "slug", "name", "organization", "description", "sample", "verified", "phones", "website",
    "email", "street", "city", "state", "postal_code", "county", "lat", "lon", "timezone",
    "hours", "intake_walk_in", "intake_first_responder_dropoff", "intake_call_ahead",
    "intake_officer_minutes", "intake_hours", "intake_instructions", "services",
    "asam_levels", "medications", "otp", "substances", "mental_health", "ages_min",
    "ages_max", "payment", "languages", "accessibility", "populations", "samhsa_codes",
    "source_name", "source_id", "source_date",
)
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def hours_text(shorthand: Any) -> str:
    """Hours shorthand as one line: ``mon-fri 08:00-17:00; sat 09:00-12:00``.

    Example:
        >>> hours_text({"mon-fri": ["08:00-12:00", "13:00-17:00"], "sat": "closed"})
        'mon-fri 08:00-12:00, 13:00-17:00; sat closed'
    """
    if isinstance(shorthand, Mapping):
        parts = []
        for days, spans in shorthand.items():
            text = ", ".join(spans) if isinstance(spans, list) else str(spans)
            parts.append(f"{days} {text}")
        return "; ".join(parts)
    return "" if shorthand is None else str(shorthand)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    else:
        text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _row(provider: Provider) -> list[str]:
    m = provider_to_mapping(provider)
    location = m.get("location", {})
    address = location.get("address", {})
    coordinates = location.get("coordinates", {})
    intake = m.get("intake", {})
    ages = m.get("ages", {})
    source = m.get("source", {})
    phones = [
        f"{p['number']} ({p['label']})" if p.get("label") else p["number"]
        for p in m.get("phones", [])
    ]
    values = [
        provider.slug, m["name"], m.get("organization"), m.get("description"), m["sample"],
        m.get("verified"), phones, m.get("website"), m.get("email"), address.get("street"),
        address.get("city"), address.get("state"), address.get("postal_code"),
        address.get("county"), coordinates.get("lat"), coordinates.get("lon"),
        location.get("timezone"), hours_text(m.get("hours")), intake.get("walk_in"),
        intake.get("first_responder_dropoff"), intake.get("call_ahead"),
        intake.get("officer_minutes"), hours_text(intake.get("hours")),
        intake.get("instructions"), m.get("services"), m.get("asam_levels"),
        m.get("medications"), m.get("otp", False), m.get("substances"),
        m.get("mental_health", False), ages.get("min"), ages.get("max"), m.get("payment"),
        m.get("languages"), m.get("accessibility"), m.get("populations"),
        m.get("samhsa_codes"), source.get("name"), source.get("id"), source.get("date"),
    ]
    return [_cell(v) for v in values]


def export_csv(providers: Iterable[Provider]) -> str:
    """The CSV text (header + one row per provider, in slug order)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for provider in sorted(providers, key=lambda p: p.slug):
        writer.writerow(_row(provider))
    return buffer.getvalue()
