"""XLSX export: the published KPI tables, one sheet per declaration, plus a long-format sheet.

The workbook has, in this order:

1. ``README`` — what each sheet is, where the figures come from, when the file was generated;
2. ``全指標の値`` (the long sheet) — one row per indicator × fiscal year × kind, with the columns of
   :data:`LONG_COLUMNS`; this is the sheet to filter, pivot or load into other tools;
3. one sheet per declaration (``2020 市民生活部``), laid out like the KPI table of the published
   page: 事業番号, 主な事業, 事業指標, 当初水準, one merged header per fiscal year over its
   実績値 / 実績見込値 / 目標値 columns, 所管課 and, when evaluated, 達成状況.

Figures are stored as numbers, never text, so that a spreadsheet can compute with them; the unit,
the qualifier (約, 以上 …) and the parenthetical are part of the cell's number format
(``#,##0"人"``, ``"約"#,##0"件"``, ``#,##0"箇所 (2箇所)"``), so the cell *shows* what was published.
A spreadsheet number is an IEEE double: every sengen/1 figure has at most 15 significant digits
(the ``Figure`` type allows 11 integer and 4 fractional digits), and every decimal with at most 15
significant digits survives the trip to a double and back, so nothing is rounded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sengen.core.evaluation import status_label, status_text
from sengen.core.figures import canonical
from sengen.core.wareki import format_fiscal_year
from sengen.exports import csv as csv_export
from sengen.interchange import jsonio
from sengen.interchange.evaluation import without_evaluations
from sengen.interchange.models import Declaration, Document, Indicator, Owner
from sengen.interchange.table import value_at

#: Words for the kinds of value, as the published tables head their columns.
KIND_LABELS: dict[str, str] = {
    "baseline": "当初水準",
    "actual": "実績値",
    "estimate": "実績見込値",
    "target": "目標値",
}
KIND_ORDER = ("actual", "estimate", "target")

README_SHEET = "README"
LONG_SHEET = "全指標の値"
META_SHEET = "_sengen"
EXPORT_MARKER = "sengen-export"
EXPORT_VERSION = 1
_CHUNK = 30000  # a cell holds at most 32,767 characters

#: Columns of the long sheet: those of the CSV long format (``sengen export --format csv``).
LONG_COLUMNS: tuple[str, ...] = csv_export.LONG_HEADERS

LICENSE_PLACEHOLDER = (
    "（ライセンス表示をここに記入してください。例: クリエイティブ・コモンズ 表示 4.0 国際） / "
    "(State the licence here, e.g. CC BY 4.0.)"
)

_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_FONT = Font(bold=True)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def owners_text(owners: Iterable[Owner]) -> str:
    """所管課 as the published tables write it: 市民協働課 交通防犯対策担当、戸籍住民課."""
    return csv_export.owners_text(owners, " ")


def number_value(value: Decimal) -> int | float:
    """The spreadsheet number of a figure: an int when integral, else the nearest double (exact to 15 digits)."""
    value = canonical(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"' if text else ""


def number_format(
    value: Decimal, unit: str | None = None, qualifier: str | None = None, annotation: str | None = None
) -> str:
    """A number format showing the figure as published: ``#,##0.0"%以上"``, ``"約"#,##0"件"``."""
    exponent = canonical(value).as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    digits = "#,##0" + ("." + "0" * places if places else "")
    prefix = qualifier if qualifier and qualifier not in ("以上", "以下", "未満", "超", "程度") else ""
    suffix = (unit or "") + (qualifier if qualifier and not prefix else "")
    if annotation:
        suffix += f" ({annotation})"
    return _quoted(prefix) + digits + _quoted(suffix)


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unique sheet name: forbidden characters replaced, at most 31 characters."""
    base = _FORBIDDEN_IN_SHEET_NAME.sub("_", wanted).strip("'") or "Sheet"
    name = base[:31]
    number = 2
    while name.casefold() in {t.casefold() for t in taken}:
        tail = f" ({number})"
        name = base[: 31 - len(tail)] + tail
        number += 1
    taken.add(name)
    return name


def _header(cell, text: str) -> None:
    cell.value = text
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = _CENTER
    cell.border = _BORDER


def _figure_cell(cell, value: Decimal | None, unit, qualifier, annotation) -> None:
    if value is None:
        cell.value = "—" + (f" ({annotation})" if annotation else "")
        cell.alignment = Alignment(horizontal="center", vertical="top")
    else:
        cell.value = number_value(value)
        cell.number_format = number_format(value, unit, qualifier, annotation)
        cell.alignment = Alignment(horizontal="right", vertical="top")
    cell.border = _BORDER


def _slots(declaration: Declaration) -> list[tuple[int, str]]:
    """The (fiscal year, kind) columns of a declaration's KPI table, by year then kind."""
    found = {(o.fiscal_year, o.kind) for i in declaration.indicators for o in i.observations}
    found |= {(t.fiscal_year, "target") for i in declaration.indicators for t in i.targets}
    return sorted(found, key=lambda slot: (slot[0], KIND_ORDER.index(slot[1])))


def _status_text(indicator: Indicator) -> str | None:
    if indicator.evaluation is None:
        return None
    return status_text(indicator.evaluation.status)


def _declaration_sheet(ws: Worksheet, d: Declaration) -> None:
    slots = _slots(d)
    evaluated = any(i.evaluation is not None for i in d.indicators)
    years = sorted({year for year, _ in slots})
    last_col = 5 + len(slots) + 1 + (1 if evaluated else 0)

    ws.cell(1, 1, f"{format_fiscal_year(d.fiscal_year)} {d.department} 事業指標").font = Font(
        bold=True, size=14
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    if d.plan is not None:
        period = f"{format_fiscal_year(d.plan.start_year, short=True)}〜{format_fiscal_year(d.plan.end_year, short=True)}"
        ws.cell(2, 1, f"{d.plan.name}（{period}）")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last_col)

    # Two header rows: single headers span both; 当初水準 and every fiscal year group their columns.
    for col, text in ((1, "事業番号"), (2, "主な事業"), (3, "事業指標")):
        _header(ws.cell(3, col), text)
        _header(ws.cell(4, col), None)
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    _header(ws.cell(3, 4), "当初水準")
    _header(ws.cell(3, 5), None)
    ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=5)
    _header(ws.cell(4, 4), "値")
    _header(ws.cell(4, 5), "年度")
    col = 6
    for year in years:
        kinds = [kind for y, kind in slots if y == year]
        _header(ws.cell(3, col), format_fiscal_year(year))
        for offset, kind in enumerate(kinds):
            if offset:
                _header(ws.cell(3, col + offset), None)
            _header(ws.cell(4, col + offset), KIND_LABELS[kind])
        if len(kinds) > 1:
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(kinds) - 1)
        col += len(kinds)
    tail = ["所管課"] + (["達成状況"] if evaluated else [])
    for offset, text in enumerate(tail):
        _header(ws.cell(3, col + offset), text)
        _header(ws.cell(4, col + offset), None)
        ws.merge_cells(start_row=3, start_column=col + offset, end_row=4, end_column=col + offset)

    for row, indicator in enumerate(d.indicators, start=5):
        for c, text in ((1, indicator.project.number), (2, indicator.project.name), (3, indicator.name)):
            cell = ws.cell(row, c, text)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
        baseline = indicator.baseline
        if baseline is not None:
            _figure_cell(
                ws.cell(row, 4), baseline.value, indicator.unit, baseline.qualifier, baseline.annotation
            )
            year_cell = ws.cell(
                row, 5, format_fiscal_year(baseline.fiscal_year, short=True) if baseline.fiscal_year else None
            )
        else:
            ws.cell(row, 4).border = _BORDER
            year_cell = ws.cell(row, 5)
        year_cell.alignment = _WRAP_TOP
        year_cell.border = _BORDER
        for offset, (year, kind) in enumerate(slots):
            cell = ws.cell(row, 6 + offset)
            entry = value_at(indicator, (kind, year))
            if entry is None:
                cell.border = _BORDER
                continue
            _figure_cell(cell, entry.value, indicator.unit, entry.qualifier, entry.annotation)
        owner_cell = ws.cell(row, 6 + len(slots), owners_text(indicator.owners))
        owner_cell.alignment = _WRAP_TOP
        owner_cell.border = _BORDER
        if evaluated:
            status_cell = ws.cell(row, 7 + len(slots), _status_text(indicator))
            status_cell.alignment = _WRAP_TOP
            status_cell.border = _BORDER

    note_row = 6 + len(d.indicators)
    for offset, note in enumerate(d.notes):
        ws.cell(note_row + offset, 1, note)

    widths = [10, 26, 36, 12, 12] + [14] * len(slots) + [24] + ([12] if evaluated else [])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "D5"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:4"


def long_rows(document: Document) -> Iterable[list[object]]:
    """The long format: one row per indicator × fiscal year × kind, as the CSV long format has them,
    but with figures, years and rates as numbers (figures as ``Decimal``), and empty cells as None."""
    for d in document.declarations:
        plan = d.plan
        for indicator in d.indicators:
            e = indicator.evaluation
            head = [
                d.fiscal_year,
                format_fiscal_year(d.fiscal_year, short=True),
                d.department,
                indicator.project.number,
                indicator.project.name,
                indicator.name,
                indicator.unit,
                csv_export.DIRECTION_WORDS.get(indicator.direction or "") or None,
            ]
            tail = [
                csv_export.owners_text(indicator.owners) or None,
                indicator.comment,
                d.head.title,
                plan.name if plan else None,
                plan.start_year if plan else None,
                plan.end_year if plan else None,
                status_label(e.status) if e else None,
                e.progress_rate * 100 if e and e.progress_rate is not None else None,
                e.achievement_rate * 100 if e and e.achievement_rate is not None else None,
            ]
            entries: list[tuple[str | None, object]] = []
            if indicator.baseline is not None:
                entries.append(("baseline", indicator.baseline))
            entries += [(o.kind, o) for o in indicator.observations]
            entries += [("target", t) for t in indicator.targets]
            if not entries:  # an indicator without any figure still has its row, with 種別 empty
                entries.append((None, None))
            for kind, entry in entries:
                year = getattr(entry, "fiscal_year", None)
                yield [
                    *head,
                    year,
                    format_fiscal_year(year, short=True) if year else None,
                    KIND_LABELS[kind] if kind else None,
                    getattr(entry, "value", None),
                    getattr(entry, "qualifier", None),
                    getattr(entry, "annotation", None),
                    getattr(entry, "set_in", None),
                    *tail,
                ]


def _long_sheet(ws: Worksheet, document: Document) -> None:
    value_col = LONG_COLUMNS.index("値") + 1
    for col, text in enumerate(LONG_COLUMNS, start=1):
        _header(ws.cell(1, col), text)
    for row, values in enumerate(long_rows(document), start=2):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col)
            if isinstance(value, Decimal):
                cell.value = number_value(value) if col == value_col else float(round(value, 1))
                cell.number_format = number_format(value) if col == value_col else "0.0"
            else:
                cell.value = value
    widths = {"年度": 8, "年度（和暦）": 12, "部": 14, "事業番号": 10, "事業名": 28, "事業指標": 36}
    for col, text in enumerate(LONG_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(text, 12)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LONG_COLUMNS))}{max(ws.max_row, 2)}"


def _readme_sheet(
    ws: Worksheet, document: Document, sheets: list[tuple[str, Declaration]], generated
) -> None:
    lines: list[tuple[str, str]] = [
        ("目標宣言 事業指標（Sengen 書き出し）", "Goal declarations: KPI tables (Sengen export)"),
        ("", ""),
        ("シート / Sheet", "内容 / Contents"),
        (README_SHEET, "このシートの説明 / This description"),
        (
            LONG_SHEET,
            "全指標の値を1行1値で並べた縦長の表（集計・絞り込み用）。列: "
            + "、".join(LONG_COLUMNS)
            + " / Every value, one row per indicator × fiscal year × kind (for filtering and pivots).",
        ),
    ]
    for name, d in sheets:
        lines.append(
            (
                name,
                f"{format_fiscal_year(d.fiscal_year)} {d.department} の部長の目標宣言の事業指標（公表時の表の形）"
                f" / FY{d.fiscal_year} {d.department}: the KPI table as published",
            )
        )
    lines += [
        (
            f"{META_SHEET}（非表示 / hidden）",
            "取込み用の管理情報（メッセージ・方針などを含む目標宣言の全体）。編集しないでください。"
            " / What sengen import needs to read this file back (the whole declarations). Do not edit.",
        ),
        ("", ""),
        (
            "出典 / Source",
            "各部の「部長の目標宣言」（公表されたもの）。Sengen のデータベースから書き出し。"
            " / The published goal declarations of each department, exported from Sengen.",
        ),
        (
            "作成日 / Generated",
            f"{generated:%Y-%m-%d}（{format_fiscal_year(generated.year if generated.month >= 4 else generated.year - 1)}）",
        ),
        ("ライセンス / Licence", LICENSE_PLACEHOLDER),
        (
            "数値について / Figures",
            "値は数値として保存しています。単位・限定語（約、以上など）・括弧書きは表示形式で示しています。"
            "値は有効数字15桁以内のため、表計算ソフトの数値（倍精度浮動小数点数）で正確に表せます。"
            "「—」は未報告です。"
            " / Values are numbers; units, qualifiers and parentheticals are in the number format. "
            "Every figure has at most 15 significant digits, so a spreadsheet number holds it exactly. "
            "— means not reported.",
        ),
        (
            "年度 / Fiscal year",
            "年度は4月〜翌3月。「2020」は令和2年度（2020年4月〜2021年3月）です。"
            " / Fiscal years run April–March and are named by the year they start in.",
        ),
        (
            "件数 / Counts",
            f"目標宣言 {len(document.declarations)}件 / {len(document.declarations)} declarations",
        ),
    ]
    for row, (key, text) in enumerate(lines, start=1):
        ws.cell(row, 1, key or None)
        ws.cell(row, 2, text or None).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A3"].font = ws["B3"].font = _HEADER_FONT
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100


def write_meta_sheet(wb: Workbook, rows: list[tuple[str, object]], payload: str) -> None:
    """The very hidden ``_sengen`` sheet: key/value rows, then ``payload`` (JSON) in chunks of one row."""
    meta = wb.create_sheet(META_SHEET)
    for row, (key, value) in enumerate(rows, start=1):
        meta.cell(row, 1, key)
        meta.cell(row, 2, value)
    payload_row = len(rows) + 1
    meta.cell(payload_row, 1, "payload")
    for index in range(0, max(len(payload), 1), _CHUNK):
        cell = meta.cell(payload_row, 2 + index // _CHUNK, payload[index : index + _CHUNK])
        cell.data_type = "s"  # a chunk starting with "=" is text, not a formula
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def write_xlsx(document: Document, *, generated: date | None = None) -> bytes:
    """The workbook described in the module docstring, as the bytes of an .xlsx file."""
    generated = generated or date.today()
    wb = Workbook()
    readme = wb.active
    readme.title = README_SHEET
    taken = {README_SHEET, LONG_SHEET}
    long_ws = wb.create_sheet(LONG_SHEET)
    sheets: list[tuple[str, Declaration]] = []
    for d in document.declarations:
        name = sheet_name(f"{d.fiscal_year} {d.department}", taken)
        _declaration_sheet(wb.create_sheet(name), d)
        sheets.append((name, d))
    _long_sheet(long_ws, document)
    _readme_sheet(readme, document, sheets, generated)
    # What the sheets do not show (messages, policies …), so that the long sheet can be read back.
    write_meta_sheet(
        wb,
        [("marker", EXPORT_MARKER), ("version", EXPORT_VERSION), ("generated", generated.isoformat())],
        jsonio.dumps(without_evaluations(document)),
    )
    stamp = datetime.combine(generated, time())
    wb.properties.creator = "Sengen"
    wb.properties.title = "目標宣言 事業指標"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
