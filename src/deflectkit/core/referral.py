"""The referral record, the two permissions around it, and the gates person data passes.

Two flows carry information about the person, and different rules govern each:

1. **Police -> provider: contact details.** The officer hands the provider the person's
   name and phone so intake can happen. The police department is not a treatment program,
   so this is not a 42 CFR Part 2 disclosure; it rests on the person's recorded
   permission, a :class:`ContactPermission`. :func:`share_with_provider` checks it and
   raises :class:`~deflectkit.errors.ConsentError` when it does not cover the provider.
2. **Provider -> program: treatment information** (intake, attendance, engagement). The
   provider is a Part 2 program: it may tell the deflection program only under the person's
   written consent (42 CFR 2.31), or, where the referral holds a charge pending treatment,
   a criminal-justice consent that may be irrevocable until a stated end (42 CFR 2.35). A
   :class:`Consent` records those elements with the provider (or "my treatment providers")
   as discloser and the program as recipient. :func:`receive_from_provider` checks it, and
   what it returns carries the 42 CFR 2.32 notice: the program may not redisclose it and
   may never use it to investigate or prosecute the person.

==========================  ====================================================
42 CFR 2.31 element         :class:`Consent` field
==========================  ====================================================
patient's name              the referral's :class:`Person` (kept apart, private)
who may disclose            :attr:`Consent.discloser` (+ :attr:`Consent.discloser_ids`)
how much and what kind      :attr:`Consent.information`
recipient                   :attr:`Consent.recipient` (the program)
purpose                     :attr:`Consent.purpose`
right to revoke             :attr:`Consent.right_to_revoke` (the statement shown)
expiration date or event    :attr:`Consent.expires_at` and/or :attr:`Consent.expiry_event`
signature                   :attr:`Consent.signature_ref` (a reference, never an image)
date signed                 :attr:`Consent.signed_at`
==========================  ====================================================

Sources: 42 CFR 2.31, 2.32 and 2.35 (https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2).
This is a record-keeping aid, not legal advice: an agency's counsel decides its forms.

Example:
    >>> import datetime as dt
    >>> utc = dt.timezone.utc
    >>> signed = dt.datetime(2026, 3, 4, 10, 0, tzinfo=utc)
    >>> permission = ContactPermission(providers=("example-crisis",), given_at=signed,
    ...     recorded_by="patrol officer")
    >>> consent = Consent(discloser="my treatment providers",
    ...     recipient="Example Police Department deflection program",
    ...     information="Whether I attended intake and treatment appointments",
    ...     purpose="Follow-up and program measures", signed_at=signed,
    ...     expires_at=signed + dt.timedelta(days=365), signature_ref="form-0001")
    >>> referral = Referral(id="ref-7f3a", pathway="self_referral",
    ...     referred_at=signed, provider_id="example-crisis", charge_disposition="no_charge",
    ...     contact_permission=permission, consent=consent, person=Person("Pat Example"))
    >>> "Pat" in repr(referral)
    False
    >>> at = signed + dt.timedelta(hours=1)
    >>> share_with_provider(referral, "example-crisis", at=at).person.name
    'Pat Example'
    >>> receive_from_provider(referral, "example-crisis", at=at).notice == REDISCLOSURE_NOTICE
    True
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final, Literal, TypeVar

import attrs

from deflectkit.errors import ConsentError
from deflectkit.vocabulary import CHARGE_DISPOSITIONS, NEEDS, PATHWAYS

__all__ = [
    "REDISCLOSURE_NOTICE",
    "REFERRAL_SCHEMA",
    "RIGHT_TO_REVOKE",
    "Consent",
    "ContactPermission",
    "ContactShare",
    "IdFactory",
    "Person",
    "ProviderDisclosure",
    "Referral",
    "receive_from_provider",
    "referral_from_json",
    "referral_json",
    "share_with_provider",
]

#: The schema tag of :func:`referral_json` (``@2``: consent runs provider -> program).
REFERRAL_SCHEMA: Final = "deflectkit/referral@2"

#: The right-to-revoke statement (42 CFR 2.31).
RIGHT_TO_REVOKE: Final = (
    "You may revoke this consent at any time, orally or in writing, except to the extent "
    "that action has already been taken in reliance on it."
)

#: Goes with everything the program receives from a treatment provider (42 CFR 2.32,
#: paraphrased). Agencies should use the exact wording their counsel approves.
REDISCLOSURE_NOTICE: Final = (
    "This information has been disclosed to you from records protected by federal "
    "confidentiality rules (42 CFR part 2). Those rules prohibit you from further "
    "disclosing information that identifies a person as having a substance use disorder "
    "without their written consent, and restrict any use of it to investigate or prosecute "
    "a crime."
)


def _slugs(value: object) -> tuple[str, ...]:
    """A tuple of slugs; a single string is refused, never split into characters."""
    if isinstance(value, str | bytes):
        msg = f"expected a list of provider slugs such as ['{value!s}'], not one string"
        raise TypeError(msg)
    if not isinstance(value, Iterable):
        msg = f"expected a list of provider slugs, not {type(value).__name__}"
        raise TypeError(msg)
    out = tuple(value)
    if not all(isinstance(v, str) and v.strip() for v in out):
        msg = "provider slugs must be non-empty strings"
        raise ValueError(msg)
    return out


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        msg = "expected a list of words, not one string"
        raise TypeError(msg)
    return tuple(value)


def _aware(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime):
        msg = f"{attribute.name} must be a date and time with its UTC offset"
        raise TypeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{attribute.name} {value.isoformat()} has no UTC offset; give it with its offset"
        raise ValueError(msg)


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name} must be a non-empty text (an element of the record)"
        raise ValueError(msg)


def _optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        msg = f"{attribute.name} must be a non-empty text when given"
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
    narratives (minimum necessary).

    Attributes:
        name: the person's name (the consent element "the patient's name").
        date_of_birth: for the provider to find or open a record.
        phone: for follow-up, when the person agrees.

    Example:
        >>> import deflectkit as dk
        >>> person = dk.Person("Example Person", phone="520-555-0100")
        >>> person
        Person(<withheld>)
    """

    name: str = attrs.field(validator=_text)
    date_of_birth: dt.date | None = attrs.field(default=None)
    phone: str | None = None

    @date_of_birth.validator
    def _check_born(self, _: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, dt.date):
            msg = "date_of_birth must be a date"  # never the value: it is person data
            raise TypeError(msg)

    def __repr__(self) -> str:
        return "Person(<withheld>)"

    __str__ = __repr__


def _in_force(
    start: dt.datetime, end: dt.datetime | None, withdrawn: dt.datetime | None, at: dt.datetime
) -> list[str]:
    """Why a permission given at ``start`` does not cover ``at`` (empty when it does)."""
    _aware(None, attrs.fields(Consent).signed_at, at)
    found: list[str] = []
    if at < start:
        found.append(f"it was given later, at {start.isoformat()}")
    if end is not None and at >= end:
        found.append(f"it expired at {end.isoformat()}")
    if withdrawn is not None and at >= withdrawn:
        found.append(f"it was revoked at {withdrawn.isoformat()}")
    return found


@attrs.frozen
class ContactPermission:
    """The person's recorded permission for the police to pass their contact details on.

    Police sharing a name and phone number with a provider to arrange intake is not a
    42 CFR Part 2 disclosure (the police are not a treatment program), but it should rest
    on the person's permission, recorded when it was given.

    Attributes:
        providers: slugs of the providers the person agreed may receive their details.
        given_at: when the person agreed.
        recorded_by: who recorded it, by role ("patrol officer"), never by name.
        how: ``verbal`` or ``written``.
        information: what may be passed on.
        expires_at: when it ends, if it does.
        withdrawn_at: when the person withdrew it, if they did (see :meth:`withdraw`).

    Example:
        >>> import datetime as dt
        >>> given = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
        >>> p = ContactPermission(providers=("example-crisis",), given_at=given,
        ...                       recorded_by="patrol officer")
        >>> p.problems("example-other", given)
        ["it does not name 'example-other' (it names example-crisis)"]
        >>> ContactPermission(providers="example-crisis", given_at=given, recorded_by="x")
        Traceback (most recent call last):
        ...
        TypeError: expected a list of provider slugs such as ['example-crisis'], not one string
    """

    providers: tuple[str, ...] = attrs.field(converter=_slugs)
    given_at: dt.datetime = attrs.field(validator=_aware)
    recorded_by: str = attrs.field(validator=_text)
    how: Literal["verbal", "written"] = attrs.field(default="verbal")
    information: str = attrs.field(
        default="Name, date of birth and phone number, to arrange intake", validator=_text
    )
    expires_at: dt.datetime | None = attrs.field(default=None, validator=_aware)
    withdrawn_at: dt.datetime | None = attrs.field(default=None, validator=_aware)

    @providers.validator
    def _check_providers(self, _: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        if not value:
            msg = "providers must name at least one provider (its slug)"
            raise ValueError(msg)

    @how.validator
    def _check_how(self, _: attrs.Attribute[Any], value: str) -> None:
        if value not in ("verbal", "written"):
            msg = f"how: {value!r} is not 'verbal' or 'written'"
            raise ValueError(msg)

    def withdraw(self, at: dt.datetime) -> ContactPermission:
        """The same permission, withdrawn at ``at`` (an earlier withdrawal stands)."""
        _aware(None, attrs.fields(ContactPermission).withdrawn_at, at)
        if self.withdrawn_at is not None and self.withdrawn_at <= at:
            return self
        return attrs.evolve(self, withdrawn_at=at)

    def problems(self, provider_id: str, at: dt.datetime) -> list[str]:
        """Why passing contact details to ``provider_id`` at ``at`` is not allowed."""
        found: list[str] = []
        if provider_id not in self.providers:
            found.append(f"it does not name {provider_id!r} (it names {', '.join(self.providers)})")
        found += _in_force(self.given_at, self.expires_at, self.withdrawn_at, at)
        return found


@attrs.frozen
class Consent:
    """A written 42 CFR Part 2 consent for a provider to tell the program about treatment.

    It holds the elements of 42 CFR 2.31 (module table), the right way round: the treatment
    provider discloses, the deflection program receives.

    Attributes:
        discloser: who may disclose: the provider's name, or a general description such as
            "my treatment providers".
        recipient: who receives: the deflection program (e.g. "Example Police Department
            deflection program").
        information: how much and what kind, specifically ("whether I attended intake and
            treatment appointments", not "my records").
        purpose: why ("follow-up and program measures").
        signed_at: when the person signed.
        signature_ref: a reference to the signed form (never an image of a signature).
        expires_at: when the consent ends; an ``expiry_event`` may stand instead.
        expiry_event: the event or condition that ends it ("the end of the 180-day program").
        discloser_ids: provider slugs the discloser covers; empty when ``discloser`` is a
            general description that covers any provider treating the person.
        right_to_revoke: the revocation statement the person was given.
        irrevocable_until: under 42 CFR 2.35 (the referral holds a charge pending
            treatment) a consent may be irrevocable until a stated end; revoking before it
            is refused. ``None``: revocable at any time.
        revoked_at: when the person revoked it (see :meth:`revoke`).

    Example:
        >>> import datetime as dt
        >>> signed = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
        >>> held = Consent(discloser="Example Recovery Center", discloser_ids=("example-rc",),
        ...     recipient="Example County Attorney deflection program",
        ...     information="Attendance at treatment", purpose="Monitor the charge held",
        ...     signed_at=signed, signature_ref="form-0002", expiry_event="charge dismissed",
        ...     irrevocable_until=signed + dt.timedelta(days=180))
        >>> held.permits("example-rc", signed + dt.timedelta(days=1))
        True
        >>> held.revoke(signed + dt.timedelta(days=30))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        deflectkit.errors.ConsentError: this consent is irrevocable until 2026-08-31...
    """

    discloser: str = attrs.field(validator=_text)
    recipient: str = attrs.field(validator=_text)
    information: str = attrs.field(validator=_text)
    purpose: str = attrs.field(validator=_text)
    signed_at: dt.datetime = attrs.field(validator=_aware)
    signature_ref: str = attrs.field(validator=_text)
    expires_at: dt.datetime | None = attrs.field(default=None, validator=_aware)
    expiry_event: str | None = attrs.field(default=None, validator=_optional_text)
    discloser_ids: tuple[str, ...] = attrs.field(default=(), converter=_slugs)
    right_to_revoke: str = attrs.field(default=RIGHT_TO_REVOKE, validator=_text)
    irrevocable_until: dt.datetime | None = attrs.field(default=None, validator=_aware)
    revoked_at: dt.datetime | None = attrs.field(default=None, validator=_aware)

    def __attrs_post_init__(self) -> None:
        if self.expires_at is None and self.expiry_event is None:
            msg = "give expires_at or expiry_event: a consent states when it ends"
            raise ValueError(msg)
        if self.expires_at is not None and self.expires_at <= self.signed_at:
            msg = "expires_at must be after signed_at"
            raise ValueError(msg)
        end = self.irrevocable_until
        late = end is not None and self.expires_at is not None and end > self.expires_at
        if end is not None and (end <= self.signed_at or late):
            msg = "irrevocable_until must fall between signed_at and expires_at"
            raise ValueError(msg)

    def revoke(self, at: dt.datetime) -> Consent:
        """The same consent, revoked at ``at`` (earlier revocations stand).

        Raises:
            ConsentError: ``at`` is before :attr:`irrevocable_until` (42 CFR 2.35).
        """
        _aware(None, attrs.fields(Consent).revoked_at, at)
        if self.irrevocable_until is not None and at < self.irrevocable_until:
            msg = (
                f"this consent is irrevocable until {self.irrevocable_until.isoformat()} "
                "(42 CFR 2.35); it cannot be revoked before then"
            )
            raise ConsentError(msg)
        if self.revoked_at is not None and self.revoked_at <= at:
            return self
        return attrs.evolve(self, revoked_at=at)

    def problems(self, provider_id: str, at: dt.datetime) -> list[str]:
        """Why ``provider_id`` may not tell the program about the person at ``at``."""
        found: list[str] = []
        if self.discloser_ids and provider_id not in self.discloser_ids:
            named = ", ".join(self.discloser_ids)
            found.append(f"it does not name {provider_id!r} as a discloser (it names {named})")
        found += _in_force(self.signed_at, self.expires_at, self.revoked_at, at)
        return found

    def permits(self, provider_id: str, at: dt.datetime) -> bool:
        """True when ``provider_id`` may disclose to the program at ``at`` under this consent."""
        return not self.problems(provider_id, at)


#: A source of fresh, opaque referral ids. The core draws no random numbers: callers pass
#: one (``deflectkit.new_referral_id``, which :func:`deflectkit.open_case` uses by default).
IdFactory = Callable[[], str]


def fresh_id(referral_id: str | None, new_id: IdFactory | None, *, caller: str) -> str:
    """``referral_id`` if given, else one drawn from ``new_id``; ``TypeError`` without either."""
    if referral_id is not None:
        return referral_id
    if new_id is None:
        msg = (f"{caller} needs referral_id= (e.g. your records system's id) or new_id= "
               "(deflectkit.new_referral_id draws a random one)")
        raise TypeError(msg)
    return new_id()


@attrs.frozen
class Referral:
    """One deflection referral, minimum necessary; the person is kept apart and private.

    Attributes:
        id: opaque id (``deflectkit.new_referral_id()`` or the records system's), never a
            name.
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
        contact_permission: the person's permission for the police to pass their contact
            details to a provider (checked by :func:`share_with_provider`).
        consent: the 42 CFR Part 2 consent for providers to tell the program about the
            person's treatment (checked by :func:`receive_from_provider`).
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
    contact_permission: ContactPermission | None = None

    @needs.validator
    def _check_needs(self, _: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
        unknown = [n for n in value if n not in NEEDS]
        if unknown:
            what = "need" if len(unknown) == 1 else "needs"
            msg = f"needs: unknown {what} {unknown}; use {', '.join(NEEDS.words)}"
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
        contact_permission: ContactPermission | None = None,
        new_id: IdFactory | None = None,
        **extra: Any,
    ) -> Referral:
        """A referral carrying a ``Decision``'s pathway, status, reason codes and needs.

        Its id is ``referral_id``, else one drawn from ``new_id``
        (``new_id=deflectkit.new_referral_id`` for a random one); ``TypeError`` without either.
        """
        route = getattr(decision, "referral", None)
        return cls(
            id=fresh_id(referral_id, new_id, caller="Referral.from_decision"),
            pathway=decision.pathway,
            referred_at=referred_at,
            provider_id=provider_id,
            charge_disposition=charge_disposition,
            decision_status=decision.status,
            decision_reasons=tuple(decision.reason_codes),
            needs=tuple(route.need) if route is not None else (),
            consent=consent,
            person=person,
            contact_permission=contact_permission,
            **extra,
        )


@attrs.frozen
class ContactShare:
    """Contact details the police may pass to a provider, under the person's permission.

    Also the record of who received what and when. Not a Part 2 disclosure, so it carries
    no 42 CFR 2.32 notice; the person is hidden from ``repr`` like everywhere else.
    """

    referral_id: str
    recipient: str
    at: dt.datetime
    information: str
    recorded_by: str
    person: Person = attrs.field(repr=False)


@attrs.frozen
class ProviderDisclosure:
    """What a treatment provider may tell the program about the person, under a consent.

    It carries the 42 CFR 2.32 notice (:data:`REDISCLOSURE_NOTICE`): the program may not
    pass it on, and may never use it to investigate or prosecute the person.
    """

    referral_id: str
    discloser: str
    recipient: str
    at: dt.datetime
    information: str
    purpose: str
    consent_ref: str
    notice: str = REDISCLOSURE_NOTICE


_Grant = TypeVar("_Grant", "ContactPermission", "Consent")


def _gate(
    grant: _Grant | None, provider_id: str, at: dt.datetime, *,
    refused: str, missing: str, lacking: str,
) -> _Grant:
    """``grant``, if it lets ``provider_id`` have the information at ``at``.

    Else :class:`~deflectkit.errors.ConsentError` saying why: ``refused: missing`` when there
    is no grant, ``refused: lacking: problems`` when it does not cover this.
    """
    if grant is None:
        raise ConsentError(f"{refused}: {missing}")
    problems = grant.problems(provider_id, at)
    if problems:
        raise ConsentError(f"{refused}: {lacking}: {'; '.join(problems)}")
    return grant


def share_with_provider(referral: Referral, provider_id: str, *, at: dt.datetime) -> ContactShare:
    """Release the person's contact details to ``provider_id`` if their permission allows it.

    Args:
        referral: the referral, with its person and :class:`ContactPermission`.
        provider_id: the provider's slug.
        at: the moment of sharing (aware).

    Raises:
        ConsentError: no person data to share, no recorded permission, or a permission that
            does not name the provider, was given later, expired or was withdrawn; the
            message says which (and never repeats the person's details).
    """
    if referral.person is None:
        msg = f"referral {referral.id} holds no person data to share"
        raise ConsentError(msg)
    permission = _gate(
        referral.contact_permission, provider_id, at,
        refused=f"cannot share referral {referral.id} with {provider_id!r}",
        missing=("the person's permission to pass their contact details on is not recorded "
                 "(ContactPermission)"),
        lacking="the person's permission does not allow it",
    )
    return ContactShare(
        referral_id=referral.id,
        recipient=provider_id,
        at=at,
        information=permission.information,
        recorded_by=permission.recorded_by,
        person=referral.person,
    )


def receive_from_provider(
    referral: Referral, provider_id: str, *, at: dt.datetime
) -> ProviderDisclosure:
    """Accept treatment information from ``provider_id`` only under a Part 2 consent.

    Call it before recording an intake, attendance or engagement a provider reports: the
    event log's ``consent_recorded`` / ``consent_revoked`` events mirror the same consent.

    Raises:
        ConsentError: no consent on the referral, or one that does not cover this provider
            at ``at`` (not yet signed, expired, revoked, another discloser named).
    """
    consent = _gate(
        referral.consent, provider_id, at,
        refused=(f"cannot accept treatment information on referral {referral.id} from "
                 f"{provider_id!r}"),
        missing="there is no 42 CFR Part 2 consent on the referral",
        lacking="the consent does not cover it",
    )
    return ProviderDisclosure(
        referral_id=referral.id,
        discloser=provider_id,
        recipient=consent.recipient,
        at=at,
        information=consent.information,
        purpose=consent.purpose,
        consent_ref=consent.signature_ref,
    )


def _plain(value: Any) -> Any:
    """A value as JSON data: ISO 8601 times and dates, lists, objects of attrs fields.

    Tuples become lists and an attrs value an object of its fields, in declaration order.
    """
    if isinstance(value, dt.date):  # a datetime too
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


def consent_json(c: Consent) -> dict[str, Any]:
    """A consent as JSON data: every field, times in ISO 8601."""
    data: dict[str, Any] = _plain(c)
    return data


def permission_json(p: ContactPermission) -> dict[str, Any]:
    """A contact permission as JSON data: every field, times in ISO 8601."""
    data: dict[str, Any] = _plain(p)
    return data


def person_json(p: Person) -> dict[str, Any]:
    """The person as JSON data (only where a caller asked for the person)."""
    data: dict[str, Any] = _plain(p)
    return data


def referral_json(referral: Referral, *, include_person: bool = False) -> dict[str, Any]:
    """The referral as JSON data for the agency's own records system.

    Person data is left out unless ``include_person=True``: the default output can go to
    logs, analysts and the event pipeline; only the records system itself should ask for
    the person. ``dk.to_json(referral)`` is the default (no person).
    """
    permission = referral.contact_permission
    data: dict[str, Any] = {
        "schema": REFERRAL_SCHEMA,
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
        "contact_permission": permission_json(permission) if permission else None,
        "consent": consent_json(referral.consent) if referral.consent else None,
    }
    if include_person:
        data["person"] = person_json(referral.person) if referral.person else None
    return data


class _Fields:
    """Reads one JSON object's fields, naming each bad one and never repeating a person's."""

    def __init__(self, data: object, where: str, *, private: bool = False) -> None:
        if not isinstance(data, Mapping):
            msg = f"{where.rstrip('.') or 'the referral'} must be a JSON object"
            raise ValueError(msg)
        self.data = data
        self.where = where
        self.private = private

    def _bad(self, key: str, what: str, value: object) -> ValueError:
        shown = "" if self.private else f" ({value!r})"
        return ValueError(f"{self.where}{key}: not {what}{shown}")

    def text(self, key: str, *, optional: bool = False) -> Any:
        if key not in self.data or self.data[key] is None:
            if optional:
                return None
            msg = f"referral JSON lacks the field {self.where}{key}"
            raise ValueError(msg)
        value = self.data[key]
        if not isinstance(value, str):
            raise self._bad(key, "a text", value)
        return value

    def moment(self, key: str, *, optional: bool = False) -> Any:
        value = self.text(key, optional=optional)
        if value is None:
            return None
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise self._bad(key, "an ISO 8601 time", value) from None

    def day(self, key: str) -> dt.date | None:
        value = self.text(key, optional=True)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self._bad(key, "an ISO 8601 date such as 1985-06-01", value) from None

    def words(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise self._bad(key, "a list of texts", value)
        return tuple(value)


def _consent_from_json(data: object) -> Consent | None:
    if data is None:
        return None
    f = _Fields(data, "consent.")
    return Consent(
        discloser=f.text("discloser"),
        recipient=f.text("recipient"),
        information=f.text("information"),
        purpose=f.text("purpose"),
        signed_at=f.moment("signed_at"),
        signature_ref=f.text("signature_ref"),
        expires_at=f.moment("expires_at", optional=True),
        expiry_event=f.text("expiry_event", optional=True),
        discloser_ids=f.words("discloser_ids"),
        right_to_revoke=f.text("right_to_revoke", optional=True) or RIGHT_TO_REVOKE,
        irrevocable_until=f.moment("irrevocable_until", optional=True),
        revoked_at=f.moment("revoked_at", optional=True),
    )


def _permission_from_json(data: object) -> ContactPermission | None:
    if data is None:
        return None
    f = _Fields(data, "contact_permission.")
    return ContactPermission(
        providers=f.words("providers"),
        given_at=f.moment("given_at"),
        recorded_by=f.text("recorded_by"),
        how=f.text("how", optional=True) or "verbal",
        information=f.text("information"),
        expires_at=f.moment("expires_at", optional=True),
        withdrawn_at=f.moment("withdrawn_at", optional=True),
    )


def _migrated_permission(old: object) -> ContactPermission | None:
    """A version-1 ``consent`` read as what it was: permission to pass details on.

    Version 1 named the police as discloser and providers as recipients; that was in truth
    the person's permission for the police to pass their contact details on.
    """
    f = _Fields(old, "consent.")
    return ContactPermission(
        providers=f.words("recipients"),
        given_at=f.moment("signed_at"),
        recorded_by=f.text("discloser"),
        how="written",
        information=f.text("information"),
        expires_at=f.moment("expires_at", optional=True),
        withdrawn_at=f.moment("revoked_at", optional=True),
    )


def _person_from_json(data: object) -> Person | None:
    if data is None:
        return None
    f = _Fields(data, "person.", private=True)
    return Person(
        name=f.text("name"),
        date_of_birth=f.day("date_of_birth"),
        phone=f.text("phone", optional=True),
    )


def referral_from_json(data: Mapping[str, Any]) -> Referral:
    """Read back what :func:`referral_json` wrote (with or without the person).

    A version-1 record (no ``schema``; its ``consent`` named providers as ``recipients``) is
    migrated: that consent becomes the ``contact_permission`` and the Part 2 ``consent`` is
    empty, since none was recorded the right way round.

    Raises:
        ValueError: a field is missing or invalid; the message names it (and never repeats
            a person field's value).
    """
    f = _Fields(data, "")
    consent_data = f.data.get("consent")
    if isinstance(consent_data, Mapping) and "recipients" in consent_data:
        permission, consent = _migrated_permission(consent_data), None
    else:
        permission = _permission_from_json(f.data.get("contact_permission"))
        consent = _consent_from_json(consent_data)
    decision = _Fields(f.data.get("decision") or {}, "decision.")
    return Referral(
        id=f.text("id"),
        pathway=f.text("pathway"),
        referred_at=f.moment("referred_at"),
        provider_id=f.text("provider_id"),
        charge_disposition=f.text("charge_disposition"),
        decision_status=decision.text("status", optional=True),
        decision_reasons=decision.words("reasons"),
        needs=f.words("needs"),
        timezone=f.text("timezone", optional=True),
        referring_role=f.text("referring_role", optional=True),
        officer_hash=f.text("officer_hash", optional=True),
        consent=consent,
        person=_person_from_json(f.data.get("person")),
        contact_permission=permission,
    )


def share_json(d: ContactShare) -> dict[str, Any]:
    """A contact share as JSON data, with the person: a share exists to carry them."""
    data: dict[str, Any] = _plain(d)
    return data


def __getattr__(name: str) -> Any:
    if name == "Disclosure":
        warnings.warn(
            "deflectkit.core.referral.Disclosure is deprecated: share_with_provider now returns "
            "a ContactShare (police -> provider contact details); what a provider tells the "
            "program under a Part 2 consent is a ProviderDisclosure",
            DeprecationWarning,
            stacklevel=2,
        )
        return ContactShare
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)

