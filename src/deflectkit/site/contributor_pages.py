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

from deflectkit.files.schema import FIELD_HELP
from deflectkit.site.markup import esc, front_matter
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import LANGUAGES, NEEDS, PROVIDER_LIST_FIELDS, Vocabulary

__all__ = ["REFERENCE_PATH", "render_contributor_pages"]

REFERENCE_PATH = "contributing/reference.md"



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
    # The same sentences as the JSON Schema's descriptions (one table, in files/schema.py), so
    # the page, the schema and the editor's hover text never disagree.
    rows = "".join(
        f"<tr><td><code>{esc(name)}</code></td><td>{esc(text)}"
        + (
            f' Words: <a href="#{esc(PROVIDER_LIST_FIELDS[name].name)}">'
            f"{esc(PROVIDER_LIST_FIELDS[name].title)}</a>."
            if name in PROVIDER_LIST_FIELDS
            else ""
        )
        + "</td></tr>"
        for name, text in FIELD_HELP.items()
    )
    out.append(
        '<h2 id="fields">Provider fields</h2><table><thead><tr><th scope="col">Field</th>'
        f'<th scope="col">What it holds</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    listed = [v for v in PROVIDER_LIST_FIELDS.values() if v is not LANGUAGES]
    for vocab in (*listed, NEEDS):
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
