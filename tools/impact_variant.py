"""Write the impact tutorial's proposed policy from the model policy.

``python tools/impact_variant.py`` rewrites ``examples/impact/model-deflection-3g.yaml``:
the bundled model policy with two proposed changes (a 3 g personal-use limit; trespass
moved from the review offences to the eligible offences). Run it when the model policy
changes; ``tests/test_impact_sample.py`` fails until the two files agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
VARIANT = ROOT / "examples" / "impact" / "model-deflection-3g.yaml"

HEADER = """\
# yaml-language-server: $schema=../../schemas/policy.schema.json
#
# A PROPOSED CHANGE to the model policy, for the impact analysis tutorial
# (docs/guide/impact.md); it is an example, not a published policy. It is
# data/policies/model-deflection.yaml with two differences, written by
# tools/impact_variant.py (a test keeps the two files in step):
#   1. the personal-use limit is 3 g instead of 2 g;
#   2. trespass moves from the review offences to the eligible offences.
# Try: deflectkit impact --policy data/policies/model-deflection.yaml \\
#        --against examples/impact/model-deflection-3g.yaml data/encounters/sample.csv
"""

#: (text in the model policy, its replacement): each must occur exactly once.
CHANGES = (
    ("id: model-deflection\nlabel: Model pre-arrest deflection policy\n",
     'id: model-deflection-3g\nlabel: "Model pre-arrest deflection policy, proposed: 3 g and '
     'trespass"\n'),
    ("    values: {2024-01-01: 2.0}\n", "    values: {2024-01-01: 3.0}  # proposed (was 2.0)\n"),
    ("      2024-01-01: [drug_possession, paraphernalia, civil_infraction]\n",
     "      2024-01-01: [drug_possession, paraphernalia, civil_infraction, trespass]"
     "  # proposed\n"),
    ("      2024-01-01: [trespass, public_intoxication, disorderly_conduct]\n",
     "      2024-01-01: [public_intoxication, disorderly_conduct]  # proposed (trespass moved)\n"),
)


def variant_text(model: str) -> str:
    """The variant's text from the model policy's text."""
    body = model[model.index("schema: deflectkit/policy@1"):]
    for old, new in CHANGES:
        if body.count(old) != 1:
            msg = f"the model policy no longer has exactly one {old.strip()!r}; update CHANGES"
            raise SystemExit(msg)
        body = body.replace(old, new)
    return HEADER + body


def main() -> int:
    """Write the variant beside the tutorial."""
    VARIANT.write_text(variant_text(MODEL.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {VARIANT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
