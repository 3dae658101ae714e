"""The directory home (filters in the browser) and the browse pages that work without JavaScript.

Each is rendered in English and, under ``es/``, in Spanish (``lang``): the same layout, the
sentences of :mod:`deflectkit.site.strings` and the vocabulary's Spanish labels.

Browse pages list every provider by place (one page per state, grouped by county and city,
with anchors the directory home links to) and by need, split into pages of at most
:data:`PAGE_SIZE` links so that neither a page nor the page count grows out of proportion
with a national directory.
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

import attrs

from deflectkit.core.providers import Provider
from deflectkit.site.facets import dumps_compact, provider_needs, shard_bounds
from deflectkit.site.languages import language_switch
from deflectkit.site.markup import attr, esc, front_matter, lang_path, rel_url, slugify
from deflectkit.site.output import GeneratedFile
from deflectkit.site.provider_page import provider_path
from deflectkit.site.strings import strings_for
from deflectkit.vocabulary import (
    LANGUAGES,
    MEDICATIONS,
    NEEDS,
    PAYMENT,
    POPULATIONS,
    SERVICES,
    SYNONYMS,
    Language,
)

__all__ = [
    "HOME_PATH",
    "PAGE_SIZE",
    "PlaceIndex",
    "city_anchor",
    "crisis_strip",
    "home_path",
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


def state_stem(state: str, lang: Language = "en") -> str:
    """The first place page of a state, without ``.md``."""
    return lang_path(f"directory/place/{slugify(state) if state else 'unknown'}", lang)


def home_path(lang: Language = "en") -> str:
    """The directory home of a language: ``directory/index.md`` or ``es/directory/index.md``."""
    return lang_path(HOME_PATH, lang)


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


def place_index(providers: Sequence[Provider], lang: Language = "en") -> PlaceIndex:
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
        paths = _paged_paths(state_stem(state, lang), len(chunks))
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


def crisis_strip(lang: Language = "en") -> str:
    """The 988 and 911 line every public page of the directory leads with."""
    s = strings_for(lang)
    danger = esc(s["crisis_danger"]).replace("{call911}", '<a href="tel:911">911</a>')
    line = esc(s["crisis_line"]).replace("{call988}", '<a href="tel:988">988</a>')
    return f'<p class="dk-crisis" role="note" data-pagefind-ignore><strong>{danger}</strong> {line}</p>'


def _vocab_options(
    s: Mapping[str, str], lang: Language, providers: Sequence[Provider]
) -> list[str]:
    """The "more filters" menus over the vocabularies, labelled in ``lang``."""
    codes = sorted({c for p in providers for c in p.languages}, key=lambda c: LANGUAGES.label(c, lang))
    return [
        _options("care", s["care"], s["any_care"], [(t.word, SERVICES.label(t.word, lang)) for t in SERVICES]),
        _options("med", s["med"], s["any_med"], [(t.word, MEDICATIONS.label(t.word, lang)) for t in MEDICATIONS]),
        _options("pay", s["pay"], s["any_pay"], [(t.word, PAYMENT.label(t.word, lang)) for t in PAYMENT]),
        _options("lang", s["lang"], s["any_lang"], [(c, LANGUAGES.label(c, lang)) for c in codes]),
        _options("pop", s["pop"], s["any_pop"], [(t.word, POPULATIONS.label(t.word, lang)) for t in POPULATIONS]),
    ]


def _form(
    providers: Sequence[Provider], shards: dict[str, list[float | int | None]], lang: Language
) -> str:
    s = strings_for(lang)
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
        *_vocab_options(s, lang, providers),
        f'<label class="dk-field">{esc(s["age"])} <input name="age" inputmode="numeric" '
        'maxlength="3" size="4" aria-describedby="dk-age-msg"></label>'
        '<p class="dk-msg" id="dk-age-msg" aria-live="polite"></p>',
        f'<label class="dk-check"><input type="checkbox" name="walkin"> {esc(s["walk_in"])}</label>',
        f'<label class="dk-check"><input type="checkbox" name="always"> {esc(s["open_24_7"])}</label>',
    ]
    search = (
        f'<div class="dk-wide"><label class="dk-field" for="dk-q">{esc(s["search_label"])}</label>'
        '<input id="dk-q" class="dk-q" type="search" name="q" autocomplete="off" '
        f'aria-describedby="dk-q-hint"><span class="dk-sr" id="dk-q-hint">{esc(s["search_hint"])}</span></div>'
    )
    return "".join(
        [
            _options("need", s["need"], s["any_need"], [(t.word, NEEDS.label(t.word, lang)) for t in NEEDS]),
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


def _home_data(
    path: str,
    shards: dict[str, list[float | int | None]],
    *,
    zip_prefixes: dict[str, str] | None,
    load_all: bool,
    use_directory_urls: bool,
) -> str:
    """The ``data-`` attributes the script reads: where the index is, the ZIP prefixes, synonyms.

    The index files are the same for both languages (``directory/index/``): the Spanish home
    links to them.
    """
    index_base = rel_url("directory/index/x.json", path, use_directory_urls=use_directory_urls)
    provider_base = rel_url(
        provider_path("__slug__", "es" if path.startswith("es/") else "en"),
        path,
        use_directory_urls=use_directory_urls,
    )
    return (
        f'data-index-base="{attr(index_base.removesuffix("x.json"))}" data-shards="{attr(dumps_compact(shards))}" '
        f'data-zip3="{attr(dumps_compact(zip_prefixes or {}))}" data-provider-url="{attr(provider_base)}" '
        f'data-synonyms="{attr(dumps_compact(SYNONYMS))}"' + (" data-load-all" if load_all else "")
    )


def render_directory_home(
    providers: Sequence[Provider],
    *,
    title: str | None = None,
    places: PlaceIndex | None = None,
    use_directory_urls: bool = True,
    shards: dict[str, list[float | int | None]] | None = None,
    zip_prefixes: dict[str, str] | None = None,
    inline: dict[str, str] | None = None,
    load_all: bool = True,
    contact: str | None = None,
    lang: Language = "en",
) -> GeneratedFile:
    """``directory/index.md``: filters and result cards (drawn by the script), browse links.

    The filter form, skip link and "Show more" start ``hidden``: the script shows them once
    it can act on them, so a phone without JavaScript sees the browse pages, not a dead form.
    ``shards`` (:func:`~deflectkit.site.facets.shard_bounds`) names the per-state index files
    under ``directory/index/``; ``zip_prefixes`` maps a ZIP code's first three digits to the
    state whose ZIP table holds it. ``inline`` (shard → JSON text) is written into the page
    itself: a small directory then needs no second round trip on a slow link. ``load_all``
    lists every provider at once, whatever the states; without it (a national directory)
    the script asks for a place and loads only the states near it. ``contact``
    is the agency's one line about who keeps the directory (escaped, plain text; marked as
    English on the Spanish page). ``lang="es"`` renders ``es/directory/index.md``; ``title``
    defaults to the language's "Provider directory".
    """
    path = home_path(lang)

    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    s = strings_for(lang)
    title = title or s["directory_title"]
    shards = shards if shards is not None else shard_bounds(providers)
    data = _home_data(
        path,
        shards,
        zip_prefixes=zip_prefixes,
        load_all=load_all,
        use_directory_urls=use_directory_urls,
    )
    out = [
        front_matter(title, search={"exclude": True}, description=esc(s["home_description"])),
        # The switch floats beside the heading: a line of its own would push the first
        # result's Call button below the fold of a phone.
        language_switch(path, use_directory_urls=use_directory_urls, beside_heading=True),
        f"<h1>{esc(title)}</h1>",
        "",
        crisis_strip(lang),
        f'<div class="dk-directory" {data}>',
        f'<a class="dk-skip" href="#dk-results" hidden>{esc(s["skip_results"])}</a>',
        *_inline_index(inline or {}),
        f'<form class="dk-filters" hidden aria-label="{attr(s["filters_label"])}">'
        + _form(providers, shards, lang)
        + "</form>",
        '<p class="dk-count" role="status" aria-live="polite" data-pagefind-ignore></p>',
        f'<ul class="dk-results" id="dk-results" tabindex="-1" aria-label="{attr(s["results_label"])}"></ul>',
        f'<p><button type="button" class="dk-more md-button" hidden>{esc(s["show_more"])}</button></p>',
        f"<noscript><p>{esc(s['noscript'])}</p></noscript>",
        "</div>",
        # Below the results: above them it would push the first Call button off the screen.
        _sample_banner(providers, s),
        "",
    ]
    out.append(_browse_sections(providers, places or place_index(providers, lang), link, lang))
    if contact:
        marked = ' lang="en"' if lang != "en" else ""
        out.append(f'<p class="dk-contact-line" data-pagefind-ignore{marked}>{esc(contact)}</p>')
    return GeneratedFile(path, "\n".join(out) + "\n")


def _inline_index(inline: Mapping[str, str]) -> list[str]:
    """The index shards written into the page, as JSON script elements."""
    return [
        f'<script type="application/json" class="dk-inline-index" data-key="{attr(key)}">'
        + text.replace("<", "\\u003c")  # no tag can open or close inside
        + "</script>"
        for key, text in inline.items()
    ]


def _sample_banner(providers: Sequence[Provider], s: Mapping[str, str]) -> str:
    """A note above the filters when the directory holds fictional sample providers."""
    if not any(p.sample for p in providers):
        return ""
    head, _, rest = s["sample_home"].partition(". ")
    return (
        f'<p class="dk-banner dk-banner-short" role="note" data-pagefind-ignore><strong>{esc(head)}.</strong> '
        f"{esc(rest)}</p>"
    )


def _browse_sections(
    providers: Sequence[Provider], places: PlaceIndex, link: Callable[[str], str], lang: Language
) -> str:
    """Links to the need pages and to each state's page (counties and cities are there)."""
    s = strings_for(lang)
    by_need: dict[str, int] = defaultdict(int)
    for p in providers:
        for n in provider_needs(p):
            by_need[n] += 1
    parts = [
        '<section class="dk-browse">',
        f'<h2 id="browse-need">{esc(s["browse_need"])}</h2>',
        "<ul>",
    ]
    for word in NEEDS.words:
        if by_need.get(word):
            target = lang_path(f"directory/need/{word}.md", lang)
            parts.append(
                f'<li><a href="{attr(link(target))}">{esc(NEEDS.label(word, lang))}</a> '
                f"({by_need[word]})</li>"
            )
    parts.append("</ul>")
    parts.append(f'<h2 id="browse-place">{esc(s["browse_place"])}</h2>')
    parts.append('<ul class="dk-columns">')
    for state in sorted(places.states):
        path, count = places.states[state]
        parts.append(
            f'<li><a href="{attr(link(path))}">{esc(state or s["no_address"])}</a> ({count})</li>'
        )
    parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def _entry(p: Provider, link: Callable[[str], str], *, with_city: bool, lang: Language) -> str:
    s = strings_for(lang)
    a = p.location.address
    notes = [f"{a.city}, {a.state}"] if a and with_city else []
    if p.is_24_7:
        notes.append(s["open_24_7"])
    if p.intake.first_responder_dropoff:
        notes.append(s["dropoff"])
    return (
        f'<li><a href="{attr(link(provider_path(p.slug, lang)))}">{esc(p.name)}</a>'
        f' <span class="dk-muted">{esc(" · ".join(notes))}</span></li>'
    )


def _pager(pages: list[str], index: int, link: Callable[[str], str], lang: Language) -> str:
    if len(pages) <= 1:
        return ""
    return (
        f'<nav class="dk-pager" aria-label="{attr(strings_for(lang)["pages"])}">'
        + " ".join(
            f'<a href="{attr(link(pg))}"'
            + (' aria-current="page"' if i == index else "")
            + f">{i + 1}</a>"
            for i, pg in enumerate(pages)
        )
        + "</nav>"
    )


def _list_head(
    path: str,
    title: str,
    *,
    count: int,
    pages: list[str],
    index: int,
    link: Callable[[str], str],
    lang: Language,
    use_directory_urls: bool,
) -> list[str]:
    """Front matter, heading (with the page number), language switch and the way back."""
    s = strings_for(lang)
    if len(pages) > 1:
        title = s["page_of"].format(title=title, page=index + 1, pages=len(pages))
    back = link(home_path(lang))
    return [
        front_matter(title, search={"exclude": True}, description=esc(title)),
        f"<h1>{esc(title)}</h1>",
        "",
        language_switch(path, use_directory_urls=use_directory_urls),
        f'<div class="dk-list-page"><p><a href="{attr(back)}">{esc(s["all_providers_filters"])}</a> · '
        f"{esc(s['listed_here'].format(count=count))}</p>",
    ]


def _place_page(
    path: str,
    state: str,
    items: list[Provider],
    pages: list[str],
    index: int,
    *,
    use_directory_urls: bool,
    lang: Language,
) -> GeneratedFile:
    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    s = strings_for(lang)
    title = s["providers_in"].format(place=state) if state else s["providers_no_address"]
    body = _list_head(
        path,
        title,
        count=len(items),
        pages=pages,
        index=index,
        link=link,
        lang=lang,
        use_directory_urls=use_directory_urls,
    )
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
                f'<h3 id="{attr(city_anchor(county, city))}">{esc(city or s["no_city"])}</h3><ul class="dk-list">'
            )
            open_list = True
            city_seen = (county, city)
        body.append(_entry(p, link, with_city=False, lang=lang))
    if open_list:
        body.append("</ul>")
    body.append(_pager(pages, index, link, lang))
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
    lang: Language,
) -> GeneratedFile:
    def link(target: str) -> str:
        return rel_url(target, path, use_directory_urls=use_directory_urls)

    body = _list_head(
        path,
        title,
        count=len(items),
        pages=pages,
        index=index,
        link=link,
        lang=lang,
        use_directory_urls=use_directory_urls,
    )
    body += [
        '<ul class="dk-list">'
        + "".join(_entry(p, link, with_city=True, lang=lang) for p in items)
        + "</ul>",
        _pager(pages, index, link, lang),
        "</div>",
    ]
    return GeneratedFile(path, "\n".join(body) + "\n")


def render_browse_pages(
    providers: Sequence[Provider],
    *,
    places: PlaceIndex | None = None,
    use_directory_urls: bool = True,
    lang: Language = "en",
) -> list[GeneratedFile]:
    """Place pages (by state, grouped by county and city) and need pages, in ``lang``.

    Together they link every provider, in pages of at most :data:`PAGE_SIZE` links.
    ``places`` must be the :func:`place_index` of the same language.
    """
    places = places or place_index(providers, lang)
    files = [
        _place_page(path, state, items, pages, i, use_directory_urls=use_directory_urls, lang=lang)
        for path, state, items, pages, i in places.pages
    ]
    by_need: dict[str, list[Provider]] = defaultdict(list)
    for p in sorted(providers, key=lambda p: (p.name.lower(), p.slug)):
        for n in provider_needs(p):
            by_need[n].append(p)
    for need, items in by_need.items():
        chunks = _chunks(items)
        pages = _paged_paths(lang_path(f"directory/need/{need}", lang), len(chunks))
        label = NEEDS.label(need, lang)
        title = strings_for(lang)["providers_for"].format(need=label.lower() if lang == "en" else label)
        for i, chunk in enumerate(chunks):
            files.append(
                _listing(
                    pages[i], title, chunk, pages, i, use_directory_urls=use_directory_urls, lang=lang
                )
            )
    return files
