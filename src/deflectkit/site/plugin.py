"""``plugins: [deflectkit]``: the thin MkDocs adapter over :mod:`deflectkit.site.generator`.

It runs the generator on every build, adds the pages to MkDocs' files (provider and browse
pages never in the navigation: a nav of thousands of pages makes the build quadratic), adds
the vendored CSS and JS, watches the data folders on ``mkdocs serve`` and runs Pagefind after
the build.

Configuration (every path relative to ``mkdocs.yml``)::

    plugins:
      - search
      - deflectkit:
          providers_dir: data/providers
          policies_dir: data/policies
          events_file: data/events/sample.csv
          schemas_dir: schemas
          edit_url_base: https://github.com/ORG/REPO/edit/main/
          directory_title: Provider directory
          directory_title_es: Directorio de proveedores   # the Spanish home's heading
          agency_name: Example County Deflection Program   # header, title, installed app
          agency_logo: assets/agency-logo.svg              # docs-relative
          agency_contact: "Program office: 520-555-0100, weekdays"
          theme_color: "#1a237e"                           # header, icons, phone title bar
          offline: true                                    # service worker (sw.js)
          list_all_max_kb: 400     # a larger directory index asks for a place before listing
          spanish: true            # the directory in Spanish too, under es/
          pagefind: true
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from deflectkit.errors import DeflectkitError
from deflectkit.site.generator import (
    ASSET_PATHS,
    LIST_ALL_MAX_KB,
    SiteConfig,
    generate_site,
)
from deflectkit.site.languages import SPANISH_PREFIX, page_language, twin_path
from deflectkit.vocabulary import Language

__all__ = [
    "IN_NAV",
    "RAW_HTML_PREFIXES",
    "SPANISH_PREFIX",
    "DeflectkitPlugin",
    "DeflectkitPluginConfig",
]

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
log = logging.getLogger("mkdocs.plugins.deflectkit")

#: Generated pages that may be listed in ``nav:``; every other generated page is kept out.
IN_NAV = frozenset(
    {
        "directory/index.md",
        "policy/index.md",
        "measures/index.md",
        "impact/index.md",
        "contributing/reference.md",
        "playbook/pocket-card.md",
        "playbook/leave-behind-card.md",
    }
)

#: Generated pages written entirely as raw HTML (no Markdown syntax, every string escaped),
#: in English and in Spanish.
RAW_HTML_PREFIXES = tuple(
    prefix + folder
    for prefix in ("", SPANISH_PREFIX)
    for folder in ("providers/", "directory/place/", "directory/need/")
)


class DeflectkitPluginConfig(Config):  # type: ignore[no-untyped-call,unused-ignore]
    """The plugin's options."""

    providers_dir = c.Type(str, default="data/providers")
    policies_dir = c.Type(str, default="data/policies")
    events_file = c.Type(str, default="data/events/sample.csv")
    events_sample = c.Optional(c.Type(bool))
    sworn_officers = c.Optional(c.Type(int))
    schemas_dir = c.Type(str, default="schemas")
    edit_url_base = c.Optional(c.Type(str))
    directory_title = c.Type(str, default="Provider directory")
    directory_title_es = c.Optional(c.Type(str))
    agency_name = c.Optional(c.Type(str))
    agency_logo = c.Optional(c.Type(str))
    agency_contact = c.Optional(c.Type(str))
    theme_color = c.Type(str, default="#1a237e")
    offline = c.Type(bool, default=True)
    pagefind = c.Type(bool, default=True)
    list_all_max_kb = c.Type(int, default=LIST_ALL_MAX_KB)
    spanish = c.Type(bool, default=True)
    pagefind_on_serve = c.Type(bool, default=True)
    impact = c.Optional(c.Type(dict))  # {policy, against, encounters}: site/impact_page.py


class DeflectkitPlugin(BasePlugin[DeflectkitPluginConfig]):  # type: ignore[no-untyped-call,unused-ignore]
    """Generates the directory, provider, policy and contributor pages from the data."""

    def __init__(self) -> None:
        self._command: str = "build"
        self._root = Path(".")
        # Generated pages that are raw HTML blocks (provider and browse pages): MkDocs would
        # run two HTML parsers over each for nothing, the largest cost of a big build.
        self._raw_html: set[str] = set()
        self._stash: dict[str, str] = {}
        self._site_language: str | None = None
        self._generated: set[str] = set()
        self._lazy_search = (
            Path(__file__).with_name("assets").joinpath("lazy-search.js").read_text("utf-8")
        ).replace("</", "<\\/")

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember whether we are serving (Pagefind may be skipped there)."""
        self._command = command

    def _path(self, value: str | None) -> str | None:
        if not value:
            return None
        path = Path(value)
        return str(path if path.is_absolute() else self._root / path)

    def on_config(self, config: Any) -> Any:
        """Resolve data paths against ``mkdocs.yml`` and add the vendored CSS and JS."""
        self._root = Path(config.config_file_path or ".").resolve().parent
        css, js = ASSET_PATHS
        if css not in config.extra_css:
            config.extra_css.append(css)
        # The script goes in the head (on_post_page), not with extra_javascript: there it
        # would wait behind the theme's larger script on a slow link (seconds).
        config.extra_javascript[:] = [
            x for x in config.extra_javascript if getattr(x, "path", x) != js
        ]
        # The agency's site, not ours: its name and logo in the header when it gives them.
        if self.config.agency_name:
            config.site_name = self.config.agency_name
        if self.config.agency_logo:
            config.theme["logo"] = self.config.agency_logo
        if not _HEX.fullmatch(self.config.theme_color):
            msg = f"deflectkit: theme_color must look like #1a237e, not {self.config.theme_color!r}"
            raise PluginError(msg)
        return config

    def site_config(self, config: Any) -> SiteConfig:
        """The generator's configuration from the plugin options."""
        opts = self.config
        return SiteConfig(
            providers_dir=self._path(opts.providers_dir),
            policies_dir=self._path(opts.policies_dir),
            events_file=self._path(opts.events_file),
            events_sample=opts.events_sample,
            sworn_officers=opts.sworn_officers,
            schemas_dir=self._path(opts.schemas_dir),
            repo_root=str(self._root),
            edit_url_base=opts.edit_url_base,
            directory_title=opts.directory_title,
            directory_title_es=opts.directory_title_es,
            use_directory_urls=bool(config.use_directory_urls),
            agency_name=opts.agency_name or str(config.site_name),
            agency_contact=opts.agency_contact,
            theme_color=opts.theme_color,
            list_all_max_kb=opts.list_all_max_kb,
            spanish=opts.spanish,
            impact={k: self._path(v) if k in ("policy", "against", "encounters") else v
                    for k, v in opts.impact.items()} if opts.impact else None,
        )

    def on_files(self, files: Files, /, *, config: Any) -> Files:
        """Generate every page and add it to the files, before the nav is resolved."""
        started = time.perf_counter()
        try:
            generated = generate_site(self.site_config(config), today=dt.date.today())
        except DeflectkitError as exc:
            raise PluginError(f"deflectkit: {exc}") from exc
        self._raw_html = {g.path for g in generated if g.path.startswith(RAW_HTML_PREFIXES)}
        self._generated = {g.path for g in generated}
        for item in generated:
            existing = files.get_file_from_path(item.path)
            if existing is not None:
                files.remove(existing)
            inclusion = (
                InclusionLevel.UNDEFINED if item.path in IN_NAV else InclusionLevel.NOT_IN_NAV
            )
            files.append(
                File.generated(config, item.path, content=item.content, inclusion=inclusion)
            )
        log.info(
            "deflectkit: generated %d files in %.1f s",
            len(generated),
            time.perf_counter() - started,
        )
        return self._add_toolkit_downloads(files, config)

    # -- Toolkit downloads (docs/toolkit/, deflectkit.site.toolkit_docx) ------------------------
    # Each toolkit page also downloads as an editable Word file, rendered from the page's own
    # Markdown with the site's Markdown extensions, so the page and the document never drift.

    def _add_toolkit_downloads(self, files: Files, config: Any) -> Files:
        from deflectkit.site.toolkit_docx import toolkit_downloads

        started = time.perf_counter()
        try:
            documents = toolkit_downloads(
                config.docs_dir,
                extensions=config.markdown_extensions,
                extension_configs=config.mdx_configs,
            )
        except (OSError, ValueError) as exc:
            raise PluginError(f"deflectkit: toolkit downloads: {exc}") from exc
        for item in documents:
            existing = files.get_file_from_path(item.path)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, item.path, content=item.content))
        log.info(
            "deflectkit: %d toolkit Word files in %.1f s",
            len(documents),
            time.perf_counter() - started,
        )
        return files

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: Any, files: Any) -> str:
        """Set aside the body of pure-HTML generated pages (their Markdown is raw HTML)."""
        uri = page.file.src_uri
        if uri in self._raw_html:
            self._stash[uri] = markdown
            return ""
        return markdown

    def on_page_content(self, html: str, /, *, page: Any, config: Any, files: Any) -> str:
        """Put the set-aside HTML back: the same HTML Markdown would have passed through."""
        body = self._stash.pop(page.file.src_uri, None)
        return html if body is None else body

    def on_page_context(self, context: Any, /, *, page: Any, config: Any, nav: Any) -> Any:
        """Pages under ``es/`` render with Material's own Spanish strings and ``lang="es"``.

        Material reads ``theme.language`` when it renders each page (its language partial
        imports ``partials/languages/<language>.html``), so the language is switched for the
        page being rendered and put back in :meth:`on_post_page`. One build serves both
        languages: a second build per language would double the build time and the deploy,
        and rewriting Material's strings in the output would break on each theme release.
        """
        if page.file.src_uri.startswith(SPANISH_PREFIX):
            self._site_language = config.theme["language"]
            config.theme["language"] = "es"
        return context

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        """Our script, the manifest and the agency color in every page's head."""
        from mkdocs.utils import get_relative_url

        if self._site_language is not None:  # after a Spanish page: the site's language again
            config.theme["language"] = self._site_language
            self._site_language = None

        href = get_relative_url("manifest.webmanifest", page.url)
        script = get_relative_url(ASSET_PATHS[1], page.url)
        color = self.config.theme_color
        # Async, first in the head: fetched on one of the first connections and run as soon
        # as it arrives, never after the theme's bundle (it needs nothing from it).
        first = f'<script src="{script}" async></script>'
        # Inline, in the head, before the theme's script: it holds back the theme's search
        # index until search is opened (inline: a file would cost a round trip).
        head = (
            f"<script>{self._lazy_search}</script>"
            f'<link rel="manifest" href="{href}">'
            f'<meta name="theme-color" content="{color}">'
            f"<style>body[data-md-color-primary]{{--md-primary-fg-color:{color};"
            f"--md-primary-fg-color--dark:{color}}}</style>"
        )
        head += self._alternates(page, config)
        if page_language(page.file.src_uri) == "es":
            output = _site_nav_in_english(output)
        # First in the head: a phone opens about six connections; later files wait a turn.
        output = output.replace('<link rel="stylesheet"', first + '<link rel="stylesheet"', 1)
        return output.replace("</head>", head + "</head>", 1)

    def _alternates(self, page: Any, config: Any) -> str:
        """``<link rel="alternate" hreflang>`` to a directory page and its twin, both ways.

        Absolute when the site's address (``site_url``) is known, as search engines ask;
        relative otherwise.
        """
        from mkdocs.utils import get_relative_url

        from deflectkit.site.markup import page_url

        here = page.file.src_uri
        twin = twin_path(here)
        if twin is None or twin not in self._generated:
            return ""
        directory_urls = bool(config.use_directory_urls)
        pair: dict[Language, str] = {page_language(here): here, page_language(twin): twin}
        base = str(config.site_url or "")
        links = []
        targets: list[tuple[Language, str]] = [("en", "en"), ("es", "es"), ("en", "x-default")]
        for lang, hreflang in targets:
            url = page_url(pair[lang], use_directory_urls=directory_urls)
            href = base.rstrip("/") + "/" + url if base else get_relative_url(url, page.url) or "./"
            links.append(f'<link rel="alternate" hreflang="{hreflang}" href="{href}">')
        return "".join(links)

    def on_serve(self, server: Any, /, *, config: Any, builder: Any) -> Any:
        """Watch the data folders: editing a provider YAML rebuilds and reloads the page."""
        opts = self.config
        for value in (opts.providers_dir, opts.policies_dir, opts.events_file, opts.schemas_dir):
            path = self._path(value)
            if path and Path(path).exists():
                server.watch(path)
        return server

    def on_post_build(self, *, config: Any) -> None:
        """Index the provider pages with Pagefind, then write the offline service worker."""
        self._pagefind(config)
        if self.config.offline:
            from deflectkit.site.offline import write_service_worker

            stored = write_service_worker(config.site_dir)
            log.info("deflectkit: the offline copy stores %d files", stored)

    def _pagefind(self, config: Any) -> None:
        if not self.config.pagefind:
            return
        if self._command == "serve" and not self.config.pagefind_on_serve:
            return
        from deflectkit.site.search import run_pagefind

        started = time.perf_counter()
        try:
            pages = run_pagefind(config.site_dir)
        except Exception as exc:  # the service is a subprocess: report its failure, then stop
            raise PluginError(f"deflectkit: Pagefind failed: {exc}") from exc
        log.info(
            "deflectkit: Pagefind indexed %d provider pages in %.1f s",
            pages,
            time.perf_counter() - started,
        )


def _site_nav_in_english(output: str) -> str:
    """Mark the site's navigation and the palette toggle ``lang="en"`` on a Spanish page.

    Their words come from ``mkdocs.yml`` (nav titles, the toggle's names) and the nav leads
    to pages that stay in English (policy, toolkit, measures); marked so, a screen reader
    reads them as English.
    """
    palette = '<form class="md-header__option" data-md-component="palette"'
    output = output.replace(palette, palette + ' lang="en"', 1)
    tag = '<ul class="md-nav__list"'
    nav = output.find("md-nav--primary")
    at = output.find(tag, nav) if nav >= 0 else -1
    if at < 0:
        return output
    return output[:at] + '<ul lang="en" class="md-nav__list"' + output[at + len(tag) :]
