"""The committed impact sample and the proposed-change example stay what they say they are."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

import deflectkit as dk
from deflectkit.impact_samples import SAMPLE_COUNT, generate_encounters, sample_csv

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "encounters" / "sample.csv"
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"


def test_regenerating_gives_the_same_bytes() -> None:
    """`python -m deflectkit.impact_samples data/policies/model-deflection.yaml …` is the file."""
    facts = [f.name for f in dk.load_policy(MODEL).facts]

    assert SAMPLE.read_bytes() == sample_csv(facts).encode("utf-8")


def test_sample_mix_is_realistic() -> None:
    """Every contact type and many offences appear; some facts are missing; amounts vary."""
    rows = list(generate_encounters(["contact_type", "offenses", "warrant", "consents",
                                     "drug_amount_grams"]))
    kinds = {r["contact_type"] for r in rows}
    offences = {o for r in rows for o in r["offenses"].split("|")}
    amounts = [float(r["drug_amount_grams"]) for r in rows]

    assert SAMPLE_COUNT == len(rows)
    assert {"patrol", "call_for_service", "self_referral", "outreach",
            "overdose_response"} == kinds
    assert {"[]", "drug_possession", "paraphernalia", "trespass", "theft"} <= offences
    assert any(not r["warrant"] for r in rows)
    assert any(not r["consents"] for r in rows)
    assert any(2 < a <= 3 for a in amounts)
    assert any(a > 3 for a in amounts)


def _proposed(model: dict[str, Any]) -> dict[str, Any]:
    """The model policy with the two proposed changes: 3 g, and trespass eligible."""
    out = copy.deepcopy(model)
    out["id"] = "model-deflection-3g"
    out["label"] = "Model pre-arrest deflection policy, proposed: 3 g and trespass"
    params = out["parameters"]
    params["personal_use_grams"]["values"] = dict.fromkeys(
        params["personal_use_grams"]["values"], 3.0)
    for name, spec in params.items():
        for day, value in spec["values"].items():
            if name == "eligible_offenses":
                spec["values"][day] = [*value, "trespass"]
            elif isinstance(value, list) and name.startswith("review"):
                spec["values"][day] = [w for w in value if w != "trespass"]
    return out


def test_variant_is_the_model_with_two_changes() -> None:
    """The example variant differs from the published model policy only as its header says."""
    model = yaml.safe_load(MODEL.read_text(encoding="utf-8"))
    variant = yaml.safe_load(VARIANT.read_text(encoding="utf-8"))

    assert _proposed(model) == variant


def test_variant_is_what_the_tool_writes() -> None:
    """`python tools/impact_variant.py` has been run since the model policy last changed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("impact_variant",
                                                  ROOT / "tools" / "impact_variant.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)

    assert tool.variant_text(MODEL.read_text(encoding="utf-8")) == VARIANT.read_text("utf-8")
