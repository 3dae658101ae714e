"""Griffe extension for the API reference: read ``Example:`` sections as doctest examples.

deflectkit's docstrings use Google style with an ``Example:`` heading (style guide §5).
Griffe's Google parser knows only ``Examples:`` as the examples section and renders
``Example:`` as a generic admonition, where the ``>>>`` prompts become nested block quotes.
This extension renames the heading while the reference is built, so the examples render as
code; the docstrings themselves stay as they are.

Used from ``mkdocs.yml``::

    plugins:
      - mkdocstrings:
          handlers:
            python:
              options:
                extensions: [tools/griffe_examples.py:ExampleSections]
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["ExampleSections"]

_HEADING = re.compile(r"^(\s*)Example:[ \t]*$", re.MULTILINE)


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` headings to ``Examples:`` in every loaded docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the heading before the docstring is parsed."""
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
