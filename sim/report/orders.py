"""The report's "Orders and funding" section and figure, for lines funded by orders.

A line with ``orders`` (:mod:`sim.production.orders`) can stand idle for want of a funded unit even
with capacity and inputs to spare; that is a budget's limit, not industry's, and a reader
comparing plans wants to see it apart from starvation and disruptions. The section shows,
per ordering line, the days it stood idle unfunded and the units awarded but not yet
started on each 31 December (the order backlog: work under contract ahead of the line),
and ``order-backlog.png`` draws the backlog's spread per year. Scenarios without orders
get neither, so their reports do not change.
"""

from __future__ import annotations

from typing import Any

from sim import catalogue
from sim.report.canvas import SPREAD, Plan, line_fans
from sim.report.facts import LineFacts, lines_by_item, mean, metric
from sim.report.tables import Table, format_number, format_spread
from sim.runs.montecarlo import Run

TITLE = "Orders and funding"
FIGURE = "order-backlog"


def ordering_lines(run: Run) -> list[LineFacts]:
    """Lines whose starts are funded by orders, in the report's line order."""
    return [line for line in lines_by_item(run) if run.scenario.lines[line.name].orders is not None]


def orders_verdict(report: dict[str, Any], lines: list[LineFacts]) -> str:
    """One sentence on the line that stood idle longest for want of funded orders."""
    idle = max(lines, key=lambda line: mean(report, catalogue.LINE_UNFUNDED_DAYS, line=line.name))
    days = mean(report, catalogue.LINE_UNFUNDED_DAYS, line=idle.name)
    last = report["years"][-1]
    backlog = metric(report, catalogue.LINE_ORDER_BACKLOG_END, line=idle.name, year=last)
    if days <= 0:
        return (
            "No line with orders stood idle for want of a funded unit: orders kept ahead "
            "of capacity throughout."
        )
    return (
        f"{idle.name} stood idle for want of a funded unit on {format_number(days)} days "
        f"on average over the horizon, with {format_number(backlog['mean'])} {idle.unit} "
        f"awarded but not started at the end of {last}."
    )


def orders_table(report: dict[str, Any], lines: list[LineFacts]) -> Table:
    """Order backlog on 31 December per year, then unfunded days, one column per line."""
    rows = [
        (
            str(year),
            *(
                format_spread(
                    metric(report, catalogue.LINE_ORDER_BACKLOG_END, line=line.name, year=year)
                )
                for line in lines
            ),
        )
        for year in report["years"]
    ]
    rows.append(
        (
            "Unfunded days",
            *(
                format_spread(metric(report, catalogue.LINE_UNFUNDED_DAYS, line=line.name))
                for line in lines
            ),
        )
    )
    return Table(
        header=("Backlog on 31 December", *(f"{line.name} ({line.unit})" for line in lines)),
        rows=tuple(rows),
        numeric=(False, *(True for _ in lines)),
    )


NOTE = (
    "Units awarded and not yet started on 31 December (mean, P5–P95): the work under "
    "contract ahead of each line. Unfunded days are days a line had a unit of capacity "
    "ready but no funded unit to start; the capacity of those days is lost. A rate cap "
    "(funded_per_year) shows as funding-capped days in the table above instead."
)


def order_backlog_figure(run: Run, report: dict[str, Any], colours: dict[str, str]) -> Plan | None:
    """Fan charts of each ordering line's year-end order backlog (None without orders)."""

    lines = ordering_lines(run)
    if not lines:
        return None
    last = report["years"][-1]
    title = "Order backlog of each line on 31 December"
    caption = (
        "Units awarded and not yet started at each year's end: above zero, the line has "
        f"work under contract; at zero, it waits for the next award. {SPREAD}"
    )
    return line_fans(
        report,
        colours,
        lines,
        lambda line: mean(report, catalogue.LINE_ORDER_BACKLOG_END, line=line.name, year=last),
        (FIGURE, title, caption),
        catalogue.LINE_ORDER_BACKLOG_END,
        unit="",
    )
