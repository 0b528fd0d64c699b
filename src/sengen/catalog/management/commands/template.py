"""sengen template --year FY --department NAME -o FILE.xlsx: the Excel input template of a declaration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sengen.catalog import queries
from sengen.commandbase import SengenCommand, fiscal_year_arg, write_atomically
from sengen.core.messages import Location, Problem, register, render
from sengen.core.wareki import format_fiscal_year
from sengen.exports.xlsx_template import write_template

register(
    {
        "template.unknown_department": (
            "部「{name}」の目標宣言はありません。部の名前は sengen export の出力の department にあります。",
            'There are no declarations of the department "{name}". '
            "Department names are in the department field of sengen export.",
        ),
        "template.unknown_department_near": (
            "部「{name}」の目標宣言はありません。「{match}」の誤りではありませんか。",
            'There are no declarations of the department "{name}". Did you mean "{match}"?',
        ),
        "template.no_base": (
            "{department} には {year_ja} までに公表された目標宣言がありません。"
            "テンプレートは公表済みの目標宣言の指標から作ります。先に sengen import で取り込んでください。",
            "{department} has no declaration published up to FY{year}. The template is built from a "
            "published declaration's indicators: import one first with sengen import.",
        ),
        "template.cannot_write": (
            "書き込めません（{reason}）。出力先のフォルダと権限を確かめてください。",
            "Cannot write the file ({reason}). Check the folder and permissions.",
        ),
        "template.written": (
            "{year_ja} {department} の入力用テンプレートを {path} に書き出しました"
            "（指標 {count}件、{base_ja}の目標宣言から）。",
            "Wrote the FY{year} {department} input template to {path} "
            "({count} indicators, from the FY{base} declaration).",
        ),
    }
)


class Command(SengenCommand):
    help = (
        "目標宣言の入力用 Excel テンプレートを作ります / "
        "Make the Excel input template of a department's declaration."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year", type=fiscal_year_arg, required=True, help="年度（2021 または 令和3年度） / fiscal year"
        )
        parser.add_argument("--department", required=True, help="部の名前 / department name")
        parser.add_argument(
            "-o", "--output", required=True, help="出力する .xlsx ファイル / output .xlsx file"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year, department, output = options["year"], options["department"], options["output"]
        self.require_migrated()
        self.require_department(department, "template")
        stored = queries.declarations(department=department).filter(fiscal_year__lte=year).last()
        if stored is None:
            params = {"department": department, "year": year, "year_ja": format_fiscal_year(year)}
            self.refuse([Problem("template.no_base", params, Location("--year"))], nothing_written=False)
        base = queries.to_record(stored)
        try:
            write_atomically(Path(output), write_template(base, year))
        except OSError as exc:
            reason = {"reason": exc.strerror or str(exc)}
            self.refuse([Problem("template.cannot_write", reason, Location(output))], nothing_written=False)
        params = {
            "year": year,
            "year_ja": format_fiscal_year(year),
            "department": department,
            "path": output,
            "count": len(base.indicators),
            "base": base.fiscal_year,
            "base_ja": format_fiscal_year(base.fiscal_year, short=True),
        }
        self.stdout.write(render("template.written", params, self.lang))
