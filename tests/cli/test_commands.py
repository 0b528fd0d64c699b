"""The `sengen` command as a user runs it: real processes, a real scratch database.

On the SQLite pass each test gets a fresh SQLite file; on the PostgreSQL pass (make test's
second run) a freshly created PostgreSQL database, dropped afterwards.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

pytestmark = pytest.mark.postgres_too


def _export(sengen, *args: str) -> dict:
    result = sengen("export", "--format", "json", *args, check=True)
    return json.loads(result.stdout)


def test_import_then_export_gives_the_page_as_json(migrated, sample_path: Path) -> None:
    result = migrated("import", str(sample_path), check=True)
    assert "令和2年度（2020年度） 市民生活部" in result.stdout
    data = _export(migrated)
    assert data["format"] == "sengen/1"
    (declaration,) = data["declarations"]
    first = declaration["indicators"][0]
    assert first["project"] == {"number": "17-101", "name": "地域防犯活動推進事業"}
    assert first["baseline"]["fiscal_year"] == 2017 and first["baseline"]["value"] == 10554
    assert isinstance(first["baseline"]["value"], int), "integral figures are JSON integers"
    assert first["observations"][0] == {
        "fiscal_year": 2018,
        "kind": "actual",
        "value": 12141,
        "qualifier": None,
        "annotation": None,
    }
    helmet = declaration["indicators"][6]
    assert helmet["observations"][0]["value"] is None, "— is an observation without a value"
    camera = declaration["indicators"][1]
    assert camera["observations"][0]["annotation"] == "2箇所"
    assert first["targets"] == [
        {"fiscal_year": 2020, "value": 15000, "set_in": 2017, "qualifier": None, "annotation": None}
    ]
    assert first["owners"] == [{"section": "市民協働課", "unit": "交通防犯対策担当"}]
    # The contract's example, to the digit.
    assert {k: first["evaluation"][k] for k in ("status", "progress_rate", "achievement_rate")} == {
        "status": "behind",
        "progress_rate": 0.599,
        "achievement_rate": 0.881,
    }
    assert first["evaluation"]["latest"] == {"fiscal_year": 2019, "kind": "estimate", "value": 13217}
    assert [f["code"] for f in first["evaluation"]["flags"]] == ["latest_is_estimate"]


def test_reimporting_changes_nothing_and_export_import_export_is_byte_identical(
    migrated, sengen, sample_path: Path, tmp_path: Path
) -> None:
    migrated("import", str(sample_path), check=True)
    again = migrated("import", str(sample_path), check=True)
    assert "変更なし" in again.stdout
    first = tmp_path / "first.json"
    migrated("export", "--format", "json", "-o", str(first), check=True)
    # A second, empty database: import the export, export again.
    other = tmp_path / "other"
    other.mkdir()
    env_url = f"sqlite:///{other / 'db.sqlite3'}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "DJANGO_"))}
    base.update(DATABASE_URL=env_url, LANG="ja_JP.UTF-8")
    for args in (["migrate", "--verbosity", "0"], ["import", str(first)]):
        done = subprocess.run(
            [sys.executable, "-m", "sengen.cli", *args], env=base, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    second = subprocess.run(
        [sys.executable, "-m", "sengen.cli", "export", "--format", "json"],
        env=base,
        capture_output=True,
        text=True,
    )
    assert second.stdout == first.read_text(encoding="utf-8")
    # And the JSON re-imported into the database it came from changes nothing.
    assert "変更なし" in migrated("import", str(first), check=True).stdout


def test_dry_run_reports_and_writes_nothing(migrated, sample_path: Path) -> None:
    result = migrated("import", "--dry-run", str(sample_path), check=True)
    assert "追加" in result.stdout
    assert _export(migrated)["declarations"] == []


def test_one_bad_file_refuses_all_files(migrated, sample_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(
        sample_path.read_text(encoding="utf-8").replace("\t12,141人\t", "\t12,14x人\t"), encoding="utf-8"
    )
    result = migrated("import", str(sample_path), str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = next(
        i for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "12,14x" in text
    )
    assert f"{bad} {line}行目 5列目（平成30年度実績値）: エラー:" in result.stderr
    assert "データベースは変更されていません" in result.stderr
    assert _export(migrated)["declarations"] == []


def test_messages_in_english_on_request(migrated, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for result in (
        migrated("import", "--lang", "en", str(empty)),
        migrated("import", str(empty), lang="en_US.UTF-8"),
    ):
        assert result.returncode == 1
        assert f"{empty}: error: The file is empty." in result.stderr
        assert "Nothing was written" in result.stderr


def test_wrong_usage_exits_2(migrated) -> None:
    assert migrated("import").returncode == 2
    bad_year = migrated("export", "--year", "大正5年度")
    assert bad_year.returncode == 2
    assert "大正5年度" in bad_year.stderr


def test_unmigrated_database_is_a_clear_refusal(sengen, sample_path: Path) -> None:
    result = sengen("import", str(sample_path))
    assert result.returncode == 1
    assert "sengen migrate" in result.stderr and "Traceback" not in result.stderr


def test_export_filters_and_unknown_department(migrated, sample_path: Path) -> None:
    migrated("import", str(sample_path), check=True)
    assert len(_export(migrated, "--year", "令和2年度", "--department", "市民生活部")["declarations"]) == 1
    missing = migrated("export", "--department", "市民生活課")
    assert missing.returncode == 1
    assert "「市民生活部」の誤りではありませんか" in missing.stderr
    none = migrated("export", "--year", "2019")
    assert none.returncode == 1 and "令和元年度（2019年度）" in none.stderr


def test_schema_validates_the_export(migrated, sample_path: Path) -> None:
    migrated("import", str(sample_path), check=True)
    schema = json.loads(migrated("export", "--schema", check=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(_export(migrated), schema)
    broken = _export(migrated)
    broken["declarations"][0]["indicators"][0]["observations"][0]["value"] = "12141"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_demo_loads_two_departments_and_two_years(sengen) -> None:
    result = sengen("demo", "--no-serve", check=True)
    assert "追加" in result.stdout
    data = _export(sengen)
    keys = {(d["fiscal_year"], d["department"]) for d in data["declarations"]}
    assert {d for _, d in keys} >= {"市民生活部", "環境部"}
    assert {y for y, _ in keys} >= {2019, 2020}
    again = sengen("demo", "--no-serve", check=True)
    assert "追加" not in again.stdout


def test_demo_creates_staff_accounts_whose_printed_password_works(sengen) -> None:
    first = sengen("demo", "--no-serve", check=True).stdout
    password = re.search(r"password: (\S+)", first)
    assert password, first
    assert "tanto (editor)" in first and "kikaku (admin)" in first
    check = sengen(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"print(User.objects.get(username='tanto').check_password('{password[1]}'), "
        "User.objects.get(username='tanto').memberships.get().role)",
        check=True,
    )
    assert check.stdout.strip().splitlines()[-1].split() == ["True", "editor"]
    again = sengen("demo", "--no-serve", check=True).stdout
    assert "password:" not in again, "the password is printed once, when the accounts are made"


def test_nothing_is_lost_between_the_page_and_the_exported_json(migrated, sample_path: Path) -> None:
    """Every figure, year, unit, annotation, owner, policy, role, paragraph and note of the page
    comes back out of the database exactly as the reader produced it."""
    from sengen.ingest import read_path
    from sengen.interchange import jsonio
    from sengen.interchange.evaluation import with_evaluations

    read = read_path(sample_path)
    assert read.ok
    migrated("import", str(sample_path), check=True)
    exported = migrated("export", "--format", "json", check=True).stdout
    assert exported == jsonio.dumps(with_evaluations(read.document))


def test_unknown_command_is_wrong_usage(sengen) -> None:
    result = sengen("improt", "x.txt")
    assert result.returncode == 2
    assert "「improt」というコマンドはありません" in result.stderr


def test_lang_option_applies_to_option_errors_too(migrated) -> None:
    result = migrated("export", "--lang", "en", "--year", "大正5年度")
    assert result.returncode == 2
    assert 'Cannot read the era in "大正5年度"' in result.stderr
    assert "元号" not in result.stderr


def test_c_locale_does_not_hide_an_english_lang(migrated, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    env_lang = migrated("import", str(empty), lang="en_US.UTF-8")
    assert "The file is empty." in env_lang.stderr


def test_figures_too_precise_or_too_large_are_refused_not_crashed(
    migrated, sample_path: Path, tmp_path: Path
) -> None:
    text = sample_path.read_text(encoding="utf-8")
    for bad_figure in ("0.123456件", "123456789012345件"):
        bad = tmp_path / "precise.txt"
        bad.write_text(text.replace("\t4件\t5件", f"\t{bad_figure}\t5件", 1), encoding="utf-8")
        result = migrated("import", str(bad))
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "桁数が多すぎます" in result.stderr


def test_unknown_era_in_a_baseline_is_an_error(migrated, sample_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "era.txt"
    bad.write_text(
        sample_path.read_text(encoding="utf-8").replace("10,554人 (平成29年度)", "10,554人 (大正29年度)"),
        encoding="utf-8",
    )
    result = migrated("import", "--dry-run", str(bad))
    assert result.returncode == 1
    assert "大正29年度" in result.stderr
