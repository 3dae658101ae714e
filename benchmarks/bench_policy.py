"""Policy decisions: the compiled model policy against a hand-written Python function.

Ours: ``dk.assess`` on the bundled model policy, v2 (facts type-checked, the day's plan from the
per-policy cache, each rule one compiled closure, a frozen ``Decision`` with reasons,
parameters and a summary). Baseline: ``hand_written`` below, which implements the same
rules directly in Python (whether a charge is in play, charge-scoped rules, the dated Good
Samaritan list) with the same three-valued treatment of missing facts and returns the same
essentials (status, charge, reason codes, first steps, pathway, route, missing facts) as a
plain dict, with no type checks and no explanation objects. A second baseline,
``packaged``, decides with the same hand-written code and builds the same frozen
``Decision`` as the engine, so the gap it shows is the engine's own cost (fact checks and
closures) without the cost of the output. All run over the same 5,000 synthetic
encounters in the same process, interleaved. Target: within 3x.

Run: ``python -m benchmarks.bench_policy [--quick]``.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from benchmarks._harness import Result, best_of
from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.evaluate import assess
from deflectkit.files.policy import load_policy

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "data" / "policies" / "model-deflection.yaml"
PHOENIX = ZoneInfo("America/Phoenix")

CONTACT_TYPES = ("patrol", "call_for_service", "self_referral", "outreach", "overdose_response")
RESPONDERS = ("police",) * 5 + ("fire_ems", "co_responder", "civilian_team")
OFFENSES = ("drug_possession", "paraphernalia", "drug_sales", "theft", "trespass",
            "civil_infraction", "public_intoxication")
NEEDS = ("opioids", "stimulants", "alcohol", "mental_health", "housing")


def synthetic(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Encounters from 2025 to 2029 (across the Good Samaritan lapse), about one fact in
    fifty left out."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        at = dt.datetime(2025, 1, 1, tzinfo=PHOENIX) + dt.timedelta(
            minutes=rng.randrange(5 * 525_600)
        )
        facts: dict[str, Any] = {
            "contact_at": at,
            "contact_type": rng.choice(CONTACT_TYPES),
            "responder": rng.choice(RESPONDERS),
            "age": rng.randrange(14, 70),
            "offenses": rng.sample(OFFENSES, rng.choice((0, 1, 1, 1, 2))),
            "drug_amount_grams": round(rng.uniform(0, 3), 1),
            "sales_indicators": rng.random() < 0.05,
            "warrant": rng.choice(("none",) * 12 + ("violent", "domestic_violence", "other")),
            "supervision": rng.choice(("none",) * 8 + ("nonviolent", "violent")),
            "weapon_present": rng.random() < 0.05,
            "violence": rng.random() < 0.05,
            "identified_victim": rng.random() < 0.03,
            "medical_emergency": rng.random() < 0.05,
            "danger_to_self": rng.random() < 0.02,
            "danger_to_others": rng.random() < 0.02,
            "capable_of_consent": rng.random() < 0.97,
            "consents": rng.random() < 0.85,
            "needs": rng.sample(NEEDS, rng.choice((0, 1, 1, 2))),
            "prior_deflections": rng.randrange(0, 4),
        }
        if rng.random() < 0.2:
            facts["days_since_violent_arrest"] = rng.randrange(0, 2000)
        for key in list(facts):
            if key != "contact_at" and rng.random() < 0.02:
                del facts[key]
        out.append(facts)
    return out


def _eq(v: Any, want: Any) -> bool | None:
    return None if v is None else v == want


def _or(*xs: bool | None) -> bool | None:
    return True if True in xs else (None if None in xs else False)


def _and(*xs: bool | None) -> bool | None:
    return False if False in xs else (None if None in xs else True)


def _not(x: bool | None) -> bool | None:
    return None if x is None else not x


def _subset(offenses: Any, allowed: frozenset[str]) -> bool | None:
    return None if offenses is None else allowed.issuperset(offenses)


_AMNESTY = frozenset({"drug_possession", "paraphernalia"})
_ELIGIBLE = frozenset({"drug_possession", "paraphernalia", "civil_infraction"})
_REVIEW = frozenset({"trespass", "public_intoxication", "disorderly_conduct"})
_LAPSE = dt.date(2028, 7, 1)  # A.R.S. 13-3423's repeal date
_CHARGE: dict[str, str] = {"eligible": "deflect", "review": "review", "ineligible": "proceed",
                           "declined": "proceed", "needs_info": "pending",
                           "deferred": "pending"}


def _in_play(g: Any, day: dt.date) -> bool | None:
    """A charge is in play: an offence no amnesty covers (three-valued)."""
    kind, offenses = g("contact_type"), g("offenses")
    good_samaritan = _AMNESTY if day < _LAPSE else frozenset()
    return _or(
        _and(_eq(kind, "overdose_response"), _not(_subset(offenses, good_samaritan))),
        _and(_eq(kind, "self_referral"), _not(_subset(offenses, _AMNESTY))),
        _and(None if kind is None else kind not in ("overdose_response", "self_referral"),
             _not(_subset(offenses, frozenset()))),
    )


def _pathway(g: Any, in_play: bool | None, missing: set[str]) -> str | None:
    kind = g("contact_type")
    if kind is None:
        missing.add("contact_type")
        return None
    by_kind = {"overdose_response": "naloxone_plus", "self_referral": "self_referral",
               "outreach": "active_outreach"}
    if kind in by_kind:
        return by_kind[kind]
    responder = g("responder")
    if responder is None:
        missing.add("responder")
        return None
    if responder in ("civilian_team", "co_responder"):
        return "community_response"
    if in_play is None:
        missing.add("offenses")
        return None
    return "officer_intervention" if in_play else "officer_prevention"


def _route(g: Any, missing: set[str]) -> str | None:
    needs, age = g("needs"), g("age")
    young = None if age is None else age < 18

    def has(*words: str) -> bool | None:
        return None if needs is None else any(w in needs for w in words)

    routes = (
        ("R-CRISIS", _or(_eq(g("danger_to_self"), True), has("mental_health")),
         ("danger_to_self", "needs")),
        ("R-YOUTH-OUD", _and(young, has("opioids")), ("age", "needs")),
        ("R-YOUTH-SUD", _and(young, has("stimulants", "alcohol")), ("age", "needs")),
        ("R-YOUTH", young, ("age",)),
        ("R-OUD", has("opioids"), ("needs",)),
        ("R-SUD", has("stimulants", "alcohol"), ("needs",)),
        ("R-HOUSING", has("housing"), ("needs",)),
    )
    for route, result, reads in routes:
        if result is None:
            missing.update(n for n in reads if g(n) is None)
            return None
        if result:
            return route
    return "R-ASSESS"


def hand_written(f: dict[str, Any]) -> dict[str, Any]:
    """The model policy v2 (linkage and charge), written by hand with three-valued logic."""
    g = f.get
    day = f["contact_at"].astimezone(PHOENIX).date()
    reasons: list[str] = []
    steps: list[str] = []
    missing: set[str] = set()
    hits: set[str] = set()
    in_play = _in_play(g, day)
    unknown = in_play is None
    if unknown:
        missing.update(n for n in ("contact_type", "offenses") if g(n) is None)

    def check(result: bool | None, code: str, reads: tuple[str, ...], step: str | None,
              effect: str, *, charge: bool = False) -> None:
        nonlocal unknown
        if charge and in_play is not True:
            unknown = unknown or in_play is None
            return
        if result is None:
            unknown = True
            missing.update(n for n in reads if g(n) is None)
        elif result:
            reasons.append(code)
            if step and step not in steps:
                steps.append(step)
            hits.add("exclude_charge" if charge and effect == "exclude" else effect)

    offenses, age, warrant = g("offenses"), g("age"), g("warrant")
    grams, days = g("drug_amount_grams"), g("days_since_violent_arrest")
    check(_eq(g("medical_emergency"), True), "MEDICAL_EMERGENCY", ("medical_emergency",),
          "call_ems", "defer")
    check(_eq(g("danger_to_self"), True), "DANGER_TO_SELF", ("danger_to_self",),
          "crisis_response", "defer")
    check(_eq(g("danger_to_others"), True), "DANGER_TO_OTHERS", ("danger_to_others",),
          "safety_response", "exclude")
    check(_eq(g("capable_of_consent"), False), "INCAPABLE_OF_CONSENT",
          ("capable_of_consent",), "medical_evaluation", "defer")
    check(None if age is None else age < 18, "JUVENILE", ("age",), "contact_guardian",
          "review")
    check(_not(_subset(offenses, _ELIGIBLE | _REVIEW)), "OTHER_CRIMINAL_CHARGE",
          ("offenses",), None, "exclude", charge=True)
    check(_eq(g("consents"), False), "DECLINED", ("consents",), "leave_information",
          "decline")
    check(None if offenses is None else not _REVIEW.isdisjoint(offenses),
          "OFFENCE_NEEDS_REVIEW", ("offenses",), "supervisor_review", "review", charge=True)
    check(None if grams is None else grams > 2.0, "AMOUNT_OVER_THRESHOLD",
          ("drug_amount_grams",), None, "exclude", charge=True)
    check(_or(_eq(g("sales_indicators"), True),
              None if offenses is None else "drug_sales" in offenses),
          "SALES_INDICATORS", ("sales_indicators", "offenses"), None, "exclude", charge=True)
    check(_eq(g("supervision"), "violent"), "VIOLENT_SUPERVISION", ("supervision",), None,
          "exclude", charge=True)
    check(days is not None and days < 365, "RECENT_VIOLENT_ARREST", (), None, "exclude",
          charge=True)
    check(_or(_eq(g("violence"), True), _eq(g("identified_victim"), True)),
          "VIOLENCE_OR_VICTIM", ("violence", "identified_victim"), None, "exclude",
          charge=True)
    check(None if warrant is None else warrant in ("violent", "domestic_violence"),
          "VIOLENT_OR_DV_WARRANT", ("warrant",), "serve_warrant", "exclude")
    check(_eq(warrant, "other"), "WARRANT_SUPERVISOR_REVIEW", ("warrant",),
          "supervisor_review", "review")
    check(_eq(g("weapon_present"), True), "WEAPON", ("weapon_present",), "safety_response",
          "exclude")

    before = len(missing)
    pathway = _pathway(g, in_play, missing)
    unknown = unknown or pathway is None
    route = None
    if not hits & {"exclude", "decline"}:
        route = _route(g, missing)
        unknown = unknown or route is None
    unknown = unknown or len(missing) > before
    status = ("ineligible" if hits & {"exclude", "exclude_charge"} else "deferred"
              if "defer" in hits else "declined" if "decline" in hits else "needs_info"
              if unknown else "review" if "review" in hits else "eligible")
    charge = "none" if in_play is False else "pending" if in_play is None else _CHARGE[status]
    return {"status": status, "charge": charge, "as_of": day, "reasons": reasons,
            "first_steps": steps, "pathway": pathway, "route": route,
            "voluntary": charge == "proceed" and route is not None,
            "missing_facts": sorted(missing)}


def packaged(policy: Any) -> Any:
    """``hand_written`` plus the same output as ``assess``: a frozen ``Decision`` with reasons
    (label, observed facts, citations), parameters and a summary. The rules are still
    decided by hand; only the packaging is shared, so this measures the engine's own cost.
    """
    from deflectkit.core.policy.decision import (
        Decision,
        ParameterUsed,
        PolicyRef,
        Reason,
        ReferralRoute,
        jsonable,
    )

    by_code = {r.reason: r for r in policy.rules}
    reads = {r.reason: r.when for r in policy.rules}
    from deflectkit.core.policy.expressions import expr_facts

    facts_of = {code: expr_facts(w) for code, w in reads.items()}
    cites = {code: tuple(c.text() for c in r.cite) for code, r in by_code.items()}
    ref = PolicyRef(policy.id, policy.effective.start, policy.digest)
    params = tuple(ParameterUsed(p.name, jsonable(p.values[0].value), p.values[0].since)
                   for p in policy.parameters)
    needs = {r.id: r.need for r in policy.routes}
    kinds: dict[str, Literal["fail", "hit"]] = {
        r.reason: ("fail" if r.kind == "criterion" else "hit") for r in policy.rules
    }

    def decide(f: dict[str, Any]) -> Any:
        out = hand_written(f)
        reasons = tuple(
            Reason(by_code[c].id, c, by_code[c].label, by_code[c].effect, kinds[c],
                   {n: jsonable(f.get(n)) for n in facts_of[c]}, cites[c], by_code[c].scope)
            for c in out["reasons"]
        )
        route = out["route"]
        return Decision(
            out["status"], out["as_of"], out["pathway"], ref, tuple(out["first_steps"]),
            reasons, params, tuple(out["missing_facts"]),
            ReferralRoute(route, needs[route], out["voluntary"]) if route else None,
            f"{out['status']}: {', '.join(out['reasons'])}. This is advice: the officer's"
            " discretion is final.",
            out["charge"],
        )

    return decide


def run(quick: bool = False) -> list[Result]:
    """Decisions per second, engine against the hand-written function."""
    policy = load_policy(MODEL)
    encounters = synthetic(1_000 if quick else 5_000)
    # Both must agree before their speed is compared.
    for facts in encounters:
        ours = assess(policy, facts)
        theirs = hand_written(facts)
        assert (ours.status, ours.charge, list(ours.reason_codes), ours.pathway,
                ours.missing_facts, list(ours.first_steps)) == (
            theirs["status"], theirs["charge"], theirs["reasons"], theirs["pathway"],
            tuple(theirs["missing_facts"]), theirs["first_steps"],
        ), facts
        assert (ours.referral.route if ours.referral else None) == theirs["route"], facts
        assert (ours.referral.voluntary if ours.referral else False) == theirs["voluntary"]

    def engine() -> int:
        for facts in encounters:
            assess(policy, facts)
        return len(encounters)

    def baseline() -> int:
        for facts in encounters:
            hand_written(facts)
        return len(encounters)

    same_output = packaged(policy)

    def baseline_same_output() -> int:
        for facts in encounters:
            same_output(facts)
        return len(encounters)

    # Interleave the three so that a change in machine load hits all of them alike; keep
    # each one's best round.
    n = len(encounters)
    t_ours = t_base = t_same = float("inf")
    for _ in range(5 if quick else 9):
        t_ours = min(t_ours, best_of(engine, 1)[0])
        t_base = min(t_base, best_of(baseline, 1)[0])
        t_same = min(t_same, best_of(baseline_same_output, 1)[0])
    repeat = 3 if quick else 5
    t_explain, _ = best_of(lambda: [assess(policy, f, explain=True) for f in encounters],
                           repeat)
    # Where the engine's time goes: checking the facts' types alone (a misspelt or mistyped
    # fact is an error), which the hand-written function does not do.
    check = compiled(policy).check_facts
    t_check, _ = best_of(lambda: [check(f) for f in encounters], repeat)
    breakdown = (
        f"per decision: ours {t_ours / n * 1e6:.1f} us, of which fact type checks "
        f"{t_check / n * 1e6:.1f} us; hand-written {t_base / n * 1e6:.1f} us; hand-written "
        f"rules packaged as the same Decision {t_same / n * 1e6:.1f} us"
    )
    return [
        Result("policy: decisions per second (model policy)", n / t_ours, n / t_base,
               "hand-written Python function", "decisions/s", target="within 3x",
               notes=f"{n:,} synthetic encounters; explain mode {n / t_explain:,.0f}/s; "
               + breakdown),
        Result("policy: decisions per second, same Decision output", n / t_ours, n / t_same,
               "hand-written rules packaged as the same Decision", "decisions/s",
               target="within 3x",
               notes="the baseline builds the same frozen Decision and Reasons"),
    ]


#: Printed above the profile in BENCHMARKS.md: what stands between the engine and 3x.
PROFILE_NOTE = """\
The policy engine is the one benchmark that can miss its target (3x the hand-written
function). The profile below is pyinstrument's call tree of `assess` over the same
encounters. Rule evaluation itself (`assess`'s own loop and the compiled closures `eq`,
`some`, `subset`, `ge`...) costs about what the hand-written rules do: the second policy
row, where the baseline decides by hand but builds the same frozen `Decision`, stays within
1.3-1.6x. The rest of the gap is work the contract requires and the plain-dict baseline
skips: type-checking every fact (`check`: a misspelt or mistyped fact is an error, never a
silent false; about a quarter of the time) and building the frozen `Decision` with its
`Reason`s, parameters and summary (memoised per distinct outcome). Tried and measured
without gain: deciding the yes/no and word rules from their facts' values in one C-level
step, and a per-shape cache of fact checks (both within noise of the closures they
replaced, so not kept). What is left is CPython's per-call cost; generating one Python
function per policy would cut it, but the engine never turns policy text into code by
design (policies are contributed data).
"""


def profile(quick: bool = False) -> str:
    """pyinstrument's call tree of ``assess`` over the synthetic encounters, as text."""
    from pyinstrument import Profiler

    policy = load_policy(MODEL)
    encounters = synthetic(1_000 if quick else 5_000)
    for facts in encounters:  # day plans made and memos filled, as in the timed rounds
        assess(policy, facts)
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(3):
        for facts in encounters:
            assess(policy, facts)
    profiler.stop()
    text: str = profiler.output_text(unicode=False, color=False)  # Any where pyinstrument is absent
    return text


if __name__ == "__main__":
    for result in run(quick="--quick" in sys.argv):
        print(f"{result.name}: {result.figure:,.0f} {result.unit} vs {result.baseline:,.0f}"
              f" ({result.baseline_name}) = {result.ratio:.2f}x; {result.notes}")
