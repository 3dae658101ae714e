"""Spanish labels: every word of every list has one, written in person-first words."""

from __future__ import annotations

import re

import pytest

import deflectkit as dk
from deflectkit.labels import VOCABULARIES
from deflectkit.vocabulary import LABELS_ES, LANGUAGES, NEEDS

#: Words the stigma guide (docs/playbook/stigma.md) tells us not to use, in Spanish:
#: labels for a person, not for a condition; "recaída" for a return to use; "abuso".
STIGMATISING = re.compile(
    r"\b(adict[oa]s?|drogadict[oa]s?|toxicóman[oa]s?|alcohólic[oa]s?|abuso|abusador(es)?|"
    r"recaída|limpi[oa]|suci[oa]|vagabund[oa]s?|indigentes?|enfermo mental)\b",
    re.IGNORECASE,
)


class TestEveryWordHasASpanishLabel:
    """The table and the vocabularies agree, word for word."""

    def test_every_word_of_every_list_has_one(self) -> None:
        """A word added in English without a Spanish label fails here, naming it."""
        missing = [
            f"{name}: {term.word}"
            for name, vocabulary in VOCABULARIES.items()
            for term in vocabulary
            if not LABELS_ES.get(name, {}).get(term.word, "").strip()
        ]
        assert [] == missing

    def test_no_label_for_a_word_that_does_not_exist(self) -> None:
        """A renamed or removed word leaves no stale Spanish label behind."""
        stale = [
            f"{name}: {word}"
            for name, labels in LABELS_ES.items()
            for word in labels
            if name not in VOCABULARIES or word not in VOCABULARIES[name]
        ]
        assert [] == stale

    def test_labels_within_a_list_are_distinct(self) -> None:
        """Two words of one list never read the same in Spanish (a filter would repeat)."""
        for name, labels in LABELS_ES.items():
            values = [v.casefold() for v in labels.values()]
            assert len(values) == len(set(values)), name

    def test_no_stigmatising_word(self) -> None:
        """The stigma guide applies in Spanish: no "adicto", "abuso", "recaída", "limpio"."""
        found = [
            f"{name}: {word}: {text}"
            for name, labels in LABELS_ES.items()
            for word, text in labels.items()
            if STIGMATISING.search(text)
        ]
        assert [] == found

    def test_the_guard_catches_the_words_it_should(self) -> None:
        """The pattern above really matches what it forbids (so the test above can fail)."""
        for text in ("Adicto", "drogadictos", "Abuso de drogas", "Recaída", "limpio"):
            assert STIGMATISING.search(text), text


class TestSpanishThroughTheApi:
    """``lang="es"`` on ``dk.label`` and on a vocabulary."""

    @pytest.mark.parametrize(
        ("word", "kind", "expected"),
        [
            ("opioids", "needs", "Consumo de opioides"),
            ("opioids", None, "Opioides"),
            ("es", "languages", "Español"),
            ("en", "languages", "Inglés"),
            ("sun", "days", "Domingo"),
            ("medicaid", None, "Medicaid (AHCCCS en Arizona)"),
            ("open_24_7", None, "Abierto 24/7"),
            ("call_ems", None, "Llamar a servicios médicos de emergencia"),
            ("return_to_use", None, "Volvió a consumir"),
        ],
    )
    def test_label(self, word: str, kind: str | None, expected: str) -> None:
        """Needs, substances, languages, days, payment, reason codes and first steps."""
        assert expected == dk.label(word, kind, lang="es")

    def test_english_is_the_default_and_unchanged(self) -> None:
        """Without ``lang`` the English label comes back, as before."""
        assert ("Opioid use", "Spanish") == (NEEDS.label("opioids"), LANGUAGES.label("es"))
        assert "Opioid use" == dk.label("opioids", "needs", lang="en")

    def test_unknown_word_is_readable_in_either_language(self) -> None:
        """A policy's own first step has no Spanish label: it comes back readable."""
        assert "Call the navigator" == dk.label("call_the_navigator", lang="es")

    def test_unknown_language_is_a_clear_error(self) -> None:
        """A language we have no labels for is refused, naming the ones we have."""
        with pytest.raises(ValueError, match=r"unknown language 'fr'; use one of: en, es"):
            dk.label("opioids", lang="fr")  # type: ignore[arg-type]

    def test_language_names_are_capitalised_labels(self) -> None:
        """Language names start with a capital letter, as the filter lists show them."""
        assert [] == [w for w, t in LABELS_ES["languages"].items() if not t[:1].isupper()]
        assert len(LANGUAGES) == len(LABELS_ES["languages"])
