"""The shared shape of a benchmark result, and helpers to measure time and peak memory.

Each ``benchmarks/bench_*.py`` exposes ``run(quick: bool = False) -> list[Result]``.
``python -m benchmarks`` runs them all and writes ``BENCHMARKS.md``.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class Result:
    """One benchmark figure against its baseline.

    ``ratio`` is ours over the baseline for times (lower is better) and states it; ``unit``
    says what the figures are (``s``, ``ms``, ``decisions/s`` …).
    """

    name: str
    figure: float
    baseline: float
    baseline_name: str
    unit: str
    target: str = ""
    peak_mib: float | None = None
    notes: str = ""

    @property
    def ratio(self) -> float:
        """Ours / baseline (for a rate, baseline / ours, so that lower is always better)."""
        if self.unit.endswith("/s"):
            return self.baseline / self.figure if self.figure else float("inf")
        return self.figure / self.baseline if self.baseline else float("inf")


def best_of(fn: Callable[[], T], repeat: int = 5) -> tuple[float, T]:
    """The fastest of ``repeat`` wall-clock timings of ``fn()`` (seconds) and its last result."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    assert result is not None or repeat > 0
    return best, result  # type: ignore[return-value]


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 of a list of timings."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered), p99


def peak_mib(fn: Callable[[], T]) -> tuple[float, T]:
    """Peak Python heap (MiB, tracemalloc) while running ``fn()``, and its result."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20, result
