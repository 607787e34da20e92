"""The content of the analyst's report, decided once and rendered twice.

:func:`build_document` chooses what ``report.md`` and ``report.html`` say — sections,
sentences, tables, where each figure goes — as a small tree of plain values. The
renderers in :mod:`sim.report.markdown` and :mod:`sim.report.html` only translate that
tree into their syntax (and escape it), so the two files cannot drift apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from sim import catalogue
from sim.execution.precision import precision_note
from sim.production.surge import surging_lines
from sim.report import against as lead
from sim.report import history, orders
from sim.report.blocks import (
    Block,
    Bullets,
    Document,
    Figure,
    Image,
    Inline,
    Link,
    Paragraph,
    Section,
)
from sim.report.drivers import INTRODUCTION as DRIVERS_INTRODUCTION
from sim.report.drivers import TITLE as DRIVERS_TITLE
from sim.report.drivers import driver_sentences
from sim.report.facts import (
    LineFacts,
    conflict_windows,
    end_items,
    horizon_days,
    lines_by_item,
    metric,
    owners_of,
    rank_bottlenecks,
    reported,
)
from sim.report.marginal import marginal_sections
from sim.report.repair import repair_sections
from sim.report.sentences import (
    RECOVERY_NOTE,
    SURGE_NOTE,
    Modelled,
    bottleneck_verdict,
    describe_conflict,
    item_summary,
    never_recovered,
    other_causes,
    reading_guide,
)
from sim.report.spending import spending_sections
from sim.report.tables import (
    bottleneck_table,
    format_number,
    format_years,
    item_year_table,
    line_table,
    recovery_table,
    surge_table,
)
from sim.runs.montecarlo import Run
from sim.scenario.model import Source
from sim.scenario.sources import backing


def build_document(run: Run, report: dict[str, Any], figures: list[Figure]) -> Document:
    """Everything the report says, in reading order."""

    placed = {figure.key: figure for figure in figures}
    description = report["scenario"].get("description") or ""
    sections = [
        _run_section(run, report),
        *_against_sections(run, placed),
        *_history_sections(run, report, placed),
        *_item_sections(run, report, placed),
        *_production_sections(run, report, placed),
        *spending_sections(run, report, placed),
        *repair_sections(run, report, placed),
        *_drivers_sections(run, placed),
        *_conflict_sections(run, report, placed),
    ]
    leftovers = [Image(figure) for key, figure in placed.items() if key not in _PLACED_FIGURES]
    if leftovers:
        sections.append(Section("More figures", 2, tuple(leftovers)))
    sections.append(_sources_section(run))
    guide = reading_guide(Modelled.of(run))
    sections.append(Section("How to read this report", 2, _paragraphs(*guide)))
    introduction = _paragraphs(*(text for text in description.split("\n\n") if text.strip()))
    return Document(f"Capacity report: {report['scenario']['name']}", introduction, tuple(sections))


_PLACED_FIGURES: tuple[str, ...] = ("deliveries", "stock", "bottlenecks", "line-output")
_PLACED_FIGURES += ("ship-waits", "yard-utilisation", "bare-firewalls", "depot-waits")
_PLACED_FIGURES += ("drivers", "history", "surge-output", "spending", "unit-cost", "order-backlog")
_PLACED_FIGURES += ("against-headline", "against-forest", "against-differences")


def _paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((text,)) for text in texts)


def _images(placed: dict[str, Figure], *keys: str) -> tuple[Image, ...]:
    return tuple(Image(placed[key]) for key in keys if key in placed)


def _run_section(run: Run, report: dict[str, Any]) -> Section:
    years = report["years"]
    facts = report["run"]
    scenario = report["scenario"]
    fingerprint = f" (SHA-256 {scenario['sha256'][:12]}…)" if scenario.get("sha256") else ""
    lines: tuple[str, ...] = (
        f"Scenario: {scenario['name']}, from {scenario['file']}{fingerprint}",
        f"Horizon: {format_years(years)} ({_count(len(years), 'year')}, "
        f"{horizon_days(run):,} days)",
        f"Engine: {facts['engine']}, sim {facts['sim_version']}",
        f"Replications: {facts['replications']:,}, seed {facts['seed']}",
        wall_time(run),
    )
    if scenario.get("overrides"):
        lines += (f"Overrides (--set): {', '.join(scenario['overrides'])}",)
    if run.precision is not None:
        lines += (precision_note(run.precision),)
    if run.against is not None:
        counter = run.against.run.scenario
        lines += (
            f"Counterfactual: {counter.name}, from {counter.file}, run alongside with the "
            "same seed, replications and engine",
        )
    return Section("Run", 2, (Bullets(tuple((line,) for line in lines)),))


def wall_time(run: Run) -> str:
    """'Wall time: 8.6 s', or for a resumed run 'Wall time: 41 s in all, 3 parts …'."""
    parts = run.part_seconds
    if len(parts) == 1:
        return f"Wall time: {format_number(run.wall_seconds)} s"
    each = ", ".join(f"{format_number(seconds)} s" for seconds in parts)
    return (
        f"Wall time: {format_number(run.total_wall_seconds)} s in all, {len(parts)} parts "
        f"({each}): interrupted and resumed from its saved chunks"
    )


def _against_sections(run: Run, placed: dict[str, Figure]) -> list[Section]:
    """The lead of a run with a counterfactual: what the plan changes against it."""

    if run.against is None:
        return []
    sentences = lead.lead_sentences(run)
    # the answer at a glance first, then the same in sentences
    blocks: list[Block] = [*_images(placed, "against-headline")]
    for heading, part in ((lead.year_heading(run), "year"), (lead.horizon_heading(run), "horizon")):
        if sentences[part]:
            blocks += [Paragraph((heading,)), Bullets(tuple((text,) for text in sentences[part]))]
    value = lead.value_sentence(run)
    if value is not None:
        blocks.append(Paragraph((value,)))
    blocks += [*_images(placed, *lead.FIGURES), Paragraph((lead.method_note(run),))]
    return [Section(lead.title(run.against), 2, tuple(blocks))]


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _item_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    items = end_items(run)
    if not items:
        return []
    overview = Section(
        "Deliveries and stock",
        2,
        (
            Paragraph(
                ("Per end item: mean across replications, with the P5–P95 spread in brackets.",)
            ),
            *_images(placed, "deliveries", "stock"),
        ),
    )
    per_item = [
        Section(
            item,
            3,
            (
                Paragraph((item_summary(report, item, run.scenario.items[item].unit),)),
                item_year_table(report, item, run.scenario.items[item].unit, owners_of(run, item)),
            ),
        )
        for item in items
    ]
    return [overview, *per_item]


def _production_sections(
    run: Run, report: dict[str, Any], placed: dict[str, Figure]
) -> list[Section]:
    """Bottlenecks, then the lines; nothing at all for a scenario without production."""
    lines = lines_by_item(run)
    if not lines:
        return []
    return [
        _bottleneck_section(run, report, placed),
        *marginal_sections(run, placed),
        _line_section(report, lines, placed),
        *_orders_sections(run, report, placed),
    ]


def _bottleneck_section(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> Section:
    ranked = rank_bottlenecks(run, report)
    fed = [entry for entry in ranked if entry.line.has_inputs]
    horizon = horizon_days(run)
    sentences = [bottleneck_verdict(fed, horizon), *other_causes(ranked)]
    blocks: list[Block] = [Paragraph((" ".join(sentences),))]
    if fed:
        blocks.append(bottleneck_table(fed, horizon))
    blocks.extend(_images(placed, "bottlenecks"))
    return Section("Bottlenecks", 2, tuple(blocks))


def _line_section(
    report: dict[str, Any], lines: list[LineFacts], placed: dict[str, Figure]
) -> Section:
    note = (
        "Total output over the horizon, mean with P5–P95. Utilisation is units started over "
        "units the line could have started; days are means over the horizon."
    )
    blocks: tuple[Block, ...] = (
        Paragraph((note,)),
        line_table(report, lines),
        *_images(placed, "line-output"),
    )
    return Section("Production lines", 2, blocks)


def _orders_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    """Backlog and unfunded days of the lines funded by orders; nothing when none is."""
    lines = orders.ordering_lines(run)
    if not lines:
        return []
    blocks: tuple[Block, ...] = (
        Paragraph((orders.orders_verdict(report, lines) + " " + orders.NOTE,)),
        orders.orders_table(report, lines),
        *_images(placed, orders.FIGURE),
    )
    return [Section(orders.TITLE, 2, blocks)]


def _history_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    """How the model did against the scenario's observed history, when it has any."""

    records = report.get("history")
    if not records:
        return []
    blocks: list[Block] = [
        Paragraph((history.INTRODUCTION + " " + history.verdict(records),)),
        history.history_table(records),
        *_images(placed, "history"),
    ]
    said = history.notes(run.scenario)
    if said:
        blocks.append(Paragraph(("How the observations were read:",)))
        blocks.append(Bullets(tuple((note,) for note in said)))
    return [Section(history.TITLE, 2, tuple(blocks))]


def _drivers_sections(run: Run, placed: dict[str, Figure]) -> list[Section]:
    """The inputs behind the headline numbers (:mod:`sim.report.drivers`), when any vary."""
    sentences = driver_sentences(run)
    if not sentences:
        return []
    listed = Bullets(tuple((sentence,) for sentence in sentences))
    blocks: tuple[Block, ...] = (
        Paragraph((DRIVERS_INTRODUCTION,)),
        listed,
        *_images(placed, "drivers"),
    )
    return [Section(DRIVERS_TITLE, 2, blocks)]


def _conflict_sections(
    run: Run, report: dict[str, Any], placed: dict[str, Figure]
) -> list[Section]:
    windows = conflict_windows(run)
    if not windows:
        return []
    blocks: list[Block] = [Bullets(tuple((describe_conflict(w),) for w in windows))]
    # only the items a conflict draws on have a recovery time
    recovery = catalogue.ITEM_RECOVERY_DAYS
    hit = [item for item in end_items(run) if reported(report, recovery, item=item)]
    if hit:
        blocks += [Paragraph((RECOVERY_NOTE,)), recovery_table(report, hit)]
        never = [item for item in hit if not metric(report, recovery, item=item)["n"]]
        if never:
            blocks.append(Paragraph((never_recovered(never),)))
    surging = [line for line in surging_lines(run.scenario) if line in run.scenario.lines]
    if surging:
        blocks += [Paragraph((SURGE_NOTE,)), surge_table(report, surging)]
        blocks.extend(_images(placed, "surge-output"))
    return [Section("Conflicts and stockpile recovery", 2, tuple(blocks))]


def _sources_section(run: Run) -> Section:
    cited = backing(run.scenario)
    entries = tuple(
        _cited(key, source, cited.get(key, [])) for key, source in run.scenario.sources.items()
    )
    if not entries:
        return Section("Sources", 2, _paragraphs("The scenario cites no sources."))
    return Section("Sources", 2, (Bullets(entries),))


def _cited(key: str, source: Source, users: list[str]) -> tuple[Inline, ...]:
    """One source: its title (a link when it has a web address), date, note and users."""
    url = source.url
    web = url if url is not None and urlparse(url).scheme in ("http", "https") else None
    parts: list[Inline] = [Link(source.title, web) if web is not None else source.title]
    if source.date is not None:
        parts.append(f" ({source.date.isoformat()})")
    if url is not None and web is None:
        parts.append(f", {source.url}")
    if source.note:
        parts.append(f" — {source.note}")
    parts.append(f" · key {key}" + (f", cited by {', '.join(users)}" if users else ", not cited"))
    return tuple(parts)
