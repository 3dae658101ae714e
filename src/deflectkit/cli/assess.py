"""``deflectkit assess``: what the policy advises for one encounter, and why."""

from __future__ import annotations

import argparse
import json
import sys

import attrs

from deflectkit.cli._arguments import iso_date
from deflectkit.convert import to_json
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.decision import Charge, Decision, Status
from deflectkit.core.policy.evaluate import DISCRETION, assess
from deflectkit.core.policy.model import Policy
from deflectkit.errors import PolicyError
from deflectkit.files.policy import load_policy
from deflectkit.files.yamlio import read_yaml
from deflectkit.spelling import counted
from deflectkit.vocabulary import FIRST_STEPS, PATHWAYS

__all__ = ["HELP", "add_arguments", "render_text", "run"]

HELP = "assess one encounter against a policy: status, pathway, first steps and reasons"

_STATUS_TEXT: dict[Status, str] = {
    "eligible": "ELIGIBLE for deflection",
    "review": "SUPERVISOR REVIEW before deflection",
    "needs_info": "NEEDS INFORMATION before deciding",
    "declined": "DECLINED: the person said no",
    "deferred": "DEFERRED: first steps, then assess again",
    "ineligible": "NOT ELIGIBLE for deflection",
}

#: What the officer does about the charge, in plain words.
_CHARGE_TEXT: dict[Charge, str] = {
    "none": "No charge is in play: nothing to file.",
    "deflect": "Do not file the charge: it is deflected.",
    "review": "A supervisor decides whether the charge is deflected.",
    "proceed": "The charge proceeds as usual (cite or arrest under your normal procedure).",
    "pending": "Decide about the charge after the first steps or once the missing facts are"
               " known.",
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
        # No snippet: the line holds the fact's value, which describes a person.
        raise PolicyError(
            [attrs.evolve(doc.problem((name,), message, key=True), snippet=None)
             for name, message in errors],
            f"{path}: {counted(len(errors), 'problem')} in the facts",
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
        age = facts.get("age")
        sys.stdout.write(render_text(decision, policy,
                                     age=age if isinstance(age, int) else None))
    return 0


def render_text(decision: Decision, policy: Policy, *, age: int | None = None) -> str:
    """The decision as an officer or supervisor reads it: first steps, charge, referral.

    ``age``, when known, goes into the suggested ``deflectkit match`` command, so that only
    providers who take the person are listed (a youth route needs youth-serving providers).
    """
    out = [
        f"{_STATUS_TEXT[decision.status]}",
        f"  as of {decision.as_of} under {policy.label} ({policy.id})",
        "",
    ]
    if decision.first_steps:
        out.append("First steps:")
        for step in decision.first_steps:
            term = FIRST_STEPS.term(step) if step in FIRST_STEPS else None
            text = f"{term.label}: {term.description}" if term else FIRST_STEPS.label(step)
            out.append(f"  - {text}")
    out.append(f"Charge: {_CHARGE_TEXT[decision.charge]}")
    out.append(_referral_line(decision, policy, age))
    if decision.pathway:
        out.append(f"Pathway: {PATHWAYS.label(decision.pathway)}")
    out.extend(_reason_lines(decision))
    if decision.missing_facts:
        out.append("Missing facts: " + ", ".join(
            (f.display if (f := policy.fact(n)) else n) + f" ({n})"
            for n in decision.missing_facts
        ))
    if decision.parameters:
        out.append("Parameters used: " + "; ".join(
            f"{p.name} = {_show(p.value)} (since {p.since})" for p in decision.parameters
        ))
    out.append("")
    out.append(decision.summary.removesuffix(DISCRETION).strip())
    out.append(DISCRETION)
    return "\n".join(out) + "\n"


def _referral_line(decision: Decision, policy: Policy, age: int | None) -> str:
    referral = decision.referral
    if referral is None:
        decisive = [r for r in decision.reasons if r.decisive]
        if any(r.effect == "decline" for r in decisive):
            return "Referral: none now; the person declined. Leave information in case they" \
                   " change their mind."
        stops = [r.label for r in decisive if r.effect == "exclude" and r.scope == "encounter"]
        if stops:
            return f"Referral: none now ({'; '.join(stops)}): safety comes first."
        return "Referral: none yet; answer the missing facts first."
    route = policy.rule(referral.route)
    label = route.label if route is not None and route.label else referral.route
    needs = ",".join(referral.need)
    when = "after the first steps, " if decision.status == "deferred" else ""
    voluntary = (" It is voluntary: offer it even though the charge proceeds."
                 if referral.voluntary else "")
    ages = f" --age {age}" if age is not None else ""
    return (f"Referral: {when}refer to {label} ({referral.route}). Find a provider open now:"
            f" deflectkit match --need {needs} --at now{ages}.{voluntary}")


def _reason_lines(decision: Decision) -> list[str]:
    out: list[str] = []
    decisive = [r for r in decision.reasons if r.result not in ("pass", "not_applicable")]
    if decisive:
        out.append("Reasons:")
        for r in decisive:
            what = {"hit": "applies", "fail": "not met", "unknown": "cannot tell yet"}[r.result]
            scope = " (about the charge)" if r.scope == "charge" else ""
            out.append(f"  - {r.label}: {what}{scope} [{r.reason}, rule {r.id}]")
            seen = ", ".join(f"{k} = {_show(v)}" for k, v in r.observed.items())
            if seen:
                out.append(f"      observed: {seen}")
            out.extend(f"      source: {c}" for c in r.cite)
    passed = [r for r in decision.reasons if r.result == "pass"]
    if passed:
        out.append("Rules that passed:")
        out.extend(f"  - {r.label} [{r.id}]" for r in passed)
    skipped = [r for r in decision.reasons if r.result == "not_applicable"]
    if skipped:
        out.append("Not applicable (no charge is in play):")
        out.extend(f"  - {r.label} [{r.id}]" for r in skipped)
    return out


def _show(value: object) -> str:
    if value is None:
        return "(missing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)
