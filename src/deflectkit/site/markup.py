"""Escaping, safe links and relative URLs for the generated pages.

Everything a contributor wrote reaches the page through :func:`esc` (text) or
:func:`safe_url` (links). Pages are written as raw HTML blocks inside Markdown, so Markdown
syntax in contributor text is inert (Python-Markdown stashes raw HTML blocks untouched), and
HTML escaping is the one escaping that matters there. :func:`md_text` covers the few places
where contributor text sits in Markdown proper.

Example:
    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    >>> safe_url("javascript:alert(1)") is None, safe_url("https://example.org/x")
    (True, 'https://example.org/x')
    >>> rel_url("providers/a.md", "directory/index.md")
    '../providers/a/'
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from urllib.parse import quote, urlsplit

__all__ = [
    "attr",
    "esc",
    "front_matter",
    "lang_path",
    "md_text",
    "page_url",
    "rel_url",
    "safe_url",
    "slugify",
    "tel_url",
]

_SAFE_SCHEMES = frozenset({"http", "https", "tel", "mailto"})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def esc(text: object) -> str:
    """Escape text for HTML content or a double-quoted attribute."""
    return html.escape(str(text), quote=True)


def attr(text: object) -> str:
    """Escape text for a double-quoted HTML attribute (same as :func:`esc`, named for intent)."""
    return esc(text)


def md_text(text: object) -> str:
    """Escape text for Markdown proper: HTML first, then every Markdown punctuation mark."""
    return (
        _MD_SPECIAL.sub(r"\\\1", str(text).replace("\n", " "))
        .replace("\\<", "&lt;")
        .replace("\\>", "&gt;")
        .replace("\\&", "&amp;")
    )


def safe_url(url: object) -> str | None:
    """The URL if its scheme is http(s), tel or mailto and it has no control characters; else None.

    Relative or scheme-less URLs are refused too: a contributor link must say where it goes.
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    if not text or _CONTROL.search(text) or any(c.isspace() for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _SAFE_SCHEMES:
        return None
    if scheme in {"http", "https"} and not parts.netloc:
        return None
    if scheme in {"tel", "mailto"} and not parts.path:
        return None
    return text


def tel_url(number: str) -> str | None:
    """A ``tel:`` link for an E.164 number (digits and a leading ``+`` only), else None."""
    digits = number.strip()
    if not re.fullmatch(r"\+?[0-9]{3,15}", digits):
        return None
    return "tel:" + digits


def slugify(text: str) -> str:
    """A lowercase ASCII slug for file names of browse pages (``Santa Cruz`` → ``santa-cruz``)."""
    slug = _SLUG_DROP.sub("-", text.lower()).strip("-")
    return slug or "unnamed"


def page_url(src_uri: str, *, use_directory_urls: bool = True) -> str:
    """The output URL path (relative to the site root) of a Markdown source path."""
    stem, ext = posixpath.splitext(src_uri)
    if ext != ".md":
        return src_uri
    if not use_directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def rel_url(target: str, source: str, *, use_directory_urls: bool = True) -> str:
    """A relative link from the page at ``source`` to ``target`` (both docs-relative paths).

    Raw HTML is not rewritten by MkDocs, so generated pages compute their own links; the
    result is percent-quoted for safe use in an attribute.
    """
    to = page_url(target, use_directory_urls=use_directory_urls)
    here = page_url(source, use_directory_urls=use_directory_urls)
    here_dir = here if here.endswith("/") or here == "" else posixpath.dirname(here) + "/"
    if here_dir == "/":
        here_dir = ""
    rel = posixpath.relpath(to or ".", here_dir or ".")
    if to.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = "./"
    return quote(rel, safe="/.-_~#")


def lang_path(path: str, lang: str = "en") -> str:
    """A docs-relative page path in ``lang``: English at the root, Spanish under ``es/``.

    Example:
        >>> lang_path("providers/x.md", "es"), lang_path("providers/x.md")
        ('es/providers/x.md', 'providers/x.md')
    """
    return path if lang == "en" else f"{lang}/{path}"


def front_matter(title: str, **extra: object) -> str:
    """YAML front matter with an HTML-escaped title (Material prints ``page.meta.title`` raw)."""
    lines = ["---", "title: " + json.dumps(esc(title))]
    for key, value in extra.items():
        lines.append(f"{key}: {json.dumps(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"
