"""The published site in headless Chromium: filters, open-now, Pagefind, phone layout, axe-core."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deflectkit.site.facets import provider_needs

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# A Monday, 16:00 UTC: 09:00 in Phoenix (UTC-7 all year), 01:00 Tuesday in Tokyo.
FIXED = dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)


def _providers() -> list[Any]:
    from deflectkit.files.providers import load_directory

    return list(load_directory(ROOT / "data/providers", today=dt.date.today()))


def _count(page: Any) -> int:
    page.wait_for_selector(".dk-count[data-count]")
    return int(page.get_attribute(".dk-count", "data-count"))


def test_filters_narrow_the_list_and_counts_match(page: Any, site_url: str) -> None:
    """Each filter narrows the list; the count shown equals what the data says."""
    providers = _providers()
    page.goto(site_url + "directory/")
    assert len(providers) == _count(page)
    page.select_option("select[name=need]", "opioids")
    expected = sum("opioids" in provider_needs(p) for p in providers)
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{expected}'")
    assert 0 < expected < len(providers)
    assert min(expected, 50) == page.locator(".dk-results li").count()
    page.check("input[name=dropoff]")
    both = sum(
        "opioids" in provider_needs(p) and p.intake.first_responder_dropoff for p in providers
    )
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{both}'")
    assert both <= expected
    page.click(".dk-filters button[type=reset]")
    page.wait_for_function(
        f"document.querySelector('.dk-count').dataset.count === '{len(providers)}'"
    )
    page.select_option("select[name=lang]", "es")
    spanish = sum("es" in p.languages for p in providers)
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{spanish}'")


def test_distance_from_a_zip(page: Any, site_url: str, site_dir: Path) -> None:
    """A ZIP and a radius keep exactly the providers within that many miles, nearest first."""
    import json
    import math

    providers = _providers()
    first = next(p for p in providers if p.location.address and p.location.coordinates)
    assert first.location.address is not None
    zip_code = first.location.address.postal_code[:5]
    lat0, lon0 = json.loads((site_dir / "directory/zips.json").read_text())[zip_code]

    def miles(lat: float, lon: float) -> float:
        r = math.pi / 180
        a = (
            math.sin((lat - lat0) * r / 2) ** 2
            + math.cos(lat0 * r) * math.cos(lat * r) * math.sin((lon - lon0) * r / 2) ** 2
        )
        return 3958.8 * 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a))

    near = [
        p
        for p in providers
        if p.location.coordinates
        and miles(p.location.coordinates.lat, p.location.coordinates.lon) <= 25
    ]
    page.goto(site_url + "directory/")
    _count(page)
    page.fill("input[name=zip]", zip_code)
    page.select_option("select[name=radius]", "25")
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{len(near)}'")
    assert 1 <= len(near) < len(providers)
    shown = page.locator(".dk-results li .dk-muted").all_inner_texts()
    distances = [float(t.split(" mi")[0].split("· ")[-1]) for t in shown]
    assert sorted(distances) == distances


def test_open_now_uses_the_provider_time_zone(page: Any, site_url: str) -> None:
    """Open-now is computed in the provider's zone, whatever the browser's own zone is."""
    page.clock.set_fixed_time(FIXED)
    page.goto(site_url + "directory/")
    hours = [[[480, 1020]]] + [[] for _ in range(6)]  # Monday 08:00-17:00 only
    phoenix = page.evaluate(
        "h => deflectkit.isOpen(h, false, 'America/Phoenix', new Date())", hours
    )
    tokyo = page.evaluate("h => deflectkit.isOpen(h, false, 'Asia/Tokyo', new Date())", hours)
    assert (True, False) == (phoenix, tokyo)
    # And on a real provider page: the badge agrees with the library's own hours.
    provider = next(p for p in _providers() if p.intake_hours is not None and not p.is_24_7)
    local = FIXED.astimezone(ZoneInfo(provider.location.timezone))
    assert provider.intake_hours is not None
    expected = provider.intake_hours.is_open_local(local.weekday(), local.hour * 60 + local.minute)
    page.goto(site_url + f"providers/{provider.slug}/")
    badge = page.locator(".dk-provider .dk-open")
    badge.wait_for(state="visible")
    assert ("Open now" if expected else "Closed now") == badge.inner_text()


def test_pagefind_finds_a_provider_by_name_and_by_service(page: Any, site_url: str) -> None:
    """The provider search (Pagefind) finds a provider by its name and by a service label."""
    provider = next(p for p in _providers() if "withdrawal_management" in p.services)
    page.goto(site_url + "directory/")
    box = page.locator(".pagefind-ui__search-input")
    box.fill(provider.name)
    page.wait_for_selector(".pagefind-ui__result-link")
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert provider.name in titles
    box.fill("withdrawal management")
    links = "[...document.querySelectorAll('.pagefind-ui__result-link')]"
    page.wait_for_function(
        f"{links}.length > 0 && {links}.every(a => a.href.includes('/providers/'))"
    )
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(a => a.href)")
    assert any(f"/providers/{provider.slug}/" in h for h in hrefs)


def test_provider_page_fits_a_phone(page: Any, site_url: str) -> None:
    """A provider page renders at 390x844 without sideways scrolling; phones are tap targets."""
    provider = next(p for p in _providers() if p.phones)
    page.goto(site_url + f"providers/{provider.slug}/")
    assert provider.name == page.locator(".dk-provider h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tel = page.locator(".dk-contact a[href^='tel:']").first
    tel.scroll_into_view_if_needed()
    assert tel.is_visible()
    assert page.locator(".dk-provider h2#intake").is_visible()


@pytest.mark.parametrize(
    "path", ["", "directory/", "providers/{slug}/", "policy/", "policy/{policy}/"]
)
def test_axe_reports_no_serious_violations(page: Any, site_url: str, path: str) -> None:
    """axe-core finds no serious or critical accessibility violations on the main pages."""
    from axe_playwright_python.sync_playwright import Axe

    slug = _providers()[0].slug
    policy = next(iter(sorted((ROOT / "data/policies").glob("*.yaml")))).stem.removesuffix(".tests")
    page.goto(site_url + path.format(slug=slug, policy=policy))
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert [] == serious
