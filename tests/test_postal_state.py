"""A ZIP code from another state, or a state code USPS does not have, is a warning."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from deflectkit.files.providers import check_provider_document
from deflectkit.files.yamlio import parse_yaml
from deflectkit.files.zip_prefix_states import ZIP_PREFIX_STATES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "providers" / "example-ajo-community-health.yaml"
sys.path.insert(0, str(ROOT / "tools"))
import zip_prefix_states as tool  # noqa: E402


def _warnings(state: str, postal_code: str) -> list[str]:
    text = EXAMPLE.read_text("utf-8").replace("state: AZ", f"state: {state}").replace(
        'postal_code: "85321"', f'postal_code: "{postal_code}"')
    doc = parse_yaml(text, "p.yaml")
    provider, problems = check_provider_document(doc, today=dt.date(2026, 6, 1), slug="p")
    assert provider is not None  # warnings only: the provider still loads
    return [p.format() for p in problems if not p.is_error]


def test_the_table_is_what_the_script_derives() -> None:
    """The committed table equals the one the tool derives from the zipcodes data."""
    assert tool.derive() == dict(ZIP_PREFIX_STATES)
    assert tool.render(tool.derive()) == tool.TABLE.read_text("utf-8")


def test_a_zip_code_of_another_state_names_the_state_it_belongs_to() -> None:
    line = next(n for n, row in enumerate(EXAMPLE.read_text("utf-8").splitlines(), 1)
                if "postal_code" in row)
    assert [f"p.yaml:{line}:18: warning: location.address.postal_code: ZIP code '02139' is in"
            " MA, not AZ: check the ZIP code and the state"] == _warnings("AZ", "02139")


def test_a_state_code_that_does_not_exist() -> None:
    (warning,) = _warnings("ZZ", "85321")
    assert "location.address.state: 'ZZ' is not a USPS state code" in warning


@pytest.mark.parametrize(
    ("state", "postal_code"),
    [("AZ", "85321"), ("AZ", "85321-1234"), ("NY", "06390"), ("CT", "06390"), ("AE", "09012"),
     ("GU", "96910"), ("AZ", "00000")],  # a prefix that crosses a line; an unlisted prefix
)
def test_a_right_pair_is_quiet(state: str, postal_code: str) -> None:
    assert [] == _warnings(state, postal_code)
