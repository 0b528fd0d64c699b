"""The XLSX export as a user meets it: the sheets, the KPI table's look, numbers that stay numbers,
and a file LibreOffice opens (converted to CSV, the figures come out as exported)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sengen.exports.xlsx import (
    LONG_COLUMNS,
    LONG_SHEET,
    META_SHEET,
    README_SHEET,
    number_format,
    sheet_name,
    write_xlsx,
)
from sengen.interchange.evaluation import with_evaluations
from sengen.interchange.models import Baseline
from tests.catalog import factories as f

LONG_DEPARTMENT = "とても長い名前の部署と、さらに長い名前の部局を合わせた総合政策推進部"


def _document():
    return f.document(f.declaration(2019), f.declaration(2020))


def _workbook(document=None):
    return load_workbook(io.BytesIO(write_xlsx(document or _document(), generated=date(2021, 5, 1))))


def test_one_sheet_per_declaration_after_readme_and_long_sheet() -> None:
    wb = _workbook()
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [README_SHEET, LONG_SHEET, "2019 市民生活部", "2020 市民生活部"]
    # The rest of the declarations (messages, policies …), so the long sheet can be read back.
    assert wb.sheetnames[-1] == META_SHEET and wb[META_SHEET].sheet_state == "veryHidden"


def test_declaration_sheet_is_laid_out_like_the_published_kpi_table() -> None:
    ws = _workbook()["2020 市民生活部"]
    assert ws["A1"].value == "令和2年度（2020年度） 市民生活部 事業指標"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A3:A4", "B3:B4", "C3:C4", "D3:E3"} <= merged
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:6] == ["事業番号", "主な事業", "事業指標", "当初水準", None, "平成30年度（2018年度）"]
    assert [ws.cell(4, c).value for c in range(6, 9)] == ["実績値", "実績見込値", "目標値"]
    assert "所管課" in headers

    row = 5  # 17-101 くらし安心メール登録者数: 10,554人 (平成29年度) 12,141人 13,217人 15,000人
    assert [ws.cell(row, c).value for c in range(1, 4)] == [
        "17-101",
        "地域防犯活動推進事業",
        "くらし安心メール登録者数",
    ]
    assert ws["D5"].value == 10554 and ws["D5"].number_format == '#,##0"人"'
    assert ws["E5"].value == "平成29年度"
    assert [ws.cell(row, c).value for c in range(6, 9)] == [12141, 13217, 15000]
    assert ws["I5"].value == "市民協働課 交通防犯対策担当"


def test_qualifiers_parentheticals_and_not_reported_are_shown_as_published() -> None:
    ws = _workbook()["2020 市民生活部"]
    rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    camera = rows["17-102"]  # 13箇所 (2箇所)
    assert ws.cell(camera, 6).value == 13
    assert ws.cell(camera, 6).number_format == '#,##0"箇所 (2箇所)"'
    helmet = rows["33-102"]  # — / 25.5% / 60%以上, two owners
    assert ws.cell(helmet, 6).value == "—"
    assert ws.cell(helmet, 7).value == 25.5 and ws.cell(helmet, 7).number_format == '#,##0.0"%"'
    assert ws.cell(helmet, 8).number_format == '#,##0"%以上"'
    assert ws.cell(helmet, 9).value == "市民協働課 交通防犯対策担当、戸籍住民課"
    consult = rows["38-103"]  # 約741件
    assert ws.cell(consult, 7).number_format == '"約"#,##0"件"'
    konbini = rows["40-104"]
    assert ws.cell(konbini, 8).value == 15.0001


def test_evaluated_document_gets_a_status_column() -> None:
    ws = _workbook(with_evaluations(f.document(f.declaration(2020))))["2020 市民生活部"]
    assert ws["J3"].value == "達成状況"
    assert ws["J5"].value  # an icon and a word, e.g. "△ 遅れ"


def test_long_sheet_has_one_row_per_indicator_year_and_kind() -> None:
    ws = _workbook()[LONG_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == LONG_COLUMNS
    # 2 declarations × their indicators × (baseline, actual, estimate, target)
    assert len(rows) - 1 == 2 * len(f.declaration().indicators) * 4
    first = dict(zip(LONG_COLUMNS, rows[1], strict=True))
    assert first["年度"] == 2019 and first["年度（和暦）"] == "令和元年度"
    assert first["種別"] == "当初水準" and first["値"] == 10554 and first["値の年度"] == 2017
    target = next(
        dict(zip(LONG_COLUMNS, r, strict=True)) for r in rows[1:] if r[LONG_COLUMNS.index("種別")] == "目標値"
    )
    assert target["目標設定年度"] == 2017
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_long_sheet_has_the_columns_of_the_csv_long_format() -> None:
    from sengen.exports.csv import LONG_HEADERS

    ws = _workbook(with_evaluations(f.document(f.declaration(2020))))[LONG_SHEET]
    assert tuple(c.value for c in ws[1]) == LONG_HEADERS
    first = dict(zip(LONG_HEADERS, next(ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert first["所管課"] == "市民協働課／交通防犯対策担当" and first["部長の職名"] == "市民生活部長"
    assert first["計画開始年度"] == 2018 and first["達成状況"]


def test_readme_says_what_each_sheet_is_and_when_it_was_made() -> None:
    ws = _workbook()[README_SHEET]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "2020 市民生活部" in text and LONG_SHEET in text
    assert "2021-05-01" in text and "令和3年度" in text
    assert "ライセンス" in text and "15桁" in text


def test_sheet_names_are_short_unique_and_valid() -> None:
    taken: set[str] = set()
    first = sheet_name(f"2020 {LONG_DEPARTMENT}", taken)
    second = sheet_name(f"2020 {LONG_DEPARTMENT}", taken)
    assert len(first) <= 31 and len(second) <= 31 and first != second
    assert sheet_name("2020 A/B:C", set()) == "2020 A_B_C"
    wb = _workbook(f.document(f.declaration(2020, LONG_DEPARTMENT)))
    assert all(len(name) <= 31 for name in wb.sheetnames)


def test_figures_with_fifteen_significant_digits_come_back_exactly() -> None:
    big = Decimal("12345678901.2345")
    d = f.replace_indicator(f.declaration(2020), 0, baseline=Baseline(fiscal_year=2017, value=big))
    ws = _workbook(f.document(d))["2020 市民生活部"]
    assert Decimal(repr(ws["D5"].value)) == big
    assert number_format(big, "円") == '#,##0.0000"円"'


# --- LibreOffice ---------------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("CI=true requires LibreOffice (soffice) to check the XLSX export")
    pytest.skip("LibreOffice (soffice) is not installed: the XLSX export is not checked against it")


def _convert_sheet(path: Path, sheet_number: int, *, as_shown: bool) -> list[list[str]]:
    """Sheet ``sheet_number`` (1-based) of ``path`` as CSV rows, converted by LibreOffice."""
    outdir = path.parent / f"csv-{sheet_number}-{as_shown}"
    outdir.mkdir()
    shown = "true" if as_shown else "false"
    options = f"44,34,76,1,,0,false,true,{shown},false,false,{sheet_number}"
    env = {**os.environ, "HOME": str(path.parent)}  # a private LibreOffice profile
    result = subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{path.parent / 'lo-profile'}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    files = list(outdir.glob("*.csv"))
    assert result.returncode == 0 and len(files) == 1, result.stdout + result.stderr
    return list(csv.reader(io.StringIO(files[0].read_text(encoding="utf-8"))))


def test_libreoffice_opens_the_export_and_reads_the_same_figures(tmp_path: Path) -> None:
    big = Decimal("12345678901.2345")
    d2020 = f.replace_indicator(f.declaration(2020), 0, baseline=Baseline(fiscal_year=2017, value=big))
    document = f.document(f.declaration(2019), d2020)
    path = tmp_path / "export.xlsx"
    path.write_bytes(write_xlsx(document))

    rows = _convert_sheet(path, 2, as_shown=False)  # the long sheet, raw values
    assert tuple(rows[0]) == LONG_COLUMNS
    body = [dict(zip(LONG_COLUMNS, r, strict=True)) for r in rows[1:] if any(r)]
    expected = [
        (i.project.number, kind, year, value)
        for d in document.declarations
        for i in d.indicators
        for year, kind, value in (
            [(i.baseline.fiscal_year, "当初水準", i.baseline.value)]
            + [
                (o.fiscal_year, {"actual": "実績値", "estimate": "実績見込値"}[o.kind], o.value)
                for o in i.observations
            ]
            + [(t.fiscal_year, "目標値", t.value) for t in i.targets]
        )
    ]
    got = [
        (r["事業番号"], r["種別"], int(r["値の年度"]), Decimal(r["値"]) if r["値"] else None) for r in body
    ]
    assert got == expected
    assert Decimal(body[len(f.declaration(2019).indicators) * 4]["値"]) == big

    table = _convert_sheet(path, 4, as_shown=True)  # 2020 市民生活部, as a reader sees it
    assert table[0][0] == "令和2年度（2020年度） 市民生活部 事業指標"
    by_number = {r[0]: r for r in table[4:] if r and r[0]}
    assert by_number["17-101"][3:8] == [
        "12,345,678,901.2345人",
        "平成29年度",
        "12,141人",
        "13,217人",
        "15,000人",
    ]
    assert by_number["17-102"][5] == "13箇所 (2箇所)"
    assert by_number["33-102"][5:8] == ["—", "25.5%", "60%以上"]
    assert by_number["38-103"][6] == "約741件"
