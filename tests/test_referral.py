"""Tests for deflectkit.core.referral: Part 2 consent enforced, person data kept private."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import attrs
import pytest

import deflectkit as dk
from deflectkit.core.referral import (
    REDISCLOSURE_NOTICE,
    Consent,
    Person,
    Referral,
    new_referral_id,
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
CONSENT = Consent(
    discloser="Example Police Department deflection program",
    recipients=("example-crisis",),
    information="Name, date of birth, phone number and the referral need",
    purpose="Arrange treatment intake",
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
)


def _leaks(text: str) -> bool:
    """True when any piece of the person's data appears in ``text``."""
    return any(piece in text for piece in (NAME, "Zzyzx", PHONE, "1990-05-17", "1990, 5, 17"))


class TestConsentEnforced:
    """Person data reaches a provider only under a valid consent naming it."""

    def test_named_recipient_within_term(self) -> None:
        """A signed, unexpired consent naming the provider releases the person and the notice."""
        disclosure = share_with_provider(REFERRAL, "example-crisis", at=SOON)

        assert (NAME, REDISCLOSURE_NOTICE, "form-0001") == (
            disclosure.person.name,
            disclosure.notice,
            disclosure.consent_ref,
        )

    def test_other_provider_refused(self) -> None:
        """A provider the consent does not name gets nothing, and the error says why."""
        with pytest.raises(ConsentError, match="does not name 'other-clinic' as a recipient"):
            share_with_provider(REFERRAL, "other-clinic", at=SOON)

    def test_no_consent(self) -> None:
        """Without a consent nothing is shared."""
        referral = attrs.evolve(REFERRAL, consent=None)

        with pytest.raises(ConsentError, match="no 42 CFR Part 2 consent"):
            share_with_provider(referral, "example-crisis", at=SOON)

    def test_expired(self) -> None:
        """At (or after) the expiry the consent no longer allows sharing."""
        with pytest.raises(ConsentError, match="expired at 2026-06-02T10:00:00"):
            share_with_provider(REFERRAL, "example-crisis", at=EXPIRES)

    def test_before_signature(self) -> None:
        """Before it was signed a consent allows nothing."""
        with pytest.raises(ConsentError, match="signed later"):
            share_with_provider(REFERRAL, "example-crisis", at=SIGNED - dt.timedelta(minutes=1))

    def test_revoked(self) -> None:
        """After revocation nothing more is shared; before it, sharing was allowed."""
        revoked_at = SIGNED + dt.timedelta(days=2)
        referral = attrs.evolve(REFERRAL, consent=CONSENT.revoke(revoked_at))

        assert share_with_provider(referral, "example-crisis", at=SOON).recipient
        with pytest.raises(ConsentError, match="revoked at"):
            share_with_provider(referral, "example-crisis", at=revoked_at)

    def test_revocation_keeps_earliest(self) -> None:
        """Revoking again later does not move the revocation."""
        first = CONSENT.revoke(SOON)

        assert SOON == first.revoke(EXPIRES - dt.timedelta(days=1)).revoked_at

    def test_all_problems_reported(self) -> None:
        """Every reason is listed, not just the first."""
        consent = CONSENT.revoke(SOON)

        expected = 3

        assert expected == len(consent.problems("other-clinic", EXPIRES))

    def test_consent_error_is_permission_error(self) -> None:
        """ConsentError can be caught as the builtin PermissionError."""
        with pytest.raises(PermissionError):
            share_with_provider(REFERRAL, "other-clinic", at=SOON)

    def test_no_person(self) -> None:
        """A referral without person data has nothing to share."""
        with pytest.raises(ConsentError, match="no person data"):
            share_with_provider(attrs.evolve(REFERRAL, person=None), "example-crisis", at=SOON)


class TestConsentElements:
    """A consent without a Part 2 element cannot be made."""

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"purpose": " "}, "purpose must be a non-empty text"),
            ({"information": ""}, "information must be a non-empty text"),
            ({"recipients": ()}, "at least one provider"),
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
        """Neither the referral, its person, nor a disclosure shows the person."""
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
        )

        assert ("self_referral", "review", ("WARRANT_SUPERVISOR_REVIEW",), ("opioids",)) == (
            referral.pathway,
            referral.decision_status,
            referral.decision_reasons,
            referral.needs,
        )
        assert referral.id.startswith("ref-")

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

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            ({"id": None}, "lacks the field 'id'"),
            ({"referred_at": "soon"}, "referred_at: 'soon' is not an ISO 8601 time"),
            ({"pathway": "arrest"}, "unknown pathway"),
        ],
    )
    def test_bad_json(self, change: dict[str, Any], message: str) -> None:
        """Missing or invalid fields are named."""
        data = {**referral_json(REFERRAL), **change}
        data = {k: v for k, v in data.items() if v is not None}

        with pytest.raises(ValueError, match=message):
            referral_from_json(data)
