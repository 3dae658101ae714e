"""Word (.docx) downloads of the toolkit pages, built from the same Markdown as the pages.

Each page in ``docs/toolkit/`` (its index excepted) is rendered to HTML with the site's own
Markdown extensions, and that HTML is written into a Word document: headings, paragraphs,
lists, tables, notes and form fields (a fieldset's radio buttons become tick boxes). The page
and its download therefore never drift apart. The document follows the page's print view:
anything marked ``dk-no-print`` is left out, and a heading marked ``dk-new-page`` starts a
new page.

Plain library code with no MkDocs import: the MkDocs plugin adds the documents to the build
(:mod:`deflectkit.site.plugin`); other engines can call :func:`toolkit_downloads` themselves.

Example:
    >>> files = toolkit_downloads("docs")  # doctest: +SKIP
    >>> files[0].path  # doctest: +SKIP
    'toolkit/downloads/consent.docx'
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs

from deflectkit.site.output import GeneratedFile

__all__ = [
    "DEFAULT_EXTENSIONS",
    "DOWNLOADS_DIR",
    "TOOLKIT_DIR",
    "docx_headings",
    "render_docx",
    "toolkit_downloads",
    "toolkit_pages",
]

#: Folder of the toolkit pages, relative to the docs folder.
TOOLKIT_DIR = "toolkit"
#: Where the documents go in the built site, relative to the docs folder.
DOWNLOADS_DIR = "toolkit/downloads"
#: The Markdown extensions the site uses for prose pages (``markdown_extensions`` in mkdocs.yml).
DEFAULT_EXTENSIONS: tuple[str, ...] = ("admonition", "attr_list", "md_in_html", "tables", "toc")

_VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_SKIP = frozenset({"script", "style", "link", "hr"})
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
_BLOCKS = frozenset(
    {"p", "ul", "ol", "table", "div", "blockquote", "fieldset", "pre", "section", "details"}
    | _HEADINGS.keys()
)
_BOX = "\u2610"  # an empty ballot box: a tick box on paper
_FOOTER = "From the deflectkit toolkit: a model to adapt, not legal advice."


@attrs.define
class _Node:
    """One HTML element (or a text run when ``tag`` is empty) of the rendered page."""

    tag: str
    attributes: dict[str, str] = attrs.Factory(dict)
    children: list[_Node] = attrs.Factory(list)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attributes.get("class", "").split())


class _TreeBuilder(HTMLParser):
    """Builds a :class:`_Node` tree; tolerant of the unclosed void tags raw HTML may hold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID:
            self._stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching open tag; a stray end tag is ignored.
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(_Node("", text=data))


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _text(node: _Node) -> str:
    """The visible text of a node, spaces folded, permalink marks left out."""
    if not node.tag:
        return node.text
    if node.tag in _SKIP or "headerlink" in node.classes or "dk-no-print" in node.classes:
        return ""
    return "".join(_text(child) for child in node.children)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _html(markdown_text: str, extensions: Sequence[Any], configs: Mapping[str, Any]) -> str:
    import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type hints

    return str(
        markdown.markdown(
            markdown_text, extensions=list(extensions), extension_configs=dict(configs)
        )
    )


class _Writer:
    """Walks the page's HTML tree and writes the Word document."""

    def __init__(self) -> None:
        from docx import Document

        self.doc = Document()
        # Looking a style up by name scans the whole style sheet: do it once per style.
        self._styles: dict[str, Any] = {}

    def _style(self, name: str | None) -> Any:
        if name is None:
            return None
        if name not in self._styles:
            self._styles[name] = self.doc.styles[name]
        return self._styles[name]

    # -- inline text -------------------------------------------------------------------------

    def _runs(self, paragraph: Any, node: _Node, *, bold: bool = False, italic: bool = False,
              code: bool = False) -> None:
        for child in node.children:
            if not child.tag:
                text = re.sub(r"\s+", " ", child.text)
                if text:
                    run = paragraph.add_run(text)
                    run.bold, run.italic = bold or None, italic or None
                    if code:
                        run.font.name = "Courier New"
                continue
            if child.tag in _SKIP or "headerlink" in child.classes:
                continue
            if "dk-no-print" in child.classes:
                continue
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag == "input":
                paragraph.add_run(_BOX + " ")
            elif child.tag == "a":
                self._runs(paragraph, child, bold=bold, italic=italic, code=code)
                href = child.attributes.get("href", "")
                label = _fold(_text(child))
                if href.startswith(("http://", "https://")) and label != href:
                    paragraph.add_run(f" ({href})")
            else:
                self._runs(
                    paragraph,
                    child,
                    bold=bold or child.tag in {"strong", "b", "legend"},
                    italic=italic or child.tag in {"em", "i"},
                    code=code or child.tag == "code",
                )

    def _paragraph(self, node: _Node, style: str | None = None) -> None:
        if not _fold(_text(node)):
            return
        paragraph = self.doc.add_paragraph(style=self._style(style))
        self._runs(paragraph, node)
        _strip_edges(paragraph)

    # -- blocks --------------------------------------------------------------------------------

    def block(self, node: _Node, list_level: int = 0) -> None:
        if node.tag in _SKIP or "dk-no-print" in node.classes:
            return
        if node.tag in _HEADINGS:
            self._heading(node)
        elif node.tag in {"ul", "ol"}:
            self._list(node, list_level)
        elif node.tag == "table":
            self._table(node)
        elif node.tag == "fieldset":
            self._fieldset(node)
        elif node.tag == "blockquote":
            for child in _block_children(node):
                if child.tag == "p":
                    self._paragraph(child, "Quote")
                else:
                    self.block(child)
        elif node.tag == "p":
            style = "Intense Quote" if "admonition-title" in node.classes else None
            self._paragraph(node, style)
        elif node.tag in _BLOCKS or node.tag == "root":
            for child in _block_children(node):
                self.block(child, list_level)
        elif _fold(_text(node)):
            self._paragraph(_Node("p", children=[node]))

    def _heading(self, node: _Node) -> None:
        level = _HEADINGS[node.tag]
        style = self._style("Title" if level == 0 else f"Heading {level}")
        heading = self.doc.add_paragraph(_fold(_text(node)), style=style)
        # As in print (docs/assets/toolkit/toolkit.css): the section starts a new page.
        heading.paragraph_format.page_break_before = "dk-new-page" in node.classes

    def _list(self, node: _Node, level: int) -> None:
        kind = "List Number" if node.tag == "ol" else "List Bullet"
        style = kind if level == 0 else f"{kind} {min(level + 1, 3)}"
        for item in (c for c in node.children if c.tag == "li"):
            inline = _Node("li", children=[c for c in item.children if c.tag not in _BLOCKS])
            paragraphs = [c for c in item.children if c.tag == "p"]
            first = paragraphs[0] if paragraphs and not _fold(_text(inline)) else inline
            self._paragraph(first, style)
            for child in item.children:
                if child.tag in {"ul", "ol"}:
                    self._list(child, level + 1)
                elif child.tag in _BLOCKS and child is not first:
                    self.block(child, level + 1)

    def _table(self, node: _Node) -> None:
        rows = [r for r in _descendants(node) if r.tag == "tr"]
        cells = [[c for c in r.children if c.tag in {"th", "td"}] for r in rows]
        width = max((len(r) for r in cells), default=0)
        if width == 0:
            return
        table = self.doc.add_table(rows=len(cells), cols=width)
        table.style = self._style("Table Grid")
        for row, row_cells in zip(table.rows, cells, strict=True):
            for cell, source in zip(row.cells, row_cells, strict=False):
                paragraph = cell.paragraphs[0]
                self._runs(paragraph, source, bold=source.tag == "th")
                _strip_edges(paragraph)

    def _fieldset(self, node: _Node) -> None:
        """A form question: the legend in bold, then its choices as tick boxes on one line."""
        legend = next((c for c in node.children if c.tag == "legend"), None)
        if legend is not None:
            self._paragraph(legend)
        choices = [_fold(_text(label)) for label in _descendants(node) if label.tag == "label"]
        if choices:
            self.doc.add_paragraph("    ".join(f"{_BOX} {c}" for c in choices))

    def finish(self, title: str) -> bytes:
        self.doc.core_properties.title = title
        self.doc.sections[0].footer.paragraphs[0].text = _FOOTER
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def _block_children(node: _Node) -> Iterator[_Node]:
    """Children of a container, loose text and inline elements wrapped as paragraphs."""
    loose: list[_Node] = []
    for child in node.children:
        if child.tag in _BLOCKS or child.tag in _SKIP:
            if loose:
                yield _Node("p", children=loose)
                loose = []
            yield child
        else:
            loose.append(child)
    if loose:
        yield _Node("p", children=loose)


def _descendants(node: _Node) -> Iterator[_Node]:
    for child in node.children:
        yield child
        yield from _descendants(child)


def _strip_edges(paragraph: Any) -> None:
    """Trim the space Markdown leaves at the start and end of a paragraph's runs."""
    runs = [r for r in paragraph.runs if r.text]
    if runs:
        runs[0].text = runs[0].text.lstrip()
        runs[-1].text = runs[-1].text.rstrip()


def render_docx(
    markdown_text: str,
    *,
    extensions: Sequence[Any] = DEFAULT_EXTENSIONS,
    extension_configs: Mapping[str, Any] | None = None,
) -> bytes:
    """A Word document with the content of one Markdown page, as its print view shows it.

    Args:
        markdown_text: the page's Markdown source.
        extensions: Markdown extensions to render it with (the site's own, for a faithful copy).
        extension_configs: their options, as in ``mdx_configs``.

    Returns:
        The ``.docx`` file's bytes.
    """
    tree = _parse(_html(markdown_text, extensions, extension_configs or {}))
    writer = _Writer()
    writer.block(tree)
    title = next((_fold(_text(n)) for n in _descendants(tree) if n.tag == "h1"), "")
    return writer.finish(title)


def docx_headings(document: bytes) -> list[tuple[int, str]]:
    """The headings of a ``.docx`` file, as (level, text); the title is level 1.

    Args:
        document: the file's bytes.

    Returns:
        One pair per heading paragraph, in document order.
    """
    from docx import Document

    found = []
    for paragraph in Document(io.BytesIO(document)).paragraphs:
        name = paragraph.style.name if paragraph.style is not None else ""
        if name == "Title":
            found.append((1, paragraph.text))
        elif name.startswith("Heading "):
            found.append((int(name.split()[1]) + 1, paragraph.text))
    return found


def toolkit_pages(docs_dir: str | Path) -> list[Path]:
    """The toolkit pages that get a Word download: every ``toolkit/*.md`` but the index."""
    folder = Path(docs_dir) / TOOLKIT_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != "index.md")


def toolkit_downloads(
    docs_dir: str | Path,
    *,
    extensions: Sequence[Any] = DEFAULT_EXTENSIONS,
    extension_configs: Mapping[str, Any] | None = None,
) -> list[GeneratedFile]:
    """One ``toolkit/downloads/<page>.docx`` per toolkit page, from the page's Markdown.

    Args:
        docs_dir: the site's docs folder.
        extensions: Markdown extensions (pass the site's ``markdown_extensions``).
        extension_configs: their options (the site's ``mdx_configs``).

    Returns:
        The generated files, in page order (none if the folder has no toolkit).
    """
    return [
        GeneratedFile(
            f"{DOWNLOADS_DIR}/{page.stem}.docx",
            render_docx(
                page.read_text(encoding="utf-8"),
                extensions=extensions,
                extension_configs=extension_configs,
            ),
        )
        for page in toolkit_pages(docs_dir)
    ]
