"""Fixtures for running the `sengen` command as a user does: real processes, a scratch database.

On the SQLite pass each test gets a fresh SQLite file; on the PostgreSQL pass a freshly created
PostgreSQL database, dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        yield f"sqlite:///{tmp_path / 'cli.sqlite3'}"
        return
    import psycopg

    name = f"sengen_cli_{uuid.uuid4().hex[:12]}"
    admin = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "dbname": db["NAME"]}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sengen(tmp_path: Path, database_url: str):
    def run(*args: str, lang: str = "ja_JP.UTF-8", check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "DJANGO_"))}
        env.update(DATABASE_URL=database_url, LANG=lang, SENGEN_VAR_DIR=str(tmp_path / "var"))
        result = subprocess.run(
            [sys.executable, "-m", "sengen.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


@pytest.fixture
def migrated(sengen):
    sengen("migrate", "--verbosity", "0", check=True)
    return sengen
