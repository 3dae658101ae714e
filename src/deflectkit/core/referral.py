"""The referral record, its 42 CFR Part 2 consent, and the one gate person data passes through.

A :class:`Referral` holds the minimum a program needs (SOURCES.md §6, "what a deflectkit
referral record should hold"): an opaque id, the pathway, the time, the receiving provider,
the decision's status and reason codes, the charge disposition, coarse need flags and the
consent. Who the person is lives in a separate :class:`Person`, which never appears in
``repr``, ``str`` or logs, and which :func:`referral_json` leaves out unless asked.

Person data reaches a provider only through :func:`share_with_provider`, which raises
:class:`~deflectkit.errors.ConsentError` unless a signed, unexpired, unrevoked consent names
that provider. The consent carries the elements 42 CFR §2.31 requires of a written consent:

==========================  ====================================================
§2.31 element               field
==========================  ====================================================
patient's name              the referral's :class:`Person` (kept apart, private)
who may disclose            :attr:`Consent.discloser`
how much and what kind      :attr:`Consent.information`
recipient(s)                :attr:`Consent.recipients` (provider slugs)
purpose                     :attr:`Consent.purpose`
right to revoke             :attr:`Consent.right_to_revoke` (the statement shown)
expiration                  :attr:`Consent.expires_at`
signature                   :attr:`Consent.signature_ref` (a reference, never an image)
date signed                 :attr:`Consent.signed_at`
==========================  ====================================================

This is a record-keeping aid, not legal advice: an agency's counsel decides its consent
form. Interpretation notes are in SOURCES.md §6.

Example:
    >>> import datetime as dt
    >>> utc = dt.timezone.utc
    >>> consent = Consent(
    ...     discloser="Example Police Department deflection program",
    ...     recipients=("example-crisis",),
    ...     information="Name, date of birth, phone number and the referral need",
    ...     purpose="Arrange treatment intake",
    ...     signed_at=dt.datetime(2026, 3, 4, 10, 0, tzinfo=utc),
    ...     expires_at=dt.datetime(2026, 6, 2, 10, 0, tzinfo=utc),
    ...     signature_ref="form-0001")
    >>> referral = Referral(id="ref-7f3a", pathway="self_referral",
    ...     referred_at=dt.datetime(2026, 3, 4, 10, 5, tzinfo=utc), provider_id="example-crisis",
    ...     charge_disposition="no_charge", consent=consent, person=Person("Pat Example"))
    >>> "Pat" in repr(referral)
    False
    >>> share_with_provider(referral, "example-crisis",
    ...                     at=dt.datetime(2026, 3, 4, 11, 0, tzinfo=utc)).person.name
    'Pat Example'
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from deflectkit.convert import register_unstructure_hook
from deflectkit.errors import ConsentError
from deflectkit.vocabulary import CHARGE_DISPOSITIONS, NEEDS, PATHWAYS

__all__ = [
    "REDISCLOSURE_NOTICE",
    "RIGHT_TO_REVOKE",
    "Consent",
    "Disclosure",
    "Person",
    "Referral",
    "new_referral_id",
    "referral_from_json",
    "referral_json",
    "share_with_provider",
]

#: The right-to-revoke statement (§2.31(a)(6) pre-2024 numbering; SOURCES.md §6).
RIGHT_TO_REVOKE: Final = (
    "You may revoke this consent at any time, orally or in writing, except to the extent "
    "that action has already been taken in reliance on it."
)

#: Sent with every disclosure (§2.32, paraphrased; SOURCES.md §6). Agencies should use the
#: exact wording their counsel approves.
REDISCLOSURE_NOTICE: Final = (
    "This information has been disclosed to you from records protected by federal "
    "confidentiality rules (42 CFR part 2). Those rules prohibit you from further "
    "disclosing information that identifies a person as having a substance use disorder "
    "without their written consent, and restrict any use of it to investigate or prosecute "
    "a crime."
)


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _aware(_: object, attribute: attrs.Attribute[Any], value: dt.datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        msg = f"{attribute.name} {value.isoformat()} has no UTC offset; give it with its offset"
        raise ValueError(msg)


def _text(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not str(value).strip():
        msg = f"{attribute.name} must be a non-empty text (a Part 2 consent element)"
        raise ValueError(msg)


def _in(vocabulary_words: tuple[str, ...], what: str) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if value not in vocabulary_words:
            words = ", ".join(vocabulary_words)
            msg = f"{attribute.name}: unknown {what} {value!r}; use one of {words}"
            raise ValueError(msg)

    return check


@attrs.frozen(repr=False)
class Person:
    """Who the referral is about. Never shown by ``repr``/``str``, so never logged by accident.

    Only what a provider needs for intake; no diagnoses, drug details, criminal history or
    narratives (minimum necessary, SOURCES.md §6).

    Attributes:
        name: the person's name (Part 2 element "the patient's name").
        date_of_birth: for the provider to find or open a record.
        phone: for follow-up, when the person agrees.
    """

    name: str
    date_of_birth: dt.date | None = None
    phone: str | None = None

    def __repr__(self) -> str:
        return "Person(<withheld>)"

    __str__ = __repr__


@attrs.frozen
class Consent:
    """A written consent to disclose, with the elements 42 CFR §2.31 requires (module table).

    Attributes:
        discloser: who is authorised to make the disclosure (the program).
        recipients: provider slugs the consent names; only they may receive person data.
        information: how much and what kind of information, specifically.
        purpose: why it is disclosed.
        signed_at: when the person signed.
        expires_at: when the consent ends (the date form of an expiry event or condition;
            it should last no longer than reasonably necessary).
        signature_ref: a reference to the signed form in the agency's records (never an
            image of a signature).
        right_to_revoke: the revocation statement the person was given.
        recipient_description: the recipients as the form describes them, when it uses a
            general description ("my treating providers").
        revoked_at: when the person revoked it, if they did (see :meth:`revoke`).

    Example:
        >>> import datetime as dt
        >>> signed = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
        >>> consent = Consent(discloser="Example Police Department deflection program",
        ...     recipients=("example-crisis",), information="Name and the referral need",
        ...     purpose="Arrange treatment intake", signed_at=signed,
        ...     expires_at=signed + dt.timedelta(days=90), signature_ref="form-0001")
        >>> consent.permits("example-crisis", signed + dt.timedelta(hours=1))
        True
        >>> consent.problems("example-other", signed + dt.timedelta(hours=1))
        ["it does not name 'example-other' as a recipient (it names example-crisis)"]
    """

    discloser: str = attrs.field(validator=_text)
    recipients: tuple[str, ...] = attrs.field(converter=_strings)
    information: str = attrs.field(validator=_text)
    purpose: str = attrs.field(validator=_text)
    signed_at: dt.datetime = attrs.field(validator=_aware)
    expires_at: dt.datetime = attrs.field(validator=_aware)
    signature_ref: str = attrs.field(validator=_text)
    right_to_revoke: str = attrs.field(default=RIGHT_TO_REVOKE, validator=_text)
    recipient_description: str | None = None
    revoked_at: dt.datetime | None = attrs.field(default=None, validator=_aware)

    @recipients.validator
    def _check_recipients(self, _: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value or not all(str(r).strip() for r in value):
            msg = "recipients must name at least one provider (its slug)"
            raise ValueError(msg)

    def __attrs_post_init__(self) -> None:
        if self.expires_at <= self.signed_at:
            msg = "expires_at must be after signed_at"
            raise ValueError(msg)

    def revoke(self, at: dt.datetime) -> Consent:
        """The same consent, revoked at ``at`` (earlier revocations stand)."""
        _aware(None, attrs.fields(Consent).revoked_at, at)
        if self.revoked_at is not None and self.revoked_at <= at:
            return self
        return attrs.evolve(self, revoked_at=at)

    def problems(self, recipient: str, at: dt.datetime) -> list[str]:
        """Why disclosing to ``recipient`` at ``at`` is not allowed (empty when it is)."""
        _aware(None, attrs.fields(Consent).signed_at, at)
        found: list[str] = []
        if recipient not in self.recipients:
            named = ", ".join(self.recipients)
            found.append(f"it does not name {recipient!r} as a recipient (it names {named})")
        if at < self.signed_at:
            found.append(f"it was signed later, at {self.signed_at.isoformat()}")
        if at >= self.expires_at:
            found.append(f"it expired at {self.expires_at.isoformat()}")
        if self.revoked_at is not None and at >= self.revoked_at:
            found.append(f"it was revoked at {self.revoked_at.isoformat()}")
        return found

    def permits(self, recipient: str, at: dt.datetime) -> bool:
        """True when disclosing to ``recipient`` at ``at`` is within this consent."""
        return not self.problems(recipient, at)


def new_referral_id() -> str:
    """A fresh opaque referral id (random; says nothing about the person or the time)."""
    return "ref-" + secrets.token_hex(8)


@attrs.frozen
class Referral:
    """One deflection referral, minimum necessary; the person is kept apart and private.

    Attributes:
        id: opaque id (:func:`new_referral_id`), never a name.
        pathway: the deflection pathway (a ``PATHWAYS`` word).
        referred_at: when the referral was made, with its offset.
        provider_id: the receiving provider's slug.
        charge_disposition: a ``CHARGE_DISPOSITIONS`` word.
        decision_status: the eligibility decision's status, if one was made.
        decision_reasons: its reason codes (``["WARRANT_SUPERVISOR_REVIEW"]``).
        needs: coarse need flags (``NEEDS`` words) used for matching.
        timezone: the program's IANA zone, for reading ``referred_at`` locally.
        referring_role: the referrer's role ("patrol officer"), not their name.
        officer_hash: a badge hash, only for the officer-participation measure.
        consent: the Part 2 consent, if the person gave one.
        person: who the referral is about; excluded from ``repr``, ``str``, logs and, by
            default, JSON.

    Example:
        >>> import datetime as dt
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> decision = dk.assess(policy, {"contact_at": "2025-03-01T10:00:00-07:00",
        ...                               "contact_type": "self_referral", "age": 16})
        >>> referral = Referral.from_decision(decision, provider_id="example-crisis",
        ...     referred_at=dt.datetime(2025, 3, 1, 10, 30, tzinfo=dt.UTC),
        ...     charge_disposition="no_charge", referral_id="ref-1", person=Person("Pat Example"))
        >>> referral.pathway, referral.decision_reasons, "Pat" in repr(referral)
        ('self_referral', ('JUVENILE',), False)
    """

    id: str = attrs.field(validator=_text)
    pathway: str = attrs.field(validator=_in(PATHWAYS.words, "pathway"))
    referred_at: dt.datetime = attrs.field(validator=_aware)
    provider_id: str = attrs.field(validator=_text)
    charge_disposition: str = attrs.field(
        validator=_in(CHARGE_DISPOSITIONS.words, "charge disposition")
    )
    decision_status: str | None = None
    decision_reasons: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    needs: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    timezone: str | None = None
    referring_role: str | None = None
    officer_hash: str | None = None
    consent: Consent | None = None
    person: Person | None = attrs.field(default=None, repr=False)

    @needs.validator
    def _check_needs(self, _: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        unknown = [n for n in value if n not in NEEDS]
        if unknown:
            msg = f"needs: unknown need(s) {unknown}; use {', '.join(NEEDS.words)}"
            raise ValueError(msg)

    def __str__(self) -> str:
        return (
            f"referral {self.id}: {self.pathway} to {self.provider_id} at "
            f"{self.referred_at.isoformat()} ({self.charge_disposition})"
        )

    @classmethod
    def from_decision(
        cls,
        decision: Any,
        *,
        provider_id: str,
        referred_at: dt.datetime,
        charge_disposition: str,
        consent: Consent | None = None,
        person: Person | None = None,
        referral_id: str | None = None,
        **extra: Any,
    ) -> Referral:
        """A referral carrying a ``Decision``'s pathway, status, reason codes and needs."""
        route = getattr(decision, "referral", None)
        return cls(
            id=referral_id or new_referral_id(),
            pathway=decision.pathway,
            referred_at=referred_at,
            provider_id=provider_id,
            charge_disposition=charge_disposition,
            decision_status=decision.status,
            decision_reasons=tuple(decision.reason_codes),
            needs=tuple(route.need) if route is not None else (),
            consent=consent,
            person=person,
            **extra,
        )


@attrs.frozen
class Disclosure:
    """What may be sent to a provider: the referral, the person, and the notice (§2.32).

    Also the record §2.31-style accounting needs: who received what, when, under which
    consent. The person is hidden from ``repr`` like everywhere else.
    """

    referral_id: str
    recipient: str
    at: dt.datetime
    discloser: str
    information: str
    purpose: str
    consent_ref: str
    notice: str
    person: Person = attrs.field(repr=False)


def share_with_provider(referral: Referral, provider_id: str, *, at: dt.datetime) -> Disclosure:
    """Release the person's data to ``provider_id`` if, and only if, the consent allows it.

    Args:
        referral: the referral, with its person and consent.
        provider_id: the provider's slug.
        at: the moment of disclosure (aware).

    Raises:
        ConsentError: no person data to share, no consent, or a consent that does not
            name the provider, is not yet signed, has expired or was revoked; the message
            says which.
    """
    if referral.person is None:
        msg = f"referral {referral.id} holds no person data to share"
        raise ConsentError(msg)
    consent = referral.consent
    if consent is None:
        msg = (
            f"cannot share referral {referral.id} with {provider_id!r}: there is no 42 CFR Part 2 "
            "consent on the referral"
        )
        raise ConsentError(msg)
    problems = consent.problems(provider_id, at)
    if problems:
        msg = (
            f"cannot share referral {referral.id} with {provider_id!r}: the consent does not "
            f"allow it: {'; '.join(problems)}"
        )
        raise ConsentError(msg)
    return Disclosure(
        referral_id=referral.id,
        recipient=provider_id,
        at=at,
        discloser=consent.discloser,
        information=consent.information,
        purpose=consent.purpose,
        consent_ref=consent.signature_ref,
        notice=REDISCLOSURE_NOTICE,
        person=referral.person,
    )


def _consent_json(c: Consent) -> dict[str, Any]:
    return {
        "discloser": c.discloser,
        "recipients": list(c.recipients),
        "recipient_description": c.recipient_description,
        "information": c.information,
        "purpose": c.purpose,
        "signed_at": c.signed_at.isoformat(),
        "expires_at": c.expires_at.isoformat(),
        "signature_ref": c.signature_ref,
        "right_to_revoke": c.right_to_revoke,
        "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
    }


def _person_json(p: Person) -> dict[str, Any]:
    return {
        "name": p.name,
        "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None,
        "phone": p.phone,
    }


def referral_json(referral: Referral, *, include_person: bool = False) -> dict[str, Any]:
    """The referral as JSON data for the agency's own records system.

    Person data is left out unless ``include_person=True``: the default output can go to
    logs, analysts and the event pipeline; only the records system itself should ask for
    the person. ``dk.to_json(referral)`` is the default (no person).
    """
    data: dict[str, Any] = {
        "id": referral.id,
        "pathway": referral.pathway,
        "referred_at": referral.referred_at.isoformat(),
        "timezone": referral.timezone,
        "provider_id": referral.provider_id,
        "charge_disposition": referral.charge_disposition,
        "decision": {
            "status": referral.decision_status,
            "reasons": list(referral.decision_reasons),
        },
        "needs": list(referral.needs),
        "referring_role": referral.referring_role,
        "officer_hash": referral.officer_hash,
        "consent": _consent_json(referral.consent) if referral.consent else None,
    }
    if include_person:
        data["person"] = _person_json(referral.person) if referral.person else None
    return data


def _moment(data: Mapping[str, Any], key: str, *, optional: bool = False) -> dt.datetime | None:
    value = data.get(key)
    if value is None and optional:
        return None
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        msg = f"{key}: {value!r} is not an ISO 8601 time"
        raise ValueError(msg) from None


def _required(moment: dt.datetime | None, key: str) -> dt.datetime:
    if moment is None:  # pragma: no cover - _moment raises first
        msg = f"{key} is required"
        raise ValueError(msg)
    return moment


def referral_from_json(data: Mapping[str, Any]) -> Referral:
    """Read back what :func:`referral_json` wrote (with or without the person).

    Raises:
        ValueError: a field is missing or invalid; the message names it.
    """
    try:
        consent_data = data.get("consent")
        consent = None
        if consent_data is not None:
            consent = Consent(
                discloser=consent_data["discloser"],
                recipients=tuple(consent_data["recipients"]),
                recipient_description=consent_data.get("recipient_description"),
                information=consent_data["information"],
                purpose=consent_data["purpose"],
                signed_at=_required(_moment(consent_data, "signed_at"), "signed_at"),
                expires_at=_required(_moment(consent_data, "expires_at"), "expires_at"),
                signature_ref=consent_data["signature_ref"],
                right_to_revoke=consent_data.get("right_to_revoke") or RIGHT_TO_REVOKE,
                revoked_at=_moment(consent_data, "revoked_at", optional=True),
            )
        person_data = data.get("person")
        person = None
        if person_data is not None:
            born = person_data.get("date_of_birth")
            person = Person(
                name=person_data["name"],
                date_of_birth=dt.date.fromisoformat(born) if born else None,
                phone=person_data.get("phone"),
            )
        decision = data.get("decision") or {}
        return Referral(
            id=data["id"],
            pathway=data["pathway"],
            referred_at=_required(_moment(data, "referred_at"), "referred_at"),
            provider_id=data["provider_id"],
            charge_disposition=data["charge_disposition"],
            decision_status=decision.get("status"),
            decision_reasons=tuple(decision.get("reasons", ())),
            needs=tuple(data.get("needs", ())),
            timezone=data.get("timezone"),
            referring_role=data.get("referring_role"),
            officer_hash=data.get("officer_hash"),
            consent=consent,
            person=person,
        )
    except KeyError as exc:
        msg = f"referral JSON lacks the field {exc.args[0]!r}"
        raise ValueError(msg) from None


def _disclosure_json(d: Disclosure) -> dict[str, Any]:
    return {
        "referral_id": d.referral_id,
        "recipient": d.recipient,
        "at": d.at.isoformat(),
        "discloser": d.discloser,
        "information": d.information,
        "purpose": d.purpose,
        "consent_ref": d.consent_ref,
        "notice": d.notice,
        "person": _person_json(d.person),  # a disclosure exists to carry the person
    }


register_unstructure_hook(Referral, referral_json)
register_unstructure_hook(Consent, _consent_json)
register_unstructure_hook(Person, _person_json)
register_unstructure_hook(Disclosure, _disclosure_json)
