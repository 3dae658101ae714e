"""Run every benchmark and write ``BENCHMARKS.md`` (``make bench``).

Usage: ``python -m benchmarks [--quick] [NAME …]`` where NAME selects ``bench_NAME.py``.
Each figure is printed beside its baseline, measured in the same run on the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import resource
import sys
from pathlib import Path

from benchmarks._harness import Result

HERE = Path(__file__).resolve().parent


def _machine() -> str:
    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.machine()}"
    )


def _table(results: list[Result]) -> str:
    lines = [
        "| benchmark | ours | baseline | ratio (lower is better) | target | peak MiB | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        peak = f"{r.peak_mib:.1f}" if r.peak_mib is not None else ""
        lines.append(
            f"| {r.name} | {r.figure:,.4g} {r.unit} "
            f"| {r.baseline:,.4g} {r.unit} ({r.baseline_name}) | {r.ratio:.2f}x "
            f"| {r.target} | {peak} | {r.notes} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--out", default="BENCHMARKS.md")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.names:
        modules = [m for m in modules if m.removeprefix("bench_") in args.names]
    results: list[Result] = []
    profiles: list[str] = []
    for name in modules:
        print(f"== {name}", file=sys.stderr, flush=True)
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "profile"):  # a path that may miss its target: show where time goes
            profiles.append(
                f"## Profile: {name}\n\n{getattr(module, 'PROFILE_NOTE', '')}\n"
                f"```text\n{module.profile(quick=args.quick).strip()}\n```\n"
            )
        for result in module.run(quick=args.quick):
            print(f"   {result.name}: {result.figure:,.4g} {result.unit} vs "
                  f"{result.baseline:,.4g} ({result.baseline_name}) = {result.ratio:.2f}x",
                  file=sys.stderr, flush=True)
            results.append(result)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = (
        "# Benchmarks\n\n"
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}"
        f"{' (quick sizes)' if args.quick else ''}. Every figure has its baseline measured in the"
        " same run; the ratio is ours over the baseline for times and baseline over ours for"
        " rates, so lower is better either way. Regenerate with `make bench`.\n\n"
        f"{_table(results)}\n\nPeak resident memory of the whole run: {maxrss:,.0f} MiB.\n"
        + "".join(f"\n{p}" for p in profiles)
    )
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
