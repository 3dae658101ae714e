"""A decision flowchart drawn at build time: no script, no CDN.

The layout is a single column of questions, each with its outcome to the right: the
decision's shape is a sequence (safety, criteria, exclusions, then pathway and referral),
so a column needs no graph layout engine. The same steps are also written as an ordered
list (:func:`flowchart_steps_html`), which the site shows instead of the drawing on a
narrow phone screen, where a 640-pixel drawing would shrink past reading.

Example:
    >>> svg = flowchart_svg([Step("Weapon present?", "Not eligible", "bad")], "Eligible")
    >>> svg.startswith("<svg") and "Weapon present?" in svg
    True
"""

# HTML template lines read better whole than split mid-tag.
# ruff: noqa: E501

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Literal

import attrs

from deflectkit.site.markup import esc

__all__ = ["Step", "flowchart_steps_html", "flowchart_svg"]

_W, _BOX_W, _OUT_W, _LINE, _PAD, _GAP = 640, 330, 250, 16, 8, 26
_COLOURS = {"bad": "#fdecea", "wait": "#fff7e0", "review": "#e8eaf6", "good": "#e6f4ea"}


Tone = Literal["bad", "wait", "review", "good"]
Answer = Literal["yes", "no"]


@attrs.frozen
class Step:
    """One question in the column and the outcome when the answer is ``leaves_on``.

    Attributes:
        question: the rule as a question (``Weapon present?``, ``Adult (18 or older)?``).
        outcome: what happens then (``Not eligible now; no referral``).
        tone: ``bad``, ``wait``, ``review`` or ``good`` (the outcome box's color).
        leaves_on: the answer that leads to the outcome (``no`` for a requirement); the
            other answer goes on down the column.
    """

    question: str
    outcome: str
    tone: Tone = "bad"
    leaves_on: Answer = "yes"


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width) or [""]


def _text(x: float, y: float, lines: Sequence[str], anchor: str = "middle") -> str:
    spans = "".join(
        f'<tspan x="{x:.0f}" dy="{0 if i == 0 else _LINE}">{esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" font-size="13">{spans}</text>'


def flowchart_svg(steps: Sequence[Step], end: str, *, title: str = "Decision flowchart") -> str:
    """The SVG markup (escaped text, fixed width, scales down with CSS)."""
    parts: list[str] = []
    y = 10
    cx = 10 + _BOX_W / 2
    arrow = 'marker-end="url(#dk-arrow)"'
    for step in steps:
        q = _lines(step.question, 42)
        o = _lines(step.outcome, 30)
        h = max(len(q), len(o)) * _LINE + 2 * _PAD
        parts.append(
            f'<rect x="10" y="{y}" width="{_BOX_W}" height="{h}" rx="6" fill="#ffffff" stroke="#3f51b5"/>'
        )
        parts.append(_text(cx, y + (h - len(q) * _LINE) / 2 + 12, q))
        ox = 10 + _BOX_W + 40
        parts.append(
            f'<rect x="{ox}" y="{y}" width="{_OUT_W}" height="{h}" rx="6" '
            f'fill="{_COLOURS.get(step.tone, "#eeeeee")}" stroke="#555"/>'
        )
        parts.append(_text(ox + _OUT_W / 2, y + (h - len(o) * _LINE) / 2 + 12, o))
        parts.append(
            f'<line x1="{10 + _BOX_W}" y1="{y + h / 2}" x2="{ox - 2}" y2="{y + h / 2}" stroke="#333" {arrow}/>'
        )
        parts.append(_text(10 + _BOX_W + 20, y + h / 2 - 4, [step.leaves_on]))
        parts.append(
            f'<line x1="{cx}" y1="{y + h}" x2="{cx}" y2="{y + h + _GAP - 2}" stroke="#333" {arrow}/>'
        )
        goes_on = "no" if step.leaves_on == "yes" else "yes"
        parts.append(_text(cx + 16, y + h + 17, [goes_on], anchor="start"))
        y += h + _GAP
    e = _lines(end, 42)
    h = len(e) * _LINE + 2 * _PAD
    parts.append(
        f'<rect x="10" y="{y}" width="{_BOX_W}" height="{h}" rx="6" fill="{_COLOURS["good"]}" stroke="#0b5d1e"/>'
    )
    parts.append(_text(cx, y + _PAD + 12, e))
    height = y + h + 10
    return (
        f'<svg class="dk-flowchart" role="img" aria-labelledby="dk-flow-title" viewBox="0 0 {_W} {height}" '
        f'width="{_W}" height="{height}" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">'
        f'<title id="dk-flow-title">{esc(title)}</title>'
        '<defs><marker id="dk-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>'
        + "".join(parts)
        + "</svg>"
    )


def flowchart_steps_html(steps: Sequence[Step], end: str) -> str:
    """The same steps as an ordered list: one question a line, its outcome beneath.

    Example:
        >>> flowchart_steps_html([Step("Adult?", "Youth route", "review", "no")], "Refer")
        '<ol class="dk-flow-steps"><li class="dk-step-review"><strong>Adult?</strong> If no: Youth route</li><li class="dk-step-good"><strong>Otherwise:</strong> Refer</li></ol>'
    """
    items = [
        f'<li class="dk-step-{step.tone}"><strong>{esc(step.question)}</strong> '
        f"If {step.leaves_on}: {esc(step.outcome)}</li>"
        for step in steps
    ]
    items.append(f'<li class="dk-step-good"><strong>Otherwise:</strong> {esc(end)}</li>')
    return '<ol class="dk-flow-steps">' + "".join(items) + "</ol>"
