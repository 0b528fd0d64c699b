"""What Sengen's own management commands share: --lang, refusing input, fiscal-year options."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from sengen.core.messages import Lang, Location, Problem, SengenError, default_lang, register
from sengen.core.wareki import parse_fiscal_year

register(
    {
        "cli.not_migrated": (
            "データベースが初期化されていません。先に sengen migrate を実行してください。",
            "The database is not set up yet. Run sengen migrate first.",
        ),
        "cli.unknown_command": (
            "「{name}」というコマンドはありません。sengen help で使えるコマンドを確かめてください。",
            'There is no command "{name}". Run sengen help to see the commands.',
        ),
        "cli.refused": (
            "エラーがあるため中止しました。データベースは変更されていません。",
            "Stopped because of the errors above. Nothing was written to the database.",
        ),
    }
)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write via a temporary file beside the target, so a failed run never leaves half a file behind.

    mkstemp makes the file private (0600); what a command writes is meant to be handed out, so the
    result gets the permissions the user's umask gives any new file.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fiscal_year_arg(text: str) -> int:
    """argparse type for --year: 2020, 令和2年度, R2 … all mean fiscal 2020."""
    try:
        return parse_fiscal_year(text)
    except SengenError as exc:
        raise argparse.ArgumentTypeError(exc.message(default_lang())) from exc


class SengenCommand(BaseCommand):
    """Base for commands that take user input: messages in the user's language, exit 1 on refusal."""

    lang: Lang = "ja"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--lang",
            choices=["ja", "en"],
            default=default_lang(),
            help="メッセージの言語 / language of messages (default: ja; LANG=en* gives en)",
        )
        return parser

    def execute(self, *args: Any, **options: Any) -> Any:
        self.lang = options.get("lang") or default_lang()
        return super().execute(*args, **options)

    def report(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.stderr.write(problem.render(self.lang))

    def refuse(self, problems: list[Problem], *, nothing_written: bool = True) -> None:
        """Print the problems and leave with exit code 1 (never a traceback)."""
        self.report(problems)
        if nothing_written:
            self.stderr.write(Problem("cli.refused", location=Location("sengen")).render(self.lang))
        self.stderr.flush()
        sys.exit(1)

    def require_department(self, name: str, messages: str) -> None:
        """Refuse an unknown --department, suggesting the closest known name. ``messages`` is the
        command's prefix of ``.unknown_department`` and ``.unknown_department_near``."""
        from sengen.catalog.models import Department

        if Department.objects.filter(name=name).exists():
            return
        names = list(Department.objects.values_list("name", flat=True))
        near = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
        where = Location("--department")
        if near:
            problem = Problem(f"{messages}.unknown_department_near", {"name": name, "match": near[0]}, where)
        else:
            problem = Problem(f"{messages}.unknown_department", {"name": name}, where)
        self.refuse([problem], nothing_written=False)

    def require_migrated(self) -> None:
        if "catalog_declaration" not in connection.introspection.table_names():
            self.refuse([Problem("cli.not_migrated", location=Location("sengen"))], nothing_written=False)
