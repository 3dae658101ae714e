"""Policy pages: every rule with its citation, parameter history, flowchart as inline SVG."""

from __future__ import annotations

import html
from pathlib import Path

from deflectkit.files.policy import load_policy
from deflectkit.site.flowchart import Step, flowchart_svg
from deflectkit.site.policy_page import render_policy_pages

ROOT = Path(__file__).resolve().parent.parent
POLICY = ROOT / "data" / "policies" / "model-deflection.yaml"


def test_policy_page_lists_every_rule_citation_and_parameter_history() -> None:
    """Each safety step, criterion and exclusion appears with its id, reason and citation."""
    policy = load_policy(POLICY)
    files = {f.path: str(f.content) for f in render_policy_pages([policy])}
    page = files[f"policy/{policy.id}.md"]
    for rule in policy.rules:
        assert f"<code>{rule.id}</code>" in page
        assert f"<code>{rule.reason}</code>" in page
        assert html.escape(rule.cite[0].title) in page
    for param in policy.parameters:
        for value in param.values:
            assert value.since.isoformat() in page
    assert page.count("<svg") == 1
    assert "<script" not in page
    assert f'href="{policy.id}/"' in files["policy/index.md"]


def test_flowchart_escapes_labels_and_has_one_box_per_step() -> None:
    """Labels are escaped text inside the SVG; each step draws a question and an outcome box."""
    svg = flowchart_svg([Step("<b>A</b>?", "No & stop"), Step("B?", "Review", "review")], "Yes")
    assert "&lt;b&gt;A&lt;/b&gt;?" in svg
    assert "No &amp; stop" in svg
    assert 5 == svg.count("<rect")
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")


def _model_page() -> str:
    policy = load_policy(POLICY)
    files = {f.path: str(f.content) for f in render_policy_pages([policy])}
    return files[f"policy/{policy.id}.md"]


def test_policy_page_reads_as_plain_english() -> None:
    """No dangling list, no capitalised label mid-sentence, no double negative."""
    page = html.unescape(_model_page())

    assert "includes only  —" not in page
    assert "includes only —" not in page
    assert "not Able" not in page
    assert "when How the contact began" not in page
    assert "when how the contact began is overdose response" in page
    assert "able to understand and consent now: no" in page
    assert "A charge is in play when any of these is true:" in page
    assert "Officer intervention</strong> when a charge is in play" in page


def test_flowchart_asks_positive_questions_and_shows_labels_not_codes() -> None:
    """Requirements leave the column on "no"; outcomes are words; a phone gets a list."""
    import re

    policy = load_policy(POLICY)
    page = _model_page()
    svg = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert svg is not None
    for rule in policy.rules:
        assert rule.reason not in svg.group(0)
    assert "Not met:" not in page
    steps = re.search(r'<ol class="dk-flow-steps">.*?</ol>', page, flags=re.S)
    assert steps is not None
    items = steps.group(0).count("<li")
    assert len(policy.rules) + 1 == items
    assert "<strong>Adult (18 or older)?</strong> If no: Contact a parent or guardian first." \
        in steps.group(0)
    assert "<strong>Able to understand and consent now?</strong> If no: Medical evaluation" \
        in steps.group(0)
    assert "Not able to consent now?" not in steps.group(0)
    assert "(only when a charge is in play)</strong> If yes: The charge proceeds; a voluntary" \
        in steps.group(0)


def test_flowchart_steps_escape_labels() -> None:
    """The list form escapes like the drawing."""
    from deflectkit.site.flowchart import flowchart_steps_html

    out = flowchart_steps_html([Step("<i>x</i>?", "a & b", "review", "no")], "<end>")
    assert "&lt;i&gt;x&lt;/i&gt;?" in out
    assert "If no: a &amp; b" in out
    assert "&lt;end&gt;" in out
