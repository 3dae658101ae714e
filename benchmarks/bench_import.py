"""Importing SAMHSA's Massachusetts export and exporting HSDS, against bare parsing.

Import. Ours: ``read_samhsa`` + ``check_imported`` on the real FindTreatment.gov export
(662 rows, 332 columns → 466 providers, each checked exactly as ``deflectkit validate``
checks a file). Floor: ``csv.DictReader`` over the same file with nothing else.

Export. Ours: ``export_hsds`` of the 466 imported providers (UUIDv5 ids, schedule rows,
taxonomy attributes) plus ``json.dumps``. Baseline: ``json.dumps(dk.to_json(providers))``,
the plain JSON of the same values.

Target: a state's export imports in well under a few seconds. The data is read from
``../shared/datasets`` (not shipped); without it this benchmark reports nothing.

Run: ``python -m benchmarks.bench_import [--quick]``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._harness import Result, peak_mib
from deflectkit.convert import to_json
from deflectkit.files.provider_writer import write_providers
from deflectkit.files.providers import load_directory
from deflectkit.interop.hsds_export import export_hsds
from deflectkit.interop.records import ImportResult, check_imported
from deflectkit.interop.samhsa import read_samhsa

EXPORT = (
    Path(__file__).resolve().parent.parent.parent
    / "shared" / "datasets" / "samhsa_findtreatment_ma_2025" / "facility-detail.csv"
)
EXPORT_DATE = dt.date(2025, 8, 19)
TODAY = dt.date(2025, 9, 1)


def _least_cpu(jobs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Least CPU seconds of each job, interleaved so machine load hits all alike."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, job in jobs.items():
            gc.collect()
            start = time.process_time()
            job()
            seconds = time.process_time() - start
            best[name] = min(best.get(name, seconds), seconds)
    return best


def _floor() -> int:
    with EXPORT.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _import() -> ImportResult:
    raw = read_samhsa(EXPORT, export_date=EXPORT_DATE, today=TODAY)
    return check_imported(raw, str(EXPORT), today=TODAY)


def run(quick: bool = False) -> list[Result]:
    """Time the SAMHSA import and the HSDS export; nothing without the shared data."""
    if not EXPORT.exists():
        return []
    repeat = 2 if quick else 5
    times = _least_cpu({"floor": _floor, "import": _import}, repeat)
    peak, result = peak_mib(_import)
    with tempfile.TemporaryDirectory(prefix="deflectkit-bench-") as tmp:
        folder = Path(tmp) / "providers"
        write_providers(folder, result.providers)
        providers = list(load_directory(folder, today=TODAY))
    export_times = _least_cpu(
        {
            "plain": lambda: json.dumps(to_json(providers)),
            "hsds": lambda: json.dumps(export_hsds(providers)),
        },
        repeat,
    )
    return [
        Result(
            name=f"SAMHSA import ({result.records} rows → {len(result.providers)} checked)",
            figure=times["import"],
            baseline=times["floor"],
            baseline_name="csv.DictReader only",
            unit="s",
            target="< 2 s",
            peak_mib=peak,
            notes="CPU time; includes the validate checks of every provider",
        ),
        Result(
            name=f"HSDS 3.0 export ({len(providers)} providers)",
            figure=export_times["hsds"],
            baseline=export_times["plain"],
            baseline_name="json.dumps(dk.to_json(providers))",
            unit="s",
            target="< 1 s",
            notes="CPU time; UUIDv5 ids, schedule rows, taxonomy attributes",
        ),
    ]


def main() -> None:
    """Print the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    for r in run(quick=parser.parse_args().quick):
        print(f"{r.name}: {r.figure:.3f} {r.unit} vs {r.baseline:.3f} {r.unit} "
              f"({r.baseline_name}), {r.ratio:.1f}x; peak {r.peak_mib or 0:.1f} MiB")


if __name__ == "__main__":
    main()
