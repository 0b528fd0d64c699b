"""sengen demo: set up the database, load the project's own demo declarations, serve."""

from __future__ import annotations

import secrets
from importlib import resources
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from sengen.catalog.loader import LoadError, load
from sengen.commandbase import SengenCommand
from sengen.core.messages import has_errors
from sengen.ingest import read_bytes

# Demo staff of 市民生活部 and the planning office, to try the workspace (development only).
DEMO_STAFF = [
    ("kikaku", "admin", None),
    ("bucho", "approver", "市民生活部"),
    ("tanto", "editor", "市民生活部"),
    ("etsuran", "viewer", "市民生活部"),
]


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
        if settings.DEBUG:
            self._demo_staff()
        if not no_serve:
            call_command("serve", host=host, port=port)

    def _demo_staff(self) -> None:
        """Create the demo staff once, with one password printed here (never on a production site:
        only with SENGEN_DEBUG on)."""
        from sengen.catalog.models import Department
        from sengen.workspace.models import Membership

        users = get_user_model().objects
        if users.filter(username__in=[name for name, _, _ in DEMO_STAFF]).exists():
            self.stdout.write(
                "デモ用の職員アカウントは作成済みです。パスワードは sengen changepassword tanto などで変えられます。 / "
                "The demo staff accounts exist already; change a password with e.g. sengen changepassword tanto."
            )
            return
        password = secrets.token_urlsafe(12)
        for name, role, department in DEMO_STAFF:
            user = users.create_user(
                username=name, password=password, is_staff=role == "admin", is_superuser=role == "admin"
            )
            dept = Department.objects.get(name=department) if department else None
            Membership.objects.create(user=user, role=role, department=dept)
        self.stdout.write(
            "デモ用の職員アカウント / demo staff accounts (/workspace/): "
            + ", ".join(f"{name} ({role})" for name, role, _ in DEMO_STAFF)
            + f" — パスワード / password: {password}"
        )
