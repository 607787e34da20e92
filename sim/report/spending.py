"""The report's spending: per year and in total, per country and line, unit cost by year.

Shown when the scenario prices anything (a unit cost or an investment, :mod:`sim.costs`).
Two figures: ``spending.png``, fan charts of yearly spending on accepted units and on
investments; ``unit-cost.png``, each priced item's mean unit cost by year, which falls
along the learning curve as output grows.
"""

from __future__ import annotations

from typing import Any

from sim import catalogue
from sim.report import plotting
from sim.report.blocks import Block, Figure, Image, Paragraph, Section
from sim.report.canvas import SPREAD, Colours, Plan, yearly_band, yearly_fans
from sim.report.facts import Summary, metric, reported
from sim.report.tables import MISSING, Table, format_number, format_spread, format_years
from sim.runs.montecarlo import Run

TITLE = "Spending"
MONEY = "million US$"
SPENDING_COLOURS = {"units": "#0072B2", "investments": "#E69F00"}
"""Okabe–Ito blue for units, orange for investments."""


def spending_sections(run: Run, report: dict[str, Any], placed: dict[str, Figure]) -> list[Section]:
    """The Spending section, or nothing when the run reports no spending."""
    total = reported(report, catalogue.SPENDING_TOTAL)
    if total is None:
        return []
    years = report["years"]
    span = format_years(years)
    blocks: list[Block] = [
        Paragraph(
            (
                f"What the priced lines are paid for the units they accept, and the investments "
                f"paid, {span}, in million US$: mean across replications with the P5–P95 "
                f"spread in brackets. Total: {format_spread(total, MONEY)}. A unit is paid in "
                "the year it passes acceptance, at its cost on the line's learning curve; an "
                "investment in the year it falls due (docs/model.md, 'Costs').",
            )
        ),
        _year_table(report),
        *_country_paragraphs(run, report),
        _line_table(run, report),
        *(Image(placed[key]) for key in ("spending", "unit-cost") if key in placed),
    ]
    costs = _unit_cost_table(run, report)
    if costs is not None:
        blocks.append(costs)
    return [Section(TITLE, 2, tuple(blocks))]


def _year_table(report: dict[str, Any]) -> Table:
    invested = reported(report, catalogue.SPENDING_INVESTMENTS) is not None

    def row(label: str, units: Summary | None, investments: Summary | None) -> tuple[str, ...]:
        cells = [label, format_spread(units)]
        if invested:
            cells.append(format_spread(investments))
        return tuple(cells)

    rows = [
        row(
            str(year),
            reported(report, catalogue.SPENDING_UNITS_IN_YEAR, year=year),
            reported(report, catalogue.SPENDING_INVESTMENTS_IN_YEAR, year=year),
        )
        for year in report["years"]
    ]
    rows.append(
        row(
            "All years",
            reported(report, catalogue.SPENDING_UNITS),
            reported(report, catalogue.SPENDING_INVESTMENTS),
        )
    )
    header: tuple[str, ...] = ("Year", f"Units accepted ({MONEY})")
    if invested:
        header += (f"Investments ({MONEY})",)
    return Table(header=header, rows=tuple(rows), numeric=(False, *([True] * (len(header) - 1))))


def _priced_lines(run: Run, report: dict[str, Any]) -> list[str]:
    return [
        name
        for name in run.scenario.lines
        if reported(report, catalogue.LINE_SPENDING, line=name) is not None
    ]


def _per_billion(units: float, spending: float) -> str:
    return format_number(units / spending * 1000) if spending > 0 else MISSING


def _country_paragraphs(run: Run, report: dict[str, Any]) -> list[Paragraph]:
    """Per country: what it pays, and what its priced lines accept per billion dollars."""
    scenario = run.scenario
    sentences = []
    countries = sorted({line.country for line in scenario.lines.values()})
    for country in countries:
        paid = reported(report, catalogue.SPENDING_COUNTRY, country=country)
        if paid is None:
            continue
        made: dict[str, float] = {}
        for name in _priced_lines(run, report):
            line = scenario.lines[name]
            if line.country == country:
                output = metric(report, catalogue.LINE_OUTPUT, line=name)["mean"] or 0.0
                made[line.makes] = made.get(line.makes, 0.0) + output
        bought = " and ".join(
            f"{format_number(count)} {scenario.items[item].unit} of {item}"
            for item, count in made.items()
        )
        sentence = f"{country} pays {format_spread(paid, MONEY)}"
        sentence += f" for {bought} from its lines." if bought else "."
        sentences.append(sentence)
    extra = [c for c in _investment_countries(report) if c not in countries]
    for country in extra:
        paid = reported(report, catalogue.SPENDING_COUNTRY, country=country)
        sentences.append(f"{country} pays {format_spread(paid, MONEY)} in investments.")
    if not sentences:
        return []
    note = (
        "A country pays for its lines' units and for its investments; per billion US$ in "
        "the table is a line's accepted units over what its units cost, investments aside."
    )
    return [Paragraph((" ".join([*sentences, note]),))]


def _investment_countries(report: dict[str, Any]) -> list[str]:
    found = []
    for name in report["metrics"]:
        family, fields = catalogue.family_of(name)
        if family is catalogue.SPENDING_COUNTRY:
            found.append(str(fields["country"]))
    return found


def _line_table(run: Run, report: dict[str, Any]) -> Table:
    rows = []
    for name in _priced_lines(run, report):
        line = run.scenario.lines[name]
        spent = metric(report, catalogue.LINE_SPENDING, line=name)
        output = metric(report, catalogue.LINE_OUTPUT, line=name)
        rows.append(
            (
                name,
                line.makes,
                line.country,
                format_spread(spent),
                format_spread(output),
                _per_billion(output["mean"] or 0.0, spent["mean"] or 0.0),
            )
        )
    return Table(
        header=(
            "Line",
            "Item",
            "Country",
            f"Spending ({MONEY})",
            "Units accepted",
            "Per billion US$",
        ),
        rows=tuple(rows),
        numeric=(False, False, False, True, True, True),
    )


def _costed_items(run: Run, report: dict[str, Any]) -> list[str]:
    first = report["years"][0]
    return [
        item
        for item in run.scenario.items
        if reported(report, catalogue.ITEM_UNIT_COST_IN_YEAR, item=item, year=first) is not None
    ]


def _unit_cost_table(run: Run, report: dict[str, Any]) -> Table | None:
    items = _costed_items(run, report)
    if not items:
        return None
    rows = tuple(
        (
            str(year),
            *(
                format_spread(
                    metric(report, catalogue.ITEM_UNIT_COST_IN_YEAR, item=item, year=year)
                )
                for item in items
            ),
        )
        for year in report["years"]
    )
    header = ("Year", *(f"{item} unit cost ({MONEY})" for item in items))
    return Table(header=header, rows=rows, numeric=(False, *([True] * len(items))))


def spending_figure(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of yearly spending: on accepted units, and on investments if any."""
    panels = [
        ("Units accepted", catalogue.SPENDING_UNITS_IN_YEAR, "units"),
        ("Investments", catalogue.SPENDING_INVESTMENTS_IN_YEAR, "investments"),
    ]
    first = report["years"][0]
    panels = [p for p in panels if reported(report, p[1], year=first) is not None]
    if not panels:
        return None
    title = "Spending per year"
    drawing, axes_list = plotting.small_multiples(len(panels), title)
    for axes, (label, family, kind) in zip(axes_list, panels, strict=True):
        names = [family.name(year=year) for year in report["years"]]
        plotting.fan(
            axes, report["years"], yearly_band(report, names), SPENDING_COLOURS[kind], True
        )
        plotting.label_panel(axes, label, f"{MONEY} per year")
        plotting.year_axis(axes)
    plotting.legend(drawing, plotting.fan_handles())
    caption = (
        "Spending on the units the priced lines accept each year (each at its cost on the "
        f"line's learning curve) and on investments in the year they fall due. {SPREAD}"
    )
    return Plan("spending", title, caption, drawing)


def unit_cost_figure(run: Run, report: dict[str, Any], colours: Colours) -> Plan | None:
    """Fan charts of each priced item's mean unit cost by year."""
    items = _costed_items(run, report)
    if not items:
        return None
    title = "Unit cost over time"
    caption = (
        "Mean cost of the units of each item accepted in each year, over all its priced "
        f"lines; it falls as cumulative output grows when a line learns. {SPREAD}"
    )
    panels = [(item, {"item": item}, colours[item], f"{MONEY} per unit") for item in items]
    return yearly_fans(
        report, "unit-cost", title, caption, catalogue.ITEM_UNIT_COST_IN_YEAR, panels
    )
