"""The officer pocket card: a one-page, printable summary generated from the policy and directory.

The card is rebuilt with the site, so it always shows the rules in force on the build day and
the providers that take police drop-offs around the clock. Its body is one raw HTML block
inside Markdown: Python-Markdown leaves such a block untouched, so HTML escaping is the only
escaping that matters, and every string that comes from data (rule labels, parameter values,
provider names, addresses, instructions) goes through :func:`html.escape`. Provider names come
from strangers.

Example:
    >>> import datetime as dt
    >>> from deflectkit.core.directory import Directory
    >>> card = render_pocket_card(None, Directory(()), today=dt.date(2026, 1, 5))
    >>> card.path
    'playbook/pocket-card.md'
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from deflectkit.core.providers import readable_phone
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import FIRST_STEPS, PATHWAYS

if TYPE_CHECKING:
    from deflectkit.core.directory import Directory
    from deflectkit.core.policy.model import Parameter, Policy, Rule
    from deflectkit.core.providers import Provider

__all__ = ["POCKET_CARD_PATH", "dropoff_providers", "render_pocket_card"]

#: Where the card lands, relative to the generated docs folder (the playbook nav entry).
POCKET_CARD_PATH: Final = "playbook/pocket-card.md"

_E164: Final = re.compile(r"\+[1-9][0-9]{6,14}")
_EFFECT_TEXT: Final = {
    "exclude": "not eligible now",
    "defer": "decide after the first step",
    "review": "a supervisor decides",
    "decline": "declined, no referral now",
}
#: A rule about the charge that excludes: the charge proceeds, the referral stays.
_CHARGE_EXCLUDE_TEXT: Final = "the charge proceeds; still offer the referral"


def _e(value: object) -> str:
    """HTML-escape anything that came from data (quotes too: some of it lands in attributes)."""
    return html.escape(str(value), quote=True)


def dropoff_providers(directory: Directory) -> tuple[Provider, ...]:
    """Providers that take first-responder drop-offs and whose intake is open 24/7.

    Sorted by name (case-insensitive), then slug, so the card is the same on every build.
    """
    found = [
        p for p in directory if p.intake.first_responder_dropoff and p.is_24_7
    ]
    return tuple(sorted(found, key=lambda p: (p.name.casefold(), p.slug)))


def _phone(provider: Provider) -> str | None:
    """The number an officer should ring: the call-ahead line, else the first listed phone."""
    if provider.intake.call_ahead:
        return provider.intake.call_ahead
    return provider.phones[0].number if provider.phones else None


def _phone_html(number: str | None) -> str:
    if not number:
        return "Call dispatch"
    if _E164.fullmatch(number) is None:  # never build a tel: link from something odd
        return _e(number)
    return f'<a href="tel:{_e(number)}">{_e(readable_phone(number))}</a>'


def _address_html(provider: Provider) -> str:
    address = provider.location.address
    if address is None:
        return "Address not listed"
    street = f"{address.street}, " if address.street else ""
    return _e(f"{street}{address.city}, {address.state} {address.postal_code}")


def _words(value: Any) -> str:
    """A parameter value in plain words: lists joined, machine words made readable."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 2.0 g reads as 2 g
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value) if isinstance(value, (frozenset, set)) else value
        return ", ".join(_words(v) for v in items)
    return str(value).replace("_", " ")


def _parameter_text(parameter: Parameter, today: dt.date) -> str | None:
    current = parameter.at(today)
    if current is None:
        return None
    unit = f" {parameter.unit}" if parameter.unit else ""
    return f"{parameter.label}: {_words(current.value)}{unit}"


def _rule_params(rule: Rule) -> tuple[str, ...]:
    # Imported here: the policy package is only needed when there is a policy to show.
    from deflectkit.core.policy.expressions import expr_params

    return expr_params(rule.when)


def _rule_item(rule: Rule, policy: Policy, today: dt.date, *, show_effect: bool) -> str:
    parts = [f"<strong>{_e(rule.label)}</strong>"]
    values = []
    for name in _rule_params(rule):
        parameter = policy.parameter(name)
        text = _parameter_text(parameter, today) if parameter is not None else None
        if text:
            values.append(text)
    if values:
        parts.append(f" ({_e('; '.join(values))})")
    if show_effect:
        text = (_CHARGE_EXCLUDE_TEXT if rule.scope == "charge" and rule.effect == "exclude"
                else _EFFECT_TEXT[rule.effect])
        parts.append(f": {'if not, ' if rule.kind == 'criterion' else ''}{_e(text)}")
    if rule.first_step:
        parts.append(f". First: {_e(FIRST_STEPS.label(rule.first_step))}")
    return "<li>" + "".join(parts) + "</li>"


def _in_effect(rules: Iterable[Rule], today: dt.date) -> list[Rule]:
    return [r for r in rules if r.effective.contains(today)]


def _list(items: Sequence[str], empty: str) -> str:
    if not items:
        return f"<p>{_e(empty)}</p>"
    return "<ul>" + "".join(items) + "</ul>"


def _policy_sections(policy: Policy | None, today: dt.date) -> list[str]:
    if policy is None:
        return [
            '<section class="dk-card-eligibility"><h2>Eligibility quick check</h2>'
            "<p>No deflection policy is loaded for this site. Follow your agency's written "
            "policy.</p></section>"
        ]
    out: list[str] = []
    if not policy.effective.contains(today):
        out.append(
            '<p class="dk-card-warning"><strong>Warning:</strong> this policy is not in effect '
            f"on {_e(today.isoformat())} ({_e(policy.effective.describe())}). "
            "Ask your supervisor which rules apply.</p>"
        )
    safety = [_rule_item(r, policy, today, show_effect=False)
              for r in _in_effect(policy.safety, today)]
    out.append(
        '<section class="dk-card-safety"><h2>1. Safety and first steps</h2>'
        "<p>Check these first. If one applies, do the first step before anything else.</p>"
        + _list(safety, "No safety rules are listed in the policy.")
        + "</section>"
    )
    out.append(_eligibility_section(policy, today))
    pathways = []
    for rule in policy.pathways:
        if not rule.effective.contains(today):
            continue
        label = PATHWAYS.label(rule.pathway)
        when = rule.label or ("otherwise" if rule.default else rule.id)
        pathways.append(f"<li>{_e(when)}: <strong>{_e(label)}</strong></li>")
    if pathways:
        out.append(
            '<section class="dk-card-pathways"><h2>3. Which pathway</h2>'
            "<p>The first line that fits names the pathway to record.</p>"
            + "<ol>" + "".join(pathways) + "</ol></section>"
        )
    return out


def _eligibility_section(policy: Policy, today: dt.date) -> str:
    """The person and the scene first; then the charge, which never stops a referral."""
    def items(rules: Iterable[Rule], *, said: str | None = None) -> list[str]:
        # The effect the heading already says (``said``) is not repeated on each line.
        return [_rule_item(r, policy, today, show_effect=r.effect != said) for r in rules]

    criteria = _in_effect(policy.criteria, today)
    exclusions = _in_effect(policy.exclusions, today)
    body = (
        '<section class="dk-card-eligibility"><h2>2. Eligibility quick check</h2>'
        "<p><strong>Must be true:</strong></p>"
        + _list(items([r for r in criteria if r.scope == "encounter"], said="exclude"),
                "The policy lists no criteria about the person.")
        + "<p><strong>Not now if any of these is true:</strong></p>"
        + _list(items([r for r in exclusions if r.scope == "encounter"], said="exclude"),
                "The policy lists no exclusions about the person.")
    )
    charge_criteria = [r for r in criteria if r.scope == "charge"]
    charge_exclusions = [r for r in exclusions if r.scope == "charge"]
    if charge_criteria or charge_exclusions:  # one list: each line says what it does
        body += (
            "<p><strong>About the charge</strong>, only when an offense is in play; the"
            " person is still offered a referral:</p>"
            + _list(items([*charge_criteria, *charge_exclusions]), "")
        )
    return body + "</section>"


def _provider_rows(providers: Sequence[Provider]) -> str:
    if not providers:
        return (
            "<p>No provider in the directory takes police drop-offs around the clock. "
            "Call dispatch for the nearest open crisis or treatment site.</p>"
        )
    rows = []
    for p in providers:
        name = _e(p.name)
        if p.sample:
            name += ' <em class="dk-sample">(sample data)</em>'
        note = ""
        if p.intake.instructions:
            note = f'<br><span class="dk-card-note">{_e(p.intake.instructions)}</span>'
        rows.append(
            f"<tr><td>{name}{note}</td><td>{_phone_html(_phone(p))}</td>"
            f"<td>{_address_html(p)}</td></tr>"
        )
    return (
        "<table><thead><tr><th>Provider</th><th>Phone</th><th>Address</th></tr></thead>"
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


_RECORD: Final = (
    "<section class=\"dk-card-record\"><h2>How to record a deflection</h2><ol>"
    "<li>Note the quick-check result and any reason that applied.</li>"
    "<li>Record the offer, and whether the person said yes or no (deflection is voluntary).</li>"
    "<li>Record the referral: time, pathway and the provider you used.</li>"
    "<li>Record the hand-off when the provider takes over.</li>"
    "<li>Use the referral number only. No names, diagnoses or stories in the program log.</li>"
    "</ol></section>"
)


def _safe_href(href: str | None) -> str | None:
    if href and href.split(":", 1)[0].lower() in ("http", "https"):
        return href
    return None


def _sources_html(policy: Policy | None) -> str:
    """The sources of the policy as a whole, after the card (not printed)."""
    items = []
    for cite in policy.cite if policy is not None else ():
        href = _safe_href(cite.href)
        title = _e(cite.title)
        items.append(f'<li><a href="{_e(href)}">{title}</a></li>' if href else f"<li>{title}</li>")
    if not items:
        items.append("<li>No sources are listed for the policy; see the policy page.</li>")
    return (
        '<div class="dk-card-sources dk-no-print"><h2 id="sources">Sources</h2><ul>'
        + "".join(items) + "</ul></div>"
    )


def render_pocket_card(
    policy: Policy | None, directory: Directory, *, today: dt.date
) -> GeneratedFile:
    """Render the one-page officer pocket card.

    Args:
        policy: the agency's deflection policy (the bundled model policy by default), or
            ``None`` when the site has none; the card then says so.
        directory: the provider directory; providers with ``intake.first_responder_dropoff``
            whose intake hours are 24/7 are listed.
        today: the build day: the rules and parameter values in force on it are shown. A
            parameter, never a clock read, so the same inputs give the same card.

    Returns:
        ``GeneratedFile("playbook/pocket-card.md", markdown)``.

    Example:
        >>> import datetime as dt
        >>> from deflectkit.core.directory import Directory
        >>> md = render_pocket_card(None, Directory(()), today=dt.date(2026, 1, 5)).content
        >>> "Officer pocket card" in md and "988" in md
        True
    """
    title = policy.label if policy is not None else "No policy loaded"
    parts = [
        "# Officer pocket card",
        "",
        '<div class="dk-pocket-card">',
        '<p class="dk-card-meta">For line officers. '
        f"<strong>{_e(title)}</strong>, rules in force on "
        f"{_e(today.isoformat())}. This card is advice: your discretion is final, and the "
        "person's choice is voluntary.</p>",
        *_policy_sections(policy, today),
        '<section class="dk-card-dropoff"><h2>24/7 police drop-off</h2>'
        + _provider_rows(dropoff_providers(directory))
        + "</section>",
        _RECORD,
        '<section class="dk-card-crisis"><h2>Crisis lines</h2><p>Emergency: '
        '<a href="tel:911">911</a>. Suicide and Crisis Lifeline (call or text): '
        '<a href="tel:988">988</a>.</p></section>',
        "</div>",
        "",
        _sources_html(policy),
        "",
        "Generated from the policy and provider data when the site was built. Print this page "
        "on one sheet; the print layout hides the site's navigation.",
        "",
    ]
    return GeneratedFile(POCKET_CARD_PATH, "\n".join(parts))
