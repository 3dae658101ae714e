"""The generated officer pocket card (deflectkit.site.pocket_card)."""

from __future__ import annotations

import datetime as dt

from deflectkit.core.directory import Directory
from deflectkit.core.hours import parse_hours
from deflectkit.core.policy.expressions import Compare
from deflectkit.core.policy.model import (
    Cite,
    FactSpec,
    Parameter,
    ParameterValue,
    PathwayRule,
    Period,
    Policy,
    Rule,
)
from deflectkit.core.providers import Address, Intake, Location, Phone, Provider
from deflectkit.site.pocket_card import dropoff_providers, render_pocket_card

TODAY = dt.date(2026, 3, 2)
CITE = (Cite("Example source", href="https://example.org/policy"),)


def _provider(
    slug: str,
    name: str,
    *,
    dropoff: bool = True,
    hours: str = "24/7",
    intake_hours: object = None,
    call_ahead: str | None = None,
    instructions: str | None = None,
) -> Provider:
    return Provider(
        slug=slug,
        name=name,
        location=Location(
            "America/Phoenix",
            address=Address("Tucson", "AZ", "85701", street="100 Example Way"),
        ),
        sample=True,
        phones=(Phone("+15205550142", "24/7 intake"),),
        hours=parse_hours(hours),
        intake=Intake(
            first_responder_dropoff=dropoff,
            call_ahead=call_ahead,
            hours=parse_hours(intake_hours) if intake_hours is not None else None,
            instructions=instructions,
        ),
    )


def _rule(rid: str, kind: str, label: str, when: Compare, effect: str, **kw: object) -> Rule:
    return Rule(id=rid, kind=kind, label=label, reason=rid.replace("-", "_"), cite=CITE,  # type: ignore[arg-type]
                when=when, effect=effect, **kw)  # type: ignore[arg-type]


def _policy(effective: Period | None = None) -> Policy:
    return Policy(
        id="example-policy",
        label="Example <Model> policy",
        timezone="America/Phoenix",
        effective=effective or Period(dt.date(2024, 1, 1)),
        facts=(FactSpec("age", "int"), FactSpec("weapon_present", "bool")),
        parameters=(
            Parameter("min_age", "Minimum age", (ParameterValue(dt.date(2024, 1, 1), 18),),
                      unit="years"),
            Parameter("max_grams", "Personal-use limit",
                      (ParameterValue(dt.date(2024, 1, 1), 2),
                       ParameterValue(dt.date(2026, 1, 1), 3)), unit="g"),
        ),
        safety=(
            _rule("S-MEDICAL", "safety", "Medical emergency",
                  Compare("medical_emergency", "eq", True), "defer", first_step="call_ems"),
        ),
        criteria=(
            _rule("C-ADULT", "criterion", "Adult", Compare("age", "ge", param="min_age"),
                  "exclude", first_step="contact_guardian"),
        ),
        exclusions=(
            _rule("X-AMOUNT", "exclusion", "Over the personal-use limit",
                  Compare("drug_amount_grams", "gt", param="max_grams"), "exclude"),
            _rule("X-WEAPON", "exclusion", "Weapon <b>present</b>",
                  Compare("weapon_present", "eq", True), "exclude"),
            _rule("X-WARRANT-OTHER", "exclusion", "Other warrant",
                  Compare("warrant", "eq", "other"), "review", first_step="supervisor_review"),
            _rule("X-FUTURE", "exclusion", "Rule that starts next year",
                  Compare("age", "lt", 0), "exclude", effective=Period(dt.date(2027, 1, 1))),
        ),
        pathways=(
            PathwayRule("P-SELF", 10, "self_referral", label="The person asked for help"),
            PathwayRule("P-DEFAULT", 99, "officer_prevention", default=True),
        ),
        routes=(),
        cite=CITE,
    )


def _directory() -> Directory:
    return Directory((
        _provider("b-night", "Example Night Clinic", call_ahead="+15205550199"),
        _provider("a-crisis", "Example Crisis Center"),
        _provider("c-day", "Example Day Clinic", intake_hours={"mon-fri": "08:00-17:00"}),
        _provider("d-nodrop", "Example No Drop-off", dropoff=False),
    ))


def test_path_is_the_playbook_nav_entry() -> None:
    """The card lands where the playbook navigation expects it."""
    assert "playbook/pocket-card.md" == render_pocket_card(None, Directory(()), today=TODAY).path


def test_lists_only_24_7_dropoff_providers_sorted_by_name() -> None:
    """Only providers taking police drop-offs with 24/7 intake hours are listed, by name."""
    expected = ["Example Crisis Center", "Example Night Clinic"]
    assert expected == [p.name for p in dropoff_providers(_directory())]


def test_card_shows_provider_phone_as_tel_link_and_address() -> None:
    """Each listed provider shows a tel: link (call-ahead line first) and its address."""
    content = str(render_pocket_card(_policy(), _directory(), today=TODAY).content)
    found = (
        '<a href="tel:+15205550199">520-555-0199</a>' in content,
        '<a href="tel:+15205550142">520-555-0142</a>' in content,
        "100 Example Way, Tucson, AZ 85701" in content,
        "Example Day Clinic" in content,
        "Example No Drop-off" in content,
    )
    assert (True, True, True, False, False) == found


def test_escapes_every_data_string() -> None:
    """Provider names, instructions and rule labels from data cannot inject HTML."""
    hostile = _provider(
        "x", "<script>alert(1)</script>", instructions='"><img src=x onerror=alert(1)>'
    )
    content = str(render_pocket_card(_policy(), Directory((hostile,)), today=TODAY).content)
    found = (
        "<script>" in content,
        "<img" in content,
        "&lt;script&gt;alert(1)&lt;/script&gt;" in content,
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in content,
        "Weapon &lt;b&gt;present&lt;/b&gt;" in content,
        "Example &lt;Model&gt; policy" in content,
    )
    assert (False, False, True, True, True, True) == found


def test_odd_phone_number_is_shown_as_text_not_a_link() -> None:
    """A call-ahead value that is not E.164 never becomes a link."""
    odd = _provider("odd", "Example Odd", call_ahead="javascript:alert(1)")
    content = str(render_pocket_card(None, Directory((odd,)), today=TODAY).content)
    assert ("javascript:alert(1)" in content, 'href="javascript' in content) == (True, False)


def test_eligibility_quick_check_from_policy_rules_and_parameters() -> None:
    """Rules in force today appear with their parameter values and first steps."""
    content = str(render_pocket_card(_policy(), Directory(()), today=TODAY).content)
    found = (
        "Adult</strong> (Minimum age: 18 years). First: Contact a parent or guardian" in content,
        "(Personal-use limit: 3 g)" in content,
        "Medical emergency</strong>. First: Call EMS" in content,
        "Other warrant</strong>: a supervisor decides. First: Supervisor review" in content,
        "Rule that starts next year" in content,
        "The person asked for help: <strong>Self-referral</strong>" in content,
        "otherwise: <strong>Officer prevention</strong>" in content,
    )
    assert (True, True, True, True, False, True, True) == found


def test_parameter_value_follows_the_date() -> None:
    """The card shows the parameter value in force on ``today``, not the latest one."""
    content = str(render_pocket_card(_policy(), Directory(()), today=dt.date(2025, 6, 1)).content)
    assert ("Personal-use limit: 2 g" in content, "Personal-use limit: 3 g" in content) == (
        True, False
    )


def test_policy_not_in_effect_is_flagged() -> None:
    """A policy outside its effective period gets a visible warning on the card."""
    policy = _policy(Period(dt.date(2027, 1, 1)))
    content = str(render_pocket_card(policy, Directory(()), today=TODAY).content)
    assert ("this policy is not in effect on 2026-03-02" in content) is True


def test_no_policy_and_no_providers_still_renders_a_useful_card() -> None:
    """Without data the card says so and keeps the recording steps and crisis lines."""
    content = str(render_pocket_card(None, Directory(()), today=TODAY).content)
    found = (
        "No deflection policy is loaded" in content,
        "No provider in the directory takes police drop-offs" in content,
        "How to record a deflection" in content,
        '<a href="tel:988">988</a>' in content,
    )
    assert (True, True, True, True) == found


def test_deterministic_whatever_the_input_order() -> None:
    """The same policy, providers and day always give byte-identical output."""
    providers = list(_directory())
    first = render_pocket_card(_policy(), Directory(tuple(providers)), today=TODAY)
    second = render_pocket_card(_policy(), Directory(tuple(reversed(providers))), today=TODAY)
    assert first == second


def test_policy_sources_are_linked() -> None:
    """The policy's own citations are listed under Sources, with http(s) links only."""
    content = str(render_pocket_card(_policy(), Directory(()), today=TODAY).content)
    assert ('<a href="https://example.org/policy">Example source</a>' in content) is True


def test_rules_about_the_charge_are_listed_apart_and_keep_the_referral() -> None:
    """The model policy's charge rules say the charge proceeds and the referral stays."""
    from pathlib import Path

    from deflectkit.files.policy import load_policy

    policy = load_policy(Path(__file__).resolve().parent.parent
                         / "data" / "policies" / "model-deflection.yaml")
    content = str(render_pocket_card(policy, Directory(()), today=TODAY).content)
    encounter, _, charge = content.partition("About the charge")

    assert "Weapon present</strong>. First: Safety response" in encounter
    assert "Agrees to the referral</strong>: if not, declined, no referral now." in encounter
    assert "More than a personal-use amount" not in encounter
    assert ("More than a personal-use amount</strong> (Personal-use limit (grams of drugs):"
            " 2 g): the charge proceeds; still offer the referral") in charge
    assert "An offense a supervisor decides on" in charge
