"""Display labels for every word deflectkit returns: ``dk.label(word)``.

A decision's ``first_steps`` and ``pathway``, a match's ``reason_codes``, a case's statuses
and every vocabulary word a provider file uses are machine words (``call_ems``,
``officer_intervention``, ``takes_dropoff``). A program showing them to people wants the
label the site prints; this is the public way to get it.

A few words belong to more than one list with different labels (``opioids`` is a substance,
"Opioids", and a need, "Opioid use"). Pass ``kind`` to choose the list; without it the
first list in :data:`SEARCH_ORDER` that has the word answers. A word no list knows comes
back readable (``new_step`` → ``New step``), so a label is never missing. Pass
``lang="es"`` for the Spanish label.

Example:
    >>> label("call_ems"), label("officer_intervention"), label("takes_dropoff")
    ('Call EMS', 'Officer intervention', 'Takes police drop-offs')
    >>> label("opioids"), label("opioids", kind="needs"), label("new_step")
    ('Opioids', 'Opioid use', 'New step')
    >>> label("call_ems", lang="es")
    'Llamar a servicios médicos de emergencia'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from deflectkit.core.matching import MATCH_REASONS
from deflectkit.vocabulary import (
    ALL_VOCABULARIES,
    CHARGE_DISPOSITIONS,
    FIRST_STEPS,
    PATHWAYS,
    Language,
    Term,
    Vocabulary,
)

__all__ = ["SEARCH_ORDER", "VOCABULARIES", "description", "label"]

#: Every list :func:`label` knows, by name (the ``kind`` argument).
VOCABULARIES: Final[Mapping[str, Vocabulary]] = {
    **ALL_VOCABULARIES,
    MATCH_REASONS.name: MATCH_REASONS,
}
#: The lists searched when no ``kind`` is given, in this order: what a decision returns
#: first, then match reasons, then the provider and case vocabularies.
SEARCH_ORDER: Final[tuple[Vocabulary, ...]] = (
    FIRST_STEPS,
    PATHWAYS,
    CHARGE_DISPOSITIONS,
    MATCH_REASONS,
    *(
        v
        for v in ALL_VOCABULARIES.values()
        if v not in (FIRST_STEPS, PATHWAYS, CHARGE_DISPOSITIONS)
    ),
)


def _term(word: str, kind: str | None) -> tuple[Vocabulary, Term | None]:
    if kind is not None:
        vocabulary = VOCABULARIES.get(kind)
        if vocabulary is None:
            known = ", ".join(sorted(VOCABULARIES))
            msg = f"unknown kind {kind!r}; use one of: {known}"
            raise ValueError(msg)
        return vocabulary, (vocabulary.term(word) if word in vocabulary else None)
    for vocabulary in SEARCH_ORDER:
        if word in vocabulary:
            return vocabulary, vocabulary.term(word)
    return FIRST_STEPS, None


def label(word: str, kind: str | None = None, *, lang: Language = "en") -> str:
    """The display label of ``word``, in English or Spanish.

    Args:
        word: a machine word (a first step, pathway, reason code, vocabulary word …).
        kind: the list to look in (a key of :data:`VOCABULARIES`, such as ``"needs"``);
            by default the first list in :data:`SEARCH_ORDER` that has the word.
        lang: ``"en"`` (the default) or ``"es"`` for the Spanish label.

    Returns:
        The label, or the word made readable when no list knows it.

    Raises:
        ValueError: ``kind`` is not a list we know, or ``lang`` not a language we have.

    Example:
        >>> import deflectkit as dk
        >>> dk.label("supervisor_review"), dk.label("opioids", kind="needs")
        ('Supervisor review', 'Opioid use')
        >>> dk.label("opioids", kind="needs", lang="es")
        'Consumo de opioides'

    .. versionadded:: 0.2
    """
    vocabulary, _ = _term(word, kind)
    return vocabulary.label(word, lang)


def description(word: str, kind: str | None = None) -> str:
    """The one-sentence description of ``word`` (empty when it has none); as :func:`label`.

    Example:
        >>> description("call_ems")
        'Get medical help first; decide on deflection afterwards.'
    """
    _, term = _term(word, kind)
    return term.description if term is not None else ""
