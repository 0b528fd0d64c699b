"""The input template: a workbook a department fills in for one fiscal year's declaration.

``sengen template --year 2021 --department 市民生活部 -o file.xlsx`` starts from the department's
latest published declaration up to that year (the *base*) and writes one sheet, named after the
department, with a row per indicator of the plan:

* key columns (事業番号, 主な事業, 事業指標, 単位, 所管課) are locked: the sheet is protected, without
  a password, against editing them by accident; the value cells are unlocked;
* value columns: 当初水準 (value and year), then one column per (fiscal year, kind) — for the base
  year itself the base's own columns, for a later year ``FY-2`` 実績値, ``FY-1`` 実績見込値 and
  ``FY`` 目標値 — pre-filled with the base's figures for the same year and kind;
* data validation: value cells take numbers only, each column's kind is picked from a list;
* a very hidden sheet ``_sengen`` holds the metadata the reader needs: the format version, the
  fiscal year, the department, where the columns are, and the pre-filled declaration itself (so
  the message, policies and the rest come back unchanged).

:func:`sengen.ingest.xlsx_reader.read_xlsx` reads the filled-in file back into sengen/1.
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sengen.core.wareki import format_fiscal_year
from sengen.exports.xlsx import (
    _BORDER,
    KIND_LABELS,
    KIND_ORDER,
    META_SHEET,
    _header,
    _slots,
    number_format,
    number_value,
    owners_text,
    sheet_name,
    write_meta_sheet,
)
from sengen.interchange import jsonio
from sengen.interchange.models import Declaration, Indicator, Observation, Target
from sengen.interchange.table import value_at

MARKER = "sengen-template"
VERSION = 1
HEADER_ROWS = (3, 4)
FIRST_ROW = 5
#: Key columns (locked) and the baseline columns (unlocked), by letter.
KEY_COLUMNS = {"A": "事業番号", "B": "主な事業", "C": "事業指標", "D": "単位"}
BASELINE_VALUE, BASELINE_YEAR = "E", "F"
FIRST_SLOT_COLUMN = 7
_INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")


def template_slots(base: Declaration, fiscal_year: int) -> list[tuple[int, str]]:
    """The value columns: the base's own for its year; FY-2 actual, FY-1 estimate, FY target later."""
    if base.fiscal_year == fiscal_year:
        return _slots(base)
    return [(fiscal_year - 2, "actual"), (fiscal_year - 1, "estimate"), (fiscal_year, "target")]


def _carried(indicator: Indicator, slots: list[tuple[int, str]]) -> Indicator:
    observations, targets = [], []
    for year, kind in slots:
        entry = value_at(indicator, (kind, year))
        if entry is None and kind == "actual":
            estimate = value_at(indicator, ("estimate", year))
            if estimate is not None and estimate.value is not None:
                # The last published word on that year, to be replaced by the confirmed actual.
                entry = Observation(fiscal_year=year, kind="actual", value=estimate.value)
        if kind == "target":
            targets.append(entry or Target(fiscal_year=year, value=None))
        else:
            observations.append(entry or Observation(fiscal_year=year, kind=kind, value=None))
    return indicator.model_copy(
        update={"observations": observations, "targets": targets, "comment": None, "evaluation": None}
    )


def prefilled(base: Declaration, fiscal_year: int) -> Declaration:
    """The declaration the template starts as: the base itself, or the base carried to a later year.

    Carried to a later year, the KPI rows keep their indicators, owners and baseline and get the new
    year's columns (figures only where the base had the same year and kind); policies lose their
    self-evaluations, and the base's notes and year-end comments are dropped (they were about that year).
    """
    if base.fiscal_year == fiscal_year:
        return base.model_copy(
            update={"indicators": [i.model_copy(update={"evaluation": None}) for i in base.indicators]}
        )
    slots = template_slots(base, fiscal_year)
    return base.model_copy(
        update={
            "fiscal_year": fiscal_year,
            "notes": [],
            "policies": [p.model_copy(update={"evaluations": []}) for p in base.policies],
            "indicators": [_carried(i, slots) for i in base.indicators],
        }
    )


def write_template(base: Declaration, fiscal_year: int, *, generated: date | None = None) -> bytes:
    """The template workbook for ``fiscal_year``, starting from the published declaration ``base``."""
    declaration = prefilled(base, fiscal_year)
    slots = template_slots(base, fiscal_year)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(declaration.department, {META_SHEET})
    owner_col = FIRST_SLOT_COLUMN + len(slots)
    last_row = FIRST_ROW + len(declaration.indicators) - 1

    ws["A1"] = f"{format_fiscal_year(fiscal_year)} {declaration.department} 事業指標 入力用テンプレート"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        "白いセルに数値を入力してください（単位は不要）。未報告は空欄か「—」。灰色のセルは変更できません。"
        " / Type numbers in the white cells (no unit). Leave blank or — when not reported."
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=owner_col)
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 32

    for letter, text in KEY_COLUMNS.items():
        _header(ws[f"{letter}3"], text)
        ws.merge_cells(f"{letter}3:{letter}4")
    _header(ws[f"{BASELINE_VALUE}3"], "当初水準")
    ws.merge_cells(f"{BASELINE_VALUE}3:{BASELINE_YEAR}3")
    _header(ws[f"{BASELINE_VALUE}4"], "値")
    _header(ws[f"{BASELINE_YEAR}4"], "年度（西暦）")
    kind_list = DataValidation(
        type="list",
        formula1='"' + ",".join(KIND_LABELS[k] for k in KIND_ORDER) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="種別",
        error="実績値・実績見込値・目標値 から選んでください。",
    )
    ws.add_data_validation(kind_list)
    for offset, (year, kind) in enumerate(slots):
        col = FIRST_SLOT_COLUMN + offset
        _header(ws.cell(3, col), format_fiscal_year(year))
        kind_cell = ws.cell(4, col)
        _header(kind_cell, KIND_LABELS[kind])
        kind_cell.protection = Protection(locked=False)
        kind_cell.fill = _INPUT_FILL
        kind_list.add(kind_cell)
    _header(ws.cell(3, owner_col), "所管課")
    ws.merge_cells(start_row=3, start_column=owner_col, end_row=4, end_column=owner_col)

    numbers_only = DataValidation(
        type="decimal",
        operator="between",
        formula1="-99999999999",
        formula2="99999999999",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="数値のみ",
        error="数値だけを入力してください（単位やカンマは不要です）。",
    )
    year_only = DataValidation(
        type="whole",
        operator="between",
        formula1="1900",
        formula2="2200",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="年度",
        error="年度を西暦で入力してください（例: 令和2年度 → 2020）。",
    )
    ws.add_data_validation(numbers_only)
    ws.add_data_validation(year_only)

    for row, indicator in enumerate(declaration.indicators, start=FIRST_ROW):
        keys = (indicator.project.number, indicator.project.name, indicator.name, indicator.unit)
        for letter, value in zip(KEY_COLUMNS, keys, strict=True):
            cell = ws[f"{letter}{row}"]
            cell.value = value
            cell.fill = _LOCKED_FILL
        owner = ws.cell(row, owner_col, owners_text(indicator.owners))
        owner.fill = _LOCKED_FILL
        baseline = indicator.baseline
        _value_cell(ws[f"{BASELINE_VALUE}{row}"], baseline.value if baseline else None, indicator, baseline)
        year_cell = ws[f"{BASELINE_YEAR}{row}"]
        year_cell.value = baseline.fiscal_year if baseline else None
        year_cell.protection = Protection(locked=False)
        source = base.indicators[row - FIRST_ROW]
        for offset, (year, kind) in enumerate(slots):
            entry = value_at(indicator, (kind, year))
            if entry is not None and entry.value is not None and value_at(source, (kind, year)) is None:
                ws.cell(row, FIRST_SLOT_COLUMN + offset).comment = Comment(
                    f"{format_fiscal_year(year, short=True)}の実績見込値です。確定した実績値に置き換えてください。"
                    f" / The FY{year} estimate: replace it with the confirmed actual.",
                    "Sengen",
                )
            _value_cell(
                ws.cell(row, FIRST_SLOT_COLUMN + offset), entry.value if entry else None, indicator, entry
            )
        for col in range(1, owner_col + 1):
            cell = ws.cell(row, col)
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if declaration.indicators:
        numbers_only.add(f"{BASELINE_VALUE}{FIRST_ROW}:{BASELINE_VALUE}{last_row}")
        year_only.add(f"{BASELINE_YEAR}{FIRST_ROW}:{BASELINE_YEAR}{last_row}")
        if slots:
            first, last = get_column_letter(FIRST_SLOT_COLUMN), get_column_letter(owner_col - 1)
            numbers_only.add(f"{first}{FIRST_ROW}:{last}{last_row}")

    widths = [10, 24, 34, 8, 12, 10] + [14] * len(slots) + [26]
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"{BASELINE_VALUE}{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widening a column stays allowed
    ws.protection.formatRows = False

    _metadata(wb, ws.title, declaration, slots, generated or date.today())
    stamp = datetime.combine(generated or date.today(), time())
    wb.properties.creator = "Sengen"
    wb.properties.title = f"{declaration.fiscal_year} {declaration.department} 入力用テンプレート"
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _value_cell(cell, value, indicator: Indicator, entry) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = _INPUT_FILL
    if value is None:
        return
    cell.value = number_value(value)
    cell.number_format = number_format(value)
    notes = [text for text in (entry.qualifier, entry.annotation and f"({entry.annotation})") if text]
    if notes:
        cell.comment = Comment(f"公表時の表記 / as published: {' '.join(notes)}", "Sengen")


def _metadata(wb: Workbook, sheet: str, declaration: Declaration, slots, generated: date) -> None:
    columns = {
        "baseline_value": BASELINE_VALUE,
        "baseline_year": BASELINE_YEAR,
        "slots": [
            {"column": get_column_letter(FIRST_SLOT_COLUMN + i), "fiscal_year": y, "kind": k}
            for i, (y, k) in enumerate(slots)
        ],
    }
    rows: list[tuple[str, object]] = [
        ("marker", MARKER),
        ("version", VERSION),
        ("fiscal_year", declaration.fiscal_year),
        ("department", declaration.department),
        ("sheet", sheet),
        ("first_row", FIRST_ROW),
        ("columns", json.dumps(columns, ensure_ascii=False)),
        ("generated", generated.isoformat()),
    ]
    write_meta_sheet(wb, rows, jsonio.dumps_data(declaration.model_dump(mode="python")))
