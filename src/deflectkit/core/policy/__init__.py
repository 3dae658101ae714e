"""Eligibility as data: the policy model, its compiler, and decisions.

The file format: docs/design/formats.md#policy-files.

* :mod:`.model` — the frozen :class:`~.model.Policy` and its parts;
* :mod:`.expressions` — the closed condition language and its operator table;
* :mod:`.reading`, :mod:`.build` — plain data to a checked, compiled policy;
* :mod:`.compiler` — conditions to closures, once; :mod:`.facts` — checking facts;
* :mod:`.forms` — form text to typed facts (:func:`~.forms.parse_facts`); :mod:`.text` —
  text to a fact's type, one reader for forms and encounter files;
* :mod:`.evaluate` — :func:`~.evaluate.assess`; :mod:`.decision` — the decision and its JSON;
* :mod:`.expect` — comparing a decision with a test's expectations;
* :mod:`.lint`, :mod:`.diff` — review aids; :mod:`.schema` — JSON Schemas for editors;
* :mod:`.serialize` — a policy back to plain data and JSON.

Submodules are imported on use; importing this package loads nothing.
"""

from __future__ import annotations

__all__ = [
    "build", "compiler", "decision", "diff", "evaluate", "expect", "expressions", "facts", "forms",
    "lint", "model", "reading", "schema", "serialize", "text",
]
