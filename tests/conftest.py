"""Suite-wide set-up: which database this pass runs on, and whether it may run at all.

`make test` runs the suite on SQLite and then the database tests on PostgreSQL
(DATABASE_URL=$SENGEN_TEST_POSTGRES_URL). Under CI=true an unreachable PostgreSQL fails the
run; on a developer's machine the PostgreSQL pass is skipped with a one-line reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE = SHARED / "samples" / "fy2020-citizens-life-dept.txt"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Tests create many users; a deliberately slow password hash would only slow them down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return
    import psycopg

    try:
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname=db.get("NAME") or "postgres",
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is unreachable: {str(exc).strip()}"
        if _in_ci():
            pytest.exit(f"CI=true requires PostgreSQL. {reason}", returncode=1)
        pytest.exit(f"PostgreSQL pass skipped: {reason}", returncode=0)


@pytest.fixture
def sample_path() -> Path:
    if not SAMPLE.exists():
        pytest.fail(f"The shared sample is missing: {SAMPLE}")
    return SAMPLE
