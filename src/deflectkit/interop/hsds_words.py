"""Reading HSDS's words into ours: the deflectkit taxonomy exactly, other taxonomies by keyword.

* Attributes tagged with the ``deflectkit`` taxonomy (what ``deflectkit export hsds``
  writes) give back every field exactly (:func:`our_attributes`).
* Other systems' data is read best effort (:func:`vocabulary_words`): a 211's taxonomy
  term names by keyword ("Detoxification" → ``withdrawal_management``), accessibility
  notes by keyword, and language names as 211s write them ("English and Spanish",
  "Creole (limited)"). Notes such as "other languages available upon request" are passed
  over quietly; a name we do not know becomes a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from deflectkit.errors import shorten
from deflectkit.files.provider_fields import HIDDEN_CHARACTERS
from deflectkit.interop.hsds_tabular import ServiceRecord, loads_strict
from deflectkit.interop.hsds_taxonomy import FIELDS, VOCABULARIES, is_deflectkit_term
from deflectkit.vocabulary import ACCESSIBILITY, LANGUAGES, Vocabulary

__all__ = ["clean_text", "language_words", "our_attributes", "parse_date", "vocabulary_words"]

#: Longest term name or languages note read: each is a few words, and the patterns below
#: (``residential .*treatment``) take time that grows with the square of the length.
_MAX_WORDS_TEXT: Final = 300

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


def clean_text(value: Any) -> str:
    """Clean text: 211 exports carry literal backslash-n for line breaks."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    text = str(value).replace("\\n", "\n").replace("\r\n", "\n")
    text = HIDDEN_CHARACTERS.sub("", text)  # one stray control character would refuse it all
    return "\n".join(line.rstrip() for line in text.strip().splitlines()).strip()


def parse_date(value: Any) -> dt.date | None:
    """A date from a date or an ISO text (``2025-08-19`` or a timestamp), else ``None``."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def our_attributes(service: Mapping[str, Any], warn: Callable[[str], None]) -> dict[str, Any]:
    """deflectkit-taxonomy attributes back into provider fields (empty for other data)."""
    out: dict[str, Any] = {}
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        if not isinstance(term, dict) or not is_deflectkit_term(term):
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
            parsed = loads_strict(text)
            if name == "source" and isinstance(parsed, dict) and parsed.get("date"):
                parsed["date"] = parse_date(parsed["date"])
        elif name in {"otp", "mental_health", "sample", "intake.walk_in",
                      "intake.first_responder_dropoff"}:
            parsed = text.strip().lower() == "true"
        elif name == "intake.officer_minutes":
            parsed = int(text)
    except ValueError:
        shown = shorten(text, 60)
        warn(f"deflectkit attribute field:{name} has an unreadable value {shown!r}; left out")
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


def language_words(text: str) -> tuple[list[str], list[str]]:
    """Language codes named in a 211 language note, and the parts that name none.

    "English and Spanish", "Spanish (limited)", "Haitian-Creole", "Creole translator
    provided" all name languages; "other languages available upon request" is a note and
    is passed over quietly. Sign language becomes the word ``sign_language``.
    """
    found: list[str] = []
    unknown: list[str] = []
    text = text[:_MAX_WORDS_TEXT]  # a list of languages; a longer text is not one
    cleaned = re.sub(r"\([^()]*\)", " ", text.replace("-", " ")).lower()
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


def vocabulary_words(
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
            if pattern.search(term[:_MAX_WORDS_TEXT]):  # ``.*`` patterns: bound the work
                found.setdefault(field, []).append(word)
    accessibility: list[str] = []
    for item in (location.get("accessibility") or []) if location else []:
        text = f"{clean_text(item.get('description'))} {clean_text(item.get('details'))}" \
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
        code = clean_text(entry.get("code")).lower()
        if code in LANGUAGES:
            languages.append(code)
            continue
        words, notes = language_words(clean_text(entry.get("name")))
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
