"""Referral matching over a national-scale directory: spatial pre-filter against a linear scan.

Ours: ``search(index, needs, at=…, near=…, limit=10, …)`` with the grid index: widening rings
around the officer, stopping once ten matches are certain (``deflectkit.core.matching``).
Baseline: the same query, same code for constraints and scoring, with ``spatial=False``:
every one of the providers is measured and checked, then sorted. Both run the same queries
in the same process, interleaved, and must return the same providers in the same order.

Queries: officers at random provider locations across the US (so the directory's density is
the real one), at a mix of moments (03:00 on a weekday, weekday afternoons, Saturday night,
in each officer's local zone), needing opioid use, mental health, crisis, any substance use
or housing, a third of them also asking for police drop-off, Medicaid or Spanish.

Target: p50 < 5 ms at 30,000 providers. Run: ``python -m benchmarks.bench_match [--quick]``
(quick: 3,000 providers, 60 queries; full: 30,000 providers, 200 queries).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from typing import Any

from benchmarks._harness import Result, percentiles
from benchmarks.synthetic import synthetic_providers
from deflectkit.api import match
from deflectkit.core.directory import Directory
from deflectkit.core.localtime import zone
from deflectkit.core.matching import MatchIndex, build_index, search
from deflectkit.core.providers import Provider

_NEEDS: tuple[tuple[str, ...], ...] = (
    ("opioids",),
    ("opioids",),
    ("mental_health",),
    ("crisis",),
    ("substance_use",),
    ("housing",),
    ("opioids", "mental_health"),
)
_FILTERS: tuple[dict[str, Any], ...] = (
    {},
    {},
    {},
    {"dropoff": True},
    {"payment": "medicaid"},
    {"language": "es"},
)
# (weekday offset from Monday 2 March 2026, local hour)
_MOMENTS = ((2, 3), (0, 14), (3, 10), (5, 23), (6, 3))


def _queries(providers: list[Provider], count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    located = [p for p in providers if p.location.coordinates is not None]
    queries = []
    for _ in range(count):
        officer = rng.choice(located)
        day, hour = rng.choice(_MOMENTS)
        tz = zone(officer.location.timezone)
        at = dt.datetime(2026, 3, 2 + day, hour, rng.randrange(60), tzinfo=tz)
        queries.append(
            {
                "needs": rng.choice(_NEEDS),
                "at": at,
                "near": officer.location.coordinates,
                **rng.choice(_FILTERS),
            }
        )
    return queries


def _time(
    index: MatchIndex, query: dict[str, Any], *, spatial: bool
) -> tuple[float, float, list[str]]:
    """Wall-clock and CPU seconds of one query, and the slugs it found."""
    fields = {k: v for k, v in query.items() if k != "needs"}
    start, cpu = time.perf_counter(), time.process_time()
    result = search(index, query["needs"], limit=10, spatial=spatial, **fields)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return elapsed, cpu, [m.provider.slug for m in result.matches]


def _directory_calls(providers: list[Provider], query: dict[str, Any]) -> tuple[float, float]:
    """Seconds of the first and of the second ``match(directory, …)`` on a new Directory.

    The first builds the directory's match index and keeps it; the second must reuse it.
    """
    directory = Directory(providers)
    times = []
    for _ in range(2):
        start = time.perf_counter()
        match(directory, limit=10, **query)
        times.append(time.perf_counter() - start)
    return times[0], times[1]


def run(quick: bool = False) -> list[Result]:
    """Time match queries with and without the spatial pre-filter."""
    n, count = (3_000, 60) if quick else (30_000, 200)
    providers = synthetic_providers(n, seed=0)
    start = time.perf_counter()
    index = build_index(providers)
    build_s = time.perf_counter() - start
    queries = _queries(providers, count, seed=1)
    for query in queries[:5]:  # warm caches (zone objects, code paths) on both sides
        _time(index, query, spatial=True)
        _time(index, query, spatial=False)
    ours: list[float] = []
    ours_cpu: list[float] = []
    linear: list[float] = []
    found = 0
    for query in queries:
        t_ours, cpu_ours, slugs_ours = _time(index, query, spatial=True)
        t_linear, _, slugs_linear = _time(index, query, spatial=False)
        assert slugs_ours == slugs_linear, (query, slugs_ours, slugs_linear)
        ours.append(t_ours * 1e3)
        ours_cpu.append(cpu_ours * 1e3)
        linear.append(t_linear * 1e3)
        found += len(slugs_ours)
    first_s, second_s = _directory_calls(providers, queries[0])
    p50, p99 = percentiles(ours)
    b50, b99 = percentiles(linear)
    c50, c99 = percentiles(ours_cpu)
    notes = (
        f"{count} queries, top 10 with filters, distance and open-now; same answers both ways; "
        f"{found / count:.1f} matches a query; CPU time p50 {c50:.2f} ms, p99 {c99:.1f} ms "
        f"(wall time suffers when other work shares the cores); index built once in "
        f"{build_s:.2f} s"
    )
    return [
        Result(
            f"match p50, {n:,} providers",
            p50,
            b50,
            "linear scan of every provider, p50",
            "ms",
            target="p50 < 5 ms",
            notes=notes,
        ),
        Result(
            f"match p99, {n:,} providers",
            p99,
            b99,
            "linear scan of every provider, p99",
            "ms",
            notes="the slowest queries: rare needs at night, where the rings must widen",
        ),
        Result(
            f"match index build, {n:,} providers",
            build_s,
            first_s,
            "first dk.match(Directory): builds and keeps the index",
            "s",
            notes=(
                f"build_index once per directory; the second dk.match on the same Directory "
                f"took {second_s * 1e3:.1f} ms (reuses the kept index; before this, every "
                "call rebuilt it)"
            ),
        ),
    ]


def main() -> None:
    """Print the results (``python -m benchmarks.bench_match [--quick]``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="3,000 providers, 60 queries")
    args = parser.parse_args()
    for result in run(quick=args.quick):
        print(
            f"{result.name}: {result.figure:.2f} ms vs {result.baseline:.2f} ms "
            f"({result.baseline_name}) = {result.ratio:.3f}x "
            f"{'(target ' + result.target + ')' if result.target else ''}; {result.notes}"
        )


if __name__ == "__main__":
    main()
