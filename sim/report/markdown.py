"""``report.md``: the analyst's summary as CommonMark with pipe tables.

The content comes from :func:`sim.report.document.build_document`; this module only
writes it as Markdown. Names from the scenario are free text, so every piece of text is
escaped: a line called ``a|b`` must not split a table cell, nor ``*x*`` turn italic.
"""

from __future__ import annotations

import re
from typing import Any

from sim.report.blocks import (
    Block,
    Bullets,
    Document,
    Figure,
    Image,
    Inline,
    Link,
    Paragraph,
)
from sim.report.document import build_document
from sim.report.tables import Table
from sim.runs.montecarlo import Run

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def render_markdown(run: Run, report: dict[str, Any], figures: list[Figure]) -> str:
    """The report of `run` as Markdown; figures are linked relative to the output folder."""
    return markdown_from_document(build_document(run, report, figures))


def markdown_from_document(document: Document) -> str:
    """Any :class:`Document` (a run's report, a comparison) as Markdown."""
    chunks = [f"# {_escape(document.title)}", *map(_block, document.introduction)]
    for section in document.sections:
        chunks.append(f"{'#' * section.level} {_escape(section.title)}")
        chunks.extend(_block(block) for block in section.blocks)
    return "\n\n".join(chunks) + "\n"


def _escape(text: str) -> str:
    """Backslash-escape the characters Markdown would read as syntax."""
    return _SPECIAL.sub(r"\\\1", text)


def _address(url: str) -> str:
    """A URL safe inside ``<…>``: the characters that would end it are percent-encoded."""
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20").replace("\n", "")


def _inline(parts: tuple[Inline, ...]) -> str:
    return "".join(
        f"[{_escape(part.text)}](<{_address(part.url)}>)"
        if isinstance(part, Link)
        else _escape(part)
        for part in parts
    )


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return _inline(block.parts)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_inline(item)}" for item in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        figure = block.figure
        return f"![{_escape(figure.title)}]({figure.path})\n\n*{_escape(figure.caption)}*"
    raise TypeError(f"cannot write {type(block).__name__} as Markdown")


def _table(table: Table) -> str:
    def row(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(_escape(cell) for cell in cells) + " |"

    rule = "|" + "|".join("---:" if numeric else "---" for numeric in table.numeric) + "|"
    return "\n".join([row(table.header), rule, *(row(cells) for cells in table.rows)])
