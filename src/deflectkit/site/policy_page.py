"""Policy pages: each policy file in plain language, with citations, history and a flowchart.

Example:
    >>> from deflectkit.files.policy import load_policy  # doctest: +SKIP
    >>> files = render_policy_pages([load_policy("data/policies/model-deflection.yaml")])  # doctest: +SKIP
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deflectkit.core.policy.expressions import AllOf, AnyOf, Compare, Expr, Not, param_names
from deflectkit.core.policy.model import Cite, Effect, Policy, Rule
from deflectkit.site.flowchart import Answer, Step, Tone, flowchart_steps_html, flowchart_svg
from deflectkit.site.markup import attr, esc, front_matter, rel_url, safe_url
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import CONTACT_KINDS, FIRST_STEPS, NEEDS, PATHWAYS, SERVICES

__all__ = ["INDEX_PATH", "policy_path", "render_policy_pages"]

INDEX_PATH = "policy/index.md"

_OPS = {
    "eq": "is",
    "ne": "is not",
    "lt": "is less than",
    "le": "is at most",
    "gt": "is more than",
    "ge": "is at least",
    "in": "is one of",
    "not_in": "is none of",
    "between": "is between",
    "present": "is known",
    "absent": "is not known",
    "contains_any": "include any of",
}
#: What a rule's effect means for the person, and the color of its outcome.
_EFFECTS: dict[Effect, tuple[str, Tone]] = {
    "exclude": ("Not eligible now; no referral", "bad"),
    "defer": ("First steps, then decide again", "wait"),
    "review": ("A supervisor decides", "review"),
    "decline": ("Declined: no referral now", "wait"),
}
#: The same for a rule about the charge: linkage to care is still offered.
_CHARGE_EFFECTS: dict[Effect, tuple[str, Tone]] = {
    "exclude": ("The charge proceeds; a voluntary referral is still offered", "bad"),
    "defer": ("First steps, then decide again", "wait"),
    "review": ("A supervisor decides whether the charge is deflected", "review"),
    "decline": ("Declined: the charge proceeds", "wait"),
}


def policy_path(policy_id: str) -> str:
    """The generated page of one policy."""
    return f"policy/{policy_id}.md"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset | set):
        return ", ".join(sorted(str(v).replace("_", " ") for v in value)) or "nothing"
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value) or "nothing"
    return str(value).replace("_", " ") if isinstance(value, str) else str(value)


def _lower_first(text: str) -> str:
    """A label inside a sentence: ``How the contact began`` -> ``how the contact began``."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _operand(expr: Compare, policy: Policy) -> str:
    if expr.param is not None:
        labels = []
        for name in param_names(expr.param):
            param = policy.parameter(name)
            labels.append(f"“{param.label}”" if param else name)
        return " or ".join(labels)
    if expr.other is not None:
        other = policy.fact(expr.other)
        return _lower_first(other.display) if other else expr.other
    return _value(expr.value)


def _compare(expr: Compare, policy: Policy, *, negated: bool = False) -> str:
    spec = policy.fact(expr.subject)
    subject = _lower_first(spec.display if spec else expr.subject.replace("_", " "))
    empty = expr.op == "subset_of" and expr.param is None and not expr.value
    if expr.op == "subset_of":
        if empty:
            return f"{subject}: at least one" if negated else f"{subject}: none"
        rhs = _operand(expr, policy)
        return (f"{subject} include one that is not in {rhs}" if negated
                else f"{subject} are all in {rhs}")
    if expr.op == "eq" and isinstance(expr.value, bool):
        yes = expr.value != negated
        return subject if yes else f"{subject}: no"
    text = (f"{subject} {_OPS.get(expr.op, expr.op)}" if expr.op in {"present", "absent"}
            else f"{subject} {_OPS.get(expr.op, expr.op)} {_operand(expr, policy)}")
    return f"not ({text})" if negated else text


def plain(expr: Expr | None, policy: Policy) -> str:
    """A condition in plain words, with fact and parameter labels.

    Example:
        >>> # plain(rule.when, policy) == "more than “Personal-use limit (grams of drugs)”"
    """
    if expr is None:
        return "always"
    if isinstance(expr, Compare):
        return _compare(expr, policy)
    if isinstance(expr, Not):
        if isinstance(expr.item, Compare):
            return _compare(expr.item, policy, negated=True)
        return f"not ({plain(expr.item, policy)})"
    joiner = " and " if isinstance(expr, AllOf) else " or "
    assert isinstance(expr, AllOf | AnyOf)
    return joiner.join(
        plain(i, policy) if isinstance(i, Compare | Not) else f"({plain(i, policy)})"
        for i in expr.items
    )


def _cites(cites: Sequence[Cite]) -> str:
    items = []
    for c in cites:
        href = safe_url(c.href) if c.href else None
        title = esc(c.title) + (f", {esc(c.section)}" if c.section else "")
        text = f'<a href="{attr(href)}" rel="nofollow noopener">{title}</a>' if href else title
        if c.model_choice:
            text = "Model choice: " + text
        if c.quote:
            text += f" — “{esc(c.quote)}”"
        if c.note:
            text += f' <span class="dk-muted">({esc(c.note)})</span>'
        items.append(f"<li>{text}</li>")
    return '<ul class="dk-cite">' + "".join(items) + "</ul>" if items else ""


def _outcome(rule: Rule) -> tuple[str, Tone]:
    table = _CHARGE_EFFECTS if rule.scope == "charge" else _EFFECTS
    return table[rule.effect]


def _rule_html(rule: Rule, policy: Policy) -> str:
    outcome, _ = _outcome(rule)
    when = plain(rule.when, policy)
    head = "Must be true" if rule.kind == "criterion" else "Applies when"
    parts = [
        f'<h3 id="{attr(rule.id.lower())}">{esc(rule.label)} <code>{esc(rule.id)}</code></h3>',
        f"<p><strong>{head}:</strong> {esc(when)}.</p>",
    ]
    if rule.scope == "charge":
        parts.append('<p class="dk-muted">About the charge: it applies only when a charge is in'
                     " play, and never keeps a person from care.</p>")
    then = f"<p><strong>{'If not' if rule.kind == 'criterion' else 'Then'}:</strong> {esc(outcome)}"
    if rule.first_step:
        then += f"; first step: <strong>{esc(FIRST_STEPS.label(rule.first_step))}</strong>"
    parts.append(then + f' <span class="dk-muted">(reason <code>{esc(rule.reason)}</code>)</span>.</p>')
    if rule.description:
        parts.append(f"<p>{esc(rule.description)}</p>")
    if rule.effective.start or rule.effective.until:
        parts.append(f'<p class="dk-muted">In effect {esc(rule.effective.describe())}.</p>')
    parts.append(_cites(rule.cite))
    return "\n".join(parts)


def _step(rule: Rule, policy: Policy) -> Step:
    """A rule as a positive question; a criterion leaves the column on "no"."""
    outcome, tone = _outcome(rule)
    if rule.first_step:
        outcome = f"{FIRST_STEPS.label(rule.first_step)} first. {outcome}"
    question = rule.label.rstrip("?") + "?"
    leaves_on: Answer = "no" if rule.kind == "criterion" else "yes"
    when = rule.when
    fact = policy.fact(when.subject) if isinstance(when, Compare) else None
    if (isinstance(when, Compare) and when.op == "eq" and when.value is False and fact
            and fact.label):
        # "Not able to consent now?" reads better asked the positive way round.
        question, leaves_on = f"{fact.label}?", "yes" if leaves_on == "no" else "no"
    if rule.scope == "charge":
        question += " (only when a charge is in play)"
    return Step(question, outcome, tone, leaves_on)


def _flow_steps(policy: Policy) -> list[Step]:
    return [_step(r, policy) for r in (*policy.safety, *policy.criteria, *policy.exclusions)]


_FLOW_END = "Eligible: refer now; where a charge is in play, it is deflected"


def _flow(policy: Policy) -> str:
    """The drawing for wide screens and the same steps as a list for phones."""
    steps = _flow_steps(policy)
    svg = flowchart_svg(steps, _FLOW_END, title=f"Decision flowchart of {policy.label}")
    return ('<div class="dk-flow-wide">' + svg + "</div>"
            + flowchart_steps_html(steps, _FLOW_END))


def _params(policy: Policy) -> str:
    out = []
    for p in policy.parameters:
        rows = "".join(
            f"<tr><td>{esc(v.since.isoformat())}</td><td>"
            + (
                "<em>retired</em>"
                if v.value is None
                else esc(_value(v.value) + (f" {p.unit}" if p.unit else ""))
            )
            + "</td></tr>"
            for v in p.values
        )
        out.append(
            f'<h3 id="param-{attr(p.name)}">{esc(p.label)} <code>{esc(p.name)}</code></h3>'
            + (f"<p>{esc(p.description)}</p>" if p.description else "")
            + '<table><thead><tr><th scope="col">From (inclusive)</th><th scope="col">Value</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>" + _cites(p.cite)
        )
    return "\n".join(out)


def render_policy_page(policy: Policy) -> GeneratedFile:
    """The page of one policy."""
    title = policy.label
    out = [front_matter(title), f"<h1>{esc(title)}</h1>", ""]
    body: list[str] = [
        '<div class="dk-policy">',
        *_introduction(policy),
        *_charge(policy),
        '<h2 id="flowchart">The decision at a glance</h2>',
        "<p>Every safety step and exclusion that applies is reported, not only the first. "
        "A fact nobody knows makes the answer “needs information”, never “no”. "
        "The strongest outcome wins: not eligible, then first steps, then declined, then "
        "needs information, then supervisor review.</p>",
        '<div class="dk-flow-wrap">' + _flow(policy) + "</div>",
        '<h2 id="safety">Safety first</h2>',
        *([_rule_html(r, policy) for r in policy.safety] or ["<p>No safety steps.</p>"]),
        '<h2 id="eligible">Who is eligible</h2><p>Every one of these must be true.</p>',
        *([_rule_html(r, policy) for r in policy.criteria] or ["<p>No criteria.</p>"]),
        '<h2 id="exclusions">Exclusions</h2>',
        *([_rule_html(r, policy) for r in policy.exclusions] or ["<p>No exclusions.</p>"]),
        *_pathways(policy),
        *_routes(policy),
        _follow_up(policy),
        '<h2 id="parameters">Parameters and their history</h2>',
        "<p>Each value holds from its date until the next one.</p>",
        _params(policy),
        "</div>",
    ]
    return GeneratedFile(policy_path(policy.id), "\n".join(out + body) + "\n")


def _introduction(policy: Policy) -> list[str]:
    """The banner, the description, when the policy is in effect, and its sources."""
    body = [
        '<p class="dk-banner" role="note">This policy <strong>advises</strong>; it never mandates. '
        "The officer's discretion is final.</p>",
    ]
    if policy.description:
        body.append(f"<p>{esc(policy.description)}</p>")
    body.append(
        f"<p>Policy <code>{esc(policy.id)}</code>, in effect {esc(policy.effective.describe())}; "
        f"program clock {esc(policy.timezone)}.</p>"
    )
    body.append(_cites(policy.cite))
    return body


def _charge(policy: Policy) -> list[str]:
    """The two questions, and when a charge is in play."""
    body = [
        '<h2 id="two-questions">Two questions</h2>',
        "<p>A decision answers two questions: can this person be linked to care now, and, "
        "where an offense could be charged, can the charge be deflected. Rules about the "
        "charge apply only when a charge is in play, so they never keep a person from care.</p>",
    ]
    in_play = policy.charge_in_play
    if isinstance(in_play, AnyOf):  # one line per case reads better than one long sentence
        body.append("<p><strong>A charge is in play when any of these is true:</strong></p><ul>"
                    + "".join(f"<li>{esc(plain(i, policy))}</li>" for i in in_play.items)
                    + "</ul>")
    elif in_play is not None:
        body.append(f"<p><strong>A charge is in play when:</strong> {esc(plain(in_play, policy))}.</p>")
    else:
        body.append("<p>This policy does not say when a charge is in play: every rule is "
                    "about the encounter.</p>")
    return body


def _pathways(policy: Policy) -> list[str]:
    """The pathway rules in order: the first that matches names the pathway."""
    body = [
        '<h2 id="pathways">Pathways</h2><p>The first that matches, in this order, names the pathway.</p><ol>'
    ]
    for pw in policy.pathways:
        cond = "otherwise (default)" if pw.default or pw.when is None else (
            "a charge is in play" if pw.when == policy.charge_in_play else plain(pw.when, policy))
        term = PATHWAYS.term(pw.pathway) if pw.pathway in PATHWAYS else None
        label = term.label if term else pw.pathway
        desc = f" — {term.description}" if term and term.description else ""
        body.append(f"<li><strong>{esc(label)}</strong> when {esc(cond)}{esc(desc)}</li>")
    body.append("</ol>")
    return body


def _routes(policy: Policy) -> list[str]:
    """The referral routes in order."""
    body = ['<h2 id="referral">Referral routes</h2><ol>']
    for r in policy.routes:
        cond = "otherwise (default)" if r.default or r.when is None else plain(r.when, policy)
        needs = ", ".join(NEEDS.label(n) for n in r.need)
        services = ", ".join(SERVICES.label(s) for s in r.services)
        body.append(
            f"<li><strong>{esc(r.label or needs)}</strong> when {esc(cond)}: providers for {esc(needs)}"
            + (f" offering {esc(services)}" if services else "")
            + "</li>"
        )
    body.append("</ol>")
    return body


def _follow_up(policy: Policy) -> str:
    """The follow-up plan in sentences."""
    f = policy.follow_up
    days = ", ".join(str(d) for d in f.checkpoints_days)
    return (
        '<h2 id="follow-up">Follow-up plan</h2><ul>'
        f"<li>Check-ins on days {esc(days)} after the referral, at the same local time.</li>"
        f"<li>Up to {f.attempts} contact attempts per check-in, within {f.attempt_window_hours} hours.</li>"
        f"<li>{f.lost_after_unreached} check-ins in a row without contact close the case as lost to contact.</li>"
        f"<li>Treatment started within {f.initiation_days} days counts as initiation; "
        f"{f.engagement_contacts} or more contacts within {f.engagement_days} days after it as engagement.</li>"
        f"<li>{esc(CONTACT_KINDS.label('re_engagement'))}: {f.re_engagement_hours} hours after a reported return to use "
        "(a return to use never closes a case).</li>"
        f"<li>{esc(CONTACT_KINDS.label('re_contact'))}: {f.re_contact_hours} hours after a missed intake.</li>"
        f"<li>{esc(CONTACT_KINDS.label('outreach'))}: within {f.overdose_outreach_hours} hours.</li></ul>"
    )


def render_policy_pages(
    policies: Sequence[Policy], *, use_directory_urls: bool = True
) -> list[GeneratedFile]:
    """One page per policy and ``policy/index.md`` listing them."""
    files = [render_policy_page(p) for p in policies]
    items = "".join(
        f'<li><a href="{attr(rel_url(policy_path(p.id), INDEX_PATH, use_directory_urls=use_directory_urls))}">'
        f"{esc(p.label)}</a> — in effect {esc(p.effective.describe())}</li>"
        for p in policies
    )
    intro = (
        "<p>Who may be deflected, what rules it out, and what to do first — each policy in plain "
        "language, generated from its YAML file, with every rule's citation.</p>"
    )
    body = f"<ul>{items}</ul>" if items else "<p>No policy files were found in the data folder.</p>"
    files.append(
        GeneratedFile(
            INDEX_PATH, front_matter("Policy") + "<h1>Policy</h1>\n\n" + intro + body + "\n"
        )
    )
    return files
