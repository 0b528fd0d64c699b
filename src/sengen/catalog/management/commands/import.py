"""sengen import FILE... [--dry-run]: all files or nothing; re-importing changes nothing."""

from __future__ import annotations

from typing import Any

from sengen.catalog.loader import LoadError, load, with_stored_text
from sengen.commandbase import SengenCommand
from sengen.core.messages import has_errors
from sengen.ingest import read_path


class Command(SengenCommand):
    help = (
        "目標宣言を取り込みます（ページ本文テキスト・sengen/1 JSON・CSV・XLSX）。1件でもエラーがあれば何も書き込みません。 / "
        "Import goal declarations (page text, sengen/1 JSON, CSV, XLSX); any error means nothing is written."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="取り込むファイル / files to import")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="変更内容を表示するだけで書き込みません / report what would change, write nothing",
        )

    def handle(self, *args: Any, files: list[str], dry_run: bool, **options: Any) -> None:
        results = [read_path(path) for path in files]
        problems = [p for r in results for p in r.problems]
        if has_errors(problems) or any(r.document is None for r in results):
            self.refuse(problems)
        self.report(problems)
        self.require_migrated()
        documents = [
            with_stored_text(r.document) if r.kpi_only else r.document
            for r in results
            if r.document is not None
        ]
        try:
            report = load(documents, dry_run=dry_run, source=", ".join(files))
        except LoadError as exc:
            self.refuse(exc.problems)
        self.stdout.write(report.render(self.lang))
