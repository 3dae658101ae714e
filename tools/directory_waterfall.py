"""Print the request waterfall of the directory home on an emulated slow 3G link.

The same conditions as ``tests/browser/test_officer_path.py``
(``test_directory_usable_on_slow_3g_with_a_slow_cpu``): 2 s latency, 400 kbit/s each way,
a 4x slower CPU, a 390x844 viewport, the site served gzip-encoded over HTTP/1.1 by the
browser tests' server. For each request the Chrome DevTools Protocol network log gives when
it was asked for, when its answer started and finished, and the bytes on the wire; the last
line is when the first result card and the filters were shown ("usable").

Run (Debian Chromium and a built site)::

    mkdocs build --strict -d /tmp/site
    python tools/directory_waterfall.py /tmp/site [--page es/directory/] [--runs 3]

A diagnostic for people, not a test: timings on a shared machine are not verdicts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

SLOW_3G = {
    "offline": False,
    "latency": 2000,
    "downloadThroughput": 50000,
    "uploadThroughput": 50000,
}


#: Seconds from the navigation's start to the first paint with content (0 if none yet).
_FIRST_PAINT = (
    "(performance.getEntriesByName('first-contentful-paint')[0] || {startTime: 0}).startTime"
    " / 1000"
)


class _NetworkLog:
    """The CDP network events of one page, by request id."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.first: float | None = None

    def sent(self, event: dict[str, Any]) -> None:
        if self.first is None:
            self.first = event["timestamp"]
        self.rows[event["requestId"]] = {"url": event["request"]["url"], "sent": event["timestamp"]}

    def received(self, event: dict[str, Any]) -> None:
        row = self.rows.get(event["requestId"])
        if row is not None:
            row["status"] = event["response"]["status"]
            row["first_byte"] = event["timestamp"]
            row["from_sw"] = event["response"].get("fromServiceWorker", False)

    def finished(self, event: dict[str, Any]) -> None:
        row = self.rows.get(event["requestId"])
        if row is not None:
            row["done"] = event["timestamp"]
            row["bytes"] = event["encodedDataLength"]


def _visit(page: Any, url: str) -> float:
    """Seconds from asking for the page until its first card and filters are shown."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.locator(".dk-results .dk-card").first.wait_for()
    page.locator(".dk-filters select[name=need]").wait_for(state="visible")
    return time.perf_counter() - started


def _print(log: _NetworkLog, base: str, usable: float) -> None:
    start = log.first or 0.0
    total = 0
    print(f"{'sent':>6} {'1st B':>6} {'done':>6} {'bytes':>7}  status  url")
    for row in sorted(log.rows.values(), key=lambda r: r["sent"]):
        def at(key: str, row: dict[str, Any] = row) -> str:
            return f"{row[key] - start:6.2f}" if key in row else "     -"

        total += int(row.get("bytes", 0))
        sw = " (sw)" if row.get("from_sw") else ""
        print(
            f"{at('sent')} {at('first_byte')} {at('done')} {int(row.get('bytes', 0)):7d}"
            f"  {row.get('status', '-')!s:>6}  {row['url'].replace(base, '/')}{sw}"
        )
    print(f"requests {len(log.rows)}, {total} bytes on the wire; usable after {usable:.2f} s")


def main() -> int:
    """Serve the built site, load the page on slow 3G and print its waterfall."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (mkdocs build -d SITE)")
    parser.add_argument("--page", default="directory/", help="the page, relative to the site")
    parser.add_argument("--runs", type=int, default=1, help="first visits, each in a new context")
    parser.add_argument("--quiet", action="store_true", help="only the usable seconds")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server, base = serve(args.site, gzip=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            for _ in range(args.runs):
                _run(browser, base, args.page, quiet=args.quiet)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


def _run(browser: Any, base: str, page_path: str, *, quiet: bool) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    page = context.new_page()
    page.set_default_timeout(60000)
    cdp = context.new_cdp_session(page)
    for visit in ("first visit", "second visit (service worker)"):
        log = _NetworkLog()
        handlers = {
            "Network.requestWillBeSent": log.sent,
            "Network.responseReceived": log.received,
            "Network.loadingFinished": log.finished,
        }
        for name, handler in handlers.items():
            cdp.on(name, handler)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        usable = _visit(page, base + page_path)
        painted = page.evaluate(_FIRST_PAINT)
        page.wait_for_timeout(8000)  # the requests that come after "usable" (sitemaps, SW)
        if quiet:
            print(f"{visit}: usable after {usable:.2f} s, first paint {painted:.2f} s")
        else:
            print(f"== {visit}")
            _print(log, base, usable)
            print(f"first contentful paint {painted:.2f} s after the navigation started")
        for name, handler in handlers.items():
            cdp.remove_listener(name, handler)
        if visit == "first visit":
            # At most 30 s: a page that registers no service worker is measured again anyway.
            page.evaluate(
                "Promise.race([navigator.serviceWorker.ready,"
                " new Promise(r => setTimeout(r, 30000))])"
            )
    context.close()


if __name__ == "__main__":
    sys.exit(main())
