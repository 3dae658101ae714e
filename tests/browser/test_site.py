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
    page.locator("summary").filter(has_text="More filters").click()
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
    state = first.location.address.state
    zips = json.loads((site_dir / f"directory/index/zips-{state}.json").read_text())
    lat0, lon0 = zips[zip_code]

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
    page.locator("summary").filter(has_text="More filters").click()
    page.select_option("select[name=radius]", "25")
    page.wait_for_function(f"document.querySelector('.dk-count').dataset.count === '{len(near)}'")
    assert 1 <= len(near) < len(providers)
    shown = page.locator(".dk-results li .dk-dist").all_inner_texts()
    distances = [float(t.split(" mi")[0]) for t in shown]
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
    badge = page.locator(".dk-provider .dk-card-page .dk-open")
    badge.wait_for(state="visible")
    text = badge.inner_text()
    assert text.startswith("Open until" if expected else "Opens"), text


def test_directory_search_finds_a_provider_by_name_and_by_service(page: Any, site_url: str) -> None:
    """The directory's one search box finds a provider by its name and by a service label.

    (It replaced Pagefind's separate box, which ignored the filters; Pagefind still indexes
    the provider pages.)
    """
    provider = next(p for p in _providers() if "withdrawal_management" in p.services)
    page.goto(site_url + "directory/")
    box = page.locator("input[name=q]")
    box.fill(provider.name)
    page.wait_for_function("document.querySelectorAll('.dk-results .dk-card').length >= 1")
    assert provider.name in page.locator(".dk-results .dk-card-name").all_inner_texts()
    box.fill("withdrawal management")
    page.wait_for_selector(f".dk-results .dk-card[data-slug='{provider.slug}']")
    box.fill("detox")
    page.wait_for_selector(f".dk-results .dk-card[data-slug='{provider.slug}']")


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


def _built_pages() -> list[str]:
    """Every HTML page of the repository's site, as the path after the base URL."""
    from deflectkit.site.markup import page_url

    docs = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))
    generated = ["directory/index.md", "policy/index.md", "measures/index.md"]
    generated += [
        f"providers/{p.stem}.md" for p in sorted((ROOT / "data/providers").glob("*.yaml"))
    ]
    return sorted({page_url(p) for p in docs + generated})


def test_axe_reports_no_serious_violations_on_any_page(
    page: Any, site_url: str, site_dir: Path
) -> None:
    """axe-core on EVERY built page: no serious or critical accessibility violation."""
    from axe_playwright_python.sync_playwright import Axe

    pages = sorted(
        p.relative_to(site_dir).as_posix().removesuffix("index.html")
        for p in site_dir.rglob("index.html")
        if not p.relative_to(site_dir).as_posix().startswith(("pagefind/", "assets/"))
    )
    assert len(pages) > 60
    axe = Axe()
    serious: list[str] = []
    for path in pages:
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        results = axe.run(page)
        serious += [
            f"/{path}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
            for v in results.response["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
    assert [] == serious, "\n".join(serious)


@pytest.mark.parametrize("path", ["", "directory/", "providers/{slug}/"])
def test_axe_night_colors(browser: Any, site_url: str, path: str) -> None:
    """The night palette (phone set to dark) keeps AA contrast on the pages officers use."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(site_url + path.format(slug=_providers()[0].slug))
        page.wait_for_load_state("load")
        assert "slate" == page.evaluate("document.body.dataset.mdColorScheme")
        results = Axe().run(page)
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert [] == serious
