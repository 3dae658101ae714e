"""Impact analysis: encounters through two policies, against assessing each one twice.

Ours: reading and type-checking every row, deciding it under the model policy and under
the 3 g / trespass variant (``examples/impact/model-deflection-3g.yaml``), comparing the
two decisions and counting statuses, charges, pathways, referrals, transitions and the
rules behind each change; measured twice: ``dk.impact(model, variant,
read_encounters(csv))`` in this one process, and ``impact_file`` (what ``deflectkit
impact`` runs), which counts parts of the file in one process per core and adds them up.
Baseline: the same rows read by the same reader and each passed to ``dk.assess`` twice in
a plain loop in one process, counting only (old status, new status) pairs. All run one
after the other over the same fictional encounters (``deflectkit.impact_samples``, the
generator of the committed sample); the answers are compared (the (old, new) status counts
must agree, and the two ways of ours must give the same report). Target: 1,000,000
encounters in under 60 s on 2 cores.

Run: ``python -m benchmarks.bench_impact [--quick] [--size N]`` (quick: 50,000 only).
"""

from __future__ import annotations

import csv
import gc
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks._harness import Result
from deflectkit.core.impact import impact
from deflectkit.core.policy.evaluate import assess
from deflectkit.core.policy.model import Policy
from deflectkit.files.encounters import read_encounters
from deflectkit.files.impact_run import impact_file
from deflectkit.files.policy import load_policy
from deflectkit.impact_samples import generate_encounters

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"


def _write(path: Path, policy: Policy, count: int) -> None:
    facts = [f.name for f in policy.facts]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(facts)
        for row in generate_encounters(facts, seed=1, count=count):
            writer.writerow(row.values())


def _hwm_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024


def _baseline(old: Policy, new: Policy, path: Path) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for e in read_encounters(path, [old, new]):
        pairs[assess(old, e.facts).status, assess(new, e.facts).status] += 1
    return pairs


def _timed(fn: object) -> tuple[float, float, object]:
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    return time.perf_counter() - start, time.process_time() - cpu, result


def measure(size: int) -> list[Result]:
    """One size: ours in one process and on every core, and the baseline; answers compared."""
    old, new = load_policy(MODEL), load_policy(VARIANT)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"encounters-{size}.csv"
        _write(path, old, size)
        before = _hwm_mib()
        one_s, one_cpu, result = _timed(
            lambda: impact(old, new, read_encounters(path, [old, new]))
        )
        growth = _hwm_mib() - before
        par_s, _, parallel = _timed(lambda: impact_file(old, new, path))
        base_s, base_cpu, pairs = _timed(lambda: _baseline(old, new, path))
    counts: Counter[tuple[str, str]] = Counter()
    for t in result.transitions:  # type: ignore[attr-defined]
        counts[t.from_status, t.to_status] += t.count
    if counts != pairs:
        raise AssertionError(f"impact and the assess loop disagree: {counts} vs {pairs}")
    if parallel != result:
        raise AssertionError("impact_file and dk.impact disagree")
    changed = result.changed  # type: ignore[attr-defined]
    common = {"baseline": base_s, "unit": "s", "target": "< 60 s at 1M on 2 cores",
                  "baseline_name": "same reader, dk.assess twice a row in a loop, one process"}
    return [
        Result(
            name=f"impact: {size:,} encounters through two policies, one process",
            figure=one_s,
            notes=(
                f"dk.impact over the stream; {changed:,} decisions change; same status pairs "
                f"as the loop; CPU s ours {one_cpu:.1f}, baseline {base_cpu:.1f}; "
                f"{one_s / size * 1e6:.1f} us an encounter; peak RSS grew {growth:.0f} MiB "
                "while comparing (streaming)"
            ),
            **common,  # type: ignore[arg-type]
        ),
        Result(
            name=f"impact: {size:,} encounters through two policies, every core",
            figure=par_s,
            notes="deflectkit impact (impact_file: parts counted in parallel, then added); "
                  "same report as one process",
            **common,  # type: ignore[arg-type]
        ),
    ]


def run(quick: bool = False) -> list[Result]:
    sizes = (50_000,) if quick else (50_000, 1_000_000)
    return [r for size in sizes for r in measure(size)]


if __name__ == "__main__":
    chosen = [int(sys.argv[sys.argv.index("--size") + 1])] if "--size" in sys.argv else None
    results = ([r for s in chosen for r in measure(s)] if chosen
               else run(quick="--quick" in sys.argv))
    for r in results:
        print(f"{r.name}: ours {r.figure:.2f} s, baseline {r.baseline:.2f} s "
              f"({r.baseline_name}), ratio {r.ratio:.2f}x; {r.notes}")
