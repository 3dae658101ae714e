"""Eligibility as data: the policy model, its compiler, and decisions (DESIGN §5-§7).

* :mod:`.model` — the frozen :class:`Policy` and its parts;
* :mod:`.expressions` — the closed condition language and its operator table;
* :mod:`.build` — plain data to a checked, compiled policy;
* :mod:`.compiler` — conditions to closures, once;
* :mod:`.evaluate` — :func:`assess`;
* :mod:`.decision` — the :class:`Decision` and its JSON;
* :mod:`.lint`, :mod:`.diff` — review aids; :mod:`.schema` — JSON Schemas for editors.

Submodules are imported on use; importing this package loads nothing heavy.
"""

from __future__ import annotations

__all__ = ["build", "compiler", "decision", "evaluate", "expressions", "facts", "model"]
