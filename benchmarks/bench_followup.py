"""Follow-up cases: applying events one by one (each checked) and writing the calendar.

Ours: 1,000 synthetic cases (DST zone America/Denver) of 20 events each, applied with
``Case.apply`` (which checks every event against the case so far, replaying it), then the
state at a moment. Baseline: the same events attached without checks and replayed once:
the cost of the checks alone. Second: one case's iCalendar file against its JSON.

Run: ``python -m benchmarks.bench_followup [--quick]``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys

import attrs

from benchmarks._harness import Result, best_of, peak_mib
from deflectkit.convert import dumps
from deflectkit.core.followup import Case, CaseEvent, open_case
from deflectkit.core.followup_plan import FollowUpPlan
from deflectkit.core.localtime import zone
from deflectkit.interop.icalendar import case_calendar

DENVER = zone("America/Denver")
TYPES = ("treatment_contact", "followup_attempt", "return_to_use", "handoff_completed")


def synthetic(n_cases: int, n_events: int, seed: int = 5) -> list[tuple[Case, list[CaseEvent]]]:
    """Cases referred through 2025 with events spread over their first 180 days."""
    rng = random.Random(seed)
    out = []
    for i in range(n_cases):
        start = dt.datetime(2025, 1, 1, 9, tzinfo=DENVER)
        start += dt.timedelta(minutes=rng.randrange(525_600))
        case = open_case(None, FollowUpPlan(), referral_at=start, referral_id=f"ref-{i}")
        offsets = sorted(rng.randrange(1, 180 * 24 * 60) for _ in range(n_events))
        events = [CaseEvent(start + dt.timedelta(minutes=5), "intake")]
        for minutes in offsets[1:]:
            kind = rng.choice(TYPES)
            at = start + dt.timedelta(minutes=minutes)
            if kind == "followup_attempt":
                events.append(CaseEvent(at, kind, reached=rng.random() < 0.6))
            else:
                events.append(CaseEvent(at, kind))
        out.append((case, events))
    return out


def run(quick: bool = False) -> list[Result]:
    """The two figures."""
    n_cases = 200 if quick else 1_000
    data = synthetic(n_cases, 20)
    end = dt.datetime(2026, 7, 1, tzinfo=DENVER)

    def checked() -> int:
        total = 0
        for opened, events in data:
            case = opened
            for event in events:
                if case.check(event):
                    break  # an event the case refuses (none here: closed cases keep events)
                case = case.apply(event)
            total += len(case.at(end).contacts)
        return total

    def unchecked() -> int:
        return sum(len(attrs.evolve(c, events=e).at(end).contacts) for c, e in data)

    ours, _ = best_of(checked, repeat=3)
    base, _ = best_of(unchecked, repeat=3)
    mib, _ = peak_mib(checked)
    case, events = data[0]
    case = attrs.evolve(case, events=events[:6])
    cal, _ = best_of(lambda: case_calendar(case, now=events[5].at), repeat=20)
    js, _ = best_of(lambda: dumps(case.at(events[5].at)), repeat=20)
    return [
        Result(
            f"follow-up: {n_cases:,} cases x 20 events, each applied with checks",
            ours,
            base,
            "same events replayed once, unchecked",
            "s",
            target="< 2 s for 1,000 cases",
            peak_mib=mib,
            notes="apply() replays the case to check each event: O(n^2) in events per case",
        ),
        Result(
            "follow-up: one case's iCalendar file",
            cal * 1000,
            js * 1000,
            "JSON of the same state",
            "ms",
            target="< 50 ms",
        ),
    ]


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(f"{result.name}: {result.figure:.4g} {result.unit} vs {result.baseline:.4g} "
              f"({result.baseline_name}); ratio {result.ratio:.2f}x; peak {result.peak_mib}")
