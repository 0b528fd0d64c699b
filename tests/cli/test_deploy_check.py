"""Production settings come from the environment and pass Django's deployment checklist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _sengen(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SENGEN_", "DJANGO_"))}
    base.update(SENGEN_VAR_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **env)
    return subprocess.run(
        [sys.executable, "-m", "sengen.cli", *args], env=base, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = _sengen(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SENGEN_DEBUG="0",
        SENGEN_SECRET_KEY="x7#Lq2!vR9@kT4$wZ8^pN1&mB6*cF3(hJ5)dG0_sY-uE+aQ=iO",
        SENGEN_ALLOWED_HOSTS="sengen.example.jp",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = _sengen(tmp_path, "check", SENGEN_DEBUG="0")
    assert result.returncode != 0
    assert "SENGEN_SECRET_KEY" in result.stderr


def test_development_defaults_are_flagged_by_the_deploy_check(tmp_path: Path) -> None:
    """The safe development defaults must never pass for production."""
    result = _sengen(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr + result.stdout


def test_evaluation_settings_come_from_the_environment(tmp_path: Path) -> None:
    ok = _sengen(tmp_path, "check", SENGEN_EVALUATION='{"on_track_ratio": "9/10"}')
    assert ok.returncode == 0, ok.stderr
    bad = _sengen(tmp_path, "check", SENGEN_EVALUATION="{on_track_ratio: 9/10}")
    assert bad.returncode != 0
    assert "SENGEN_EVALUATION is not valid JSON" in bad.stderr
