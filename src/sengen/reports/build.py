"""What a report shows: the published declarations of one fiscal year, evaluated, and the city's summary.

Everything comes from the query layer and the evaluated sengen/1 records (the portal's source too),
so a figure and its status in the printed report are the ones the portal and `sengen evaluate` show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document, rules
from sengen.core.evaluation import STATUSES, status_text
from sengen.core.figures import Figure, canonical, format_figure
from sengen.core.messages import SengenError, register, render
from sengen.core.wareki import format_fiscal_year
from sengen.interchange import Declaration, Indicator
from sengen.interchange.evaluation import as_of_year, explain, rollups
from sengen.interchange.table import kpi_columns, value_at
from sengen.portal.charts import indicator_chart

Kind = Literal["declarations", "achievement"]

register(
    {
        "report.nothing": (
            "{year}に公開された目標宣言がありません。年度を確かめるか、目標宣言を取り込んで公開してください。",
            "No declaration of {year_en} is published. Check the year, or import and publish declarations.",
        ),
        "report.no_department": (
            "{year}の「{name}」の目標宣言は公開されていません。この年度の部：{names}",
            'No declaration of "{name}" is published for {year_en}. Departments of that year: {names_en}',
        ),
        "report.title.declarations": ("部長の目標宣言", "Department heads' goal declarations"),
        "report.title.achievement": ("部長の目標宣言 達成状況報告", "Goal declarations: achievement report"),
    }
)

# Flags that ask the planning office to look at a target again, not merely to read it with care:
# a target already met, set under an earlier plan, pointing the wrong way, or figures outside the
# period the target covers. An off_track status is added by the summary itself.
REVIEW_FLAGS: tuple[str, ...] = (
    "target_met_early",
    "target_from_earlier_plan",
    "direction_conflict",
    "outside_period",
)
STAGE_LABELS = {"midyear": "中間", "yearend": "年度末"}


@dataclass(frozen=True)
class Row:
    """One KPI row: the indicator, its figures by column and (achievement only) its chart."""

    indicator: Indicator
    values: list[object]
    latest: str = ""
    latest_note: str = ""  # the year and actual/estimate, on a line of its own
    status: str = ""
    forecast: str = ""
    forecast_note: str = ""
    flags: list[str] = field(default_factory=list)
    chart: str = ""
    sentence: str = ""


@dataclass(frozen=True)
class Section:
    """One department's part of the report."""

    anchor: str
    declaration: Declaration
    columns: list[tuple[str, int]]
    rows: list[Row]
    as_of: str


@dataclass(frozen=True)
class ReviewItem:
    department: str
    indicator: Indicator
    reasons: list[str]


@dataclass(frozen=True)
class Report:
    kind: Kind
    fiscal_year: int
    department: str | None
    title: str
    year_text: str
    sections: list[Section]
    summary: list[dict]
    city: dict
    review: list[ReviewItem]

    @property
    def status_headers(self) -> list[tuple[str, str]]:
        return [(s, status_text(s, "ja", rules())) for s in STATUSES]

    @property
    def plans(self) -> list[str]:
        names = []
        for s in self.sections:
            plan = s.declaration.plan
            if plan is None:
                continue
            text = f"{plan.name}（計画期間: {format_fiscal_year(plan.start_year)}～{format_fiscal_year(plan.end_year)}）"
            if text not in names:
                names.append(text)
        return names


def _figure(value: Decimal | None, unit: str | None) -> str:
    return "" if value is None else format_figure(Figure(value=canonical(value), unit=unit))


def _row(indicator: Indicator, columns: list[tuple[str, int]], kind: Kind, prefix: str) -> Row:
    values = [value_at(indicator, column) for column in columns]
    e = indicator.evaluation
    if kind == "declarations" or e is None:
        return Row(indicator=indicator, values=values)
    latest = latest_note = forecast = forecast_note = ""
    if e.latest is not None:
        latest = _figure(e.latest.value, indicator.unit)
        what = "見込" if e.latest.kind == "estimate" else "実績"
        latest_note = f"{format_fiscal_year(e.latest.fiscal_year, short=True)}{what}"
    if e.forecast is not None:
        forecast = _figure(e.forecast.value, indicator.unit)
        forecast_note = "達成見込" if e.forecast.meets_target else "未達見込"
    return Row(
        indicator=indicator,
        values=values,
        latest=latest,
        latest_note=latest_note,
        status=status_text(e.status, "ja", rules()),
        forecast=forecast,
        forecast_note=forecast_note,
        flags=[
            render(
                f"evaluation.flag_short.{f.code}",
                {"year": f"({format_fiscal_year(f.fiscal_year, short=True)})" if f.fiscal_year else ""},
            )
            for f in e.flags
        ],
        chart=indicator_chart(indicator, lang="ja", id_prefix=prefix),
        sentence=explain(indicator, "ja"),
    )


def _section(n: int, d: Declaration, kind: Kind) -> Section:
    columns = kpi_columns(d.indicators)
    as_of = as_of_year(d)
    return Section(
        anchor=f"d{n}",
        declaration=d,
        columns=columns,
        rows=[_row(i, columns, kind, f"c{n}-{k}") for k, i in enumerate(d.indicators)],
        as_of=format_fiscal_year(as_of) if as_of is not None else "",
    )


def review_items(declarations: list[Declaration]) -> list[ReviewItem]:
    """Indicators whose target the planning office should look at again, in report order."""
    items = []
    for d in declarations:
        for i in d.indicators:
            e = i.evaluation
            if e is None:
                continue
            reasons = [f.message["ja"] for f in e.flags if f.code in REVIEW_FLAGS]
            if e.status == "off_track":
                reasons.append(f"{status_text('off_track', 'ja', rules())}：{explain(i, 'ja')}")
            if reasons:
                items.append(ReviewItem(d.department, i, reasons))
    return items


def departments(fiscal_year: int, department: str | None = None) -> list[str]:
    """The departments the report covers, in report order.

    Raises SengenError when the year has no published declaration, or the department none that year.
    """
    years = {"year": format_fiscal_year(fiscal_year), "year_en": format_fiscal_year(fiscal_year, "en")}
    names = list(queries.declarations(fiscal_year=fiscal_year).values_list("department__name", flat=True))
    if not names:
        raise SengenError("report.nothing", **years)
    if department is None:
        return names
    if department not in names:
        raise SengenError(
            "report.no_department",
            **years,
            name=department,
            names="、".join(names),
            names_en=", ".join(names),
        )
    return [department]


def build(
    fiscal_year: int,
    department: str | None = None,
    kind: Kind = "declarations",
    step: Callable[[str], None] | None = None,
) -> Report:
    """The report's data; ``step`` is called once per department (a progress bar).

    Raises SengenError as :func:`departments` does.
    """
    departments(fiscal_year, department)
    document = evaluated_document(queries.declarations(fiscal_year=fiscal_year, department=department))
    sections = []
    for n, d in enumerate(document.declarations, start=1):
        sections.append(_section(n, d, kind))
        if step is not None:
            step(d.department)
    # One year only, so one row per department; the city row adds departments, never years.
    summary = [
        {
            "department": row["department"],
            "cells": [row["counts"][s] for s in STATUSES],
            "total": row["total"],
        }
        for row in rollups(document)["declarations"]
    ]
    city = [sum(row["cells"][k] for row in summary) for k in range(len(STATUSES))]
    return Report(
        kind=kind,
        fiscal_year=fiscal_year,
        department=department,
        title=render(f"report.title.{kind}"),
        year_text=format_fiscal_year(fiscal_year),
        sections=sections,
        summary=summary,
        city={"cells": city, "total": sum(city)},
        review=review_items(document.declarations) if kind == "achievement" else [],
    )
