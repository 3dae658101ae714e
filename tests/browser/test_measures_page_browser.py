"""The /measures/ page in headless Chromium: no serious axe-core violation, fits a phone."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        f"{[n.get('target') for n in v['nodes']][:3]})"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def test_measures_page_has_no_serious_axe_violation(page: Any, site_url: str) -> None:
    """axe-core finds no serious or critical accessibility violation on /measures/."""
    page.goto(site_url + "measures/")
    page.wait_for_load_state("networkidle")

    assert [] == _serious(page)


def test_measures_page_at_phone_size(page: Any, site_url: str) -> None:
    """At 390x844 the page says referrals and charges deflected apart, and its wide tables
    scroll inside themselves rather than the whole page scrolling sideways."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "measures/")
    text = page.locator("article").inner_text()

    assert "Charges deflected" in text
    assert "Referrals to treatment and services" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
