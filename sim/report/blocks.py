"""The report as a small tree of plain values: sections of paragraphs, lists, tables and
figures, with links.

Every document sim writes — the run report, a comparison, a sweep, a sensitivity study —
is built as this tree (:mod:`sim.report.document` and its neighbours decide what it
says), and the renderers (:mod:`sim.report.markdown`, :mod:`sim.report.html`) only
translate it into their syntax. A module that adds a section needs these classes, not
the module that assembles the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.report.tables import Table


@dataclass(frozen=True)
class Figure:
    """A written figure: `path` is relative to the output folder, with '/' separators."""

    path: str
    title: str
    caption: str

    @property
    def key(self) -> str:
        """The file's stem ('deliveries'), which the text uses to place the figure."""
        return Path(self.path).stem


@dataclass(frozen=True)
class Link:
    """A hyperlink; only web addresses become links (see :func:`_cited`)."""

    text: str
    url: str


Inline = str | Link


@dataclass(frozen=True)
class Paragraph:
    """Running text: plain strings and links, in order."""

    parts: tuple[Inline, ...]


@dataclass(frozen=True)
class Bullets:
    """An unordered list; each item is running text."""

    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Image:
    """A figure with its title and caption, shown where the text discusses it."""

    figure: Figure


Block = Paragraph | Bullets | Table | Image


@dataclass(frozen=True)
class Section:
    """A heading and what follows it, up to the next heading."""

    title: str
    level: int
    """2 for a section, 3 for a subsection (the document title is the only level 1)."""
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """The whole report: a title, an introduction, then the sections in order."""

    title: str
    introduction: tuple[Block, ...]
    sections: tuple[Section, ...]
