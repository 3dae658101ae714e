"""All program measures over 100,000 and 1,000,000 logged events, against DuckDB.

The SQL below restates every rule independently: initiation on days 0-13, engagement on
days 1-34 after the intake day, provider events counted only inside a consent span (the
latest consent event before them, via an ASOF join), hours and bookings on deflected
charges only.

Ours: ``measures(read_events(csv))``: reading, checking every row (types, times, order,
duplicate ids, referrals) and computing every §8 measure in one pass. Baseline: the same
measures written as ONE SQL query that DuckDB runs over the same CSV (no checks). Both run
in fresh child processes, one after the other, so each reports its own peak resident memory
(``ru_maxrss``) and wall time; ours also reports the Python heap peak (tracemalloc) in a
separate run, since tracing slows Python down. The answers are compared: the benchmark fails
if DuckDB and deflectkit disagree on any figure.

Run: ``python -m benchmarks.bench_measures [--quick]`` (quick: 100,000 events only).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._harness import Result

EVENTS_PER_SCALE = 11_835  # events a year at scale 1 (the committed sample)

SQL = """
WITH e AS (
  SELECT referral_id, type, pathway, officer_hash, detail,
         TRY_CAST(minutes AS DOUBLE) AS minutes,
         CAST("at" AS TIMESTAMPTZ) AS ts, CAST(substr("at", 1, 10) AS DATE) AS day
  FROM read_csv($path, header = true, all_varchar = true)
),
ref AS (
  SELECT referral_id, ts, day, pathway, officer_hash FROM e WHERE type = 'referred'
),
consent AS (  -- each consent event; a recorded one with its last day (NULL: until revoked)
  SELECT referral_id, ts AS cts, type AS ctype,
         CASE WHEN type = 'consent_recorded' AND coalesce(detail, '') <> ''
              THEN CAST(detail AS DATE) END AS until
  FROM e WHERE type IN ('consent_recorded', 'consent_revoked')
),
everything AS (  -- each referral's events after its referral, with days since the referral day
  SELECT r.referral_id, e.type, e.ts, e.day, e.day - r.day AS days, e.minutes
  FROM e JOIN ref r USING (referral_id)
  WHERE e.ts >= r.ts
    AND e.type NOT IN ('referred', 'offered', 'declined', 'encounter_assessed',
                       'overdose_reversal')
),
provider AS (  -- provider events, covered when the latest consent event before is a consent
  SELECT a.*, coalesce(c.ctype = 'consent_recorded' AND (c.until IS NULL OR a.day <= c.until),
                       false) AS covered
  FROM everything a ASOF LEFT JOIN consent c
    ON a.referral_id = c.referral_id AND a.ts >= c.cts
  WHERE a.type IN ('intake', 'intake_missed', 'treatment_contact', 'return_to_use')
),
after AS (
  SELECT referral_id, type, ts, day, days, minutes FROM everything
  WHERE type NOT IN ('intake', 'intake_missed', 'treatment_contact', 'return_to_use')
  UNION ALL
  SELECT referral_id, type, ts, day, days, minutes FROM provider WHERE covered
),
intake AS (
  SELECT referral_id, min(ts) AS its, min(day) AS iday FROM after
  WHERE type = 'intake' AND days BETWEEN 0 AND 13 GROUP BY referral_id
),
contact AS (
  SELECT a.referral_id, a.ts,
         row_number() OVER (PARTITION BY a.referral_id ORDER BY a.ts) AS n
  FROM after a JOIN intake i USING (referral_id)
  WHERE a.type = 'treatment_contact' AND a.day - i.iday BETWEEN 1 AND 34
),
engaged AS (SELECT referral_id, ts AS ets FROM contact WHERE n = 2),
active AS (
  SELECT referral_id, max(days) AS last_days FROM after
  WHERE type IN ('intake', 'treatment_contact', 'followup_reached') GROUP BY referral_id
),
handoff AS (
  SELECT referral_id, sum(minutes) AS minutes FROM after
  WHERE type = 'handoff_completed' GROUP BY referral_id
),
per AS (
  SELECT r.*, i.its IS NOT NULL AS initiated, g.ets, coalesce(a.last_days, -1) AS last_days,
         h.referral_id IS NOT NULL AS handoff, h.minutes AS handoff_minutes,
         EXISTS (SELECT 1 FROM e o WHERE o.referral_id = r.referral_id
                 AND o.type = 'offered') AS offered,
         (SELECT min(f.ts) FROM after f WHERE f.referral_id = r.referral_id
            AND f.type = 'followup_reached') AS reached,
         row_number() OVER (ORDER BY r.ts) AS k
  FROM ref r LEFT JOIN intake i USING (referral_id) LEFT JOIN engaged g USING (referral_id)
             LEFT JOIN active a USING (referral_id) LEFT JOIN handoff h USING (referral_id)
)
SELECT
  (SELECT count(*) FROM per) AS referrals,
  (SELECT map(list(pathway), list(n)) FROM (SELECT pathway, count(*) n FROM per GROUP BY 1))
    AS by_pathway,
  (SELECT map(list(m), list(n)) FROM (SELECT strftime(day, '%Y-%m') m, count(*) n FROM per
    GROUP BY 1)) AS by_month,
  (SELECT count(*) FROM per WHERE pathway = 'officer_intervention') AS charges_deflected,
  (SELECT count(*) FROM e WHERE type = 'offered') AS offers,
  (SELECT count(*) FROM e WHERE type = 'declined') AS declined,
  (SELECT count(*) FILTER (WHERE offered) FROM per) AS accepted,
  (SELECT count(*) FILTER (WHERE handoff) FROM per) AS handoffs_completed,
  (SELECT count(*) FROM everything WHERE type = 'provider_refused') AS provider_refusals,
  (SELECT count(*) FILTER (WHERE initiated) FROM per) AS initiated_14d,
  (SELECT count(*) FILTER (WHERE ets IS NOT NULL) FROM per) AS engaged_34d,
  (SELECT count(*) FILTER (WHERE last_days >= 30) FROM per) AS active_30d,
  (SELECT count(*) FILTER (WHERE last_days >= 90) FROM per) AS active_90d,
  (SELECT count(*) FILTER (WHERE last_days >= 180) FROM per) AS active_180d,
  (SELECT count(DISTINCT officer_hash) FROM per) AS officers_referring,
  (SELECT round(coalesce(sum((180 - coalesce(handoff_minutes, 60)) / 60), 0), 2) FROM per
    WHERE pathway = 'officer_intervention') AS officer_hours_saved,
  (SELECT count(*) FROM provider WHERE NOT covered) AS excluded_without_consent,
  (SELECT min(ts) FROM per) AS first_deflection,
  (SELECT min(ets) FROM per) AS first_person_engaged,
  (SELECT min(reached) FROM per WHERE pathway = 'naloxone_plus') AS first_naloxone_reached,
  (SELECT min(ts) FROM e WHERE type = 'overdose_reversal') AS first_overdose_reversal,
  (SELECT list(ts ORDER BY k) FROM per WHERE k % 100 = 0) AS hundreds
"""

# Peak resident memory of this process since it started (VmHWM; ru_maxrss would include
# the parent's size at fork time).
_HWM = """
def hwm():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
"""

_CHILD_OURS = (
    _HWM
    + """
import json, sys, time, tracemalloc
from deflectkit.core.measures import measures
from deflectkit.files.events import read_events
from deflectkit.convert import to_json
trace = sys.argv[2] == "trace"
base = hwm()
if trace:
    tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
m = measures(read_events(sys.argv[1]))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
heap = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
peak = hwm()
out = to_json(m)
out["accepted"] = round((m.acceptance_rate or 0) * m.offers)
growth = (peak - base) / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mib": peak / 1024,
                  "rss_growth_mib": growth, "heap_mib": heap, "result": out}))
"""
)

_CHILD_DUCK = (
    _HWM
    + """
import json, sys, time
import duckdb
con = duckdb.connect()
con.execute("SET threads = 2")
con.execute("SET enable_progress_bar = false")
base = hwm()
start, cpu = time.perf_counter(), time.process_time()
row = con.execute(sys.argv[2], {"path": sys.argv[1]}).fetchone()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = hwm()
names = [d[0] for d in con.description]
result = dict(zip(names, row))
for k, v in result.items():
    if hasattr(v, "isoformat"):
        result[k] = v.isoformat()
    elif isinstance(v, list):
        result[k] = [x.isoformat() for x in v]
growth = (peak - base) / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mib": peak / 1024,
                  "rss_growth_mib": growth, "result": result}, default=str))
"""
)


def _write_log(path: Path, events: int) -> None:
    from deflectkit.files.events import write_events
    from deflectkit.samples import generate_events

    scale = events / EVENTS_PER_SCALE * 1.05  # a little over; the log is cut at `events`
    write_events(itertools.islice(generate_events(scale=scale), events), path)


def _child(code: str, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _instant(text: str) -> float:
    import datetime as dt

    return dt.datetime.fromisoformat(text).timestamp()


def _compare(ours: dict[str, object], duck: dict[str, object]) -> list[str]:
    """Every figure on which the two disagree (empty when they agree)."""
    diffs = []
    for key in (
        "referrals", "charges_deflected", "offers", "declined", "accepted",
        "handoffs_completed", "provider_refusals", "initiated_14d", "engaged_34d", "active_30d",
        "active_90d", "active_180d", "officers_referring", "excluded_without_consent",
    ):  # fmt: skip
        if ours[key] != duck[key]:
            diffs.append(f"{key}: ours {ours[key]} duckdb {duck[key]}")
    hours = (ours["officer_hours_saved"], round(float(duck["officer_hours_saved"]), 2))  # type: ignore[arg-type]
    if abs(hours[0] - hours[1]) > 0.01:  # type: ignore[operator]
        diffs.append(f"officer_hours_saved: ours {hours[0]} duckdb {hours[1]}")
    by_pathway = {k: v for k, v in ours["by_pathway"].items() if v}  # type: ignore[attr-defined]
    if by_pathway != duck["by_pathway"]:
        diffs.append(f"by_pathway: ours {by_pathway} duckdb {duck['by_pathway']}")
    if ours["by_month"] != duck["by_month"]:
        diffs.append("by_month differs")
    milestones = {m["name"]: _instant(m["at"]) for m in ours["milestones"]}  # type: ignore[attr-defined]
    pairs = {
        "first_deflection": "first_deflection",
        "first_person_engaged": "first_person_engaged",
        "first_naloxone_plus_followup_reached": "first_naloxone_reached",
        "first_overdose_reversal": "first_overdose_reversal",
    }
    for ours_name, duck_name in pairs.items():
        theirs = duck[duck_name]
        theirs_at = _instant(theirs) if isinstance(theirs, str) else None
        if milestones.get(ours_name) != theirs_at:
            diffs.append(f"{ours_name}: ours {milestones.get(ours_name)} duckdb {theirs}")
    hundreds = [_instant(t) for t in duck["hundreds"]]  # type: ignore[attr-defined]
    ours_hundreds = [v for k, v in sorted(milestones.items(), key=lambda kv: kv[1])
                     if k.startswith("deflections_")]  # fmt: skip
    if hundreds != ours_hundreds:
        diffs.append("each-100 milestones differ")
    return diffs


def run(quick: bool = False) -> list[Result]:
    sizes = (100_000,) if quick else (100_000, 1_000_000)
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"events-{size}.csv"
            _write_log(path, size)
            ours = _child(_CHILD_OURS, str(path), "time")
            heap = _child(_CHILD_OURS, str(path), "trace")
            duck = _child(_CHILD_DUCK, str(path), SQL)
            diffs = _compare(ours["result"], duck["result"])  # type: ignore[arg-type]
            if diffs:
                raise AssertionError("deflectkit and DuckDB disagree: " + "; ".join(diffs))
            referrals = ours["result"]["referrals"]  # type: ignore[index]
            results.append(
                Result(
                    name=f"all measures, {size:,} events (read + check + measure)",
                    figure=float(ours["seconds"]),  # type: ignore[arg-type]
                    baseline=float(duck["seconds"]),  # type: ignore[arg-type]
                    baseline_name="DuckDB, one SQL query, 2 threads, no checks",
                    unit="s",
                    target="< 10 s at 1M events",
                    peak_mib=float(heap["heap_mib"]),  # type: ignore[arg-type]
                    notes=(
                        f"{referrals:,} referrals; same answers; CPU s ours {ours['cpu']:.2f}, "
                        f"DuckDB {duck['cpu']:.2f}; peak RSS ours "
                        f"{ours['rss_mib']:.0f} MiB (+{ours['rss_growth_mib']:.0f} while "
                        f"measuring), DuckDB {duck['rss_mib']:.0f} MiB "
                        f"(+{duck['rss_growth_mib']:.0f}); peak MiB column = Python heap"
                    ),
                )
            )
    return results


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(
            f"{result.name}: ours {result.figure:.2f} s, {result.baseline_name} "
            f"{result.baseline:.2f} s, ratio {result.ratio:.1f}x, heap peak "
            f"{result.peak_mib:.1f} MiB; {result.notes}"
        )
