"""The person's leave-behind card in headless Chromium: one Letter page per language side."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CARD = "playbook/leave-behind-card/"
#: Letter is 8.5 by 11 inches; the card's @page margins take half an inch on every side.
PRINTABLE_PX = {"width": int((8.5 - 1) * 96), "height": (11 - 1) * 96}


def _pages(pdf: bytes) -> int:
    """The page count Chromium wrote in the PDF's page tree."""
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count (\d+)", pdf, flags=re.DOTALL)
    counts = counts or re.findall(rb"/Count (\d+)", pdf)
    assert counts, "no page tree in the PDF"
    return int(counts[0])


def _open(page: Any, site_url: str) -> None:
    page.goto(site_url + CARD)
    page.wait_for_selector(".dk-leave-behind .dk-lb-side[lang=es]")


def test_prints_on_two_letter_pages_one_per_language(page: Any, site_url: str) -> None:
    """The sheet prints as two Letter pages: English on the front, Spanish on the back."""
    _open(page, site_url)
    assert 2 == _pages(page.pdf(format="Letter"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_each_language_side_fits_one_page(page: Any, site_url: str, lang: str) -> None:
    """Each side alone prints on exactly one Letter page and is shorter than the page."""
    _open(page, site_url)
    page.set_viewport_size(PRINTABLE_PX)  # lay it out at the printed width to measure it
    page.emulate_media(media="print")
    page.evaluate(
        "lang => document.querySelectorAll('.dk-lb-side').forEach("
        "s => { if (s.lang !== lang) s.remove(); })",
        lang,
    )
    height = page.evaluate(
        "document.querySelector('.dk-lb-side').getBoundingClientRect().height"
    )
    chrome = page.evaluate(
        "['.md-header', '.md-sidebar--primary', '.md-footer']"
        ".map(s => document.querySelector(s)).filter(Boolean)"
        ".map(e => getComputedStyle(e).display)"
    )

    assert 1 == _pages(page.pdf(format="Letter"))
    assert 0 < height < PRINTABLE_PX["height"]
    assert {"none"} == set(chrome)


def test_sides_are_marked_with_their_language(page: Any, site_url: str) -> None:
    """Screen readers switch voice: each side carries ``lang``; both have 988 and 911 links."""
    _open(page, site_url)
    sides = page.eval_on_selector_all(
        ".dk-lb-side",
        "els => els.map(e => [e.lang, e.querySelectorAll('a[href=\"tel:988\"]').length,"
        " e.querySelectorAll('a[href=\"tel:911\"]').length, e.querySelector('h2').textContent])",
    )
    assert [
        ["en", 1, 1, "Help is here when you want it"],
        ["es", 1, 1, "Hay ayuda cuando usted la quiera"],
    ] == sides


def test_axe_reports_no_serious_violations(page: Any, site_url: str) -> None:
    """axe-core finds no serious or critical accessibility violations on the card."""
    from axe_playwright_python.sync_playwright import Axe

    _open(page, site_url)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert [] == serious


def test_fits_a_phone_without_sideways_scrolling(page: Any, site_url: str) -> None:
    """On a 390-pixel phone the card reads without scrolling sideways."""
    _open(page, site_url)
    assert (page.evaluate("document.documentElement.scrollWidth") <= 390) is True


def test_a_full_card_still_prints_on_one_page_per_side(page: Any, site_url: str) -> None:
    """At the cap (five places with long names, more online, a program contact) it still fits."""
    from deflectkit.core.hours import parse_hours
    from deflectkit.core.providers import Address, Intake, Location, Phone, Provider
    from deflectkit.site.leave_behind import MAX_PLACES, render_leave_behind

    long_name = "Example Regional Behavioral Health and Recovery Crisis Stabilization Center"
    providers = [
        Provider(
            slug=f"example-{i}",
            name=f"{long_name} {i}",
            location=Location("America/Phoenix", address=Address(
                "Tucson", "AZ", "85701", street=f"{1000 + i} North Example Boulevard, Suite 200")),
            sample=True,
            phones=(Phone(f"+152055501{i:02d}", "24/7 intake"),),
            hours=parse_hours("24/7"),
            intake=Intake(walk_in=True),
            services=("harm_reduction", "naloxone_distribution"),
            languages=("en", "es"),
        )
        for i in range(MAX_PLACES + 3)
    ]
    content = render_leave_behind(
        providers, today=dt.date(2026, 12, 1),
        program_contact="Example County Deflection Program office: 520-555-0100, weekdays",
    ).content
    assert isinstance(content, str)
    card = content[content.index('<div class="dk-leave-behind">'):].strip()
    _open(page, site_url)
    page.evaluate("html => { document.querySelector('.dk-leave-behind').outerHTML = html; }", card)

    assert MAX_PLACES * 2 == page.locator(".dk-lb-places li").count()
    assert 2 == _pages(page.pdf(format="Letter"))
