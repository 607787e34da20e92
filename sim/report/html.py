"""``report.html``: the analyst's summary as one self-contained page.

The page must open anywhere — attached to an e-mail, on an air-gapped network — so it
loads nothing: the stylesheet is inline, fonts are the system's, and figures are embedded
as base64 ``data:`` URIs. The content comes from
:func:`sim.report.document.build_document`; every scenario-supplied string is escaped.
"""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path
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

STYLESHEET = """
:root { color-scheme: light; --rule: #d0d4da; --shade: #f3f5f8; --ink: #1b1f24; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: var(--ink); line-height: 1.5; margin: 0 auto; padding: 1.5rem;
       max-width: 72rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem;
        font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid var(--rule); text-align: left;
         vertical-align: top; }
th { background: var(--shade); font-weight: 600; }
tbody tr:nth-child(even) { background: #fafbfc; }
.scroll { overflow-x: auto; }
.num { text-align: right; white-space: nowrap; }
figure { margin: 1.2rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { font-size: 0.9rem; color: #4a525c; max-width: 60rem; }
footer { margin-top: 3rem; font-size: 0.85rem; color: #4a525c; }
"""


def render_html(run: Run, report: dict[str, Any], figures: list[Figure], folder: Path) -> str:
    """The report of `run` as HTML; figure files are read from `folder` and embedded."""
    document = build_document(run, report, figures)
    return html_from_document(document, folder, run.version)


def html_from_document(document: Document, folder: Path, version: str) -> str:
    """Any :class:`Document` as one page; figures are read from `folder` and embedded."""
    body = [f"<header>\n<h1>{escape(document.title)}</h1>"]
    body.extend(_block(block, folder) for block in document.introduction)
    body.append("</header>\n<main>")
    for section in document.sections:
        body.append(f"<h{section.level}>{escape(section.title)}</h{section.level}>")
        body.extend(_block(block, folder) for block in section.blocks)
    body.append("</main>")
    body.append(f"<footer>Written by the DICAS capacity simulator, sim {escape(version)}.</footer>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(document.title)}</title>",
            f"<style>{STYLESHEET}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _inline(parts: tuple[Inline, ...]) -> str:
    return "".join(
        f'<a href="{escape(part.url)}">{escape(part.text)}</a>'
        if isinstance(part, Link)
        else escape(part)
        for part in parts
    )


def _block(block: Block, folder: Path) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_inline(block.parts)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"\n<li>{_inline(item)}</li>" for item in block.items)
        return f"<ul>{items}\n</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return _figure(block.figure, folder)
    raise TypeError(f"cannot write {type(block).__name__} as HTML")


_NUMERIC = ' class="num"'


def _table(table: Table) -> str:
    def cells(tag: str, row: tuple[str, ...]) -> str:
        scope = ' scope="col"' if tag == "th" else ""
        return "".join(
            f"<{tag}{scope}{_NUMERIC if numeric else ''}>{escape(cell)}</{tag}>"
            for cell, numeric in zip(row, table.numeric, strict=True)
        )

    head = f"<thead><tr>{cells('th', table.header)}</tr></thead>"
    rows = "".join(f"\n<tr>{cells('td', row)}</tr>" for row in table.rows)
    return f'<div class="scroll"><table>\n{head}\n<tbody>{rows}\n</tbody>\n</table></div>'


def _figure(figure: Figure, folder: Path) -> str:
    """The figure's PNG inlined as a data URI, so the page needs no files beside it."""
    encoded = base64.b64encode((folder / figure.path).read_bytes()).decode("ascii")
    return (
        f'<figure>\n<img src="data:image/png;base64,{encoded}" alt="{escape(figure.title)}">\n'
        f"<figcaption><strong>{escape(figure.title)}.</strong> {escape(figure.caption)}"
        "</figcaption>\n</figure>"
    )
