"""What page builders hand to the site generator: files to write under the generated folder."""

from __future__ import annotations

import attrs

__all__ = ["GeneratedFile"]


@attrs.frozen
class GeneratedFile:
    """One generated file.

    Attributes:
        path: POSIX path relative to the generated docs folder, e.g. ``providers/x.md``.
        content: text (written as UTF-8) or bytes (SVG, JSON written as is).
    """

    path: str
    content: str | bytes
