"""Building the published site for a national directory, against MkDocs-material's own floor.

Ours: ``mkdocs build`` of a project with ``plugins: [deflectkit]`` over N synthetic provider
files: the plugin loads and checks the YAML through the library, generates one page per
provider and language (English, and Spanish under ``es/``; out of the nav), the browse
pages, the directory homes and the JSON index, and MkDocs-material renders them all.
Floor: the same MkDocs-material build of 2N plain Markdown pages (one per provider page we
render) of the same average size as our provider pages (written to ``docs/``, out of the
nav, excluded from Material's search like ours): the least the engine itself spends on
that many pages.

Pagefind is timed separately (it runs after the build, on the built HTML) and reported in the
notes. Targets: within 1.3x of the floor, linear in N, provider pages under 40 KB.

Run: ``python -m benchmarks.bench_site [--quick]`` (quick: 5,000 providers; full: 5,000 and
30,000, several minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks._harness import Result
from benchmarks.synthetic import write_directory

TODAY = dt.date(2026, 11, 27)
#: The languages the plugin renders each provider page in (its default, ``spanish: true``).
LANGUAGES = ("en", "es")
CHROMIUM = Path("/usr/bin/chromium")
SEARCH_TEXT = "detox"  # a synonym: the directory's box reads it as withdrawal management
_THEME = """theme:
  name: material
  font: false
"""


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _mkdocs(project: Path, site: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``mkdocs build`` in a child process (a clean interpreter).

    CPU time (user + system) is the figure compared: on a shared 2-core machine the wall
    time also measures everyone else's work.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu = _cpu_children()
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        check=True,
        env=env,
        cwd=project,
    )
    return time.perf_counter() - start, _cpu_children() - cpu


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _downloads(site: Path, zip_code: str) -> dict[str, float] | None:
    """Bytes a browser downloads: the directory home (cold cache), then one search.

    Debian's Chromium, through Playwright, loads ``/directory/`` from a local ``http.server``
    until the filter form is drawn and the network is idle (the theme's site-search index
    waits until its box is opened, so it is not counted). One search: the officer types a
    ZIP code (``zip_code``, in the state with the most providers: the largest index file)
    and :data:`SEARCH_TEXT` into the directory's search box; counted until the cards are
    drawn and the network is idle. Every response body is counted as served and as it
    would travel gzip-encoded. Service workers are blocked here: the offline copy downloads
    in the background after the first visit and is reported apart (:func:`_offline_bytes`).
    ``None`` without a browser.
    """
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    responses: list[Any] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                context = browser.new_context(
                    viewport={"width": 390, "height": 844}, service_workers="block"
                )
                page = context.new_page()
                page.set_default_timeout(120_000)
                # Playwright tags the handler with an attribute: a bound builtin cannot take one.
                page.on("response", lambda response: responses.append(response))  # noqa: PLW0108
                page.goto(base + "directory/", wait_until="load")
                page.locator(".dk-filters select[name=need]").wait_for()
                page.wait_for_load_state("networkidle")
                home = _count(responses)
                responses.clear()
                page.fill("input[name=zip]", zip_code)
                page.fill("input[name=q]", SEARCH_TEXT)
                page.wait_for_function(
                    "(document.querySelector('.dk-count') || {}).dataset.count !== undefined"
                    " && document.querySelectorAll('.dk-results .dk-dist:not([hidden])').length"
                )
                page.wait_for_load_state("networkidle")
                search = _count(responses)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "home": home[0],
        "home_gz": home[1],
        "home_requests": home[2],
        "search": search[0],
        "search_gz": search[1],
        "search_requests": search[2],
    }


def _offline_bytes(site: Path) -> tuple[int, int]:
    """Files the service worker stores after a first visit: bytes as served and gzip-encoded."""
    import json
    import re

    text = (site / "sw.js").read_text(encoding="utf-8")
    match = re.search(r"var FILES = (\[.*?\]);", text, re.DOTALL)
    files = json.loads(match.group(1)) if match else []
    raw = encoded = 0
    for rel in files:
        path = site / (rel + "index.html" if rel.endswith("/") else rel)
        if rel == "./":
            path = site / "index.html"
        if path.is_file():
            body = path.read_bytes()
            raw += len(body)
            text_like = path.suffix in {".html", ".css", ".js", ".json", ".svg", ".webmanifest"}
            encoded += len(gzip.compress(body, 6)) if text_like else len(body)
    return raw, encoded


def _busiest_zip(project: Path) -> str:
    """A ZIP code in the state with the most providers (the largest index file to fetch)."""
    import collections

    import yaml

    by_state: dict[str, list[str]] = collections.defaultdict(list)
    for path in sorted((project / "data" / "providers").glob("*.yaml"))[:3000]:
        address = yaml.safe_load(path.read_text(encoding="utf-8"))["location"]["address"]
        by_state[address["state"]].append(str(address["postal_code"]))
    state = max(by_state, key=lambda s: len(by_state[s]))
    return by_state[state][0]


def _count(responses: list[Any]) -> tuple[int, int, int]:
    """Bytes as served, bytes gzip-encoded, and the number of responses with a body."""
    raw = encoded = count = 0
    for response in responses:
        if response.status != 200:
            continue
        body = response.body()
        kind = response.headers.get("content-type", "")
        text = kind.startswith("text/") or "json" in kind or "javascript" in kind
        raw += len(body)
        encoded += len(gzip.compress(body, 6)) if text else len(body)
        count += 1
    return raw, encoded, count


def _ours(root: Path, n: int) -> Path:
    project = root / "ours"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
    write_directory(n, project / "data" / "providers")
    (project / "mkdocs.yml").write_text(
        "site_name: Bench\n" + _THEME + "plugins:\n  - search\n  - deflectkit:\n"
        "      providers_dir: data/providers\n      policies_dir: data/none\n"
        "      events_file: data/none.csv\n      schemas_dir: none\n      pagefind: false\n"
        "nav:\n  - Home: index.md\n  - Directory: directory/index.md\n",
        encoding="utf-8",
    )
    return project


def _floor(root: Path, n: int, page_bytes: int) -> Path:
    project = root / "floor"
    docs = project / "docs" / "pages"
    docs.mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Bench\n", encoding="utf-8")
    filler = "Outpatient treatment, medication and peer support for adults in Example County. "
    for i in range(n):
        head = (
            "---\nsearch:\n  exclude: true\n---\n\n"
            f"# Example provider {i:05d}\n\n| Field | Value |\n|---|---|\n"
        )
        rows = "".join(f"| Field {k} | Value {k} for provider {i} |\n" for k in range(12))
        body = head + rows + "\n"
        body += (filler * (max(0, page_bytes - len(body)) // len(filler) + 1))[
            : max(0, page_bytes - len(body))
        ]
        (docs / f"p{i:05d}.md").write_text(body + "\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: Bench\n" + _THEME + "plugins:\n  - search\nnav:\n  - Home: index.md\n",
        encoding="utf-8",
    )
    return project


def _tree_size(folder: Path) -> tuple[int, int, str]:
    """Total bytes, largest provider page bytes and its path."""
    total, largest, name = 0, 0, ""
    for path in folder.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if "providers" in path.parts and path.name == "index.html" and size > largest:
                largest, name = size, str(path.relative_to(folder))
    return total, largest, name


def _average_markdown(n: int) -> int:
    """Average size of our generated provider Markdown (the floor pages are made this big)."""
    from benchmarks.synthetic import synthetic_providers
    from deflectkit.site.provider_page import render_provider_page

    sample = synthetic_providers(min(n, 200))
    sizes = [len(str(render_provider_page(p, as_of=TODAY).content).encode()) for p in sample]
    return sum(sizes) // len(sizes)


def run_one(n: int) -> tuple[list[Result], dict[str, float]]:
    """Build both projects for ``n`` providers; return results and raw figures."""
    from deflectkit.site.search import run_pagefind

    with tempfile.TemporaryDirectory(prefix="deflectkit-bench-site-") as tmp:
        root = Path(tmp)
        ours_project = _ours(root, n)
        pages = n * len(LANGUAGES)
        floor_project = _floor(root, pages, _average_markdown(n))
        floor_wall, floor_s = _mkdocs(floor_project, root / "floor-site")
        ours_wall, ours_s = _mkdocs(ours_project, root / "ours-site")
        start = time.perf_counter()
        indexed = run_pagefind(root / "ours-site")
        pagefind_s = time.perf_counter() - start
        total, largest, largest_name = _tree_size(root / "ours-site")
        floor_total, _, _ = _tree_size(root / "floor-site")
        page_count = len(list((root / "ours-site" / "providers").glob("*/index.html")))
        downloads = _downloads(root / "ours-site", _busiest_zip(ours_project))
        offline_raw, offline_gz = _offline_bytes(root / "ours-site")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert page_count == n, (page_count, n)
    assert pages == indexed, (pages, indexed)
    raw = {
        "ours": ours_s,
        "floor": floor_s,
        "pagefind": pagefind_s,
        "largest": largest,
        "total": total,
        **({f"download_{k}": v for k, v in downloads.items()} if downloads else {}),
    }
    notes = (
        f"CPU s; wall {ours_wall:.1f} s vs {floor_wall:.1f} s; "
        f"{ours_s / pages * 1e3:.2f} ms/provider page vs floor {floor_s / pages * 1e3:.2f} ms/page "
        f"({pages:,} provider pages: English and Spanish); "
        f"site {total / 2**20:.0f} MiB (floor {floor_total / 2**20:.0f} MiB); "
        f"largest provider page {largest / 1024:.1f} KB ({largest_name}); "
        f"Pagefind {pagefind_s:.1f} s for {indexed} pages; "
        f"max child RSS {rss:.0f} MiB; "
        + (
            "browser downloads (targets at 30,000: home < 300 KB gzip, one search < 0.5 MB): "
            "directory home "
            f"{downloads['home'] / 1024:,.0f} KB in {downloads['home_requests']:.0f} files "
            f"({downloads['home_gz'] / 1024:,.0f} KB gzip), one search "
            f"({SEARCH_TEXT!r}) {downloads['search'] / 1024:,.0f} KB more in "
            f"{downloads['search_requests']:.0f} files "
            f"({downloads['search_gz'] / 1024:,.0f} KB gzip); "
            f"offline copy stored after the first visit {offline_raw / 1024:,.0f} KB "
            f"({offline_gz / 1024:,.0f} KB gzip)"
            if downloads
            else "browser downloads not measured (no /usr/bin/chromium)"
        )
    )
    results = [
        Result(
            name=f"site build (CPU), {n:,} providers",
            figure=ours_s,
            baseline=floor_s,
            baseline_name=f"mkdocs-material, {pages:,} plain pages",
            unit="s",
            target="<= 1.3x floor; provider page < 40 KB",
            peak_mib=rss,
            notes=notes,
        )
    ]
    return results, raw


def run(quick: bool = False) -> list[Result]:
    """5,000 providers (quick), or 5,000 and 30,000 (full), against the engine's floor."""
    sizes = (5_000,) if quick else (5_000, 30_000)
    results: list[Result] = []
    per_page: list[float] = []
    for n in sizes:
        found, raw = run_one(n)
        results += found
        per_page.append(raw["ours"] / n)
    if len(per_page) == 2:
        results.append(
            Result(
                name="site build per provider, 30,000 vs 5,000 (linearity)",
                figure=per_page[1] * 1e3,
                baseline=per_page[0] * 1e3,
                baseline_name="ms per provider at 5,000",
                unit="ms",
                target="~1.0 (linear)",
            )
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 providers only")
    args = parser.parse_args()
    for r in run(quick=args.quick):
        print(
            f"{r.name}: {r.figure:.2f} {r.unit} vs {r.baseline:.2f} ({r.baseline_name}); "
            f"ratio {r.ratio:.2f}"
        )
        if r.notes:
            print(f"  {r.notes}")


if __name__ == "__main__":
    main()
