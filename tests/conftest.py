"""Shared test configuration: Hypothesis profiles and paths to the repository's data."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
#: Real datasets for import tests; present beside the repository in development and CI.
SHARED = ROOT.parent / "shared"

settings.register_profile("dev", max_examples=60, deadline=None)
# CI explores the same examples on every run (a red build always means a code change, never a
# lucky draw); local runs draw new examples each time and keep finding new cases.
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("fast", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
