"""Safe YAML loading for files written by strangers: limits, line marks, clear problems.

Provider files come from contributors we do not know. So loading is defensive:

* a size limit per file, a limit on nodes visited and on the characters they expand to,
  so a "billion laughs" file made of nested aliases (or one long value repeated by a
  thousand aliases) is refused after a bounded walk instead of eating the machine;
* a limit on nesting depth, so ``[[[[…`` is a clear problem, not a ``RecursionError``;
* only YAML's safe types (PyYAML's ``SafeLoader``, the C version when libyaml is present),
  and no tag other than YAML's own plain ones on any node: ``!!python/object:…`` on a
  mapping is refused with its line, not silently read as a mapping;
* only regular files are opened (a FIFO named ``x.yaml`` would block the reader forever);
* invalid UTF-8, UTF-16, NUL bytes, an empty file and duplicate mapping keys are problems,
  not surprises (PyYAML silently keeps the last of two equal keys);
* no message repeats a long value or source line whole: it is cut, saying how long it was;
* every value remembers where it stood, so later checks can say ``file:line:col`` and show
  the line with a caret under the spot.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs
import yaml

from deflectkit.errors import DataError, Problem, Severity, caret_snippet, shorten
from deflectkit.files.yaml_hints import plain_words
from deflectkit.structure import FieldPath, Issue

__all__ = [
    "LINE_BREAKS",
    "MAX_DEPTH",
    "MAX_EXPANDED_CHARS",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "FieldPath",
    "YamlDocument",
    "confined_link_problem",
    "format_field_path",
    "is_inside",
    "open_regular_file",
    "parse_yaml",
    "read_regular_file",
    "read_yaml",
    "walk_yaml",
]

#: Largest provider or policy file we read. Real ones are a few kilobytes.
MAX_FILE_BYTES: Final = 1_000_000
#: Most nodes visited while expanding a document, aliases counted each time they are used.
MAX_NODES: Final = 50_000
#: Most characters (keys and scalar values, aliases counted each time they are used) a
#: document may expand to: four times the largest file, so only repetition reaches it.
MAX_EXPANDED_CHARS: Final = 4 * MAX_FILE_BYTES
#: Deepest nesting of mappings and lists. Provider files nest four levels, policies a few
#: dozen; Python's own recursion limit (about a thousand) must never be the one that stops us.
MAX_DEPTH: Final = 100

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
    # Keys of each mapping node looked into, by the node's id: a file with 30,000 unknown
    # keys asks for 30,000 positions, and scanning the keys for each took minutes.
    _keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = attrs.field(
        factory=dict, init=False, repr=False, eq=False
    )

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> _Mark | None:
        """Line and column (1-based) of the node at ``path``, or of its nearest ancestor.

        With ``key=True`` the position of the mapping key is preferred, which is where an
        "unknown key" message should point.
        """
        node: yaml.Node = self._root
        key_node: yaml.Node | None = None
        for part in path:
            child = self._child(node, part)
            if child is None:
                key_node = None
                break
            key_node, node = child
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1, mark.column + 1

    def nodes(self, path: Sequence[str | int]) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The key node (``None`` in a list) and the value node at ``path``, if it is there.

        Their marks say where each stands in the text, for edits that keep everything else
        in the file as it was (``deflectkit migrate``).
        """
        found: tuple[yaml.Node | None, yaml.Node] = (None, self._root)
        for part in path:
            child = self._child(found[1], part)
            if child is None:
                return None
            found = child
        return found

    def _child(
        self, node: yaml.Node, part: str | int
    ) -> tuple[yaml.Node | None, yaml.Node] | None:
        """The ``(key node, value node)`` at ``part`` below ``node``, or ``None``."""
        if isinstance(node, yaml.MappingNode):
            keys = self._keys.get(id(node))
            if keys is None:
                keys = {}
                for key_node, value_node in node.value:  # the first of equal keys wins
                    if isinstance(key_node, yaml.ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
                self._keys[id(node)] = keys
            # keys were built from the scalar's text, or its int value
            return keys.get(str(part))
        items = node.value if isinstance(node, yaml.SequenceNode) else ()
        if isinstance(part, int) and 0 <= part < len(items):
            return None, items[part]
        return None

    def snippet(self, line: int, column: int) -> str | None:
        """The source line with a caret under ``column``, as compilers show it."""
        if not 1 <= line <= len(self.lines):
            return None
        return caret_snippet(self.lines[line - 1], column)

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

    def located(self, issue: Issue) -> Problem:
        """The :class:`Problem` for an :class:`~deflectkit.structure.Issue` of this document."""
        return self.problem(issue.path, issue.message, severity=issue.severity, key=issue.key)


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

    A link is followed only while it stays inside the folder it is in: a contributor's
    ``x.yaml -> /etc/passwd`` is refused, never read (nor quoted in a message).

    Raises:
        DataError: with exactly one :class:`Problem` saying what is wrong and where.
    """
    name = display or str(path)
    link = confined_link_problem(Path(path)) if os.path.islink(path) else None
    if link is not None:  # never read, nor quote, what a link leading away points at
        raise DataError([attrs.evolve(link, path=name)])
    data = read_regular_file(path, name, max_bytes)
    return parse_yaml(data, name, max_bytes=max_bytes, max_nodes=max_nodes)


def open_regular_file(path: str | Path, name: str) -> BinaryIO:
    """Open a regular file for reading in binary, else raise one :class:`DataError`.

    The file is opened without blocking and checked on the open handle, so a FIFO or a
    device named ``*.yaml`` (or ``*.csv``) is refused instead of hanging the reader, and a
    file swapped for one between a check and the open is caught too.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        problem = Problem(name, None, None, "", f"cannot read file: {exc.strerror}")
        raise DataError([problem]) from None
    handle = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        handle.close()
        message = "not a regular file (a pipe, device or socket): not read"
        raise DataError([Problem(name, None, None, "", message)])
    return handle


def read_regular_file(path: str | Path, name: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, else one :class:`DataError`."""
    with open_regular_file(path, name) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > max_bytes:
            raise DataError([Problem(name, None, None, "", _too_big(size, max_bytes))])
        try:
            data = handle.read(max_bytes + 1)  # one byte past the limit: it may have grown
        except OSError as exc:
            problem = Problem(name, None, None, "", f"cannot read file: {exc.strerror}")
            raise DataError([problem]) from None
    if len(data) > max_bytes:
        raise DataError([Problem(name, None, None, "", _too_big(len(data), max_bytes))])
    return data


YAML_SUFFIXES: Final = (".yaml", ".yml")
#: The characters YAML reads as a line break (YAML 1.1, which PyYAML reads).
LINE_BREAKS: Final = "\r\n\x85\u2028\u2029"


def walk_yaml(
    root: str | Path,
    *,
    visit: Callable[[Path, list[str], tuple[str, ...]], None] | None = None,
) -> tuple[list[tuple[Path, tuple[str, ...]]], list[Problem]]:
    """Every ``*.yaml``/``*.yml`` file under a folder, safely; and what could not be read.

    Each file comes with the folder names from ``root`` down to it (``root``'s own name
    first), sorted by path. The walk:

    * skips hidden files and folders (``.git``, and the ``.providers.import-…`` staging
      folder an interrupted import may leave behind: never read ahead of the real files);
    * never follows a link to a folder, and refuses a linked file whose target is outside
      ``root`` (a contributor's ``x.yaml -> /etc/passwd`` is a problem, not read);
    * reports a folder it cannot list (no permission) instead of silently skipping it.

    ``visit``, when given, is called once per folder read with the names of its files that
    are not hidden (YAML or not) and its folder names, so a caller can look at files the
    walk does not return (a provider saved as ``.YAML``, say) without walking again.
    """
    base = Path(root)
    top = os.path.realpath(base)
    found: list[tuple[str, Path, tuple[str, ...]]] = []
    problems: list[Problem] = []
    pending: list[tuple[Path, tuple[str, ...]]] = [(base, (Path(top).name,))]
    while pending:
        folder, names = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            message = f"cannot read this folder ({exc.strerror}): its files were not checked"
            problems.append(Problem(str(folder), None, None, "", message))
            continue
        files_here: list[str] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((path, (*names, entry.name)))
                continue
            files_here.append(entry.name)
            if entry.name.endswith(YAML_SUFFIXES):
                if entry.is_symlink() and not is_inside(os.path.realpath(path), top):
                    problems.append(_outside_link(path, root))
                    continue
                found.append((str(path), path, names))
        if visit is not None:
            visit(folder, files_here, names)
    found.sort(key=lambda item: item[0])  # comparing Path objects is several times slower
    return [(path, names) for _, path, names in found], problems


def confined_link_problem(path: Path) -> Problem | None:
    """For a file named directly: a problem if it is a link leading out of its own folder."""
    if not path.is_symlink():
        return None
    folder = os.path.realpath(path.parent)
    return None if is_inside(os.path.realpath(path), folder) else _outside_link(path, path.parent)


def is_inside(target: str, top: str) -> bool:
    """Whether the resolved path ``target`` is ``top`` or below it (both resolved)."""
    return target == top or target.startswith(top.rstrip(os.sep) + os.sep)


def _outside_link(path: Path, root: str | Path) -> Problem:
    message = (
        f"a link to a file outside {shorten(str(root), 80)}: not followed (put the file "
        "itself here)"
    )
    return Problem(str(path), None, None, "", message)


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
        message = f"not valid YAML: {shorten(str(exc), 200)}"
        raise DataError([Problem(name, None, None, "", message)]) from None
    except RecursionError:  # the pure-Python composer recurses once per level
        raise DataError([_too_deep(text, name, lines)]) from None
    finally:
        loader.dispose()
    if node is None:
        raise DataError([Problem(name, None, None, "", "the file is empty")])
    value = _Builder(name, lines, max_nodes, loader).build(node)
    return YamlDocument(name, value, lines, root=node)


def _too_deep(text: str, name: str, lines: tuple[str, ...]) -> Problem:
    """The problem for a document nested deeper than :data:`MAX_DEPTH`, at its line.

    Found by counting start and end events, which needs no recursion at all (with the
    pure-Python parser: libyaml's stops at its own nesting limit before we get there).
    """
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH and event.start_mark is not None:
                    line, column = event.start_mark.line + 1, event.start_mark.column + 1
                    snippet = caret_snippet(lines[line - 1], column) if line <= len(lines) else None
                    return Problem(name, line, column, "", _DEEP_MESSAGE, snippet=snippet)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return Problem(name, None, None, "", _DEEP_MESSAGE)


_DEEP_MESSAGE: Final = (
    f"lists and mappings are nested more than {MAX_DEPTH} levels deep; refusing to read "
    "the file (no provider or policy needs so many)"
)


def _too_big(size: int, limit: int) -> str:
    return (f"file is {size:,} bytes; the limit is {limit:,} (no provider, policy or test file"
            " needs so much; is it the right file?)")


def _decode(data: bytes | str, name: str, max_bytes: int) -> str:
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise DataError([Problem(name, None, None, "", _too_big(len(raw), max_bytes))])
    if _is_utf16_or_32(raw):
        msg = "the file is UTF-16 or UTF-32 text: save it as UTF-8 (most editors offer it)"
        raise DataError([Problem(name, None, None, "", msg)])
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


def _is_utf16_or_32(raw: bytes) -> bool:
    """A byte-order mark, or the NUL between ASCII letters that UTF-16 text is full of."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return True
    head = raw[:64]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return False
    evens, odds = head[0::2], head[1::2]
    return evens.count(0) * 2 >= len(evens) or odds.count(0) * 2 >= len(odds)


def _syntax_problem(exc: yaml.MarkedYAMLError, name: str, lines: tuple[str, ...]) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if "could not find expected ':'" in str(exc.problem or "") and exc.context_mark:
        # The parser notices only on the next line; the line without its ':' is where the
        # key began, and the message names it: the position (and a CI annotation) goes there.
        mark = exc.context_mark
    what = exc.problem or "syntax error"
    if exc.context:
        what = f"{what} ({exc.context})"
    message = f"not valid YAML: {plain_words(exc, lines) or what}"
    if mark is None:
        return Problem(name, None, None, "", message)
    line, column = mark.line + 1, mark.column + 1
    snippet = caret_snippet(lines[line - 1], column) if 1 <= line <= len(lines) else None
    return Problem(name, line, column, "", message, snippet=snippet)


def _reason(exc: yaml.YAMLError) -> str:
    """PyYAML's complaint on one line, without its own (less precise) position."""
    problem = getattr(exc, "problem", None)
    return shorten(str(problem) if problem else " ".join(str(exc).split()), 200)


_STR_TAG: Final = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG: Final = "tag:yaml.org,2002:timestamp"
_INT_TAG: Final = "tag:yaml.org,2002:int"
#: Longer whole numbers are refused before Python is asked to convert them (its own limit
#: is 4,300 digits, with a message about ``sys.set_int_max_str_digits``).
_MAX_INT_CHARS: Final = 100
#: Some character on some line that is not blank and not a comment. A line starts after
#: any of YAML's line breaks, not only LF: a file saved with CR line ends whose first line
#: is a comment was called empty.
_CONTENT: Final = re.compile(f"(?:^|(?<=[{LINE_BREAKS}]))[ \t]*[^\\s#]", re.MULTILINE)
_MERGE_TAG: Final = "tag:yaml.org,2002:merge"
#: The only tags a node may carry: YAML's plain types. Anything else (``!!python/…``,
#: ``!!binary``, ``!!set``, a local ``!tag``) is refused wherever it stands.
_PLAIN_TAGS: Final = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge")
)


class _Builder:
    """Turns a composed node tree into plain values, within budgets of nodes and characters."""

    def __init__(self, name: str, lines: tuple[str, ...], max_nodes: int, loader: Any) -> None:
        self.name = name
        self.lines = lines
        self.budget = max_nodes
        self.chars = MAX_EXPANDED_CHARS
        self.loader = loader

    def _fail(self, node: yaml.Node, message: str) -> DataError:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        snippet = None
        if 1 <= line <= len(self.lines):
            snippet = caret_snippet(self.lines[line - 1], column)
        return DataError([Problem(self.name, line, column, "", message, snippet=snippet)])

    def _refuse(self, node: yaml.Node, depth: int) -> None:
        """Refuse the document when a budget has run out, or ``node`` is not allowed."""
        if self.budget < 0:
            raise self._fail(
                node,
                "document expands to too many values (nested aliases?); refusing to load it",
            )
        if self.chars < 0:
            raise self._fail(
                node,
                f"document expands to more than {MAX_EXPANDED_CHARS:,} characters "
                "(a long value repeated by aliases?); refusing to load it",
            )
        if depth > MAX_DEPTH:
            raise self._fail(node, _DEEP_MESSAGE)
        if node.tag not in _PLAIN_TAGS:
            tag = shorten(str(node.tag).replace("tag:yaml.org,2002:", "!!"), 60)
            raise self._fail(
                node,
                f"the tag {tag!r} is not allowed: write plain values (text, numbers, true/"
                "false, dates, lists and mappings) without tags",
            )
        if node.tag == _INT_TAG and len(node.value) > _MAX_INT_CHARS:
            raise self._fail(
                node, f"a whole number of {len(node.value):,} characters is far too long"
            )

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        # This runs once per value of every file: the common case (plain text within
        # budget) takes the fewest steps; anything else goes through _refuse.
        self.budget -= 1
        kind = type(node)
        if kind is yaml.ScalarNode:
            self.chars -= len(node.value)
            if node.tag == _STR_TAG and self.budget >= 0 and self.chars >= 0:
                return node.value  # SafeConstructor would return node.value all the same
            self._refuse(node, depth)
            if node.tag == _STR_TAG:
                return node.value
            try:
                return self.loader.construct_object(node, deep=True)
            except yaml.YAMLError as exc:
                raise self._fail(node, f"cannot read value: {_reason(exc)}") from None
            except Exception as exc:  # 2026-02-30, `!!int ""`: PyYAML fails with plain errors
                what = "a real date" if node.tag == _TIMESTAMP_TAG else "readable"
                value = shorten(node.value, 40)
                raise self._fail(
                    node, f"{value!r} is not {what} ({shorten(str(exc), 120)})"
                ) from None
        self._refuse(node, depth)
        if kind is yaml.MappingNode:
            return self._mapping(node, depth)
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: yaml.Node, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise self._fail(key_node, "merge keys ('<<') are not supported; write keys out")
            if type(key_node) is not yaml.ScalarNode:
                raise self._fail(key_node, "a key must be a plain word, not a list or mapping")
            self.chars -= len(key_node.value)  # a key counts for its characters, not a node
            if key_node.tag == _STR_TAG:
                key = key_node.value
            else:
                self._refuse(key_node, depth + 1)
                try:
                    key = self.loader.construct_object(key_node)
                except yaml.YAMLError as exc:  # e.g. an unknown tag such as `!x: 1`
                    raise self._fail(key_node, f"cannot read key: {_reason(exc)}") from None
                except Exception as exc:  # a key like 2026-02-30 or `!!int`
                    shown = shorten(key_node.value, 40)
                    message = f"cannot read key {shown!r}: {shorten(str(exc), 120)}"
                    raise self._fail(key_node, message) from None
                if not isinstance(key, str | int) or isinstance(key, bool):
                    key = str(key_node.value)
            if key in out:
                shown = shorten(str(key), 40)
                raise self._fail(key_node, f"duplicate key {shown!r}: each key may appear once")
            out[key] = self.build(value_node, depth + 1)
        return out
