"""The playbook in headless Chromium: the readiness checklist and the print stylesheet."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


def _readiness(page: Any, site_url: str) -> None:
    page.goto(site_url + "playbook/readiness/")
    page.wait_for_selector("#dk-overall")


def _total(page: Any) -> int:
    return int(page.locator("input.dk-ready-box").count())


def test_tick_survives_reload_and_scores_update(page: Any, site_url: str) -> None:
    """Ticking a box updates the step and overall scores; after a reload it is still ticked."""
    _readiness(page, site_url)
    total = _total(page)
    assert f"Overall: 0 of {total} in place (0%)." == page.inner_text("#dk-overall")
    page.check("#rd-1a")
    page.check("#rd-1c")
    assert "Score: 2 of 4 (50%)" == page.inner_text("#dk-score-step-1")
    page.reload()
    page.wait_for_selector("#dk-overall")
    actual = (
        page.is_checked("#rd-1a"),
        page.is_checked("#rd-1b"),
        page.is_checked("#rd-1c"),
        page.inner_text("#dk-score-step-1"),
        page.inner_text("#dk-overall"),
    )
    pct = round(100 * 2 / total)
    overall = f"Overall: 2 of {total} in place ({pct}%)."
    expected = (True, False, True, "Score: 2 of 4 (50%)", overall)
    assert expected == actual


def test_unticking_and_clearing_forget_answers(page: Any, site_url: str) -> None:
    """Unticking removes a stored answer; "Clear my answers" removes the stored key."""
    _readiness(page, site_url)
    page.check("#rd-2a")
    page.check("#rd-2b")
    page.uncheck("#rd-2a")
    stored = page.evaluate("JSON.parse(localStorage.getItem('deflectkit.readiness.v1'))")
    assert {"rd-2b": True} == stored
    page.click("#dk-clear")
    page.reload()
    page.wait_for_selector("#dk-overall")
    stored_after = page.evaluate("localStorage.getItem('deflectkit.readiness.v1')")
    assert (False, None) == (page.is_checked("#rd-2b"), stored_after)


def test_each_gap_links_to_a_section_that_exists(page: Any, site_url: str) -> None:
    """Every unticked statement is listed as a gap whose link lands on an existing heading."""
    _readiness(page, site_url)
    page.check("#rd-1a")
    gaps = page.locator("#dk-gaps li")
    assert _total(page) - 1 == gaps.count()
    hrefs = sorted(set(page.eval_on_selector_all("#dk-gaps li a", "els => els.map(e => e.href)")))
    missing = []
    for href in hrefs:
        page.goto(href)
        anchor = href.split("#", 1)[1] if "#" in href else None
        target = f"[id='{anchor}']" if anchor else "h1"
        if page.locator(target).count() != 1:
            missing.append(href)
    assert [] == missing


def test_works_without_javascript_as_a_plain_list(browser: Any, site_url: str) -> None:
    """With JavaScript off, every statement is a usable checkbox with its help link, no scores."""
    context = browser.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        pg.goto(site_url + "playbook/readiness/")
        boxes = pg.locator("input.dk-ready-box")
        links = pg.locator(".dk-readiness a.dk-help")
        pg.check("#rd-3a")
        actual = (
            boxes.count() == links.count() and boxes.count() >= 30,
            pg.is_checked("#rd-3a"),
            pg.locator("#dk-overall").count(),
            pg.locator(".dk-score").count(),
        )
    finally:
        context.close()
    assert (True, True, 0, 0) == actual


def test_print_stylesheet_hides_navigation(page: Any, site_url: str) -> None:
    """Printing shows the content only: navigation, header, footer, search and buttons hidden."""
    page.set_viewport_size(DESKTOP)
    _readiness(page, site_url)
    chrome = [".md-header", ".md-sidebar--primary", ".md-footer", ".dk-controls"]
    on_screen = [page.locator(sel).first.is_visible() for sel in chrome]
    assert [True, True, True, True] == on_screen
    page.emulate_media(media="print")
    printed = [page.locator(sel).first.is_visible() for sel in chrome]
    search = page.evaluate(
        "[...document.querySelectorAll('.md-search, nav')]"
        ".every(e => getComputedStyle(e).display === 'none')"
    )
    content = page.locator(".dk-readiness").is_visible()
    assert ([False, False, False, False], True, True) == (printed, search, content)


def test_print_stylesheet_is_loaded_site_wide(page: Any, site_url: str) -> None:
    """The print stylesheet is linked from every page, the pocket card included."""
    found = []
    for path in ("", "playbook/", "playbook/pocket-card/"):
        page.goto(site_url + path)
        hrefs = page.eval_on_selector_all("link[rel=stylesheet]", "els => els.map(e => e.href)")
        found.append(any(re.search(r"assets/playbook/print\.css$", h) for h in hrefs))
    assert [True, True, True] == found


def test_pocket_card_prints_on_one_page(page: Any, site_url: str) -> None:
    """The officer pocket card, with the bundled data, prints on a single Letter sheet."""
    page.goto(site_url + "playbook/pocket-card/")
    page.wait_for_selector(".dk-pocket-card")
    pdf = page.pdf(format="Letter")
    counts = re.findall(rb"/Type\s*/Pages\b.*?/Count (\d+)", pdf, flags=re.DOTALL)
    counts = counts or re.findall(rb"/Count (\d+)", pdf)
    assert [b"1"] == counts[:1]


@pytest.mark.parametrize(
    "path", ["playbook/", "playbook/eight-steps/", "playbook/stigma/", "playbook/readiness/",
             "playbook/pocket-card/"]
)
def test_axe_reports_no_serious_violations(page: Any, site_url: str, path: str) -> None:
    """axe-core finds no serious or critical accessibility violations on playbook pages."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert [] == serious


@pytest.mark.parametrize("path", ["playbook/readiness/", "playbook/pocket-card/"])
def test_fits_a_phone_without_sideways_scrolling(page: Any, site_url: str, path: str) -> None:
    """The checklist and the pocket card fit the 390-pixel phone viewport."""
    page.goto(site_url + path)
    assert (page.evaluate("document.documentElement.scrollWidth") <= 390) is True
