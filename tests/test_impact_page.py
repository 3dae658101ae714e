"""Tests for deflectkit.site.impact_page: the optional impact page, small counts hidden."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import attrs
import pytest

import deflectkit as dk
from deflectkit.core.impact import Impact
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError
from deflectkit.files.encounters import read_encounters
from deflectkit.site.generator import SiteConfig, generate_site
from deflectkit.site.impact_page import impact_files, render_impact_page

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"
SAMPLE = ROOT / "data" / "encounters" / "sample.csv"
OPTION = {"policy": str(MODEL), "against": str(VARIANT), "encounters": str(SAMPLE)}


@pytest.fixture(scope="module", name="sides")
def _sides() -> tuple[Policy, Policy]:
    return dk.load_policy(MODEL), dk.load_policy(VARIANT)


@pytest.fixture(scope="module", name="result")
def _result(sides: tuple[Policy, Policy]) -> Impact:
    return dk.impact(*sides, read_encounters(SAMPLE, sides))


@pytest.fixture(scope="module", name="page")
def _page(result: Impact, sides: tuple[Policy, Policy]) -> dict[str, str | bytes]:
    return {f.path: f.content for f in render_impact_page(result, *sides, sample=True)}


def test_files_and_sample_banner(page: dict[str, str | bytes]) -> None:
    """The page, one chart for statuses and one for charges; the sample is called fictional."""
    text = page["impact/index.md"]

    assert ["impact/index.md", "impact/status.svg", "impact/charge.svg"] == list(page)
    assert isinstance(text, str)
    assert "Fictional sample data" in text
    assert "![Bar chart of encounters before and after: " in text


def test_small_counts_are_suppressed(page: dict[str, str | bytes], result: Impact) -> None:
    """Every published count is 0 or at least 11; the small ones read <11."""
    text = page["impact/index.md"]
    assert isinstance(text, str)
    moved = [t for t in result.transitions if t.changed]
    small = [t for t in moved if 0 < t.changed < 11]
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    counts = [int(c.replace(",", "")) for row in rows for c in re.findall(r"\| ([\d,]+) ", row)]

    assert small  # the sample has changes under 11: they must be hidden
    assert all(n == 0 or n >= 11 for n in counts), counts
    assert text.count("| <11 |") >= len(small)


def test_no_encounter_is_published(page: dict[str, str | bytes]) -> None:
    """No line number or fact value of an encounter appears."""
    text = page["impact/index.md"]
    assert isinstance(text, str)

    assert "line " not in text
    assert "offenses=" not in text
    assert "drug_amount_grams" not in text


def test_same_report_same_bytes(result: Impact, sides: tuple[Policy, Policy],
                                page: dict[str, str | bytes]) -> None:
    """Rendering twice gives the same files, charts included."""
    again = {f.path: f.content for f in render_impact_page(result, *sides, sample=True)}

    assert page == again


def test_the_site_builds_it_only_when_asked() -> None:
    """generate_site adds impact/ only with the option set."""
    base = SiteConfig(providers_dir=None, events_file=None, schemas_dir=None,
                      policies_dir=str(ROOT / "data" / "policies"))
    today = dt.date(2026, 12, 1)
    without = generate_site(base, today=today, providers=[])

    with_page = generate_site(attrs.evolve(base, impact=dict(OPTION)), today=today, providers=[])

    assert not any(f.path.startswith("impact/") for f in without)
    assert {"impact/index.md", "impact/status.svg"} <= {f.path for f in with_page}


def test_bad_option_is_a_clear_error() -> None:
    """A misspelt key names the keys the option takes."""
    with pytest.raises(DataError) as caught:
        impact_files({"policy": str(MODEL), "againts": str(VARIANT), "encounters": str(SAMPLE)})

    assert "the impact option takes policy, against, encounters" in str(caught.value)
    assert "againts" in str(caught.value)
