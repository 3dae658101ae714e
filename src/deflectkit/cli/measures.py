"""``deflectkit measures EVENTS``: program measures from a de-identified log (DESIGN §8).

The text output is a short report a chief can read aloud; ``--format json`` prints the §8
JSON. Counts are not suppressed here (the analyst's own output); the site suppresses
counts under 11.
"""

from __future__ import annotations

import argparse
import sys

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import dumps
from deflectkit.core.measures import (
    DEFAULT_BOOKING_COST,
    DEFAULT_MINUTES_ARREST,
    DEFAULT_MINUTES_DEFLECTION,
    Measures,
    Period,
    measures,
)
from deflectkit.errors import EventLogError
from deflectkit.files.events import read_events
from deflectkit.vocabulary import PATHWAYS

__all__ = ["HELP", "add_arguments", "render_text", "run"]

HELP = "program measures from a de-identified event log (CSV or JSON Lines)"


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"{text!r} is not a whole number of officers (1 or more)"
        raise argparse.ArgumentTypeError(msg)
    return value


def _amount(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        msg = f"{text!r} is not a number 0 or more"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the command's arguments."""
    parser.add_argument("events", metavar="EVENTS", help="the event log (.csv or .jsonl)")
    parser.add_argument("--from", dest="start", type=iso_date, metavar="D", help="first day")
    parser.add_argument("--to", dest="end", type=iso_date, metavar="D", help="last day")
    parser.add_argument("--sworn", type=_count, metavar="N", help="sworn officers")
    parser.add_argument(
        "--minutes-arrest",
        type=_amount,
        default=DEFAULT_MINUTES_ARREST,
        metavar="M",
        help=f"officer minutes per arrest and booking (model default {DEFAULT_MINUTES_ARREST:g})",
    )
    parser.add_argument(
        "--minutes-deflection",
        type=_amount,
        default=DEFAULT_MINUTES_DEFLECTION,
        metavar="M",
        help=f"officer minutes per deflection (model default {DEFAULT_MINUTES_DEFLECTION:g})",
    )
    parser.add_argument(
        "--booking-cost",
        type=_amount,
        default=DEFAULT_BOOKING_COST,
        metavar="USD",
        help=f"cost of one booking (default {DEFAULT_BOOKING_COST:g}, from Tucson FY2019)",
    )


def _pct(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.1%}"


def render_text(m: Measures, source: str = "") -> str:
    """The short report: what the program did, in sentences with their figures."""
    a = m.assumptions
    start = m.period.start.isoformat() if m.period.start else "the start"
    end = m.period.end.isoformat() if m.period.end else "the end"
    lines = [f"Program measures, {start} to {end}" + (f" ({source})" if source else ""), ""]
    lines.append(f"{m.referrals:,} deflections: people referred to treatment instead of arrest.")
    mix = [f"{PATHWAYS.label(p).lower()} {n:,}" for p, n in m.by_pathway.items() if n]
    if mix:
        lines.append("  By pathway: " + ", ".join(mix) + ".")
    lines.append(
        f"Offers made: {m.offers:,}; declined: {m.declined:,}; "
        f"acceptance rate {_pct(m.acceptance_rate)}."
    )
    share = m.handoffs_completed / m.referrals if m.referrals else None
    lines.append(f"Warm hand-offs completed: {m.handoffs_completed:,} ({_pct(share)}).")
    lines.append(
        f"Started treatment within 14 days: {m.initiated_14d:,} ({_pct(m.initiation_rate)})."
    )
    lines.append(
        f"Engaged (2+ treatment contacts within 34 days of intake): {m.engaged_34d:,} "
        f"({_pct(m.engagement_rate)})."
    )
    lines.append(
        f"Still in touch at day 30 / 90 / 180: {m.active_30d:,} / {m.active_90d:,} / "
        f"{m.active_180d:,} (recent referrals have not reached day 180 yet)."
    )
    if a.sworn:
        lines.append(
            f"Officers who referred: {m.officers_referring:,} of {a.sworn:,} sworn "
            f"({_pct(m.officer_participation)})."
        )
    else:
        lines.append(f"Officers who referred: {m.officers_referring:,} (give --sworn for a rate).")
    model = (a.minutes_arrest, a.minutes_deflection) == (
        DEFAULT_MINUTES_ARREST,
        DEFAULT_MINUTES_DEFLECTION,
    )
    lines.append(
        f"Officer time returned to patrol: {m.officer_hours_saved:,.0f} hours "
        f"({a.hours_per_deflection:g} h a deflection: {a.minutes_arrest:g} min for an arrest and "
        f"booking, {a.minutes_deflection:g} min for a deflection"
        + ("; model assumptions, set them from your records" if model else "")
        + ")."
    )
    lines.append(
        f"Booking costs avoided: ${m.booking_costs_avoided:,.0f} "
        f"(${a.booking_cost:,.0f} a booking)."
    )
    if m.milestones:
        lines += ["", "Milestones:"]
        lines += [f"  {x.at.date().isoformat()}  {x.label}" for x in m.milestones]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Read the log, compute the measures, print them; 1 if the log has problems."""
    if args.start and args.end and args.start > args.end:
        print(
            f"deflectkit measures: error: --from {args.start} is after --to {args.end}",
            file=sys.stderr,
        )
        return 2
    try:
        result = measures(
            read_events(args.events),
            period=Period(args.start, args.end),
            sworn=args.sworn,
            minutes_arrest=args.minutes_arrest,
            minutes_deflection=args.minutes_deflection,
            booking_cost=args.booking_cost,
        )
    except EventLogError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    if args.format == "json":
        print(dumps(result))
    else:
        print(render_text(result, args.events))
    return 0
