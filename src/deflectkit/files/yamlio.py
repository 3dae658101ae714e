"""Safe YAML loading for files written by strangers: limits, line marks, clear problems.

Provider files come from contributors we do not know. So loading is defensive:

* a size limit per file and a limit on nodes visited, so a "billion laughs" file made of
  nested aliases is refused after a bounded walk instead of eating the machine;
* only YAML's safe types (PyYAML's ``SafeLoader``, the C version when libyaml is present);
* invalid UTF-8, NUL bytes, an empty file and duplicate mapping keys are problems, not
  surprises (PyYAML silently keeps the last of two equal keys);
* every value remembers where it stood, so later checks can say ``file:line:col`` and show
  the line with a caret under the spot.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import yaml

from deflectkit.errors import DataError, Problem, Severity
from deflectkit.files.yaml_hints import plain_words

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "FieldPath",
    "YamlDocument",
    "format_field_path",
    "parse_yaml",
    "read_yaml",
]

#: Largest provider or policy file we read. Real ones are a few kilobytes.
MAX_FILE_BYTES: Final = 1_000_000
#: Most nodes visited while expanding a document, aliases counted each time they are used.
MAX_NODES: Final = 50_000

#: The C loader is ten times faster; fall back to pure Python where libyaml is missing.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """The safe loader with a leaner resolver: no path resolvers are ever registered.

    The C parser calls these three methods back in Python for every node, so trimming the
    unused path-resolver bookkeeping makes composing about a sixth faster. Tags come out
    exactly as PyYAML's own resolver gives them.
    """

    _implicit = _BaseLoader.yaml_implicit_resolvers

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """The implicit tag of a node, as :meth:`yaml.resolver.BaseResolver.resolve`."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self._implicit.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return "tag:yaml.org,2002:str"
        if kind is yaml.SequenceNode:
            return "tag:yaml.org,2002:seq"
        return "tag:yaml.org,2002:map"

FieldPath = tuple[str | int, ...]
_Mark = tuple[int, int]


def format_field_path(path: Sequence[str | int]) -> str:
    """Render a path inside a document the way contributors read it: ``phones[1].number``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@attrs.frozen
class YamlDocument:
    """A parsed YAML file: its plain Python value and where each part of it stood.

    Attributes:
        path: the file name as the user gave it (used in every message).
        value: the document as plain dicts, lists and scalars (YAML dates become ``date``).
        lines: the source lines, to quote in messages.
    """

    path: str
    value: Any
    lines: tuple[str, ...] = attrs.field(repr=False)
    # The composed node tree: positions are looked up in it only when a problem needs one,
    # so loading a valid file pays nothing for them (most files are valid).
    _root: yaml.Node = attrs.field(repr=False, eq=False, alias="root")

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> _Mark | None:
        """Line and column (1-based) of the node at ``path``, or of its nearest ancestor.

        With ``key=True`` the position of the mapping key is preferred, which is where an
        "unknown key" message should point.
        """
        node: yaml.Node = self._root
        key_node: yaml.Node | None = None
        for part in path:
            child = _child(node, part)
            if child is None:
                key_node = None
                break
            key_node, node = child
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1, mark.column + 1

    def snippet(self, line: int, column: int) -> str | None:
        """The source line with a caret under ``column``, as compilers show it."""
        if not 1 <= line <= len(self.lines):
            return None
        text = self.lines[line - 1].rstrip("\n")
        return f"  {text}\n  {' ' * (column - 1)}^"

    def problem(
        self,
        path: Sequence[str | int],
        message: str,
        *,
        severity: Severity = "error",
        key: bool = False,
    ) -> Problem:
        """A :class:`Problem` at ``path``, with file, line, column and a caret snippet."""
        mark = self.locate(path, key=key)
        line, column = mark if mark else (None, None)
        snippet = self.snippet(line, column) if line and column else None
        return Problem(
            self.path, line, column, format_field_path(path), message, severity, snippet
        )


def read_yaml(
    path: str | Path,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_nodes: int = MAX_NODES,
    display: str | None = None,
) -> YamlDocument:
    """Read and parse one YAML file safely.

    Args:
        path: the file.
        max_bytes: refuse larger files without parsing them.
        max_nodes: refuse documents whose expansion visits more nodes than this.
        display: the name to use in messages (defaults to ``str(path)``).

    Raises:
        DataError: with exactly one :class:`Problem` saying what is wrong and where.
    """
    name = display or str(path)
    file = Path(path)
    try:
        with file.open("rb") as handle:  # read one byte past the limit: no separate stat
            data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                size = os.fstat(handle.fileno()).st_size
                raise DataError([Problem(name, None, None, "", _too_big(size, max_bytes))])
    except OSError as exc:
        problem = Problem(name, None, None, "", f"cannot read file: {exc.strerror}")
        raise DataError([problem]) from None
    return parse_yaml(data, name, max_bytes=max_bytes, max_nodes=max_nodes)


def parse_yaml(
    data: bytes | str,
    name: str = "<string>",
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_nodes: int = MAX_NODES,
) -> YamlDocument:
    """Parse YAML from bytes or text; see :func:`read_yaml` for the checks made."""
    text = _decode(data, name, max_bytes)
    if not _CONTENT.search(text):
        raise DataError([Problem(name, None, None, "", "the file is empty")])
    lines = tuple(text.splitlines())
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise DataError([_syntax_problem(exc, name, lines)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(name, None, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise DataError([Problem(name, None, None, "", "the file is empty")])
    value = _Builder(name, lines, max_nodes, loader).build(node)
    return YamlDocument(name, value, lines, root=node)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    """The ``(key node, value node)`` at ``part`` below ``node``, or ``None``."""
    if isinstance(node, yaml.MappingNode):
        wanted = str(part)  # keys were built from the scalar's text, or its int value
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == wanted:
                return key_node, value_node
        return None
    items = node.value if isinstance(node, yaml.SequenceNode) else ()
    if isinstance(part, int) and 0 <= part < len(items):
        return None, items[part]
    return None


def _too_big(size: int, limit: int) -> str:
    return f"file is {size:,} bytes; the limit is {limit:,} (is this really one provider?)"


def _decode(data: bytes | str, name: str, max_bytes: int) -> str:
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise DataError([Problem(name, None, None, "", _too_big(len(raw), max_bytes))])
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        msg = "the file contains a NUL byte; it is binary or damaged, not YAML text"
        raise DataError([Problem(name, line, None, "", msg)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        msg = (
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 text"
        )
        raise DataError([Problem(name, line, column, "", msg)]) from None
    return text


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, lines: tuple[str, ...]) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "syntax error"
    if exc.context:
        what = f"{what} ({exc.context})"
    message = f"not valid YAML: {plain_words(exc, lines) or what}"
    if mark is None:
        return Problem(name, None, None, "", message)
    line, column = mark.line + 1, mark.column + 1
    snippet = None
    if 1 <= line <= len(lines):
        snippet = f"  {lines[line - 1]}\n  {' ' * (column - 1)}^"
    return Problem(name, line, column, "", message, snippet=snippet)


def _reason(exc: yaml.YAMLError) -> str:
    """PyYAML's complaint on one line, without its own (less precise) position."""
    problem = getattr(exc, "problem", None)
    return str(problem) if problem else " ".join(str(exc).split())


_STR_TAG: Final = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG: Final = "tag:yaml.org,2002:timestamp"
#: Some character on some line that is not blank and not a comment.
_CONTENT: Final = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"


class _Builder:
    """Turns a composed node tree into plain values, within a budget of nodes visited."""

    def __init__(self, name: str, lines: tuple[str, ...], max_nodes: int, loader: Any) -> None:
        self.name = name
        self.lines = lines
        self.budget = max_nodes
        self.loader = loader

    def _fail(self, node: yaml.Node, message: str) -> DataError:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        snippet = None
        if 1 <= line <= len(self.lines):
            snippet = f"  {self.lines[line - 1]}\n  {' ' * (column - 1)}^"
        return DataError([Problem(self.name, line, column, "", message, snippet=snippet)])

    def build(self, node: yaml.Node) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise self._fail(
                node,
                "document expands to too many values (nested aliases?); refusing to load it",
            )
        kind = type(node)
        if kind is yaml.ScalarNode:
            # Most scalars are plain text: skip the constructor's bookkeeping for them
            # (SafeConstructor would return node.value all the same).
            if node.tag == _STR_TAG:
                return node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                raise self._fail(node, f"cannot read value: {_reason(exc)}") from None
            except Exception as exc:  # 2026-02-30, `!!int ""`: PyYAML fails with plain errors
                what = "a real date" if node.tag == _TIMESTAMP_TAG else "readable"
                raise self._fail(node, f"{node.value!r} is not {what} ({exc})") from None
        if kind is yaml.MappingNode:
            return self._mapping(node)
        return [self.build(item) for item in node.value]

    def _mapping(self, node: yaml.Node) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self._fail(key_node, "merge keys ('<<') are not supported; write keys out")
            if type(key_node) is not yaml.ScalarNode:
                raise self._fail(key_node, "a key must be a plain word, not a list or mapping")
            if key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                try:
                    key = self.loader.construct_object(key_node)
                except yaml.YAMLError as exc:  # e.g. an unknown tag such as `!x: 1`
                    raise self._fail(key_node, f"cannot read key: {_reason(exc)}") from None
                except Exception as exc:  # a key like 2026-02-30 or `!!int`
                    message = f"cannot read key {key_node.value!r}: {exc}"
                    raise self._fail(key_node, message) from None
                if not isinstance(key, str | int) or isinstance(key, bool):
                    key = str(key_node.value)
            if key in out:
                raise self._fail(key_node, f"duplicate key {key!r}: each key may appear once")
            out[key] = self.build(value_node)
        return out
