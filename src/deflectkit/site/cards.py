"""The action block an officer acts on: call, directions, open until/opens, drop-off, hand-off.

One structure for both places it appears: the directory's result cards (drawn in the browser
by ``deflectkit.js`` from the index rows :func:`card_facts` feeds) and the top of each
provider page (drawn here, so it works without JavaScript). The class names below are the
contract the script follows; ``tests/browser/test_officer_path.py`` checks both agree.

Example:
    >>> from deflectkit.core.providers import Intake, Location, Phone, Provider
    >>> p = Provider(slug="x", name="X", location=Location("America/Phoenix"),
    ...              phones=(Phone("+15205550100", "Main"), Phone("+15205550101", "Admissions")),
    ...              intake=Intake(first_responder_dropoff=True, officer_minutes=10))
    >>> call_number(p)
    '+15205550101'
    >>> card_facts(p)
    ['Police drop-off', 'Hand-off about 10 min']
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

import re

from deflectkit.core.providers import Provider, readable_phone
from deflectkit.site.facets import dumps_compact, weekly_spans
from deflectkit.site.markup import attr, esc, tel_url
from deflectkit.site.strings import strings_for
from deflectkit.vocabulary import Language

__all__ = ["action_block", "address_line", "call_number", "card_facts", "directions_url"]

#: Phone labels that mean "the line that takes people in", preferred over a main line.
_INTAKE_LABEL = re.compile(r"intake|admission|24|crisis|law enforcement|police|overnight", re.I)


def call_number(provider: Provider) -> str | None:
    """The number an officer should ring first, in E.164: call-ahead, an intake line, else the first."""
    if provider.intake.call_ahead:
        return provider.intake.call_ahead
    for phone in provider.phones:
        if phone.label and _INTAKE_LABEL.search(phone.label):
            return phone.number
    return provider.phones[0].number if provider.phones else None


def address_line(provider: Provider) -> str:
    """Street, city and state on one line (empty when the provider has no address)."""
    a = provider.location.address
    if a is None:
        return ""
    return ", ".join(x for x in (a.street, a.city, a.state) if x)


def directions_url(provider: Provider) -> str | None:
    """A ``geo:`` URI the phone hands to its maps app when tapped; nothing loads before.

    The coordinates are ours (validated numbers), never contributor text, so the URI is safe.
    Without coordinates the address is the query (RFC 5870 allows ``geo:0,0?q=``).
    """
    coords = provider.location.coordinates
    if coords is not None:
        # Rounded as in the directory index, so a card and the provider page link alike.
        lat, lon = round(coords.lat, 4), round(coords.lon, 4)
        return f"geo:{lat},{lon}?q={lat},{lon}"
    line = address_line(provider)
    if not line:
        return None
    from urllib.parse import quote

    return "geo:0,0?q=" + quote(line, safe="")


def card_facts(provider: Provider, lang: Language = "en") -> list[str]:
    """The short facts the card lists after the open badge (drop-off, hand-off, walk-in)."""
    s = strings_for(lang)
    facts = []
    if provider.intake.first_responder_dropoff:
        facts.append(s["dropoff"])
    if provider.intake.officer_minutes is not None:
        facts.append(s["handoff"].format(minutes=int(provider.intake.officer_minutes)))
    if provider.intake.walk_in:
        facts.append(s["walk_in"])
    return facts


def _open_badge(provider: Provider, lang: Language) -> str:
    """24/7 is known at build time; other hours become "open until"/"opens" in the browser."""
    s = strings_for(lang)
    if provider.is_24_7:
        return f'<span class="dk-badge dk-open dk-open-yes">{esc(s["open_24_7"])}</span>'
    if provider.intake_hours is None:
        return f'<span class="dk-badge dk-open dk-open-unknown">{esc(s["call_for_hours"])}</span>'
    spans = dumps_compact(weekly_spans(provider))
    return (
        f'<span class="dk-badge dk-open" data-tz="{attr(provider.location.timezone)}" '
        f'data-hours="{attr(spans)}" hidden></span>'
    )


def action_block(provider: Provider, lang: Language = "en") -> str:
    """The provider page's lead block: open badge, Call and Directions, drop-off facts, address."""
    s = strings_for(lang)
    coords = provider.location.coordinates
    where = (
        f' data-lat="{round(coords.lat, 4)}" data-lon="{round(coords.lon, 4)}"'
        if coords is not None
        else ""
    )
    out = [f'<div class="dk-card dk-card-page" data-pagefind-ignore{where}>']
    out.append(
        f'<p class="dk-card-status">{_open_badge(provider, lang)} <span class="dk-dist" hidden></span></p>'
    )
    actions = []
    number = call_number(provider)
    href = tel_url(number) if number else None
    if number and href:
        label = s["call"].format(phone=readable_phone(number))
        actions.append(
            f'<a class="dk-call md-button md-button--primary" href="{attr(href)}">{esc(label)}</a>'
        )
    maps = directions_url(provider)
    if maps:
        actions.append(
            f'<a class="dk-directions md-button" href="{attr(maps)}">{esc(s["directions"])}</a>'
        )
    if actions:
        out.append('<p class="dk-card-actions">' + " ".join(actions) + "</p>")
    facts = card_facts(provider, lang)
    if facts:
        out.append(f'<p class="dk-card-facts">{esc(" · ".join(facts))}</p>')
    line = address_line(provider)
    if line:
        out.append(f'<p class="dk-card-addr">{esc(line)}</p>')
    out.append("</div>")
    return "\n".join(out)
