"""Form text to facts: ``dk.parse_facts`` then ``dk.assess``, against hand-written parsing.

Ours: each synthetic encounter rendered as the text a records system stores (numbers as
strings, words joined by ``,``, local times without an offset, ticked boxes as ``on`` and
unticked ones absent), read with ``dk.parse_facts`` (strict text checks, then the policy's
fact checks) and decided with ``dk.assess``. Baseline: the same text converted by a
hand-written function (``int()``, ``float()``, ``split(",")``, ``fromisoformat`` with the
zone attached, ``== "on"`` for the checkboxes), with no checks, then the same ``dk.assess``.
The gap is the cost of strictness and of one extra pass of fact checks (``dk.assess``
checks the facts again: one rule in one place). Target: within 2x (reading a form costs no
more than deciding it).

Run: ``python -m benchmarks.bench_forms [--quick]``.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any
from zoneinfo import ZoneInfo

from benchmarks._harness import Result, best_of
from benchmarks.bench_policy import MODEL, synthetic
from deflectkit.core.policy.evaluate import assess
from deflectkit.core.policy.forms import parse_facts
from deflectkit.core.policy.model import Policy
from deflectkit.files.policy import load_policy

ZONE = "America/Phoenix"


def as_form(facts: dict[str, Any]) -> dict[str, str]:
    """The text a records system holds for these facts (unticked boxes left out)."""
    form: dict[str, str] = {}
    for name, value in facts.items():
        if value is True:
            form[name] = "on"
        elif value is False:
            continue
        elif isinstance(value, dt.datetime):
            form[name] = value.strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, list | tuple):
            form[name] = ",".join(value)
        else:
            form[name] = str(value)
    return form


def hand_parse(policy: Policy, form: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    """What an integration might write by hand: no checks at all."""
    out: dict[str, Any] = {}
    for spec in policy.facts:
        text = form.get(spec.name)
        if spec.type == "bool":
            out[spec.name] = text == "on"
        elif text is None:
            continue
        elif spec.type == "int":
            out[spec.name] = int(text)
        elif spec.type == "float":
            out[spec.name] = float(text)
        elif spec.type == "list":
            out[spec.name] = [w for w in text.split(",") if w]
        elif spec.type == "datetime":
            out[spec.name] = dt.datetime.fromisoformat(text).replace(tzinfo=zone)
        else:
            out[spec.name] = text
    return out


def run(quick: bool = False) -> list[Result]:
    """Forms read and decided per second, ours against the hand-written conversion."""
    policy = load_policy(MODEL)
    forms = [as_form(f) for f in synthetic(1_000 if quick else 5_000)]
    boxes = [f.name for f in policy.facts if f.type == "bool"]
    zone = ZoneInfo(ZONE)

    def ours() -> int:
        for form in forms:
            assess(policy, parse_facts(policy, form, naive_timezone=ZONE, checkboxes=boxes))
        return len(forms)

    def baseline() -> int:
        for form in forms:
            assess(policy, hand_parse(policy, form, zone))
        return len(forms)

    n = len(forms)
    t_ours = t_base = float("inf")
    for _ in range(3 if quick else 7):  # interleaved: a change in load hits both alike
        t_ours = min(t_ours, best_of(ours, 1)[0])
        t_base = min(t_base, best_of(baseline, 1)[0])
    t_parse, _ = best_of(lambda: [parse_facts(policy, f, naive_timezone=ZONE, checkboxes=boxes)
                                  for f in forms], 3)
    return [
        Result("forms: text to decision per second (model policy)", n / t_ours, n / t_base,
               "hand-written conversion, no checks, then assess", "decisions/s",
               target="within 2x",
               notes=f"{n:,} synthetic forms; parse_facts alone {t_parse / n * 1e6:.1f} us"
               " per form"),
    ]


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(f"{result.name}: {result.figure:,.0f} {result.unit} vs {result.baseline:,.0f}"
              f" ({result.baseline_name}) = {result.ratio:.2f}x; {result.notes}")
