"""The optional "Impact of a policy change" page, for a council or command staff meeting.

Enabled by the plugin option ``impact: {policy, against, encounters}`` (paths; optional
``policy_as_of`` and ``against_as_of`` dates for one policy at two dates). The page shows
how many decisions would change, the statuses and charges before and after as tables and a
chart, and each change with the rules behind it. Everything published is **small-count
suppressed** as on the measures page (:func:`deflectkit.site.measures_page.suppress`): a
count from 1 to 10 is shown as ``<11`` and drawn as nothing, with complementary
suppression where a column's total is published. No example encounter, line number or
fact of any encounter is published.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from deflectkit.core.impact import CHARGE_IN_PLAY, Impact, impact, rule_label
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError, Problem
from deflectkit.site.markup import front_matter
from deflectkit.site.measures_page import SMALL, shown, suppress
from deflectkit.site.output import GeneratedFile

__all__ = ["OPTION_KEYS", "impact_files", "render_impact_page"]

#: The keys of the plugin option ``impact``: (required, optional).
OPTION_KEYS: Final = (("policy", "against", "encounters"), ("policy_as_of", "against_as_of"))
_BEFORE, _AFTER = "#8a8a8a", "#1b6ca8"
_CHARGES = {"none": "No charge in play", "deflect": "Charge deflected",
            "review": "Charge to supervisor", "proceed": "Charge proceeds",
            "pending": "Charge pending"}


def _hidden_columns(rows: Sequence[Sequence[int]]) -> list[list[bool]]:
    """Suppression for a table whose column totals (all encounters) are published."""
    return suppress(rows, row_totals=False, column_totals=True) if rows else []


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return [*out, *("| " + " | ".join(r) + " |" for r in rows), ""]


def _change(before: int, after: int, hide: bool) -> str:
    return "suppressed" if hide else f"{after - before:+,}"


def _before_after(names: Sequence[str], labels: Mapping[str, str],
                  before: Mapping[str, int], after: Mapping[str, int]) -> tuple[list[str], bytes
                                                                               | None, str]:
    """A before/after table (Markdown lines), its chart and the chart's alt text."""
    keys = [k for k in names if before.get(k) or after.get(k)]
    grid = [[before.get(k, 0), after.get(k, 0)] for k in keys]
    hidden = _hidden_columns(grid)
    body = [
        (html.escape(labels.get(k, k)), shown(a, h[0]), shown(b, h[1]), _change(a, b, any(h)))
        for k, (a, b), h in zip(keys, grid, hidden, strict=True)
    ]
    lines = _table(("", "Before", "After", "Change"), body)
    shown_grid = [[0 if hide else n for n, hide in zip(r, h, strict=True)]
                  for r, h in zip(grid, hidden, strict=True)]
    alt = "Bar chart of encounters before and after: " + "; ".join(
        f"{row[0]} {row[1]} before, {row[2]} after" for row in body
    ) + ". The numbers are in the table."
    chart = _chart([labels.get(k, k) for k in keys], shown_grid, hidden) if keys else None
    return lines, chart, alt


def _chart(names: Sequence[str], grid: Sequence[Sequence[int]],
           hidden: Sequence[Sequence[bool]]) -> bytes:
    """Horizontal bars, before (grey) and after (blue), hidden cells marked ``<11``."""
    import matplotlib as mpl

    mpl.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 0.5 + 0.45 * len(names)), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    rows = range(len(names))[::-1]
    for side, (color, label, offset) in enumerate(
        ((_BEFORE, "Before", 0.2), (_AFTER, "After", -0.2))
    ):
        values = [r[side] for r in grid]
        bars = ax.barh([y + offset for y in rows], values, height=0.38, color=color,
                       label=label)
        ax.bar_label(bars, labels=[f"<{SMALL}" if h[side] else f"{v:,}"
                                   for v, h in zip(values, hidden, strict=True)],
                     padding=3, fontsize=7)
    ax.set_yticks(list(rows))
    ax.set_yticklabels(names)
    ax.set_xlabel("Encounters")
    ax.legend(fontsize=7, frameon=False, ncols=2, loc="lower left", bbox_to_anchor=(0, 1.0))
    buffer = io.BytesIO()
    settings: dict[str, Any] = {"svg.hashsalt": "deflectkit", "svg.fonttype": "path",
                                "font.family": "DejaVu Sans", "font.size": 9}
    with mpl.rc_context(settings):  # type: ignore[arg-type]
        fig.tight_layout()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Title": "Before and after"})
    return buffer.getvalue()


def _label(rule_id: str, policies: Sequence[Policy]) -> str:
    label = rule_label(rule_id, policies)
    return label[:1].upper() + label[1:] if rule_id == CHARGE_IN_PLAY else label


def _side(policy: Policy, day: dt.date | None) -> str:
    when = f"as of {day}" if day else "each encounter on its own date"
    return f"{html.escape(policy.label)} (`{html.escape(policy.id)}`), {when}"


def _changes(result: Impact, policies: Sequence[Policy]) -> list[str]:
    moved = [t for t in result.transitions if t.changed]
    if not moved:
        return ["No decision changes.", ""]
    hidden = _hidden_columns([[t.changed] for t in moved])
    body = [
        (html.escape(f"{t.from_status} ({_CHARGES.get(t.from_charge, t.from_charge).lower()})"),
         html.escape(f"{t.to_status} ({_CHARGES.get(t.to_charge, t.to_charge).lower()})"),
         shown(t.changed, h[0]),
         html.escape("; ".join(_label(r.id, policies) for r in t.rules)) or "")
        for t, h in zip(moved, hidden, strict=True)
    ]
    lines = _table(("Before", "After", "Encounters", "Because of"), body)
    rules = [(r.id, r.count) for r in result.rules]
    lines += ["### Rules behind the changes", "",
              "An encounter may count under several rules.", ""]
    lines += _table(("Rule", "", "Encounters changed"),
                    [(f"`{html.escape(i)}`", html.escape(_label(i, policies)), shown(n))
                     for i, n in rules])
    return lines


def render_impact_page(
    result: Impact, old: Policy, new: Policy, *, sample: bool, source: str = ""
) -> list[GeneratedFile]:
    """Build ``impact/index.md`` and its charts from an impact report, small counts hidden.

    Args:
        result: what :func:`deflectkit.impact` found.
        old: the policy in force (for labels).
        new: the proposed policy.
        sample: True when the encounters are the fictional sample: the page says so.
        source: the encounters' file name, shown under the heading.
    """
    policies = (old, new)
    n = result.encounters
    lines = [front_matter("Impact of a policy change") + "# Impact of a policy change", ""]
    if sample:
        lines += ['!!! warning "Fictional sample data"',
                  "    Every figure on this page comes from **fictional** encounters made by "
                  "`python -m deflectkit.samples.encounters`. They describe no real person.", ""]
    lines += [
        f"- **Before:** {_side(old, result.old.as_of)}",
        f"- **After:** {_side(new, result.new.as_of)}",
        f"- **Encounters:** {shown(n)}" + (f" (`{html.escape(source)}`)" if source else ""),
        "",
        f"**{shown(result.changed)}** decisions would change. Referrals to care gained: "
        f"**{shown(result.gained_referral)}**; lost: **{shown(result.lost_referral)}**.",
        "",
        f"Counts from 1 to 10 are shown as **&lt;{SMALL}** and not drawn; where one hidden "
        "count could be worked out from a total, one more is hidden with it. This compares "
        "the advice of two policies on past encounters, not what officers did; the officer's "
        "discretion is final.",
        "",
        "## Decisions before and after",
        "",
    ]
    from deflectkit.core.policy.decision import CHARGES, STATUSES

    files: list[GeneratedFile] = []
    table, chart, alt = _before_after(STATUSES, {}, result.old.by_status, result.new.by_status)
    if chart is not None:
        files.append(GeneratedFile("impact/status.svg", chart))
        lines += [f"![{html.escape(alt)}](status.svg)", ""]
    lines += table
    if any(k != "none" and v for s in (result.old, result.new) for k, v in s.by_charge.items()):
        table, chart, alt = _before_after(CHARGES, _CHARGES, result.old.by_charge,
                                          result.new.by_charge)
        lines += ["## What happens to the charge", ""]
        if chart is not None:
            files.append(GeneratedFile("impact/charge.svg", chart))
            lines += [f"![{html.escape(alt)}](charge.svg)", ""]
        lines += table
    lines += ["## What changes, and why", "", *_changes(result, policies)]
    return [GeneratedFile("impact/index.md", "\n".join(lines)), *files]


def _date(value: object, key: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise DataError([Problem("mkdocs.yml", None, None, f"impact.{key}",
                                 f"not a date (YYYY-MM-DD): {value!r}")]) from None


def impact_files(option: Mapping[str, Any] | None) -> list[GeneratedFile]:
    """The impact page for the plugin option ``impact`` (paths already resolved), if set.

    Raises:
        DataError: the option has an unknown or missing key, or the encounters have problems.
        PolicyError: a policy is invalid.
    """
    if not option:
        return []
    required, optional = OPTION_KEYS
    wrong = [k for k in option if k not in (*required, *optional)]
    wrong += [f"{k} (missing)" for k in required if not option.get(k)]
    if wrong:
        raise DataError([Problem("mkdocs.yml", None, None, "impact",
                                 f"the impact option takes {', '.join(required)} (and "
                                 f"{', '.join(optional)}); not: {', '.join(wrong)}")])
    from deflectkit.files.encounters import read_encounters
    from deflectkit.files.policy import load_policy

    old = load_policy(option["policy"])
    new = load_policy(option["against"])
    path = str(option["encounters"])
    result = impact(old, new, read_encounters(path, [old, new]), examples=0,
                    old_as_of=_date(option.get("policy_as_of"), "policy_as_of"),
                    new_as_of=_date(option.get("against_as_of"), "against_as_of"), source=path)
    return render_impact_page(result, old, new, sample="sample" in Path(path).name,
                              source=Path(path).name)
