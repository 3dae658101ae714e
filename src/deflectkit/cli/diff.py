"""``deflectkit diff POLICY --at D1 --at D2``: what changes between two days."""

from __future__ import annotations

import argparse
import json
from typing import Any

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import to_json
from deflectkit.core.policy.diff import CHARGE_IN_PLAY, diff_policy
from deflectkit.files.policy import load_policy

__all__ = ["HELP", "add_arguments", "run"]

HELP = "show which parameters and rules of a policy change between two dates"



def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``POLICY --at D1 --at D2``."""
    parser.add_argument("policy", metavar="POLICY", help="the policy YAML file")
    parser.add_argument("--at", action="append", type=iso_date, required=True, metavar="DATE",
                        help="a day to compare; give exactly two")


def _show(value: Any) -> str:
    if value is None:
        return "(no value)"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def run(args: argparse.Namespace) -> int:
    """Print the differences; exit 0 (a difference is information, not a finding)."""
    if len(args.at) != 2:
        print("deflectkit diff: error: give --at exactly twice", flush=True)
        return 2
    first, second = args.at
    policy = load_policy(args.policy)
    diff = diff_policy(policy, first, second)
    if args.format == "json":
        print(json.dumps(to_json(diff), indent=2, ensure_ascii=False))
        return 0
    print(f"{policy.id}: {first} -> {second}")
    for day, on in zip((first, second), diff.in_effect, strict=True):
        if not on:
            print(f"  the policy is not in effect on {day} ({policy.effective.describe()})")
    for p in diff.parameters:
        print(f"  parameter {p.name}: {_show(p.before)} (since {p.before_since})"
              f" -> {_show(p.after)} (since {p.after_since})")
        if CHARGE_IN_PLAY in p.read_by:
            print("    this changes when a charge is in play, and so which charge rules apply")
        if p.read_by:
            print(f"    read by: {', '.join(p.read_by)}")
    for r in diff.rules:
        print(f"  rule {r.id} ({r.label or 'no label'}): {r.change}")
    if diff.empty:
        print("  no differences")
    return 0
