"""Form text to typed facts: ``dk.parse_facts(policy, form)``.

A records system holds an encounter as text: ``"age": "34"``, ``"offenses":
"drug_possession,paraphernalia"``, ``"contact_at": "2026-03-02 03:10"``, a ticked checkbox
as ``"on"`` and an unticked one as *no key at all*. This module turns that text into the
typed facts :func:`deflectkit.assess` takes, strictly: text that does not read as the fact's
declared type is a :class:`~deflectkit.errors.Problem` naming the fact, never a guess. The
typed values then go through the same fact checks as ``dk.assess`` (declared names, enum
words, finite numbers at or above the declared minimum), so both report the same problems.

An absent key is *unknown*, never false. A browser leaves an unticked checkbox out of the
form, so a form's checkboxes must be named (``checkboxes=``): only for those does an absent
or blank field mean false (or, for a list fact shown as a group of checkboxes, no words).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deflectkit.core.policy.compiler import compiled
from deflectkit.core.policy.expressions import suggest
from deflectkit.core.policy.facts import not_a_word
from deflectkit.core.policy.model import FactSpec, Policy
from deflectkit.core.policy.text import RefusalCode, TextSpelling, read_text
from deflectkit.errors import PolicyError, Problem
from deflectkit.spelling import counted

__all__ = ["FALSE_WORDS", "FORM_FIELDS", "TRUE_WORDS", "parse_facts"]

#: What a checkbox, a yes/no select or a records system writes for true and false
#: (compared without case or surrounding spaces). ``on`` is what a browser sends for a ticked
#: checkbox that has no ``value`` attribute.
TRUE_WORDS: Final = frozenset({"on", "true", "yes", "y", "1", "checked"})
FALSE_WORDS: Final = frozenset({"off", "false", "no", "n", "0"})

#: A form's fields: the words above, plain decimal numbers (no ``1_000``, ``1,000``, ``nan``,
#: ``inf`` or non-ASCII digits, all of which Python's ``int()`` and ``float()`` would take),
#: ``2026-03-02 03:10`` with or without seconds and offset, words split by ``,`` or ``|``.
#: Minimums are left to the fact checks, so a form reports what ``dk.assess`` does; enum and
#: list words are checked here (:func:`_unlisted_word`), so a name typed into the wrong box
#: is never quoted back.
FORM_FIELDS: Final = TextSpelling(
    booleans={**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)},
    fold_case=True,
    strip=True,
    integer=re.compile(r"[+-]?[0-9]+"),
    number=re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"),
    # A date, then a time to the minute (seconds optional), then an optional offset or Z.
    date=re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    datetime=re.compile(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
        r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
    ),
    list_separator=re.compile(r"[,|]"),
    check_values=False,
)

#: The form's wording of each refusal: it names the fact and never quotes the text.
_MESSAGES: Final[dict[RefusalCode, str]] = {
    "bool": "{name} must be yes or no (on, true, yes, 1 / off, false, no, 0)",
    "int": "{name} must be a whole number such as 34",
    "float": "{name} must be a number such as 1.5",
    "date": "{name} must be a date like 2026-03-02",
    "real_date": "{name} is not a real date (a date like 2026-03-02)",
    "datetime": "{name} must be a date and time like 2026-03-02 03:10",
    "real_datetime": "{name} is not a real date and time (like 2026-03-02 03:10)",
    "no_offset": ("{name} has no UTC offset: give an offset (-07:00) or pass naive_timezone="
                  " (the zone the records system writes local times in)"),
    "clock_gap": ("{name} falls in the hour the clocks go forward in {zone}: that local time"
                  " did not happen; check it"),
    "clock_repeat": ("{name} falls in the hour the clocks go back in {zone}: it happened"
                     " twice; give a UTC offset"),
}


def _unlisted_word(spec: FactSpec, value: Any) -> str | None:
    """The message for the first word of an enum or list fact that the fact does not list."""
    if spec.type == "enum" and value not in spec.values:
        return not_a_word(spec, value)
    if spec.type == "list":
        for number, word in enumerate(value, start=1):
            if word not in spec.values:
                return not_a_word(spec, word, f"word {number} of ")
    return None


def _field(spec: FactSpec, raw: Any, zone: ZoneInfo | None) -> tuple[Any, str | None]:
    if isinstance(raw, str):
        value, refusal = read_text(spec, raw, FORM_FIELDS, zone)
        if refusal is not None:
            # FORM_FIELDS checks no words, minimums or sizes, so only these codes come back.
            message = _MESSAGES.get(refusal.code, "{name} cannot be read as its type")
            return None, message.format(name=spec.name, zone=refusal.zone)
    elif spec.type == "list" and isinstance(raw, Sequence) and all(isinstance(p, str) for p in raw):
        value = [p.strip() for p in raw if p.strip()]  # a multi-valued field
    else:
        return raw, None  # not text: the fact checks say what it should be
    unlisted = _unlisted_word(spec, value)
    return (None, unlisted) if unlisted else (value, None)


def _zone(naive_timezone: str | None) -> ZoneInfo | None:
    if naive_timezone is None:
        return None
    try:
        return ZoneInfo(naive_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"naive_timezone {naive_timezone!r} is not an IANA time zone like America/Phoenix"
        raise ValueError(msg) from None


def _checkbox_specs(
    policy: Policy, declared: Mapping[str, FactSpec], checkboxes: Collection[str]
) -> list[FactSpec]:
    if isinstance(checkboxes, str):  # a str is a collection of one-letter names
        msg = "checkboxes takes a list of fact names, not one string"
        raise TypeError(msg)
    specs = []
    for name in checkboxes:
        spec = declared.get(name)
        if spec is None or spec.type not in ("bool", "list"):
            msg = (f"checkboxes: {name!r} is not a bool or list fact of policy {policy.id}"
                   f"{suggest(name, declared)}")
            raise ValueError(msg)
        specs.append(spec)
    return specs


def parse_facts(
    policy: Policy,
    form: Mapping[str, Any],
    *,
    naive_timezone: str | None = None,
    checkboxes: Collection[str] = (),
) -> dict[str, Any]:
    """Turn a form's text into the typed facts ``dk.assess`` takes, strictly.

    Each field is read as its fact's declared type: ``bool`` from ``on``/``true``/``yes``/
    ``1`` or ``off``/``false``/``no``/``0``; ``int`` and ``float`` from plain decimal text;
    ``date`` as ``2026-03-02``; ``datetime`` as ``2026-03-02 03:10`` or
    ``2026-03-02T03:10`` with or without an offset; ``list`` as words separated by ``,`` or
    ``|`` (or a list of texts, for a multi-valued field), each one of its words; ``enum`` as
    one of its words; ``str`` as given.
    Values that are not text are passed on as they are. Then the same checks as
    ``dk.assess`` run (declared names, enum words, finite numbers not below the minimum).

    **An absent or blank field is unknown, not false.** A browser sends nothing for an
    unticked checkbox; list those facts in ``checkboxes`` and an absent or blank field
    becomes ``False`` (or, for a list fact, no words). Any other missing fact stays unknown
    and makes the decision ``needs_info`` where a rule needs it.

    Args:
        policy: the policy whose fact declarations give the types.
        form: field name -> text, e.g. ``request.form`` (every key must be a declared
            fact: leave other fields out).
        naive_timezone: the IANA zone of date-times written without an offset (the records
            system's local clock, often ``policy.timezone``). Without it such a
            date-time is a problem, as is a local time that the clock change makes
            ambiguous or impossible.
        checkboxes: the bool (and list) facts the form shows as checkboxes.

    Returns:
        Fact name -> typed value, for ``dk.assess``.

    Raises:
        PolicyError: every field that does not read as its fact, each a ``Problem`` whose
            ``field`` is the fact name and whose message never quotes the form's text.
        ValueError: ``naive_timezone`` is not a time zone, or ``checkboxes`` names a fact
            that is not a bool or list fact of the policy.
        TypeError: ``checkboxes`` is one string instead of a list of names.

    Example:
        >>> import deflectkit as dk
        >>> policy = dk.load_policy("data/policies/model-deflection.yaml")
        >>> facts = dk.parse_facts(
        ...     policy,
        ...     {"age": "34", "offenses": "drug_possession,paraphernalia",
        ...      "contact_at": "2026-03-02 03:10", "weapon_present": "on"},
        ...     naive_timezone="America/Phoenix",
        ...     checkboxes=["weapon_present", "violence"])
        >>> facts["age"], facts["offenses"], facts["violence"]
        (34, ('drug_possession', 'paraphernalia'), False)
        >>> facts["contact_at"].isoformat()
        '2026-03-02T03:10:00-07:00'
    """
    zone = _zone(naive_timezone)
    declared = {f.name: f for f in policy.facts}
    boxes = _checkbox_specs(policy, declared, checkboxes)
    typed: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for name, raw in form.items():
        spec = declared.get(name)
        if spec is None:
            typed[name] = raw  # the fact checks name it, with the nearest declared name
        elif not (isinstance(raw, str) and not raw.strip()):  # blank: unknown (see below)
            value, problem = _field(spec, raw, zone)
            if problem:
                problems.append((name, problem))
            else:
                typed[name] = value
    refused = {name for name, _ in problems}
    for spec in boxes:
        if typed.get(spec.name) is None and spec.name not in refused:
            typed[spec.name] = False if spec.type == "bool" else []
    facts, errors = compiled(policy).check_facts(typed)
    problems += errors
    if problems:
        raise PolicyError(
            [Problem("facts", None, None, name, message) for name, message in problems],
            f"{counted(len(problems), 'problem')} in the form for policy {policy.id}",
        )
    return facts
