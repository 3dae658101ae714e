"""Loading and validating a national-scale provider directory, against bare YAML parsing.

Ours: ``load_directory(folder)``: read every file with the safe loader (size, NUL, UTF-8,
alias and duplicate-key checks, line marks for every value), structure it with cattrs
(unknown keys, vocabulary words, hours, phone numbers to E.164, time zones, links, e-mail),
the cross-field and cross-file checks, and build the indexed ``Directory``.
Floor: read the same files and parse each with PyYAML's C loader (``CSafeLoader``) alone,
with no checks and no model: the least any YAML-based loader must spend.

Target: within 1.5x of the floor. Files come from ``benchmarks.synthetic.write_directory``
(deterministic, realistic mix), written once into a temporary folder. Both sides read the
same files from the same (warm) page cache; each side's least CPU time over interleaved runs.

Run: ``python -m benchmarks.bench_directory [--quick]`` (quick: 1,000 files; full: 30,000).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from benchmarks._harness import Result, peak_mib
from benchmarks.synthetic import write_directory
from deflectkit.core.directory import Directory
from deflectkit.files.providers import load_directory
from deflectkit.files.validation import validate

_LOADER: Any = yaml.CSafeLoader
TODAY = dt.date(2026, 11, 27)
T = TypeVar("T")


def _floor(folder: Path) -> int:
    """Parse every file with the C loader and nothing else."""
    count = 0
    for path in sorted(folder.glob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=_LOADER)
        count += 1
    return count


def _interleaved(jobs: dict[str, Callable[[], T]], repeat: int) -> dict[str, tuple[float, T]]:
    """Least CPU time of each job, running them in turn so machine load hits all alike.

    CPU time (user + system, ``time.process_time``) rather than wall time: the benchmark
    machine is shared, and other processes' load would otherwise swamp the comparison.
    """
    best: dict[str, tuple[float, T]] = {}
    for _ in range(repeat):
        for name, job in jobs.items():
            gc.collect()
            start = time.process_time()
            result = job()
            seconds = time.process_time() - start
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, result)
    return best


def run(quick: bool = False) -> list[Result]:
    """Time load_directory and validate against the bare C-loader parse."""
    n = 1_000 if quick else 30_000
    with tempfile.TemporaryDirectory(prefix="deflectkit-bench-") as tmp:
        folder = write_directory(n, Path(tmp) / "providers")
        times = _interleaved(
            {
                "floor": lambda: _floor(folder),
                "load": lambda: load_directory(folder, today=TODAY),
                "validate": lambda: validate([folder], today=TODAY),
            },
            repeat=5 if quick else 3,
        )
        peak = None
        if not quick:  # tracemalloc slows Python down: measured in a separate run
            peak, _ = peak_mib(lambda: load_directory(folder, today=TODAY))
    floor, parsed = times["floor"]
    ours, directory = times["load"]
    checked, problems = times["validate"]
    assert isinstance(directory, Directory)
    assert isinstance(problems, list)
    assert parsed == n == len(directory), (parsed, n, len(directory))
    assert not [p for p in problems if p.is_error], problems[:3]
    per_file = f"{ours / n * 1e3:.3f} ms a file vs {floor / n * 1e3:.3f} ms"
    return [
        Result(
            f"load_directory, {n:,} provider files",
            ours,
            floor,
            "PyYAML CSafeLoader parse only",
            "s",
            target="<= 1.5x",
            peak_mib=peak,
            notes=f"all checks + Directory; {per_file}",
        ),
        Result(
            f"validate, {n:,} provider files",
            checked,
            floor,
            "PyYAML CSafeLoader parse only",
            "s",
            target="<= 1.5x",
            notes="dk.check_files (collects problems, never raises)",
        ),
    ]


def main() -> None:
    """Print the results (``python -m benchmarks.bench_directory [--quick]``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="1,000 files instead of 30,000")
    args = parser.parse_args()
    for result in run(quick=args.quick):
        peak = f", peak {result.peak_mib:.0f} MiB" if result.peak_mib is not None else ""
        print(
            f"{result.name}: {result.figure:.2f} s vs {result.baseline:.2f} s "
            f"({result.baseline_name}) = {result.ratio:.2f}x (target {result.target}){peak}; "
            f"{result.notes}"
        )


if __name__ == "__main__":
    main()
