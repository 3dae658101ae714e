"""The person's leave-behind card (deflectkit.site.leave_behind): content, languages, escaping."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pytest

import deflectkit as dk
from deflectkit.core.hours import parse_hours
from deflectkit.core.providers import Address, Intake, Location, Phone, Provider
from deflectkit.site.generator import SiteConfig, generate_site
from deflectkit.site.leave_behind import (
    LEAVE_BEHIND_PATH,
    MAX_PLACES,
    TEXT,
    naloxone_provider,
    render_leave_behind,
    walk_in_places,
)
from deflectkit.site.plugin import IN_NAV
from tests.test_labels_es import STIGMATISING

TODAY = dt.date(2026, 12, 1)


def _provider(
    slug: str,
    name: str,
    *,
    hours: str | dict[str, str] = "24/7",
    walk_in: bool = True,
    services: tuple[str, ...] = (),
    languages: tuple[str, ...] = ("en",),
    phone: str = "+15205550142",
) -> Provider:
    return Provider(
        slug=slug,
        name=name,
        location=Location(
            "America/Phoenix", address=Address("Tucson", "AZ", "85701", street="1 Example Way")
        ),
        sample=True,
        phones=(Phone(phone, "Front desk"),),
        hours=parse_hours(hours),
        intake=Intake(walk_in=walk_in),
        services=services,
        languages=languages,
    )


class _Sides(HTMLParser):
    """The text of each ``section.dk-lb-side``, by its ``lang``."""

    def __init__(self) -> None:
        super().__init__()
        self.sides: dict[str, list[str]] = {}
        self._lang: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section" and "dk-lb-side" in (found.get("class") or ""):
            self._lang = found.get("lang") or "?"
            self.sides[self._lang] = []
            self._depth = 0
        if self._lang is not None and tag == "section":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self._lang is not None and tag == "section":
            self._depth -= 1
            if self._depth == 0:
                self._lang = None

    def handle_data(self, data: str) -> None:
        if self._lang is not None:
            self.sides[self._lang].append(data)


def _card(providers: Iterable[Provider], program_contact: str | None = None) -> str:
    content = render_leave_behind(providers, today=TODAY, program_contact=program_contact).content
    assert isinstance(content, str)
    return content


def _sides(content: str) -> dict[str, str]:
    parser = _Sides()
    parser.feed(content)
    return {lang: " ".join("".join(parts).split()) for lang, parts in parser.sides.items()}


def test_both_languages_say_everything() -> None:
    """Every sentence exists in English and in Spanish (a key missing in one fails)."""
    assert set(TEXT["en"]) == set(TEXT["es"])
    assert [] == [k for k, v in TEXT["es"].items() if not v and k != "spanish_spoken"]


def test_english_side_then_spanish_side_from_the_bundled_data() -> None:
    """The 24/7 walk-in places of ``data/providers``, 988, 911 and naloxone on both sides."""
    directory = dk.load_directory("data/providers")
    places = walk_in_places(directory)
    card = render_leave_behind(directory, today=TODAY)
    assert isinstance(card.content, str)
    sides = _sides(card.content)

    assert LEAVE_BEHIND_PATH == card.path
    assert ["en", "es"] == list(sides)
    assert places
    assert all(p.is_24_7 and p.intake.walk_in for p in places)
    for text in sides.values():
        assert [p.name for p in places] == [p.name for p in places if p.name in text]
        assert "988" in text
        assert "911" in text
    assert "Example Crisis Response Center" in sides["en"]
    assert "What happens next" in sides["en"]
    assert "deflection referral" in sides["en"]
    assert "Qué pasa ahora" in sides["es"]
    assert "marque 2" in sides["es"]
    assert "Se habla español" in sides["es"]
    assert "Información actualizada al 1 de diciembre de 2026." in sides["es"]
    assert "Information as of December 1, 2026." in sides["en"]
    assert card.content.count('href="tel:988"') == 2
    assert card.content.count('href="tel:911"') == 2


def test_no_english_sentence_on_the_spanish_side() -> None:
    """No English sentence of the card shows on the Spanish side (names and data aside)."""
    directory = dk.load_directory("data/providers")
    spanish = _sides(_card(directory))["es"]
    english = [re.sub(r"<[^>]+>|\{[a-z]+\}", "", v) for k, v in TEXT["en"].items()
               if k not in ("months", "date", "side")]
    left = [s for s in english if s.strip(" .,:()") and s.strip(" .,:") in spanish]
    assert [] == left


def test_person_first_words_on_both_sides() -> None:
    """The stigma guide applies: no "addict", "abuse", "clean"; no Spanish equivalents."""
    english_stigma = re.compile(r"\b(addicts?|abuser?s?|junkies?|clean|dirty|relapsed?)\b", re.I)
    sides = _sides(_card(dk.load_directory("data/providers")))
    assert english_stigma.search(sides["en"]) is None
    assert STIGMATISING.search(sides["es"]) is None


def test_naloxone_line_prefers_harm_reduction_and_has_a_fallback() -> None:
    """A harm-reduction program that hands out naloxone is named; else the card says ask."""
    hub = _provider("hub", "Example Hub", hours={"mon-fri": "09:00-17:00"}, walk_in=False,
                    services=("harm_reduction", "naloxone_distribution"),
                    phone="+15205550111")
    clinic = _provider("clinic", "Example Clinic", services=("naloxone_distribution",))
    other = _provider("other", "Example Other")

    assert hub == naloxone_provider([clinic, hub, other])
    assert clinic == naloxone_provider([clinic, other])
    assert naloxone_provider([other]) is None
    content = _card([clinic, hub])
    assert "Free naloxone: Example Hub" in content
    assert '<a href="tel:+15205550111">520-555-0111</a>' in content
    none = _sides(_card([other]))
    assert TEXT["en"]["naloxone_none"] in none["en"]
    assert TEXT["es"]["naloxone_none"] in none["es"]


def test_places_are_capped_and_the_rest_point_to_the_directory() -> None:
    """A big directory lists the first places by name and says more are online."""
    many = [_provider(f"p{i:02d}", f"Example Place {i:02d}") for i in range(12)]
    closed = _provider("closed", "Example Aardvark", hours={"mon": "09:00-10:00"})
    no_walk_in = _provider("nowalk", "Example Aardvark Two", walk_in=False)
    sides = _sides(_card([*many, closed, no_walk_in]))

    listed = re.findall(r"Example Place \d\d", sides["en"])
    assert [f"Example Place {i:02d}" for i in range(MAX_PLACES)] == listed
    assert "Aardvark" not in sides["en"]
    assert TEXT["en"]["more_places"] in sides["en"]
    assert TEXT["es"]["more_places"] in sides["es"]


def test_no_walk_in_place_says_call_988() -> None:
    """Without a 24/7 walk-in place the card says so and points to 988, in both languages."""
    sides = _sides(_card([]))
    assert TEXT["en"]["no_places"] in sides["en"]
    assert TEXT["es"]["no_places"] in sides["es"]


def test_data_is_escaped_and_program_contact_is_marked_english() -> None:
    """A provider name with markup shows as text; the agency's line is ``lang="en"`` in Spanish."""
    evil = _provider("evil", '<script>alert(1)</script> "Example"',
                     services=("harm_reduction", "naloxone_distribution"))
    content = _card([evil], program_contact="Office <b>520-555-0100</b>")

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;Example&quot;" in content
    assert "Program contact: Office &lt;b&gt;520-555-0100&lt;/b&gt;" in content
    assert (
        'Contacto del programa: <span lang="en">Office &lt;b&gt;520-555-0100&lt;/b&gt;</span>'
        in content
    )


@pytest.mark.parametrize("number", ["5550100", "+1 520 555 0100", "javascript:alert(1)"])
def test_phone_links_only_from_checked_numbers(number: str) -> None:
    """A number that is not E.164 never becomes a ``tel:`` link (the loader normalises them)."""
    odd = _provider("odd", "Example Odd", phone=number)
    content = _card([odd])
    assert f'href="tel:{number}"' not in content


def test_the_site_generator_builds_the_card_in_the_nav() -> None:
    """``generate_site`` writes the card beside the pocket card; it is listed in the nav."""
    files = generate_site(
        SiteConfig(providers_dir="data/providers", policies_dir=None, events_file=None,
                   schemas_dir=None),
        today=TODAY,
    )
    paths = [f.path for f in files]

    assert LEAVE_BEHIND_PATH in paths
    assert LEAVE_BEHIND_PATH in IN_NAV
    assert "playbook/pocket-card.md" in paths


def test_the_agency_contact_option_reaches_the_card() -> None:
    """The site's ``agency_contact`` option is the card's program contact line."""
    files = generate_site(
        SiteConfig(providers_dir="data/providers", policies_dir=None, events_file=None,
                   schemas_dir=None, agency_contact="Example program office: 520-555-0100"),
        today=TODAY,
    )
    card = next(f for f in files if f.path == LEAVE_BEHIND_PATH)
    assert isinstance(card.content, str)
    assert "Program contact: Example program office: 520-555-0100" in card.content
