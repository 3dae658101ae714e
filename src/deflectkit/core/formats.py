"""Format names: what a stored file or JSON document says it is, ``deflectkit/<kind>@<n>``.

A policy file starts with ``schema: deflectkit/policy@1``, a provider file may carry
``schema: deflectkit/provider@1``, a stored decision ``"schema": "deflectkit/decision@1"``.
Records and files are kept for years, so each reader checks the name before anything else:
another kind, or a version newer than this release knows, is refused with a sentence that
says what this release reads and what to do. One rule, in one place, for every reader.

Example:
    >>> format_problem("deflectkit/provider@1", "provider", 1) is None
    True
    >>> format_problem("deflectkit/provider@2", "provider", 1).split(":")[0]
    'deflectkit/provider@2 is newer than this deflectkit reads (up to deflectkit/provider@1)'
"""

from __future__ import annotations

import re
from typing import Final

from deflectkit.structure import describe

__all__ = ["FORMAT_NAME", "format_name", "format_problem", "parse_format", "shown_format"]

#: ``deflectkit/<kind>@<version>``: a lower-case kind and a version from 1.
FORMAT_NAME: Final = re.compile(r"deflectkit/([a-z_]+)@([1-9][0-9]{0,5})")
#: Longest part of a ``schema`` value a message quotes: the value comes from a stranger's
#: file or JSON and may be megabytes long, or a list nested a thousand levels deep.
_SHOWN_CHARS: Final = 60


def shown_format(given: object) -> str:
    """A ``schema`` value as a message may quote it: text cut and quoted, anything else named.

    Example:
        >>> shown_format("policy v1"), shown_format("x" * 100_000)[-22:], shown_format([[1]])
        ("'policy v1'", '… (100,000 characters)', 'a list')
    """
    if not isinstance(given, str):
        return describe(given)  # never repr: a deep list recurses, a huge int cannot print
    if len(given) <= _SHOWN_CHARS:
        return repr(given)
    return f"{given[:_SHOWN_CHARS]!r}… ({len(given):,} characters)"


def format_name(kind: str, version: int) -> str:
    """The name of version ``version`` of ``kind``: ``deflectkit/provider@1``."""
    return f"deflectkit/{kind}@{version}"


def parse_format(given: object) -> tuple[str, int] | None:
    """``(kind, version)`` named by ``given``, or ``None`` when it names no deflectkit format.

    Example:
        >>> parse_format("deflectkit/policy@1"), parse_format("policy v1")
        (('policy', 1), None)
    """
    found = FORMAT_NAME.fullmatch(given) if isinstance(given, str) else None
    return (found[1], int(found[2])) if found else None


def format_problem(
    given: object, kind: str, current: int, *, older: str | None = None
) -> str | None:
    """Why ``given`` cannot be read as ``kind`` by a release whose newest is ``current``.

    Args:
        given: the value of the ``schema`` key.
        kind: the kind the reader reads (``policy``).
        current: the newest version of ``kind`` this release reads and writes.
        older: what to say of an older version (how to migrate it); ``None`` when older
            versions are read as they are.

    Returns:
        ``None`` when the value names a version this release reads as it is; otherwise one
        sentence that never quotes more than the value itself.
    """
    expected = format_name(kind, current)
    parsed = parse_format(given)
    if parsed is None:
        return (f"{shown_format(given)} is not a deflectkit format; this deflectkit reads "
                f"{kind} files written as {expected!r}")
    found_kind, version = parsed
    if found_kind != kind:
        return f"this names a {found_kind} ({given}), not a {kind}: write {expected!r} here"
    if version > current:
        return (f"{given} is newer than this deflectkit reads (up to {expected}): upgrade "
                "deflectkit (pip install -U deflectkit) to read it")
    if version < current and older is not None:
        return f"{given} is an older format (this deflectkit reads {expected}): {older}"
    return None
