"""The report's "Where extra capacity helps most" section, for runs with ``--marginal``.

The bottleneck section names the line that waited longest for inputs and what it waited
for; this one answers the planner's next question — where would more capacity buy the most
— from the paired runs of :mod:`sim.runs.marginal`: per end item, the line whose extra 10 %
adds most to the item's stock at the end of the headline year, with its 95 % CI, and a
table of every line's effect on every end item, and ``marginal.png``: each end item's panel of
bars with CI whiskers. Runs without ``--marginal`` get none of it.
"""

from __future__ import annotations

from typing import Any

from matplotlib.ticker import FuncFormatter

from sim import catalogue
from sim.report import plotting
from sim.report.blocks import Block, Bullets, Figure, Image, Paragraph, Section
from sim.report.canvas import Colours, Plan
from sim.report.facts import end_items
from sim.report.tables import Table, format_number, format_percent, format_signed
from sim.runs.marginal import Effect, LineEffect, Marginal
from sim.runs.montecarlo import Run

TITLE = "Where extra capacity helps most"


def marginal_sections(run: Run, placed: dict[str, Figure]) -> list[Section]:
    """The section, or nothing for a run without ``--marginal``."""
    found = run.marginal
    if found is None:
        return []
    items = [item for item in end_items(run) if _stock(found, item) in _names(found)]
    if not items:
        return []
    bullets = tuple((marginal_verdict(run, found, item),) for item in items)
    blocks: tuple[Block, ...] = (
        Paragraph((method_note(found),)),
        Bullets(bullets),
        marginal_table(run, found, items),
        *((Image(placed[FIGURE]),) if FIGURE in placed else ()),
    )
    return [Section(TITLE, 2, blocks)]


def method_note(found: Marginal) -> str:
    """How the effects were found, in a reader's words."""
    return (
        f"Each line was run again with {format_percent(found.step)} more capacity in every "
        "year, everything "
        f"else unchanged ({found.replications:,} replications per line on the vector engine, "
        "production only, with the same seed as an unchanged base run, so each difference is "
        "paired replication by replication). Effects are on stock at the end of "
        f"{found.year}, mean with 95 % CI; extra capacity is the units the line could have "
        "started in addition over the horizon. Funding caps still bind: a line held back by "
        "orders gains nothing from capacity. A negative effect is real, not noise, when its "
        "CI excludes zero: the faster line takes a shared input (rocket motors, say) that "
        "another item's lines would have used."
    )


def marginal_verdict(run: Run, found: Marginal, item: str) -> str:
    """'PAC-3 MSE: seeker-us helps most — +140 missiles (95 % CI 119–161) …'."""
    stock, delivered = _stock(found, item), _delivered(found, item)
    unit = run.scenario.items[item].unit
    # only a line whose effect is measurably positive can help: ranked by mean alone, a
    # line with a large but uncertain mean would hide one whose gain is certain
    ranked = [entry for entry in found.ranked(stock) if _helps(entry.effects[stock])]
    if not ranked:
        return (
            f"{item}: no line's extra {format_percent(found.step)} raises its stock at the end of "
            f"{found.year} measurably."
        )
    best = ranked[0]
    effect = best.effects[stock]
    text = (
        f"{item}: {best.line} helps most — {format_signed(effect.mean)} {unit} in stock at the "
        f"end of {found.year} (95 % CI {_interval(effect)}), "
        f"{format_signed(best.effects[delivered].mean)} delivered in {found.year}, for "
        f"{format_number(best.extra_capacity)} more units of capacity"
    )
    if len(ranked) > 1:
        runner_up = ranked[1]
        second = runner_up.effects[stock]
        text += f"; next, {runner_up.line} ({format_signed(second.mean)}, {_interval(second)})"
    return text + "."


def marginal_table(run: Run, found: Marginal, items: list[str]) -> Table:
    """Every line's extra capacity and its effect on each end item's stock."""
    rows = tuple(
        (
            entry.line,
            format_number(entry.extra_capacity),
            *(_cell(entry, _stock(found, item)) for item in items),
        )
        for entry in _in_report_order(run, found)
    )
    return Table(
        header=(
            f"Line (+{format_percent(found.step)} capacity)",
            "Extra capacity (units)",
            *(
                f"{item} stock, end {found.year} ({run.scenario.items[item].unit})"
                for item in items
            ),
        ),
        rows=rows,
        numeric=(False, True, *(True for _ in items)),
    )


def _in_report_order(run: Run, found: Marginal) -> list[LineEffect]:
    order = {line: k for k, line in enumerate(run.scenario.lines)}
    return sorted(found.lines, key=lambda entry: order.get(entry.line, len(order)))


def _cell(entry: LineEffect, name: str) -> str:
    effect = entry.effects[name]
    return _with_interval(effect) if _helps(effect) or effect.mean else "0"


def _helps(effect: Effect) -> bool:
    """Whether the effect is positive and its CI excludes zero."""
    low = effect.ci95[0]
    return effect.mean > 0 and low is not None and low > 0


def _with_interval(effect: Effect) -> str:
    """'+159 (127–191)': the mean difference, then its 95 % CI."""
    if effect.ci95[0] is None:
        return format_signed(effect.mean)
    return f"{format_signed(effect.mean)} ({_interval(effect)})"


def _interval(effect: Effect) -> str:
    low, high = effect.ci95
    return f"{format_number(low)}–{format_number(high)}"


def _names(found: Marginal) -> set[str]:
    return set(found.lines[0].effects) if found.lines else set()


def _stock(found: Marginal, item: str) -> str:
    return catalogue.ITEM_STOCK_END.name(item=item, year=found.year)


def _delivered(found: Marginal, item: str) -> str:
    return catalogue.ITEM_DELIVERIES_IN_YEAR.name(item=item, year=found.year)


FIGURE = "marginal"
MOST_LINES = 8
"""Most lines a panel draws: the largest effects either way."""


def marginal_figure(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Bars of each line's effect on each end item's stock, with 95 % CIs, largest on top.

    One panel per end item: the lines whose extra capacity moves its stock at all, by the
    size of the effect (a bar left of zero takes a shared input from the item's lines)."""
    found = run.marginal
    if found is None:
        return None
    items = [item for item in end_items(run) if _stock(found, item) in _names(found)]
    if not items:
        return None
    drawing, panels = plotting.small_multiples(len(items), TITLE)
    for axes, item in zip(panels, items, strict=True):
        name = _stock(found, item)
        moved = [entry for entry in found.ranked(name) if entry.effects[name].mean != 0]
        moved = sorted(moved, key=lambda entry: -abs(entry.effects[name].mean))[:MOST_LINES]
        moved.sort(key=lambda entry: -entry.effects[name].mean)
        effects = [entry.effects[name] for entry in moved]
        means = [effect.mean for effect in effects]
        errors = [
            [_whisker(effect, 0) for effect in effects],
            [_whisker(effect, 1) for effect in effects],
        ]
        axes.barh(
            range(len(moved)), means, height=0.6, xerr=errors, color=colours.get(item), capsize=3
        )
        axes.set_yticks(range(len(moved)), [entry.line for entry in moved])
        axes.invert_yaxis()
        axes.axvline(0, color=plotting.NEUTRAL, linewidth=0.8)
        axes.grid(axis="y", visible=False)
        axes.tick_params(axis="y", length=0)
        axes.set_title(f"{item}: stock, end {found.year}")
        axes.set_xlabel(f"{run.scenario.items[item].unit}, +{format_percent(found.step)} capacity")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_signed(value)))
    caption = (
        f"What {format_percent(found.step)} more capacity at each line adds to each end item's "
        f"stock at the end of {found.year}: paired mean difference over "
        f"{found.replications:,} replications with the same draws, with its 95 % CI as the "
        "whisker. Lines with no effect on an item are left out of its panel."
    )
    return Plan(FIGURE, TITLE, caption, drawing)


def _whisker(effect: Effect, end: int) -> float:
    """How far the CI's lower (`end` 0) or upper (1) end lies from the mean."""
    bound = effect.ci95[end]
    return 0.0 if bound is None else abs(bound - effect.mean)
