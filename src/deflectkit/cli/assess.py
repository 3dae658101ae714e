"""``deflectkit assess``: what the policy advises for one encounter, and why."""

from __future__ import annotations

import argparse
import json
import sys

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import to_json
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.decision import Decision
from deflectkit.core.policy.evaluate import DISCRETION, assess
from deflectkit.core.policy.model import Policy
from deflectkit.errors import PolicyError
from deflectkit.files.policy import load_policy
from deflectkit.files.yamlio import read_yaml
from deflectkit.vocabulary import FIRST_STEPS, NEEDS, PATHWAYS

__all__ = ["HELP", "add_arguments", "render_text", "run"]

HELP = "assess one encounter against a policy: status, pathway, first steps and reasons"

_STATUS_TEXT = {
    "eligible": "ELIGIBLE for deflection",
    "review": "SUPERVISOR REVIEW before deflection",
    "needs_info": "NEEDS INFORMATION before deciding",
    "deferred": "DEFERRED: first steps, then assess again",
    "ineligible": "NOT ELIGIBLE for deflection",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--policy FILE FACTS.yaml [--as-of DATE] [--explain]``."""
    parser.add_argument("--policy", required=True, metavar="FILE", help="the policy YAML file")
    parser.add_argument("facts", metavar="FACTS.yaml", help="the encounter's facts (a mapping)")
    parser.add_argument("--as-of", metavar="DATE", type=iso_date,
                        help="apply the policy as of this day (default: the contact date)")
    parser.add_argument("--explain", action="store_true",
                        help="also list the rules that passed")



def _read_facts(path: str, policy: Policy) -> dict[str, object]:
    doc = read_yaml(path)
    if not isinstance(doc.value, dict):
        raise PolicyError([doc.problem((), "facts must be a mapping of fact name to value")])
    _, errors = compiled(policy).check_facts(doc.value)
    if errors:
        raise PolicyError(
            [doc.problem((name,), message, key=True) for name, message in errors],
            f"{path}: {len(errors)} problem(s) in the facts",
        )
    return dict(doc.value)


def run(args: argparse.Namespace) -> int:
    """Load the policy and facts, assess, print."""
    policy = load_policy(args.policy)
    facts = _read_facts(args.facts, policy)
    decision = assess(policy, facts, as_of=args.as_of, explain=args.explain)
    if args.format == "json":
        print(json.dumps(to_json(decision), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render_text(decision, policy))
    return 0


def render_text(decision: Decision, policy: Policy) -> str:
    """The decision as an officer or supervisor reads it."""
    out = [
        f"{_STATUS_TEXT[decision.status]}",
        f"  as of {decision.as_of} under {policy.label} ({policy.id})",
        "",
    ]
    if decision.pathway:
        out.append(f"Pathway: {PATHWAYS.label(decision.pathway)}")
    if decision.first_steps:
        out.append("First steps:")
        for step in decision.first_steps:
            term = FIRST_STEPS.term(step) if step in FIRST_STEPS else None
            text = f"{term.label}: {term.description}" if term else FIRST_STEPS.label(step)
            out.append(f"  - {text}")
    decisive = [r for r in decision.reasons if r.result != "pass"]
    if decisive:
        out.append("Reasons:")
        for r in decisive:
            what = {"hit": "applies", "fail": "not met", "unknown": "cannot tell yet"}[r.result]
            out.append(f"  - {r.label}: {what} [{r.reason}, rule {r.id}]")
            seen = ", ".join(f"{k} = {_show(v)}" for k, v in r.observed.items())
            if seen:
                out.append(f"      observed: {seen}")
            out.extend(f"      source: {c}" for c in r.cite)
    passed = [r for r in decision.reasons if r.result == "pass"]
    if passed:
        out.append("Rules that passed:")
        out.extend(f"  - {r.label} [{r.id}]" for r in passed)
    if decision.missing_facts:
        out.append("Missing facts: " + ", ".join(
            (f.display if (f := policy.fact(n)) else n) + f" ({n})"
            for n in decision.missing_facts
        ))
    if decision.referral:
        needs = ", ".join(NEEDS.label(n) for n in decision.referral.need)
        out.append(f"Referral route: {decision.referral.route} (match providers for: {needs})")
    if decision.parameters:
        out.append("Parameters used: " + "; ".join(
            f"{p.name} = {_show(p.value)} (since {p.since})" for p in decision.parameters
        ))
    out.append("")
    out.append(decision.summary.removesuffix(DISCRETION).strip())
    out.append(DISCRETION)
    return "\n".join(out) + "\n"


def _show(value: object) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
