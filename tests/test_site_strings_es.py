"""The directory's Spanish sentence table: key for key, mark for mark, and really Spanish."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from deflectkit.files.providers import load_directory
from deflectkit.site.leave_behind import TEXT
from deflectkit.site.strings import STRINGS, STRINGS_ES, strings_for, strings_script
from deflectkit.vocabulary import LABELS_ES
from tests.test_labels_es import STIGMATISING

ROOT = Path(__file__).resolve().parent.parent

#: Sentences that read the same in both languages (a unit; "No").
SAME_IN_BOTH = {"miles", "no"}


def _marks(text: str) -> set[str]:
    return set(re.findall(r"\{[a-z]+\}", text))


def test_same_keys_as_the_english_table() -> None:
    """A sentence added in English without its Spanish one fails here, naming the key."""
    assert sorted(STRINGS) == sorted(STRINGS_ES)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_same_marks_and_translated(key: str) -> None:
    """Each sentence keeps its ``{name}`` marks and is not the English text left in place."""
    assert _marks(STRINGS[key]) == _marks(STRINGS_ES[key])
    assert STRINGS_ES[key].strip()
    if key not in SAME_IN_BOTH:
        assert STRINGS[key] != STRINGS_ES[key]
    assert STIGMATISING.search(STRINGS_ES[key]) is None


def test_weekday_list_has_seven_days() -> None:
    """The script splits the weekday list on commas: seven names, Monday first."""
    assert 7 == len(STRINGS_ES["weekdays"].split(","))
    assert "lunes" == STRINGS_ES["weekdays"].split(",")[0]


def test_the_script_carries_both_tables() -> None:
    """``strings_script()`` sets both tables for deflectkit.js, which picks by ``<html lang>``.

    One cached script serves the English and the Spanish pages (it was one table per build
    before the Spanish directory).
    """
    prefix = "window.deflectkitStrings = "
    script = strings_script()

    assert script.startswith(prefix)
    tables = json.loads(script[len(prefix):].rstrip().rstrip(";"))
    assert {"en": dict(STRINGS), "es": dict(STRINGS_ES)} == tables
    assert strings_for("en") is STRINGS
    assert strings_for("es") is STRINGS_ES


#: Words the Spanish pages chose against, each for one the glossary in docs/guide/publish.md
#: ("Words we use in Spanish") keeps: one word for one thing on every page.
REPLACED = re.compile(
    r"\b(entrega policial|traspasos?|oficial(es)?|ingreso)\b|[«»]",
    re.IGNORECASE,
)


def _spanish_texts() -> dict[str, str]:
    """Every Spanish sentence a person reads: site table, labels, leave-behind card, providers."""
    texts = {f"strings:{k}": v for k, v in STRINGS_ES.items()}
    texts |= {
        f"labels:{kind}:{word}": text
        for kind, words in LABELS_ES.items()
        if kind != "languages"
        for word, text in words.items()
    }
    texts |= {f"leave_behind:{k}": v for k, v in TEXT["es"].items()}
    for p in load_directory(ROOT / "data" / "providers", today=dt.date(2026, 12, 1)):
        texts[f"{p.slug}:description_es"] = p.description_es or ""
        texts[f"{p.slug}:instructions_es"] = p.intake.instructions_es or ""
    return texts


def test_every_spanish_text_is_person_first_and_uses_the_glossary_words() -> None:
    """No stigmatising word and no replaced term anywhere a Spanish reader looks."""
    texts = _spanish_texts()
    stigma = [k for k, v in texts.items() if STIGMATISING.search(v)]
    replaced = [(k, m.group(0)) for k, v in texts.items() if (m := REPLACED.search(v))]

    assert len(texts) > 300
    assert [] == stigma
    assert [] == replaced


def test_the_replaced_terms_guard_catches_them() -> None:
    """The pattern really matches what it forbids (so the test above can fail)."""
    forbidden = ("Entrega policial", "Traspaso 10 min", "los oficiales", "cita de ingreso", "«x»")
    for text in forbidden:
        assert REPLACED.search(text), text
    assert REPLACED.search("Tarifa según sus ingresos") is None
