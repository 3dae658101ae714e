"""``deflectkit measures EVENTS``: program measures from a de-identified log.

The text output is a short report a chief or a budget officer can read aloud; ``--format
json`` prints the published JSON keys. Counts are not suppressed here (the analyst's own
output); the site suppresses counts under 11. Provider events left out for want of a Part 2
consent are counted on stderr in one warning with their first lines; with ``--format json``
each is its own warning (file, line, referral id; never its detail).
"""

from __future__ import annotations

import argparse
import sys
from typing import Final

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import dumps
from deflectkit.core.localtime import zone
from deflectkit.core.measures import (
    DEFAULT_BOOKING_COST,
    DEFAULT_MINUTES_ARREST,
    DEFAULT_MINUTES_DEFLECTION,
    Measures,
    Period,
    measures,
)
from deflectkit.errors import EventLogError, Problem
from deflectkit.files.events import read_events
from deflectkit.vocabulary import PATHWAYS

__all__ = ["HELP", "add_arguments", "exclusion_summary", "exclusion_warnings", "render_text", "run"]

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


def _zone(text: str) -> str:
    try:
        zone(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


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
        "--timezone",
        type=_zone,
        metavar="ZONE",
        help="IANA zone whose calendar days count (default: each referral's own UTC offset)",
    )
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


def _funnel(m: Measures) -> list[str]:
    share = m.handoffs_completed / m.referrals if m.referrals else None
    return [
        f"Offers made: {m.offers:,}; declined: {m.declined:,}; "
        f"acceptance rate {_pct(m.acceptance_rate)}.",
        f"Warm hand-offs completed: {m.handoffs_completed:,} ({_pct(share)}); "
        f"hand-offs a provider turned away: {m.provider_refusals:,}.",
        f"Started treatment on the day of referral or the 13 days after: {m.initiated_14d:,} "
        f"({_pct(m.initiation_rate)}).",
        f"Engaged (2+ treatment contacts in the 34 days after intake): {m.engaged_34d:,} "
        f"({_pct(m.engagement_rate)}).",
        f"Still in touch at day 30 / 90 / 180: {m.active_30d:,} / {m.active_90d:,} / "
        f"{m.active_180d:,} (recent referrals have not reached day 180 yet).",
    ]


def _consent_line(m: Measures) -> list[str]:
    if not m.excluded_without_consent:
        return []
    return [
        f"Provider reports left out (no Part 2 consent covered them): "
        f"{m.excluded_without_consent:,}; see the warnings."
    ]


def _savings(m: Measures) -> list[str]:
    a = m.assumptions
    model = (a.minutes_arrest, a.minutes_deflection) == (
        DEFAULT_MINUTES_ARREST,
        DEFAULT_MINUTES_DEFLECTION,
    )
    return [
        f"Officer time returned to patrol: {m.officer_hours_saved:,.0f} hours, on the "
        f"{m.charges_deflected:,} charges deflected only ({a.minutes_arrest:g} min for an "
        f"arrest and booking, minus each hand-off's recorded minutes, or {a.minutes_deflection:g} "
        "min where none were recorded"
        + ("; model assumptions, set them from your records" if model else "")
        + ").",
        f"Booking costs avoided: ${m.booking_costs_avoided:,.0f} "
        f"({m.charges_deflected:,} charges deflected x ${a.booking_cost:,.0f} a booking). "
        "Referrals on the other pathways replaced no arrest and save no booking.",
    ]


def render_text(m: Measures, source: str = "") -> str:
    """The short report: what the program did, in sentences with their figures."""
    a = m.assumptions
    start = m.period.start.isoformat() if m.period.start else "the start"
    end = m.period.end.isoformat() if m.period.end else "the end"
    lines = [f"Program measures, {start} to {end}" + (f" ({source})" if source else ""), ""]
    lines.append(f"{m.referrals:,} referrals to treatment and services (deflections).")
    mix = [f"{PATHWAYS.label(p).lower()} {n:,}" for p, n in m.by_pathway.items() if n]
    if mix:
        lines.append("  By pathway: " + ", ".join(mix) + ".")
    lines.append(
        f"{m.charges_deflected:,} charges deflected: officer-intervention referrals, the only "
        "ones made instead of an arrest."
    )
    lines += _funnel(m)
    lines += _consent_line(m)
    if a.sworn:
        lines.append(
            f"Officers who referred: {m.officers_referring:,} of {a.sworn:,} sworn "
            f"({_pct(m.officer_participation)})."
        )
    else:
        lines.append(f"Officers who referred: {m.officers_referring:,} (give --sworn for a rate).")
    lines += _savings(m)
    if m.overdose_reversals:
        lines.append(f"Overdoses reversed by responders with naloxone: {m.overdose_reversals:,}.")
    if m.milestones:
        lines += ["", "Milestones:"]
        lines += [f"  {x.at.date().isoformat()}  {x.label}" for x in m.milestones]
    return "\n".join(lines)


#: Lines named in the one-line summary of many exclusions (``--format json`` lists each).
_SUMMARY_LINES: Final = 5


def exclusion_warnings(m: Measures, source: str) -> list[Problem]:
    """One warning per provider event left out for want of consent (no detail text)."""
    found = [
        Problem(
            source,
            x.line,
            None,
            "",
            f"referral {x.referral_id!r}: this {x.type} event is outside any Part 2 consent "
            "span of the referral; left out of every measure",
            "warning",
        )
        for x in m.exclusions
    ]
    more = m.excluded_without_consent - len(m.exclusions)
    if more > 0:
        found.append(
            Problem(source, None, None, "", f"... and {more:,} more such events", "warning")
        )
    return found


def exclusion_summary(m: Measures, source: str) -> list[Problem]:
    """The exclusions as one warning with the count and the first lines (none when none).

    A log where consent is rarely recorded left out hundreds of events, one line each, before
    the measures; one line with the count says the same and the measures stay on screen.
    """
    count = m.excluded_without_consent
    if count <= 1:
        return exclusion_warnings(m, source)
    lines = sorted(x.line for x in m.exclusions if x.line is not None)
    shown = ", ".join(map(str, lines[:_SUMMARY_LINES])) + (
        ", …" if count > _SUMMARY_LINES else "")
    where = f" (lines {shown})" if lines else ""
    return [Problem(
        source, None, None, "",
        f"{count:,} provider events outside any Part 2 consent span were left out of every"
        f" measure{where}; --format json lists each",
        "warning",
    )]


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
            timezone=args.timezone,
        )
    except EventLogError as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    # Text for a person: one line per kind; JSON for a program: every event on its own line.
    warn = exclusion_warnings if args.format == "json" else exclusion_summary
    for warning in warn(result, args.events):
        print(warning.format(), file=sys.stderr)
    if args.format == "json":
        print(dumps(result))
    else:
        print(render_text(result, args.events))
    return 0
