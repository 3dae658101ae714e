"""The public functions that need something the pure core may not reach for itself.

The core (``deflectkit.core``) reads no file, no clock and no random source: a ZIP code's
centroid and a new referral id are passed in as parameters. ``dk.match`` and
``dk.open_case`` (and :func:`search`, which ``deflectkit match`` runs) are the core functions
of the same name with those filled in at this edge: the ZIP table shipped with deflectkit
(:func:`deflectkit.files.zip_centroids.zip_centroid`) and :func:`new_referral_id`. A caller
that passes its own (``zip_centroid=``, ``referral_id=``, ``new_id=``) gets exactly the core
function.

Example:
    >>> import deflectkit as dk
    >>> dk.new_referral_id().startswith("ref-"), dk.new_referral_id() != dk.new_referral_id()
    (True, True)
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import attrs

from deflectkit.core import followup, matching
from deflectkit.core.constraints import Query
from deflectkit.files.zip_centroids import zip_centroid

__all__ = ["match", "new_referral_id", "open_case", "search"]

P = ParamSpec("P")
R = TypeVar("R")


def new_referral_id() -> str:
    """A fresh opaque referral id: random, so it says nothing about the person or the time.

    Pass it where the core asks for an id source (``new_id=dk.new_referral_id``), or call it
    for an id of your own; a records system that has its own ids passes those instead.

    Example:
        >>> import deflectkit as dk
        >>> referral_id = dk.new_referral_id()
        >>> referral_id.startswith("ref-"), len(referral_id)
        (True, 20)
    """
    return "ref-" + secrets.token_hex(8)


def _with_shipped_zip_table(core: Callable[P, R]) -> Callable[P, R]:
    """``core`` with the shipped ZIP table wherever the caller named no ZIP lookup.

    ``core`` takes the directory first and the query second (a :class:`Query`, or its needs
    with the other fields as keywords, ``zip_centroid`` among them); a ``Query`` may also be
    passed as ``needs=``.
    """
    call: Callable[..., R] = core

    @functools.wraps(core)
    def public(*args: P.args, **kwargs: P.kwargs) -> R:
        positional = list(args)
        asked = positional[1] if len(positional) > 1 else kwargs.get("needs")
        if isinstance(asked, Query):
            if asked.zip_centroid is None:
                asked = attrs.evolve(asked, zip_centroid=zip_centroid)
                if len(positional) > 1:
                    positional[1] = asked
                else:
                    kwargs["needs"] = asked
        elif kwargs.get("zip_centroid") is None:
            kwargs["zip_centroid"] = zip_centroid
        return call(*positional, **kwargs)

    return public


def _with_random_ids(core: Callable[P, R]) -> Callable[P, R]:
    """``core`` drawing :func:`new_referral_id` wherever the caller named no id source."""

    @functools.wraps(core)
    def public(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs.get("new_id") is None:
            kwargs["new_id"] = new_referral_id
        return core(*args, **kwargs)

    return public


#: :func:`deflectkit.core.matching.match` with the shipped ZIP table.
match = _with_shipped_zip_table(matching.match)
#: :func:`deflectkit.core.matching.search` with the shipped ZIP table.
search = _with_shipped_zip_table(matching.search)
#: :func:`deflectkit.core.followup.open_case` drawing random ids.
open_case = _with_random_ids(followup.open_case)
