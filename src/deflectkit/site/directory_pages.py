"""The directory home (filters in the browser) and the browse pages that work without JavaScript.

Browse pages list every provider by place (one page per state, grouped by county and city,
with anchors the directory home links to) and by need, split into pages of at most
:data:`PAGE_SIZE` links so that neither a page nor the page count grows out of proportion
with a national directory.
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import attrs

from deflectkit.core.providers import Provider
from deflectkit.site.facets import dumps_compact, provider_needs, shard_bounds
from deflectkit.site.markup import attr, esc, front_matter, rel_url, slugify
from deflectkit.site.output import GeneratedFile
from deflectkit.site.provider_page import provider_path
from deflectkit.site.strings import STRINGS
from deflectkit.vocabulary import (
    LANGUAGES,
    MEDICATIONS,
    NEEDS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SYNONYMS,
)

__all__ = [
    "HOME_PATH",
    "PAGE_SIZE",
    "PlaceIndex",
    "city_anchor",
    "crisis_strip",
    "place_index",
    "render_browse_pages",
    "render_directory_home",
    "state_stem",
]

HOME_PATH = "directory/index.md"
#: Most provider links on one browse page.
PAGE_SIZE = 500
_RADII = (5, 10, 25, 50, 100)


def _options(name: str, label: str, any_text: str, pairs: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{attr(w)}">{esc(lbl)}</option>' for w, lbl in pairs)
    return (
        f'<label class="dk-field">{esc(label)} <select name="{attr(name)}">'
        f'<option value="">{esc(any_text)}</option>{opts}</select></label>'
    )


def _place_key(p: Provider) -> tuple[str, str, str, str, str]:
    """Sort key for place pages: state, county, city, then name."""
    a = p.location.address
    if a is None:
        return ("", "", "", p.name.lower(), p.slug)
    return (a.state, a.county or "", a.city, p.name.lower(), p.slug)


def _chunks(items: Sequence[Provider]) -> list[Sequence[Provider]]:
    return [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [items]


def _paged_paths(stem: str, count: int) -> list[str]:
    return [f"{stem}.md" if i == 0 else f"{stem}-{i + 1}.md" for i in range(count)]


def state_stem(state: str) -> str:
    """The first place page of a state, without ``.md``."""
    return f"directory/place/{slugify(state) if state else 'unknown'}"


def city_anchor(county: str | None, city: str) -> str:
    """The anchor of a city's heading on its state page."""
    return f"city-{slugify(county)}-{slugify(city)}" if county else f"city-{slugify(city)}"


@attrs.frozen
class PlaceIndex:
    """Where each state, county and city starts on the place pages, and each provider's place.

    Attributes:
        states: state → (first page path, provider count).
        counties: (state, county) → (page path, anchor, count).
        cities: (state, county, city) → (page path, anchor, count).
        provider_place: slug → (page path, anchor, city label).
    """

    states: dict[str, tuple[str, int]]
    counties: dict[tuple[str, str], tuple[str, str, int]]
    cities: dict[tuple[str, str, str], tuple[str, str, int]]
    provider_place: dict[str, tuple[str, str, str]]
    pages: list[tuple[str, str, list[Provider], list[str], int]]


def place_index(providers: Sequence[Provider]) -> PlaceIndex:
    """Split providers by state into pages of at most :data:`PAGE_SIZE` and index the places."""
    by_state: dict[str, list[Provider]] = defaultdict(list)
    for p in sorted(providers, key=_place_key):
        a = p.location.address
        by_state[a.state if a else ""].append(p)
    states: dict[str, tuple[str, int]] = {}
    counties: dict[tuple[str, str], tuple[str, str, int]] = {}
    cities: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    where: dict[str, tuple[str, str, str]] = {}
    pages: list[tuple[str, str, list[Provider], list[str], int]] = []
    for state, items in by_state.items():
        chunks = _chunks(items)
        paths = _paged_paths(state_stem(state), len(chunks))
        states[state] = (paths[0], len(items))
        for i, chunk in enumerate(chunks):
            pages.append((paths[i], state, list(chunk), paths, i))
            for p in chunk:
                a = p.location.address
                county = (a.county or "") if a else ""
                city = a.city if a else ""
                anchor = city_anchor(county, city)
                if county:
                    key2 = (state, county)
                    path2, anchor2, n2 = counties.get(
                        key2, (paths[i], f"county-{slugify(county)}", 0)
                    )
                    counties[key2] = (path2, anchor2, n2 + 1)
                key3 = (state, county, city)
                path3, anchor3, n3 = cities.get(key3, (paths[i], anchor, 0))
                cities[key3] = (path3, anchor3, n3 + 1)
                where[p.slug] = (paths[i], anchor, f"{city}, {state}" if city else state)
    return PlaceIndex(states, counties, cities, where, pages)


def crisis_strip() -> str:
    """The 988 and 911 line every public page of the directory leads with."""
    return (
        '<p class="dk-crisis" role="note" data-pagefind-ignore><strong>Danger now? Call '
        '<a href="tel:911">911</a>.</strong> Mental-health or substance-use crisis: call or text '
        '<a href="tel:988">988</a>, any time.</p>'
    )


def _form(providers: Sequence[Provider], shards: dict[str, list[float | int | None]]) -> str:
    s = STRINGS
    langs = sorted({c for p in providers for c in p.languages}, key=LANGUAGES.label)
    states = sorted(k for k in shards if k != "none")
    place = [
        f'<label class="dk-field" for="dk-zip">{esc(s["zip"])}</label>'
        '<div class="dk-place-row"><input id="dk-zip" name="zip" inputmode="numeric" '
        'autocomplete="postal-code" maxlength="5" size="6" aria-describedby="dk-place-msg dk-place-note">'
        f'<button type="button" class="dk-locate md-button">{esc(s["use_location"])}</button></div>',
        f'<p class="dk-msg" id="dk-place-msg" aria-live="polite"></p>'
        f'<p class="dk-muted dk-note" id="dk-place-note">{esc(s["location_note"])}</p>',
    ]
    if len(states) > 1:
        place.append(_options("state", s["state"], s["any_state"], [(x, x) for x in states]))
    more = [
        _options(
            "radius",
            s["within"],
            s["any_distance"],
            [(str(r), s["radius_miles"].format(miles=r)) for r in _RADII],
        ),
        _options("care", "Type of care", "Any type of care", [(t.word, t.label) for t in SERVICES]),
        _options("med", "Medication", "Any or none", [(t.word, t.label) for t in MEDICATIONS]),
        _options("pay", "Payment", "Any payment", [(t.word, t.label) for t in PAYMENT]),
        _options("lang", "Language", "Any language", [(c, LANGUAGES.label(c)) for c in langs]),
        _options("pop", "Programs for", "Anyone", [(t.word, t.label) for t in POPULATIONS]),
        f'<label class="dk-field">{esc(s["age"])} <input name="age" inputmode="numeric" '
        'maxlength="3" size="4" aria-describedby="dk-age-msg"></label>'
        '<p class="dk-msg" id="dk-age-msg" aria-live="polite"></p>',
        '<label class="dk-check"><input type="checkbox" name="walkin"> Walk-in</label>',
        '<label class="dk-check"><input type="checkbox" name="always"> Open 24/7</label>',
    ]
    search = (
        f'<div class="dk-wide"><label class="dk-field" for="dk-q">{esc(s["search_label"])}</label>'
        '<input id="dk-q" class="dk-q" type="search" name="q" autocomplete="off" '
        f'aria-describedby="dk-q-hint"><span class="dk-sr" id="dk-q-hint">{esc(s["search_hint"])}</span></div>'
    )
    return "".join(
        [
            _options("need", s["need"], s["any_need"], [(t.word, t.label) for t in NEEDS]),
            '<div class="dk-checks">'
            f'<label class="dk-check"><input type="checkbox" name="dropoff"> {esc(s["dropoff"])}</label>'
            f'<label class="dk-check"><input type="checkbox" name="open"> {esc(s["open_now"])}</label></div>',
            '<div class="dk-wide dk-place">' + "".join(place) + "</div>",
            search,
            f'<details class="dk-more-filters"><summary>{esc(s["more_filters"])}</summary>'
            '<div class="dk-more-grid">' + "".join(more) + "</div></details>",
            f'<p class="dk-reset-row"><button type="reset" class="md-button dk-reset">{esc(s["clear"])}</button></p>',
        ]
    )


def render_directory_home(
    providers: Sequence[Provider],
    *,
    title: str = "Provider directory",
    places: PlaceIndex | None = None,
    use_directory_urls: bool = True,
    shards: dict[str, list[float | int | None]] | None = None,
    zip_prefixes: dict[str, str] | None = None,
    inline: dict[str, str] | None = None,
    contact: str | None = None,
) -> GeneratedFile:
    """``directory/index.md``: filters and result cards (drawn by the script), browse links.

    The filter form, skip link and "Show more" start ``hidden``: the script shows them once
    it can act on them, so a phone without JavaScript sees the browse pages, not a dead form.
    ``shards`` (:func:`~deflectkit.site.facets.shard_bounds`) names the per-state index files
    under ``directory/index/``; ``zip_prefixes`` maps a ZIP code's first three digits to the
    state whose ZIP table holds it. ``inline`` (shard → JSON text) is written into the page
    itself: a small directory then needs no second round trip on a slow link. ``contact``
    is the agency's one line about who keeps the directory (escaped, plain text).
    """

    def link(target: str) -> str:
        return rel_url(target, HOME_PATH, use_directory_urls=use_directory_urls)

    s = STRINGS
    shards = shards if shards is not None else shard_bounds(providers)
    provider_base = link(provider_path("__slug__"))
    out = [
        front_matter(title, search={"exclude": True}),
        f"<h1>{esc(title)}</h1>",
        "",
        crisis_strip(),
        f'<div class="dk-directory" data-index-base="index/" data-shards="{attr(dumps_compact(shards))}" '
        f'data-zip3="{attr(dumps_compact(zip_prefixes or {}))}" data-provider-url="{attr(provider_base)}" '
        f'data-synonyms="{attr(dumps_compact(SYNONYMS))}">',
        f'<a class="dk-skip" href="#dk-results" hidden>{esc(s["skip_results"])}</a>',
        *(
            f'<script type="application/json" class="dk-inline-index" data-key="{attr(key)}">'
            + text.replace("<", "\\u003c")  # no tag can open or close inside
            + "</script>"
            for key, text in (inline or {}).items()
        ),
        '<form class="dk-filters" hidden aria-label="Filter providers">'
        + _form(providers, shards)
        + "</form>",
        '<p class="dk-count" role="status" aria-live="polite" data-pagefind-ignore></p>',
        '<ul class="dk-results" id="dk-results" tabindex="-1" aria-label="Providers"></ul>',
        f'<p><button type="button" class="dk-more md-button" hidden>{esc(s["show_more"])}</button></p>',
        "<noscript><p>Filtering needs JavaScript. Every provider is listed in the browse pages "
        "below.</p></noscript>",
        "</div>",
        "",
    ]
    out.append(_browse_sections(providers, places or place_index(providers), link))
    if contact:
        out.append(f'<p class="dk-contact-line" data-pagefind-ignore>{esc(contact)}</p>')
    return GeneratedFile(HOME_PATH, "\n".join(out) + "\n")


def _browse_sections(
    providers: Sequence[Provider], places: PlaceIndex, link: Callable[[str], str]
) -> str:
    """Links to the need pages and to each state's page (counties and cities are there)."""
    by_need: dict[str, int] = defaultdict(int)
    for p in providers:
        for n in provider_needs(p):
            by_need[n] += 1
    parts = ['<section class="dk-browse">', '<h2 id="browse-need">Browse by need</h2>', "<ul>"]
    for word in NEEDS.words:
        if by_need.get(word):
            parts.append(
                f'<li><a href="{attr(link(f"directory/need/{word}.md"))}">{esc(NEEDS.label(word))}</a> '
                f"({by_need[word]})</li>"
            )
    parts.append("</ul>")
    parts.append('<h2 id="browse-place">Browse by place</h2>')
    parts.append('<ul class="dk-columns">')
    for state in sorted(places.states):
        path, count = places.states[state]
        parts.append(
            f'<li><a href="{attr(link(path))}">{esc(state or "No address")}</a> ({count})</li>'
        )
    parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _entry(p: Provider, link: Callable[[str], str], *, with_city: bool) -> str:
    a = p.location.address
    notes = [f"{a.city}, {a.state}"] if a and with_city else []
    if p.is_24_7:
        notes.append("Open 24/7")
    if p.intake.first_responder_dropoff:
        notes.append("Police drop-off")
    return (
        f'<li><a href="{attr(link(provider_path(p.slug)))}">{esc(p.name)}</a>'
        f' <span class="dk-muted">{esc(" · ".join(notes))}</span></li>'
    )


def _pager(path: str, pages: list[str], index: int, link: Callable[[str], str]) -> str:
    if len(pages) <= 1:
        return ""
    return (
        '<nav class="dk-pager" aria-label="Pages">'
        + " ".join(
            f'<a href="{attr(link(pg))}"'
            + (' aria-current="page"' if i == index else "")
            + f">{i + 1}</a>"
            for i, pg in enumerate(pages)
        )
        + "</nav>"
    )


def _place_page(
    path: str,
    state: str,
    items: list[Provider],
    pages: list[str],
    index: int,
    *,
    use_directory_urls: bool,
) -> GeneratedFile:
    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    title = f"Providers in {state}" if state else "Providers without an address"
    if len(pages) > 1:
        title += f" (page {index + 1} of {len(pages)})"
    body = [
        front_matter(title, search={"exclude": True}),
        f"<h1>{esc(title)}</h1>",
        "",
        f'<div class="dk-list-page"><p><a href="{attr(link(HOME_PATH))}">All providers and filters</a> · '
        f"{len(items)} listed here</p>",
    ]
    county_seen: str | None = None
    city_seen: tuple[str, str] | None = None
    open_list = False
    for p in items:
        a = p.location.address
        county = (a.county or "") if a else ""
        city = a.city if a else ""
        if county and county != county_seen:
            if open_list:
                body.append("</ul>")
                open_list = False
            body.append(f'<h2 id="county-{attr(slugify(county))}">{esc(county)}</h2>')
            county_seen = county
        if (county, city) != city_seen:
            if open_list:
                body.append("</ul>")
            body.append(
                f'<h3 id="{attr(city_anchor(county, city))}">{esc(city or "No city")}</h3><ul class="dk-list">'
            )
            open_list = True
            city_seen = (county, city)
        body.append(_entry(p, link, with_city=False))
    if open_list:
        body.append("</ul>")
    body.append(_pager(path, pages, index, link))
    body.append("</div>")
    return GeneratedFile(path, "\n".join(body) + "\n")


def _listing(
    path: str,
    title: str,
    items: Sequence[Provider],
    pages: list[str],
    index: int,
    *,
    use_directory_urls: bool,
) -> GeneratedFile:
    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    heading = title if len(pages) == 1 else f"{title} (page {index + 1} of {len(pages)})"
    body = [
        front_matter(heading, search={"exclude": True}),
        f"<h1>{esc(heading)}</h1>",
        "",
        f'<div class="dk-list-page"><p><a href="{attr(link(HOME_PATH))}">All providers and filters</a> · '
        f"{len(items)} listed here</p>",
        '<ul class="dk-list">' + "".join(_entry(p, link, with_city=True) for p in items) + "</ul>",
        _pager(path, pages, index, link),
        "</div>",
    ]
    return GeneratedFile(path, "\n".join(body) + "\n")


def render_browse_pages(
    providers: Sequence[Provider],
    *,
    places: PlaceIndex | None = None,
    use_directory_urls: bool = True,
) -> list[GeneratedFile]:
    """Place pages (by state, grouped by county and city) and need pages.

    Together they link every provider, in pages of at most :data:`PAGE_SIZE` links.
    """
    places = places or place_index(providers)
    files = [
        _place_page(path, state, items, pages, i, use_directory_urls=use_directory_urls)
        for path, state, items, pages, i in places.pages
    ]
    by_need: dict[str, list[Provider]] = defaultdict(list)
    for p in sorted(providers, key=lambda p: (p.name.lower(), p.slug)):
        for n in provider_needs(p):
            by_need[n].append(p)
    for need, items in by_need.items():
        chunks = _chunks(items)
        pages = _paged_paths(f"directory/need/{need}", len(chunks))
        title = f"Providers for {NEEDS.label(need).lower()}"
        for i, chunk in enumerate(chunks):
            files.append(
                _listing(pages[i], title, chunk, pages, i, use_directory_urls=use_directory_urls)
            )
    return files
