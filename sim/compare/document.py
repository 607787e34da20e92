"""What ``comparison.md`` and ``comparison.html`` say, built once as a document tree.

It reuses the run report's document model (:mod:`sim.report.document`) and renderers, so
a comparison looks like a report and escapes names the same way. Reading order for each
pair of runs: which runs and how they were compared; the largest effects in plain
language with the forest plot; every headline metric by effect size; then the details
grouped by end item (year by year, with the difference fan charts) and by line; and
what could not be compared.
"""

from __future__ import annotations

from sim import catalogue
from sim.compare import wording
from sim.compare.comparison import Comparison
from sim.compare.headline import by_effect, headline, largest_effects
from sim.compare.load import RunFolder
from sim.compare.measures import REPAIR_GROUPS, end_items, label, lines, parse_metric
from sim.compare.value import per_billion_note, per_billion_rows
from sim.report.blocks import Block, Bullets, Document, Figure, Image, Paragraph, Section
from sim.report.tables import MISSING, Table, format_years

READING_GUIDE = (
    "Difference is B − A, the second run minus the first: positive means B has more.",
    "95 % CI is the precision of the mean difference. When both runs used the same seed "
    "and replication count they are paired: replication i of each drew the same values for "
    "every parameter they share (common random numbers), the noise they share cancels, and "
    "the interval is Student t on the per-replication differences — much narrower than "
    "comparing two independent runs, and exactly zero for a metric the change cannot reach. "
    "Otherwise the runs are independent and the interval is Welch's t.",
    "Effect (sd) is the difference in standard deviations of the metric across "
    "replications, both runs pooled: sqrt((sd_A² + sd_B²) / 2). It ranks metrics in "
    "different units together; 1 sd is a shift as large as the typical spread between two "
    "futures of one scenario. Tables of effects are sorted by its absolute value.",
    "Better in: the share of paired replications in which B is strictly better — more "
    "deliveries, stock and output; less shortfall, backorder, starvation, disruption and "
    "recovery time. Ties count as neither. Cost and funding-capped days have no better "
    "direction, so no share.",
    "Repair reads the same way: higher aircraft availability is better; less waiting for a "
    "berth or a repair line, maintenance delay, late availabilities, ship-days in maintenance "
    "and bare firewalls is better. Yard and depot utilisation have no better direction: "
    "capacity added elsewhere lowers them while every queue shortens.",
    "Recovery days exist only in replications where stock recovered after a conflict; a "
    "paired comparison uses the replications where both runs have a value, and says how many.",
)

TOP_EFFECTS = 10


def build_comparison_document(
    comparisons: list[Comparison], figures: dict[str, dict[str, Figure]]
) -> Document:
    """The whole comparison; `figures` holds each pair's figures (by kind) under its slug."""
    reference = comparisons[0].label_a
    if len(comparisons) == 1:
        only = comparisons[0]
        title = f"Comparison: {only.label_b} against {only.label_a}"
        sections = _pair_sections(only, figures.get(only.slug, {}), level=2)
        introduction = (Paragraph((_introduction(only),)),)
    else:
        others = ", ".join(comparison.label_b for comparison in comparisons)
        title = f"Comparison against {reference}: {others}"
        sections = []
        for comparison in comparisons:
            heading = f"{comparison.label_b} against {reference}"
            sections.append(Section(heading, 2, (Paragraph((_introduction(comparison),)),)))
            sections += _pair_sections(comparison, figures.get(comparison.slug, {}), level=3)
        introduction = (
            Paragraph(
                (
                    f"Each run is compared with the first, {reference}: "
                    f"{len(comparisons)} comparisons, one section each.",
                )
            ),
        )
    guide = Section("How to read this comparison", 2, _paragraphs(*READING_GUIDE))
    return Document(title, introduction, (*sections, guide))


def _paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph((text,)) for text in texts)


def _introduction(comparison: Comparison) -> str:
    method = "paired replication by replication" if comparison.paired else "unpaired (Welch)"
    return (
        f"What changes from {comparison.label_a} (A) to {comparison.label_b} (B): every "
        f"difference is B − A, with a 95 % confidence interval, {method}."
    )


def _pair_sections(comparison: Comparison, placed: dict[str, Figure], level: int) -> list[Section]:
    return [
        _runs_section(comparison, level),
        *_differs_sections(comparison, level),
        _largest_section(comparison, placed, level),
        *_value_sections(comparison, level),
        _effects_section(comparison, level),
        *_item_sections(comparison, placed, level),
        *_line_sections(comparison, level),
        *_absent_sections(comparison, level),
    ]


def _runs_section(comparison: Comparison, level: int) -> Section:
    described = (
        (f"A: {_run(comparison.run_a, comparison.label_a)}",),
        (f"B: {_run(comparison.run_b, comparison.label_b)}",),
        (f"Method: {comparison.method}.",),
        (
            f"Compared: {len(comparison.metrics):,} metrics reported by both runs; "
            f"{len(headline(comparison)):,} of them are headline metrics, shown below.",
        ),
    )
    return Section("Runs compared", level, (Bullets(described),))


def _differs_sections(comparison: Comparison, level: int) -> list[Section]:
    """'What differs': the scenario keys, overrides and settings B changes from A."""
    differences = comparison.differences
    if differences is None:
        return []
    lines = differences.lines(comparison.label_a, comparison.label_b)
    return [Section("What differs", level, (Bullets(tuple((line,) for line in lines)),))]


def _run(run: RunFolder, run_label: str) -> str:
    facts = run.report["run"]
    engine = facts.get("engine", "?")
    return (
        f"{run_label} — scenario {run.name}, folder {run.folder}, {run.replication_count:,} "
        f"replications, seed {run.seed}, {engine} engine, years {format_years(run.years)}"
    )


def _largest_section(comparison: Comparison, placed: dict[str, Figure], level: int) -> Section:
    top = largest_effects(comparison, TOP_EFFECTS)
    blocks: list[Block] = []
    if top:
        blocks.append(
            Paragraph(
                (
                    f"The {len(top)} headline metrics that changed most, by effect size "
                    "(difference in standard deviations of the metric across replications):",
                )
            )
        )
        sentences = [
            (f"{wording.sentence(entry, comparison.years, comparison.label_b)}",) for entry in top
        ]
        blocks.append(Bullets(tuple(sentences)))
    else:
        blocks.append(Paragraph(("No headline metric differs between the two runs.",)))
    if "forest" in placed:
        blocks.append(Image(placed["forest"]))
    return Section("Largest effects", level, tuple(blocks))


def _value_sections(comparison: Comparison, level: int) -> list[Section]:
    """What B's extra spending buys in missiles, when both runs report spending."""
    row = comparison.per_billion
    if row is None:
        return []
    table = Table(
        header=("", f"{comparison.label_b} − {comparison.label_a}", "95 % CI"),
        rows=per_billion_rows(row),
        numeric=(False, True, True),
    )
    return [
        Section("Missiles per billion dollars", level, (Paragraph((per_billion_note(row),)), table))
    ]


def _effects_section(comparison: Comparison, level: int) -> Section:
    entries = by_effect(headline(comparison))
    note = (
        "Every headline metric, largest effect first: per end item, deliveries and stock on "
        "31 December each year, shortfall and recovery time; per line, total output and days "
        "starved of inputs. Levels are means across replications; comparison.json has every "
        "metric."
    )
    if any(entry.metric.group in REPAIR_GROUPS for entry in entries):
        note += (
            " For ship repair: waits for a berth, maintenance delay, late share, ship-days in "
            "maintenance and yard utilisation; per engine type: bare firewalls, aircraft "
            "availability, depot wait and turnaround."
        )
    rows = tuple(
        (
            label(entry.metric, comparison.years),
            wording.unit_words(entry) if entry.unit != "fraction" else "%",
            wording.levels(entry),
            wording.change(entry.difference.diff, entry.unit),
            wording.interval(entry.difference.ci95, entry.unit),
            wording.effect(entry),
            wording.better_in(entry) if entry.direction else MISSING,
            wording.pairs(entry),
        )
        for entry in entries
    )
    table = Table(
        header=(
            "Metric",
            "Unit",
            f"{comparison.label_a} → {comparison.label_b}",
            "Difference",
            "95 % CI",
            "Effect",
            f"Better in {comparison.label_b}",
            "Replications",
        ),
        rows=rows,
        numeric=(False, False, True, True, True, True, True, True),
    )
    return Section("Headline metrics by effect size", level, (Paragraph((note,)), table))


def _item_sections(comparison: Comparison, placed: dict[str, Figure], level: int) -> list[Section]:
    items = end_items(list(comparison.metrics))
    if not items:
        return []
    overview: list[Block] = [
        Paragraph(
            ("Per end item and year: A → B means, then the difference B − A with its 95 % CI.",)
        )
    ]
    if "differences" in placed:
        overview.append(Image(placed["differences"]))
    sections = [Section("End items", level, tuple(overview))]
    for item in items:
        sections.append(Section(item, level + 1, _item_blocks(comparison, item)))
    return sections


def _item_blocks(comparison: Comparison, item: str) -> tuple[Block, ...]:
    totals = [
        entry
        for entry in headline(comparison)
        if entry.metric.subject == item
        and entry.metric.group == "item"
        and entry.metric.year is None
    ]
    blocks: list[Block] = []
    if totals:
        sentences = tuple(
            (wording.sentence(entry, comparison.years, comparison.label_b),) for entry in totals
        )
        blocks.append(Bullets(sentences))
    rows = tuple(
        (
            str(year),
            *_levels_and_difference(
                comparison, catalogue.ITEM_DELIVERIES_IN_YEAR.name(item=item, year=year)
            ),
            *_levels_and_difference(
                comparison, catalogue.ITEM_STOCK_END.name(item=item, year=year)
            ),
        )
        for year in comparison.years
    )
    unit = _unit(comparison, "item", item)
    blocks.append(
        Table(
            header=(
                "Year",
                f"Deliveries, A → B ({unit})",
                "Difference (95 % CI)",
                f"Stock on 31 December, A → B ({unit})",
                "Difference (95 % CI)",
            ),
            rows=rows,
            numeric=(False, True, True, True, True),
        )
    )
    return tuple(blocks)


def _levels_and_difference(comparison: Comparison, name: str) -> tuple[str, str]:
    """Table cells 'A → B' and 'B − A (95 % CI)' of metric `name`; dashes if not compared."""
    entry = comparison.metrics.get(name)
    if entry is None:
        return MISSING, MISSING
    return wording.levels(entry), wording.difference_with_interval(entry)


def _unit(comparison: Comparison, group: str, subject: str) -> str:
    """What an item or a line counts in ('missiles', 'motors'): the unit of its first metric
    that is not a time or a fraction."""
    for entry in comparison.metrics.values():
        metric = entry.metric
        if metric.group == group and metric.subject == subject and entry.unit not in _NOT_COUNTS:
            return entry.unit
    return ""


_NOT_COUNTS = ("days", "fraction", "million US$")


def _line_sections(comparison: Comparison, level: int) -> list[Section]:
    production = lines(list(comparison.metrics))
    if not production:
        return []
    rows = tuple(
        (
            line,
            _unit(comparison, "line", line),
            *_levels_and_difference(comparison, catalogue.LINE_OUTPUT.name(line=line)),
            *_levels_and_difference(comparison, catalogue.LINE_STARVED_DAYS.name(line=line)),
        )
        for line in production
    )
    table = Table(
        header=(
            "Line",
            "Unit",
            "Total output, A → B",
            "Difference (95 % CI)",
            "Days starved of inputs, A → B",
            "Difference (95 % CI)",
        ),
        rows=rows,
        numeric=(False, False, True, True, True, True),
    )
    note = (
        f"Lines in both runs, {format_years(comparison.years)}: A → B means, then B − A with its "
        "95 % CI. Fewer starved days means the line waited less for its suppliers."
    )
    return [Section("Production lines", level, (Paragraph((note,)), table))]


def _absent_sections(comparison: Comparison, level: int) -> list[Section]:
    entries = []
    for names, other, run_label in (
        (comparison.only_in_a, comparison.run_b, comparison.label_a),
        (comparison.only_in_b, comparison.run_a, comparison.label_b),
    ):
        if names:
            described = _absent(names, set(other.values), comparison.years)
            entries.append((f"Only in {run_label}: {described}.",))
    if not entries:
        return []
    return [Section("Not compared", level, (Bullets(tuple(entries)),))]


def _absent(names: list[str], other: set[str], years: list[int]) -> str:
    """'line srm-jp (16 metrics); PAC-3 MSE days for stock to recover from a conflict'.

    An item or line the other run lacks altogether is named once with its count of
    metrics; a metric missing for something both runs have is named on its own.
    """
    known = {(metric.group, metric.subject) for metric in map(parse_metric, other)}
    missing_subjects: dict[str, int] = {}
    single = []
    for metric in map(parse_metric, names):
        if metric.subject and (metric.group, metric.subject) not in known:
            key = f"{metric.group} {metric.subject}"
            missing_subjects[key] = missing_subjects.get(key, 0) + 1
        else:
            single.append(label(metric, years))
    counted = [f"{key} ({count} metrics)" for key, count in missing_subjects.items()]
    return "; ".join(counted + single)
