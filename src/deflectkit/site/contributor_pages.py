"""The contributor field reference, generated from the vocabulary and the JSON Schemas.

The hand-written guides (how to add or fix a provider, how validation messages read) live in
``docs/contributing/``; this module writes the part that must never drift from the code: every
field of a provider file and every word each list accepts, and the schemas for download.
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from deflectkit.site.markup import esc, front_matter
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import (
    ACCESSIBILITY,
    ASAM_LEVELS,
    LANGUAGES,
    MEDICATIONS,
    NEEDS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SUBSTANCES,
    Vocabulary,
)

__all__ = ["PROVIDER_FIELDS", "REFERENCE_PATH", "render_contributor_pages"]

REFERENCE_PATH = "contributing/reference.md"

#: Provider file fields (DESIGN §4): name, what it holds, required?, vocabulary (if any).
PROVIDER_FIELDS: tuple[tuple[str, str, bool, Vocabulary | None], ...] = (
    ("name", "The provider's public name.", True, None),
    ("organization", "The organization that runs it.", False, None),
    ("description", "One or two plain sentences on what it is.", False, None),
    ("sample", "true for fictional data: the site shows a banner.", False, None),
    (
        "verified",
        "The date a person last checked the record (YYYY-MM-DD, not in the future).",
        False,
        None,
    ),
    ("phones", "List of {number, label}; numbers are checked and stored in E.164.", False, None),
    ("website", "An http(s) link.", False, None),
    ("email", "An email address.", False, None),
    ("location.address", "{street, city, state, postal_code, county}.", False, None),
    (
        "location.coordinates",
        "{lat, lon}; else the ZIP centroid is used for distance.",
        False,
        None,
    ),
    (
        "location.timezone",
        "IANA time zone, e.g. America/Phoenix; hours are in this zone.",
        True,
        None,
    ),
    (
        "hours",
        '24/7, or days to spans such as {mon-fri: "08:00-17:00"}; overnight spans run into the next day. Leave out when unknown: the site says "call for hours".',
        False,
        None,
    ),
    ("intake.walk_in", "People may arrive without an appointment.", False, None),
    ("intake.first_responder_dropoff", "Officers may bring people here directly.", False, None),
    ("intake.call_ahead", "The number officers ring before arriving.", False, None),
    ("intake.officer_minutes", "Typical minutes an officer spends on the hand-off.", False, None),
    ("intake.hours", "Intake hours when they differ from the opening hours.", False, None),
    (
        "intake.instructions",
        "Plain directions for officers (which door, whom to ask).",
        False,
        None,
    ),
    ("services", "What the provider offers.", False, SERVICES),
    ("asam_levels", 'ASAM levels of care, as strings ("2.1").', False, ASAM_LEVELS),
    (
        "medications",
        "Medications prescribed or dispensed; methadone needs otp: true.",
        False,
        MEDICATIONS,
    ),
    ("otp", "true for a certified Opioid Treatment Program.", False, None),
    ("substances", "Substances treated.", False, SUBSTANCES),
    ("mental_health", "true when mental-health care is offered.", False, None),
    ("ages", "{min, max} ages served, inclusive.", False, None),
    ("payment", "Payment accepted.", False, PAYMENT),
    ("languages", "ISO 639-1 codes of languages spoken by staff.", False, LANGUAGES),
    ("accessibility", "Accessibility features.", False, ACCESSIBILITY),
    ("populations", "Groups with a dedicated program.", False, POPULATIONS),
    ("samhsa_codes", "Raw SAMHSA locator codes, kept on import.", False, None),
)


def _vocab_table(vocab: Vocabulary) -> str:
    rows = "".join(
        f"<tr><td><code>{esc(t.word)}</code></td><td>{esc(t.label)}</td><td>{esc(t.description)}</td></tr>"
        for t in vocab
    )
    return (
        '<table><thead><tr><th scope="col">Word</th><th scope="col">Shown as</th>'
        f'<th scope="col">Meaning</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _schemas(schemas_dir: str | None) -> list[tuple[str, dict[str, Any]]]:
    if not schemas_dir or not Path(schemas_dir).is_dir():
        return []
    out = []
    for path in sorted(Path(schemas_dir).glob("*.json")):
        try:
            out.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out


def render_contributor_pages(schemas_dir: str | None) -> list[GeneratedFile]:
    """``contributing/reference.md`` and the schemas under ``contributing/schemas/``."""
    schemas = _schemas(schemas_dir)
    files = [
        GeneratedFile(
            f"contributing/schemas/{name}", json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        )
        for name, doc in schemas
    ]
    out = [front_matter("Field reference"), "<h1>Field reference</h1>", ""]
    out.append(
        "<p>Every field a provider file (<code>data/providers/&lt;slug&gt;.yaml</code>) may hold, "
        "and every word each list accepts. This page is generated from the code, so it is "
        "always what <code>deflectkit validate</code> checks.</p>"
    )
    if schemas:
        links = "".join(
            f'<li><a href="../schemas/{esc(name)}" download>{esc(name)}</a> '
            f"— {esc(doc.get('title', ''))}</li>"
            for name, doc in schemas
        )
        out.append(
            '<h2 id="schemas">JSON Schemas</h2><p>Point your editor at these for completion and '
            f"checks while you type (regenerate with <code>deflectkit schema --out schemas</code>):</p><ul>{links}</ul>"
        )
    rows = "".join(
        f"<tr><td><code>{esc(name)}</code></td><td>{'yes' if required else ''}</td><td>{esc(text)}"
        + (f' Words: <a href="#{esc(vocab.name)}">{esc(vocab.title)}</a>.' if vocab else "")
        + "</td></tr>"
        for name, text, required, vocab in PROVIDER_FIELDS
    )
    out.append(
        '<h2 id="fields">Provider fields</h2><table><thead><tr><th scope="col">Field</th>'
        f'<th scope="col">Required</th><th scope="col">What it holds</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    for vocab in (
        SERVICES,
        MEDICATIONS,
        SUBSTANCES,
        PAYMENT,
        ASAM_LEVELS,
        ACCESSIBILITY,
        POPULATIONS,
        NEEDS,
    ):
        out.append(f'<h2 id="{esc(vocab.name)}">{esc(vocab.title)}</h2>')
        if vocab is NEEDS:
            out.append(
                "<p>Needs are not written in provider files: the directory filter and "
                "referral routes derive them from services, substances and medications.</p>"
            )
        out.append(_vocab_table(vocab))
    out.append(f'<h2 id="{LANGUAGES.name}">{esc(LANGUAGES.title)}</h2>')
    out.append(
        "<p>Two-letter ISO 639-1 codes, for example <code>en</code> (English), <code>es</code> "
        "(Spanish), <code>vi</code> (Vietnamese), <code>zh</code> (Chinese), <code>nv</code> (Navajo).</p>"
    )
    files.append(GeneratedFile(REFERENCE_PATH, "\n".join(out) + "\n"))
    return files
