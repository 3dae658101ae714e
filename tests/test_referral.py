"""Tests for deflectkit.core.referral: Part 2 consent enforced, person data kept private."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import attrs
import pytest

import deflectkit as dk
from deflectkit.api import new_referral_id
from deflectkit.core.referral import (
    REDISCLOSURE_NOTICE,
    Consent,
    ContactPermission,
    ContactShare,
    Person,
    Referral,
    receive_from_provider,
    referral_from_json,
    referral_json,
    share_with_provider,
)
from deflectkit.errors import ConsentError

UTC = dt.UTC
SIGNED = dt.datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
EXPIRES = dt.datetime(2026, 6, 2, 10, 0, tzinfo=UTC)
SOON = SIGNED + dt.timedelta(hours=1)
#: Fictional person data: the strings the privacy tests look for.
NAME, PHONE = "Pat Zzyzx-Example", "+15205550199"
PERSON = Person(NAME, date_of_birth=dt.date(1990, 5, 17), phone=PHONE)
PERMISSION = ContactPermission(
    providers=("example-crisis",),
    given_at=SIGNED,
    recorded_by="patrol officer",
    expires_at=EXPIRES,
)
CONSENT = Consent(
    discloser="my treatment providers",
    recipient="Example Police Department deflection program",
    information="Whether I attended intake and treatment appointments",
    purpose="Follow-up and program measures",
    signed_at=SIGNED,
    expires_at=EXPIRES,
    signature_ref="form-0001",
)
REFERRAL = Referral(
    id="ref-0001",
    pathway="officer_intervention",
    referred_at=SIGNED + dt.timedelta(minutes=5),
    provider_id="example-crisis",
    charge_disposition="not_filed",
    decision_status="eligible",
    needs=("opioids",),
    timezone="America/Phoenix",
    consent=CONSENT,
    person=PERSON,
    contact_permission=PERMISSION,
)


def _leaks(text: str) -> bool:
    """True when any piece of the person's data appears in ``text``."""
    return any(piece in text for piece in (NAME, "Zzyzx", PHONE, "1990-05-17", "1990, 5, 17"))


class TestContactPermission:
    """Police -> provider: contact details go only where the person's permission allows."""

    def test_named_provider_within_term(self) -> None:
        """The permission releases the person to the provider it names, with no Part 2 notice."""
        shared = share_with_provider(REFERRAL, "example-crisis", at=SOON)

        assert (NAME, "patrol officer") == (shared.person.name, shared.recorded_by)
        assert not hasattr(shared, "notice")

    def test_other_provider_refused(self) -> None:
        """A provider the permission does not name gets nothing, and the error says why."""
        with pytest.raises(ConsentError, match="does not name 'other-clinic'"):
            share_with_provider(REFERRAL, "other-clinic", at=SOON)

    def test_part2_consent_is_not_permission_to_share(self) -> None:
        """A Part 2 consent alone does not let the police pass contact details on."""
        referral = attrs.evolve(REFERRAL, contact_permission=None)

        with pytest.raises(ConsentError, match="ContactPermission"):
            share_with_provider(referral, "example-crisis", at=SOON)

    def test_expired_and_withdrawn(self) -> None:
        """After expiry or withdrawal nothing is shared."""
        with pytest.raises(ConsentError, match="expired at 2026-06-02T10:00:00"):
            share_with_provider(REFERRAL, "example-crisis", at=EXPIRES)
        withdrawn = attrs.evolve(REFERRAL, contact_permission=PERMISSION.withdraw(SOON))
        with pytest.raises(ConsentError, match="revoked at"):
            share_with_provider(withdrawn, "example-crisis", at=SOON)

    def test_before_it_was_given(self) -> None:
        """Before it was given a permission allows nothing."""
        with pytest.raises(ConsentError, match="given later"):
            share_with_provider(REFERRAL, "example-crisis", at=SIGNED - dt.timedelta(minutes=1))

    def test_one_string_is_refused_not_split(self) -> None:
        """providers="example-crisis" is refused, never read as 14 one-letter slugs."""
        with pytest.raises(TypeError, match="not one string"):
            ContactPermission(providers="example-crisis", given_at=SIGNED, recorded_by="officer")
        with pytest.raises(TypeError, match="not one string"):
            attrs.evolve(CONSENT, discloser_ids="example-crisis")

    def test_consent_error_is_permission_error(self) -> None:
        """ConsentError can be caught as the builtin PermissionError."""
        with pytest.raises(PermissionError):
            share_with_provider(REFERRAL, "other-clinic", at=SOON)

    def test_no_person(self) -> None:
        """A referral without person data has nothing to share."""
        with pytest.raises(ConsentError, match="no person data"):
            share_with_provider(attrs.evolve(REFERRAL, person=None), "example-crisis", at=SOON)

    def test_disclosure_is_a_deprecated_alias(self) -> None:
        """The old name still works, with a DeprecationWarning naming the replacement."""
        import deflectkit.core.referral as module

        with pytest.warns(DeprecationWarning, match="ContactShare"):
            assert ContactShare is module.Disclosure


class TestPart2Consent:
    """Provider -> program: treatment information only under the person's Part 2 consent."""

    def test_provider_disclosure_carries_the_notice(self) -> None:
        """Under the consent, what the program receives carries the 42 CFR 2.32 notice."""
        received = receive_from_provider(REFERRAL, "example-crisis", at=SOON)

        assert (REDISCLOSURE_NOTICE, "form-0001", "example-crisis") == (
            received.notice, received.consent_ref, received.discloser,
        )  # fmt: skip
        assert "investigate or prosecute" in received.notice

    def test_no_consent(self) -> None:
        """Without a consent the program may not receive treatment information."""
        referral = attrs.evolve(REFERRAL, consent=None)

        with pytest.raises(ConsentError, match="no 42 CFR Part 2 consent"):
            receive_from_provider(referral, "example-crisis", at=SOON)

    def test_revoked(self) -> None:
        """After revocation nothing more is received; before it, it was allowed."""
        revoked_at = SIGNED + dt.timedelta(days=2)
        referral = attrs.evolve(REFERRAL, consent=CONSENT.revoke(revoked_at))

        assert receive_from_provider(referral, "example-crisis", at=SOON).discloser
        with pytest.raises(ConsentError, match="revoked at"):
            receive_from_provider(referral, "example-crisis", at=revoked_at)

    def test_named_disclosers_only(self) -> None:
        """A consent naming its provider covers that provider only."""
        consent = attrs.evolve(
            CONSENT, discloser="Example Crisis", discloser_ids=("example-crisis",)
        )

        assert consent.permits("example-crisis", SOON)
        assert ["it does not name 'other-clinic' as a discloser (it names example-crisis)"] == (
            consent.problems("other-clinic", SOON)
        )

    def test_charge_held_consent_is_irrevocable_until_its_end(self) -> None:
        """42 CFR 2.35: with a charge held, revocation before the stated end is refused."""
        end = SIGNED + dt.timedelta(days=60)
        held = attrs.evolve(CONSENT, irrevocable_until=end)

        with pytest.raises(ConsentError, match="irrevocable until"):
            held.revoke(SOON)
        assert end == held.revoke(end).revoked_at

    def test_expiry_event_instead_of_date(self) -> None:
        """An expiry event may stand for the date; one of the two is required."""
        assert attrs.evolve(CONSENT, expires_at=None, expiry_event="program completed").permits(
            "example-crisis", EXPIRES + dt.timedelta(days=400)
        )
        with pytest.raises(ValueError, match="expires_at or expiry_event"):
            attrs.evolve(CONSENT, expires_at=None)

    def test_revocation_keeps_earliest(self) -> None:
        """Revoking again later does not move the revocation."""
        first = CONSENT.revoke(SOON)

        assert SOON == first.revoke(EXPIRES - dt.timedelta(days=1)).revoked_at

    def test_all_problems_reported(self) -> None:
        """Every reason is listed, not just the first."""
        consent = attrs.evolve(CONSENT, discloser_ids=("example-crisis",)).revoke(SOON)

        assert 3 == len(consent.problems("other-clinic", EXPIRES))


class TestConsentElements:
    """A consent without a Part 2 element cannot be made."""

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"purpose": " "}, "purpose must be a non-empty text"),
            ({"information": ""}, "information must be a non-empty text"),
            ({"recipient": ""}, "recipient must be a non-empty text"),
            ({"signature_ref": ""}, "signature_ref"),
            ({"expires_at": SIGNED}, "expires_at must be after signed_at"),
            ({"signed_at": dt.datetime(2026, 3, 4, 10, 0)}, "no UTC offset"),
        ],
    )
    def test_missing_element(self, change: dict[str, Any], message: str) -> None:
        """Each missing or impossible element is refused with its name."""
        with pytest.raises(ValueError, match=message):
            attrs.evolve(CONSENT, **change)

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"pathway": "arrest"}, "unknown pathway 'arrest'"),
            ({"charge_disposition": "charged"}, "unknown charge disposition"),
            ({"needs": ("opiods",)}, "unknown need"),
            ({"referred_at": dt.datetime(2026, 3, 4)}, "no UTC offset"),
        ],
    )
    def test_referral_checked(self, change: dict[str, Any], message: str) -> None:
        """Referral fields are checked against the vocabularies."""
        with pytest.raises(ValueError, match=message):
            attrs.evolve(REFERRAL, **change)


class TestPrivacy:
    """Person data never appears in repr, str, logs or default JSON."""

    def test_repr_and_str(self) -> None:
        """Neither the referral, its person, nor a contact share shows the person."""
        disclosure = share_with_provider(REFERRAL, "example-crisis", at=SOON)
        texts = [repr(REFERRAL), str(REFERRAL), repr(PERSON), str(PERSON), repr(disclosure)]

        assert [False] * len(texts) == [_leaks(t) for t in texts]

    def test_logging(self, caplog: pytest.LogCaptureFixture) -> None:
        """Logging a referral, its person or a disclosure, any way, leaks nothing."""
        log = logging.getLogger("deflectkit.test")
        disclosure = share_with_provider(REFERRAL, "example-crisis", at=SOON)
        with caplog.at_level(logging.DEBUG, logger="deflectkit.test"):
            log.info("referral %s", REFERRAL)
            log.info("referral %r", REFERRAL)
            log.info("person %s %r", PERSON, PERSON)
            log.info("disclosure %r", disclosure)
            log.info("sharing %s", [REFERRAL, disclosure])

        assert 5 == len(caplog.records)
        assert not _leaks(caplog.text)

    def test_default_json_has_no_person(self) -> None:
        """dk.to_json and referral_json leave the person out by default."""
        texts = [json.dumps(dk.to_json(REFERRAL)), json.dumps(referral_json(REFERRAL))]

        assert [False, False] == [_leaks(t) for t in texts]
        assert "person" not in referral_json(REFERRAL)

    def test_json_with_person_when_asked(self) -> None:
        """The records system may ask for the person explicitly."""
        data = referral_json(REFERRAL, include_person=True)

        assert {"name": NAME, "date_of_birth": "1990-05-17", "phone": PHONE} == data["person"]

    def test_json_shape(self) -> None:
        """The JSON carries the minimum-necessary fields and the consent elements."""
        data = referral_json(REFERRAL)

        assert {
            "id": "ref-0001",
            "pathway": "officer_intervention",
            "provider_id": "example-crisis",
            "charge_disposition": "not_filed",
            "decision": {"status": "eligible", "reasons": []},
            "needs": ["opioids"],
        } == {
            k: data[k]
            for k in ("id", "pathway", "provider_id", "charge_disposition", "decision", "needs")
        }
        assert "2026-06-02T10:00:00+00:00" == data["consent"]["expires_at"]
        assert ["example-crisis"] == data["contact_permission"]["providers"]
        assert "deflectkit/referral@2" == data["schema"]


class TestFromDecision:
    """A referral can be made from a policy decision."""

    def test_carries_pathway_status_and_needs(self) -> None:
        """Pathway, status, reason codes and route needs come from the decision."""

        @attrs.frozen
        class Route:
            need: tuple[str, ...]

        @attrs.frozen
        class FakeDecision:
            pathway: str
            status: str
            reason_codes: tuple[str, ...]
            referral: Route

        decision = FakeDecision(
            "self_referral", "review", ("WARRANT_SUPERVISOR_REVIEW",), Route(("opioids",))
        )
        referral = Referral.from_decision(
            decision,
            provider_id="example-crisis",
            referred_at=SOON,
            charge_disposition="no_charge",
            new_id=new_referral_id,
        )

        assert ("self_referral", "review", ("WARRANT_SUPERVISOR_REVIEW",), ("opioids",)) == (
            referral.pathway,
            referral.decision_status,
            referral.decision_reasons,
            referral.needs,
        )
        assert referral.id.startswith("ref-")

    def test_from_decision_without_an_id_or_a_source_says_what_to_give(self) -> None:
        """The core draws no random ids: no ``referral_id`` and no ``new_id`` is a TypeError."""
        decision = dk.assess(dk.load_policy(dk.MODEL_POLICY), {
            "contact_at": "2025-03-01T10:00:00-07:00", "contact_type": "self_referral"})

        with pytest.raises(TypeError, match="new_referral_id"):
            Referral.from_decision(decision, provider_id="example-crisis", referred_at=SOON,
                                   charge_disposition="no_charge")

    def test_ids_are_opaque_and_distinct(self) -> None:
        """Two new ids differ and carry no date or name."""
        first, second = new_referral_id(), new_referral_id()

        assert first != second
        assert "2026" not in first


class TestRoundTrip:
    """Referrals read back from their JSON, for the agency's records system."""

    def test_without_person(self) -> None:
        """Default JSON reads back to the same referral minus the person."""
        assert attrs.evolve(REFERRAL, person=None) == referral_from_json(referral_json(REFERRAL))

    def test_with_person_and_revocation(self) -> None:
        """With the person asked for, and a revoked consent, nothing is lost."""
        referral = attrs.evolve(REFERRAL, consent=CONSENT.revoke(SOON))

        data = json.loads(json.dumps(referral_json(referral, include_person=True)))

        assert referral == referral_from_json(data)

    def test_public_round_trip_names_its_format(self) -> None:
        """``dk.from_json(dk.Referral, …)`` reads what ``dk.to_json`` stored (referral@2)."""
        data = json.loads(json.dumps(dk.to_json(REFERRAL)))

        assert "deflectkit/referral@2" == data["schema"]
        assert attrs.evolve(REFERRAL, person=None) == dk.from_json(dk.Referral, data)

    def test_public_reader_names_a_bad_person_field_not_its_value(self) -> None:
        """Through ``dk.from_json`` too, the field is named and the person's data is not."""
        data = {**referral_json(REFERRAL, include_person=True),
                "person": {"name": NAME, "date_of_birth": "17/05/1990-Zzyzx"}}

        with pytest.raises(dk.DataError, match=r"person\.date_of_birth") as caught:
            dk.from_json(dk.Referral, data)
        assert not _leaks(str(caught.value))

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"id": None}, "lacks the field id"),
            ({"referred_at": "soon"}, "referred_at: not an ISO 8601 time"),
            ({"pathway": "arrest"}, "unknown pathway"),
            ({"needs": "opioids"}, "needs: not a list of texts"),
            ({"consent": {"discloser": 3}}, "consent.discloser: not a text"),
        ],
    )
    def test_bad_json(self, change: dict[str, Any], message: str) -> None:
        """Missing or invalid fields are named."""
        data = {**referral_json(REFERRAL), **change}
        data = {k: v for k, v in data.items() if v is not None}

        with pytest.raises(ValueError, match=message):
            referral_from_json(data)


class TestPersonFieldsInErrors:
    """A bad person field is named, and its value (person data) is never repeated."""

    @pytest.mark.parametrize(
        ("person", "field"),
        [
            ({"name": NAME, "date_of_birth": "17/05/1990-Zzyzx"}, "person.date_of_birth"),
            ({"name": NAME, "date_of_birth": 19900517}, "person.date_of_birth"),
            ({"name": ["Pat", "Zzyzx"]}, "person.name"),
            ({"name": NAME, "phone": 5205550199}, "person.phone"),
            ("Pat Zzyzx", "person"),
        ],
    )
    def test_named_not_repeated(self, person: object, field: str) -> None:
        """Every person field and shape: the message names the field, not the value."""
        data = {**referral_json(REFERRAL), "person": person}

        with pytest.raises(ValueError, match=field) as caught:
            referral_from_json(data)
        assert not _leaks(str(caught.value))
        assert "5205550199" not in str(caught.value)


class TestMigration:
    """A version-1 referral (police as "discloser") reads as a contact permission."""

    def test_old_consent_becomes_contact_permission(self) -> None:
        """Its recipients become the permission's providers; no Part 2 consent is invented."""
        old = {
            "id": "ref-0001", "pathway": "self_referral", "referred_at": SIGNED.isoformat(),
            "provider_id": "example-crisis", "charge_disposition": "no_charge",
            "consent": {
                "discloser": "Example Police Department deflection program",
                "recipients": ["example-crisis"], "information": "Name and phone",
                "purpose": "Arrange intake", "signed_at": SIGNED.isoformat(),
                "expires_at": EXPIRES.isoformat(), "signature_ref": "form-0001",
            },
        }  # fmt: skip

        referral = referral_from_json(old)

        assert referral.consent is None
        assert referral.contact_permission is not None
        assert ("example-crisis",) == referral.contact_permission.providers
