"""sengen report --year FY [--department NAME] --kind declarations|achievement --format pdf|html -o FILE."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sengen.commandbase import SengenCommand, fiscal_year_arg, write_atomically
from sengen.core.messages import Location, Problem, SengenError, register
from sengen.reports.build import build, departments
from sengen.reports.html import render_html, stylesheet
from sengen.reports.pdf import fonts_missing, write_pdf

register(
    {
        "report.no_folder": (
            "出力先のフォルダ「{folder}」がありません。フォルダを作るか、-o で別の場所を指定してください。",
            'The output folder "{folder}" does not exist. Create it, or give another place with -o.',
        ),
        "report.cannot_write": (
            "書き込めません（{reason}）。出力先のフォルダと権限を確かめてください。",
            "Cannot write the file ({reason}). Check the folder and permissions.",
        ),
    }
)


@contextlib.contextmanager
def progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr, one step per department (twice: data, then HTML) and one for the
    layout; only on a terminal, so logs and tests see no control characters."""
    if not sys.stderr.isatty():
        yield lambda _name: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("report", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)


class Command(SengenCommand):
    help = "議会・市民向けの報告書（PDF・HTML）を作ります / Make the printed reports (PDF or HTML)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year", type=fiscal_year_arg, required=True, help="年度（2020 または 令和2年度） / fiscal year"
        )
        parser.add_argument("--department", help="部の名前（省略時は全部） / department (default: all)")
        parser.add_argument(
            "--kind",
            choices=["declarations", "achievement"],
            default="declarations",
            help="declarations = 目標宣言集、achievement = 達成状況報告 / which report",
        )
        parser.add_argument(
            "--format", choices=["pdf", "html"], default="pdf", help="出力形式 / output format"
        )
        parser.add_argument("-o", "--output", required=True, help="出力ファイル / output file")

    def handle(self, *args: Any, **options: Any) -> None:
        self.require_migrated()
        output = Path(options["output"])
        folder = output.parent
        if not folder.is_dir():
            self.refuse(
                [Problem("report.no_folder", {"folder": str(folder)}, Location("-o"))], nothing_written=False
            )
        as_pdf = options["format"] == "pdf"
        if as_pdf and fonts_missing():
            self.refuse([Problem("report.no_fonts", location=Location("sengen"))], nothing_written=False)
        location = Location("--department" if options["department"] else "--year")
        try:
            count = len(departments(options["year"], options["department"]))
        except SengenError as exc:
            self.refuse([Problem.from_error(exc, location)], nothing_written=False)
        with progress(2 * count + (1 if as_pdf else 0)) as step:
            report = build(options["year"], options["department"], options["kind"], step=step)
            html = render_html(report, inline_css=not as_pdf, step=step)
            data = html.encode("utf-8")
            if as_pdf:
                data = self._pdf(html)
                step("PDF")
        try:
            write_atomically(output, data)
        except OSError as exc:
            self.refuse(
                [Problem("report.cannot_write", {"reason": exc.strerror or str(exc)}, Location(str(output)))],
                nothing_written=False,
            )

    def _pdf(self, html: str) -> bytes:
        try:
            data, variant = write_pdf(html, stylesheet())
        except OSError as exc:  # Pango missing: WeasyPrint cannot load its libraries
            self.refuse(
                [Problem("report.no_weasyprint", {"reason": str(exc)}, Location("sengen"))],
                nothing_written=False,
            )
        if self.verbosity > 1:
            self.stderr.write(f"PDF: {variant}")
        return data

    def execute(self, *args: Any, **options: Any) -> Any:
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)
