"""Griffe extension for the API reference: docstrings as deflectkit writes them, rendered well.

deflectkit's docstrings use Google style with an ``Example:`` heading (style guide §5), and
some name other objects with Sphinx roles (``:func:`open_case```). Griffe's Google parser
knows only ``Examples:`` as the examples section and renders ``Example:`` as a generic
admonition, where the ``>>>`` prompts become nested block quotes; Markdown shows the roles
literally. While the reference is built, this extension renames the heading, so examples
render as code, and turns each role into inline code (``~a.b.C`` shows as ``C``, as Sphinx
would); the docstrings themselves stay as they are.

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
_ROLE = re.compile(r":(?:func|meth|class|attr|data|mod|obj|exc):`~?([^`]+)`")


def _role(match: re.Match[str]) -> str:
    target = match.group(1)
    shown = target.rsplit(".", 1)[-1] if match.group(0).count("`~") else target
    return f"`{shown}`"


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` headings and show Sphinx roles as code in every docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the heading before the docstring is parsed."""
        if obj.docstring is not None:
            text = _HEADING.sub(r"\1Examples:", obj.docstring.value)
            obj.docstring.value = _ROLE.sub(_role, text)
