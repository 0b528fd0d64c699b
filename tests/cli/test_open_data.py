"""sengen export / import with the open-data formats, end to end through the `sengen` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres_too


@pytest.fixture
def demo(migrated):
    migrated("demo", "--no-serve", check=True)
    return migrated


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("csv", "\ufeff年度,".encode()),
        ("csv-wide", "\ufeff".encode()),
        ("xlsx", b"PK\x03\x04"),
        ("stratml", b"<?xml"),
        ("ttl", b"@prefix"),
        ("jsonld", b"{"),
        ("html", b"<article"),
    ],
)
def test_every_format_exports_the_published_declarations(
    demo, tmp_path: Path, fmt: str, start: bytes
) -> None:
    out = tmp_path / f"out.{fmt}"
    result = demo("export", "--format", fmt, "--year", "2020", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(start), data[:40]
    if fmt not in ("xlsx",):
        assert "くらし安心メール登録者数" in data.decode("utf-8-sig")


def test_a_csv_export_imports_back_unchanged_and_keeps_the_declaration_text(demo, tmp_path: Path) -> None:
    out = tmp_path / "kpi.csv"
    demo("export", "--format", "csv", "-o", str(out), check=True)
    again = demo("import", str(out), check=True)
    assert "追加" not in again.stdout and "変更あり" not in again.stdout, again.stdout

    edited = tmp_path / "edited.csv"
    text = out.read_text(encoding="utf-8-sig")
    assert ",13217," in text
    edited.write_text(text.replace(",13217,", ",13300,", 1), encoding="utf-8-sig")
    dry = demo("import", "--dry-run", str(edited), check=True)
    assert "13217 → 13300" in dry.stdout
    assert "message" not in dry.stdout and "policies" not in dry.stdout, "only the KPI figure changes"


def test_cp932_export_names_the_record_a_character_cannot_be_written_for(demo, tmp_path: Path) -> None:
    source = json.loads(demo("export", "--format", "json", "--year", "2020", check=True).stdout)
    source["declarations"][0]["indicators"][0]["name"] = "𠮷野家の来店者数"
    changed = tmp_path / "kichi.json"
    changed.write_text(json.dumps(source, ensure_ascii=False), encoding="utf-8")
    demo("import", str(changed), check=True)

    out = tmp_path / "sjis.csv"
    refused = demo("export", "--format", "csv", "--encoding", "cp932", "-o", str(out))
    assert refused.returncode == 1
    assert "𠮷" in refused.stderr and "事業指標" in refused.stderr, refused.stderr
    assert not out.exists(), "nothing is written"

    replaced = demo("export", "--format", "csv", "--encoding", "cp932", "--replace", "-o", str(out))
    assert replaced.returncode == 0, replaced.stderr
    assert "〓野家の来店者数" in out.read_bytes().decode("cp932")
