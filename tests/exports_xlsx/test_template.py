"""The Excel round trip a department does: `sengen template` → fill in the figures in Excel → read back.

The template is filled in here with openpyxl, as Excel would save it; reading it back must give the
declaration with the new figures (a dry-run load shows exactly those changes), and a mistake must be
refused with the sheet and the cell named.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from sengen.catalog import queries
from sengen.catalog.loader import load
from sengen.exports.xlsx import LONG_COLUMNS, LONG_SHEET, write_xlsx
from sengen.exports.xlsx_template import META_SHEET, write_template
from sengen.ingest import read_bytes
from sengen.ingest.xlsx_reader import looks_like_xlsx, read_xlsx

CITIZENS = "市民生活部"


@pytest.fixture
def demo(db) -> None:
    from sengen.portal.management.commands.demo import demo_files

    load([read_bytes(data, name).document for name, data in demo_files()])


@pytest.fixture
def template_2020(demo, tmp_path: Path) -> Path:
    path = tmp_path / "2020.xlsx"
    call_command("template", "--year", "2020", "--department", CITIZENS, "-o", str(path))
    return path


def _row_of(ws, number: str) -> int:
    return next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == number)


def _column_of(ws, year_label: str, kind: str) -> int:
    return next(
        c
        for c in range(1, ws.max_column + 1)
        if ws.cell(3, c).value == year_label and ws.cell(4, c).value == kind
    )


def _save(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_template_is_the_departments_kpi_table_with_its_figures(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    assert wb.sheetnames == [CITIZENS, META_SHEET]
    ws = wb[CITIZENS]
    assert ws["A1"].value.startswith("令和2年度（2020年度） 市民生活部")
    row = _row_of(ws, "17-101")
    assert ws.cell(row, 3).value == "くらし安心メール登録者数" and ws.cell(row, 4).value == "人"
    assert ws[f"E{row}"].value == 10554 and ws[f"F{row}"].value == 2017
    assert ws.cell(row, _column_of(ws, "平成30年度（2018年度）", "実績値")).value == 12141
    assert ws.cell(row, _column_of(ws, "令和元年度（2019年度）", "実績見込値")).value == 13217
    assert ws.cell(row, _column_of(ws, "令和2年度（2020年度）", "目標値")).value == 15000


def test_template_protects_keys_validates_values_and_hides_its_metadata(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    ws = wb[CITIZENS]
    row = _row_of(ws, "17-101")
    assert ws.protection.sheet
    assert all(ws.cell(row, c).protection.locked for c in (1, 2, 3, 4))
    assert not ws[f"E{row}"].protection.locked and not ws[f"G{row}"].protection.locked
    validations = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert "G5" in validations["decimal"].sqref
    assert validations["list"].formula1 == '"実績値,実績見込値,目標値"'
    meta = wb[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert values["marker"] == "sengen-template" and values["version"] == 1
    assert values["fiscal_year"] == 2020 and values["department"] == CITIZENS


def test_unchanged_template_reads_back_as_the_published_declaration(template_2020: Path) -> None:
    data = template_2020.read_bytes()
    assert looks_like_xlsx(data)
    result = read_xlsx(data, "2020.xlsx")
    assert result.ok, [p.render() for p in result.problems]
    assert result.document.declarations[0] == queries.to_record(queries.declarations(2020, CITIZENS).get())
    report = load([result.document], dry_run=True, source="2020.xlsx")
    assert report.totals == {"added": 0, "changed": 0, "unchanged": 1}


def test_filled_in_figures_show_up_as_changes(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    ws = wb[CITIZENS]
    row = _row_of(ws, "17-101")
    ws.cell(row, _column_of(ws, "令和元年度（2019年度）", "実績見込値")).value = 13500
    helmet = _row_of(ws, "33-102")
    ws.cell(helmet, _column_of(ws, "平成30年度（2018年度）", "実績値")).value = 18.75  # was —

    result = read_xlsx(_save(wb), "filled.xlsx")
    assert result.ok, [p.render() for p in result.problems]
    indicators = {i.project.number: i for i in result.document.declarations[0].indicators}
    assert [o.value for o in indicators["17-101"].observations] == [Decimal(12141), Decimal(13500)]
    assert indicators["33-102"].observations[0].value == Decimal("18.75")

    report = load([result.document], dry_run=True, source="filled.xlsx")
    assert report.totals == {"added": 0, "changed": 1, "unchanged": 0}
    text = report.render("ja")
    assert "observations[2019 estimate].value: 13217 → 13500" in text
    assert "observations[2018 actual].value: （なし） → 18.75" in text
    assert (
        queries.to_record(queries.declarations(2020, CITIZENS).get()).indicators[0].observations[1].value
        == 13217
    )


def test_text_in_a_value_cell_is_refused_naming_sheet_and_cell(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    ws = wb[CITIZENS]
    row = _row_of(ws, "17-101")
    column = _column_of(ws, "令和元年度（2019年度）", "実績見込値")
    ws.cell(row, column).value = "13,500人くらい"
    coordinate = ws.cell(row, column).coordinate

    result = read_xlsx(_save(wb), "filled.xlsx")
    assert result.document is None
    (problem,) = result.problems
    assert problem.location.cell == f"{CITIZENS}!{coordinate}"
    message = problem.render("ja")
    assert f"filled.xlsx セル {CITIZENS}!{coordinate}" in message and "13,500人くらい" in message
    assert "数値だけを入力" in message
    assert f"cell {CITIZENS}!{coordinate}" in problem.render("en")


def test_a_wrong_kind_and_a_dash_are_handled(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    ws = wb[CITIZENS]
    row = _row_of(ws, "17-101")
    ws.cell(row, _column_of(ws, "平成30年度（2018年度）", "実績値")).value = "—"
    assert read_xlsx(_save(wb), "x.xlsx").document.declarations[0].indicators[0].observations[0].value is None
    ws.cell(4, _column_of(ws, "平成30年度（2018年度）", "実績値")).value = "実績"
    result = read_xlsx(_save(wb), "x.xlsx")
    assert result.document is None and "実績値・実績見込値・目標値" in result.problems[0].render()


def test_a_changed_figure_loses_its_published_parenthetical_with_a_warning(template_2020: Path) -> None:
    wb = load_workbook(template_2020)
    ws = wb[CITIZENS]
    row = _row_of(ws, "17-102")  # 13箇所 (2箇所)
    ws.cell(row, _column_of(ws, "平成30年度（2018年度）", "実績値")).value = 14
    result = read_xlsx(_save(wb), "x.xlsx")
    assert result.ok
    camera = next(i for i in result.document.declarations[0].indicators if i.project.number == "17-102")
    assert camera.observations[0].annotation is None and camera.observations[1].annotation == "2箇所"
    (warning,) = result.problems
    assert warning.severity == "warning" and "2箇所" in warning.render()


def test_template_for_a_later_year_carries_the_indicators_forward(demo, tmp_path: Path) -> None:
    path = tmp_path / "2021.xlsx"
    call_command("template", "--year", "令和3年度", "--department", CITIZENS, "-o", str(path))
    ws = load_workbook(path)[CITIZENS]
    assert [ws.cell(3, c).value for c in (7, 8, 9)] == [
        "令和元年度（2019年度）",
        "令和2年度（2020年度）",
        "令和3年度（2021年度）",
    ]
    assert [ws.cell(4, c).value for c in (7, 8, 9)] == ["実績値", "実績見込値", "目標値"]
    row = _row_of(ws, "17-101")
    assert ws.cell(row, 7).value == 13217  # FY2019's estimate, to be replaced by the actual
    assert "実績見込値" in ws.cell(row, 7).comment.text
    ws.cell(row, 7).value = 13300
    ws.cell(row, 8).value = 14000
    ws.cell(row, 9).value = 16000
    result = read_xlsx(_save(ws.parent), "2021.xlsx")
    assert result.ok, [p.render() for p in result.problems]
    (declaration,) = result.document.declarations
    assert declaration.fiscal_year == 2021 and declaration.notes == []
    first = declaration.indicators[0]
    assert [(o.fiscal_year, o.kind, o.value) for o in first.observations] == [
        (2019, "actual", Decimal(13300)),
        (2020, "estimate", Decimal(14000)),
    ]
    assert [(t.fiscal_year, t.value) for t in first.targets] == [(2021, Decimal(16000))]
    assert load([result.document], dry_run=True).totals["added"] == 1


def test_template_command_refuses_an_unknown_department(demo, tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        call_command("template", "--year", "2020", "--department", "市民生活", "-o", str(tmp_path / "x.xlsx"))
    assert exit_info.value.code == 1
    assert "市民生活部" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_long_sheet_of_an_export_reads_back_with_its_edits(demo) -> None:
    export = write_xlsx(queries.to_document())
    result = read_xlsx(export, "export.xlsx")
    assert result.ok, [p.render() for p in result.problems]
    assert load([result.document], dry_run=True).totals == {"added": 0, "changed": 0, "unchanged": 4}

    wb = load_workbook(io.BytesIO(export))
    ws = wb[LONG_SHEET]
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if [ws.cell(r, LONG_COLUMNS.index(name) + 1).value for name in ("年度", "部", "事業番号", "種別")]
        == [2020, CITIZENS, "17-101", "実績見込値"]
    )
    ws.cell(row, LONG_COLUMNS.index("値") + 1).value = 13300
    report = load([read_xlsx(_save(wb), "edited.xlsx").document], dry_run=True)
    assert report.totals == {"added": 0, "changed": 1, "unchanged": 3}
    assert "13217 → 13300" in report.render()

    ws.cell(row, LONG_COLUMNS.index("値") + 1).value = "多い"
    (problem,) = read_xlsx(_save(wb), "edited.xlsx").problems
    value_column = get_column_letter(LONG_COLUMNS.index("値") + 1)
    assert problem.location.cell == f"{LONG_SHEET}!{value_column}{row}"


def test_other_workbooks_are_refused_clearly() -> None:
    result = read_xlsx(_save(Workbook()), "other.xlsx")
    assert result.document is None and "sengen template" in result.problems[0].render()
    assert not looks_like_xlsx(b"PK\x03\x04 not really a zip")
    broken = read_xlsx(b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert "broken.xlsx" in broken.problems[0].render() and ".xlsx" in broken.problems[0].render()


def test_template_is_deterministic_for_a_given_date(demo) -> None:
    from datetime import date

    base = queries.to_record(queries.declarations(2020, CITIZENS).get())
    assert write_template(base, 2020, generated=date(2021, 1, 1)) == write_template(
        base, 2020, generated=date(2021, 1, 1)
    )


def test_a_template_saved_again_by_libreoffice_reads_back(template_2020: Path) -> None:
    import subprocess

    from tests.exports_xlsx.test_xlsx import _soffice

    outdir = template_2020.parent / "resaved"
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation=file://{template_2020.parent / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(outdir),
            str(template_2020),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    result = read_xlsx((outdir / template_2020.name).read_bytes(), "resaved.xlsx")
    assert result.ok, [p.render() for p in result.problems]
    assert load([result.document], dry_run=True).totals["unchanged"] == 1
