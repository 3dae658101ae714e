"""The "Program measures" page: charts as static SVG, each with alt text and its data table.

:func:`render_measures_page` turns a :class:`~deflectkit.core.measures.Measures` into the
Markdown page ``measures/index.md`` and four SVG charts beside it. Everything published is
**small-count suppressed**: a count from 1 to 10 is shown as ``<11`` and never drawn, and
a second cell of the same row is hidden when one hidden cell could otherwise be recovered
from the row's total (complementary suppression; the page publishes no column totals).
Rates whose numerator or denominator is hidden are hidden too. Zero is shown, as in
CMS's cell-size rule.

Charts are drawn by matplotlib (imported only when a page is built) on the Agg backend,
with its bundled DejaVu Sans turned into paths (no font is fetched or needed to view),
a fixed ``svg.hashsalt`` and no date, so the same measures always give the same bytes.
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from deflectkit.core.measures import ACTIVE_DAYS, Measures, MonthRow
from deflectkit.site.markup import front_matter
from deflectkit.site.output import GeneratedFile
from deflectkit.vocabulary import PATHWAYS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["SMALL", "render_measures_page", "shown", "suppress"]

#: Counts below this are suppressed on anything published (docs/design/formats.md#event-log).
SMALL = 11
_MARK = f"<{SMALL}"
_COLOURS = ("#1b6ca8", "#e07b39", "#3a9e5c", "#c23b52", "#7b5ea7", "#8a6d3b")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _small(n: float) -> bool:
    return 0 < n < SMALL


def suppress(
    table: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = False
) -> list[list[bool]]:
    """Which cells of a table must be hidden before it is published.

    Primary: every count from 1 to 10. Complementary: while a row (or column) whose total
    is published has exactly one hidden cell, also hide its smallest other non-zero cell,
    so that no hidden count can be worked out by subtraction.

    Args:
        table: counts, row by row.
        row_totals: each row's total is published beside it.
        column_totals: each column's total is published too.

    Example:
        >>> suppress([[5, 20, 30], [40, 50, 60]])
        [[True, True, False], [False, False, False]]
    """
    hidden = [[_small(v) for v in row] for row in table]
    rows = len(table)
    cols = len(table[0]) if rows else 0

    def fix(cells: list[tuple[int, int]]) -> bool:
        total = sum(table[r][c] for r, c in cells)
        count = sum(hidden[r][c] for r, c in cells)
        if count != 1 or _small(total):
            return False  # nothing to protect, or the total itself is hidden
        others = [(table[r][c], r, c) for r, c in cells if not hidden[r][c] and table[r][c] > 0]
        if not others:
            return False
        _, r, c = min(others)
        hidden[r][c] = True
        return True

    changed = True
    while changed:
        changed = False
        for r in range(rows if row_totals else 0):
            changed |= fix([(r, c) for c in range(cols)])
        for c in range(cols if column_totals else 0):
            changed |= fix([(r, c) for r in range(rows)])
    return hidden


def shown(n: int, hidden: bool | None = None) -> str:
    """A count as published: ``<11`` when hidden (by default: when from 1 to 10)."""
    if hidden if hidden is not None else _small(n):
        return _MARK
    return f"{n:,}"


def _pct(part: int, whole: int) -> str:
    if whole == 0 or _small(part) or _small(whole):
        return "suppressed" if whole else "n/a"
    return f"{part / whole:.0%}"


def _month_label(month: str) -> str:
    return f"{_MONTHS[int(month[5:]) - 1]} {month[:4]}"


def _figure(height: float = 3.6) -> tuple[Any, Axes]:
    import matplotlib as mpl

    mpl.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, height), dpi=100)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return fig, ax


def _svg(fig: Any, title: str) -> bytes:
    import matplotlib as mpl

    buffer = io.BytesIO()
    settings: dict[str, Any] = {
        "svg.hashsalt": "deflectkit",
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 9,
    }
    with mpl.rc_context(settings):  # type: ignore[arg-type]
        fig.tight_layout()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    return buffer.getvalue()


def _month_ticks(ax: Axes, months: Sequence[str]) -> None:
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels([_month_label(m) for m in months], rotation=45, ha="right")


def _chart_by_pathway(rows: Sequence[MonthRow], hidden: list[list[bool]]) -> bytes:
    fig, ax = _figure()
    months = [r.month for r in rows]
    bottoms = [0] * len(rows)
    for k, (pathway, color) in enumerate(zip(PATHWAYS.words, _COLOURS, strict=True)):
        heights = [0 if hidden[i][k] else r.by_pathway.get(pathway, 0) for i, r in enumerate(rows)]
        ax.bar(
            range(len(rows)), heights, bottom=bottoms, color=color, label=PATHWAYS.label(pathway)
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    # The hidden cells together: the month's published total minus its shown cells, which
    # the table already gives away; a month whose total is itself small is not drawn.
    rest = [
        0 if _small(r.referrals) else r.referrals - b for r, b in zip(rows, bottoms, strict=True)
    ]
    ax.bar(
        range(len(rows)), rest, bottom=bottoms, color="#ffffff", edgecolor="#777777",
        hatch="///", linewidth=0.5, label="Pathways under 11 that month (combined)",
    )  # fmt: skip
    for i, r in enumerate(rows):
        if _small(r.referrals):
            ax.annotate(_MARK, (i, 0), ha="center", va="bottom", fontsize=7, color="#444444")
    _month_ticks(ax, months)
    ax.set_ylabel("Referrals")
    ax.legend(fontsize=7, frameon=False, ncols=4, loc="lower left", bbox_to_anchor=(0, 1.0))
    return _svg(fig, "Referrals by pathway, by month")


def _chart_funnel(stages: Sequence[tuple[str, int]]) -> bytes:
    fig, ax = _figure(2.8)
    names = [name for name, _ in stages][::-1]
    values = [0 if _small(n) else n for _, n in stages][::-1]
    bars = ax.barh(range(len(stages)), values, color="#1b6ca8")
    ax.set_yticks(range(len(stages)))
    ax.set_yticklabels(names)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    labels = [shown(n) for _, n in stages][::-1]
    ax.bar_label(bars, labels=labels, padding=3, fontsize=8)
    ax.set_xlabel("People (each referral once)")
    return _svg(fig, "From offer to engagement")


def _chart_officers(rows: Sequence[MonthRow], sworn: int | None) -> bytes:
    fig, ax = _figure()
    nan = float("nan")  # a hidden month is a gap in the line, not a zero
    values = [nan if _small(r.officers_referring) else r.officers_referring for r in rows]
    ax.plot(range(len(rows)), values, marker="o", color="#3a9e5c")
    for i, r in enumerate(rows):
        if _small(r.officers_referring):
            ax.annotate(_MARK, (i, 0), ha="center", va="bottom", fontsize=7, color="#444444")
    _month_ticks(ax, [r.month for r in rows])
    ax.set_ylabel("Officers who referred")
    ax.set_ylim(bottom=0)
    if sworn:
        ax.set_ylabel(f"Officers who referred (of {sworn:,} sworn)")
    return _svg(fig, "Officers taking part, by month")


def _chart_hours(rows: Sequence[MonthRow], hidden: Sequence[bool]) -> bytes:
    fig, ax = _figure()
    values = [
        float("nan") if h else r.officer_hours_saved_cumulative
        for r, h in zip(rows, hidden, strict=True)
    ]
    ax.fill_between(range(len(rows)), values, color="#e07b39", alpha=0.25)
    ax.plot(range(len(rows)), values, color="#e07b39", marker="o")
    _month_ticks(ax, [r.month for r in rows])
    ax.set_ylabel("Officer hours (cumulative)")
    ax.set_ylim(bottom=0)
    return _svg(fig, "Officer hours returned to patrol")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return [*out, ""]


_CELL = "padding:.5em 1em;border-top:1px solid #0000001f;text-align:right;white-space:nowrap"


def _scroll_table(label: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A table too wide for a phone, in a scrolling region a keyboard can reach.

    The theme wraps Markdown tables in a scrolling box nobody can tab to (axe-core's
    "scrollable-region-focusable", a serious violation); this region is focusable and named.
    """
    esc = html.escape
    head = "".join(
        f'<th scope="col" style="{_CELL}{";text-align:left" if i == 0 else ""}">{esc(h)}</th>'
        for i, h in enumerate(header)
    )
    body = "".join(
        f'<tr><th scope="row" style="{_CELL};text-align:left">{esc(row[0])}</th>'
        + "".join(f'<td style="{_CELL}">{esc(cell)}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return [
        f'<div class="dk-table-scroll" role="region" aria-label="{esc(label)}" tabindex="0" '
        'style="overflow-x:auto;margin:1em 0">'
        f'<table class="dk-measures-table" style="border-collapse:collapse;font-size:.64rem">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>",
        "",
    ]


def render_measures_page(
    measures: Measures, *, title: str = "Program measures", sample: bool, source: str = ""
) -> list[GeneratedFile]:
    """Build ``measures/index.md`` and its SVG charts from measures, suppressing small counts.

    Args:
        measures: what :func:`deflectkit.measures` computed from the configured log.
        title: the page's heading.
        sample: True when the log is the fictional sample: the page says so at the top.
        source: the log's name, shown under the heading.

    Returns:
        The page and four charts (``measures/*.svg``), as :class:`GeneratedFile` values.

    Example:
        >>> from deflectkit.files.events import read_events
        >>> import deflectkit as dk
        >>> files = render_measures_page(dk.measures(read_events("data/events/sample.csv")),
        ...                              sample=True)
        >>> [f.path for f in files][0]
        'measures/index.md'
    """
    m = measures
    rows = list(m.monthly)
    lines = _heading(m, title, sample, source) + _at_a_glance(m)
    files: list[GeneratedFile] = []
    sections = (
        _pathway_section(rows),
        _funnel_section(m),
        _officers_section(rows, m.assumptions.sworn),
        _hours_section(rows, m),
    )
    for section_lines, section_files in sections:
        lines += section_lines
        files += section_files
    lines += _milestones(m) + _how_counted(m)
    return [GeneratedFile("measures/index.md", "\n".join(lines)), *files]


_Section = tuple[list[str], list[GeneratedFile]]


def _heading(m: Measures, title: str, sample: bool, source: str) -> list[str]:
    period = f"{m.period.start} to {m.period.end}" if m.period.start else "no events"
    lines = [front_matter(title) + f"# {html.escape(title)}", ""]
    if sample:
        lines += [
            '!!! warning "Fictional sample data"',
            "    Every figure on this page comes from a **fictional** event log made by "
            "`python -m deflectkit.samples.events` (see `data/events/README.md`). It describes no "
            "real program, person or officer.",
            "",
        ]
    lines += [
        f"Period: **{period}**" + (f" · source: `{html.escape(source)}`" if source else ""),
        "",
        f"Counts from 1 to 10 are shown as **{html.escape(_MARK)}** and are not drawn in the "
        "charts (pathways under 11 in a month are drawn together, hatched); where one hidden "
        "count could be worked out from a month's total, one more count is hidden with it.",
        "",
    ]
    return lines


def _at_a_glance(m: Measures) -> list[str]:
    n = m.referrals
    sworn = m.assumptions.sworn
    accepted = round((m.acceptance_rate or 0) * m.offers)
    summary = [
        ("Referrals to treatment and services (all pathways)", shown(n), ""),
        ("Charges deflected (officer intervention: referred instead of arrested)",
         shown(m.charges_deflected), _pct(m.charges_deflected, n)),
        ("Offers made", shown(m.offers), ""),
        ("Offers declined", shown(m.declined), ""),
        ("Acceptance rate", _pct(accepted, m.offers), "of offers"),
        ("Warm hand-offs completed", shown(m.handoffs_completed), _pct(m.handoffs_completed, n)),
        ("Hand-offs a provider turned away", shown(m.provider_refusals), ""),
        ("Started treatment by day 13", shown(m.initiated_14d), _pct(m.initiated_14d, n)),
        ("Engaged within 34 days of intake", shown(m.engaged_34d), _pct(m.engaged_34d, n)),
    ]  # fmt: skip
    summary += [
        (f"In touch at day {d} or later", shown(v), _pct(v, n))
        for d, v in zip(ACTIVE_DAYS, (m.active_30d, m.active_90d, m.active_180d), strict=True)
    ]
    share = f"{_pct(m.officers_referring, sworn)} of {sworn:,} sworn" if sworn else ""
    small_charges = _small(m.charges_deflected)
    summary += [
        ("Officers who referred", shown(m.officers_referring), share),
        ("Overdoses reversed by responders (naloxone)", shown(m.overdose_reversals), ""),
        ("Officer hours returned to patrol (charges deflected only)",
         _MARK if small_charges else f"{m.officer_hours_saved:,.0f}", ""),
        ("Booking costs avoided (charges deflected only)",
         _MARK if small_charges else f"${m.booking_costs_avoided:,.0f}", ""),
        ("Provider reports left out: no Part 2 consent", shown(m.excluded_without_consent), ""),
    ]  # fmt: skip
    return ["## At a glance", "", *_table(("Measure", "Count", "Share"), summary)]


def _pathway_section(rows: Sequence[MonthRow]) -> _Section:
    if not rows:
        return [], []
    pathways = PATHWAYS.words
    grid = [[r.by_pathway.get(p, 0) for p in pathways] for r in rows]
    hidden = suppress(grid)
    first, last = _month_label(rows[0].month), _month_label(rows[-1].month)
    peak = max(rows, key=lambda r: r.referrals)
    alt = (
        f"Stacked bar chart of referrals each month from {first} to {last}, by pathway. "
        f"The busiest month was {_month_label(peak.month)} with {shown(peak.referrals)} "
        "referrals. The numbers are in the table below the chart."
    )
    chart = GeneratedFile("measures/referrals-by-pathway.svg", _chart_by_pathway(rows, hidden))
    lines = ["## Referrals by pathway, month by month", ""]
    lines += [f"![{alt}](referrals-by-pathway.svg)", ""]
    header = ("Month", *(PATHWAYS.label(p) for p in pathways), "Total")
    body = [
        (
            _month_label(r.month),
            *(shown(grid[i][k], hidden[i][k]) for k in range(len(pathways))),
            shown(r.referrals),
        )
        for i, r in enumerate(rows)
    ]
    label = "Referrals by pathway, month by month (table)"
    return [*lines, *_scroll_table(label, header, body)], [chart]


def _funnel_section(m: Measures) -> _Section:
    n = m.referrals
    stages = [
        ("Offered", m.offers),
        ("Referred", m.referrals),
        ("Hand-off completed", m.handoffs_completed),
        ("Started treatment (by day 13)", m.initiated_14d),
        ("Engaged (34 days)", m.engaged_34d),
    ]
    chart = GeneratedFile("measures/funnel.svg", _chart_funnel(stages))
    alt = (
        "Horizontal bar chart of the funnel: "
        + "; ".join(f"{name} {shown(v)}" for name, v in stages)
        + ". The numbers are in the table below the chart."
    )
    lines = ["## From offer to engagement", "", f"![{alt}](funnel.svg)", ""]
    lines += _table(
        ("Stage", "People", "Share of referrals"),
        [(name, shown(v), _pct(v, n) if name != "Offered" else "") for name, v in stages],
    )
    return lines, [chart]


def _officers_section(rows: Sequence[MonthRow], sworn: int | None) -> _Section:
    if not rows:
        return [], []
    first, last = _month_label(rows[0].month), _month_label(rows[-1].month)
    most = max(rows, key=lambda r: r.officers_referring)
    alt = (
        f"Line chart of how many officers made a referral each month from {first} to {last}; "
        f"the most was {shown(most.officers_referring)} in {_month_label(most.month)}"
        + (f", out of {sworn:,} sworn officers" if sworn else "")
        + ". The numbers are in the table below the chart."
    )
    chart = GeneratedFile("measures/officers.svg", _chart_officers(rows, sworn))
    lines = ["## Officers taking part", "", f"![{alt}](officers.svg)", ""]
    header = ("Month", "Officers who referred") + (("Share of sworn",) if sworn else ())
    body = [
        (_month_label(r.month), shown(r.officers_referring))
        + ((_pct(r.officers_referring, sworn),) if sworn else ())
        for r in rows
    ]
    return [*lines, *_table(header, body)], [chart]


def _hours_section(rows: Sequence[MonthRow], m: Measures) -> _Section:
    if not rows:
        return [], []
    # Cumulative hours come from the charges deflected so far: hide them while that is small.
    running, hidden = 0, []
    for r in rows:
        running += r.charges_deflected
        hidden.append(_small(running))
    first, last = _month_label(rows[0].month), _month_label(rows[-1].month)
    total = "suppressed" if _small(m.charges_deflected) else f"{m.officer_hours_saved:,.0f}"
    alt = (
        f"Area chart of officer hours returned to patrol by deflected charges, added up month "
        f"by month from {first} to {last}, reaching {total} hours. The numbers are in the "
        "table below the chart."
    )
    chart = GeneratedFile("measures/hours-saved.svg", _chart_hours(rows, hidden))
    lines = ["## Officer hours returned to patrol", "", f"![{alt}](hours-saved.svg)", ""]
    body = [
        (
            _month_label(r.month),
            shown(r.charges_deflected),
            _MARK if h else f"{r.officer_hours_saved_cumulative:,.0f}",
        )
        for r, h in zip(rows, hidden, strict=True)
    ]
    header = ("Month", "Charges deflected", "Hours returned to patrol, to date")
    return [*lines, *_table(header, body)], [chart]


def _milestones(m: Measures) -> list[str]:
    lines = ["## Milestones", ""]
    if m.milestones:
        lines += [f"- **{x.at.date().isoformat()}**: {x.label}" for x in m.milestones]
    else:
        lines.append("No milestones yet.")
    return lines


def _how_counted(m: Measures) -> list[str]:
    a = m.assumptions
    return [
        "",
        "## How these are counted",
        "",
        "- A **referral** is one `referred` event, on any of the six pathways. Outcomes follow "
        "the referral's month.",
        "- A **charge deflected** is a referral on the officer-intervention pathway: the officer "
        "could have arrested and referred instead. The other pathways (prevention, "
        "self-referral, naloxone plus, outreach, community response) involve no arrest.",
        "- **Started treatment**: an intake on the day of the referral or in the 13 days after "
        "it (HEDIS IET initiation). **Engaged**: started, then 2 or more treatment contacts in "
        "the 34 days after the intake day (HEDIS IET engagement).",
        "- **Consent**: a treatment provider may tell the program about intake and attendance "
        "only under the person's written consent (42 CFR Part 2). Reports outside a consent "
        "are left out of every figure and counted as *left out*.",
        "- **In touch at day N**: an intake, treatment contact or reached follow-up on or after "
        "day N. Recent referrals have not reached day 180 yet.",
        f"- **Officer hours**: for each charge deflected, {a.minutes_arrest:g} minutes for an "
        "arrest and booking minus the hand-off's recorded minutes (or "
        f"{a.minutes_deflection:g} minutes where none were recorded). **Booking costs**: "
        f"${a.booking_cost:,.0f} for each charge deflected. Referrals on other pathways "
        "replaced no arrest and are not counted; the minutes are model assumptions unless the "
        "program set its own.",
        "",
    ]
