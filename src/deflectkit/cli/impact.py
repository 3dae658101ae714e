"""``deflectkit impact``: what a policy change would have done to past encounters.

``deflectkit impact --policy OLD.yaml [--as-of D] --against NEW.yaml [--as-of D]
ENCOUNTERS [--examples N]``: each ``--as-of`` belongs to the policy option just before it
(one policy at two dates: give the same file twice). The text output is a short report a
chief can read at a meeting; ``--format json`` prints the JSON documented in
``docs/guide/impact.md``. Counts are not suppressed here (the analyst's own output); the
site suppresses counts under 11.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import dumps
from deflectkit.core.impact import CHARGE_IN_PLAY, MAX_EXAMPLES, Impact, Transition
from deflectkit.core.policy.model import Policy
from deflectkit.errors import DataError, PolicyError
from deflectkit.files.impact_run import impact_file
from deflectkit.files.policy import load_policy
from deflectkit.vocabulary import PATHWAYS

__all__ = ["HELP", "add_arguments", "render_text", "run"]

HELP = "what a policy change would have done to past encounters (CSV or JSON Lines)"

_CHARGE_TEXT = {
    "none": "", "deflect": "charge deflected", "review": "charge to review",
    "proceed": "charge proceeds", "pending": "charge pending",
}  # fmt: skip


class _PolicyOption(argparse.Action):
    """``--policy`` / ``--against``: store the file and remember which came last."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.last_side = self.dest


class _AsOf(argparse.Action):
    """``--as-of D``: the day for the policy option given just before it."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        side = getattr(namespace, "last_side", None)
        if side is None:
            parser.error("--as-of belongs to the --policy or --against given just before it")
        dest = "old_as_of" if side == "policy" else "new_as_of"
        if getattr(namespace, dest) is not None:
            parser.error(f"--as-of given twice for --{side}")
        setattr(namespace, dest, values)


def _examples(text: str) -> int:
    if not text.isdigit() or int(text) > MAX_EXAMPLES:
        msg = f"{text!r} is not a number of examples from 0 to {MAX_EXAMPLES}"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--policy OLD [--as-of D] --against NEW [--as-of D] ENCOUNTERS [--examples N]``."""
    parser.add_argument("--policy", required=True, action=_PolicyOption, metavar="OLD.yaml",
                        help="the policy in force")
    parser.add_argument("--against", required=True, action=_PolicyOption, metavar="NEW.yaml",
                        help="the proposed policy (or the same file, with another --as-of)")
    parser.add_argument("--as-of", action=_AsOf, type=iso_date, metavar="D",
                        help="decide the policy named just before on this day "
                             "(default: each encounter's contact date)")
    parser.add_argument("encounters", metavar="ENCOUNTERS",
                        help="de-identified encounters (.csv or .jsonl), one a row")
    parser.add_argument("--examples", type=_examples, default=3, metavar="N",
                        help="example encounters shown per change (default 3)")
    parser.set_defaults(old_as_of=None, new_as_of=None, last_side=None)


def _state(status: str, charge: str, charges: bool) -> str:
    """``review (charge to review)``; the charge only when the report has any."""
    if not charges:
        return status
    return f"{status} ({_CHARGE_TEXT.get(charge, charge) or 'no charge'})"


def _cell(value: object) -> str:
    if value is None:
        return "(missing)"
    return "|".join(map(str, value)) if isinstance(value, tuple) else str(value)


def _label(rule_id: str, policies: Sequence[Policy]) -> str:
    if rule_id == CHARGE_IN_PLAY:
        return "whether a charge is in play"
    for policy in reversed(policies):
        rule = policy.rule(rule_id)
        if rule is not None and rule.label:
            return rule.label
    return rule_id


def _table(name: str, before: dict[str, int], after: dict[str, int]) -> list[str]:
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) or after.get(k)]
    width = max([len(name), *map(len, keys)])
    out = [f"  {name:<{width}}  {'before':>8}  {'after':>8}  {'change':>7}"]
    for k in keys:
        a, b = before.get(k, 0), after.get(k, 0)
        out.append(f"  {k:<{width}}  {a:>8,}  {b:>8,}  {b - a:>+7,}")
    return out


def _side(policy: Policy, day: object) -> str:
    when = f"as of {day}" if day else "each encounter on its own contact date"
    return f"{policy.label} ({policy.id}), {when}"


def _transition(t: Transition, policies: Sequence[Policy], total: int,
                charges: bool) -> list[str]:
    share = f"{t.changed / total:.1%}" if total else "n/a"
    before = _state(t.from_status, t.from_charge, charges)
    out = [f"  {before} -> {_state(t.to_status, t.to_charge, charges)}: {t.changed:,} ({share})"]
    if t.rules:
        why = "; ".join(f"{_label(r.id, policies)} [{r.id}] {r.count:,}" for r in t.rules)
        out.append(f"      because of: {why}")
    for e in t.examples:
        facts = ", ".join(f"{k}={_cell(v)}" for k, v in e.facts.items())
        out.append(f"      e.g. line {e.line}: {facts or '(no fact read by a changed rule)'}")
    return out


def render_text(
    result: Impact, old: Policy, new: Policy, source: str = "", *,
    old_as_of: object = None, new_as_of: object = None,
) -> str:
    """The report for a chief: how many decisions change, how, and which rules cause it."""
    policies = (old, new)
    n = result.encounters
    share = f" ({result.changed / n:.1%})" if n else ""
    lines = [
        f"Impact on {n:,} past encounters" + (f" ({source})" if source else ""),
        f"  before: {_side(old, old_as_of)}",
        f"  after:  {_side(new, new_as_of)}",
        "",
        f"{result.changed:,} decisions change{share}. Referrals to care gained: "
        f"{result.gained_referral:,}; lost: {result.lost_referral:,}.",
        "",
    ]
    old_side, new_side = result.old, result.new
    if old_side.voluntary or new_side.voluntary:
        lines[-2] += (f" Referrals offered as voluntary only (the charge proceeds): "
                      f"{old_side.voluntary:,} before, {new_side.voluntary:,} after.")
    lines += _table("status", dict(old_side.by_status), dict(new_side.by_status))
    charges = any(k != "none" and v for side in (old_side, new_side)
                  for k, v in side.by_charge.items())
    if charges:
        lines += ["", *_table("charge", dict(old_side.by_charge), dict(new_side.by_charge))]
    if result.pathways:
        names = {p: PATHWAYS.label(p) if p in PATHWAYS else p for p in PATHWAYS.words}
        before = {names.get(k or "", "undecided"): v for k, v in result.old.by_pathway.items()}
        after = {names.get(k or "", "undecided"): v for k, v in result.new.by_pathway.items()}
        lines += ["", *_table("pathway", before, after)]
    moved = [t for t in result.transitions if t.changed]
    if moved:
        lines += ["", "What changes, and why:"]
        for t in moved:
            lines += _transition(t, policies, n, charges)
    if result.rules:
        lines += ["", "Rules behind the changes (an encounter may count under several):"]
        lines += [f"  {r.id:<18} {r.count:>6,}  {_label(r.id, policies)}" for r in result.rules]
    lines += ["", "This compares the advice of two policies, not what officers did: the "
                  "officer's discretion is final."]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Load both policies, read the encounters, compare; 1 if the input has problems."""
    old = load_policy(args.policy)
    new = old if args.against == args.policy else load_policy(args.against)
    try:
        # On every core for a large file; the same result as dk.impact over the stream.
        result = impact_file(old, new, args.encounters, old_as_of=args.old_as_of,
                             new_as_of=args.new_as_of, examples=args.examples)
    except (DataError, PolicyError) as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        return 1
    if args.format == "json":
        print(dumps(result))
    else:
        print(render_text(result, old, new, args.encounters,
                          old_as_of=args.old_as_of, new_as_of=args.new_as_of))
    return 0
