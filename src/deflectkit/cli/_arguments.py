"""Argument types shared by the commands, so every command reads a date the same way."""

from __future__ import annotations

import argparse
import datetime as dt

__all__ = ["iso_date"]


def iso_date(text: str) -> dt.date:
    """An argparse ``type`` for ``YYYY-MM-DD``; a bad value is a one-line usage error (exit 2)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from None
