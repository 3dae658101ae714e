"""The site generator: data folders in, Markdown pages and JSON/JS/CSS assets out.

Plain library code with no MkDocs import, so the same output builds with any engine that
reads ``mkdocs.yml`` (MkDocs, ProperDocs, Zensical). The MkDocs plugin
(:mod:`deflectkit.site.plugin`) calls :func:`generate_site`; other engines can call
:func:`write_site` to write the files into a git-ignored folder inside ``docs/``.

Example:
    >>> cfg = SiteConfig(providers_dir="data/providers")  # doctest: +SKIP
    >>> files = generate_site(cfg, today=dt.date(2026, 11, 27))  # doctest: +SKIP
    >>> write_site(files, "docs/_generated")  # doctest: +SKIP
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from deflectkit.core.policy.model import Policy
from deflectkit.core.providers import Provider
from deflectkit.site.contributor_pages import render_contributor_pages
from deflectkit.site.directory_pages import place_index, render_browse_pages, render_directory_home
from deflectkit.site.facets import dumps_compact, index_shards, shard_bounds, zip_tables
from deflectkit.site.markup import front_matter
from deflectkit.site.offline import png_icon, web_manifest
from deflectkit.site.output import GeneratedFile
from deflectkit.site.provider_page import render_provider_page
from deflectkit.site.strings import strings_script
from deflectkit.vocabulary import LABEL_LANGUAGES, Language

__all__ = [
    "ASSET_PATHS",
    "MARK_FILE",
    "SiteConfig",
    "generate_site",
    "load_providers",
    "render_directory",
    "write_site",
]


_ASSETS = Path(__file__).with_name("assets")
_HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
#: Marks a folder written by :func:`write_site` (only such folders are cleaned).
MARK_FILE = ".deflectkit-generated"
#: The vendored stylesheet and script, as docs-relative paths (added to ``extra_css``/``_javascript``).
ASSET_PATHS = ("assets/deflectkit/deflectkit.css", "assets/deflectkit/deflectkit.js")
#: A directory whose whole index is smaller than this carries it inside its page.
INLINE_INDEX_BYTES = 64_000
#: A directory whose whole index is at most this many KB lists every provider at once, over
#: however many states (about 2,500 providers, 100 KB gzipped); a larger one asks for a
#: place first and loads only the states near it (plugin option ``list_all_max_kb``).
LIST_ALL_MAX_KB = 400
#: Other vendored files: the app icons.
EXTRA_ASSETS = (
    "assets/deflectkit/icon.svg",
    "assets/deflectkit/icon-maskable.svg",
)


@attrs.frozen
class SiteConfig:
    """Where the data is and how the published pages link back to it.

    Attributes:
        providers_dir: folder of provider YAML files.
        policies_dir: folder of policy YAML files (``*.tests.yaml`` are skipped).
        events_file: the de-identified event log for the measures page.
        events_sample: whether that log is fictional sample data (a banner says so);
            ``None`` guesses from the file name.
        sworn_officers: the agency's sworn officers, for the officer participation rate.
        schemas_dir: folder of JSON Schemas offered for download on the contributor pages.
        repo_root: paths in "edit this provider" links are relative to this folder.
        edit_url_base: e.g. ``https://github.com/org/repo/edit/main/``; no edit links if None.
        directory_title: the directory home's heading.
        directory_title_es: the Spanish home's heading ("Directorio de proveedores" if None).
        use_directory_urls: MkDocs' setting (generated links are computed, not rewritten).
        agency_name: the name a phone shows for the installed site.
        agency_contact: who runs the directory, one line shown under it (plain text).
        theme_color: the agency's color (``#rrggbb``) for the icons and the phone's title bar.
        spanish: also build the Spanish directory under ``es/`` (home, browse and provider
            pages); off, a national directory builds half the pages.
    """

    providers_dir: str | None = "data/providers"
    policies_dir: str | None = "data/policies"
    events_file: str | None = "data/events/sample.csv"
    events_sample: bool | None = None
    sworn_officers: int | None = None
    schemas_dir: str | None = "schemas"
    repo_root: str = "."
    edit_url_base: str | None = None
    directory_title: str = "Provider directory"
    directory_title_es: str | None = None
    use_directory_urls: bool = True
    agency_name: str = "Provider directory"
    agency_contact: str | None = None
    theme_color: str = "#1a237e"
    list_all_max_kb: int = LIST_ALL_MAX_KB
    spanish: bool = True
    #: ``{policy, against, encounters}`` paths for the optional impact page (site/impact_page).
    impact: dict[str, object] | None = None


def load_providers(providers_dir: str | os.PathLike[str], *, today: dt.date) -> list[Provider]:
    """Every provider under the folder, through the library's loader (raises ``DataError``)."""
    from deflectkit.files.providers import load_directory

    return list(load_directory(Path(providers_dir), today=today))


def _source_paths(cfg: SiteConfig) -> dict[str, str]:
    """Map each slug to its YAML path relative to the repository root, for edit links."""
    if not cfg.providers_dir or not Path(cfg.providers_dir).is_dir():
        return {}
    from deflectkit.files.providers import provider_files

    root = Path(cfg.repo_root).resolve()
    out: dict[str, str] = {}
    for file in provider_files(cfg.providers_dir):
        resolved = file.resolve()
        try:
            rel = resolved.relative_to(root).as_posix()
        except ValueError:
            rel = file.as_posix()
        out[file.stem] = rel
    return out


def render_directory(
    providers: Sequence[Provider],
    *,
    today: dt.date,
    edit_url_base: str | None = None,
    source_paths: dict[str, str] | None = None,
    title: str = "Provider directory",
    title_es: str | None = None,
    use_directory_urls: bool = True,
    contact: str | None = None,
    list_all_max_kb: int = LIST_ALL_MAX_KB,
    languages: Sequence[Language] = LABEL_LANGUAGES,
) -> list[GeneratedFile]:
    """Provider pages, the directory home and browse pages in each language, and the index.

    The JSON index and ZIP tables are written once; every language's home reads them.
    ``title`` is the English home's heading, ``title_es`` the Spanish one's (by default
    "Directorio de proveedores").
    """
    paths = source_paths or {}
    bounds = shard_bounds(providers)
    tables, prefixes = zip_tables(k for k in bounds if k != "none")
    shards = {key: dumps_compact(shard) for key, shard in index_shards(providers).items()}
    index_bytes = sum(len(text) for text in shards.values())
    small = index_bytes <= INLINE_INDEX_BYTES
    files: list[GeneratedFile] = []
    for lang in languages:
        places = place_index(providers, lang)
        files += [
            render_provider_page(
                p,
                as_of=today,
                edit_url_base=edit_url_base,
                source_path=paths.get(p.slug, f"data/providers/{p.slug}.yaml"),
                use_directory_urls=use_directory_urls,
                place=places.provider_place.get(p.slug),
                lang=lang,
            )
            for p in providers
        ]
        files.append(
            render_directory_home(
                providers,
                title=title if lang == "en" else title_es,
                places=places,
                use_directory_urls=use_directory_urls,
                shards=bounds,
                zip_prefixes=prefixes,
                inline=shards if small else None,
                load_all=index_bytes <= list_all_max_kb * 1000,
                contact=contact,
                lang=lang,
            )
        )
        files += render_browse_pages(
            providers, places=places, use_directory_urls=use_directory_urls, lang=lang
        )
    for key, text in shards.items():
        files.append(GeneratedFile(f"directory/index/{key}.json", text))
    for state, table in tables.items():
        files.append(GeneratedFile(f"directory/index/zips-{state}.json", dumps_compact(table)))
    return files


def _assets(cfg: SiteConfig) -> list[GeneratedFile]:
    """The vendored script, styles and icons (in the agency's color), the strings, the manifest."""
    color = cfg.theme_color if _HEX_COLOR.fullmatch(cfg.theme_color) else "#1a237e"
    files = [
        GeneratedFile(
            path, (_ASSETS / Path(path).name).read_text(encoding="utf-8").replace("#1a237e", color)
        )
        for path in (*ASSET_PATHS, *EXTRA_ASSETS)
    ]
    # The script carries its sentences (one file, one round trip on a slow link).
    js = files[1]
    files[1] = GeneratedFile(js.path, strings_script() + str(js.content))
    files += [
        GeneratedFile(f"assets/deflectkit/icon-{n}.png", png_icon(n, color)) for n in (192, 512)
    ]
    files.append(GeneratedFile("manifest.webmanifest", web_manifest(cfg.agency_name, color)))
    return files


def _policies(cfg: SiteConfig) -> list[Policy]:
    if not cfg.policies_dir or not Path(cfg.policies_dir).is_dir():
        return []
    from deflectkit.files.policy import load_policy

    files = sorted(
        p
        for p in Path(cfg.policies_dir).glob("*.y*ml")
        if not p.name.endswith((".tests.yaml", ".tests.yml"))
    )
    return [load_policy(p) for p in files]


def generate_site(
    cfg: SiteConfig,
    *,
    today: dt.date,
    providers: Sequence[Provider] | None = None,
) -> list[GeneratedFile]:
    """Every generated file for the site, from the folders named in ``cfg``.

    Args:
        cfg: where the data is.
        today: the date for staleness badges (the caller reads the clock, not the generator).
        providers: providers already loaded (tests, benchmarks); else read from ``cfg``.

    Raises:
        DataError: a provider file is invalid (every problem listed).
        PolicyError: a policy file is invalid.
    """
    if providers is None:
        providers = load_providers(cfg.providers_dir, today=today) if cfg.providers_dir else []
    files = _assets(cfg)
    files += render_directory(
        providers,
        today=today,
        edit_url_base=cfg.edit_url_base,
        source_paths=_source_paths(cfg),
        title=cfg.directory_title,
        title_es=cfg.directory_title_es,
        use_directory_urls=cfg.use_directory_urls,
        contact=cfg.agency_contact,
        list_all_max_kb=cfg.list_all_max_kb,
        languages=LABEL_LANGUAGES if cfg.spanish else ("en",),
    )
    policies = _policies(cfg)
    from deflectkit.site.policy_page import render_policy_pages

    files += render_policy_pages(policies, use_directory_urls=cfg.use_directory_urls)
    measures = _measures(cfg)
    if not any(f.path == "measures/index.md" for f in measures):
        measures.append(
            GeneratedFile(
                "measures/index.md",
                front_matter("Program measures")
                + "<h1>Program measures</h1>\n\n<p>No event log is configured for this site "
                "(plugin option <code>events_file</code>), so there are no measures to show.</p>\n",
            )
        )
    files += measures
    files += _pocket_card(policies, providers, today)
    from deflectkit.site.leave_behind import render_leave_behind

    files.append(render_leave_behind(providers, today=today, program_contact=cfg.agency_contact))
    files += render_contributor_pages(cfg.schemas_dir)
    from deflectkit.site.impact_page import impact_files

    files += impact_files(cfg.impact)
    return files


def _measures(cfg: SiteConfig) -> list[GeneratedFile]:
    if not cfg.events_file or not Path(cfg.events_file).is_file():
        return []
    from deflectkit.core.measures import measures
    from deflectkit.files.events import read_events
    from deflectkit.site.measures_page import render_measures_page

    # A log whose file name says "sample" is the bundled fictional one unless told otherwise.
    sample = cfg.events_sample
    if sample is None:
        sample = "sample" in Path(cfg.events_file).name
    return render_measures_page(
        measures(read_events(cfg.events_file), sworn=cfg.sworn_officers), sample=sample
    )


def _pocket_card(
    policies: Sequence[Policy], providers: Sequence[Provider], today: dt.date
) -> list[GeneratedFile]:
    from deflectkit.core.directory import Directory
    from deflectkit.site.pocket_card import render_pocket_card

    policy = policies[0] if policies else None
    return [render_pocket_card(policy, Directory(providers), today=today)]


def write_site(files: Iterable[GeneratedFile], out_dir: str | os.PathLike[str]) -> list[Path]:
    """Write generated files under ``out_dir``, each through a temporary file and a rename.

    Files from an earlier run that are no longer generated are removed, so a deleted provider
    disappears from the site. To never delete anyone's own pages, ``out_dir`` must be empty,
    missing, or a folder this function wrote before (it holds a ``.deflectkit-generated`` mark).

    Raises:
        FileExistsError: ``out_dir`` holds files this function did not write.
    """
    root = Path(out_dir)
    mark = root / MARK_FILE
    if root.exists() and any(root.iterdir()) and not mark.exists():
        msg = f"{root}: not a folder of generated pages (no {MARK_FILE}); refusing to overwrite it"
        raise FileExistsError(msg)
    root.mkdir(parents=True, exist_ok=True)
    mark.write_text("Generated by deflectkit.site.generator.write_site; safe to delete.\n", "utf-8")
    written: list[Path] = []
    for f in files:
        target = root / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        data = f.content.encode("utf-8") if isinstance(f.content, str) else f.content
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".dk-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    keep = {p.resolve() for p in written} | {mark.resolve()}
    for old in root.rglob("*"):
        if old.is_file() and old.resolve() not in keep:
            old.unlink()
    return written
