"""The Spanish directory under ``/es/``: no English UI string, hreflang, the officer's task.

The scan tests read the built site (no browser); the others play the pages in Chromium at
phone size with the browser's locale set to es-US.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from deflectkit.site.strings import STRINGS, STRINGS_ES
from tests.browser.conftest import guard_requests
from tests.browser.test_officer_path import (
    HERE,
    WEDNESDAY_3AM,
    _assert_first_card_calls,
    _first_match,
    _officer_task,
)

ROOT = Path(__file__).resolve().parents[2]
#: Sentences that read the same in both languages (a distance unit; "No").
SAME_IN_BOTH = {"miles", "no"}
#: Attributes a person hears or sees (screen readers read aria-label; a tap shows title).
_READ_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Reader(HTMLParser):
    """The text a person reads on a page, without scripts and without ``lang="en"`` parts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (
            self._skipping()
            or tag in {"script", "style", "template"}
            or (values.get("lang") or "").startswith("en")
        )
        if not skipped:
            self.parts += [v for k, v in attrs if k in _READ_ATTRIBUTES and v]
            if tag == "meta" and values.get("name") == "description" and values.get("content"):
                self.parts.append(values["content"] or "")
        if tag not in _VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self._skipping() and data.strip():
            self.parts.append(data)


def _english_phrases() -> dict[str, re.Pattern[str]]:
    """Each English UI sentence's literal pieces (between ``{marks}``) as whole-word patterns."""
    out: dict[str, re.Pattern[str]] = {}
    for key, text in STRINGS.items():
        if key in SAME_IN_BOTH:
            continue
        pieces = text.split(",") if key == "weekdays" else re.split(r"\{[a-z0-9]+\}", text)
        for piece in (p.strip(" ·:") for p in pieces):
            if re.search(r"[A-Za-z]{3,}", piece) and piece not in STRINGS_ES[key]:
                out[f"{key}: {piece!r}"] = re.compile(r"(?<!\w)" + re.escape(piece) + r"(?!\w)")
    return out


def _provider_words() -> list[str]:
    """Names and addresses of the bundled providers: data, not UI, in either language."""
    from deflectkit.files.providers import load_directory

    words: list[str] = []
    for p in load_directory(ROOT / "data/providers", today=dt.date(2026, 12, 1)):
        words += [p.name, p.organization or "", p.email or ""]
        a = p.location.address
        if a is not None:
            words += [a.street or "", a.city, a.county or "", a.state]
    return sorted({w for w in words if w}, key=len, reverse=True)


def _spanish_pages(site_dir: Path) -> list[Path]:
    return sorted((site_dir / "es").rglob("*.html"))


def test_every_spanish_directory_page_is_built_and_in_spanish(site_dir: Path) -> None:
    """Home, browse and provider pages exist under es/, each with ``<html lang="es">``."""
    pages = _spanish_pages(site_dir)
    english = [
        p
        for p in site_dir.rglob("*.html")
        if p.relative_to(site_dir).parts[0] in {"providers", "directory"}
    ]
    assert len(pages) == len(english) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert '<html lang="es"' in html, page
        # The site's nav and palette toggle come from mkdocs.yml, in English: marked so.
        assert '<ul lang="en" class="md-nav__list"' in html, page
        assert 'data-md-component="palette" lang="en"' in html, page


def test_no_english_ui_string_on_the_spanish_directory(site_dir: Path) -> None:
    """Every /es/ page's text and read attributes, against every English sentence of STRINGS.

    Left out: scripts, elements marked ``lang="en"`` (English fallbacks, the switch to
    English, phone labels) and provider names and addresses (data, the same in any language).
    """
    phrases = _english_phrases()
    assert len(phrases) > 80
    data = _provider_words()
    found: list[str] = []
    for page in _spanish_pages(site_dir):
        reader = _Reader()
        reader.feed(page.read_text(encoding="utf-8"))
        text = "\n".join(reader.parts)
        for word in data:
            text = text.replace(word, " ")
        rel = page.relative_to(site_dir).as_posix()
        found += [f"{rel}: {name}" for name, pattern in phrases.items() if pattern.search(text)]
    assert [] == found[:40], f"{len(found)} English strings"


def test_the_scan_catches_an_english_string(site_dir: Path) -> None:
    """The scan above can fail: English text in a Spanish page is found, a lang="en" one is not."""
    phrases = _english_phrases()
    reader = _Reader()
    reader.feed(
        '<p>Llame <span lang="en">Call for hours</span></p>'
        '<button aria-label="Show more">+</button>'
    )
    text = "\n".join(reader.parts)
    hits = [name for name, pattern in phrases.items() if pattern.search(text)]
    assert ["show_more: 'Show more'"] == hits


_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">')


def test_hreflang_links_both_ways(site_dir: Path) -> None:
    """Each directory page names itself and its twin; the twin names it back; nothing else does."""
    checked = 0
    for page in sorted(site_dir.rglob("*.html")):
        rel = page.relative_to(site_dir).as_posix()
        links = dict(_ALTERNATE.findall(page.read_text(encoding="utf-8")))
        twinned = rel.split("/")[0] in {"providers", "directory", "es"}
        if not twinned:
            assert {} == links, rel
            continue
        assert {"en", "es", "x-default"} == set(links), rel
        here = "/" + rel.removesuffix("index.html")
        english = urljoin(here, links["en"])
        spanish = urljoin(here, links["es"])
        assert spanish == "/es" + english, rel
        assert here in {english, spanish}
        twin = site_dir / (spanish if here == english else english).lstrip("/") / "index.html"
        back = dict(_ALTERNATE.findall(twin.read_text(encoding="utf-8")))
        assert urljoin(spanish if here == english else english, back["es"]) == spanish
        checked += 1
    assert checked > 100


def _spanish_phone(browser: Any, site_url: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """A phone in Tucson at 03:00 on a Wednesday, set to Spanish (es-US), location allowed."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="es-US",
        timezone_id="America/Phoenix",
        geolocation=HERE,
        permissions=["geolocation"],
        **options,
    )
    external = guard_requests(context, site_url)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.clock.install(time=WEDNESDAY_3AM)
    return context, page, external


@pytest.mark.browser
def test_officer_task_in_spanish_reaches_a_call_link(browser: Any, site_url: str) -> None:
    """Need, drop-off, open now, location on /es/: the first card calls, with no more taps."""
    provider = _first_match()
    context, page, external = _spanish_phone(browser, site_url)
    try:
        page.goto(site_url + "es/directory/")
        assert "es" == page.evaluate("document.documentElement.lang")
        page.locator(".dk-filters").wait_for()
        actions = _officer_task(page)
        _assert_first_card_calls(page, provider)
        card = page.locator(".dk-results .dk-card").first
        call = card.locator("a.dk-call")
        assert call.inner_text().startswith("Llamar al ")
        assert card.locator(".dk-open").inner_text().startswith("Abierto hasta las ")
        assert "Traslado policial" in card.locator(".dk-card-facts").inner_text()
        assert "coinciden" in page.locator(".dk-count").inner_text()
        assert "Usando su ubicación" in page.locator("#dk-place-msg").inner_text()
        link = card.locator(".dk-card-name a").get_attribute("href")
        assert link is not None
        assert "/es/providers/" in urljoin(page.url, link)
        assert 4 == len(actions)
    finally:
        context.close()
    assert [] == external


@pytest.mark.browser
def test_language_switch_keeps_the_filters(browser: Any, site_url: str) -> None:
    """Español -> English -> Español: need, drop-off, ZIP and search survive each switch."""
    context, page, external = _spanish_phone(browser, site_url)
    count = "document.querySelector('.dk-count').dataset.count"
    try:
        page.goto(site_url + "es/directory/")
        page.locator(".dk-filters").wait_for()
        page.select_option("select[name=need]", "opioids")
        page.locator("input[name=dropoff]").tap()
        page.fill("input[name=zip]", "85705")
        page.locator("summary").first.tap()
        page.select_option("select[name=radius]", "25")
        page.wait_for_function(f"{count} !== undefined")
        page.wait_for_function("document.querySelector('.dk-results .dk-dist').textContent")
        found = page.evaluate(count)
        page.locator(".dk-lang-switch").tap()
        page.wait_for_url(lambda url: "/es/" not in url)
        assert "/directory/?" in page.url
        assert "en" == page.evaluate("document.documentElement.lang")
        page.locator(".dk-filters").wait_for()
        assert "opioids" == page.locator("select[name=need]").input_value()
        assert page.locator("input[name=dropoff]").is_checked()
        assert "85705" == page.locator("input[name=zip]").input_value()
        assert "25" == page.locator("select[name=radius]").input_value()
        page.wait_for_function(f"{count} === '{found}'")
        assert "providers match" in page.locator(".dk-count").inner_text()
        page.locator(".dk-lang-switch").tap()
        page.wait_for_url("**/es/directory/?*")
        assert "opioids" == page.locator("select[name=need]").input_value()
        assert "85705" == page.locator("input[name=zip]").input_value()
        page.wait_for_function(f"{count} === '{found}'")
    finally:
        context.close()
    assert [] == external


@pytest.mark.browser
def test_axe_on_the_spanish_directory(browser: Any, site_url: str) -> None:
    """axe-core in es-US on the Spanish home, a provider page, a need page and a place page."""
    from axe_playwright_python.sync_playwright import Axe

    provider = _first_match()
    paths = [
        "es/directory/",
        f"es/providers/{provider.slug}/",
        "es/directory/need/opioids/",
        "es/directory/place/az/",
    ]
    context, page, external = _spanish_phone(browser, site_url)
    serious: list[str] = []
    try:
        for path in paths:
            page.goto(site_url + path)
            page.wait_for_load_state("load")
            results = Axe().run(page)
            serious += [
                f"/{path}: {v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
                for v in results.response["violations"]
                if v.get("impact") in {"serious", "critical"}
            ]
    finally:
        context.close()
    assert [] == serious, "\n".join(serious)
    assert [] == external


@pytest.mark.browser
def test_spanish_provider_page_shows_english_fallback_marked(browser: Any, site_url: str) -> None:
    """A description with no Spanish version shows in English inside ``lang="en"``."""
    from deflectkit.files.providers import load_directory

    providers = list(load_directory(ROOT / "data/providers", today=WEDNESDAY_3AM.date()))
    without = next(p for p in providers if p.description and not p.description_es)
    with_es = next(p for p in providers if p.description_es)
    context, page, external = _spanish_phone(browser, site_url)
    try:
        page.goto(site_url + f"es/providers/{without.slug}/")
        desc = page.locator(".dk-desc [lang=en]")
        assert without.description == desc.inner_text()
        assert page.locator(".dk-card-page .dk-open").inner_text().strip()
        page.goto(site_url + f"es/providers/{with_es.slug}/")
        assert with_es.description_es == page.locator(".dk-desc").inner_text()
        assert 0 == page.locator(".dk-desc [lang=en]").count()
        page.locator(".md-search__input").first.evaluate("e => e.focus()")
        label = page.evaluate(
            "(document.querySelector('.md-search[role=dialog]') || {getAttribute: () => ''})"
            ".getAttribute('aria-label')"
        )
        assert label in {"", STRINGS_ES["search_site"]}
    finally:
        context.close()
    assert [] == external


def test_spanish_pages_stay_within_the_english_budgets(site_dir: Path) -> None:
    """Each /es/ page is within 10 % of its English twin, as stored and gzip-encoded.

    The size budgets (benchmarks/bench_site.py: provider page < 40 KB, directory home
    < 300 KB gzip) are measured on the English pages; Spanish runs longer than English, and
    this keeps the Spanish pages inside the same budgets. The benchmark's largest provider
    page counts the es/ pages too.
    """
    import gzip

    over: list[str] = []
    checked = 0
    for page in _spanish_pages(site_dir):
        rel = page.relative_to(site_dir / "es")
        spanish, english = page.read_bytes(), (site_dir / rel).read_bytes()
        for kind, es_size, en_size in (
            ("stored", len(spanish), len(english)),
            ("gzip", len(gzip.compress(spanish, 6)), len(gzip.compress(english, 6))),
        ):
            if es_size > en_size * 1.10:
                over.append(f"es/{rel}: {es_size} B {kind} vs {en_size} B in English")
        checked += 1
    assert checked > 50
    assert [] == over


@pytest.mark.browser
def test_second_visit_works_offline_in_spanish(browser: Any, site_url: str) -> None:
    """After one visit to /es/ the service worker holds the Spanish directory and pages offline."""
    provider = _first_match()
    context, page, external = _spanish_phone(browser, site_url, service_workers="allow")
    try:
        page.clock.resume()
        page.goto(site_url + "es/directory/")
        page.wait_for_function(
            "navigator.serviceWorker.ready.then(r => !!r.active && r.active.state === 'activated')"
        )
        context.set_offline(True)
        page.goto(site_url + "es/directory/")
        page.locator(".dk-filters").wait_for()
        _officer_task(page)
        _assert_first_card_calls(page, provider)
        page.goto(site_url + f"es/providers/{provider.slug}/")
        assert provider.name == page.locator(".dk-provider h1").inner_text()
        assert page.locator(".dk-card-page a.dk-call").inner_text().startswith("Llamar al ")
    finally:
        context.close()
    assert [] == external
