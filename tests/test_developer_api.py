"""A developer's first day: labels, providers for display, match reason codes."""

from __future__ import annotations

import datetime as dt

import pytest

import deflectkit as dk
from deflectkit.core.matching import MATCH_REASONS
from deflectkit.core.providers import Intake, Location, Phone, Provider
from deflectkit.labels import VOCABULARIES, description
from deflectkit.vocabulary import ALL_VOCABULARIES

AT = dt.datetime(2026, 12, 1, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7)))


class TestLabels:
    """``dk.label`` gives every word's display label through the public API."""

    @pytest.mark.parametrize(
        ("word", "expected"),
        [
            ("call_ems", "Call EMS"),
            ("supervisor_review", "Supervisor review"),
            ("officer_intervention", "Officer intervention"),
            ("not_filed", "Not filed"),
            ("takes_dropoff", "Takes police drop-offs"),
            ("withdrawal_management", "Withdrawal management (detox)"),
            ("es", "Spanish"),
            ("unable_to_contact", "Unable to contact"),
        ],
    )
    def test_label(self, word: str, expected: str) -> None:
        """First steps, pathways, dispositions, reason codes, vocabulary words."""
        assert expected == dk.label(word)

    def test_every_vocabulary_word_has_its_label(self) -> None:
        """With ``kind``, every word of every list gives the list's own label."""
        for name, vocabulary in VOCABULARIES.items():
            for term in vocabulary:
                assert term.label == dk.label(term.word, kind=name)
        assert set(ALL_VOCABULARIES) < set(VOCABULARIES)

    def test_ambiguous_word_and_unknown_word(self) -> None:
        """A word in two lists: ``kind`` chooses; an unknown word comes back readable."""
        assert ("Opioids", "Opioid use") == (dk.label("opioids"), dk.label("opioids", "needs"))
        assert "Call the navigator" == dk.label("call_the_navigator")
        with pytest.raises(ValueError, match="unknown kind 'need'"):
            dk.label("opioids", kind="need")

    def test_description(self) -> None:
        """The one-line description, empty when a word has none."""
        assert description("supervisor_review").startswith("A supervisor decides")
        assert "" == description("alcohol", kind="substances")


class TestProviderForDisplay:
    """A formatted phone and the number to call for intake."""

    def _provider(self, *phones: Phone, call_ahead: str | None = None) -> Provider:
        return Provider(
            slug="example",
            name="Example Clinic",
            location=Location("America/Phoenix"),
            phones=phones,
            intake=Intake(call_ahead=call_ahead),
        )

    def test_display(self) -> None:
        """E.164 becomes the number as dialled."""
        assert "520-555-0142" == Phone("+15205550142").display

    def test_around_the_clock_line_first(self) -> None:
        """A 24/7 line first, then call-ahead, then intake lines, then the rest, each once."""
        provider = self._provider(
            Phone("+15205550101", "Front desk"),
            Phone("+15205550102", "Intake"),
            Phone("+15205550103", "24-hour crisis line"),
            call_ahead="+15205550102",
        )

        assert ["+15205550103", "+15205550102", "+15205550101"] == [
            p.number for p in provider.intake_phones
        ]
        assert provider.intake_phone is not None
        assert "520-555-0103" == provider.intake_phone.display

    def test_no_phone(self) -> None:
        """A provider without numbers has no intake phone."""
        assert self._provider().intake_phone is None


class TestMatchReasonCodes:
    """``Match.reason_codes`` and ``lack_codes``: one code per prose reason."""

    def test_codes_beside_reasons(self) -> None:
        """Same length, same order; every code is a MATCH_REASONS word with a label."""
        directory = dk.load_directory("data/providers", today=dt.date(2026, 12, 1))
        matches = dk.match(
            directory, ["opioids"], at=AT, near="85705", limit=5, include_closed=True, language="es"
        )

        assert matches
        for m in matches:
            assert len(m.reasons) == len(m.reason_codes)
            assert len(m.lacks) == len(m.lack_codes)
            assert all(code in MATCH_REASONS for code in (*m.reason_codes, *m.lack_codes))
            assert m.reason_codes[0] == "serves_need"
            assert "speaks_language" in m.reason_codes
        best = matches[0]
        index = best.reason_codes.index("distance")
        assert " km from " in best.reasons[index]
