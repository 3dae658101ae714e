"""Argument types shared by the commands, so every command reads a date the same way."""

from __future__ import annotations

import argparse
import datetime as dt

from deflectkit.errors import shorten

__all__ = ["iso_date", "moment_problem"]


def moment_problem(moment: dt.datetime, option: str) -> str | None:
    """Why a parsed ``--at``/``--now`` cannot be used (a year out of range), or ``None``."""
    from deflectkit.core.localtime import SUPPORTED_YEARS  # the library's rule; loaded late

    if moment.year in SUPPORTED_YEARS:
        return None
    first, last = SUPPORTED_YEARS[0], SUPPORTED_YEARS[-1]
    return f"{option}: {moment.isoformat()} is out of range: give a year from {first} to {last}"


def iso_date(text: str) -> dt.date:
    """An argparse ``type`` for ``YYYY-MM-DD``; a bad value is a one-line usage error (exit 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {shorten(text, 40)!r}"
        raise argparse.ArgumentTypeError(msg) from None
