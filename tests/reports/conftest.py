"""Report fixtures: the `sengen` command in a real process on its own scratch SQLite database.

The command tests (test_report_command.py) carry no django_db or postgres_too marker, so they run in
the SQLite pass of `make test` only: each starts processes on a SQLite file of its own, and the query
layer the reports read through is covered on PostgreSQL by test_build.py and the other suites. The poppler
tools (pdftotext, pdfinfo, pdffonts, pdftoppm) read the PDFs back; without them the tests skip with a
reason, except under CI=true (.ci/run installs poppler-utils), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

POPPLER = ("pdftotext", "pdfinfo", "pdffonts", "pdftoppm")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"

Run = Callable[..., subprocess.CompletedProcess]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not found (sudo apt-get install poppler-utils)"
        if _in_ci():
            pytest.fail(f"CI=true requires poppler-utils: {reason}", pytrace=False)
        pytest.skip(f"PDF report tests skipped: {reason}")


def make_runner(folder: Path) -> Run:
    def run(*args: str, lang: str = "ja_JP.UTF-8", env: dict[str, str] | None = None, check: bool = False):
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "DJANGO_", "SENGEN_"))}
        environ.update(
            DATABASE_URL=f"sqlite:///{folder / 'reports.sqlite3'}",
            LANG=lang,
            SENGEN_VAR_DIR=str(folder / "var"),
        )
        environ.update(env or {})
        result = subprocess.run(
            [sys.executable, "-m", "sengen.cli", *args],
            cwd=folder,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


@dataclass(frozen=True)
class Sengen:
    run: Run
    folder: Path  # the process's working directory, where relative -o paths land


@pytest.fixture(scope="module")
def demo_sengen(tmp_path_factory: pytest.TempPathFactory) -> Sengen:
    """`sengen` on a database holding the demo (市民生活部 and 環境部, FY2019 and FY2020)."""
    folder = tmp_path_factory.mktemp("reports")
    run = make_runner(folder)
    run("demo", "--no-serve", check=True)
    return Sengen(run, folder)


def tool(*args: str) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True, timeout=120).stdout
