"""The directory's Spanish sentence table: key for key, mark for mark, and really Spanish."""

from __future__ import annotations

import json
import re

import pytest

from deflectkit.site.strings import STRINGS, STRINGS_ES, strings_for, strings_script
from tests.test_labels_es import STIGMATISING

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
