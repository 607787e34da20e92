"""The report's tables and number formatting, shared by the Markdown and HTML renderers.

A :class:`Table` is plain text in rows and columns: every number is formatted here, once,
so the two renderings of a report cannot disagree about rounding, separators or what an
empty cell looks like. Conventions: thousands separators; no decimals from 10 up, one
below, two below 1; "mean (P5–P95)" for a spread across replications; "—" where a
metric is not reported or undefined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sim import catalogue
from sim.catalogue import Family
from sim.report.facts import Bottleneck, LineFacts, Summary, metric, reported

MISSING = "—"


@dataclass(frozen=True)
class Table:
    """Header and rows of text; `numeric` marks the columns to align right."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]


def format_number(value: float | None) -> str:
    """A number rounded for reading: '1,243', '68', '7.5', '0.11'; '—' when undefined.

    Two or three significant figures are all a Monte Carlo mean can honestly claim, and
    trailing zeros are dropped so that '23.0' and '23' never sit side by side.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    magnitude = abs(value)
    decimals = 0 if magnitude >= 10 else 1 if magnitude >= 1 else 2
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_signed(value: float | None) -> str:
    """'+410', '-3.5', '0': a difference between runs, its sign always shown."""
    text = format_number(value)
    return text if text in (MISSING, "0") or text.startswith("-") else f"+{text}"


def format_spread(summary: Summary | None, unit: str = "") -> str:
    """'712 missiles (661–760)': the mean, then the P5–P95 spread across replications."""
    if summary is None or summary.get("mean") is None:
        return MISSING
    middle = format_number(summary["mean"]) + (f" {unit}" if unit else "")
    low, high = format_number(summary["p5"]), format_number(summary["p95"])
    return middle if low == high else f"{middle} ({low}–{high})"


def format_interval(summary: Summary | None) -> str:
    """'1,230–1,255': the 95 % confidence interval of the mean."""
    if summary is None or summary.get("mean") is None:
        return MISSING
    low, high = summary["ci95"]
    return f"{format_number(low)}–{format_number(high)}"


def format_percent(fraction: float | None) -> str:
    """'32 %' (the report's style puts a space before the sign)."""
    if fraction is None or not math.isfinite(fraction):
        return MISSING
    text = f"{100 * fraction:.0f}"
    return f"{'0' if text == '-0' else text} %"


def format_percent_spread(summary: Summary | None) -> str:
    """'64 % (48–79 %)': a fraction's mean, then its P5–P95 spread across replications."""
    if summary is None or summary.get("mean") is None:
        return MISSING
    middle = format_percent(summary["mean"])
    low, high = format_percent(summary["p5"]), format_percent(summary["p95"])
    return middle if low == high else f"{middle} ({low[:-2]}–{high})"


def format_years(years: list[int]) -> str:
    """'2026–2030', or '2026' for a one-year horizon."""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def item_year_table(
    report: dict[str, Any], item: str, unit: str, owners: Sequence[str] = ()
) -> Table:
    """Deliveries, 31 December stock and shortfall of one end item, per year and in total.

    With more than one owner (the US and Japan each holding some), the stock each holds
    follows the total, so a reader sees whose shelves the units are on."""
    # an end item no line makes has no deliveries, one no one demands no shortfall
    held = list(owners) if len(owners) > 1 else []
    rows = [
        (
            str(year),
            format_spread(
                reported(report, catalogue.ITEM_DELIVERIES_IN_YEAR, item=item, year=year)
            ),
            format_spread(metric(report, catalogue.ITEM_STOCK_END, item=item, year=year)),
            *(
                format_spread(
                    reported(
                        report, catalogue.ITEM_OWNER_STOCK_END, item=item, owner=owner, year=year
                    )
                )
                for owner in held
            ),
            format_spread(reported(report, catalogue.ITEM_SHORTFALL_IN_YEAR, item=item, year=year)),
        )
        for year in report["years"]
    ]
    rows.append(
        (
            "All years",
            format_spread(reported(report, catalogue.ITEM_DELIVERIES, item=item)),
            MISSING,
            *(MISSING for _ in held),
            format_spread(reported(report, catalogue.ITEM_SHORTFALL, item=item)),
        )
    )
    return Table(
        header=(
            "Year",
            f"Deliveries ({unit})",
            f"Stock on 31 December ({unit})",
            *(f"of which {owner} ({unit})" for owner in held),
            f"Shortfall ({unit})",
        ),
        rows=tuple(rows),
        numeric=(False, True, True, *(True for _ in held), True),
    )


def line_table(report: dict[str, Any], lines: list[LineFacts]) -> Table:
    """What each line made over the horizon and how busy, or held back, it was."""

    def mean(line: LineFacts, family: Family) -> float | None:
        return metric(report, family, line=line.name)["mean"]

    rows = tuple(
        (
            line.name,
            line.item,
            line.country,
            format_spread(metric(report, catalogue.LINE_OUTPUT, line=line.name), line.unit),
            format_percent(mean(line, catalogue.LINE_UTILISATION)),
            format_number(mean(line, catalogue.LINE_STARVED_DAYS)),
            format_number(mean(line, catalogue.LINE_FUNDING_CAPPED_DAYS)),
            format_number(mean(line, catalogue.LINE_DISRUPTED_DAYS)),
        )
        for line in lines
    )
    return Table(
        header=(
            "Line",
            "Makes",
            "Country",
            "Total output",
            "Utilisation",
            "Starved days",
            "Funding-capped days",
            "Disrupted days",
        ),
        rows=rows,
        numeric=(False, False, False, True, True, True, True, True),
    )


def bottleneck_table(bottlenecks: list[Bottleneck], horizon_days: int) -> Table:
    """Lines with inputs, ranked by days starved of them (the caller ranks)."""
    rows = tuple(
        (
            str(rank),
            entry.line.name,
            entry.line.item,
            format_number(entry.starved_days),
            format_interval(entry.starved),
            format_percent(entry.starved_days / horizon_days),
            _limiting(entry),
            ", ".join(entry.line.suppliers),
        )
        for rank, entry in enumerate(bottlenecks, start=1)
    )
    return Table(
        header=(
            "Rank",
            "Line",
            "Makes",
            "Starved days",
            "95 % CI",
            "Share of horizon",
            "Limiting input (supplier)",
            "Supplied by",
        ),
        rows=rows,
        numeric=(True, False, False, True, True, True, False, False),
    )


def _limiting(entry: Bottleneck) -> str:
    """'PAC-3 seeker (seeker-us), 135 days': the input the line was short of most often."""
    limiting = entry.limiting
    if limiting is None:
        return MISSING
    suppliers = ", ".join(limiting.suppliers) or "no supplier"
    return f"{limiting.item} ({suppliers}), {format_number(limiting.starved_days)} days"


def recovery_table(report: dict[str, Any], items: list[str]) -> Table:
    """Days for each conflict-hit item's stock to return to its pre-conflict level.

    Replications where it never recovers, or where no conflict happened, have no value,
    so the count of replications with one is shown beside the spread.
    """
    rows = []
    for item in items:
        summary = reported(report, catalogue.ITEM_RECOVERY_DAYS, item=item)
        if summary is None:
            continue
        rows.append(
            (
                item,
                f"{summary['n']:,} of {report['run']['replications']:,}",
                format_spread(summary),
                format_interval(summary),
            )
        )
    return Table(
        header=("Item", "Recovered in (replications)", "Days to recover", "95 % CI"),
        rows=tuple(rows),
        numeric=(False, True, True, True),
    )


def surge_table(report: dict[str, Any], lines: list[str]) -> Table:
    """Units each surging line started on its wartime surge, per year it surged and in all.

    Only years in which some line's mean is at least half a unit get a column, so a
    ten-year horizon shows the conflict years, not a row of zeros.
    """
    years = [
        year
        for year in report["years"]
        if any(
            (summary := reported(report, catalogue.LINE_SURGE_OUTPUT_IN_YEAR, line=line, year=year))
            is not None
            and (summary["mean"] or 0.0) >= 0.5
            for line in lines
        )
    ]
    rows = tuple(
        (
            line,
            *(
                format_spread(
                    reported(report, catalogue.LINE_SURGE_OUTPUT_IN_YEAR, line=line, year=year)
                )
                for year in years
            ),
            format_spread(reported(report, catalogue.LINE_SURGE_OUTPUT, line=line)),
        )
        for line in lines
    )
    return Table(
        header=("Line", *(str(year) for year in years), "All years"),
        rows=rows,
        numeric=(False, *(True for _ in years), True),
    )
