"""sengen demo: set up the database, load the project's own demo declarations, serve."""

from __future__ import annotations

from importlib import resources
from typing import Any

from django.core.management import call_command

from sengen.catalog.loader import LoadError, load
from sengen.commandbase import SengenCommand
from sengen.core.messages import has_errors
from sengen.ingest import read_bytes


def demo_files() -> list[tuple[str, bytes]]:
    folder = resources.files("sengen.demo") / "declarations"
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".txt")), key=lambda e: e.name)
    return [(f"demo/{e.name}", e.read_bytes()) for e in entries]


class Command(SengenCommand):
    help = "デモデータを取り込み、ポータルを起動します / Load the demo data and serve the portal."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="取り込みだけ行う / load the demo data only"
        )

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        results = [read_bytes(data, name) for name, data in demo_files()]
        problems = [p for r in results for p in r.problems]
        if has_errors(problems):
            self.refuse(problems)
        try:
            report = load([r.document for r in results if r.document is not None], source="demo")
        except LoadError as exc:
            self.refuse(exc.problems)
        self.stdout.write(report.render(self.lang))
        if not no_serve:
            call_command("serve", host=host, port=port)
