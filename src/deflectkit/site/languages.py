"""The directory in two languages: which page is whose twin, and the switch between them.

English pages live at the site root, their Spanish twins under ``es/`` (the plugin renders
those with Material's Spanish strings and ``<html lang="es">``). Only the pages a person
reads have twins: the directory home, its browse pages and the provider pages.

Example:
    >>> twin_path("providers/x.md"), twin_path("es/directory/index.md")
    ('es/providers/x.md', 'directory/index.md')
    >>> twin_path("policy/index.md") is None
    True
"""

from __future__ import annotations

from typing import Final

from deflectkit.site.markup import attr, esc, rel_url
from deflectkit.site.strings import strings_for
from deflectkit.vocabulary import Language

__all__ = ["SPANISH_PREFIX", "TWINNED_PREFIXES", "language_switch", "page_language", "twin_path"]

#: Pages under this folder are in Spanish.
SPANISH_PREFIX: Final = "es/"
#: English pages that have a Spanish twin (the person-facing directory).
TWINNED_PREFIXES: Final = ("directory/", "providers/")
#: Each language's name in itself, for the switch.
_NAMES: Final[dict[Language, str]] = {"en": "English", "es": "Español"}


def page_language(path: str) -> Language:
    """``"es"`` for a page under ``es/``, else ``"en"``."""
    return "es" if path.startswith(SPANISH_PREFIX) else "en"


def twin_path(path: str) -> str | None:
    """The same page in the other language, or None for a page without a twin."""
    if path.startswith(SPANISH_PREFIX):
        rest = path.removeprefix(SPANISH_PREFIX)
        return rest if rest.startswith(TWINNED_PREFIXES) else None
    if path.startswith(TWINNED_PREFIXES) and not path.startswith("directory/index/"):
        return SPANISH_PREFIX + path
    return None


def language_switch(
    path: str, *, use_directory_urls: bool = True, beside_heading: bool = False
) -> str:
    """A link to the page's twin, named in the twin's language (the script adds the filters).

    The ``<link rel="alternate" hreflang>`` pair in the head names the twin for search
    engines; Material's script reads those as another-language site and would take over a
    click on this link (dropping the filters), so deflectkit.js keeps the click for the link.

    ``beside_heading`` floats it at the right of the heading that follows (the directory
    home, where every line above the results counts).
    """
    twin = twin_path(path)
    if twin is None:
        return ""
    here, there = page_language(path), page_language(twin)
    href = rel_url(twin, path, use_directory_urls=use_directory_urls)
    classes = "dk-lang dk-lang-float" if beside_heading else "dk-lang"
    return (
        f'<nav class="{classes}" aria-label="{attr(strings_for(here)["language_switch"])}" '
        f'data-pagefind-ignore><a class="dk-lang-switch" href="{attr(href)}" '
        f'hreflang="{there}" lang="{there}">{esc(_NAMES[there])}</a></nav>'
    )
