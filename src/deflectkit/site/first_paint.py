"""The directory home in one round trip: its stylesheets and our script written into the page.

On a slow link every file the page needs before it can paint costs a round trip of its own
(2 s on slow 3G): the browser paints nothing until each stylesheet in the head has arrived,
and the filters work only once our script has run. Measured with
``tools/directory_waterfall.py`` on the bundled data (slow 3G, 4x slower CPU): the page
arrived after 2.3 s, the stylesheets and script after 5.2 s, the filters worked after 6 s.
Written into the page, they travel with it, and the theme's larger script (needed for the
header search and the menu, not for the filters) no longer waits behind them for a
connection.

Only the directory homes do this: the page an officer opens first. Other pages keep the
files, which the browser and the service worker cache once for every page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from deflectkit.site.markup import attr

__all__ = ["inline_first_paint"]

_STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"(?: media="[^"]*")?>')
_PRELOAD = re.compile(r'<link rel="preload" as="fetch" crossorigin href="[^"]+">')
_SCRIPT = re.compile(r'<script src="([^"]+/deflectkit\.js)" async></script>')
#: Text that would end or confuse an inline element early; such a file stays a link.
_UNSAFE_CSS = re.compile(r"</style|<!--", re.IGNORECASE)
_UNSAFE_JS = re.compile(r"<!--|<script", re.IGNORECASE)
#: ``url(...)`` pointing at a file: relative to the stylesheet, it would break once inlined.
_FILE_URL = re.compile(r"url\(\s*(?!['\"]?data:)", re.IGNORECASE)


def _local_file(href: str, page_url: str, site_dir: Path) -> Path | None:
    """The built file a relative ``href`` on the page at ``page_url`` names, if it is local."""
    if "://" in href or href.startswith(("/", "data:")):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url), href))
    path = (site_dir / target.lstrip("/")).resolve()
    if site_dir.resolve() not in path.parents or not path.is_file():
        return None
    return path


def inline_first_paint(output: str, *, page_url: str, site_dir: str | Path) -> str:
    """Write the page's local stylesheets and ``deflectkit.js`` into ``output``.

    A stylesheet is written in only when it refers to no other file (the theme's icons are
    ``data:`` addresses) and cannot end its ``<style>`` element; otherwise its link stays,
    as does a file not yet in ``site_dir``. The script keeps the site root it derived from
    its own address as ``data-base``. Index preloads in the body move to the head's start.

    Args:
        output: The page's HTML as the theme rendered it.
        page_url: The page's URL relative to the site root (``directory/``).
        site_dir: The build's output folder, where MkDocs copies the assets before pages.

    Returns:
        The HTML with those files inline.
    """
    root = Path(site_dir)

    def style(match: re.Match[str]) -> str:
        path = _local_file(match.group(1), page_url, root)
        if path is None:
            return match.group(0)
        css = path.read_text(encoding="utf-8")
        if _UNSAFE_CSS.search(css) or _FILE_URL.search(css):
            return match.group(0)
        media = re.search(r' media="[^"]*"', match.group(0))
        return f"<style{media.group(0) if media else ''}>{css}</style>"

    def script(match: re.Match[str]) -> str:
        href = match.group(1)
        path = _local_file(href, page_url, root)
        if path is None:
            return match.group(0)
        js = path.read_text(encoding="utf-8")
        if _UNSAFE_JS.search(js):
            return match.group(0)
        base = href.removesuffix("assets/deflectkit/deflectkit.js") or "./"
        code = js.replace("</", "<\\/")  # no "</script" can end the element early
        return f'<script data-base="{attr(base)}">{code}</script>'

    head, sep, body = output.partition("</head>")
    head = _SCRIPT.sub(script, _STYLESHEET.sub(style, head))
    # The index preloads the page writes (directory_pages.py) go first: behind the inline
    # styles they would be found only after the rest of the head had arrived.
    preloads = _PRELOAD.findall(body) if sep else []
    body = _PRELOAD.sub("", body) if preloads else body
    at = head.find("<head>") + len("<head>") if "<head>" in head else 0
    return head[:at] + "".join(preloads) + head[at:] + sep + body
