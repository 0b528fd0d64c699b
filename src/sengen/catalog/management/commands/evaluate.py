"""sengen evaluate [--year FY] [--department NAME] [--format table|json|csv]."""

from __future__ import annotations

import csv
import io
import os
import shutil
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document, rules
from sengen.commandbase import SengenCommand, fiscal_year_arg
from sengen.core.evaluation import STATUSES, Rules, status_label, status_text
from sengen.core.figures import Figure, canonical, format_figure, format_number
from sengen.core.messages import Lang, Location, Problem, register, render
from sengen.core.wareki import format_fiscal_year
from sengen.interchange import Declaration, Document
from sengen.interchange.evaluation import as_of_year, rollups
from sengen.interchange.jsonio import dumps_data, number_text

register(
    {
        "evaluate.nothing": (
            "条件に合う目標宣言がありません。年度や部を確かめるか、先に sengen import で取り込んでください。",
            "No declaration matches. Check the year and department, or import declarations first with sengen import.",
        ),
    }
)

CSV_COLUMNS = [
    "fiscal_year",
    "department",
    "project_number",
    "project_name",
    "indicator",
    "unit",
    "direction",
    "baseline_year",
    "baseline",
    "latest_year",
    "latest_kind",
    "latest",
    "target_year",
    "target",
    "progress_rate",
    "achievement_rate",
    "elapsed_share",
    "status",
    "status_label",
    "forecast",
    "forecast_meets_target",
    "flags",
]


def _plain(value: Decimal | None) -> str:
    return "" if value is None else number_text(value)


def _figure(value: Decimal | None, unit: str | None) -> str:
    return "" if value is None else format_figure(Figure(value=canonical(value), unit=unit))


def _percent(rate: Decimal | None) -> str:
    return "" if rate is None else f"{format_number(canonical(rate * 100))}%"


def _width() -> int:
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    return max(shutil.get_terminal_size((160, 24)).columns, 100)


class Command(SengenCommand):
    help = "指標ごとの達成状況を表示します / Print every indicator's evaluation."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year", type=fiscal_year_arg, help="年度（2020 または 令和2年度） / fiscal year"
        )
        parser.add_argument("--department", help="部の名前 / department name")
        parser.add_argument(
            "--format", choices=["table", "json", "csv"], default="table", help="出力形式 / output format"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.require_migrated()
        selected = queries.declarations(fiscal_year=options["year"], department=options["department"])
        if not selected.exists():
            self.refuse([Problem("evaluate.nothing", location=Location("sengen"))], nothing_written=False)
        document = evaluated_document(selected)
        city_rules = rules()
        if options["format"] == "json":
            text = self._json(document)
        elif options["format"] == "csv":
            text = self._csv(document, city_rules)
        else:
            text = self._table(document, city_rules)
        self.stdout.write(text, ending="")

    def _json(self, document: Document) -> str:
        data = {
            "format": "sengen/1-evaluation",
            "evaluations": [
                {
                    "fiscal_year": d.fiscal_year,
                    "department": d.department,
                    "as_of": as_of_year(d),
                    "project": i.project.model_dump(),
                    "indicator": i.name,
                    "unit": i.unit,
                    "evaluation": i.evaluation.model_dump() if i.evaluation else None,
                }
                for d in document.declarations
                for i in d.indicators
            ],
            "rollups": rollups(document),
        }
        return dumps_data(data)

    def _csv(self, document: Document, city_rules: Rules) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for d in document.declarations:
            for i in d.indicators:
                e = i.evaluation
                assert e is not None
                baseline = i.baseline
                writer.writerow(
                    [
                        d.fiscal_year,
                        d.department,
                        i.project.number,
                        i.project.name,
                        i.name,
                        i.unit or "",
                        e.direction or "",
                        baseline.fiscal_year if baseline and baseline.fiscal_year else "",
                        _plain(baseline.value if baseline else None),
                        e.latest.fiscal_year if e.latest else "",
                        e.latest.kind if e.latest else "",
                        _plain(e.latest.value if e.latest else None),
                        e.target.fiscal_year if e.target else "",
                        _plain(e.target.value if e.target else None),
                        _plain(e.progress_rate),
                        _plain(e.achievement_rate),
                        _plain(e.elapsed_share),
                        e.status,
                        status_label(e.status, self.lang, city_rules),
                        _plain(e.forecast.value if e.forecast else None),
                        "" if e.forecast is None else str(e.forecast.meets_target).lower(),
                        ";".join(f"{f.code}:{f.fiscal_year}" if f.fiscal_year else f.code for f in e.flags),
                    ]
                )
        return buffer.getvalue()

    def _table(self, document: Document, city_rules: Rules) -> str:
        lang: Lang = self.lang
        console = Console(file=io.StringIO(), width=_width(), color_system=None, emoji=False)
        for d in document.declarations:
            console.print(self._declaration_table(d, lang, city_rules))
        # One line per department and year: adding up different years would count indicators twice.
        for item in rollups(document)["declarations"]:
            parts = " / ".join(f"{status_label(s, lang, city_rules)} {item['counts'][s]}" for s in STATUSES)
            total = f"（計 {item['total']}）" if lang == "ja" else f" (total {item['total']})"
            year = format_fiscal_year(item["fiscal_year"], lang)
            console.print(f"{year} {item['department']}: {parts}{total}")
        return console.file.getvalue()

    def _declaration_table(self, d: Declaration, lang: Lang, city_rules: Rules) -> Table:
        ja = lang == "ja"
        title = f"{format_fiscal_year(d.fiscal_year, lang)} {d.department}"
        as_of = as_of_year(d)
        if as_of is not None:
            year = format_fiscal_year(as_of, lang)
            title += f"（{year}時点）" if ja else f" (as of {year})"
        table = Table(title=title)
        headers = (
            ["事業番号", "事業指標", "当初水準", "最新値", "目標値", "進捗率", "状況", "予測", "注意"]
            if ja
            else [
                "Project",
                "Indicator",
                "Baseline",
                "Latest",
                "Target",
                "Progress",
                "Status",
                "Forecast",
                "Flags",
            ]
        )
        for header in headers:
            table.add_column(header, overflow="fold")
        for i in d.indicators:
            e = i.evaluation
            assert e is not None
            latest = ""
            if e.latest:
                kind = {"actual": "実績", "estimate": "見込"}[e.latest.kind] if ja else e.latest.kind
                latest = f"{_figure(e.latest.value, i.unit)} ({e.latest.fiscal_year} {kind})"
            forecast = ""
            if e.forecast:
                meets = (
                    ("達成見込" if ja else "meets")
                    if e.forecast.meets_target
                    else ("未達見込" if ja else "misses")
                )
                forecast = f"{_figure(e.forecast.value, i.unit)} {meets}"
            flags = ", ".join(
                render(
                    f"evaluation.flag_short.{f.code}",
                    {"year": f"({f.fiscal_year})" if f.fiscal_year else ""},
                    lang,
                )
                for f in e.flags
            )
            table.add_row(
                i.project.number,
                i.name,
                _figure(i.baseline.value if i.baseline else None, i.unit),
                latest,
                _figure(e.target.value if e.target else None, i.unit),
                _percent(e.progress_rate),
                status_text(e.status, lang, city_rules),
                forecast,
                flags,
            )
        return table
