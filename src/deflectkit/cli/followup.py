r"""``deflectkit followup``: a case's checkpoints, status and next contact.

The events file: docs/design/formats.md#follow-up-events.

::

    deflectkit followup --policy data/policies/model-deflection.yaml \
        --referral-at 2025-03-03T14:30 --events case.yaml --now 2025-03-10T09:00 --ics case.ics

The plan and the program's zone come from the policy (``follow_up``, ``timezone``);
``--timezone`` overrides the zone. ``--referral-at`` and ``--now`` without an offset are read
as wall-clock times in that zone (a time in the spring-forward gap moves forward, a repeated
one is its first occurrence). ``--now`` defaults to the current time: this command is the only
place that reads the clock, so give ``--now`` for a reproducible answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from zoneinfo import ZoneInfo

from deflectkit.cli._arguments import moment_problem
from deflectkit.convert import dumps
from deflectkit.core.case_state import CaseState, Contact
from deflectkit.core.followup import Case, open_case
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import is_aware, localize, utc, zone
from deflectkit.errors import DataError, EventLogError, PolicyError, Problem, cap_per_file
from deflectkit.files.atomic import write_file_atomically
from deflectkit.spelling import counted, hint
from deflectkit.vocabulary import CASE_STATUSES, CONTACT_STATES, PATHWAYS

__all__ = ["HELP", "add_arguments", "render_text", "run"]

HELP = "follow-up checkpoints, status and next contact of a referral; an iCalendar file"

_NAME = "deflectkit followup"


class _UsageError(Exception):
    """A bad argument value: exit 2 with one line."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the options of docs/design/formats.md#follow-up-events."""
    parser.add_argument("--policy", required=True, metavar="FILE", help="the policy YAML file")
    parser.add_argument(
        "--referral-at",
        required=True,
        metavar="ISO",
        help="when the referral (or overdose) happened: 2025-03-03T14:30 (local) or with offset",
    )
    parser.add_argument("--timezone", metavar="ZONE", help="IANA zone; default: the policy's")
    parser.add_argument("--pathway", metavar="P", help="deflection pathway, e.g. naloxone_plus")
    parser.add_argument("--events", metavar="FILE", help="the case's events (YAML or JSON list)")
    parser.add_argument("--now", metavar="ISO", help="the moment to report on; default: now")
    parser.add_argument("--ics", metavar="OUT", help="write the pending contacts as iCalendar")


def run(args: argparse.Namespace) -> int:
    """Run the command; 0 ok, 1 invalid policy or events, 2 bad arguments."""
    try:
        timezone, plan = _load_plan(args.policy)
        timezone = args.timezone or timezone
        try:
            tz = zone(timezone)
        except ValueError as exc:
            raise _UsageError(f"--timezone: {exc}") from None
        referral_at = _moment(args.referral_at, tz, "--referral-at")
        now = (
            _moment(args.now, tz, "--now") if args.now else dt.datetime.now(dt.UTC).astimezone(tz)
        )
        if args.pathway is not None and args.pathway not in PATHWAYS:
            tail = hint(PATHWAYS.suggest(args.pathway),
                        otherwise=f"; one of {', '.join(PATHWAYS.words)}")
            raise _UsageError(f"--pathway: unknown pathway {args.pathway!r}{tail}")
    except _UsageError as exc:
        print(f"{_NAME}: error: {exc}", file=sys.stderr)
        return 2
    except (PolicyError, DataError) as exc:
        return _problems(exc.problems)
    case = open_case(
        None,
        plan,
        referral_at=referral_at,
        timezone=timezone,
        pathway=args.pathway,
        referral_id=_derived_id(referral_at, timezone, args.pathway),
    )
    if args.events:
        from deflectkit.files.case_events import load_case_events

        try:
            loaded = load_case_events(args.events, case=case)
        except EventLogError as exc:
            return _problems(exc.problems)
        for warning in loaded.warnings:  # events after `closed`: said, never a failure
            print(warning.format(), file=sys.stderr)
        case = case.apply_all(loaded.events)
    state = case.at(now)
    if args.format == "json":
        print(dumps(state))
    else:
        print(render_text(case, state))
    if args.ics:
        from deflectkit.interop.icalendar import case_calendar

        try:
            calendar = case_calendar(case, now=now)
            write_file_atomically(args.ics, calendar, parents=False, private=True)
        except OSError as exc:
            print(f"{_NAME}: error: cannot write {args.ics}: {exc.strerror}", file=sys.stderr)
            return 1
        if args.format != "json":
            print(f"wrote {args.ics}")
    return 0


def _derived_id(referral_at: dt.datetime, timezone: str, pathway: str | None) -> str:
    """The same referral id for the same arguments, so a re-run's calendar replaces the last.

    The library gives each new case a random id; this command has no other way to know
    that two runs describe the same referral than the referral's own time, zone and pathway.
    """
    key = f"{referral_at.astimezone(dt.UTC).isoformat()}|{timezone}|{pathway or ''}"
    return "ref-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _load_plan(path: str) -> tuple[str, FollowUpPlan]:
    from deflectkit.files.policy import load_policy

    policy = load_policy(path)
    return policy.timezone, policy.follow_up


def _moment(text: str, tz: ZoneInfo, option: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        msg = f"{option}: {text!r} is not an ISO 8601 date and time, e.g. 2025-03-03T14:30"
        raise _UsageError(msg) from None
    out_of_range = moment_problem(value, option)  # year 1 or 9999 overflow later
    if out_of_range:
        raise _UsageError(out_of_range)
    return value if is_aware(value) else localize(value, tz)


def _problems(problems: tuple[Problem, ...]) -> int:
    for problem in cap_per_file(problems):  # a hostile file can hold 30,000
        print(problem.format(), file=sys.stderr)
    return 1


def _when(moment: dt.datetime) -> str:
    """``Mon 10 Mar 14:30 MST`` (the year only when it differs from the referral's)."""
    return f"{moment:%a} {moment.day} {moment:%b %H:%M %Z}"


def _what(contact: Contact) -> str:
    if contact.kind == "checkpoint":
        return f"{contact.id} call"
    return {
        "re_engagement": "re-engagement contact (return to use)",
        "re_contact": "re-contact (missed intake)",
        "outreach": "post-overdose outreach",
    }.get(contact.kind, contact.kind)


def render_text(case: Case, state: CaseState) -> str:
    """What a peer navigator needs to act: the next contact first, then the schedule."""
    lines = _next_steps(case, state)
    lines += _case_facts(case, state)
    lines.append("")
    lines += _schedule(case, state)
    return "\n".join(lines)


def _next_steps(case: Case, state: CaseState) -> list[str]:
    """The next contact and anything else due now."""
    lines: list[str] = []
    if state.next_due is None:
        lines.append("next: nothing scheduled" + (" (case closed)" if state.closed_at else ""))
    else:
        nxt = state.next_due
        late = " (overdue)" if utc(nxt.due) <= utc(state.as_of) else ""
        lines.append(
            f"next: {_what(nxt)} due {_when(nxt.due)}{late}; "
            f"{counted(case.plan.attempts - nxt.attempts, 'attempt')} left until {_when(nxt.until)}"
        )
    due_now = [
        c for c in state.contacts if c.status == "pending" and utc(c.due) <= utc(state.as_of)
    ]
    if len(due_now) > 1:
        lines.append("due now: " + ", ".join(_what(c) for c in due_now))
    return lines


def _case_facts(case: Case, state: CaseState) -> list[str]:
    """Status, milestones, the referral and what was not counted."""
    from deflectkit.interop.icalendar import case_reference

    yes_no = {True: "yes", False: "no"}
    lines: list[str] = []
    status = CASE_STATUSES.label(state.status)
    lines.append(f"status: {state.status} ({status}) as of {_when(state.as_of)}")
    lines.append(
        f"initiated: {yes_no[state.initiated]}   engaged: {yes_no[state.engaged]}"
        + (f"   intake: {_when(state.intake_at)}" if state.intake_at else "")
    )
    if state.lost_at:
        since = _when(state.lost_at)
        lines.append(f"lost to contact since: {since} (any contact reopens the case)")
    if state.reopened:
        lines.append("reopened: " + ", ".join(_when(t) for t in state.reopened))
    if state.closed_at:
        lines.append(f"closed: {_when(state.closed_at)}")
    if state.uncounted_attempts:
        lines.append(
            f"attempts not counted for a contact: {state.uncounted_attempts} (the contact was "
            "already reached, had used its attempts, or its window had ended)"
        )
    ref = state.referral_at
    lines.append(
        f"referral: {ref:%a} {ref.day} {ref:%b %Y %H:%M %Z} ({state.timezone})"
        f"   pathway: {state.pathway or 'not given'}   case ref: {case_reference(case.referral_id)}"
    )
    if state.linked_to:
        lines.append(f"linked to earlier referrals: {', '.join(state.linked_to)}")
    later = sum(1 for e in case.events if utc(e.at) > utc(state.as_of))
    if later:
        lines.append(f"note: {counted(later, 'event')} after {_when(state.as_of)}"
                         f" {'is' if later == 1 else 'are'} not counted")
    return lines


def _schedule(case: Case, state: CaseState) -> list[str]:
    """Every contact as a table: id, due, status, attempts."""
    rows = [("contact", "due", "status", "attempts")]
    rows += [
        (
            c.id,
            f"{c.due:%a} {c.due.day} {c.due:%b %Y %H:%M %Z}",
            CONTACT_STATES.label(c.status).lower(),
            f"{c.attempts}/{case.plan.attempts}",
        )
        for c in state.contacts
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows
    ]
