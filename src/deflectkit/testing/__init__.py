"""Helpers for people who test their own deflection policy (filled in below)."""

from __future__ import annotations

__all__: list[str] = []
