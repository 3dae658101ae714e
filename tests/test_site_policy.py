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
