"""sengen export --format FORMAT [--year FY] [--department NAME] [-o FILE] [--schema].

Formats (sengen.exports.FORMATS): json (sengen/1), csv, csv-wide, xlsx, stratml, ttl, jsonld, html.
Only published declarations are exported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sengen.catalog import queries
from sengen.catalog.evaluation import evaluated_document
from sengen.commandbase import SengenCommand, fiscal_year_arg, write_atomically
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.core.wareki import format_fiscal_year
from sengen.exports import FORMATS
from sengen.interchange import jsonio

register(
    {
        "export.unknown_department": (
            "部「{name}」の目標宣言はありません。部の名前は sengen export の出力の department にあります。",
            'There are no declarations of the department "{name}". '
            "Department names are in the department field of sengen export.",
        ),
        "export.unknown_department_near": (
            "部「{name}」の目標宣言はありません。「{match}」の誤りではありませんか。",
            'There are no declarations of the department "{name}". Did you mean "{match}"?',
        ),
        "export.nothing": (
            "条件に合う目標宣言がありません（{criteria}）。年度や部を確かめてください。",
            "No declaration matches ({criteria}). Check the year and department.",
        ),
        "export.binary_to_terminal": (
            "{format} はバイナリ形式のため、端末には書き出せません。-o でファイルを指定してください。",
            "{format} is a binary format and cannot be written to a terminal. Name a file with -o.",
        ),
        "export.cannot_write": (
            "書き込めません（{reason}）。出力先のフォルダと権限を確かめてください。",
            "Cannot write the file ({reason}). Check the folder and permissions.",
        ),
    }
)


class Command(SengenCommand):
    help = "目標宣言を sengen/1 JSON で書き出します / Export declarations as sengen/1 JSON."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--format",
            choices=list(FORMATS),
            default="json",
            help="出力形式 / output format (docs/open-data.md)",
        )
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "cp932"],
            default="utf-8",
            help="CSV の文字コード（既定 UTF-8 BOM 付き） / CSV encoding (default UTF-8 with BOM)",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="CP932 で書けない文字を〓に置き換える / replace characters CP932 cannot hold with 〓",
        )
        parser.add_argument("--base-iri", help="RDF の基底 IRI / base IRI of the RDF (ttl, jsonld)")
        parser.add_argument(
            "--year", type=fiscal_year_arg, help="年度（2020 または 令和2年度） / fiscal year"
        )
        parser.add_argument("--department", help="部の名前 / department name")
        parser.add_argument(
            "-o", "--output", help="出力ファイル（省略時は標準出力） / output file (default stdout)"
        )
        parser.add_argument(
            "--schema", action="store_true", help="sengen/1 の JSON Schema を出力 / print the JSON Schema"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schema"]:
            text: str | bytes = json.dumps(jsonio.schema(), ensure_ascii=False, indent=2) + "\n"
        else:
            chosen = FORMATS[options["format"]]
            if chosen.binary and not options["output"] and sys.stdout.isatty():
                self.refuse(
                    [Problem("export.binary_to_terminal", {"format": chosen.name}, Location("-o"))],
                    nothing_written=False,
                )
            document = self._document(options["year"], options["department"])
            try:
                text = chosen.write(
                    document,
                    encoding=options["encoding"],
                    replace=options["replace"],
                    target=options["output"] or "stdout",
                    base_iri=options["base_iri"],
                    lang=self.lang,
                )
            except SengenError as exc:
                self.refuse(getattr(exc, "problems", None) or [Problem.from_error(exc, Location("sengen"))])
        if options["output"]:
            try:
                write_atomically(Path(options["output"]), text)
            except OSError as exc:
                self.refuse(
                    [
                        Problem(
                            "export.cannot_write",
                            {"reason": exc.strerror or str(exc)},
                            Location(options["output"]),
                        )
                    ],
                    nothing_written=False,
                )
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8") if isinstance(text, str) else text)
            sys.stdout.buffer.flush()

    def _document(self, year: int | None, department: str | None):
        self.require_migrated()
        if department is not None:
            self.require_department(department, "export")
        selected = queries.declarations(fiscal_year=year, department=department)
        if not selected.exists() and (year is not None or department is not None):
            criteria = ", ".join(
                part
                for part in (format_fiscal_year(year, self.lang) if year else "", department or "")
                if part
            )
            self.refuse(
                [Problem("export.nothing", {"criteria": criteria}, Location("sengen"))], nothing_written=False
            )
        return evaluated_document(selected)
