"""Pagefind over the built provider pages: an offline index, fetched in small chunks.

Runs the ``pagefind`` wheel's Python API (it ships the binary; no network, no Node). Only
pages that carry ``data-pagefind-body`` (the provider pages) are indexed, with the filters
their ``data-pagefind-filter`` elements name, one index per page language.

Example:
    >>> run_pagefind("site")  # doctest: +SKIP
    812
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

__all__ = ["PROVIDER_GLOB", "run_pagefind"]

#: Built provider pages in English and in Spanish (``es/``), with or without directory URLs.
PROVIDER_GLOB = "{providers,es/providers}/**/*.html"


async def _index(site_dir: Path, glob: str) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    # No forced language: Pagefind reads each page's <html lang> and builds one index per
    # language, so a Spanish search stems Spanish words and finds only Spanish pages.
    config: IndexConfig = {"output_path": str(site_dir / "pagefind")}
    async with PagefindIndex(config=config) as index:
        result: dict[str, Any] = dict(await index.add_directory(str(site_dir), glob=glob))
    return int(result.get("page_count", 0))


def run_pagefind(site_dir: str | os.PathLike[str], *, glob: str = PROVIDER_GLOB) -> int:
    """Index the built site's provider pages into ``<site_dir>/pagefind``; return the page count."""
    root = Path(site_dir).resolve()
    return asyncio.run(_index(root, glob))
